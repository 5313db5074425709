"""The leadgame Textual app and `run_tui`, the one entry point the CLI calls.

Start-up stays quick: the title screen needs no scenario, so the library of scenarios is
loaded by a thread worker once the first frame is drawn (from their compiled form, a few
milliseconds, unless a file has changed), and each screen imports its own modules only when
it is first shown.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from leadgame.tui.keys import key_name
from leadgame.tui.themes import CYCLE, THEMES, next_theme, theme_name

if TYPE_CHECKING:
    from leadgame.core.problems import Problem
    from leadgame.core.session import Session
    from leadgame.library import Entry
    from leadgame.tui.screens.debrief import DebriefScreen
    from leadgame.tui.screens.scene import SceneScreen

WATCH_INTERVAL = 0.5  # seconds between looks at a watched scenario file
PRELOAD_DELAY = 0.5  # seconds of the title on screen before the game screens load behind it


# Each key press makes and drops tens of thousands of small objects (Textual's lines and the
# caches each carries). At Python's default threshold of 700 the collector ran 8 to 20 times a
# press, and every few presses a full collection took 30-50 ms: a stutter a learner can feel.
# While the app runs it collects after this many more objects kept than freed.
COLLECT_AFTER = (50_000, 20, 20)


class LeadgameApp(App[int]):
    CSS_PATH = "leadgame.tcss"
    TITLE = "leadgame"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", tooltip="Every key, and notes on reading and plain mode"),
        Binding("q", "request_quit", "Quit", tooltip="Quit; your game is saved and can be continued"),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True, tooltip="Quit; your game is saved and can be continued"),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True, tooltip="Quit; your game is saved and can be continued"),
        Binding("f2", "cycle_theme", "Theme", show=False, tooltip="Next theme: dark, light, high contrast dark or light"),
        Binding("f3", "toggle_projector", "Projector", show=False, tooltip="Projector mode: more space around the text"),
    ]

    # Every scenario on the search path, loaded or with its problems; None while loading.
    entries: reactive[list[Entry] | None] = reactive(None, init=False)
    projector: reactive[bool] = reactive(False, init=False)

    def __init__(self, game: Session | None = None, notes: Sequence[str] = (), watch: Path | None = None,
                 watch_interval: float = WATCH_INTERVAL, seed: int | None = None) -> None:
        super().__init__()
        # Pages jump rather than glide: easier to keep one's place in a long text, and no key
        # press pays for a dozen animation frames.
        self.animation_level = "none"
        self._opening = (game, tuple(notes))
        self.seed = seed  # for games started from the title screen; None gives each its own
        self.current: Session | None = None  # the game on screen, for the words printed on quitting
        self.library_problem = ""
        self.watcher = None
        if watch is not None:
            from leadgame.tui.watch import FileWatch

            self.watcher = FileWatch(watch, game.scenario.includes if game is not None else ())
        self.watch_interval = watch_interval
        self._watch_lock = asyncio.Lock()
        self._path_kept: tuple[str, tuple[str, ...]] = ("", ())  # (save name, longest choice log) while watching

    # --- start-up ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._thresholds = gc.get_threshold()
        gc.set_threshold(*COLLECT_AFTER)
        for theme in THEMES:
            self.register_theme(theme)
        from leadgame.tui.screens.title import TitleScreen

        self.screen_change_signal.subscribe(self, self.screen_changed)
        self.push_screen(TitleScreen())
        game, notes = self._opening
        if game is not None:
            self.open_game(game, notes)
        # The title needs no scenario: read the library once the first frame is drawn, so that
        # loading does not compete with drawing it for the GIL.
        self.call_after_refresh(self.load_library)
        if self.watcher is not None:
            self.set_interval(self.watch_interval, self.check_scenario, name="watch")

    def on_unmount(self) -> None:
        gc.set_threshold(*self._thresholds)  # as it was, for whatever runs the app

    @work(thread=True, exclusive=True, group="library")
    def load_library(self) -> None:
        from leadgame import library

        try:
            found = library.entries()
            problem = ""
        except OSError as error:  # an unreadable scenarios folder should not take the app down
            found, problem = [], f"Could not read the scenarios folder: {error}"
        self.call_from_thread(self._library_loaded, found, problem)

    def _library_loaded(self, found: list[Entry], problem: str) -> None:
        self.library_problem = problem
        self.entries = found
        # Importing them competes with the title's first keys for the GIL: wait for a quiet moment.
        self.set_timer(PRELOAD_DELAY, self.preload_game_screens)

    @work(thread=True, exclusive=True, group="preload")
    def preload_game_screens(self) -> None:
        """While the learner reads the title, load what starting or resuming a game will need,
        so the key press that opens a game does not wait for imports."""
        import leadgame.tui.screens.debrief  # noqa: F401
        import leadgame.tui.screens.modals  # noqa: F401
        import leadgame.tui.screens.picker  # noqa: F401
        import leadgame.tui.screens.saved  # noqa: F401
        import leadgame.tui.screens.scene  # noqa: F401

    # --- moving between screens -------------------------------------------------------------

    def go_to_title(self, leave: int = 0) -> None:
        """Back to the title screen, or (`leave`=1) to one screen above it."""
        from leadgame.tui.screens.title import TitleScreen

        while len(self.screen_stack) > 2 + leave and not isinstance(self.screen, TitleScreen):
            self.pop_screen()

    def open_game(self, game: Session, notes: Sequence[str] = ()) -> None:
        """Show a game where it stands: its current scene, or its debrief if it has ended. The
        screen it was opened from (the picker, the saved games) makes way for it directly, so
        the title beneath is not redrawn on the way. A game an edit cut short asks first."""
        self.go_to_title(leave=1)
        if game.set_aside_now is not None:  # an edit stopped some decisions replaying: ask first
            from leadgame.tui.screens.modals import ContinueAfterEdit

            self.push_screen(ContinueAfterEdit(game.set_aside_now.kept, notes), lambda go_on: self._after_edit(game, go_on))
            return
        self._show_game(game)
        for note in notes:
            self.notify(note, title="Resumed", severity="warning", timeout=12, markup=False)

    def _show_game(self, game: Session) -> None:
        from leadgame.tui.screens.title import TitleScreen

        if game.finished:
            from leadgame.tui.screens.debrief import DebriefScreen

            screen = DebriefScreen(game)
        else:
            from leadgame.tui.screens.scene import SceneScreen

            screen = SceneScreen(game)
        if isinstance(self.screen, TitleScreen) or len(self.screen_stack) < 3:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def _after_edit(self, game: Session, go_on: bool | None) -> None:
        if go_on:
            self._show_game(game)
            return
        game.close()
        self.go_to_title()
        self.notify(f"Nothing was changed: the save '{game.save.name}' is as it was.", timeout=6, markup=False)

    def show_debrief(self, game: Session) -> None:
        """The debrief in place of the game's last scene."""
        from leadgame.tui.screens.debrief import DebriefScreen

        self.switch_screen(DebriefScreen(game))

    # --- a terminal too small for the layout ----------------------------------------------------

    def screen_changed(self, screen: Screen) -> None:
        self.follow_projector(screen)
        self.fit_screen()

    def on_resize(self) -> None:
        self.call_later(self.fit_screen)

    def fit_screen(self) -> None:
        """Cover the screens with a "too small" message while the terminal cannot fit them, and
        take it away when it can. Called on every resize and every change of screen."""
        from leadgame.tui.screens.small import TooSmallScreen, too_small

        small = too_small(*self.size)
        if isinstance(self.screen, TooSmallScreen):
            if not small:
                self.pop_screen()
        elif small and not any(isinstance(screen, TooSmallScreen) for screen in self.screen_stack):
            self.push_screen(TooSmallScreen())

    # --- watching the scenario file (leadgame play PATH --watch) ----------------------------

    async def check_scenario(self) -> bool:
        """Look at the watched file; when it has changed, reload the game on screen, or list the
        file's problems. True when it had changed. The timer calls this; so may tests."""
        if self.watcher is None:
            return False
        async with self._watch_lock:
            if not self.watcher.changed():
                return False
            try:
                await self._scenario_changed()
            except Exception as error:  # a watch must not take the author's game down
                self.notify(f"Could not reload {self.watcher.path.name}: {error!r}", severity="error", markup=False)
            return True

    async def _scenario_changed(self) -> None:
        from leadgame import library
        from leadgame.core.problems import ScenarioError
        from leadgame.core.saves import SaveError
        from leadgame.tui.screens.debrief import DebriefScreen
        from leadgame.tui.watch import describe_changes, reload_session

        path = self.watcher.path
        try:
            scenario = library.load(path)
        except ScenarioError as error:
            self.show_problems(error.problems)
            return
        self.watcher.follow(scenario.includes)
        self.load_library()  # the picker offers the new version too
        screen = self.game_screen()
        if screen is None:
            await self._close_problems()
            self.notify(f"Reloaded {path.name}: your game picks it up when you open it.", timeout=4, markup=False)
            return
        old = screen.game
        log = self._log_to_replay(old)
        if isinstance(screen, DebriefScreen):
            screen.flush()  # the note typed so far goes with the game
        try:
            game, notes = reload_session(old, scenario, log)
        except (SaveError, OSError) as error:
            self.notify(f"Could not reload the game: {error}", severity="error", markup=False)
            return
        self._path_kept = (game.save.name, log if len(game.state.choice_log) < len(log) else game.state.choice_log)
        while self.screen is not screen and len(self.screen_stack) > 1:
            await self.pop_screen()
        await self._show_reloaded(screen, game)
        kept = "; your path replayed." if len(game.state.choice_log) == len(log) else "."  # else a note says where it stopped
        words = [describe_changes(old.scenario, scenario) + kept, *notes]
        self.notify("\n".join(words), title=f"Reloaded {path.name}", severity="warning" if notes else "information",
                    timeout=12 if notes else 5, markup=False)

    def game_screen(self) -> SceneScreen | DebriefScreen | None:
        """The topmost screen showing a game of the watched scenario, if any."""
        from leadgame.tui.screens.debrief import DebriefScreen
        from leadgame.tui.screens.scene import SceneScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, (SceneScreen, DebriefScreen)) and self.watcher.owns(screen.game.scenario):
                return screen
        return None

    def _log_to_replay(self, game: Session) -> tuple[str, ...]:
        """The game's choices; or, when an earlier edit cut its path short and the learner has not
        chosen since, the longer path from before, so undoing the edit brings the path back."""
        name, kept = self._path_kept
        log = game.state.choice_log
        if name == game.save.name and len(kept) > len(log) and kept[:len(log)] == log:
            return kept
        return log

    async def _show_reloaded(self, screen: SceneScreen | DebriefScreen, game: Session) -> None:
        from leadgame.tui.screens.debrief import DebriefScreen
        from leadgame.tui.screens.scene import SceneScreen

        if isinstance(screen, SceneScreen):
            await screen.reload(game)
        elif game.finished:
            await self.switch_screen(DebriefScreen(game))
        else:
            await self.switch_screen(SceneScreen(game))

    def show_problems(self, problems: Sequence[Problem]) -> None:
        from leadgame.tui.screens.problems import ProblemsScreen

        for screen in self.screen_stack:
            if isinstance(screen, ProblemsScreen):
                screen.show(problems)
                return
        self.push_screen(ProblemsScreen(self.watcher.path, problems))

    async def _close_problems(self) -> None:
        from leadgame.tui.screens.problems import ProblemsScreen

        while isinstance(self.screen, ProblemsScreen):
            await self.pop_screen()

    def game_tags(self) -> dict[str, str]:
        """Tags every new game carries (browser play names the learner, team and session)."""
        return {}

    # --- app-wide actions -------------------------------------------------------------------

    def action_help(self) -> None:
        from leadgame.tui.screens.help import HelpScreen, binding_rows

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(binding_rows(self.screen)))

    def action_request_quit(self) -> None:
        from leadgame.tui.screens.modals import ConfirmQuit

        if isinstance(self.screen, ConfirmQuit):
            return

        def answered(quit: bool | None) -> None:
            if quit:
                for screen in self.screen_stack:
                    flush = getattr(screen, "flush", None)
                    if flush is not None:
                        flush()
                self.exit(0)

        self.push_screen(ConfirmQuit(self.current), answered)

    def action_cycle_theme(self) -> None:
        self.use_theme(next_theme(self.theme))

    def use_theme(self, theme: str) -> None:
        self.theme = theme
        self.notify(f"Theme: {theme_name(theme)}", timeout=2, markup=False)

    def get_key_display(self, binding: Binding) -> str:
        """Every key named in one style: the footer, the key list and the palette alike."""
        return binding.key_display or key_name(binding.key.split(",")[0])

    def action_toggle_projector(self) -> None:
        self.projector = not self.projector
        self.notify("Projector mode on: more space around the text." if self.projector else "Projector mode off.", timeout=2)

    def watch_projector(self, on: bool) -> None:
        self.screen.set_class(on, "-projector")

    def follow_projector(self, screen: Screen) -> None:
        """Projector mode is a class on each screen as it is shown, not on the app: restyling
        the screen in view is all a key press needs to pay for."""
        screen.set_class(self.projector, "-projector")

    # --- command palette --------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        own = getattr(screen, "commands", None)
        if own is not None:
            yield from own()
        yield SystemCommand("Help", "Every key binding, and notes on reading and accessibility (?)", self.action_help)
        yield SystemCommand("Next theme", "Dark, light, high-contrast dark, high-contrast light (F2)", self.action_cycle_theme)
        for theme in CYCLE:
            yield SystemCommand(f"Theme: {theme_name(theme)}", "Change how the app looks", lambda theme=theme: self.use_theme(theme))
        yield SystemCommand("Projector mode", "More space around the text, for a room (F3)", self.action_toggle_projector)
        yield SystemCommand("Quit", "Leave leadgame; your game is saved (q)", self.action_request_quit)


def run_tui(game: Session | None = None, notes: Sequence[str] = (), watch: Path | None = None,
            seed: int | None = None) -> int:
    """Run the app, on a game already started or resumed, or from the title screen; with `watch`,
    reload the game whenever that scenario file changes."""
    app = LeadgameApp(game, notes, watch, seed=seed)
    app.run()
    current = app.current
    from leadgame.core.session import NOT_SAVED

    if current is not None and not current.persist:
        print(NOT_SAVED)
    elif current is not None:
        where = Path(current.folder) / f"{current.save.name}.json"
        if current.finished:
            print(f"Your game and note are saved in {where}")
        else:
            print(f"Saved as '{current.save.name}'. Resume with: leadgame play --resume {current.save.name}")
    return app.return_code or 0
