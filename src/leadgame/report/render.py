"""Laying out a cohort report: Rich tables and bars for the terminal, Markdown, and CSV (one row
per learner-decision). HTML lives in `html.py`."""

from __future__ import annotations

import csv
import io

from leadgame.core.debrief import cited
from leadgame.core.text import csv_cell, markdown_text
from leadgame.report import content
from leadgame.report.collect import Report, ScenarioCohort

FULL, EMPTY = "█", "░"
LEVELS = " ▁▂▃▄▅▆▇█"


def bar(share: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, share)) * width)
    return FULL * filled + EMPTY * (width - filled)


def histogram(counts: list[tuple[int, int]]) -> str:
    """One character a score value, taller for more runs; '·' where no run landed."""
    most = max((count for _, count in counts), default=0)
    if not most:
        return "·" * len(counts)
    return "".join(LEVELS[max(1, round(count / most * 8))] if count else "·" for _, count in counts)


# --- text (Rich) --------------------------------------------------------------------------------


def render_text(report: Report) -> str:
    """Print the report to the terminal with Rich (colour unless NO_COLOR or piped); returns ''."""
    from rich.console import Console

    console = Console(highlight=False)
    for renderable in text_parts(report):
        console.print(renderable)
    return ""


def text_parts(report: Report):
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    yield Text(f"leadgame cohort report: {content.headline(report)}", style="bold")
    yield Text(content.PRIVACY, style="dim")
    for cohort in report.cohorts:
        scenario = cohort.scenario
        yield Rule(Text(f"{scenario.title} ({scenario.id})"))
        yield Text(f"{len(cohort.runs)} run(s), {len(cohort.finished)} finished")
        table = Table(title="How the cohort split at each decision", title_justify="left", show_lines=False)
        for column in ("#", "decision", "option", "chose", "", "note"):
            table.add_column(column, overflow="fold")
        last = 0
        for row in content.split_rows(cohort):
            if row.number != last and last:
                table.add_section()
            last = row.number
            marker = "◆ " if row.divergent and row.decision else ""
            note = "◀ minority" if row.flag == "minority" else row.flag
            table.add_row(str(row.number) if row.decision else "", Text(marker + row.decision, style="bold"), Text(row.option),
                          f"{row.count}/{row.reached}", Text(bar(row.share, 16)), Text(note, style="bold" if row.flag == "minority" else "dim"))
        yield table
        yield Text("◆ the cohort split here", style="dim")
        yield Text("Where the paths diverged", style="bold underline")
        for line in content.divergence(cohort):
            yield Text(f"  {line}")
        endings = Table(title="Endings reached", title_justify="left")
        for column in ("ending", "runs", ""):
            endings.add_column(column)
        finished = len(cohort.finished) or 1
        for _, title, count in cohort.endings():
            endings.add_row(Text(title), str(count), Text(bar(count / finished, 16)))
        yield endings
        yield Text("The real leaders' path", style="bold underline")
        yield Text(f"  {content.REAL_PATH}")
        for title, count, ref, words in content.real_path(cohort):
            source = cohort.scenario.source
            yield Text(f"  {title} — {count} run(s). {source.outcome_heading}{cited(ref, source)}: {words}")
        spreads = Table(title="Each construct across the cohort (finished runs)", title_justify="left")
        for column in ("construct", "scale", "lowest / median / highest", "spread (low → high)"):
            spreads.add_column(column, overflow="fold")
        for spread in cohort.spreads():
            spreads.add_row(Text(spread.name), f"{spread.low} to {spread.high}",
                            content.spread_summary(spread.summary), Text(histogram(spread.counts)))
        yield spreads
        for room in cohort.rooms():
            votes = Table(title=content.room_heading(room), title_justify="left")
            for column in ("#", "decision", "option", "votes", "", "chosen", "time and note"):
                votes.add_column(column, overflow="fold")
            for row in content.vote_rows(cohort, room):
                detail = content.vote_summary(row) + (f" · {row.note}" if row.note else "") if row.decision else ""
                votes.add_row(str(row.number) if row.decision else "", Text(row.decision), Text(row.option),
                              f"{row.votes}/{row.total}", Text(bar(row.votes / row.total if row.total else 0, 12)),
                              "◀ chosen" if row.chosen else "", Text(detail))
            yield votes
            for question, answers in content.room_answers(cohort, room):
                yield Text(f"{room.name}, answers to: {question}", style="bold")
                for answer in answers:
                    yield Text(f"  - {answer}")
        yield runs_table(cohort, Table, Text)
        notes = content.feelings(cohort)
        if notes:
            yield Text("How it felt", style="bold underline")
            for note in notes:
                yield Text(f"  “{note}”")
    if report.skipped:
        yield Rule(Text("Skipped files"))
        for where, reason in content.skipped(report):
            yield Text(f"skipped {where}: {reason}")


TERMINAL_RUNS = 100  # beyond this a terminal table stops helping; md, csv and html list every run


def runs_table(cohort: ScenarioCohort, Table, Text):
    shown = cohort.runs[:TERMINAL_RUNS]
    title = "Runs (alphabetical; option numbers, decision by decision)"
    hidden = len(cohort.runs) - len(shown)
    caption = f"…and {hidden} more runs: --format csv, md or html lists every one" if hidden else None
    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    for column in ("run", "team", "session", "path", "ending"):
        table.add_column(column, overflow="fold")
    for run in shown:
        table.add_row(Text(run.name), Text(run.team), Text(run.session), Text(content.path_numbers(cohort, run)),
                      Text(content.ending_title(cohort, run)))
    return table


# --- Markdown -----------------------------------------------------------------------------------
# Every piece of text from a save, a room session or a scenario goes through `m` (the one cleaning
# rule, with Markdown's special characters escaped); the renderer's own markup does not.

m = markdown_text


def md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A table of cells already made safe (data through `m`, markup the renderer's own)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def md_bar(share: float) -> str:
    return f"`{bar(share, 12)}`"


def render_md(report: Report) -> str:
    out = ["# leadgame cohort report", "", f"{m(content.headline(report))}.", "", f"_{m(content.PRIVACY)}_", ""]
    for cohort in report.cohorts:
        scenario = cohort.scenario
        out += [f"## {m(scenario.title)}", "", f"{len(cohort.runs)} run(s), {len(cohort.finished)} finished.", ""]
        out += ["### How the cohort split at each decision", ""]
        rows = [[str(r.number) if r.decision else "", ("◆ " if r.divergent and r.decision else "") + m(r.decision), m(r.option),
                 f"{r.count}/{r.reached}", md_bar(r.share), "**minority**" if r.flag == "minority" else m(r.flag)]
                for r in content.split_rows(cohort)]
        out += md_table(["#", "decision", "option", "chose", "share", "note"], rows)
        out += ["◆ marks a decision where the cohort split.", "", "### Where the paths diverged", ""]
        out += [f"- {m(line)}" for line in content.divergence(cohort)] + [""]
        finished = len(cohort.finished) or 1
        out += ["### Endings reached", ""]
        out += md_table(["ending", "runs", "share"], [[m(t), str(n), md_bar(n / finished)] for _, t, n in cohort.endings()])
        out += ["### The real leaders' path", "", m(content.REAL_PATH), ""]
        for title, count, ref, words in content.real_path(cohort):
            source = cohort.scenario.source
            out += [f"- **{m(title)}** — {count} run(s). {source.outcome_heading}{cited(ref, source)}: {m(words)}"]
        out += ["", "### Each construct across the cohort", ""]
        out += md_table(["construct", "scale", "lowest / median / highest", "spread (low → high)"],
                        [[m(s.name), f"{s.low} to {s.high}", m(content.spread_summary(s.summary)), f"`{histogram(s.counts)}`"]
                         for s in cohort.spreads()])
        for room in cohort.rooms():
            out += [f"### {m(content.room_heading(room))}", ""]
            out += md_table(["#", "decision", "option", "votes", "share", "chosen", "time and note"],
                            [[str(r.number) if r.decision else "", m(r.decision), m(r.option), f"{r.votes}/{r.total}",
                              md_bar(r.votes / r.total if r.total else 0), "◀ chosen" if r.chosen else "",
                              m(content.vote_summary(r) + (f" · {r.note}" if r.note else "")) if r.decision else ""]
                             for r in content.vote_rows(cohort, room)])
            for question, answers in content.room_answers(cohort, room):
                out += [f"**{m(room.name)}, answers to:** {m(question)}", ""]
                out += [f"- “{m(answer)}”" for answer in answers] + [""]
        out += ["### Runs", "", "Alphabetical; the path is the option number chosen at each decision.", ""]
        out += md_table(["run", "team", "session", "path", "ending"],
                        [[m(r.name), m(r.team), m(r.session), m(content.path_numbers(cohort, r)), m(content.ending_title(cohort, r))]
                         for r in cohort.runs])
        notes = content.feelings(cohort)
        if notes:
            out += ["### How it felt", ""] + [f"- “{m(note)}”" for note in notes] + [""]
    if report.skipped:
        out += ["## Skipped files", ""] + [f"- {m(where)}: {m(reason)}" for where, reason in content.skipped(report)] + [""]
    return "\n".join(out)


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = ["run", "kind", "team", "session", "scenario", "decision", "scene_id", "scene", "choice_id", "choice",
               "cohort_chose_this", "cohort_reached", "minority", "votes", "votes_total", "tie_break", "seconds",
               "facilitator_note", "ending", "finished", "file", "votes_from_devices"]


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for cohort in report.cohorts:
        shares = {(s.scene, o.choice): (o.count, s.reached, o.minority) for s in cohort.splits() for o in s.options}
        for run in cohort.runs:
            room = [d for d in run.room if not d.passage]
            for number, step in enumerate(run.decisions, start=1):
                count, reached, minority = shares.get((step.scene, step.choice), (0, 0, False))
                decision = room[number - 1] if number <= len(room) else None
                scene = cohort.scenario.scenes[step.scene]
                votes = ";".join(f"{c}={n}" for c, n in decision.votes.items()) if decision else ""
                row = [run.name, run.kind, run.team, run.session, cohort.scenario.id, number, step.scene, scene.title,
                       step.choice, cohort.label(step.scene, step.choice), count, reached, "yes" if minority else "no",
                       votes, decision.total if decision else "", ("yes" if decision.tie_break else "no") if decision else "",
                       round(decision.seconds) if decision else "", decision.note if decision else "",
                       content.ending_title(cohort, run), "yes" if run.finished else "no",
                       "" if report.anonymous else str(run.source), len(decision.device_votes) if decision else ""]
                writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def render(report: Report, fmt: str, to_terminal: bool = True) -> str:
    """The report in `fmt`. Text for the terminal is printed straight away (returns '')."""
    if fmt == "md":
        return render_md(report)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "html":
        from leadgame.report.html import render_html

        return render_html(report)
    if to_terminal:
        return render_text(report)
    from rich.console import Console

    console = Console(file=io.StringIO(), width=120, no_color=True, highlight=False, color_system=None)
    for renderable in text_parts(report):
        console.print(renderable)
    return console.file.getvalue()
