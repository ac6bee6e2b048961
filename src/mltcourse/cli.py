"""The ``mltcourse`` command: the app, and the author and trainer tools.

Exit status: 0 fine, 1 content errors (or a failed check), 2 usage. The author tools never
import Textual; the app is imported only when it is launched.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from .content.diagnostics import Diagnostic
from .content.loader import default_root, display_path, load_course
from .content.model import Course

LISTING = "print machine-readable JSON"


class UsageError(Exception):
    """A mistake in how the command was called (exit 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mltcourse",
        description="Peacebuilding for UN Mission Leadership Teams: course, scenarios, tools.",
    )
    parser.add_argument("--content", metavar="DIR", help="course folder (default: bundled)")
    parser.add_argument("--data-dir", metavar="DIR", help="where progress is kept")
    parser.add_argument("--learner", metavar="NAME", help="learner profile")
    parser.add_argument(
        "--watch", action="store_true", help="reload lessons and scenarios when their files change"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check course files; errors as FILE:LINE:COL")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("lint", help="pedagogy and quality warnings")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("graph", help="story map of a scenario")
    p.add_argument("scenario")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")

    p = sub.add_parser("playtest", help="automated play: random or exhaustive")
    p.add_argument("scenario")
    p.add_argument("--random", type=int, metavar="N", help="random playthroughs")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--exhaustive",
        action="store_true",
        help="analyse every state: best/worst score, reachable endings",
    )
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("coverage", help="which scenarios exercise which principles and risks")
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("play", help="headless play of a given path or policy")
    p.add_argument("scenario")
    p.add_argument("--choose", nargs="+", metavar="CHOICE", default=[])
    p.add_argument("--policy", choices=("best", "worst"))
    p.add_argument("--report", choices=("json", "md", "html"), default="md")
    p.add_argument(
        "--learner",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="record the attempt for this learner (default: the last one active)",
    )
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )
    p.add_argument("--no-record", action="store_true", help="do not record the attempt")

    p = sub.add_parser("list", help="modules, scenarios and principles")
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("schema", help="JSON Schema of course files")
    p.add_argument("kind", nargs="?", choices=("scenario", "module", "principles", "glossary"))
    p.add_argument("--write", metavar="DIR", help="write KIND.schema.json files into DIR")

    p = sub.add_parser("new", help="scaffold a new course file")
    p.add_argument("what", choices=("scenario",))
    p.add_argument("id")
    p.add_argument("--module", help="the lesson it follows (default: the first)")
    _trainer_parsers(sub)
    return parser


def _trainer_parsers(sub) -> None:
    """facilitate, export and serve: the trainer's commands."""
    p = sub.add_parser("facilitate", help="run a group exercise in the app (projector view)")
    p.add_argument("scenario")
    p.add_argument("--teams", required=True, metavar="A,B,C", help="team names, comma-separated")
    p.add_argument("--countdown", type=int, metavar="SECONDS", help="a clock for each decision")
    p.add_argument(
        "--new", action="store_true", help="start afresh even if these teams have one open"
    )
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )

    p = sub.add_parser("export", help="learners' and teams' records as CSV or xAPI statements")
    p.add_argument("--format", choices=("csv", "xapi"), default="csv")
    p.add_argument(
        "--learner", metavar="NAME", default=argparse.SUPPRESS, help="only this learner's records"
    )
    p.add_argument(
        "--lrs",
        metavar="URL",
        help="send the xAPI statements to this learning record store "
        "(credentials from $MLTCOURSE_LRS_AUTH as user:password; unsent ones are queued)",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )

    p = sub.add_parser("serve", help="the app in a web browser (a process per connection)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _run_app(args)
        handler = _COMMANDS[args.command]
        return handler(args)
    except UsageError as exc:
        print(f"mltcourse: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except Exception as exc:  # a bug of ours: say so plainly, never a bare traceback
        if os.environ.get("MLTCOURSE_DEBUG"):
            raise
        print(
            f"mltcourse: internal error: {type(exc).__name__}: {exc}\n"
            "Please report it; run with MLTCOURSE_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return 1


def _run_app(args) -> int:
    from .tui.launch import launch

    return launch(args)


# --- helpers ---------------------------------------------------------------------------------


def _course(args, extra: list[Path] | None = None) -> Course:
    root = default_root(args.content)
    if not root.is_dir():
        raise UsageError(f"no course folder at {root}")
    return load_course(root, extra or [])


def _split_paths(args) -> tuple[Path, list[Path], Callable[[str], bool] | None]:
    """(content root, extra scenario files, a test for the files to report on, None for all)."""
    root = default_root(args.content)
    if not args.paths:
        return root, [], None
    extra: list[Path] = []
    selected: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        if path.is_dir() and ((path / "modules").is_dir() or (path / "scenarios").is_dir()):
            root = path
        elif path.is_file() and path.suffix in (".yaml", ".yml") and path.parent.name != "modules":
            in_course = path.resolve().is_relative_to(root.resolve())
            if not in_course and path.name != "module.yaml":
                extra.append(path)
        selected.append(path.resolve())

    def wanted(file: str) -> bool:
        target = Path(file).resolve()
        return any(target == p or target.is_relative_to(p) for p in selected)

    return root, extra, wanted


def _scenario(course: Course, scenario_id: str):
    scenario = course.scenarios.get(scenario_id)
    if scenario is None:
        path = Path(scenario_id)
        if path.is_file():
            match = [
                s for s in course.scenarios.values() if Path(s.path).resolve() == path.resolve()
            ]
            if match:
                return match[0]
        failed = [d for d in course.errors if Path(d.file).stem == scenario_id]
        if failed:
            for diagnostic in failed:
                print(diagnostic, file=sys.stderr)
            raise UsageError(f"scenario {scenario_id!r} has errors (see above)")
        known = ", ".join(sorted(course.scenarios)) or "none"
        raise UsageError(f"unknown scenario {scenario_id!r} (known: {known})")
    return scenario


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic)


def _summary(errors: int, warnings: int) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


# --- commands --------------------------------------------------------------------------------


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
        print(_summary(len(errors), len(warnings)), file=sys.stderr)
    return 1 if errors else 0


def cmd_lint(args) -> int:
    from .engine.lint import lint_course

    root, extra, only = _split_paths(args)
    course = load_course(root, extra)
    warnings = lint_course(course, only)
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
        print(_summary(len(errors), len(warnings)), file=sys.stderr)
    return 1 if errors else 0


def cmd_graph(args) -> int:
    from .engine.graph import dot, mermaid

    scenario = _scenario(_course(args, _extra_file(args.scenario)), args.scenario)
    print(mermaid(scenario) if args.format == "mermaid" else dot(scenario), end="")
    return 0


def _extra_file(name: str) -> list[Path]:
    path = Path(name)
    return [path] if path.is_file() and path.suffix in (".yaml", ".yml") else []


def cmd_playtest(args) -> int:
    scenario = _scenario(_course(args, _extra_file(args.scenario)), args.scenario)
    if not args.random and not args.exhaustive:
        args.random = 1000
    out: dict = {}
    if args.random:
        from .engine.playtest import random_playtest

        if args.random < 1:
            raise UsageError("--random needs a positive number of runs")
        out = random_playtest(scenario, args.random, args.seed).as_json(scenario)
    if args.exhaustive:
        from .engine.analysis import AnalysisTooLarge, analyse_cached

        try:
            analysis = analyse_cached(scenario).as_json(scenario)
        except AnalysisTooLarge as exc:
            print(f"mltcourse: exhaustive analysis stopped: {exc}", file=sys.stderr)
            return 1
        if args.random:
            out["exhaustive"] = analysis
        else:
            out = analysis
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(_playtest_text(out))
    return 0


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
        ):
            if e[key]:
                lines.append(f"  {key.replace('_', ' ')}: {', '.join(e[key])}")
    return "\n".join(lines)


def cmd_coverage(args) -> int:
    from .engine.coverage import coverage

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


def cmd_play(args) -> int:
    from .engine.playtest import policy_play
    from .engine.state import IllegalMove, choose, new_game, open_choices
    from .reports.debrief import build_debrief, debrief_json, debrief_markdown

    course = _course(args, _extra_file(args.scenario))
    scenario = _scenario(course, args.scenario)
    if args.policy and args.choose:
        raise UsageError("give either --choose or --policy, not both")
    path = policy_play(scenario, args.policy).decisions if args.policy else ()
    choices = [d.choice for d in path] or args.choose
    state = new_game(scenario)
    for choice_id in choices:  # check the whole path before anything is recorded
        try:
            state = choose(scenario, state, choice_id)
        except IllegalMove as exc:
            options = ", ".join(c.id for c in open_choices(scenario, state)) or "none"
            raise UsageError(f"{exc}; open here: {options}") from None
    if not args.no_record:
        _record_play(args, scenario, state)
    debrief = build_debrief(scenario, state)
    if args.report == "json":
        print(json.dumps(debrief_json(debrief), indent=2))
    elif args.report == "html":
        from .reports.html import debrief_html

        print(debrief_html(debrief, course), end="")
    else:
        print(debrief_markdown(debrief, course), end="")
    return 0


def _record_play(args, scenario, state) -> None:
    """Record a finished headless play in the learner's progress, beside the app's attempts."""
    from .store.attempts import record_finished

    if not state.finished:
        print("mltcourse: not recorded: the path stops before an ending", file=sys.stderr)
        return
    store = _progress_store(args)
    try:
        record_finished(store, store.current_learner(args.learner).id, scenario, state)
    finally:
        store.close()


def _progress_store(args):
    """The learners' progress in --data-dir; what had to be done to open it goes to stderr."""
    from .store import data_dir, open_store

    store = open_store(data_dir(args.data_dir))
    if store.notice:
        print(f"mltcourse: {store.notice}", file=sys.stderr)
    return store


def cmd_list(args) -> int:
    course = _course(args)
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
    if course.errors:
        print(
            f"({len(course.failed_files())} file(s) with errors left out: run mltcourse validate)",
            file=sys.stderr,
        )
    return 0


def cmd_schema(args) -> int:
    from .content.schema import FILE_SCHEMAS, json_schema

    kinds = [args.kind] if args.kind else list(FILE_SCHEMAS)
    if args.write:
        target = Path(args.write)
        target.mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            (target / f"{kind}.schema.json").write_text(
                json.dumps(json_schema(kind), indent=2) + "\n", encoding="utf-8"
            )
            print(display_path(target / f"{kind}.schema.json"))
        return 0
    schemas = {kind: json_schema(kind) for kind in kinds}
    print(json.dumps(schemas[kinds[0]] if args.kind else schemas, indent=2))
    return 0


def cmd_new(args) -> int:
    from .content.scaffold import scenario_scaffold

    course = _course(args)
    root = default_root(args.content)
    path = root / "scenarios" / f"{args.id}.yaml"
    if path.exists():
        raise UsageError(f"{display_path(path)} already exists")
    text = scenario_scaffold(course, args.id, args.module)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(display_path(path))
    return 0


def cmd_facilitate(args) -> int:
    from .engine.exercise import ExerciseError, team_names
    from .store import data_dir
    from .store.course_cache import load_course_cached

    root = default_root(args.content)
    if not root.is_dir():
        raise UsageError(f"no course folder at {root}")
    data = data_dir(args.data_dir)
    scenario = _scenario(load_course_cached(root, data / "cache"), args.scenario)
    try:
        names = team_names(args.teams)
    except ExerciseError as exc:
        raise UsageError(str(exc)) from None
    if args.countdown is not None and args.countdown <= 0:
        raise UsageError("--countdown needs a positive number of seconds")
    from .tui.app import create_app

    target = (
        f"app:facilitate({scenario.id!r}, {', '.join(names)!r}, {args.countdown or 0}, "
        f"{bool(args.new)})"
    )
    app = create_app(root, data, args.learner, start=target)
    app.run()
    return app.return_code or 0


def cmd_export(args) -> int:
    from dataclasses import replace

    from .store import data_dir
    from .store.exercises import ExerciseStore
    from .store.records import learner_histories

    if args.lrs and args.format != "xapi":
        raise UsageError("--lrs sends xAPI statements: add --format xapi")
    course = _course(args)
    data = data_dir(args.data_dir)
    store = _progress_store(args)
    try:
        histories = learner_histories(store, args.learner)
        exercises = ExerciseStore(store).all_exercises()
    finally:
        store.close()
    if args.learner:  # a learner's teams: those where they held a role card
        wanted = args.learner.casefold()
        exercises = [
            replace(record, teams=teams)
            for record in exercises
            if (
                teams := tuple(
                    t for t in record.teams if any(m.casefold() == wanted for _, m in t.roles)
                )
            )
        ]
    if args.format == "csv":
        from .reports.records_csv import records_csv

        _emit(records_csv(course, histories, exercises), args.out)
        return 0
    from .reports.xapi import learner_statements, team_statements

    statements = [s for h in histories for s in learner_statements(course, h)]
    statements += [s for record in exercises for s in team_statements(course, record)]
    if args.out or not args.lrs:
        _emit(json.dumps(statements, indent=2) + "\n", args.out)
    if not args.lrs:
        return 0
    return _send(statements, args.lrs, data)


def _emit(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8", newline="")
        print(display_path(Path(out)), file=sys.stderr)
    else:
        sys.stdout.write(text)


def _send(statements: list[dict], lrs: str, data: Path) -> int:
    from .reports.lrs import deliver

    try:
        delivery = deliver(statements, lrs, data)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"{delivery.sent} statement(s) sent to {lrs}", file=sys.stderr)
    if delivery.rejected:
        print(
            f"mltcourse: {delivery.rejected} statement(s) refused by the LRS, kept aside in "
            f"{data / 'xapi-outbox'}",
            file=sys.stderr,
        )
    if delivery.error:
        print(
            f"mltcourse: {delivery.error}; {delivery.queued} statement(s) queued, "
            "sent first on the next run",
            file=sys.stderr,
        )
    return 1 if delivery.error or delivery.rejected else 0


def cmd_serve(args) -> int:
    import shlex

    from textual_serve.server import Server

    from .store import data_dir

    root = default_root(args.content).resolve()
    if not root.is_dir():
        raise UsageError(f"no course folder at {root}")
    command = [sys.executable, "-m", "mltcourse", "--content", str(root)]
    command += ["--data-dir", str(data_dir(args.data_dir).resolve())]
    if args.learner:
        command += ["--learner", args.learner]
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"mltcourse: serving on {args.host}: anyone who can reach it can use the app and "
            "the progress kept here",
            file=sys.stderr,
        )
    Server(shlex.join(command), host=args.host, port=args.port, title="MLT peacebuilding").serve()
    return 0


_COMMANDS = {
    "validate": cmd_validate,
    "lint": cmd_lint,
    "graph": cmd_graph,
    "playtest": cmd_playtest,
    "coverage": cmd_coverage,
    "play": cmd_play,
    "list": cmd_list,
    "schema": cmd_schema,
    "new": cmd_new,
    "facilitate": cmd_facilitate,
    "export": cmd_export,
    "serve": cmd_serve,
}
