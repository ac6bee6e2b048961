"""`mltcourse lsp` over the protocol: a real client talks to the server in a subprocess."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from helpers import copy_course

TIMEOUT = 30.0


class Editor:
    """A language client standing in for an editor, recording the diagnostics it is sent."""

    def __init__(self, root: Path):
        self.root = root
        self.client = LanguageClient("test-editor", "1")
        self.diagnostics: dict[str, types.PublishDiagnosticsParams] = {}
        self.arrived = asyncio.Event()
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params
            self.arrived.set()

    async def start(self, **options) -> None:
        script = Path(sys.executable).parent / "mltcourse"
        command = [str(script)] if script.exists() else [sys.executable, "-m", "mltcourse"]
        env = {**os.environ, "MLTCOURSE_CONTENT": ""}
        await self.client.start_io(*command, "lsp", cwd=str(self.root), env=env)
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=self.root.as_uri(),
                initialization_options={"debounce": 0.05, "lint": False, **options},
            )
        )
        self.client.initialized(types.InitializedParams())

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    def uri(self, relative: str) -> str:
        return (self.root / relative).resolve().as_uri()

    def open(self, relative: str, text: str | None = None) -> str:
        uri = self.uri(relative)
        text = (self.root / relative).read_text() if text is None else text
        self.versions[uri] = 1
        language = "markdown" if relative.endswith(".md") else "yaml"
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
            )
        )
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def diagnostics_for(self, uri: str, until=lambda found: True):
        """The diagnostics last published for ``uri`` once ``until`` accepts them."""

        async def wait():
            while True:
                published = self.diagnostics.get(uri)
                if published is not None and until(list(published.diagnostics)):
                    return list(published.diagnostics)
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(wait(), TIMEOUT)

    def position(self, uri: str, text: str, needle: str, offset: int = 0) -> types.Position:
        index = text.index(needle) + offset
        line = text.count("\n", 0, index)
        return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))

    async def complete(self, uri: str, text: str, needle: str, offset: int) -> list[str]:
        result = await self.client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=self.position(uri, text, needle, offset),
            )
        )
        items = result.items if isinstance(result, types.CompletionList) else result or []
        return [item.label for item in items]

    async def hover(self, uri: str, text: str, needle: str, offset: int = 1):
        return await self.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=self.position(uri, text, needle, offset),
            )
        )

    async def definition(self, uri: str, text: str, needle: str, offset: int = 1):
        return await self.client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=self.position(uri, text, needle, offset),
            )
        )


@pytest.fixture
async def editor(tmp_path):
    root = copy_course(tmp_path)
    session = Editor(root)
    await session.start()
    yield session
    await session.stop()


SCENARIO = "scenarios/crossroads.yaml"


def messages(found) -> list[str]:
    return [d.message for d in found]


async def test_diagnostics_follow_the_buffer_not_the_file(editor):
    text = (editor.root / SCENARIO).read_text()
    uri = editor.open(SCENARIO)
    assert await editor.diagnostics_for(uri) == []

    broken = text.replace("next: second", "next: secnd", 1)
    editor.change(uri, broken)
    found = await editor.diagnostics_for(uri, lambda d: bool(d))
    assert len(found) == 1 and found[0].message.startswith("unknown scene 'secnd'")
    where = editor.position(uri, broken, "secnd")
    assert found[0].range.start == where
    assert found[0].range.end == types.Position(where.line, where.character + len("secnd"))
    assert found[0].severity == types.DiagnosticSeverity.Error
    assert (editor.root / SCENARIO).read_text() == text  # nothing was saved

    editor.change(uri, text)
    assert await editor.diagnostics_for(uri, lambda d: d == []) == []


async def test_an_open_buffer_changes_what_other_files_are_checked_against(editor):
    catalogue = "modules/principles.yaml"
    text = (editor.root / catalogue).read_text()
    editor.open(catalogue, text.replace("id: rights", "id: human-rights"))
    scenario_uri = editor.uri(SCENARIO)  # not open: read from disk
    found = await editor.diagnostics_for(scenario_uri, lambda d: bool(d))
    assert len(found) == 3
    assert all(m.startswith("unknown principle 'rights'") for m in messages(found))


async def test_a_half_typed_file_gets_a_syntax_error_and_completion_still_works(editor):
    text = (editor.root / SCENARIO).read_text()
    uri = editor.open(SCENARIO)
    await editor.diagnostics_for(uri)
    half = text.replace("effects: {trust: 10, security: -5}\n", "effects: {tr\n", 1)
    half = half.replace("next: second", "next: ", 1)
    editor.change(uri, half)
    found = await editor.diagnostics_for(uri, lambda d: bool(d))
    assert messages(found)[0].startswith("YAML syntax:")
    labels = await editor.complete(uri, half, "next: \n", len("next: "))
    assert {"first", "second", "third", "end"} <= set(labels)
    assert "coordination" not in labels


async def test_completion_offers_the_ids_each_place_takes(editor):
    text = (editor.root / SCENARIO).read_text()
    uri = editor.open(SCENARIO)
    principles = await editor.complete(uri, text, "principles: {coordination", len("principles: {"))
    assert set(principles) == {"ownership", "coordination", "rights"}
    risks = await editor.complete(uri, text, "raises: [basics.gap]", len("raises: ["))
    assert set(risks) == {"basics.gap", "basics.backlash"}
    sections = await editor.complete(uri, text, "section: basics#why", len("section: basics#"))
    assert {"basics#why-it-matters", "basics#who-leads", "basics#risks"} <= set(sections)
    assert all(label.startswith("basics#") for label in sections)
    names = await editor.complete(uri, text, "when: trust >= 60", len("when: tr"))
    assert {"trust", "security", "went_alone", "and", "not"} <= set(names)
    indicators = await editor.complete(
        uri, text, "effects: {trust: 10, security", len("effects: {")
    )
    assert set(indicators) == {"trust", "security"}
    flags = await editor.complete(uri, text, "flags: {went_alone", len("flags: {"))
    assert flags == ["went_alone"]
    modules = await editor.complete(uri, text, "module: basics", len("module: "))
    assert modules == ["basics"]
    assert await editor.complete(uri, text, "text: A first choice.", len("text: A ")) == []


async def test_completion_in_a_module_and_a_lesson(editor):
    module = "modules/01-basics/module.yaml"
    text = (editor.root / module).read_text()
    uri = editor.open(module)
    assert {"ownership", "coordination", "rights"} == set(
        await editor.complete(uri, text, "principles: [ownership", len("principles: [own"))
    )
    listed = text.replace("principles: [ownership, coordination, rights]", "principles:\n  - ")
    editor.change(uri, listed)
    labels = await editor.complete(uri, listed, "principles:\n  - ", len("principles:\n  - "))
    assert {"ownership", "coordination", "rights"} == set(labels)
    lesson = "modules/01-basics/lesson.md"
    lesson_text = (editor.root / lesson).read_text()
    lesson_uri = editor.open(lesson)
    labels = await editor.complete(lesson_uri, lesson_text, "(lesson:basics#risks)", 8)
    assert "basics#risks" in labels and "basics#why-it-matters" in labels


async def test_hover_shows_what_an_id_stands_for(editor):
    text = (editor.root / SCENARIO).read_text()
    uri = editor.open(SCENARIO)
    principle = await editor.hover(uri, text, "coordination: 2")
    assert "Partners plan together" in principle.contents.value
    assert "**Coordination**" in principle.contents.value
    risk = await editor.hover(uri, text, "basics.gap")
    assert "Capacity gap" in risk.contents.value and "Nobody is ready" in risk.contents.value
    section = await editor.hover(uri, text, "basics#why-it-matters")
    assert "Why it matters" in section.contents.value
    scene = await editor.hover(uri, text, "next: second", len("next: s"))
    assert "Second" in scene.contents.value
    assert await editor.hover(uri, text, "title: Crossroads", 8) is None


async def test_definition_jumps_to_where_an_id_is_defined(editor):
    text = (editor.root / SCENARIO).read_text()
    uri = editor.open(SCENARIO)
    scene = await editor.definition(uri, text, "next: second", len("next: s"))
    assert scene.uri == uri
    assert scene.range.start == editor.position(uri, text, "  second:\n", 2)

    section = await editor.definition(uri, text, "basics#why-it-matters")
    lesson = editor.root / "modules/01-basics/lesson.md"
    assert Path(section.uri[len("file://") :]) == lesson.resolve()
    heading = lesson.read_text().splitlines().index("## Why it matters")
    assert section.range.start.line == heading

    principle = await editor.definition(uri, text, "ownership: -1")
    catalogue = (editor.root / "modules/principles.yaml").read_text()
    assert principle.uri.endswith("modules/principles.yaml")
    assert principle.range.start == editor.position("", catalogue, "ownership")

    risk = await editor.definition(uri, text, "basics.backlash")
    module = (editor.root / "modules/01-basics/module.yaml").read_text()
    assert risk.range.start == editor.position("", module, "backlash")


async def test_lint_warnings_arrive_on_save(tmp_path):
    root = copy_course(tmp_path)
    session = Editor(root)
    await session.start(lint=True, lintDelay=60)
    try:
        text = (root / SCENARIO).read_text()
        short = text.replace(
            "feedback: Consulting keeps partners on board and the roles clear for everyone.",
            "feedback: Fine.",
        )
        uri = session.open(SCENARIO, short)
        session.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        found = await session.diagnostics_for(uri, lambda d: bool(d))
        assert any("feedback is too short" in m for m in messages(found))
        assert all(d.severity == types.DiagnosticSeverity.Warning for d in found)
    finally:
        await session.stop()


async def test_a_scenario_outside_the_course_is_checked_against_the_workspace_course(tmp_path):
    root = copy_course(tmp_path)
    elsewhere = tmp_path / "drafts" / "draft.yaml"
    elsewhere.parent.mkdir()
    shutil.copy(root / SCENARIO, elsewhere)
    session = Editor(root)
    await session.start()
    try:
        text = elsewhere.read_text().replace("id: crossroads", "id: draft")
        text = text.replace("basics.gap]", "basics.nothing]", 1)
        uri = session.open(str(elsewhere), text)
        found = await session.diagnostics_for(uri, lambda d: bool(d))
        assert len(found) == 1 and found[0].message.startswith("unknown risk 'basics.nothing'")
    finally:
        await session.stop()
