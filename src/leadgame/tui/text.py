"""The app's own words: how to play, and the notes the help screen adds to the key list."""

from __future__ import annotations

TAGLINE = "Systems leadership: step into a real leader's seat in three UK case studies."

HOW_TO_PLAY = """\
## How to play

You take the seat of a real leader in a UK case study. Each scene tells you where you are and
what is happening; then you decide. There is rarely a right answer: every option costs
something, as it did for the leaders in the case.

- **Choose** with the arrow keys or the number keys **1–9**, then **Enter**. The mouse works too.
- After each decision you see what it led to, then move on with **Enter**.
- The **timeline** on the right lists your decisions so far (**t** hides or shows it).
- Your game is **saved after every decision**. Press **q** to stop; pick *Continue* on the
  title screen (or run `leadgame play --resume`) to carry on later.

### Two ways to play

- **Standard**: you see consequences in the story; the construct scores wait for the debrief.
- **Coached**: after each decision you also see the reasoning, the section of the source paper
  it rests on, and how it moved each construct. Press **c** to switch during play and **s** to
  show the construct panel.

### The debrief

At the end you note how it felt, review your timeline, see your leadership profile (a profile,
not a grade), read what really happened, and answer questions for your own place. **What if**
lets you replay from any earlier decision and compare the two profiles side by side;
**Export** writes the whole debrief to a Markdown file you can keep.
"""

HELP_NOTES = """\
### Seeing and reading

- **F2** changes the theme: dark, light, and two high-contrast themes.
- **F3** turns on projector mode: more space around the text, for a room.
- A terminal app cannot change its own font size: make the text larger with your terminal's
  zoom (often **Ctrl +** and **Ctrl −**) or its font settings.
- Colour is never the only signal; with `NO_COLOR` set the app runs in monochrome.
- **Screen readers and scripts**: run `leadgame play --plain SCENARIO` for plain mode, a
  line-by-line conversation that reads well aloud and through pipes.
- **Ctrl+P** opens the command palette with all of the app's commands.
"""
