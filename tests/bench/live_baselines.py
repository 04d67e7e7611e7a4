"""The two baselines of bench_live.py, on the same machine and the same swarm.

- `bare`: a plain `websockets` server; a "go" message from any client is broadcast to every
  connected client with `websockets.broadcast` (run as `python live_baselines.py PORT`).
- `application`: a plain Channels consumer on the project's channel layer, every socket in one
  group; a "go" message is one `group_send` to the group (run under uvicorn as
  `tests.bench.live_baselines:application`). No database, no application logic.
A "go" carries the frame to broadcast, so all three runs send the same bytes.
"""

import asyncio
import json
import os
import sys

GROUP = "bench"


async def bare(port: int) -> None:
    import websockets

    clients: set = set()

    async def handler(socket):
        clients.add(socket)
        try:
            async for text in socket:
                message = json.loads(text)
                if message.get("type") == "go":
                    websockets.broadcast(clients, json.dumps(message["frame"]))
        finally:
            clients.discard(socket)

    async with websockets.serve(handler, "127.0.0.1", port, max_size=2**16, compression=None):
        await asyncio.Future()


def channels_application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awareness.settings")
    import django

    django.setup()
    from channels.generic.websocket import AsyncWebsocketConsumer
    from channels.routing import ProtocolTypeRouter, URLRouter
    from django.urls import path

    class BroadcastConsumer(AsyncWebsocketConsumer):
        async def connect(self):
            await self.channel_layer.group_add(GROUP, self.channel_name)
            await self.accept()

        async def disconnect(self, code):
            await self.channel_layer.group_discard(GROUP, self.channel_name)

        async def receive(self, text_data=None, bytes_data=None):
            message = json.loads(text_data)
            if message.get("type") == "go":
                frame = json.dumps(message["frame"])
                await self.channel_layer.group_send(GROUP, {"type": "bench.frame", "text": frame})

        async def bench_frame(self, event):
            await self.send(text_data=event["text"])

    return ProtocolTypeRouter(
        {"websocket": URLRouter([path("ws/bench/", BroadcastConsumer.as_asgi())])}
    )


if __name__ == "__main__":
    asyncio.run(bare(int(sys.argv[1])))
else:
    application = channels_application()
