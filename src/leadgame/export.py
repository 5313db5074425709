"""Exporting a debrief: the same Markdown plain mode prints, and a printable HTML page with the
path and profile drawn, written side by side into a folder (by default under the saves folder).

The HTML is built from the core debrief's own sections, so the two files always carry the same
sections in the same order. Scenario text is Markdown rendered with raw HTML switched off;
learner text reaches it only through `markdown_text` (core/text.py) or `e`, the report's
HTML escaping.
"""

from __future__ import annotations

from pathlib import Path

from leadgame.core import debrief as d
from leadgame.core.debrief import Debrief, Section
from leadgame.core.saves import write_output
from leadgame.core.scoring import SCALE, ConstructScore
from leadgame.report.html import e

STYLE = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --you: #1f5fa8; --real: #b3541e; --line: #c8c8c8; }
body { font: 11pt/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 2rem auto; max-width: 46rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.3rem; }
.muted { color: var(--muted); }
ul.options { list-style: none; padding-left: 0.4rem; margin: 0.3rem 0; }
ul.options li.other { color: var(--muted); }
ul.options li.chosen { font-weight: 600; }
.mark { display: inline-block; width: 1.3rem; }
.real { color: var(--real); font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.8rem; margin: 0.4rem 0; }
dt { font-weight: 600; } dd { margin: 0; }
.passage { color: var(--muted); font-style: italic; margin: 0.6rem 0; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--line); }
th { border-bottom: 2px solid var(--ink); }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.parted td { border-top: 2px solid var(--real); }
svg.scale line { stroke: var(--ink); } svg.scale circle { fill: var(--you); } svg.scale rect { fill: var(--real); }
svg.scale text { font-size: 9px; fill: var(--muted); }
blockquote { margin: 0.3rem 0; padding: 0.1rem 0.8rem; border-left: 3px solid var(--line); }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } h3, table, dl, svg { break-inside: avoid; }
  svg, .real { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def markdown_html(text: str) -> str:
    """Markdown as HTML, raw HTML in it shown as text, unsafe links dropped."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).render(text)


def export_paths(folder: Path, name: str) -> tuple[Path, Path]:
    return Path(folder) / f"{name}-debrief.md", Path(folder) / f"{name}-debrief.html"


def export_debrief(debrief: Debrief, folder: Path, name: str) -> tuple[Path, Path]:
    """Write the debrief as Markdown and HTML into `folder` (made if need be); a later export
    of the same game replaces its files. Raises OSError when they cannot be written."""
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    markdown, html = export_paths(folder, name)
    write_output(markdown, d.to_markdown(debrief))
    write_output(html, debrief_html(debrief))
    return markdown, html


# --- the page --------------------------------------------------------------------------------------


def debrief_html(debrief: Debrief) -> str:
    about = " · ".join(p for p in (f"Played {debrief.played}" if debrief.played else "",
                                   f"{debrief.mode} mode" if debrief.mode else "", debrief.label) if p)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Debrief: {e(debrief.scenario_title)}</title>", f"<style>{STYLE}</style></head><body>",
           f"<h1>Debrief: {e(debrief.scenario_title)}</h1>", f'<p class="muted">{e(about)}</p>' if about else ""]
    for section in d.sections(debrief):
        out.append(f"<h2>{e(section.heading)}</h2>")
        out.append(section_html(debrief, section))
    out.append("</body></html>")
    return "\n".join(part for part in out if part) + "\n"


def section_html(debrief: Debrief, section: Section) -> str:
    if section.kind == d.PATH:
        return path_html(debrief)
    if section.kind == d.PROFILE:
        return profile_html(debrief)
    if section.kind == d.WHAT_IF and debrief.comparison is not None:
        return comparison_html(debrief.comparison, debrief.label)
    return markdown_html(section.body)


def path_html(debrief: Debrief) -> str:
    if not debrief.path:
        return "<p><em>No decisions.</em></p>"
    out = [f"<p>{e(d.path_summary(debrief))}</p>"]
    for juncture in debrief.path:
        entry = juncture.entry
        if not juncture.decision:
            note = f"<br>Your note: {learner_html(juncture.note)}" if juncture.note else ""
            out.append(f'<p class="passage">Then: {e(entry.scene_title)}.{note}</p>')
            continue
        out.append(f"<h3>{entry.number}. {e(entry.scene_title)}</h3>")
        if entry.when:
            out.append(f'<p class="muted">{e(entry.when)}</p>')
        items = []
        for option in juncture.options:
            mark = "▶" if option.chosen else "·"
            real = ' <span class="real">◆ the real leaders</span>' if option.real else ""
            items.append(f'<li class="{"chosen" if option.chosen else "other"}"><span class="mark">{mark}</span>'
                         f"{e(option.label)}{real}</li>")
        out.append(f'<ul class="options">{"".join(items)}</ul>')
        rows = []  # what the learner chose is the ▶ above
        if juncture.real.kind:
            rows.append(("The real leaders" + (" chose" if juncture.real.kind in (d.SAME, d.OTHER) else ""),
                         e(juncture.real.words(debrief.source))))
        gained = ", ".join(f"{c.name} {d.signed(c.delta)}" for c in juncture.gains)
        cost = ", ".join(f"{c.name} {d.signed(c.delta)}" for c in juncture.costs)
        rows += [(label, e(words)) for label, words in (("Gained", gained), ("Cost", cost)) if words]
        if juncture.note:
            rows.append(("Your note", learner_html(juncture.note)))
        if rows:
            out.append("<dl>" + "".join(f"<dt>{e(label)}</dt><dd>{value}</dd>" for label, value in rows) + "</dl>")
        if entry.consequence.strip():
            out.append(markdown_html(entry.consequence))
        if juncture.rationale.strip():
            out.append(f"<blockquote>{markdown_html(f'*Why:* {juncture.rationale.strip()}{d.cited(juncture.ref, debrief.source)}')}</blockquote>")
    return "\n".join(out)


def learner_html(text: str) -> str:
    return "<br>".join(e(line) for line in text.splitlines() if line.strip())


def scale_svg(score: ConstructScore, real: ConstructScore | None, words: str) -> str:
    """A construct's scale from 0 to 10 with its middle marked: a circle where the learner
    stands, a diamond where the real leaders' path stands."""
    left, right, y = 12, 188, 14
    at = lambda position: left + position * (right - left)  # noqa: E731
    parts = [f'<svg class="scale" width="200" height="30" viewBox="0 0 200 30" role="img" aria-label="{e(words)}">',
             f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}"/>']
    for tick, label in ((0.0, "0"), (0.5, str(SCALE // 2)), (1.0, str(SCALE))):
        parts.append(f'<line x1="{at(tick):.1f}" y1="{y - 5}" x2="{at(tick):.1f}" y2="{y + 5}"/>')
        parts.append(f'<text x="{at(tick):.1f}" y="{y + 15}" text-anchor="middle">{label}</text>')
    if real is not None and real.on_scale is not None:  # marks sit where the words say ("7 of 10")
        x = at(real.on_scale / SCALE)
        parts.append(f'<rect x="{x - 4:.1f}" y="{y - 4}" width="8" height="8" transform="rotate(45 {x:.1f} {y})"/>')
    if score.on_scale is not None:
        parts.append(f'<circle cx="{at(score.on_scale / SCALE):.1f}" cy="{y}" r="5"/>')
    return "".join(parts) + "</svg>"


def profile_html(debrief: Debrief) -> str:
    legend = "● you" + ("   ◆ the real leaders" if debrief.real_profile else "")
    rows = []
    for score in debrief.profile:
        real = debrief.real(score) if debrief.real_profile else None
        rows.append(f"<tr><td>{e(score.construct.name)}</td><td>{scale_svg(score, real, d.profile_line(score, real))}</td>"
                    f"<td>{e(d.standing_words(score, real))}</td></tr>")
    return (f"<p>{e(d.PROFILE_INTRO)}</p><p class=\"muted\">{e(legend)}</p>"
            f"<table><thead><tr><th>Construct</th><th>Scale</th><th>Where you stand</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def comparison_html(comparison: d.Comparison, label: str) -> str:
    parting = comparison.parting
    out = [f"<p>{e(d.comparison_intro(comparison, label))}</p>"]
    rows = []
    for number, one, two in comparison.rows():
        cells = "".join(f"<td>{e(d.entry_words(entry))}</td>" for entry in (one, two))
        mark = ' class="parted"' if number == parting else ""
        rows.append(f'<tr{mark}><td class="num">{number}{" ◀ they part" if number == parting else ""}</td>{cells}</tr>')
    out.append("<table><thead><tr><th>#</th><th>First run</th><th>What if</th></tr></thead>"
               f"<tbody>{''.join(rows)}</tbody></table>")
    out.append(f"<p>Endings: the first run <em>{e(comparison.first_ending)}</em>; the what-if "
               f"<em>{e(comparison.second_ending)}</em>.</p>")
    changes = "".join(f"<tr><td>{e(c.construct.name)}</td><td class=num>{d.scale_words(c.first)}</td><td class=num>{d.scale_words(c.second)}</td>"
                      f"<td class=num>{'' if c.change is None else e(d.signed(c.change))}</td></tr>" for c in comparison.changes)
    out.append("<table><thead><tr><th>Construct</th><th>First run</th><th>What if</th><th>Change</th></tr></thead>"
               f"<tbody>{changes}</tbody></table>")
    return "\n".join(out)
