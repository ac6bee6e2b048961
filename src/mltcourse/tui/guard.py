"""The last line of defence: an error nobody foresaw does not end the learner's session.

Textual 8.2.8 has no public hook for errors. Every exception that escapes a message handler,
an action, ``compose`` or ``on_mount``, a timer, a callback or a worker (``exit_on_error``)
reaches ``App._handle_exception``, which always exits and prints a traceback with local
variables; overriding that method is the one way in. ``CourseApp`` does, and hands the error
to ``Guard.absorb``: it keeps Textual's note of the first error (so that ``run_test`` still
raises it and tests still fail), writes the traceback to ``errors.log`` in the data folder,
and shows ``TroubleScreen``: a plain message, progress kept (the store has committed every
answer and decision, or holds them in memory), and the way back to the map. The traceback is
shown only with ``MLTCOURSE_DEBUG`` set. An error before the app is mounted (nothing to go
back to) ends it with a plain message; one while it closes is only logged.

Overriding alone is not enough (the app hangs: Textualize/textual#2818), because Textual
stops the message loop of the node whose handler raised. A screen or widget that stopped is
left behind: the way back opens a fresh map over everything. The app's own loop must not stop
(every key passes through it), so the app also catches what its own handlers raise
(``CourseApp._dispatch_message``) and sends it here. Errors that keep coming (more than
``BURST`` in ``BURST_SECONDS``) end the app, with a plain message.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.worker import WorkerFailed

from .text import literal

if TYPE_CHECKING:
    from .app import CourseApp

DEBUG_VARIABLE = "MLTCOURSE_DEBUG"
LOG_NAME = "errors.log"
LOG_LIMIT = 256 * 1024  # a log that grew past this starts again
BURST = 5
BURST_SECONDS = 10.0


def debugging() -> bool:
    """As the command line reads it (cli._guarded): set to anything, it shows tracebacks."""
    return bool(os.environ.get(DEBUG_VARIABLE))


def _details(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip()


class TroubleScreen(ModalScreen[None]):
    """What went wrong, in plain words, and the way on: ``answer(True)`` back to the map,
    ``answer(False)`` quit. Called directly, not as a result callback: that would run on
    the screen below, which may be the one that stopped."""

    AUTO_FOCUS = "#to-map"
    BINDINGS = [
        Binding("enter,escape,m", "answer(True)", "Back to the map"),
        Binding("q", "answer(False)", "Quit"),
    ]

    def __init__(self, message: str, details: str | None, answer: Callable[[bool], None]):
        super().__init__()
        self.message = message
        self.details = details
        self.answer = answer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="trouble"):
            yield Static(literal("Something went wrong", "bold $error"), classes="dialog-title")
            yield Static(literal(self.message), id="trouble-message")
            if self.details:
                with VerticalScroll(id="trouble-details"):
                    yield Static(literal(self.details, "$text-muted"))
            with Horizontal(classes="dialog-buttons"):
                yield Button(literal("Back to the map (m)"), variant="primary", id="to-map")
                yield Button(literal("Quit (q)"), id="quit")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.answer(event.button.id == "to-map")

    def action_answer(self, to_map: bool) -> None:
        self.answer(to_map)


class Guard:
    """Takes the app's unexpected errors: logs them, tells the learner, offers the map."""

    def __init__(self, app: CourseApp) -> None:
        self.app = app
        self.armed = False  # once the app is mounted; before, an error ends the app (plainly)
        self.failures: list[BaseException] = []  # every error absorbed, for tests and the log
        self._recent: list[float] = []
        self._showing = False

    @property
    def log_path(self) -> Path:
        return self.app.data_dir / LOG_NAME

    def absorb(self, error: BaseException) -> bool:
        """Deal with ``error`` without a traceback; False leaves it to Textual (which exits
        with one): only with MLTCOURSE_DEBUG=1, for an error before the first screen or
        while the app closes."""
        app = self.app
        closing = bool(app._exit or app._closing or app._closed)
        if debugging() and (closing or not self.armed):
            return False
        if isinstance(error, WorkerFailed):
            error = error.error
        if app._exception is None:  # Textual's own note, which run_test re-raises
            app._exception = error
            app._exception_event.set()
        self.failures.append(error)
        details = _details(error)
        logged = self._log(details)
        if closing:
            return True  # the learner is leaving anyway: logged, not shown
        now = time.monotonic()
        self._recent = [t for t in self._recent if now - t < BURST_SECONDS] + [now]
        if not self.armed or len(self._recent) > BURST:
            app.exit(return_code=1, message=self._stop_message(logged, details))
        elif not self._showing:
            self._showing = True
            app.call_later(self._tell, self._message(logged), details if debugging() else None)
        return True

    def _log(self, details: str) -> Path | None:
        """Append the traceback to errors.log; None if the data folder will not take it."""
        path = self.log_path
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        try:
            fresh = not path.is_file() or path.stat().st_size > LOG_LIMIT
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w" if fresh else "a", encoding="utf-8") as log:
                log.write(f"--- {stamp}\n{details}\n")
        except (OSError, ValueError):
            return None
        return path

    def _progress(self) -> str:
        store = self.app.store
        if store is not None and not store.saving:
            return "Your progress is kept in memory until mltcourse closes (it cannot be saved)."
        return "Your progress is saved."

    def _message(self, logged: Path | None) -> str:
        where = f" The details are in {logged}." if logged else ""
        return (
            "This was a fault in mltcourse, not something you did. "
            f"{self._progress()}{where}\n\n"
            "Enter goes back to the course map; q quits."
        )

    def _stop_message(self, logged: Path | None, details: str) -> str:
        what = "after repeated errors" if self.armed else "while starting, on an error"
        parts = [f"mltcourse stopped {what}.", self._progress()]
        if logged:
            parts.append(f"The details are in {logged}.")
        if debugging():
            parts.append("\n" + details)
        return " ".join(parts)

    def _tell(self, message: str, details: str | None) -> None:
        self.app.push_screen(TroubleScreen(message, details, self._answered))

    def _answered(self, to_map: bool) -> None:
        if not self._showing:
            return  # answered already (two keys typed fast)
        self._showing = False
        if to_map:
            self.back_to_map()
        else:
            self.app.exit()

    def back_to_map(self) -> None:
        """Close every screen and open a fresh map over the first one: whichever stopped,
        that map included, is left behind (Textual cannot replace the bottom screen)."""
        from .screens.course_map import CourseMapScreen

        app = self.app
        while len(app.screen_stack) > 1:
            app.pop_screen()
        app.push_screen(CourseMapScreen())
