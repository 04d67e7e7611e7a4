"""WebSocket routes of every app, mounted by `awareness.asgi`."""

from django.urls import path

from awareness.health.consumers import HealthConsumer

websocket_urlpatterns = [
    path("ws/healthz/", HealthConsumer.as_asgi()),
]
