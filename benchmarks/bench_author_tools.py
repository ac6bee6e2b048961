"""Author-tool benchmarks, run by hand: python benchmarks/bench_author_tools.py

Every figure is reported against a floor measured in the same run, so the ratios mean the same
on a slow or a busy machine:
  * validating the bundled course, against parsing its YAML alone with PyYAML's C loader;
  * validating 10x and 100x copies of the course, against 1x (cost should grow linearly);
  * random playtest throughput with full scoring on a generated 200-scene scenario, against a
    bare Python walk over the same graph (no conditions, effects or scoring).
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from mltcourse.content.loader import load_course  # noqa: E402
from mltcourse.engine.playtest import random_playtest  # noqa: E402


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def yaml_files(root: Path) -> list[Path]:
    return sorted((root / "modules").rglob("*.yaml")) + sorted((root / "scenarios").glob("*.yaml"))


def parse_only(root: Path) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in yaml_files(root):
        yaml.load(path.read_bytes(), Loader=loader)
    for path in (root / "modules").glob("*/lesson.md"):
        path.read_text()


def copies(root: Path, target: Path, factor: int) -> Path:
    """The course with its scenarios copied ``factor`` times under new ids."""
    shutil.copytree(root / "modules", target / "modules")
    (target / "scenarios").mkdir()
    for path in (root / "scenarios").glob("*.yaml"):
        text = path.read_text()
        for n in range(factor):
            new_id = f"{path.stem}-{n}"
            (target / "scenarios" / f"{new_id}.yaml").write_text(
                text.replace(f"id: {path.stem}\n", f"id: {new_id}\n", 1)
            )
    return target


def generated_scenario(scenes: int = 200, seed: int = 0) -> str:
    rng = random.Random(seed)
    lines = [
        "id: generated",
        "title: Generated",
        "module: peacebuilding",
        "role: SRSG",
        "setting: Generated for the benchmark.",
        "summary: s",
        "briefing: b",
        "indicators:",
        "  security: {label: Security, start: 50}",
        "  trust: {label: Trust, start: 50}",
        "  capacity: {label: Capacity, start: 50}",
        "start: s0",
        "scenes:",
    ]
    principles = ["national-ownership", "coordination", "inclusivity", "do-no-harm"]
    for i in range(scenes):
        lines += [f"  s{i}:", f"    title: S{i}", "    text: t", "    choices:"]
        for c in range(3):
            ahead = [f"s{j}" for j in range(i + 1, min(scenes, i + 12))] or ["end"]
            target = "end" if i > 12 and rng.random() < 0.06 else rng.choice(ahead)
            if c == 0:
                target = ahead[0]  # keeps every scene reachable
            lines += [
                f"      - id: c{c}",
                "        text: t",
                f"        next: {target}",
                f"        effects: {{security: {rng.randint(-10, 10)}, "
                f"trust: {rng.randint(-10, 10)}}}",
                f"        principles: {{{rng.choice(principles)}: {rng.randint(-2, 2)}}}",
                "        feedback: f",
                "        section: peacebuilding#overview",
            ]
            if c == 2:
                lines.append("        when: trust >= 40 and not flagged")
            if c == 1 and i % 7 == 0:
                lines.append("        flags: {flagged: true}")
    lines += [
        "injects:",
        "  - id: shock",
        "    title: Shock",
        "    text: t",
        "    when: flagged and security < 30",
        "    effects: {trust: -10}",
        "endings:",
        "  - {id: good, title: G, text: g, rating: success, when: trust >= 60}",
        "  - {id: bad, title: B, text: b, rating: failure}",
    ]
    return "\n".join(lines) + "\n"


def bare_walk(scenario, runs: int, seed: int) -> None:
    """The floor: choose uniformly and follow next links, nothing else."""
    rng = random.Random(seed)
    graph = {sid: [c.next for c in s.choices] for sid, s in scenario.scenes.items()}
    for _ in range(runs):
        node = scenario.start
        while node != "end":
            options = graph[node]
            node = options[rng._randbelow(len(options))]


def main() -> None:
    print(f"Python {sys.version.split()[0]}, PyYAML C loader: {yaml.__with_libyaml__}")
    floor = best_of(lambda: parse_only(REPO))
    full = best_of(lambda: load_course(REPO))
    print(
        f"validate bundled course: {full * 1000:.0f} ms; YAML parse floor {floor * 1000:.0f} ms;"
        f" ratio {full / floor:.2f}x"
    )

    with tempfile.TemporaryDirectory() as tmp:
        base = best_of(lambda: load_course(REPO), 3)
        for factor in (10, 100):
            root = copies(REPO, Path(tmp) / f"x{factor}", factor)
            scenarios = len(list((root / "scenarios").glob("*.yaml")))
            took = best_of(lambda r=root: load_course(r), 2)
            print(
                f"validate {factor}x course ({scenarios} scenarios): {took:.2f} s; "
                f"{took / base:.1f}x the 1x time (linear would be about {factor}x)"
            )

        course_root = copies(REPO, Path(tmp) / "gen", 0)
        (course_root / "scenarios" / "generated.yaml").write_text(generated_scenario())
        course = load_course(course_root)
        assert not course.errors, course.errors[:3]
        scenario = course.scenarios["generated"]
        runs = 20_000
        walk = best_of(lambda: bare_walk(scenario, runs, 1), 3)
        test = best_of(lambda: random_playtest(scenario, runs, 1), 3)
        report = random_playtest(scenario, runs, 1)
        mean = statistics.mean(report.decisions)
        print(
            f"random playtest, 200 scenes, {mean:.1f} decisions per play: "
            f"{runs / test:,.0f} plays/s with full scoring; bare walk {runs / walk:,.0f} "
            f"plays/s; ratio {test / walk:.1f}x"
        )


if __name__ == "__main__":
    main()
