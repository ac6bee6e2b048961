"""``mltcourse lsp``: a language server for course files, over standard input and output.

Diagnostics as you type (the validator's on the buffer in the context of the rest of the
course, after a short pause; the linter's on save or after a longer pause), completion of the
ids a place can take, hover with what an id stands for, and go to definition. It never loads
the app; a request it cannot answer (a half-typed file) gets an empty answer, never an error.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from . import answers
from .checking import absolute, by_file, run_lint, to_lsp
from .course import Courses, CourseView
from .cursor import slot_at

log = logging.getLogger("mltcourse.lsp")
TRIGGERS = [" ", "#", ".", "[", "{", ","]


class CourseServer(LanguageServer):
    """The server, with its course views and the checks waiting or running for each."""

    def __init__(self) -> None:
        super().__init__("mltcourse", __version__)
        self.debounce = 0.25  # seconds of quiet before the buffer is checked
        self.lint_delay = 5.0  # seconds of quiet before the linter runs (it also runs on save)
        self.lint_enabled = True
        self._courses: Courses | None = None
        self._checks: dict[Path, asyncio.Task] = {}
        self._lints: dict[Path, asyncio.Task] = {}
        self._errors: dict[Path, dict[Path, list]] = {}  # root -> file -> validator findings
        self._warnings: dict[Path, dict[Path, list]] = {}  # root -> file -> linter findings
        self._published: dict[Path, set[Path]] = {}
        self._uris: dict[Path, str] = {}  # resolved path -> the uri the editor opened it by
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mltcourse-check")

    @property
    def courses(self) -> Courses:
        if self._courses is None:
            root = self.workspace.root_path
            self._courses = Courses(Path(root) if root else None)
        return self._courses

    def document(self, uri: str):
        """The open document, its resolved path and the course view it belongs to."""
        doc = self.workspace.get_text_document(uri)
        path = absolute(to_fs_path(uri) or doc.path)
        return doc, path, self.courses.view_for(path)

    def schedule(self, view: CourseView, lint_now: bool = False) -> None:
        """Check the course after a pause (cancelling a check still waiting), then lint."""
        root = view.root
        for waiting in (self._checks.get(root), self._lints.get(root)):
            if waiting is not None:
                waiting.cancel()
        self._checks[root] = asyncio.ensure_future(self._check(view, self.debounce))
        if self.lint_enabled:
            delay = 0.0 if lint_now else self.lint_delay
            self._lints[root] = asyncio.ensure_future(self._lint(view, delay))

    async def _check(self, view: CourseView, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            buffers = dict(view.buffers)
            view.remember(buffers)
            loop = asyncio.get_running_loop()
            course = await loop.run_in_executor(self._executor, view.validate, buffers)
            self._errors[view.root] = by_file(course.diagnostics)
            self.publish(view)
        except Exception:  # the next keystroke checks again; the editor carries on
            log.exception("mltcourse lsp: checking %s failed", view.root)

    async def _lint(self, view: CourseView, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            buffers = dict(view.buffers)
            found = await run_lint(view.root, view.extra(buffers), buffers)
            if found is not None:
                self._warnings[view.root] = by_file(found)
                self.publish(view)
        except Exception:
            log.exception("mltcourse lsp: linting %s failed", view.root)

    def forget_warnings(self, view: CourseView, path: Path) -> None:
        """A changed file's lint warnings no longer stand where they were: drop them."""
        self._warnings.get(view.root, {}).pop(path, None)

    def publish(self, view: CourseView) -> None:
        """Send the findings of every open file and every file with some, and empty lists to
        files whose findings are gone."""
        errors = self._errors.get(view.root, {})
        warnings = self._warnings.get(view.root, {})
        files = set(errors) | set(warnings)
        codec = self.workspace.position_codec
        for path in files | self._published.get(view.root, set()) | set(view.buffers):
            lines = (view.text(path) or "").splitlines(True)
            found = errors.get(path, []) + warnings.get(path, [])
            uri = self._uris.get(path) or path.as_uri()
            version = None
            if uri in self.workspace.text_documents:
                version = self.workspace.get_text_document(uri).version
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri, diagnostics=[to_lsp(d, lines, codec) for d in found], version=version
                )
            )
        self._published[view.root] = files


server = CourseServer()


def _safe(handler):
    """An answer or nothing: a failure is logged, never sent to the editor as an error."""

    @functools.wraps(handler)
    def run(ls: CourseServer, params):
        try:
            return handler(ls, params)
        except Exception:  # a bug of ours must not take the author's editor down with it
            log.exception("mltcourse lsp: %s failed", handler.__name__)
            return None

    return run


@server.feature(types.INITIALIZE)
@_safe
def initialize(ls: CourseServer, params: types.InitializeParams) -> None:
    options = params.initialization_options or {}
    if isinstance(options, dict):
        ls.debounce = float(options.get("debounce", ls.debounce))
        ls.lint_delay = float(options.get("lintDelay", ls.lint_delay))
        ls.lint_enabled = bool(options.get("lint", ls.lint_enabled))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@_safe
def did_open(ls: CourseServer, params: types.DidOpenTextDocumentParams) -> None:
    doc, path, view = ls.document(params.text_document.uri)
    ls._uris[path] = params.text_document.uri
    view.open(path, doc.source)
    view.remember({path: doc.source})
    ls.schedule(view)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@_safe
def did_change(ls: CourseServer, params: types.DidChangeTextDocumentParams) -> None:
    doc, path, view = ls.document(params.text_document.uri)
    view.open(path, doc.source)
    ls.forget_warnings(view, path)
    ls.schedule(view)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@_safe
def did_save(ls: CourseServer, params: types.DidSaveTextDocumentParams) -> None:
    _, _, view = ls.document(params.text_document.uri)
    ls.schedule(view, lint_now=True)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@_safe
def did_close(ls: CourseServer, params: types.DidCloseTextDocumentParams) -> None:
    path = absolute(to_fs_path(params.text_document.uri) or "")
    view = ls.courses.view_for(path)
    view.close(path)
    ls._uris.pop(path, None)
    ls.schedule(view)


def _place(ls: CourseServer, params):
    """The document, its view, the cursor's line and column, and the slot there."""
    doc, path, view = ls.document(params.text_document.uri)
    lines = doc.lines
    at = doc.position_from_client_units(params.position)
    text_lines = [line.rstrip("\r\n") for line in lines]
    slot = slot_at(text_lines, at.line, at.character, markdown=path.suffix == ".md")
    return doc, path, view, lines, at, slot


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS)
)
@_safe
def completion(ls: CourseServer, params: types.CompletionParams):
    doc, path, view, lines, at, slot = _place(ls, params)
    if slot is None:
        return types.CompletionList(is_incomplete=False, items=[])
    items = answers.completion(
        slot, view.symbols(path), doc.position_codec, lines, at.line, at.character
    )
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@_safe
def hover(ls: CourseServer, params: types.HoverParams):
    doc, path, view, lines, at, slot = _place(ls, params)
    if slot is None:
        return None
    return answers.hover(slot, view.symbols(path), doc.position_codec, lines, at.line)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@_safe
def definition(ls: CourseServer, params: types.DefinitionParams):
    doc, path, view, lines, at, slot = _place(ls, params)
    if slot is None:
        return None
    return answers.definition(slot, view.symbols(path), doc.position_codec, view.text)


def serve() -> int:
    """Run the server on standard input and output until the editor says exit."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # The protocol owns standard output: a stray print must not corrupt it.
    sys.stdout = sys.stderr
    server.start_io(stdin, stdout)
    return 0
