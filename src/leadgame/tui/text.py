"""The app's own words: how to play, and the notes the help screen adds to the key list."""

from __future__ import annotations

TAGLINE = "Systems leadership: step into a real leader's seat in three UK case studies."

HOW_TO_PLAY = """\
## How to play

You take the seat of a real leader in a UK case study. Each scene tells you where you are and
what is happening; then you decide. There is rarely a right answer: every option costs
something, as it did for the leaders in the case.

- **Read on** with **↓**, **PgDn** or **Enter**: the choices appear once you reach the end of
  the scene, because an option can rest on its last sentence.
- **Choose** with a number key **1–9**, or the arrow keys then **Enter**. The mouse works too.
- After each decision you see what it led to, then move on with **Enter**.
- **n** writes a note on the decision in front of you: it is kept with your game and shown
  beside that decision in the debrief.
- **Your decisions** so far are listed beside the story on a wide window; **t** shows or hides
  them (on a narrow window they fold away until you ask). **Tab** moves between the story,
  that list and the choices, and each scrolls with the arrow keys.
- Your game is **saved after every decision**. Press **q** to stop; pick *Continue* on the
  title screen (or run `leadgame play --resume`) to carry on later.

### Two ways to play

- **Standard**: you see consequences in the story; the construct positions wait for the debrief.
- **Coached**: after each decision you also see the reasoning, the section of the source paper
  it rests on, and how it moved each construct. Press **c** to switch during play and **s** to
  show the construct panel.

### The debrief

The debrief follows a reflection cycle. First, a few words on how it felt. Then **your path
beside the real leaders'**: every decision once, the options you had, what you chose and what
the leaders in the case chose (where the paper says), what it gained and cost, and why. Then
**your profile**: for each construct, where your choices sat on a scale from the option that
did least for it (0) to the one that did most (10), with the real leaders' position marked.
A profile, not a grade. Then what really happened, and questions to answer for your own place:
**Tab** goes into each answer box, **Esc** comes back out, and what you write is saved.

**w** (*what if*) replays from any decision as a new game, with your first choice marked; its
debrief compares the two paths (**m**). **e** exports the whole debrief, your notes and answers
included, as Markdown and a printable HTML page (also `leadgame export SAVE`).
"""

HELP_NOTES = """\
### Seeing and reading

- **F2** changes the theme: dark, light, and high contrast (dark or light).
- **F3** turns on projector mode: more space around the text, for a room.
- A terminal app cannot change its own font size: make the text larger with your terminal's
  zoom (often **Ctrl +** and **Ctrl −**) or its font settings.
- Colour is never the only signal; with `NO_COLOR` set the app runs in monochrome.
- **Screen readers and scripts**: run `leadgame play --plain SCENARIO` for plain mode, a
  line-by-line conversation that reads well aloud and through pipes.
- **Ctrl+P** opens the command palette with all of the app's commands.
"""
