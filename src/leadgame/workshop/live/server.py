"""The live room's web server: learners' pages and the presenter page, over WebSockets.

One aiohttp server runs in the projector's own event loop (the Textual app's), so the whole
room is one process with one room session: a page is a view of that session, never a process
of its own. Why aiohttp and WebSockets: aiohttp is already installed (textual-serve uses it) and
serves pages and sockets from one asyncio loop the projector already runs; one socket per device
carries its votes up and the room's changes down, so a vote's round trip is one message each
way, with aiohttp bounding message sizes and answering pings for us.

Safety: a device joins with the session code (wrong codes are rate limited per address) and
gets a random token in an HttpOnly cookie; the room file keeps only a hash of it. Messages are
size- and rate-bounded, malformed ones get an error, never a crash. Votes and answers are
written to the room file in batches (group commit) and acknowledged only once on disk.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import socket as sockets
import time
from collections import deque
from pathlib import Path
from typing import Callable

from aiohttp import WSMsgType, web

from leadgame.core.saves import SaveError
from leadgame.core.workshop import MAX_ANSWER_CHARS, WorkshopError, WorkshopSession, device_id, new_token
from leadgame.workshop.address import public_url
from leadgame.workshop.live import views

STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "leadgame_device"
COOKIE_SECONDS = 12 * 3600  # a workshop day
MAX_MESSAGE = 4096  # bytes a page may send in one message (an answer is at most 500 characters)
MAX_BODY = 2048  # bytes of a join request
RATE, BURST = 5.0, 20  # messages per second a device may send, and the burst it may save up
WRONG_CODES, WRONG_WINDOW = 20, 600.0  # wrong session codes one address may try per ten minutes
FOLLOW_INTERVAL = 0.1  # seconds between looks at the room for changes to send
PRESENTER_INTERVAL = 0.25
GOING_AWAY, MUST_JOIN, TOO_FAST = 1001, 4001, 4008
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


class Bucket:
    """A token bucket: `rate` messages a second on average, `burst` at once."""

    def __init__(self, rate: float = RATE, burst: int = BURST, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.at = float(burst), clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class LiveRoom:
    """The room's server: who is connected, what to send them, and writing their changes."""

    def __init__(self, game: WorkshopSession, host: str = "127.0.0.1", port: int = 8000, url: str | None = None,
                 listening: sockets.socket | None = None) -> None:
        self.game = game
        self.host, self.port = host, port
        self.url = public_url(host, port, url)
        self.listening = listening  # a socket already bound (see `listen`), so a busy port is found before the app starts
        self.learners: dict[web.WebSocketResponse, str] = {}  # socket -> device
        self.presenters: set[web.WebSocketResponse] = set()
        self.problem = ""  # the last save problem, for the projector to show
        self._runner: web.AppRunner | None = None
        self._follower: asyncio.Task | None = None
        self._waiting: list[asyncio.Future] = []
        self._flush_due = False
        self._wrong: dict[str, deque] = {}
        self._static = {name: (STATIC / name).read_bytes() for name in ("room.html", "room.js", "room.css", "live.js",
                                                                        "presenter.html", "presenter.js")}

    # --- addresses --------------------------------------------------------------------------

    @property
    def join_url(self) -> str:
        """The address in the QR code: the session code rides in an upper-case path, which QR
        codes hold compactly (alphanumeric mode)."""
        return f"{self.url}/J/{self.game.code}"

    @property
    def presenter_url(self) -> str:
        return f"{self.url}/presenter/{self.game.presenter_secret()}"

    # --- running ----------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[_headers])
        app.add_routes([
            web.get("/", self.page("room.html")),
            web.get("/room.js", self.page("room.js")),
            web.get("/live.js", self.page("live.js")),
            web.get("/room.css", self.page("room.css")),
            web.get("/presenter.js", self.page("presenter.js")),
            web.get("/J/{code}", self.short_join),
            web.post("/join", self.join),
            web.get("/ws", self.learner_socket),
            web.get("/presenter/{secret}", self.presenter_page),
            web.get("/presenter/{secret}/ws", self.presenter_socket),
        ])
        return app

    async def start(self) -> None:
        """Listen on the host and port; raises OSError when the address cannot be used."""
        self._runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        try:
            if self.listening is not None:
                await web.SockSite(self._runner, self.listening).start()
            else:
                await web.TCPSite(self._runner, self.host, self.port, reuse_address=True).start()
        except OSError:
            await self._runner.cleanup()
            self._runner = None
            raise
        self.game.set_live_url(self.url)
        self._follower = asyncio.create_task(self.follow())

    async def stop(self) -> None:
        if self._follower is not None:
            self._follower.cancel()
            self._follower = None
        for socket in [*self.learners, *self.presenters]:
            await socket.close(code=GOING_AWAY, message=b"the room is closing")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._waiting:
            self._flush()

    # --- writing: many devices' changes, one write --------------------------------------------

    async def commit(self) -> None:
        """Return once every change made so far is in the room file (raises WorkshopError if it
        could not be written). Changes that arrive together share one write."""
        done = asyncio.get_running_loop().create_future()
        self._waiting.append(done)
        if not self._flush_due:
            self._flush_due = True
            asyncio.get_running_loop().call_soon(self._flush)
        await done

    def _flush(self) -> None:
        self._flush_due = False
        waiting, self._waiting = self._waiting, []
        try:
            self.game.write()
            failure = None
            self.problem = ""
        except (OSError, SaveError, WorkshopError) as error:
            self.problem = f"Could not save: {error}"
            failure = WorkshopError("the room could not be saved; tell the facilitator")
        for done in waiting:
            if done.done():
                continue
            done.set_exception(failure) if failure else done.set_result(None)

    # --- following the room: send what changed ------------------------------------------------

    async def follow(self) -> None:
        """Every tenth of a second, send the learners the room when its stage changed (a new
        scene, voting opened or closed, an outcome, the debrief), and the presenters any change
        at most four times a second."""
        seen_room, seen_record, seen_timer, presented = None, None, None, 0.0
        while True:
            await asyncio.sleep(FOLLOW_INTERVAL)
            try:
                game = self.game
                key = (views.stage(game), views.step(game), game.voting_open)
                if key != seen_room:
                    seen_room = key
                    await self.send_room()
                now = time.monotonic()
                timer = game.timer.remaining if game.timer.running else None
                if self.presenters and now - presented >= PRESENTER_INTERVAL and (
                        game.record is not seen_record or timer != seen_timer):
                    seen_record, seen_timer, presented = game.record, timer, now
                    await self.send_presenters()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # one bad send must not stop the room following
                self.problem = f"Live room: {error!r}"

    async def send_room(self) -> None:
        message = json.dumps(views.room(self.game))
        for socket, device in list(self.learners.items()):
            await _send(socket, message)
            await _send(socket, json.dumps(views.you(self.game, device)))

    async def send_presenters(self) -> None:
        message = json.dumps(views.presenter(self.game, len(self.learners)))
        for socket in list(self.presenters):
            await _send(socket, message)

    @property
    def connected(self) -> int:
        return len(self.learners)

    # --- pages ------------------------------------------------------------------------------

    def page(self, name: str):
        body, kind = self._static[name], TYPES[Path(name).suffix]

        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=body, content_type=kind, charset="utf-8")

        return handler

    async def short_join(self, request: web.Request) -> web.Response:
        code = "".join(ch for ch in request.match_info["code"][:12] if ch.isalnum())
        raise web.HTTPFound(f"/?code={code}")

    async def presenter_page(self, request: web.Request) -> web.Response:
        self.check_presenter(request)
        return web.Response(body=self._static["presenter.html"], content_type="text/html", charset="utf-8")

    def check_presenter(self, request: web.Request) -> None:
        given = request.match_info["secret"].encode()
        if not hmac.compare_digest(given, self.game.presenter_secret().encode()):
            raise web.HTTPNotFound()

    # --- joining ----------------------------------------------------------------------------

    async def join(self, request: web.Request) -> web.Response:
        check_origin(request)
        address = request.remote or "?"
        if self.too_many_wrong(address):
            return _problem(429, "Too many wrong codes from this address; wait a few minutes.")
        try:
            data = await request.json()
        except ValueError:  # (a body over MAX_BODY is refused with 413 before this)
            return _problem(400, "Send the session code as JSON: {\"code\": \"...\"}.")
        code = data.get("code") if isinstance(data, dict) else None
        if not isinstance(code, str) or not hmac.compare_digest(code.strip().upper()[:16].encode(), self.game.code.encode()):
            self._wrong.setdefault(address, deque()).append(time.monotonic())
            return _problem(403, "That is not this room's session code. Check the code on the screen.")
        token = request.cookies.get(COOKIE, "")
        try:
            device = device_id(token)
        except WorkshopError:
            token = new_token()
            device = device_id(token)
        try:
            self.game.join(device)
            await self.commit()
        except WorkshopError as error:
            return _problem(503, str(error))
        response = web.json_response({"ok": True, "code": self.game.code, "title": self.game.scenario.title})
        response.set_cookie(COOKIE, token, max_age=COOKIE_SECONDS, httponly=True, samesite="Strict", path="/",
                            secure=request.secure)
        return response

    def too_many_wrong(self, address: str) -> bool:
        tries = self._wrong.get(address)
        if tries is None:
            return False
        while tries and time.monotonic() - tries[0] > WRONG_WINDOW:
            tries.popleft()
        return len(tries) >= WRONG_CODES

    def known_device(self, request: web.Request) -> str:
        try:
            device = device_id(request.cookies.get(COOKIE, ""))
        except WorkshopError:
            return ""
        return device if device in self.game.record.devices else ""

    # --- sockets ----------------------------------------------------------------------------

    async def learner_socket(self, request: web.Request) -> web.WebSocketResponse:
        check_origin(request)
        socket = web.WebSocketResponse(max_msg_size=MAX_MESSAGE, heartbeat=20, compress=False)
        await socket.prepare(request)
        device = self.known_device(request)
        if not device:
            await _send(socket, json.dumps({"type": "join", "message": "Join with the session code on the screen."}))
            await socket.close(code=MUST_JOIN, message=b"join first")
            return socket
        self.learners[socket] = device
        bucket = Bucket()
        try:
            await _send(socket, json.dumps(views.room(self.game)))
            await _send(socket, json.dumps(views.you(self.game, device)))
            async for message in socket:
                if message.type != WSMsgType.TEXT:
                    await _send(socket, _error("Send text messages only."))
                    continue
                if not bucket.take():
                    await _send(socket, _error("Too many messages; slow down."))
                    if bucket.tokens < -BURST:  # far past the limit: not a person tapping
                        await socket.close(code=TOO_FAST, message=b"too many messages")
                    bucket.tokens -= 1
                    continue
                await self.handle(socket, device, message.data)
        finally:
            self.learners.pop(socket, None)
        return socket

    async def handle(self, socket: web.WebSocketResponse, device: str, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError:
            await _send(socket, _error("That message was not JSON."))
            return
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            await _send(socket, _error("A message needs a type."))
            return
        ack = data.get("id") if isinstance(data.get("id"), int) and not isinstance(data.get("id"), bool) else None
        kind = data["type"]
        try:
            if kind == "vote":
                choice = data.get("choice")
                if not isinstance(choice, str) or len(choice) > 64:
                    raise WorkshopError("a vote names one option")
                self.game.cast_vote(device, choice)
            elif kind == "answer":
                question, words = data.get("question"), data.get("text")
                if not isinstance(question, int) or isinstance(question, bool) or not isinstance(words, str) \
                        or len(words) > MAX_ANSWER_CHARS * 2:
                    raise WorkshopError(f"an answer is a question number and up to {MAX_ANSWER_CHARS} characters")
                self.game.add_answer(device, question, words)
            elif kind == "ping":
                await _send(socket, json.dumps({"type": "pong", "id": ack}))
                return
            else:
                raise WorkshopError("unknown message type")
            await self.commit()
        except WorkshopError as error:
            await _send(socket, json.dumps({"type": "error", "message": str(error), "id": ack}))
            return
        reply = views.you(self.game, device)
        reply["id"] = ack
        await _send(socket, json.dumps(reply))

    async def presenter_socket(self, request: web.Request) -> web.WebSocketResponse:
        check_origin(request)
        self.check_presenter(request)
        socket = web.WebSocketResponse(max_msg_size=MAX_MESSAGE, heartbeat=20, compress=False)
        await socket.prepare(request)
        self.presenters.add(socket)
        try:
            await _send(socket, json.dumps(views.presenter(self.game, len(self.learners))))
            async for _ in socket:
                pass  # the presenter page only listens
        finally:
            self.presenters.discard(socket)
        return socket


def listen(host: str, port: int) -> sockets.socket:
    """Bind the room's address now, so a port in use is reported before the projector starts.
    Raises OSError (errno EADDRINUSE when another program holds the port)."""
    family = sockets.AF_INET6 if ":" in host else sockets.AF_INET
    return sockets.create_server((host.strip("[]"), port), family=family, backlog=256)


def check_origin(request: web.Request) -> None:
    """Refuse a browser page from another site driving this room (cross-site requests and
    WebSocket hijacking). Clients that send no Origin are not browsers and are let through."""
    origin = request.headers.get("Origin")
    if origin is None:
        return
    from urllib.parse import urlsplit

    if urlsplit(origin).netloc.lower() != request.host.lower():
        raise web.HTTPForbidden(text="This room only takes requests from its own pages.")


@web.middleware
async def _headers(request: web.Request, handler):
    response = await handler(request)
    if not isinstance(response, web.WebSocketResponse):
        response.headers.update(SECURITY_HEADERS)
    return response


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "message": message}, status=status)


def _error(message: str) -> str:
    return json.dumps({"type": "error", "message": message})


async def _send(socket: web.WebSocketResponse, text: str) -> None:
    if socket.closed:
        return
    try:
        await socket.send_str(text)
    except (ConnectionError, RuntimeError):
        pass  # the page went away; it reconnects and is sent the room afresh
