"""The author's commands: validate, lint, graph, playtest, coverage, list, schema, new."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..content.loader import load_course
from ..content.paths import display_path
from ..engine.parallel import WORKERS
from .common import (
    UsageError,
    _course,
    _extra_file,
    _print_diagnostics,
    _scenario,
    _split_paths,
    _summary,
)


def cmd_validate(args) -> int:
    root, extra, only = _split_paths(args)
    course = load_course(root, extra)
    chosen = [d for d in course.diagnostics if only is None or only(d.file)]
    errors = [d for d in chosen if d.severity == "error"]
    warnings = [d for d in chosen if d.severity == "warning"]
    if args.json:
        print(
            json.dumps(
                {
                    "ok": not errors,
                    "errors": [d.as_json() for d in errors],
                    "warnings": [d.as_json() for d in warnings],
                },
                indent=2,
            )
        )
    else:
        _print_diagnostics(chosen)
        _print_repeated(errors)
        print(_summary(len(errors), len(warnings)), file=sys.stderr)
    return 1 if errors else 0


def _print_repeated(errors) -> None:
    """After many errors that are one missing id, the line that says so."""
    from ..content.diagnostics import repeated_unknowns

    for line in repeated_unknowns(errors):
        print(f"note: {line}")


def cmd_lint(args) -> int:
    from ..engine.lint import lint_course

    root, extra, only = _split_paths(args)
    course = load_course(root, extra)
    # The validator's own warnings (an effect beyond its indicator's range, an id that differs
    # from its file name) come first: "lint until it says nothing" covers them too.
    warnings = [d for d in course.warnings if only is None or only(d.file)]
    warnings += lint_course(course, only, workers=WORKERS)
    errors = [d for d in course.errors if only is None or only(d.file)]
    if args.json:
        print(
            json.dumps(
                {
                    "warnings": [w.as_json() for w in warnings],
                    "errors": [e.as_json() for e in errors],
                },
                indent=2,
            )
        )
    else:
        _print_diagnostics(errors + warnings)
        _print_repeated(errors)
        print(_summary(len(errors), len(warnings)), file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def cmd_graph(args) -> int:
    from ..engine.graph import dot, mermaid

    scenario = _scenario(_course(args, _extra_file(args.scenario)), args.scenario)
    print(mermaid(scenario) if args.format == "mermaid" else dot(scenario), end="")
    return 0


def cmd_playtest(args) -> int:
    from ..engine.parallel import map_scenarios

    if args.scenario:
        course = _course(args, _extra_file(args.scenario))
        scenarios = [_scenario(course, args.scenario)]
    else:
        scenarios = list(_course(args).scenarios.values())
        if not scenarios:
            raise UsageError("no scenario in this course to playtest")
    if not args.random and not args.exhaustive:
        args.random = 1000
    if args.random is not None and args.random < 1:
        raise UsageError("--random needs a positive number of runs")
    results = map_scenarios(
        lambda s: _playtest_one(s, args.random, args.seed, args.exhaustive, args.time_limit),
        scenarios,
        WORKERS,
    )
    failed = [r["gave_up"] for r in results if "gave_up" in r]
    for reason in failed:
        print(f"mltcourse: exhaustive analysis gave up: {reason}", file=sys.stderr)
    shown = [r for r in results if "gave_up" not in r]
    if args.json:
        print(json.dumps(shown[0] if args.scenario and shown else shown, indent=2))
    elif shown:
        print("\n\n".join(_playtest_text(r) for r in shown))
    return 1 if failed or any(r.get("render_errors") for r in shown) else 0


def _playtest_one(scenario, runs, seed: int, exhaustive: bool, time_limit: float) -> dict:
    """One scenario's playtest as JSON-ready data, or {"gave_up": why}."""
    out: dict = {}
    if runs:
        from ..engine.playtest import random_playtest

        out = random_playtest(scenario, runs, seed, time_limit).as_json(scenario)
    if exhaustive:
        from ..engine.analysis import AnalysisTooLarge, analyse_cached

        try:
            analysis = analyse_cached(scenario, time_limit).as_json(scenario)
        except AnalysisTooLarge as exc:
            return {"gave_up": f"{scenario.id}: {exc}"}
        if runs:
            out["exhaustive"] = analysis
        else:
            out = analysis
    return out


def _playtest_text(out: dict) -> str:
    lines = []
    exhaustive = out.get("exhaustive") if "runs" in out else out
    if "runs" in out:
        lines.append(f"{out['scenario']}: {out['runs']} random plays (seed {out['seed']})")
        total = max(1, out["runs"])
        for ending, count in out["endings"].items():
            lines.append(f"  ending {ending:<28} {count:>7}  {100 * count / total:5.1f} %")
        d, s = out["decisions"], out["score"]
        lines.append(
            f"  decisions per play      min {d['min']}  max {d['max']}  mean {d['mean']:.1f}"
        )
        if s["mean"] is not None:
            lines.append(
                f"  decision quality        min {s['min']:.2f}  max {s['max']:.2f}  "
                f"mean {s['mean']:.2f}"
            )
        for key in ("unvisited_scenes", "unvisited_choices", "unfired_injects"):
            if out[key]:
                lines.append(f"  {key.replace('_', ' ')}: {', '.join(out[key])}")
        if out["step_bound_hits"]:
            lines.append(f"  plays stopped by the step bound: {out['step_bound_hits']}")
        lines.extend(_passage_lines(out))
        if out.get("stopped"):
            lines.append(f"  {out['stopped']}: the time limit (--time-limit) was reached")
    if exhaustive:
        e = exhaustive
        lines.append(f"{e['scenario']}: exhaustive analysis over {e['states']} states")
        if e["score"]["best"] is not None:
            lines.append(f"  best score {e['score']['best']:.2f} via {' > '.join(e['best_path'])}")
            lines.append(
                f"  worst score {e['score']['worst']:.2f} via {' > '.join(e['worst_path'])}"
            )
        lines.append(f"  decisions per play: {e['decisions']['min']} to {e['decisions']['max']}")
        lines.append(f"  reachable endings: {', '.join(e['reachable_endings']) or 'none'}")
        for key in (
            "unreachable_endings",
            "unreachable_scenes",
            "unreachable_choices",
            "unfired_injects",
            "cycles",
            "passages_never_shown",
            "passages_always_shown",
        ):
            if e[key]:
                lines.append(f"  {key.replace('_', ' ')}: {', '.join(e[key])}")
    return "\n".join(lines)


def _passage_lines(out: dict) -> list[str]:
    """How often each conditional passage showed where its text was read, and render errors."""
    lines = []
    if out["passages"]:
        lines.append("  story text passages (shown / read):")
        for key, counts in out["passages"].items():
            lines.append(f"    {key:<36} {counts['shown']:>7} / {counts['read']}")
    if out["passages_never_shown"]:
        lines.append(f"  passages never shown: {', '.join(out['passages_never_shown'])}")
    for error in out["render_errors"]:
        lines.append(f"  render error: {error}")
    if out["render_errors"]:
        lines.append(f"  {len(out['render_errors'])} render error(s)")
    return lines


def cmd_coverage(args) -> int:
    from ..engine.coverage import coverage

    course = _course(args)
    report = coverage(course)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for kind in ("principles", "risks"):
        used = sum(1 for v in report[kind].values() if v)
        print(f"{kind}: {used} of {len(report[kind])} exercised")
        for key, scenarios in report[kind].items():
            print(f"  {'x' if scenarios else ' '} {key:<44} {', '.join(scenarios)}")
    return 0


def cmd_list(args) -> int:
    course = _course(args)
    if args.risks:
        return _list_risks(course, args.json)
    modules = [
        {
            "id": m.id,
            "title": m.title,
            "order": m.order,
            "doctrine": m.doctrine,
            "checks": len(m.checks),
            "risks": [r.id for r in m.risks],
            "scenarios": [s.id for s in course.scenarios_for(m.id)],
        }
        for m in course.modules
    ]
    scenarios = [
        {
            "id": s.id,
            "title": s.title,
            "module": s.module,
            "role": s.role,
            "scenes": len(s.scenes),
            "endings": len(s.endings),
        }
        for s in course.scenarios.values()
    ]
    if args.json:
        print(
            json.dumps(
                {"modules": modules, "scenarios": scenarios, "principles": list(course.principles)},
                indent=2,
            )
        )
        return 0
    print("Lessons")
    for m in modules:
        print(
            f"  {m['order']}. {m['title']} ({m['doctrine']}) - {m['checks']} checks, "
            f"{len(m['risks'])} risks"
        )
        for scenario_id in m["scenarios"]:
            print(f"       scenario: {scenario_id}")
    print("Principles")
    for principle in course.principles.values():
        print(f"  {principle.id:<26} {principle.title}")
    print("Risks: mltcourse list --risks")
    _note_left_out(course)
    return 0


def _list_risks(course, as_json: bool) -> int:
    """The ids an author writes in raises, mitigates and materializes, lesson by lesson."""
    risks = [
        {
            "id": r.id,
            "module": m.id,
            "title": r.title,
            "text": r.text,
            "section": r.anchor,
        }
        for m in course.modules
        for r in m.risks
    ]
    if as_json:
        print(json.dumps({"risks": risks}, indent=2))
    else:
        print(f"Risks ({len(risks)}), by lesson")
        for m in course.modules:
            print(f"  {m.id}: {m.title}")
            for risk in m.risks:
                print(f"    {risk.id:<44} {risk.title}")
            if not m.risks:
                print("    (none)")
    _note_left_out(course)
    return 0


def _note_left_out(course) -> None:
    if course.errors:
        print(
            f"({len(course.failed_files())} file(s) with errors left out: run mltcourse validate)",
            file=sys.stderr,
        )


def cmd_schema(args) -> int:
    from ..content.schema import FILE_SCHEMAS, json_schema

    kinds = [args.kind] if args.kind else list(FILE_SCHEMAS)
    # The course's own ids go into the schema, so that editors complete them.
    course = _course(args)
    if course.errors:
        print(
            f"mltcourse: {len(course.failed_files())} file(s) with errors: their ids are left "
            "out of the schema (run mltcourse validate)",
            file=sys.stderr,
        )
    if args.write:
        target = Path(args.write)
        target.mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            (target / f"{kind}.schema.json").write_text(
                json.dumps(json_schema(kind, course), indent=2) + "\n", encoding="utf-8"
            )
            print(display_path(target / f"{kind}.schema.json"))
        return 0
    schemas = {kind: json_schema(kind, course) for kind in kinds}
    print(json.dumps(schemas[kinds[0]] if args.kind else schemas, indent=2))
    return 0


def cmd_lsp(args) -> int:
    from ..lsp.server import serve

    return serve()
