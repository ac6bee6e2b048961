"""The functional core stays free of Textual, and the shipped schema files stay generated."""

import json
import subprocess
import sys

import pytest

from helpers import REPO
from mltcourse.content.loader import load_course
from mltcourse.content.schema import FILE_SCHEMAS, json_schema

CORE = [
    "mltcourse.content.loader",
    "mltcourse.engine.lint",
    "mltcourse.engine.analysis",
    "mltcourse.engine.playtest",
    "mltcourse.engine.graph",
    "mltcourse.engine.coverage",
    "mltcourse.reports.debrief",
    "mltcourse.store",
    "mltcourse.cli",
    "mltcourse.lsp.server",
    "mltcourse.lsp.lint_worker",
]


def test_core_and_author_tools_do_not_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "import pkgutil, mltcourse.store, mltcourse.reports\n"
        "for pkg in (mltcourse.store, mltcourse.reports):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + info.name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_author_commands_do_not_load_the_app():
    code = (
        "import sys\nfrom mltcourse.cli import main\n"
        "main(['validate'])\nmain(['list', '--json'])\nmain(['coverage'])\n"
        "main(['play', 'hearts-and-minds', '--policy', 'best'])\n"
        "sys.stdout = sys.__stdout__\n"
        "print('TEXTUAL' if any(m.startswith('textual') for m in sys.modules) else 'CLEAN')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip().endswith("CLEAN")


@pytest.mark.parametrize("kind", sorted(FILE_SCHEMAS))
def test_shipped_json_schemas_match_the_schema(kind):
    """The shipped schemas are the ones written for the shipped course, its ids included."""
    shipped = json.loads((REPO / "schema" / f"{kind}.schema.json").read_text())
    course = load_course(REPO)
    assert shipped == json_schema(kind, course), "run: mltcourse schema --write schema"


def loaded_by(module: str, candidates: list[str]) -> list[str]:
    """Which of ``candidates`` importing ``module`` loads, in a fresh interpreter."""
    code = (
        f"import json, sys, {module}\n"
        f"print(json.dumps([m for m in {candidates!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_first_screen_does_not_wait_for_the_course_model():
    """The map is drawn from the course outline; the model, the condition compiler and the
    lesson screen are imported only when the course loads behind it."""
    heavy = [
        "mltcourse.content.model",
        "mltcourse.content.conditions",
        "mltcourse.content.lessons",
        "mltcourse.tui.screens.lesson",
        "markdown_it",
    ]
    assert loaded_by("mltcourse.tui.app", heavy) == []


def test_the_command_line_imports_only_the_command_it_runs():
    """`mltcourse` (the app) must not pay for the loader, engine and reports of the author
    tools before its first screen; each command's module is imported when it runs."""
    heavy = [
        "mltcourse.commands.author",
        "mltcourse.commands.learner",
        "mltcourse.commands.trainer",
        "mltcourse.content.loader",
        "yaml",
    ]
    assert loaded_by("mltcourse.cli", heavy) == []
    assert loaded_by("mltcourse.commands.author", heavy)  # the check itself can see them
