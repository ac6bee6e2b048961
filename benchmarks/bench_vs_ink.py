"""Random playtest against the peer, run by hand: python benchmarks/bench_vs_ink.py

Ink (inkle's narrative language) is the nearest interactive-fiction peer; its JavaScript
runtime, inkjs, comes from npm. Both play the same generated 200-scene story with three
choices a scene (effects on two indicators, a conditional choice, a flag and an inject that
fires once), uniformly at random, in one run: mltcourse's ``random_playtest`` with full
scoring (principles, decision quality, risks, coverage) against inkjs's Story runtime making
the same kind of plays. The figure is the ratio of playthroughs per second.

inkjs is installed (pinned in benchmarks/ink/package.json) into a temporary folder; when
node or the npm registry cannot be reached the benchmark says so and stops.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_author_tools import copies, generated_scenario  # noqa: E402

from mltcourse.content.loader import load_course  # noqa: E402
from mltcourse.engine.playtest import random_playtest  # noqa: E402

INK = Path(__file__).resolve().parent / "ink"
RUNS = 20_000
SIMPLE_CONDITION = re.compile(r"^[a-z_]+( (>=|<=|<|>) \d+)?( and (not )?[a-z_]+( [<>]=? \d+)?)*$")


def ink_source(scenario) -> str:
    """The scenario as ink: the same scenes, choices, conditions, effects, flag and inject."""
    low = {name: ind.min for name, ind in scenario.indicators.items()}
    high = {name: ind.max for name, ind in scenario.indicators.items()}
    lines = [f"VAR {name} = {ind.start:g}" for name, ind in scenario.indicators.items()]
    lines += [f"VAR {flag} = false" for flag in sorted(scenario.flags)]
    lines += [f"VAR fired_{i} = false" for i in range(len(scenario.injects))]
    lines += [f"-> {scenario.start}", ""]
    for scene in scenario.scenes.values():
        lines += [f"=== {scene.id} ===", scene.text]
        for choice in scene.choices:
            gate = ""
            if choice.when is not None:
                assert SIMPLE_CONDITION.match(choice.when.source), choice.when.source
                gate = f"{{{choice.when.source}}} "
            lines.append(f"+ {gate}[{choice.text}]")
            for name, delta in choice.effects.items():
                lines.append(
                    f"    ~ {name} = clamp({name} + {delta:g}, {low[name]:g}, {high[name]:g})"
                )
            for flag, value in choice.flags.items():
                lines.append(f"    ~ {flag} = {'true' if value else 'false'}")
            lines.append("    ~ injects()")
            lines.append(f"    -> {'ending' if choice.next == 'end' else choice.next}")
        lines.append("")
    lines += ["=== function injects() ==="]
    for i, inject in enumerate(scenario.injects):
        assert SIMPLE_CONDITION.match(inject.when.source), inject.when.source
        lines.append(f"{{ not fired_{i} and {inject.when.source}:")
        lines.append(f"    ~ fired_{i} = true")
        for name, delta in inject.effects.items():
            lines.append(f"    ~ {name} = clamp({name} + {delta:g}, {low[name]:g}, {high[name]:g})")
        lines.append("}")
    lines += [
        "",
        "=== function clamp(x, lo, hi) ===",
        "{ x < lo:",
        "    ~ return lo",
        "}",
        "{ x > hi:",
        "    ~ return hi",
        "}",
        "~ return x",
        "",
        "=== ending ===",
    ]
    for ending in scenario.endings:
        if ending.when is not None:
            lines.append(f"{{ {ending.when.source}: {ending.text} -> END }}")
        else:
            lines += [ending.text, "-> END"]
    return "\n".join(lines) + "\n"


def install_inkjs(folder: Path) -> str | None:
    """Install the pinned inkjs into ``folder``; the reason it could not be, or None."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node and npm are not installed"
    shutil.copy(INK / "package.json", folder / "package.json")
    shutil.copy(INK / "play.js", folder / "play.js")
    try:
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--fetch-retries=1"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired:
        return "npm install took more than 180 s (is the registry reachable?)"
    if done.returncode != 0:
        first = next((line for line in done.stderr.splitlines() if line.strip()), "no message")
        return f"npm install failed ({first.strip()[:160]}); is the registry reachable?"
    return None


def ink_rate(folder: Path, source: str, runs: int) -> dict:
    (folder / "story.ink").write_text(source, encoding="utf-8")
    done = subprocess.run(
        ["node", "play.js", "story.ink", str(runs)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def mltcourse_rate(scenario, runs: int) -> tuple[float, float]:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        report = random_playtest(scenario, runs, 1)
        best = min(best, time.perf_counter() - started)
    return runs / best, sum(report.decisions) / len(report.decisions)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        problem = install_inkjs(folder)
        if problem:
            print(f"bench_vs_ink skipped: {problem}")
            return 0
        course_root = copies(REPO, folder / "course", 0)
        (course_root / "scenarios" / "generated.yaml").write_text(generated_scenario())
        course = load_course(course_root)
        assert not course.errors, course.errors[:3]
        scenario = course.scenarios["generated"]
        ours, our_decisions = mltcourse_rate(scenario, RUNS)
        ink = ink_rate(folder, ink_source(scenario), RUNS)
        theirs = ink["plays"] / ink["seconds"]
    version = json.loads((INK / "package.json").read_text())["dependencies"]["inkjs"]
    print(f"generated story: {len(scenario.scenes)} scenes, 3 choices each; {RUNS:,} random plays")
    print(
        f"  mltcourse random_playtest, full scoring: {ours:9,.0f} plays/s "
        f"({our_decisions:.1f} decisions a play)"
    )
    print(
        f"  inkjs {version} Story runtime:          {theirs:9,.0f} plays/s "
        f"({ink['decisions']:.1f} decisions a play)"
    )
    print(f"  ratio: mltcourse makes {ours / theirs:.1f}x inkjs's playthroughs per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
