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
