"""WebSocket routes of live quizzes, mounted in `awareness.routing`."""

from django.urls import path

from training.live.consumers import LiveHostConsumer, LivePlayerConsumer

websocket_urlpatterns = [
    path("ws/live/<uuid:public_id>/play/", LivePlayerConsumer.as_asgi()),
    path("ws/live/<uuid:public_id>/host/", LiveHostConsumer.as_asgi()),
]
