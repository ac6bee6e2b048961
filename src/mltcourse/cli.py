"""The ``mltcourse`` command: the app, and the author and trainer tools.

Exit status: 0 fine, 1 content errors (or a failed check), 2 usage. The author tools never
import Textual; the app is imported only when it is launched. The commands themselves live in
``mltcourse.commands``; this module only parses the command line and dispatches.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .commands import UsageError

LISTING = "print machine-readable JSON"


def _global_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--content", metavar="DIR", help="course folder (default: bundled)")
    parser.add_argument("--data-dir", metavar="DIR", help="where progress is kept")
    parser.add_argument("--learner", metavar="NAME", help="learner profile")
    parser.add_argument(
        "--watch", action="store_true", help="reload lessons and scenarios when their files change"
    )
    return parser


def _app_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The options when the command line only launches the app, else None.

    Building the full parser (a dozen subcommands) costs more than a frame; the app, the
    common case, needs only the global options. Anything else (a subcommand, --help, a
    mistake) goes to the full parser, which words the help and the errors."""
    quick = _global_options(argparse.ArgumentParser(add_help=False, exit_on_error=False))
    try:
        args, rest = quick.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:
        return None
    args.command = None
    return args


def _parser() -> argparse.ArgumentParser:
    parser = _global_options(
        argparse.ArgumentParser(
            prog="mltcourse",
            description="Peacebuilding for UN Mission Leadership Teams: course, scenarios, tools.",
        )
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check course files; errors as FILE:LINE:COL")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("lint", help="pedagogy and quality warnings")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too (for CI)")
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("graph", help="story map of a scenario")
    p.add_argument("scenario")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")

    p = sub.add_parser("playtest", help="automated play: random or exhaustive")
    p.add_argument("scenario", nargs="?", help="scenario id or file (default: every scenario)")
    p.add_argument("--random", type=int, metavar="N", help="random playthroughs")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--exhaustive",
        action="store_true",
        help="analyse every state: best/worst score, reachable endings",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop and say so after this long (default 60)",
    )
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("coverage", help="which scenarios exercise which principles and risks")
    p.add_argument("--json", action="store_true", help=LISTING)

    p = sub.add_parser("play", help="headless play of a given path or policy")
    p.add_argument("scenario")
    p.add_argument("--choose", nargs="+", metavar="CHOICE", default=[])
    p.add_argument("--policy", choices=("best", "worst"))
    p.add_argument(
        "--from",
        dest="from_scene",
        metavar="SCENE",
        help="start at SCENE, to test a branch (such a play is never recorded)",
    )
    p.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="with --from: an indicator's value at the start (repeatable)",
    )
    p.add_argument(
        "--flag",
        dest="flags",
        action="append",
        default=[],
        metavar="NAME",
        help="with --from: a flag that is set at the start (repeatable)",
    )
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

    _record_parsers(sub)

    p = sub.add_parser("review", help="what is due for a learner's spaced review")
    p.add_argument(
        "--learner",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="whose review (default: the last one active)",
    )
    p.add_argument("--daily-limit", metavar="N", help="set how many reviews a day the app offers")
    p.add_argument("--json", action="store_true", help=LISTING)
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )

    p = sub.add_parser("search", help="full-text search: lessons, glossary, scenario scenes")
    p.add_argument("query", nargs="+", metavar="WORD")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (20)")
    p.add_argument("--json", action="store_true", help=LISTING)
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where the cache is kept"
    )

    p = sub.add_parser("list", help="modules, scenarios and principles (or risks)")
    p.add_argument("--json", action="store_true", help=LISTING)
    p.add_argument(
        "--risks", action="store_true", help="each lesson's risks: full id (module.risk), title"
    )

    p = sub.add_parser("schema", help="JSON Schema of course files")
    p.add_argument(
        "kind", nargs="?", choices=("scenario", "module", "principles", "glossary", "course")
    )
    p.add_argument("--write", metavar="DIR", help="write KIND.schema.json files into DIR")

    sub.add_parser("lsp", help="language server for course files, on stdin/stdout (any editor)")

    p = sub.add_parser("new", help="scaffold a new scenario, or a course folder of your own")
    p.add_argument("what", choices=("scenario", "course"))
    p.add_argument("id", metavar="ID|DIR", help="the scenario's id, or the new course's folder")
    p.add_argument("--module", help="the lesson it follows (default: the first)")
    _trainer_parsers(sub)
    return parser


def _record_parsers(sub) -> None:
    """progress and certificate: a learner's record of completion."""
    for name, about in (
        ("progress", "how far a learner is from completing the course"),
        ("certificate", "a learner's record of completion as a printable HTML page"),
    ):
        p = sub.add_parser(name, help=about)
        p.add_argument(
            "--learner",
            metavar="NAME",
            default=argparse.SUPPRESS,
            help="whose record (default: the last one active)",
        )
        p.add_argument(
            "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
        )
        if name == "progress":
            p.add_argument("--json", action="store_true", help=LISTING)
        else:
            p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
            p.add_argument("--no-notes", action="store_true", help="leave the learner's notes out")


def _trainer_parsers(sub) -> None:
    """facilitate, export and serve: the trainer's commands."""
    p = sub.add_parser("facilitate", help="run a group exercise in the app (projector view)")
    p.add_argument("scenario")
    p.add_argument("--teams", required=True, metavar="A,B,C", help="team names, comma-separated")
    p.add_argument("--countdown", type=int, metavar="SECONDS", help="a clock for each decision")
    p.add_argument(
        "--new", action="store_true", help="start afresh even if these teams have one open"
    )
    p.add_argument("--facilitator", metavar="NAME", help="who runs it (in the after-action review)")
    p.add_argument(
        "--serve",
        action="store_true",
        help="a join link per team (devices vote) and a presenter view, served in browsers",
    )
    from .commands.classroom import add_address_options

    add_address_options(p)
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )

    p = sub.add_parser("exercises", help="the group exercises kept here (open and finished)")
    p.add_argument("--json", action="store_true", help=LISTING)
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )

    p = sub.add_parser(
        "export", help="records as CSV or xAPI statements, or an exercise's after-action review"
    )
    p.add_argument("--format", choices=("csv", "xapi", "aar"), default="csv")
    p.add_argument("--exercise", type=int, metavar="ID", help="the exercise, for --format aar")
    p.add_argument(
        "--participant",
        action="store_true",
        help="the participants' review, without the facilitator notes (--format aar)",
    )
    p.add_argument(
        "--excel", action="store_true", help="CSV as Excel opens it: UTF-8 with a byte-order mark"
    )
    p.add_argument(
        "--xapi-base",
        metavar="URL",
        help="the organisation's activity IRI base (default: [xapi] in settings.toml)",
    )
    p.add_argument(
        "--learner", metavar="NAME", default=argparse.SUPPRESS, help="only this learner's records"
    )
    p.add_argument(
        "--lrs",
        metavar="URL",
        help="send the xAPI statements to this learning record store "
        "(credentials from $MLTCOURSE_LRS_AUTH as user:password; unsent ones are queued)",
    )
    p.add_argument(
        "--out",
        metavar="PATH",
        help="write to this file instead of standard output (for aar: a folder)",
    )
    p.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )

    from .commands.classroom import add_serve_parser

    add_serve_parser(sub, _data_dir_option)


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where progress is kept"
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _app_arguments(argv)
    if args is not None:
        return _guarded(lambda: _run_app(args))
    # Whatever a command prints (content, names, paths, the store's records) reaches the
    # terminal without control characters that could drive it.
    from .safetext import CleanStream

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanStream(sys.stdout), CleanStream(sys.stderr)
    try:
        parsed = _parser().parse_args(argv)
        if parsed.command is not None:
            return _guarded(lambda: _handler(parsed.command)(parsed))
    finally:
        sys.stdout, sys.stderr = saved
    return _guarded(lambda: _run_app(parsed))


def _handler(command: str):
    module, function = _COMMANDS[command]
    return getattr(importlib.import_module(f".commands.{module}", __package__), function)


def _guarded(run) -> int:
    try:
        return run()
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
    import gc

    # Start-up allocates a great deal and frees almost nothing, so the collector's passes
    # over it are wasted time: the app turns it back on once the course map is painted.
    gc.disable()
    from .tui.launch import launch

    return launch(args)


# Each command's module is imported only when that command runs: launching the app must
# not pay for the loader, the engine and the reports before its first screen.
_COMMANDS = {
    "validate": ("author", "cmd_validate"),
    "lint": ("author", "cmd_lint"),
    "graph": ("author", "cmd_graph"),
    "playtest": ("author", "cmd_playtest"),
    "coverage": ("author", "cmd_coverage"),
    "play": ("learner", "cmd_play"),
    "progress": ("learner", "cmd_progress"),
    "certificate": ("learner", "cmd_certificate"),
    "review": ("review", "cmd_review"),
    "search": ("search", "cmd_search"),
    "list": ("author", "cmd_list"),
    "schema": ("author", "cmd_schema"),
    "new": ("scaffolding", "cmd_new"),
    "lsp": ("author", "cmd_lsp"),
    "facilitate": ("trainer", "cmd_facilitate"),
    "exercises": ("exercises", "cmd_exercises"),
    "export": ("trainer", "cmd_export"),
    "serve": ("classroom", "cmd_serve"),
}
