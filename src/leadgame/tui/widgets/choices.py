"""The keyboard-first list of choices: a number key 1-9 chooses at once; or arrows to move and
Enter (or a click) to choose."""

from __future__ import annotations

from typing import Iterable

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from leadgame.tui.messages import Chosen
from leadgame.tui.widgets.hanging import hanging


def numbered(number: int, label: str | Text) -> Table:
    """An option's prompt: the number key, then the label with a hanging indent; never markup."""
    text = label if isinstance(label, Text) else Text(label)
    return hanging([(f"{number}.", text)], marker_width=2 if number <= 9 else 3, expand=True)


class ChoiceList(OptionList, inherit_bindings=False):
    """Options as (id, label) pairs. Sends `Chosen(id)` when the learner commits to one."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False, tooltip="Move up the options"),
        Binding("down", "cursor_down", "Down", show=False, tooltip="Move down the options"),
        Binding("home", "first", "First", show=False, tooltip="Move to the first option"),
        Binding("end", "last", "Last", show=False, tooltip="Move to the last option"),
        Binding("enter", "select", "Choose", tooltip="Choose the highlighted option"),
        *(Binding(str(n), f"number({n})", "1–9", show=False, tooltip="Choose option 1 to 9") for n in range(1, 10)),
    ]

    def __init__(self, options: Iterable[tuple[str, str | Text]] = (), *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes, markup=False)
        self.held = False
        self.show(options)

    def hold(self, held: bool) -> None:
        """Keep the options in place but unseen (blank lines, no highlight), or show them. The
        list draws this itself: a CSS class or style would restyle it (and what it holds) on
        every scene, and a style change leaves lines drawn before it on a browser's screen."""
        if held != self.held:
            self.held = held
            self.refresh()

    def render_line(self, y: int) -> Strip:
        if self.held:
            return Strip.blank(self.scrollable_content_region.width, self.get_visual_style("option-list--option").rich_style)
        return super().render_line(y)

    def show(self, options: Iterable[tuple[str, str | Text]]) -> None:
        """Replace the options and highlight the first."""
        options = list(options)
        self.labels = {option_id: str(label) for option_id, label in options}  # plain words, for tests and tools
        self.clear_options()
        self.add_options(Option(numbered(n, label), id=option_id) for n, (option_id, label) in enumerate(options, start=1))
        self.highlighted = 0 if self.option_count else None

    def relabel(self, option_id: str, label: str | Text) -> None:
        index = self.get_option_index(option_id)
        self.labels[option_id] = str(label)
        self.replace_option_prompt_at_index(index, numbered(index + 1, label))

    def action_number(self, number: int) -> None:
        """A number key chooses its option at once, on every menu (as Enter on it would)."""
        if 1 <= number <= self.option_count:
            self.highlighted = number - 1
            self.action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(Chosen(event.option.id))
