"""The `leadgame` command. Heavy imports wait until a subcommand needs them, so every command
starts quickly."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from pathlib import Path

from leadgame import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
DEFAULT_HOST = "127.0.0.1"


class UsageError(Exception):
    """A mistake in how the command was called: reported in one line, exit status 2."""


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. When `argv` starts with a command's name, only that command is
    built: parsing reads nothing else, and building every command costs a quick command a
    noticeable part of its start. Otherwise (no command, or a top-level option first) all are
    built, so help and error messages are the same either way."""
    parser = argparse.ArgumentParser(
        prog="leadgame",
        description="Step into a real leader's seat in three UK systems-leadership case studies.",
        epilog="Run `leadgame COMMAND --help` for each command. Plain mode (--plain) suits screen readers and scripts.",
    )
    parser.add_argument("--version", action="version", version=f"leadgame {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = argv[0] if argv and argv[0] in COMMANDS else None
    for name, add_command in COMMANDS.items():
        if named in (None, name):
            add_command(commands)
    return parser


def _list_command(commands) -> None:
    listing = commands.add_parser("list", help="list the available scenarios", description="List the scenarios: title, setting, role and summary.")
    listing.set_defaults(handler=cmd_list)


def _play_command(commands) -> None:
    play = commands.add_parser("play", help="play a scenario", description="Play a scenario, by id or file path.")
    play.add_argument("scenario", nargs="?", help="scenario id (see `leadgame list`) or path to a scenario file")
    play.add_argument("--plain", action="store_true", help="plain text, one line per answer: for screen readers and piped input")
    play.add_argument("--coached", action="store_true", help="show the reasoning, where the source says so, after each decision")
    play.add_argument("--resume", nargs="?", const="", metavar="SAVE", help="continue a saved game: the newest for this scenario, or the named save")
    play.add_argument("--use-backup", action="store_true",
                      help="with --resume NAME: restore the newest backup of the save (says what it restores, then asks)")
    play.add_argument("--yes", action="store_true", help="with --use-backup: restore without asking")
    play.add_argument("--save", metavar="NAME", help="name for a new game's save (default: scenario id, time and a random tag)")
    play.add_argument("--replace", action="store_true",
                      help="with --save NAME: start the game again although one is saved under NAME (same scenario only; "
                           "the old game is kept as its backup)")
    play.add_argument("--seed", type=int, help="seed for the order of options and chance events (default: a new one each game)")
    play.add_argument("--from", dest="from_scene", metavar="SCENE", help="start at this scene (for authors testing a branch)")
    play.add_argument("--set", dest="assignments", action="append", default=[], metavar="VAR=VALUE",
                      help="start with a story variable set to VALUE (repeatable; for authors; the run is not saved)")
    play.add_argument("--ending", metavar="ID", help="preview an ending and its debrief (for authors; not saved)")
    play.add_argument("--script", metavar="FILE",
                      help="play the choice ids in FILE, one per line (passages are continued by themselves), then go on; "
                           "with seed 0 unless --seed is given, so a script run repeats exactly")
    play.add_argument("--no-save", action="store_true", help="play without saving: a test run leaves nothing behind")
    play.add_argument("--watch", action="store_true",
                      help="reload the scenario whenever its file changes, keeping your path (for authors; needs the full-screen app)")
    play.add_argument("--team", metavar="NAME", help="tag this game with a team name, for a workshop (each team's save stands alone)")
    play.add_argument("--session", metavar="CODE", help="tag this game with the workshop's session code, for `leadgame report`")
    play.set_defaults(handler=cmd_play)


def _export_command(commands) -> None:
    export = commands.add_parser(
        "export", help="write a game's debrief as Markdown and a printable HTML page",
        description="Write the debrief of a saved game (its path beside the real leaders', profile, notes and answers) "
                    "as NAME-debrief.md and NAME-debrief.html, in the exports folder under the saves folder or in -o FOLDER.",
    )
    export.add_argument("save", metavar="SAVE", help="the saved game's name (as `leadgame play --resume` takes it)")
    export.add_argument("-o", "--output", metavar="FOLDER", help="the folder to write into (default: the exports folder)")
    export.set_defaults(handler=cmd_export)


def _workshop_command(commands) -> None:
    workshop = commands.add_parser(
        "workshop", help="run a scenario for a whole room, on a projector",
        description="Room mode: the facilitator plays a scenario for the room, enters the room's votes at each "
                    "decision and advances on the majority. Saved after every vote; resume with --session CODE.",
    )
    workshop.add_argument("scenario", nargs="?", help="scenario id or file (optional when resuming with --session)")
    workshop.add_argument("--session", metavar="CODE", help="the session code: resumes that session if it exists, else starts it")
    workshop.add_argument("--timer", type=int, default=120, metavar="SECONDS", help="countdown per decision (default 120)")
    workshop.add_argument("--extend", type=int, default=60, metavar="SECONDS", help="time the x key adds to the countdown (default 60)")
    workshop.add_argument("--seed", type=int, help="seed for the order of options and chance events (default: a new one each session)")
    workshop.add_argument("--live", action="store_true",
                          help="learners join from their own phones and laptops: serve the room on --host and --port")
    workshop.add_argument("--host", default=DEFAULT_HOST,
                          help=f"with --live: address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for the whole network)")
    workshop.add_argument("--port", type=int, default=8000, help="with --live: port (default 8000)")
    workshop.add_argument("--public-url", metavar="URL", help="with --live: the address to tell learners, if not this machine's own")
    workshop.add_argument("--presenter", metavar="CODE",
                          help="the presenter view of session CODE: notes, prompts and live votes, for a second screen")
    workshop.set_defaults(handler=cmd_workshop)


def _report_command(commands) -> None:
    report = commands.add_parser(
        "report", help="a cohort report over many saves and workshop sessions",
        description="Read every save and workshop session under the paths and report how the cohort split at each "
                    "decision, the endings reached, each construct's spread and the room's votes. Learners are never ranked.",
    )
    report.add_argument("paths", nargs="*", metavar="PATH", help="save files, workshop session files, or folders of them")
    report.add_argument("--format", choices=("text", "md", "csv", "html"), default="text", help="text (default), md, csv or html")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal (- for standard output)")
    report.add_argument("--anonymous", action="store_true", help="hide learners' and teams' names")
    lrs_query = report.add_argument_group("from the Learning Record Store (instead of PATHs)")
    lrs_query.add_argument("--lrs", action="store_true", help="read the cohort from the configured LRS (see `leadgame lrs status`)")
    lrs_query.add_argument("--activity", metavar="SCENARIO", help="only this scenario (its id, or its activity IRI)")
    lrs_query.add_argument("--session", metavar="CODE", help="only games tagged with this workshop session code")
    lrs_query.add_argument("--registration", metavar="UUID", help="only this playthrough")
    lrs_query.add_argument("--since", metavar="TIME", help="only statements after this time (ISO 8601, e.g. 2026-03-01)")
    lrs_query.add_argument("--until", metavar="TIME", help="only statements up to this time (ISO 8601)")
    report.set_defaults(handler=cmd_report)


def _lrs_command(commands) -> None:
    lrs = commands.add_parser(
        "lrs", help="learning records: send games to your organisation's LRS as xAPI statements",
        description="Games are recorded as xAPI statements in an outbox in the saves folder and sent in the background "
                    "to the Learning Record Store set in the [lrs] settings (see docs/xapi.md).",
    )
    actions = lrs.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("status", help="the settings in use and what is queued",
                       description="Show the LRS settings in use (never the credentials) and the statements queued.")
    actions.add_parser("push", help="send the queued statements now, with progress",
                       description="Send every queued statement to the LRS now. Nothing is lost if it fails.")
    export = actions.add_parser("export", help="turn saves and room sessions already on disk into statements",
                                description="Queue the statements of every save and room session under the paths (and send "
                                            "them, when an LRS is configured). Exporting twice adds nothing twice.")
    export.add_argument("paths", nargs="+", metavar="PATH", help="save files, workshop session files, or folders of them")
    export.add_argument("--no-push", action="store_true", help="only queue them; send later with `leadgame lrs push`")
    lrs.set_defaults(handler=cmd_lrs)


def _serve_command(commands) -> None:
    serve = commands.add_parser(
        "serve", help="serve the game to web browsers on a trusted network",
        description="Serve leadgame to web browsers with textual-serve. There is no login: anyone who can reach the "
                    "address can play, so keep it on localhost or a trusted network.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this computer only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--public-url", metavar="URL", help="the address browsers use, if not this machine's own (e.g. behind a proxy)")
    serve.add_argument("--learner", action="store_true", help=argparse.SUPPRESS)  # what each browser runs
    serve.set_defaults(handler=cmd_serve)


def _validate_command(commands) -> None:
    validate = commands.add_parser(
        "validate", help="check scenario files or folders",
        description="Check scenario files or folders. Prints file:line:column, error code, key and a fix hint for every problem. Exit 0 valid, 1 invalid, 2 usage error.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders of them")
    validate.add_argument("--upgrade", action="store_true",
                          help="first rewrite each scenario file in the newest format, keeping its comments and "
                               "wording (the previous version is kept as FILE.bak)")
    validate.set_defaults(handler=cmd_validate)


def _new_command(commands) -> None:
    new = commands.add_parser("new", help="start a new scenario file from a commented template",
                              description="Write ID.yaml: a valid, playable scenario showing every feature of the format. "
                                          "With --example, the tutorial's worked example instead. Never overwrites.")
    new.add_argument("id", nargs="?", help="the new scenario's id: lowercase letters, digits and hyphens")
    new.add_argument("--example", action="store_true",
                     help="write the worked example the tutorial (docs/tutorial.md) builds step by step")
    new.add_argument("--dir", default=".", help="folder to write into (default: current folder)")
    new.set_defaults(handler=cmd_new)


def _check_command(commands) -> None:
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


def _graph_command(commands) -> None:
    graph = commands.add_parser("graph", help="print a scenario's scene graph", description="Print the scene graph: choices as labelled edges, endings marked.")
    graph.add_argument("path", metavar="PATH", help="scenario id or file")
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="mermaid (default) or Graphviz dot")
    graph.set_defaults(handler=cmd_graph)


def _schema_command(commands) -> None:
    schema = commands.add_parser("schema", help="print a JSON Schema for scenario files", description="Print a JSON Schema for scenario files, for editors' YAML language servers (see docs/authoring.md).")
    schema.set_defaults(handler=cmd_schema)


# Each command's parser, in the order `leadgame --help` lists them.
COMMANDS = {
    "list": _list_command,
    "play": _play_command,
    "export": _export_command,
    "workshop": _workshop_command,
    "report": _report_command,
    "lrs": _lrs_command,
    "serve": _serve_command,
    "validate": _validate_command,
    "new": _new_command,
    "check": _check_command,
    "graph": _graph_command,
    "schema": _schema_command,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return cmd_play(parser.parse_args(["play", *argv]))
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
    except OSError as error:  # the last resort: every file leadgame writes says more than this
        where = f" ({error.filename})" if error.filename else ""
        print(f"leadgame: {error.strerror or error}{where}", file=sys.stderr)
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
        problems = entry.error.problems
        console.print(Text(f"skipped {entry.path}: {len(problems)} problem(s), as `leadgame validate {entry.path}` lists:"),
                      soft_wrap=True)
        for problem in problems[:3]:
            console.print(Text(f"  {problem}"), soft_wrap=True)  # whole lines, as validate prints them
        if len(problems) > 3:
            console.print(Text(f"  … and {len(problems) - 3} more"))
    return EXIT_OK


# --- validate -----------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from leadgame import library, locations
    from leadgame.core.loader import load_constructs
    from leadgame.core.problems import ScenarioError

    files = _scenario_paths(args.paths, with_catalogue=True)
    if args.upgrade:
        _upgrade([path for path in files if path.name != locations.CATALOGUE])
    problems, warnings = [], []
    for path in files:
        try:
            if path.name == locations.CATALOGUE:
                load_constructs(path)
            else:
                warnings += state_space_warnings(library.load(path))
        except ScenarioError as error:
            problems += error.problems
    for problem in problems + warnings:
        print(problem)
    summary = "no problems" if not problems else f"{len(problems)} problem(s)"
    summary += f", {len(warnings)} warning(s)" if warnings else ""
    print(f"{len(files)} file(s) checked: {summary}")
    return EXIT_INVALID if problems else EXIT_OK


def state_space_warnings(scenario) -> list:
    """A warning when exploring the scenario (as `check` does) would run out of its budget."""
    from leadgame.core.explore import state_space_problem
    from leadgame.core.problems import Problem

    limit = state_space_problem(scenario)
    if limit is None:
        return []
    return [Problem(scenario.path, limit.line, 1, "W-STATE-SPACE", "", f"the story state is likely too large to explore: {limit}")]


def _upgrade(files: list[Path]) -> None:
    from leadgame.authoring.upgrade import UpgradeError, upgrade_file
    from leadgame.core.loader import FORMAT_VERSION
    from leadgame.core.problems import ScenarioError
    from leadgame.core.saves import atomic_write

    for path in files:
        try:
            upgrade = upgrade_file(path)
        except ScenarioError:
            continue  # the validation below lists why it cannot be read
        except UpgradeError as error:
            print(f"{path}: not upgraded: {error}")
            continue
        if upgrade is None:
            print(f"{path}: already format {FORMAT_VERSION}")
            continue
        try:
            atomic_write(path, upgrade.text, keep_backup=True)
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
        details = [f"{upgrade.escaped} text(s) had literal braces escaped"] if upgrade.escaped else []
        details += [f"{upgrade.kept} text(s) already written as conditional text"] if upgrade.kept else []
        print(f"{path}: upgraded to format {FORMAT_VERSION}" + (f" ({'; '.join(details)})" if details else "")
              + f"; the previous version is {path.name}.bak")


# --- authoring ----------------------------------------------------------------------------------


def _scenario_paths(names: list[str], with_catalogue: bool = False) -> list[Path]:
    """Scenario files from the command line: files, folders of them, or scenario ids."""
    from leadgame import library

    files: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            files += library.scenario_files(path, with_catalogue)
        elif path.exists():
            files.append(path)
        elif path.suffix in library.SCENARIO_SUFFIXES or len(path.parts) > 1:
            raise UsageError(f"no such file or folder: {name}")
        else:
            try:
                files.append(library.find(name))
            except library.NotFound as error:
                raise UsageError(str(error)) from None
    return files


def cmd_new(args: argparse.Namespace) -> int:
    from leadgame.authoring.scaffold import EXAMPLE_ID, ScaffoldError, write_scaffold

    if not args.id and not args.example:
        raise UsageError("name the new scenario: leadgame new ID (or leadgame new --example for the worked example)")
    try:
        path = write_scaffold(args.id or EXAMPLE_ID, Path(args.dir), args.example)
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    print(f"Wrote {path}. Next: `leadgame check {path}` and `leadgame play {path} --plain --coached`.")
    if args.example:
        print("It is the tutorial's finished scenario: its comments mark each step of docs/tutorial.md.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from leadgame.authoring import check, randomtest

    if args.random is not None and args.random < 1:
        raise UsageError("--random needs a positive number of playthroughs")
    status = EXIT_OK
    reports = [check.check_file(path) for path in _scenario_paths(args.paths)]
    unscored = check.unscored_constructs(reports)
    for report in reports:
        random_runs = skipped = None
        if args.random and report.scenario and not report.errors:
            random_runs = randomtest.random_playthroughs(report.scenario, args.random, args.seed)
        elif args.random:
            skipped = (f"no random playthroughs were run: {report.path} has {len(report.errors)} error(s), "
                       f"and random play needs a scenario without errors; fix them and run it again")
        if args.json:
            data = {**report.to_dict(), "unscored_constructs": unscored}
            if random_runs:
                data["random"] = random_runs.to_dict()
            elif skipped:
                data["random"] = {"runs": 0, "skipped": skipped}
            print(json.dumps(data, ensure_ascii=False))
        else:
            print(check.render_text(report))
            if random_runs:
                print(randomtest.render_text(report.scenario, random_runs))
            elif skipped:
                print(f"   {skipped}")
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
    from leadgame.core.saves import SaveError, list_saves
    from leadgame.core.session import Session

    folder = locations.saves_dir()
    save = None
    _record_games()
    if args.watch and not _interactive(args, quiet=True):
        raise UsageError(f"--watch reloads the full-screen app as you edit, and {_no_app_reason(args)}; "
                         "drop --watch, or run it in a terminal without --plain")
    _check_test_options(args)
    try:
        if args.use_backup:
            save = _restore_backup(folder, args)
        elif args.resume:
            save = _read_or_offer_backup(folder, args.resume)
        scenario_name = args.scenario or (save.scenario_path or save.scenario_id if save else None)
        if not scenario_name:
            if args.watch:
                raise UsageError("--watch needs a scenario file to watch: leadgame play PATH --watch")
            if _interactive(args):
                from leadgame.tui.app import run_tui

                return run_tui(seed=args.seed)
            raise UsageError("name a scenario to play (see `leadgame list`)")
        scenario = library.load(library.find(scenario_name))
        if args.from_scene in scenario.endings:
            raise UsageError(f"'{args.from_scene}' is an ending: preview it with --ending {args.from_scene}")
        if args.resume == "":
            saves, _ = list_saves(folder)
            mine = [s for _, s in saves if s.scenario_id == scenario.id and not s.finished]
            if not mine:
                raise UsageError(f"no unfinished saved game for '{scenario.id}' in {folder}")
            save = mine[0]
        if save is not None:
            game, notes = Session.resume(scenario, folder, save, persist=not args.no_save)
        else:
            team, session, name = _team_tags(args, folder)
            persist = not (args.no_save or args.assignments or args.ending)
            game = Session.new(scenario, folder, name, args.seed, args.coached, team=team, session=session,
                               start_scene=args.ending or args.from_scene or "", replace_existing=args.replace,
                               persist=persist, start_variables=_start_variables(scenario, args.assignments))
            notes = ()
        script = _script_steps(game, args.script) if args.script else None
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

        for choice_id, _ in script or ():  # the app opens where the script leaves the game
            game.choose(choice_id)
        return run_tui(game, notes, watch=Path(scenario.path) if args.watch else None)
    from leadgame import plain

    answers = ["" if passage else choice_id for choice_id, passage in script] if script else None
    return plain.run(game, notes, script=answers)


def _check_test_options(args: argparse.Namespace) -> None:
    if args.script and args.seed is None:
        args.seed = 0  # a script is for repeatable runs: the same order of options, the same chance events
    if args.ending and (args.from_scene or args.script):
        raise UsageError("--ending shows an ending straight away; it cannot be combined with --from or --script")
    if args.resume is not None and (args.assignments or args.ending or args.from_scene or args.script):
        raise UsageError("--resume carries on a saved game as it was; --set, --ending, --from and --script start a new one")


def _start_variables(scenario, assignments: list[str]) -> dict:
    """`--set trust=2 --set stance=lead`, each checked against the variable's declaration."""
    values = {}
    for assignment in assignments:
        name, equals, text = assignment.partition("=")
        name = name.strip()
        if not equals or not name:
            raise UsageError(f"--set wants VAR=VALUE, not '{assignment[:60]}'")
        variable = scenario.variables.get(name)
        if variable is None:
            import difflib

            close = difflib.get_close_matches(name, list(scenario.variables), n=1)
            guess = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(scenario.variables) or "none"
            raise UsageError(f"--set {name}: the scenario declares no variable '{name[:40]}'{guess} (its variables: {known})")
        try:
            values[name] = variable.read(text)
        except ValueError as error:
            raise UsageError(f"--set {name}: {error}") from None
    return values


MAX_SCRIPT_BYTES = 1024 * 1024


def _script_steps(game, name: str) -> list[tuple[str, bool]]:
    """A test script's steps from where the game stands: (choice id, continues a passage). Blank
    lines and lines starting with `#` are skipped; a line that does not fit stops here, located."""
    from leadgame.core.engine import ScriptError, follow_script

    path = Path(name)
    try:
        if path.stat().st_size > MAX_SCRIPT_BYTES:
            raise UsageError(f"{path}: a script of choice ids is never that large")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the script {path}: {getattr(error, 'strerror', None) or error}") from None
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    try:
        return follow_script(game.state, lines)
    except ScriptError as error:
        raise UsageError(f"{path}:{error.line}: {error}") from None


def _restore_backup(folder: Path, args: argparse.Namespace):
    """`--use-backup`: say what would be restored and what becomes of the current save, then ask
    (or go ahead with --yes); an answer other than yes changes nothing."""
    from leadgame.core.saves import backup_offer, restore_backup

    if not args.resume:
        raise UsageError("--use-backup needs the save's name: leadgame play --resume NAME --use-backup")
    offer = backup_offer(folder, args.resume)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"{offer.describe()}\nAdd --yes to restore it.")
        print(offer.describe(), file=sys.stderr)
        try:
            answer = input("Restore the backup? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            raise UsageError("nothing was changed")
    save = restore_backup(folder, args.resume)
    print(f"Restored the backup of '{args.resume}' ({len(save.choices)} choices).", file=sys.stderr)
    return save


def _read_or_offer_backup(folder: Path, name: str):
    from leadgame.core.saves import SaveError, backup_offer, read_save, save_path

    path = save_path(folder, name)
    try:
        return read_save(path)
    except SaveError as error:
        try:
            backup_offer(folder, name)
        except SaveError:
            raise error from None
        raise SaveError(f"{error}\nA backup of this game is kept; see what it holds and restore it with: "
                        f"leadgame play --resume {name} --use-backup") from None


def _team_tags(args: argparse.Namespace, folder: Path) -> tuple[str, str, str | None]:
    """The team and session tags (untrusted words, cleaned) and the save name they give a new
    game: `SESSION-time-tag`, never the team's name (a file name is seen by anyone with the
    folder, even when the report hides names), and never one already taken."""
    from leadgame.core.session import unused_name
    from leadgame.core.text import clean_text

    team, session = clean_text(args.team or "", 80), clean_text(args.session or "", 80)
    if args.save or not (team or session):
        return team, session, args.save
    from leadgame.core.workshop import safe_name

    return team, session, unused_name(folder, safe_name(session, "team") if session else "team")


def _no_app_reason(args: argparse.Namespace) -> str:
    """Why the Textual app cannot run here, in words; empty when it can."""
    if args.plain:
        return "--plain asks for plain mode"
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return "input or output is not a terminal"
    term = os.environ.get("TERM", "").lower()
    if term in ("dumb", "unknown"):  # Rich's rule too: such a terminal cannot move the cursor
        return f"TERM={term} says this terminal cannot draw a full screen"
    return ""


def _interactive(args: argparse.Namespace, quiet: bool = False) -> bool:
    """The Textual app, unless plain mode was asked for, stdin/stdout is not a terminal, or the
    terminal says it is dumb (then plain mode, with a one-line note saying why)."""
    reason = _no_app_reason(args)
    if reason.startswith("TERM=") and not quiet:
        print(f"leadgame: {reason}, so this is plain mode (set TERM, e.g. TERM=xterm-256color, for the full-screen app)",
              file=sys.stderr)
    return not reason


# --- export -------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from leadgame import library, locations
    from leadgame.core.problems import ScenarioError
    from leadgame.core.saves import SaveError
    from leadgame.core.session import saved_debrief
    from leadgame.export import export_debrief

    folder = locations.saves_dir()
    try:
        save = _read_or_offer_backup(folder, args.save)
        scenario = library.load(library.for_save(save))
        debrief = saved_debrief(scenario, folder, save)
    except (library.NotFound, SaveError) as error:
        raise UsageError(str(error)) from None
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    target = Path(args.output) if args.output else locations.exports_dir()
    try:
        written = export_debrief(debrief, target, save.name)
    except OSError as error:
        raise UsageError(f"cannot write into {target}: {error.strerror or error}") from None
    for path in written:
        print(f"Wrote {path}")
    return EXIT_OK


# --- workshops, reports and browser play ---------------------------------------------------------


def cmd_workshop(args: argparse.Namespace) -> int:
    from leadgame import library, locations
    from leadgame.core.problems import ScenarioError
    from leadgame.core.saves import SaveError
    from leadgame.core.workshop import WorkshopError, WorkshopSession, read_workshop, workshop_file

    if args.timer < 1 or args.extend < 1:
        raise UsageError("--timer and --extend need a positive number of seconds")
    if not 0 < args.port < 65536:
        raise UsageError("--port must be between 1 and 65535")
    if args.public_url:
        from leadgame.workshop.address import AddressError, public_url

        try:
            public_url(args.host, args.port, args.public_url)
        except AddressError as error:
            raise UsageError(str(error)) from None
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("room mode needs a terminal (a projector screen); it cannot run from a pipe")
    folder = locations.saves_dir()
    if args.presenter:
        return _presenter(folder, args.presenter)
    listening = _listen(args) if args.live else None
    _record_games()
    try:
        existing = workshop_file(folder, args.session) if args.session else None
        record = read_workshop(existing) if existing is not None and existing.exists() else None
        scenario_name = args.scenario or (record.scenario_path or record.scenario_id if record else None)
        if not scenario_name:
            raise UsageError("name a scenario to run (see `leadgame list`), or an existing session with --session CODE")
        scenario = library.load(library.find(scenario_name))
        if record is not None:
            game, notes = WorkshopSession.resume(scenario, folder, record)
        else:
            game, notes = WorkshopSession.new(scenario, folder, args.session or "", args.seed, args.timer), ()
    except (library.NotFound, SaveError, WorkshopError) as error:
        raise UsageError(str(error)) from None
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    from leadgame.workshop.app import run_workshop

    live = _live_room(game, args, listening) if listening is not None else None
    return run_workshop(game, notes, args.extend, live)


def _listen(args: argparse.Namespace):
    """The live room's address, bound before any session is made, so a busy port is one line."""
    import errno

    from leadgame.workshop.live.server import listen

    try:
        return listen(args.host, args.port)
    except OSError as error:
        reason = "is already in use (by another program, or another leadgame)" if error.errno == errno.EADDRINUSE else \
            f"cannot be used ({error.strerror or error})"
        raise UsageError(f"{args.host}:{args.port} {reason}; choose another with --port") from None


def _live_room(game, args: argparse.Namespace, listening):
    from leadgame.workshop.live.server import LiveRoom

    live = LiveRoom(game, args.host, args.port, args.public_url, listening)  # the URL was checked above
    print(f"Learners join at {live.url} with session code {game.code}.")
    print(f"Presenter view (notes and prompts, keep it off the projector): leadgame workshop --presenter {game.code}")
    return live


def _presenter(folder: Path, code: str) -> int:
    from leadgame.core.saves import SaveError
    from leadgame.core.workshop import WorkshopError, read_workshop, workshop_file
    from leadgame.workshop.presenter import run_presenter

    try:
        path = workshop_file(folder, code)
        read_workshop(path)
    except (SaveError, WorkshopError) as error:
        raise UsageError(str(error)) from None
    return run_presenter(path)


def cmd_report(args: argparse.Namespace) -> int:
    from leadgame.report import build_report, render

    query = (args.activity, args.session, args.registration, args.since, args.until)
    if args.lrs:
        if args.paths:
            raise UsageError("give PATHs or --lrs, not both")
        report = _lrs_report(args)
    elif any(query):
        raise UsageError("--activity, --session, --registration, --since and --until choose what to read from an LRS: add --lrs")
    elif not args.paths:
        raise UsageError("name the saves to report on (files or folders), or read them from an LRS with --lrs")
    else:
        missing = [name for name in args.paths if not Path(name).exists()]
        if missing:
            raise UsageError(f"no such file or folder: {missing[0]}")
        report = build_report([Path(p) for p in args.paths], anonymous=args.anonymous)
    text = render(report, args.format, to_terminal=args.output is None)
    if args.output and args.output != "-":  # "-" is the usual spelling of standard output
        from leadgame.core.saves import file_problem, write_output

        out = Path(args.output)
        try:
            write_output(out, text)
        except OSError as error:
            raise UsageError(f"cannot write {out}: {file_problem(error, out.parent)}") from None
        print(f"Wrote {out}: {len(report.runs)} run(s), {len(report.skipped)} file(s) skipped")
    elif text:
        sys.stdout.write(text)
    return EXIT_OK


def _lrs_report(args: argparse.Namespace):
    from leadgame.lrs.client import LrsError
    from leadgame.lrs.readback import Query, lrs_report

    config = _lrs_config(need_endpoint=True)
    query = Query(args.activity or "", args.session or "", args.registration or "", args.since or "", args.until or "")
    try:
        return lrs_report(config, query, anonymous=args.anonymous)
    except LrsError as error:
        print(f"leadgame: {error}", file=sys.stderr)
        raise SystemExit(EXIT_INVALID) from None


def cmd_serve(args: argparse.Namespace) -> int:
    from leadgame.workshop import serve

    if args.learner:
        _record_games()
        return serve.run_learner()
    if not 0 < args.port < 65536:
        raise UsageError("--port must be between 1 and 65535")
    from leadgame.workshop.address import AddressError

    try:
        return serve.serve(args.host, args.port, args.public_url)
    except (serve.Missing, AddressError) as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise UsageError(f"port {args.port} is already in use on {args.host} (another leadgame serve, or another "
                         f"program); stop it, or choose another port with --port") from None


# --- learning records -----------------------------------------------------------------------------


def _record_games() -> None:
    """Record this process's games for the LRS, if one is configured. A settings problem turns
    recording off with a warning: it never stops anyone playing."""
    from leadgame.lrs.config import ConfigError, load

    try:
        config = load()
        if config.configured:
            from leadgame.lrs import recorder

            recorder.start(config)
    except (ConfigError, OSError) as error:
        print(f"leadgame: learning records are off: {error}", file=sys.stderr)


def _lrs_config(need_endpoint: bool = False):
    from leadgame import locations
    from leadgame.lrs.config import ConfigError, load

    try:
        config = load()
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if need_endpoint and not config.configured:
        raise UsageError(f"no LRS is configured: set 'endpoint' under [lrs] in {locations.config_file()}, "
                         "or LEADGAME_LRS_ENDPOINT (see docs/xapi.md)")
    return config


def cmd_lrs(args: argparse.Namespace) -> int:
    return {"status": _lrs_status, "push": _lrs_push, "export": _lrs_export}[args.action](args)


def _lrs_status(args: argparse.Namespace) -> int:
    from leadgame import locations
    from leadgame.lrs.config import ACCOUNT, ANONYMOUS
    from leadgame.lrs.outbox import Outbox

    config = _lrs_config()
    outbox = Outbox(locations.saves_dir())
    status = outbox.status()
    who = {ANONYMOUS: "anonymous: a random id for this device, no name", ACCOUNT: "by account (name on the home page set)"}
    lines = ["Learning records (xAPI)", f"  settings:      {config.source}"]
    if config.configured:
        lines.append(f"  LRS:           {config.where} ({'credentials set' if config.username else 'no credentials'})")
    else:
        lines.append(f"  LRS:           none configured: games are not recorded (set 'endpoint' under [lrs] in "
                     f"{locations.config_file()})")
    lines += [f"  learners:      {who.get(config.actor, 'by hashed email address (mbox_sha1sum)')}",
              f"  activity ids:  {config.base}/scenarios/...",
              f"  outbox:        {outbox.queue_file}"]
    verbs = ", ".join(f"{verb} {count}" for verb, count in sorted(status.verbs.items()))
    queued = f"{status.queued:,} statement(s)" + (f" ({verbs}), from {status.oldest} to {status.newest}" if status.queued else "")
    lines.append(f"  queued:        {queued}")
    lines.append(f"  sent:          {status.sent:,} remembered as sent")
    if status.refused:
        lines.append(f"  refused:       {status.refused:,} the LRS said were invalid, kept in {outbox.refused_file}")
    if status.damaged:
        lines.append(f"  damaged:       {status.damaged:,} unreadable line(s) skipped (an interrupted write); "
                     "`leadgame lrs export` makes any lost statement again from the saves")
    print("\n".join(lines))
    return EXIT_OK


def _progress_printer(label: str):
    import time

    shown = {"at": 0.0}

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - shown["at"] < 1.0:
            return
        shown["at"] = now
        print(f"{label} {done:,} of {total:,} statement(s)", flush=True)

    return show


def _lrs_push(args: argparse.Namespace) -> int:
    from leadgame import locations
    from leadgame.lrs.client import Client, LrsError
    from leadgame.lrs.outbox import Outbox
    from leadgame.lrs.sender import push

    config = _lrs_config(need_endpoint=True)
    outbox = Outbox(locations.saves_dir())
    try:
        if not outbox.status().queued:
            Client(config).check()
            print(f"Nothing to send: the outbox is empty, and the LRS at {config.where} accepts these credentials.")
            return EXIT_OK
        print(f"Sending to the LRS at {config.where}", flush=True)
        pushed = push(outbox, config, _progress_printer("  sent"))
    except LrsError as error:
        left = outbox.status().queued
        print(f"leadgame: {error}; {left:,} statement(s) stay in the outbox", file=sys.stderr)
        return EXIT_INVALID
    print(_pushed_words(pushed, outbox))
    return EXIT_OK


def _pushed_words(pushed, outbox) -> str:
    words = f"Sent {pushed.sent:,} statement(s)"
    if pushed.already:
        words += f"; {pushed.already:,} were already in the LRS"
    if pushed.refused:
        words += f"; {pushed.refused:,} refused as invalid, kept in {outbox.refused_file}"
    return words + "."


def _lrs_export(args: argparse.Namespace) -> int:
    from leadgame import locations
    from leadgame.lrs import config as settings
    from leadgame.lrs.client import LrsError
    from leadgame.lrs.export import export
    from leadgame.lrs.outbox import Outbox, OutboxFull
    from leadgame.lrs.sender import Pushed, push
    from leadgame.lrs.statements import Profile

    missing = [name for name in args.paths if not Path(name).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    config = _lrs_config()
    device = settings.device_id() if config.actor == settings.ANONYMOUS else ""
    outbox = Outbox(locations.saves_dir())
    sending = config.configured and not args.no_push
    total = Pushed()
    progress = _progress_printer("  sent")

    def send() -> None:
        pushed = push(outbox, config, progress)
        total.sent, total.already, total.refused = total.sent + pushed.sent, total.already + pushed.already, total.refused + pushed.refused

    try:
        exported = export([Path(p) for p in args.paths], Profile(config, device), outbox, send if sending else None)
    except (LrsError, OutboxFull) as error:
        print(f"leadgame: {error}; what was queued stays in the outbox: send it with `leadgame lrs push`, "
              "then export again (nothing is added twice)", file=sys.stderr)
        return EXIT_INVALID
    for path, reason in exported.skipped:
        print(f"skipped {path}: {reason}")
    print(f"Exported {exported.games:,} game(s): {exported.statements:,} statement(s), {exported.queued:,} new to the outbox.")
    if sending:
        print(_pushed_words(total, outbox))
    elif config.configured:
        print("Queued only: send them with `leadgame lrs push`.")
    else:
        print("No LRS is configured, so they wait in the outbox: set one (see `leadgame lrs status`), then `leadgame lrs push`.")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
