"""The language server's lint run, in a process of its own.

Reads ``{"root", "extra", "overrides"}`` as JSON on standard input, checks the course with the
buffers in place of their files, and writes the linter's warnings as a JSON list.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..content.loader import load_course
from ..engine.lint import lint_course


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    overrides = {Path(path): text for path, text in request["overrides"].items()}
    course = load_course(Path(request["root"]), [Path(p) for p in request["extra"]], overrides)
    warnings = lint_course(course)
    json.dump([{**w.as_json(), "severity": w.severity} for w in warnings], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
