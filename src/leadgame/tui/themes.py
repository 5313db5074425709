"""The app's themes: Textual's own dark and light, plus two high-contrast themes for projectors
and low vision. Colours live here, as theme definitions; the stylesheet uses only theme variables."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST_DARK = Theme(
    name="leadgame-contrast-dark",
    primary="#FFD700",
    secondary="#00FFFF",
    accent="#FFD700",
    warning="#FFA500",
    error="#FF5555",
    success="#55FF55",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    dark=True,
    text_alpha=1.0,
    luminosity_spread=0.0,
    variables={"block-cursor-background": "#FFD700", "block-cursor-foreground": "#000000",
               "footer-key-foreground": "#FFD700", "border": "#FFFFFF", "border-blurred": "#AAAAAA"},
)

HIGH_CONTRAST_LIGHT = Theme(
    name="leadgame-contrast-light",
    primary="#00008B",
    secondary="#005050",
    accent="#00008B",
    warning="#8B4500",
    error="#B00000",
    success="#006400",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E8E8E8",
    dark=False,
    text_alpha=1.0,
    luminosity_spread=0.0,
    variables={"block-cursor-background": "#00008B", "block-cursor-foreground": "#FFFFFF",
               "footer-key-foreground": "#00008B", "border": "#000000", "border-blurred": "#555555"},
)

THEMES = (HIGH_CONTRAST_DARK, HIGH_CONTRAST_LIGHT)
# F2 steps through these, in this order; the learner only ever sees their human names.
CYCLE = ("textual-dark", "textual-light", HIGH_CONTRAST_DARK.name, HIGH_CONTRAST_LIGHT.name)
NAMES = {"textual-dark": "Dark", "textual-light": "Light", HIGH_CONTRAST_DARK.name: "High contrast, dark",
         HIGH_CONTRAST_LIGHT.name: "High contrast, light"}


def theme_name(theme: str) -> str:
    return NAMES.get(theme, theme.replace("-", " ").capitalize())


def next_theme(current: str) -> str:
    return CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)] if current in CYCLE else CYCLE[0]
