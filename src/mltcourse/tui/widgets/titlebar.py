"""The top line of every screen: the screen's (or app's) title and subtitle.

Textual's Header is four widgets with their own styles; the course map is the first screen,
and each widget on it is paid for at start-up, so this is one widget that renders one line.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        # Only the screen is watched: a watch on the app would keep every closed screen's
        # bar alive. The app refreshes the bars when its own title changes (app.py).
        self.watch(self.screen, "title", self.refresh, init=False)
        self.watch(self.screen, "sub_title", self.refresh, init=False)

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)
