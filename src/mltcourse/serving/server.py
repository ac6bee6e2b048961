"""The classroom server: textual-serve's Server with the access control a class needs.

* **A join token.** Nothing is served without it: ``/?join=TOKEN`` (the link and QR code
  printed at start) sets an HttpOnly, SameSite=Strict cookie that the page's static files and
  websocket then carry; anything else gets 403. Tokens are compared in constant time.
* **Roles and seats** (:mod:`.tokens`). Each join link is for one role: a learner's seat, a
  team's device or the presenter's view. The page connects to its role's websocket ticket;
  each browser gets a signed seat id (a cookie) that its app process is given, so a seat is
  its own learner and casts one ballot.
* **Its own origin only.** The websocket that starts an app process must come from a page of
  this server: its ``Origin`` header must be the public origin, else 403, and no process.
* **A public address.** The page tells browsers to connect to ``--public-url`` (required to
  listen beyond loopback), never to 0.0.0.0.
* **Nothing from outside.** The page is this package's template (textual-serve's, without its
  Google web font), under a Content-Security-Policy allowing only this origin.
* **Caps.** So many sessions at once; terminal sizes clamped; websocket messages bounded.
* **No process outlives its connection** (:mod:`.session`), nor the server: at shutdown,
  SIGTERM and SIGINT included, every app process group is stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
import signal
from collections.abc import Sequence
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server

from .address import (
    DEFAULT_MAX_SESSIONS,
    FONT_SIZES,
    MAX_HEIGHT,
    MAX_MESSAGE,
    MAX_WIDTH,
    clamp,
    websocket_origin,
)
from .console import announce
from .roster import REFRESH, RosterBoard, roster_lines
from .session import ClassroomSession
from .tokens import PRESENTER, SEAT, ClassKeys, new_secret, team_of, team_role

log = logging.getLogger("textual-serve")
HERE = Path(__file__).parent

REFUSED = (
    "403 Forbidden: this classroom server needs its join link. Open the link (or scan the QR "
    "code) your trainer gives you; it ends with ?join=...\n"
)
FOREIGN = "403 Forbidden: the app's connection is only for pages of this classroom server.\n"
NO_SEAT = "403 Forbidden: this browser has no seat in the class. Open the join link again.\n"
FULL = (
    "This class is full: all {n} places are in use. Try again in a minute, or ask your "
    "trainer (mltcourse serve --max-sessions sets the number).\n"
)


class ClassroomServer(Server):
    """Serve the app to a class: one process per browser connection, behind a join token."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        host: str,
        port: int,
        origin: str,
        data: Path,
        title: str = "MLT peacebuilding",
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        secret: str | None = None,
        exercise: tuple[str, tuple[str, ...]] | None = None,
        roster: bool = False,
    ) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title=title, public_url=origin)
        self.argv = list(argv)
        self.origin = origin  # scheme://host[:port], as browsers write their Origin header
        self.exports = data / "exports"
        self.max_sessions = max_sessions
        self.exercise = exercise  # (scenario id, team names) for team devices and a presenter
        self.keys = ClassKeys(secret or new_secret(), exercise[1] if exercise else ())
        self.token = self.keys.join_token(SEAT)
        self.cookie = f"mltcourse_join_{port}"  # cookies ignore ports: one per server
        self.seat_cookie = f"mltcourse_seat_{port}"
        self.data = data
        self.show_roster = roster  # the class's table in the trainer's terminal
        self.roles: dict[ClassroomSession, tuple[str, str | None]] = {}  # role and seat
        self.sessions: dict[ClassroomSession, web.WebSocketResponse] = {}
        self.csp = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            f"font-src 'self'; connect-src 'self' {websocket_origin(origin)}; "
            "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        for folder in (data, self.exports, data / "cache"):  # the app may write only there
            folder.mkdir(parents=True, exist_ok=True)

    @property
    def join_url(self) -> str:
        return self.keys.join_url(self.origin)

    def links(self) -> list[tuple[str, str]]:
        """Who each join link is for, and the link: the class's first."""
        found = [("Join link for learners", self.join_url)]
        if self.exercise is not None:
            for position, name in enumerate(self.exercise[1]):
                url = self.keys.join_url(self.origin, team_role(position))
                found.append((f"Team {name}'s devices", url))
            presenter = self.keys.join_url(self.origin, PRESENTER)
            found.append(("Presenter view (the projector)", presenter))
        return found

    def connected(self) -> dict[str, str]:
        """Each connected seat and its role."""
        return {seat: role for role, seat in self.roles.values() if seat is not None}

    def role_args(self, role: str, seat: str | None) -> list[str]:
        """What the app process of ``role`` is told beyond the common command line."""
        # NAME=VALUE: a random id may begin with "-", which argparse would take for an option
        args = [f"--class={self.keys.class_id}"]
        if seat is not None:
            args.append(f"--seat={seat}")
        if role != SEAT and self.exercise is not None:
            scenario, teams = self.exercise
            args += ["--scenario", scenario, "--teams", ",".join(teams)]
            team = team_of(role)
            args += ["--presenter"] if role == PRESENTER else ["--team", str(team)]
        return args

    # -- the web application ----------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._admit], client_max_size=16 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/ws/{ticket}", self.handle_websocket, name="ticket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
                web.static("/classroom", HERE / "static", name="classroom"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    def admitted(self, request: web.Request) -> bool:
        """Whether the request carries a join token: the cookie, or ``?join=`` on the page."""
        offered = [request.cookies.get(self.cookie)]
        if request.path == "/":
            offered.append(request.query.get("join"))
        return any(self.keys.role_of_token(value) is not None for value in offered)

    @web.middleware
    async def _admit(self, request: web.Request, handler) -> web.StreamResponse:
        if not self.admitted(request):
            log.warning("refused %s %r: no join token", request.remote, request.path)
            response: web.StreamResponse = web.Response(status=403, text=REFUSED)
        else:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                self._harden(exc)
                raise
        self._harden(response)
        return response

    def _harden(self, response: web.StreamResponse) -> None:
        if response.prepared:  # the websocket's 101: its headers have gone
            return
        headers = response.headers
        headers["Content-Security-Policy"] = self.csp
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if len(self.sessions) >= self.max_sessions:
            return web.Response(status=503, text=FULL.format(n=self.max_sessions))
        font_size = clamp(request.query.get("fontsize"), 16, FONT_SIZES.stop - 1)
        token = request.query.get("join")
        role = self.keys.role_of_token(token)
        if role is None:  # the page reloaded without its link: the role of the cookie
            token = request.cookies.get(self.cookie)
            role = self.keys.role_of_token(token) or SEAT
        path = "/ws" if role == SEAT else f"/ws/{self.keys.ticket(role)}"
        context = {
            "title": self._title(role),
            "font_size": max(FONT_SIZES.start, font_size),
            "websocket_url": f"{websocket_origin(self.origin)}{path}",
            "static_url": f"{self.origin}/static/",
            "classroom_url": f"{self.origin}/classroom/",
        }
        response = aiohttp_jinja2.render_template("classroom.html", request, context)
        secure = self.origin.startswith("https:")
        cookie = {"path": "/", "httponly": True, "samesite": "Strict", "secure": secure}
        response.set_cookie(self.cookie, token, **cookie)
        if self.keys.seat_of(request.cookies.get(self.seat_cookie)) is None:
            response.set_cookie(self.seat_cookie, self.keys.new_seat(), **cookie)
        response.headers["Cache-Control"] = "no-store"
        return response

    def _title(self, role: str) -> str:
        team = team_of(role)
        if team is not None and self.exercise is not None:
            return f"{self.title} · Team {self.exercise[1][team]}"
        return f"{self.title} · Presenter" if role == PRESENTER else self.title

    # -- the websocket: one app process each ------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin", "")
        if origin.lower() != self.origin:
            log.warning("refused a websocket from origin %r (not %s)", origin, self.origin)
            return web.Response(status=403, text=FOREIGN)
        ticket = request.match_info.get("ticket")
        role = SEAT if ticket is None else self.keys.role_of_ticket(ticket)
        seat = self.keys.seat_of(request.cookies.get(self.seat_cookie))
        if role is None:
            log.warning("refused a websocket with an unknown ticket")
            return web.Response(status=403, text=FOREIGN)
        if seat is None and role != PRESENTER:
            log.warning("refused a websocket without a seat")
            return web.Response(status=403, text=NO_SEAT)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        if not websocket.can_prepare(request).ok:
            return web.Response(status=400, text="400 Bad Request: a websocket is expected.\n")
        if len(self.sessions) >= self.max_sessions:
            log.warning("refused a session: the class is full (%d)", self.max_sessions)
            await websocket.prepare(request)
            text = "\r\n  " + FULL.format(n=self.max_sessions).replace("\n", "\r\n")
            await websocket.send_bytes(text.encode())
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"class full")
            return websocket
        session = ClassroomSession(
            self.argv + self.role_args(role, seat),
            cwd=self.exports,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions[session] = websocket  # the place is taken before the first await
        self.roles[session] = (role, seat)
        try:
            await websocket.prepare(request)
            width = clamp(request.query.get("width"), 80, MAX_WIDTH)
            height = clamp(request.query.get("height"), 24, MAX_HEIGHT)
            await session.start(width, height)
            await self._process_messages(websocket, session)
            if websocket.close_code == WSCloseCode.MESSAGE_TOO_BIG:
                log.warning("closed a session: a message over %d bytes", MAX_MESSAGE)
        except Exception as error:
            log.exception(error)
        finally:  # the place is given back once the process group is gone, even if this
            # handler is cancelled meanwhile (the stopping goes on without it)
            stopping = session.stop_soon()
            stopping.add_done_callback(lambda _: self._leave(session))
            await asyncio.shield(stopping)
        return websocket

    def _leave(self, session: ClassroomSession) -> None:
        self.sessions.pop(session, None)
        self.roles.pop(session, None)

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: ClassroomSession
    ) -> None:
        """The browser's messages, checked: anything malformed is dropped, sizes clamped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], (envelope[1] if len(envelope) > 1 else None)
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(
                    clamp(data.get("width"), 80, MAX_WIDTH),
                    clamp(data.get("height"), 24, MAX_HEIGHT),
                )
            elif kind == "ping" and isinstance(data, str) and len(data) <= 32:
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    # -- starting and stopping --------------------------------------------------------------

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every connection and stop every app process, all at once, within seconds."""
        sessions = list(self.sessions.items())
        closing = (
            websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
            for _, websocket in sessions
        )
        stopping = (session.stop() for session, _ in sessions)
        for work, seconds in ((closing, 2), (stopping, 7)):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*work, return_exceptions=True), seconds)
        self.kill_all()  # whatever has not gone by now

    async def _show_roster(self) -> None:
        """The class in the trainer's terminal, from the store, every few seconds."""
        from ..store import ProgressStore
        from ..store.classroom import ClassStore

        board = RosterBoard()
        store = await asyncio.to_thread(ProgressStore.in_dir, self.data)
        teams = self.exercise[1] if self.exercise else ()
        try:
            while True:
                try:
                    rows = await asyncio.to_thread(ClassStore(store).roster, self.keys.class_id)
                except Exception as error:  # the roster is a view: the class goes on
                    log.warning("the class roster could not be read: %s", error)
                    rows = []
                board.show(roster_lines(rows, self.connected(), teams))
                await asyncio.sleep(REFRESH)
        finally:
            store.close()

    def kill_all(self) -> None:
        for session in list(self.sessions):
            session.kill_now()

    def initialize_logging(self) -> None:
        """textual-serve's logging; with the roster on screen, not every request's line."""
        super().initialize_logging()
        if self.show_roster:
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM; every app process is stopped on the way out."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        finally:
            self.kill_all()  # whatever the way out
            loop.close()

    async def _serve(self) -> None:
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stopped.set)
        runner = web.AppRunner(await self._make_app(), handle_signals=False, shutdown_timeout=8)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            # the link is printed once it works: the port is listening
            announce(self.title, self.links(), self.host, self.port, self.max_sessions)
            roster = asyncio.ensure_future(self._show_roster()) if self.show_roster else None
            try:
                await stopped.wait()
            finally:
                if roster is not None:
                    roster.cancel()
        finally:
            await runner.cleanup()  # on_shutdown: every app process stopped
