"""The cohort report as one self-contained HTML file: inline CSS bars and SVG spreads, no
external assets, laid out to print as a handout. Every piece of scenario or learner text goes
through `e`: the one cleaning rule, then `html.escape` (learners' team names and notes are untrusted)."""

from __future__ import annotations

from html import escape

from leadgame.core.debrief import cited
from leadgame.core.text import clean_text
from leadgame.report import content
from leadgame.report.collect import Report, ScenarioCohort

STYLE = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --bar: #1f5fa8; --minor: #b3541e; --line: #d0d0d0; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
p.muted, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; }
th, td { text-align: left; vertical-align: top; padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; border-bottom: 2px solid var(--ink); }
tr.first td { border-top: 2px solid var(--line); }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; width: 10rem; height: 0.8rem; background: #ececec; border: 1px solid #bbb; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: var(--bar); }
tr.minority .bar > span { background: var(--minor); }
.tag { font-size: 0.8rem; font-weight: 600; padding: 0 0.3rem; border: 1px solid currentColor; border-radius: 0.2rem; }
.tag.minority { color: var(--minor); }
.tag.split { color: var(--bar); }
blockquote { margin: 0.3rem 0 0.8rem; padding: 0.1rem 0.8rem; border-left: 3px solid var(--line); }
svg.spread rect { fill: var(--bar); }
svg.spread text { font-size: 9px; fill: var(--muted); }
ul.feelings li { margin: 0.2rem 0; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-before: page; }
  h2.first { break-before: auto; }
  table, blockquote, svg { break-inside: avoid; }
  .bar, .bar > span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def e(text: object) -> str:
    """Any text for the page: the one cleaning rule (core.text), then HTML's escaping."""
    return escape(clean_text(text), quote=True)


def css_bar(share: float) -> str:
    percent = round(max(0.0, min(1.0, share)) * 100)
    return f'<span class="bar" role="img" aria-label="{percent}%"><span style="width:{percent}%"></span></span>'


def svg_spread(counts: list[tuple[int, int]]) -> str:
    """A small column chart of how many finished runs landed on each score, low to high."""
    if not counts:
        return ""
    most = max((count for _, count in counts), default=0) or 1
    step = max(6, min(18, 260 // len(counts)))
    width, height = step * len(counts), 44
    parts = [f'<svg class="spread" width="{width}" height="{height + 12}" viewBox="0 0 {width} {height + 12}" '
             f'role="img" aria-label="scores from {counts[0][0]} to {counts[-1][0]}">']
    for index, (value, count) in enumerate(counts):
        tall = round(count / most * height)
        parts.append(f'<rect x="{index * step + 1}" y="{height - tall}" width="{step - 2}" height="{tall}">'
                     f"<title>{e(value)}: {count}</title></rect>")
    parts.append(f'<text x="0" y="{height + 10}">{e(str(counts[0][0]))}</text>')
    parts.append(f'<text x="{width}" y="{height + 10}" text-anchor="end">{e(str(counts[-1][0]))}</text>')
    return "".join(parts) + "</svg>"


def table(headers: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def cohort_html(cohort: ScenarioCohort, first: bool) -> list[str]:
    scenario = cohort.scenario
    out = [f'<h2{" class=first" if first else ""}>{e(scenario.title)}</h2>',
           f'<p class="muted">{e(scenario.place)} · {e(scenario.years)} · {len(cohort.runs)} run(s), '
           f"{len(cohort.finished)} finished</p>", "<h3>How the cohort split at each decision</h3>"]
    rows = []
    for row in content.split_rows(cohort):
        classes = " ".join(c for c in ("first" if row.decision else "", "minority" if row.flag == "minority" else "") if c)
        split = ' <span class="tag split">split</span>' if row.divergent and row.decision else ""
        flag = '<span class="tag minority">minority</span>' if row.flag == "minority" else e(row.flag)
        rows.append(f'<tr class="{classes}"><td class="num">{row.number if row.decision else ""}</td>'
                    f"<td>{e(row.decision)}{split}</td><td>{e(row.option)}</td>"
                    f'<td class="num">{row.count}/{row.reached}</td><td>{css_bar(row.share)}</td><td>{flag}</td></tr>')
    out.append(table(["#", "Decision", "Option", "Chose", "Share", ""], rows))
    out.append("<h3>Where the paths diverged</h3><ul>" + "".join(f"<li>{e(line)}</li>" for line in content.divergence(cohort)) + "</ul>")
    finished = len(cohort.finished) or 1
    out.append("<h3>Endings reached</h3>")
    out.append(table(["Ending", "Runs", ""], [f'<tr><td>{e(t)}</td><td class="num">{n}</td><td>{css_bar(n / finished)}</td></tr>'
                                             for _, t, n in cohort.endings()]))
    out.append(f"<h3>The real leaders' path</h3><p>{e(content.REAL_PATH)}</p>")
    for title, count, ref, words in content.real_path(cohort):
        source = cohort.scenario.source
        out.append(f"<p><strong>{e(title)}</strong> — {count} run(s). {e(source.outcome_heading)}{e(cited(ref, source))}:</p>"
                   f"<blockquote>{e(words)}</blockquote>")
    out.append("<h3>Each construct across the cohort</h3>"
               '<p class="muted">Finished runs only. Each column is a score the scenario allows, low to high; its height is how many runs landed there.</p>')
    out.append(table(["Construct", "Scale", "Lowest / median / highest", "Spread"],
                     [f"<tr><td>{e(s.name)}</td><td>{s.low} to {s.high}</td><td>{e(content.spread_summary(s.summary))}</td>"
                      f"<td>{svg_spread(s.counts)}</td></tr>" for s in cohort.spreads()]))
    for room in cohort.rooms():
        out.append(f"<h3>{e(content.room_heading(room))}</h3>")
        rows = []
        for row in content.vote_rows(cohort, room):
            detail = (e(content.vote_summary(row)) + (f"<br>{e(row.note)}" if row.note else "")) if row.decision else ""
            rows.append(f'<tr class="{"first" if row.decision else ""}"><td class="num">{row.number if row.decision else ""}</td>'
                        f"<td>{e(row.decision)}</td><td>{e(row.option)}</td><td class=num>{row.votes}/{row.total}</td>"
                        f"<td>{css_bar(row.votes / row.total if row.total else 0)}</td><td>{'chosen' if row.chosen else ''}</td><td>{detail}</td></tr>")
        out.append(table(["#", "Decision", "Option", "Votes", "Share", "", "Time and note"], rows))
        for question, answers in content.room_answers(cohort, room):
            out.append(f"<h4>{e(room.name)}, answers to: {e(question)}</h4><ul class=\"feelings\">"
                       + "".join(f"<li>“{e(answer)}”</li>" for answer in answers) + "</ul>")
    out.append('<h3>Runs</h3><p class="muted">Alphabetical; the path is the option number chosen at each decision.</p>')
    out.append(table(["Run", "Team", "Session", "Path", "Ending"],
                     [f"<tr><td>{e(r.name)}</td><td>{e(r.team)}</td><td>{e(r.session)}</td><td>{e(content.path_numbers(cohort, r))}</td>"
                      f"<td>{e(content.ending_title(cohort, r))}</td></tr>" for r in cohort.runs]))
    notes = content.feelings(cohort)
    if notes:
        out.append('<h3>How it felt</h3><ul class="feelings">' + "".join(f"<li>“{e(n)}”</li>" for n in notes) + "</ul>")
    return out


def render_html(report: Report) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>leadgame cohort report</title>", f"<style>{STYLE}</style></head><body>",
           "<h1>leadgame cohort report</h1>", f"<p>{e(content.headline(report))}.</p>", f'<p class="muted">{e(content.PRIVACY)}</p>']
    for index, cohort in enumerate(report.cohorts):
        out += cohort_html(cohort, index == 0)
    if report.skipped:
        out.append("<h3>Skipped files</h3><ul>" + "".join(f"<li><code>{e(p)}</code>: {e(r)}</li>" for p, r in content.skipped(report)) + "</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
