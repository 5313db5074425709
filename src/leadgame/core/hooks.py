"""Who hears when a game moves on: the one seam through which records leave core.

`Session` and `WorkshopSession` call `progressed(game)` after every write of their file, so a
listener sees each decision, note and ending as it is saved, whichever interface made it.
Core knows nothing of what listeners do with it (leadgame.lrs turns games into learning
records); a listener must return quickly and must not raise, since play waits for it.
"""

from __future__ import annotations

from typing import Callable

Listener = Callable[[object], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> Callable[[], None]:
    """Call `listener(game)` whenever a game is saved; returns a function that stops it."""
    _listeners.append(listener)

    def stop() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return stop


def progressed(game: object) -> None:
    for listener in tuple(_listeners):
        listener(game)
