"""A box for the learner's own words: a note during play, or an answer in the debrief. It grows
with what is written; Escape leaves it, and whatever was written goes with the message it sends."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea

from leadgame.tui.messages import Written


class AnswerBox(TextArea):
    BINDINGS = [Binding("escape", "leave", "Done", tooltip="Leave the box; what you wrote is kept")]

    DEFAULT_CSS = """
    AnswerBox {
        height: auto;
        min-height: 4;
        max-height: 12;
        margin: 0 0 1 0;
    }
    """

    def __init__(self, text: str = "", *, key: str, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", show_line_numbers=False, placeholder=placeholder,
                         highlight_cursor_line=False, id=id)
        self.key = key  # what the words belong to: "feeling", or a question

    def on_mount(self) -> None:
        self.cursor_blink = not self.app.is_headless
        self.move_cursor(self.document.end)  # carry on writing where the words end

    def action_leave(self) -> None:
        self.post_message(Written(self.key, self.text, leaving=True))

    def on_blur(self) -> None:
        self.post_message(Written(self.key, self.text))
