"""WebSocket routes of every app, mounted by `awareness.asgi`."""

from django.urls import path

from awareness.health.consumers import HealthConsumer
from training.live.routing import websocket_urlpatterns as live_websocket_urlpatterns

websocket_urlpatterns = [
    path("ws/healthz/", HealthConsumer.as_asgi()),
    *live_websocket_urlpatterns,
]
