"""The app's two themes, dark and light, and the setting that remembers the learner's choice.

Textual's own themes fail WCAG AA in many places this app draws (orange numbers on the light
theme's grey are about 1.3:1). These keep Textual's look but pick each colour so that text meets
4.5:1 and interface marks (borders, bars, scrollbars) 3:1 on every background they are drawn
on; tests/test_contrast.py measures every colour pair on the app's screens in both themes.
"""

from __future__ import annotations

from textual.theme import Theme

THEME_SETTING = "theme"

DARK = Theme(
    name="mltcourse-dark",
    dark=True,
    primary="#5AAEF5",
    secondary="#8FB8DE",
    accent="#FFB347",
    warning="#FFC857",
    error="#FF7A8E",
    success="#5BD88A",
    foreground="#E8E8E8",
    background="#121212",
    surface="#1E1E1E",
    panel="#2A2A2A",
    variables={
        "text-muted": "#ABABAB",
        "text-disabled": "#9E9E9E",
        "border-blurred": "#7A7A7A",
        "block-cursor-background": "#123A61",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#2F3D4A",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "button-color-foreground": "#000000",
        "scrollbar": "#7A7A7A",
        "scrollbar-hover": "#9A9A9A",
        "scrollbar-background": "#1E1E1E",
        "footer-key-foreground": "#FFB347",
        "input-selection-background": "#123A61",
    },
)

LIGHT = Theme(
    name="mltcourse-light",
    dark=False,
    primary="#0B5CAD",
    secondary="#3F5F7F",
    accent="#7A3E00",
    warning="#7A4E00",
    error="#B00020",
    success="#1B6E35",
    foreground="#1A1A1A",
    background="#F4F4F4",
    surface="#EAEAEA",
    panel="#DEDEDE",
    variables={
        "text-muted": "#505050",
        "text-disabled": "#5C5C5C",
        "border-blurred": "#7A7A7A",
        "block-cursor-background": "#BFD9F2",
        "block-cursor-foreground": "#1A1A1A",
        "block-cursor-blurred-background": "#D5DEE8",
        "block-cursor-blurred-foreground": "#1A1A1A",
        "button-color-foreground": "#FFFFFF",
        "scrollbar": "#7A7A7A",
        "scrollbar-hover": "#5A5A5A",
        "scrollbar-background": "#EAEAEA",
        "footer-key-foreground": "#7A3E00",
        "input-selection-background": "#BFD9F2",
    },
)

APP_THEMES = (DARK, LIGHT)
THEMES = tuple(theme.name for theme in APP_THEMES)  # ctrl+t swaps them


_BY_NAME = {theme.name: theme for theme in APP_THEMES}


class ThemeChoice:
    """The app's side of its themes (a mixin before ``App``): known to Textual from its first
    look, found fast, and the learner's choice kept in the store's settings."""

    @property
    def available_themes(self) -> dict[str, Theme]:
        """Textual's themes and the app's, the app's known already while Textual's __init__
        reads the default theme's colours."""
        return {**super().available_themes, **_BY_NAME}  # type: ignore[misc]

    def get_theme(self, theme_name: str) -> Theme | None:
        """The app's own themes found without building the dict above: Textual asks for the
        current theme hundreds of times while it paints the first screen."""
        return _BY_NAME.get(theme_name) or super().get_theme(theme_name)  # type: ignore[misc]

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[0] if self.theme == THEMES[1] else THEMES[1]
        if self.store is not None:
            self.store.set_setting(THEME_SETTING, self.theme)
