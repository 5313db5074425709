"""The `leadgame` command. Heavy imports wait until a subcommand needs them, so every command
starts quickly."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leadgame import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called: reported in one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadgame",
        description="Step into a real leader's seat in three UK systems-leadership case studies.",
        epilog="Run `leadgame COMMAND --help` for each command. Plain mode (--plain) suits screen readers and scripts.",
    )
    parser.add_argument("--version", action="version", version=f"leadgame {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser("list", help="list the available scenarios", description="List the scenarios: title, setting, role and summary.")
    listing.set_defaults(handler=cmd_list)

    play = commands.add_parser("play", help="play a scenario", description="Play a scenario, by id or file path.")
    play.add_argument("scenario", nargs="?", help="scenario id (see `leadgame list`) or path to a scenario file")
    play.add_argument("--plain", action="store_true", help="plain text, one line per answer: for screen readers and piped input")
    play.add_argument("--coached", action="store_true", help="show the reasoning and paper section after each decision")
    play.add_argument("--resume", nargs="?", const="", metavar="SAVE", help="continue a saved game: the newest for this scenario, or the named save")
    play.add_argument("--save", metavar="NAME", help="name for a new game's save (default: scenario id and time)")
    play.add_argument("--seed", type=int, default=0, help="seed for chance events (default 0)")
    play.set_defaults(handler=cmd_play)

    validate = commands.add_parser(
        "validate", help="check scenario files or folders",
        description="Check scenario files or folders. Prints file:line:column, error code, key and a fix hint for every problem. Exit 0 valid, 1 invalid, 2 usage error.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders of them")
    validate.set_defaults(handler=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return cmd_play(parser.parse_args(["play", *(argv or [])]))
        return handler(args)
    except UsageError as error:
        print(f"leadgame: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nleadgame: interrupted", file=sys.stderr)
        return 130


# --- list ---------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from leadgame import library

    table = Table(title="leadgame scenarios", show_lines=True)
    for column in ("id", "title", "setting", "your role", "summary"):
        table.add_column(column, overflow="fold")
    broken = []
    for entry in library.entries():
        scenario = entry.scenario
        if scenario is None:
            broken.append(entry)
            continue
        setting = f"{scenario.place}, {scenario.years}"
        table.add_row(*(Text(v) for v in (scenario.id, scenario.title, setting, scenario.role, scenario.summary)))
    console = Console(highlight=False)
    console.print(table)
    for entry in broken:
        console.print(Text(f"skipped {entry.path}: {len(entry.error.problems)} problem(s); run `leadgame validate {entry.path}`"))
    return EXIT_OK


# --- validate -----------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from leadgame import library, locations
    from leadgame.core.loader import load_constructs
    from leadgame.core.problems import ScenarioError

    files: list[Path] = []
    for name in args.paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in library.SCENARIO_SUFFIXES and p.is_file())
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {name}")
    problems = []
    for path in files:
        try:
            if path.name == locations.CATALOGUE:
                load_constructs(path)
            else:
                library.load(path)
        except ScenarioError as error:
            problems += error.problems
    for problem in problems:
        print(problem)
    print(f"{len(files)} file(s) checked: {'no problems' if not problems else f'{len(problems)} problem(s)'}")
    return EXIT_INVALID if problems else EXIT_OK


# --- play ---------------------------------------------------------------------------------------


def cmd_play(args: argparse.Namespace) -> int:
    from leadgame import library, locations
    from leadgame.core.problems import ScenarioError
    from leadgame.core.saves import SaveError, list_saves, read_save, save_path
    from leadgame.core.session import Session

    folder = locations.saves_dir()
    save = None
    try:
        if args.resume:
            save = read_save(save_path(folder, args.resume))
        scenario_name = args.scenario or (save.scenario_path or save.scenario_id if save else None)
        if not scenario_name:
            if _interactive(args):
                from leadgame.tui.app import run_tui

                return run_tui()
            raise UsageError("name a scenario to play (see `leadgame list`)")
        scenario = library.load(library.find(scenario_name))
        if args.resume == "":
            saves, _ = list_saves(folder)
            mine = [s for _, s in saves if s.scenario_id == scenario.id and not s.finished]
            if not mine:
                raise UsageError(f"no unfinished saved game for '{scenario.id}' in {folder}")
            save = mine[0]
        if save is not None:
            game, notes = Session.resume(scenario, folder, save)
        else:
            game, notes = Session.new(scenario, folder, args.save, args.seed, args.coached), ()
    except (library.NotFound, SaveError) as error:
        raise UsageError(str(error)) from None
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"leadgame: the scenario has {len(error.problems)} problem(s); fix them and try again", file=sys.stderr)
        return EXIT_INVALID
    if args.coached and not game.coached:
        game.set_coached(True)
    if _interactive(args):
        from leadgame.tui.app import run_tui

        return run_tui(game, notes)
    from leadgame import plain

    return plain.run(game, notes)


def _interactive(args: argparse.Namespace) -> bool:
    """The Textual app, unless plain mode was asked for or stdin/stdout is not a terminal."""
    return not args.plain and sys.stdin.isatty() and sys.stdout.isatty()


if __name__ == "__main__":
    sys.exit(main())
