"""Every custom message the app's widgets send, in one place."""

from __future__ import annotations

from textual.message import Message


class Chosen(Message):
    """The learner chose an option in a ChoiceList (by Enter, a click or a number key then Enter)."""

    def __init__(self, option_id: str) -> None:
        super().__init__()
        self.option_id = option_id



class Written(Message):
    """The learner left (or is leaving, with Escape) a box they write in: a note or an answer."""

    def __init__(self, key: str, text: str, leaving: bool = False) -> None:
        super().__init__()
        self.key = key
        self.text = text
        self.leaving = leaving
