"""Helpers for the live-room tests: a free port, a room served on it, and a device (an HTTP
client with its own cookie jar) that joins it and talks over its WebSocket."""

from __future__ import annotations

import asyncio
import socket
from contextlib import asynccontextmanager

import aiohttp

from leadgame.workshop.live.server import LiveRoom


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def serving(game, port: int | None = None):
    live = LiveRoom(game, "127.0.0.1", port or free_port())
    await live.start()
    try:
        yield live
    finally:
        await live.stop()


class Device:
    """One learner's phone: joins with a code, then sends and receives JSON messages."""

    def __init__(self, live: LiveRoom) -> None:
        self.base = live.url
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # cookies for a bare IP
        self.socket: aiohttp.ClientWebSocketResponse | None = None

    async def join(self, code: str) -> tuple[int, dict]:
        async with self.http.post(f"{self.base}/join", json={"code": code}) as response:
            return response.status, await response.json()

    async def connect(self, **options) -> "Device":
        self.socket = await self.http.ws_connect(f"{self.base}/ws", **options)
        return self

    async def enter(self, code: str) -> dict:
        """Join, connect and read the room as first sent; returns it."""
        status, answer = await self.join(code)
        assert status == 200, answer
        await self.connect()
        state = await self.receive("room")
        await self.receive("you")
        return state

    async def receive(self, kind: str, timeout: float = 5.0) -> dict:
        """The next message of this type (others are skipped)."""
        async def wait() -> dict:
            while True:
                message = await self.socket.receive()
                if message.type != aiohttp.WSMsgType.TEXT:
                    raise ConnectionError(f"socket closed: {message.type} {message.data} {message.extra}")
                data = message.json()
                if data["type"] == kind:
                    return data

        return await asyncio.wait_for(wait(), timeout)

    async def send(self, **data) -> None:
        await self.socket.send_json(data)

    async def ask(self, **data) -> dict:
        """Send a message with a fresh id and return the reply to it (`you` or `error`)."""
        self.asked = getattr(self, "asked", 0) + 1
        await self.send(**data, id=self.asked)

        async def wait() -> dict:
            while True:
                message = await self.socket.receive()
                if message.type != aiohttp.WSMsgType.TEXT:
                    raise ConnectionError(f"socket closed: {message.type} {message.data}")
                reply = message.json()
                if reply.get("id") == self.asked:
                    return reply

        return await asyncio.wait_for(wait(), 5)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        await self.http.close()


async def until(condition, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.02)
