"""Cold whole-course lint, run by hand: python benchmarks/bench_lint_cold.py [--against SRC]

"Cold" means no analysis cache: each measurement runs in a fresh process with an empty
MLTCOURSE_CACHE_DIR, as an author's first lint after a change to the engine would. Figures,
all from the same run:
  * lint of the bundled course on one process (the floor) and on the two the command uses;
  * with --against SRC (the ``src`` folder of another checkout, e.g. an older commit made
    with ``git worktree add``), that code's lint of the same course, one process as it was.
Wall time is the best of --repeat runs; CPU time is that of the whole process tree.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_CHILD = """
import json, os, resource, sys, time
started = time.perf_counter()
from pathlib import Path
from mltcourse.content.loader import load_course
from mltcourse.engine.lint import lint_course
course = load_course(Path(sys.argv[1]))
workers = int(sys.argv[2])
warnings = lint_course(course, workers=workers) if workers else lint_course(course)
wall = time.perf_counter() - started
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"wall": wall, "cpu": cpu, "warnings": len(warnings)}))
"""


def cold_lint(src: Path, workers: int) -> dict:
    """One cold lint in a fresh process: wall and CPU seconds and the warning count."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "MLTCOURSE_CACHE_DIR": cache, "PYTHONPATH": str(src)}
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(REPO), str(workers)],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(src: Path, workers: int, repeat: int) -> dict:
    runs = [cold_lint(src, workers) for _ in range(repeat)]
    return min(runs, key=lambda r: r["wall"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, metavar="SRC", help="another checkout's src")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    one = best(REPO / "src", 1, args.repeat)
    two = best(REPO / "src", 2, args.repeat)
    assert one["warnings"] == two["warnings"], (one, two)
    print(f"cold lint, 1 process:  {one['wall']:6.2f} s wall, {one['cpu']:6.2f} s CPU")
    print(
        f"cold lint, 2 processes: {two['wall']:6.2f} s wall, {two['cpu']:6.2f} s CPU; "
        f"{two['wall'] / one['wall']:.2f}x the one-process time"
    )
    if args.against:
        old = best(args.against, 0, args.repeat)
        print(
            f"cold lint, {args.against}: {old['wall']:6.2f} s wall, {old['cpu']:6.2f} s CPU; "
            f"now {two['wall'] / old['wall']:.2f}x that time ({two['cpu'] / old['cpu']:.2f}x "
            "the CPU)"
        )


if __name__ == "__main__":
    main()
