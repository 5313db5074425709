"""Keys as the app names them, in one style everywhere (footer, help, dialogs): "Enter", "Esc",
"PgDn", "Ctrl+P", "F2", "?"; and which bindings a learner is told about."""

from __future__ import annotations

from textual.binding import Binding

NAMES = {
    "escape": "Esc", "enter": "Enter", "tab": "Tab", "space": "Space", "backspace": "Backspace", "delete": "Del",
    "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
    "up": "↑", "down": "↓", "left": "←", "right": "→", "question_mark": "?",
}
MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Meta", "super": "Super"}

# Textual's own bindings a learner does use, in the app's words; every other binding of
# Textual's (copying, focus tricks, a text box's editing keys) is left out of the key list.
TEXTUAL_WORDS = {
    "app.focus_next": "Move to the next panel or box",
    "app.focus_previous": "Move to the previous panel or box",
    "scroll_up": "Scroll", "scroll_down": "Scroll", "page_up": "Scroll", "page_down": "Scroll",
    "scroll_home": "Scroll", "scroll_end": "Scroll",
}


def key_name(key: str) -> str:
    """"ctrl+p" -> "Ctrl+P", "pagedown" -> "PgDn", "f2" -> "F2", "question_mark" -> "?"."""
    *modifiers, last = key.split("+")
    if last in NAMES:
        name = NAMES[last]
    elif len(last) > 1 and last[0] == "f" and last[1:].isdigit():
        name = last.upper()
    elif modifiers and len(last) == 1:
        name = last.upper()
    else:
        name = last
    return "+".join([*(MODIFIERS.get(m, m.title()) for m in modifiers), name])


def described(binding: Binding) -> str:
    """What a binding does, in words for the key list; "" for one the learner need not see."""
    if binding.system:
        return ""
    if binding.action in TEXTUAL_WORDS:
        return TEXTUAL_WORDS[binding.action]
    return binding.tooltip  # the app's own bindings all say what they do; Textual's do not
