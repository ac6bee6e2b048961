"""A served app writes only in the class's exports (and the store's own files and cache).

The policy is checked in-process; the audit hook, which cannot be removed once installed, in
a subprocess of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mltcourse.serving.guard import APP_FILES, WritePolicy


def folders(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    for folder in (data / "exports", data / "cache"):
        folder.mkdir(parents=True)
    return data, data / "exports"


def test_the_policy_allows_exports_cache_and_the_store_only(tmp_path):
    data, exports = folders(tmp_path)
    policy = WritePolicy(data)
    for allowed in (
        exports / "aar-x.md",
        exports / "new-folder" / "aar-x.html",
        data / "cache" / "course-1.json",
        data / "progress.sqlite3",
        data / "progress.sqlite3-wal",
        data / "progress.sqlite3.corrupt-20250101-000000",
        data / "errors.log",
        os.devnull,
    ):
        assert policy.allows(allowed), allowed
    for refused in (
        data / "notes.txt",
        data / "exercises" / "exercise-1" / "aar-x.md",  # the hot-wash's own default
        exports / ".." / "escape.md",
        tmp_path / "elsewhere.md",
        Path.home() / "aar-x.md",
        "/etc/passwd",
    ):
        assert not policy.allows(refused), refused
    assert not policy.allows(data)  # no writing the folder itself...
    assert policy.allows(data, folder=True)  # ...but the store's mkdir(exist_ok=True) is fine
    assert not policy.allows(tmp_path, folder=True)


def test_the_app_s_error_log_is_one_of_its_own_files():
    guard = pytest.importorskip("mltcourse.tui.guard")
    assert guard.LOG_NAME in APP_FILES


def test_links_and_relative_paths_cannot_lead_out(tmp_path, monkeypatch):
    data, exports = folders(tmp_path)
    (exports / "out").symlink_to(tmp_path)
    policy = WritePolicy(data)
    assert not policy.allows(exports / "out" / "aar-x.md")
    monkeypatch.chdir(exports)
    assert policy.allows("aar-x.md") and not policy.allows("../../aar-x.md")
    handle = os.open(tmp_path, os.O_RDONLY)
    try:
        assert not policy.allows("aar-x.md", dir_fd=handle)
    finally:
        os.close(handle)
    assert policy.allows(3)  # an open descriptor: its opening was checked


TRIES = r"""
import json, os, shutil, subprocess, sys
from pathlib import Path
from mltcourse.serving.guard import install
data = Path(sys.argv[1]); outside = Path(sys.argv[2])
install(data)
exports = data / "exports"
tries = {
    "write in exports": lambda: (exports / "aar.md").write_text("ok"),
    "folder in exports": lambda: (exports / "a" / "b").mkdir(parents=True),
    "write in cache": lambda: (data / "cache" / "c.json").write_text("{}"),
    "store file": lambda: (data / "progress.sqlite3-journal").write_bytes(b""),
    "data folder mkdir": lambda: data.mkdir(parents=True, exist_ok=True),
    "read outside": lambda: (outside / "existing.txt").read_text(),
    "write outside": lambda: (outside / "aar.md").write_text("no"),
    "append outside": lambda: open(outside / "existing.txt", "a").write("no"),
    "os.open outside": lambda: os.open(outside / "x", os.O_WRONLY | os.O_CREAT),
    "folder outside": lambda: (outside / "made").mkdir(),
    "write in data": lambda: (data / "exercises.md").write_text("no"),
    "rename out": lambda: os.replace(exports / "aar.md", outside / "moved.md"),
    "remove outside": lambda: os.remove(outside / "existing.txt"),
    "copy out": lambda: shutil.copyfile(exports / "aar.md", outside / "copy.md"),
    "start a program": lambda: subprocess.run(["true"]),
    "os.system": lambda: os.system("true"),
}
results = {}
for name, attempt in tries.items():
    try:
        attempt()
        results[name] = "done"
    except PermissionError as exc:
        results[name] = "refused: " + str(exc)
    except OSError as exc:
        results[name] = "error: " + type(exc).__name__
print(json.dumps(results))
"""


def test_the_audit_hook_refuses_writes_outside(tmp_path):
    data, exports = folders(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "existing.txt").write_text("kept")
    run = subprocess.run(
        [sys.executable, "-c", TRIES, str(data), str(outside)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    done = {name for name, result in results.items() if result == "done"}
    assert done == {
        "write in exports",
        "folder in exports",
        "write in cache",
        "store file",
        "data folder mkdir",
        "read outside",
    }, results
    for name in set(results) - done:
        assert results[name].startswith("refused:"), (name, results[name])
    assert "a served app writes only in" in results["write outside"]
    assert sorted(p.name for p in outside.iterdir()) == ["existing.txt"]
    assert (outside / "existing.txt").read_text() == "kept"
    assert not (data / "exercises.md").exists()
    assert "refused to write" in run.stderr  # the server's log hears of each refusal


PROPOSE = r"""
import sys
from pathlib import Path
from mltcourse.serving.child import propose_exports
from mltcourse.tui.screens.exercise_dialogs import ExportDialog
exports = Path(sys.argv[1])
propose_exports(exports)
print(ExportDialog(sys.argv[2], True).folder)
print(ExportDialog(str(exports / "mine"), False).folder)
"""


def test_the_export_dialog_proposes_a_folder_in_exports(tmp_path):
    data, exports = folders(tmp_path)
    default = data / "exercises" / "exercise-3-beyond"  # what the hot-wash proposes
    run = subprocess.run(
        [sys.executable, "-c", PROPOSE, str(exports), str(default)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [str(exports / "exercise-3-beyond"), str(exports / "mine")]


CHILD = r"""
import os, sys
import mltcourse.cli
from mltcourse.serving import child
def app(argv):  # stands in for the app: where it runs, and a write it should not make
    print(os.getcwd(), argv)
    open(sys.argv[1], "w").write("no")
mltcourse.cli.main = app
child.main(["--content", "course", "--data-dir", sys.argv[2]])
"""


def test_the_served_child_is_guarded_before_the_app_starts(tmp_path):
    data, exports = folders(tmp_path)
    target = tmp_path / "outside.txt"
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(target), str(data)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0 and "PermissionError" in run.stderr
    assert f"mltcourse serve: refused to write {target}" in run.stderr
    assert run.stdout.startswith(f"{exports.resolve()} ['--content', 'course', '--data-dir'")
    assert not target.exists()
