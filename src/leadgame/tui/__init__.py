"""The Textual app: title, picker, scenes, coached feedback, debrief and what-if.

Nothing here decides a rule of the game: every screen drives a `core.session.Session`.
"""
