"""The `leadgame` command. Heavy imports wait until a subcommand needs them, so every command
starts quickly."""

from __future__ import annotations

import argparse
import os
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
    play.add_argument("--from", dest="from_scene", metavar="SCENE", help="start at this scene (for authors testing a branch)")
    play.set_defaults(handler=cmd_play)

    validate = commands.add_parser(
        "validate", help="check scenario files or folders",
        description="Check scenario files or folders. Prints file:line:column, error code, key and a fix hint for every problem. Exit 0 valid, 1 invalid, 2 usage error.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders of them")
    validate.set_defaults(handler=cmd_validate)

    new = commands.add_parser("new", help="start a new scenario file from a commented template",
                              description="Write ID.yaml: a valid, playable scenario showing every feature of the format. Never overwrites.")
    new.add_argument("id", help="the new scenario's id: lowercase letters, digits and hyphens")
    new.add_argument("--dir", default=".", help="folder to write into (default: current folder)")
    new.set_defaults(handler=cmd_new)

    check = commands.add_parser(
        "check", help="explore every reachable state of scenarios and report problems",
        description="Explore every reachable state: reachability, dead ends, loops, conditions always or never true, "
                    "unused variables, dominated options, one-way constructs, decisions per playthrough, construct ranges, "
                    "words. Exit 1 when any file has errors.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders of them")
    check.add_argument("--json", action="store_true", help="one JSON object per scenario, one per line")
    check.add_argument("--random", type=int, metavar="N", help="also run N seeded random playthroughs and report hit counts")
    check.add_argument("--seed", type=int, default=0, help="seed for --random (default 0); each run is repeatable")
    check.set_defaults(handler=cmd_check)

    graph = commands.add_parser("graph", help="print a scenario's scene graph", description="Print the scene graph: choices as labelled edges, endings marked.")
    graph.add_argument("path", metavar="PATH", help="scenario id or file")
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="mermaid (default) or Graphviz dot")
    graph.set_defaults(handler=cmd_graph)

    schema = commands.add_parser("schema", help="print a JSON Schema for scenario files", description="Print a JSON Schema for scenario files, for editors' YAML language servers (see docs/authoring.md).")
    schema.set_defaults(handler=cmd_schema)
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
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INVALID


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


# --- authoring ----------------------------------------------------------------------------------


def _scenario_paths(names: list[str]) -> list[Path]:
    from leadgame import library

    files: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            files += library.scenario_files(path)
        elif path.exists():
            files.append(path)
        else:
            try:
                files.append(library.find(name))
            except library.NotFound as error:
                raise UsageError(str(error)) from None
    return files


def cmd_new(args: argparse.Namespace) -> int:
    from leadgame.authoring.scaffold import ScaffoldError, write_scaffold

    try:
        path = write_scaffold(args.id, Path(args.dir))
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    print(f"Wrote {path}. Next: `leadgame check {path}` and `leadgame play {path} --plain --coached`.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from leadgame.authoring import check, randomtest

    if args.random is not None and args.random < 1:
        raise UsageError("--random needs a positive number of playthroughs")
    status = EXIT_OK
    reports = [check.check_file(path) for path in _scenario_paths(args.paths)]
    unscored = check.unscored_constructs(reports)
    for report in reports:
        data = report.to_dict()
        data["unscored_constructs"] = unscored
        if args.random and report.scenario and not report.errors:
            data["random"] = randomtest.random_playthroughs(report.scenario, args.random, args.seed)
        if args.json:
            if "random" in data:
                data["random"] = data["random"].to_dict()
            print(check.json.dumps(data, ensure_ascii=False))
        else:
            print(check.render_text(report))
            if "random" in data:
                print(randomtest.render_text(report.scenario, data["random"]))
        status = EXIT_INVALID if report.errors else status
    if unscored and not args.json:
        print(f"C-CONSTRUCT-UNSCORED catalogue constructs no checked scenario scores: {', '.join(unscored)}")
    return status


def cmd_graph(args: argparse.Namespace) -> int:
    from leadgame import library
    from leadgame.authoring import graph
    from leadgame.core.problems import ScenarioError

    (path,) = _scenario_paths([args.path])
    try:
        scenario = library.load(path)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    print(graph.mermaid(scenario) if args.format == "mermaid" else graph.dot(scenario), end="")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from leadgame import locations
    from leadgame.authoring import schema
    from leadgame.core.loader import load_constructs

    catalogue = next((d / locations.CATALOGUE for d in locations.scenario_dirs() if (d / locations.CATALOGUE).is_file()), None)
    print(schema.render(sorted(load_constructs(catalogue)) if catalogue else None))
    return EXIT_OK


# --- play ---------------------------------------------------------------------------------------


def cmd_play(args: argparse.Namespace) -> int:
    from leadgame import library, locations
    from leadgame.core.engine import InvalidChoice
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
            game = Session.new(scenario, folder, args.save, args.seed, args.coached, start_scene=args.from_scene or "")
            notes = ()
    except (library.NotFound, SaveError) as error:
        raise UsageError(str(error)) from None
    except InvalidChoice as error:
        raise UsageError(f"{error} (see `leadgame graph {scenario.path}` for the scene ids)") from None
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
