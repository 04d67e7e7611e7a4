import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

HEALTH_GROUP = "healthz"


class HealthConsumer(AsyncJsonWebsocketConsumer):
    """WebSocket health probe: a ping fans out through the channel layer's group to every
    connected probe, proving the upgrade, the layer and group delivery work end to end."""

    async def connect(self):
        await self.channel_layer.group_add(HEALTH_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(HEALTH_GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Bad frames (binary, broken JSON) get an error reply instead of closing the socket.
        try:
            content = json.loads(text_data or "")
        except ValueError:
            content = None
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("type") != "ping":
            await self.send_json({"type": "error", "message": 'Send {"type": "ping"}.'})
            return
        token = str(content.get("token", ""))[:64]
        await self.channel_layer.group_send(HEALTH_GROUP, {"type": "health.pong", "token": token})

    async def health_pong(self, event):
        await self.send_json({"type": "pong", "token": event["token"]})
