"""``mltcourse`` with no subcommand: resolve the folders and run the app."""

from __future__ import annotations


def launch(args) -> int:
    from ..content.paths import default_root
    from ..store import data_dir
    from .app import create_app

    root = default_root(args.content)
    if not root.is_dir():
        print(f"mltcourse: no course folder at {root}")
        return 2
    app = create_app(root, data_dir(args.data_dir), args.learner, args.watch)
    app.run()
    return app.return_code or 0
