"""Cold whole-course lint, run by hand: python benchmarks/bench_lint_cold.py [--against SRC]

"Cold" means no analysis cache: each measurement runs in a fresh process with an empty
MLTCOURSE_CACHE_DIR, as an author's first lint after a change to the engine would. Figures,
all from the same run:
  * lint of the bundled course on one process (the floor) and on the two the command uses;
  * with --against SRC (the ``src`` folder of another checkout, e.g. an older commit made
    with ``git worktree add``), that code's lint of the same course, one process as it was;
  * with --scenarios, the analysis of each scenario alone (CPU seconds, distinct states, and
    whether it was searched in groups or state by state), largest first.
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


_PER_SCENARIO = """
import json, sys, time
from pathlib import Path
from mltcourse.content.loader import load_course
from mltcourse.engine.analysis import analyse
from mltcourse.engine.compiled import Compiled
from mltcourse.engine.cuts import Partition
out = []
for scenario in load_course(Path(sys.argv[1])).scenarios.values():
    started = time.process_time()
    states = analyse(scenario).states
    grouped = Partition(Compiled(scenario)).applies
    out.append([scenario.id, time.process_time() - started, states, grouped])
print(json.dumps(out))
"""


def per_scenario() -> list[list]:
    """[id, CPU seconds, states, grouped] per scenario, each analysed once in a fresh process."""
    return _child_json(_PER_SCENARIO, {"PYTHONPATH": str(REPO / "src")}, str(REPO))


def _child_json(code: str, env: dict[str, str], *args: str):
    """Run ``code`` in a fresh Python with ``env`` added; the JSON of its last output line."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold_lint(src: Path, workers: int) -> dict:
    """One cold lint in a fresh process: wall and CPU seconds and the warning count."""
    with tempfile.TemporaryDirectory() as cache:
        env = {"MLTCOURSE_CACHE_DIR": cache, "PYTHONPATH": str(src)}
        return _child_json(_CHILD, env, str(REPO), str(workers))


def best(src: Path, workers: int, repeat: int) -> dict:
    runs = [cold_lint(src, workers) for _ in range(repeat)]
    return min(runs, key=lambda r: r["wall"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, metavar="SRC", help="another checkout's src")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--scenarios", action="store_true", help="each scenario's analysis")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    if args.scenarios:
        for sid, cpu, states, grouped in sorted(per_scenario(), key=lambda row: -row[1]):
            how = "in groups" if grouped else "state by state"
            print(f"  {sid:28} {cpu:6.2f} s CPU, {states:>9,} states, {how}")
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
