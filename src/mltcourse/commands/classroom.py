"""The classroom commands: ``serve`` (a class in students' browsers) and the server that
``facilitate --serve`` starts beside the facilitator's console (team devices, presenter)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..content.paths import default_root
from .common import UsageError


def _origin(args) -> str:
    from ..serving import AddressError, public_origin

    if not 0 < args.port < 65536:
        raise UsageError("--port needs a number from 1 to 65535")
    try:  # before anything starts: the page must name an address browsers can reach
        return public_origin(args.host, args.port, args.public_url)
    except AddressError as exc:
        raise UsageError(str(exc)) from None


def _exercise(args, root: Path, data: Path) -> tuple[str, tuple[str, ...]] | None:
    """``--scenario`` and ``--teams``: the exercise whose devices and presenter are served."""
    if not args.scenario and not args.teams:
        return None
    if not (args.scenario and args.teams):
        raise UsageError("--scenario and --teams go together: the exercise the devices follow")
    from ..engine.exercise import ExerciseError, team_names
    from ..store.course_cache import load_course_cached
    from .common import _scenario

    scenario = _scenario(load_course_cached(root, data / "cache"), args.scenario)
    try:
        return scenario.id, team_names(args.teams)
    except ExerciseError as exc:
        raise UsageError(str(exc)) from None


def cmd_serve(args) -> int:
    """The app in students' browsers, behind join links (see ``mltcourse.serving``)."""
    from ..serving import app_command, is_loopback
    from ..serving.tokens import SECRET_ENV
    from ..store import data_dir

    if args.max_sessions < 1:
        raise UsageError("--max-sessions needs a positive number")
    origin = _origin(args)
    root = default_root(args.content).resolve()
    if not root.is_dir():
        raise UsageError(f"no course folder at {root}")
    data = data_dir(args.data_dir).resolve()
    exercise = _exercise(args, root, data)
    command = app_command(sys.executable, str(root), str(data))
    if not is_loopback(args.host):
        print(
            f"mltcourse: listening on {args.host or 'every interface'}: anyone with the join "
            "link who can reach it can use the app and the progress kept here",
            file=sys.stderr,
        )
    sync = _lrs_sync(root, data)
    from ..serving.server import ClassroomServer

    secret = os.environ.pop(SECRET_ENV, None)  # from facilitate --serve; never inherited
    try:  # a data folder that cannot be made, a port already taken, a bad secret
        ClassroomServer(
            command,
            host=args.host,
            port=args.port,
            origin=origin,
            data=data,
            max_sessions=args.max_sessions,
            secret=secret,
            exercise=exercise,
            roster=not args.no_roster,
        ).serve()
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"mltcourse: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    finally:
        if sync is not None:
            sync.stop()
    return 0


def _lrs_sync(root: Path, data: Path):
    """The records sent in the background to the LRS in the data folder's settings, if one
    is named there ([xapi] lrs), while the server runs (reports/lrs_sync.py)."""
    from ..reports.lrs_sync import start_background_sync

    def log(message: str) -> None:
        print(f"mltcourse: {message}", file=sys.stderr)

    try:
        return start_background_sync(root, data, log)
    except ValueError as exc:  # a bad setting or address: said before anything is served
        raise UsageError(str(exc)) from None


@dataclass
class ServedExercise:
    """The server beside the facilitator's console, and its join links for the console."""

    process: subprocess.Popen
    links: list[tuple[str, str]]
    log: Path

    def failure(self) -> str | None:
        """Why the server stopped, if it has (its last log lines), else None."""
        if self.process.poll() is None:
            return None
        lines = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {self.process.returncode}"

    def stop(self) -> None:
        """SIGTERM stops it and every app it started (the server's own clean-up)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=12)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def serve_exercise(args, root: Path, data: Path, scenario: str, names) -> ServedExercise:
    """Start ``mltcourse serve --scenario --teams`` in the background for ``facilitate
    --serve``; it shares the class's secret through its environment (not its command line,
    which other users of the machine can read), and its output goes to a log file."""
    from ..serving import AddressError, public_origin
    from ..serving.tokens import PRESENTER, SECRET_ENV, ClassKeys, new_secret, team_role

    try:
        origin = public_origin(args.host, args.port, args.public_url)
    except AddressError as exc:
        raise UsageError(str(exc)) from None
    secret = new_secret()
    keys = ClassKeys(secret, tuple(names))
    links = [(f"Team {name}", keys.join_url(origin, team_role(n))) for n, name in enumerate(names)]
    links.append(("Presenter view", keys.join_url(origin, PRESENTER)))
    links.append(("Learners (each on their own)", keys.join_url(origin)))
    command = [sys.executable, "-m", "mltcourse", "--content", str(root), "serve", "--no-roster"]
    command += ["--data-dir", str(data), "--host", args.host]
    command += ["--port", str(args.port), "--scenario", scenario, "--teams", ",".join(names)]
    if args.public_url:
        command += ["--public-url", args.public_url]
    data.mkdir(parents=True, exist_ok=True)
    log = data / "serve.log"
    environment = dict(os.environ, **{SECRET_ENV: secret})
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,  # the terminal's Ctrl+C is the console's, not the server's
        )
    served = ServedExercise(process, links, log)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # listening once it has printed its links
        if served.failure() is not None:
            raise UsageError(f"the exercise's server did not start: {served.failure()}")
        if "?join=" in log.read_text(encoding="utf-8", errors="replace"):
            return served
        time.sleep(0.1)
    served.stop()
    raise UsageError(f"the exercise's server did not start within 10 s (see {log})")


def add_address_options(parser) -> None:
    """Where a classroom server listens and the address browsers use (serve, facilitate)."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: loopback)"
    )
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address students' browsers use, e.g. http://192.168.1.20:8000 "
        "(required with a --host beyond loopback)",
    )


def add_serve_parser(sub, data_dir_option) -> None:
    p = sub.add_parser(
        "serve",
        help="the app in students' browsers, behind a join link (a process per connection)",
    )
    add_address_options(p)
    p.add_argument(
        "--max-sessions",
        type=int,
        default=45,
        metavar="N",
        help="browsers connected at once (default 45)",
    )
    p.add_argument("--scenario", help="with --teams: serve this exercise's team devices")
    p.add_argument(
        "--teams",
        metavar="A,B,C",
        help="with --scenario: a join link per team and one for the presenter",
    )
    p.add_argument(
        "--no-roster", action="store_true", help="do not show the class in this terminal"
    )
    data_dir_option(p)
