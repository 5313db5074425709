"""`leadgame graph`: the scene graph as Mermaid or Graphviz DOT, choices as labelled edges and
endings marked, for authors' docs and reviews. An edge that only some learners can take is
drawn apart from the rest: dashed where a condition decides it (an option's or a route's `if`,
an ending's own `if`), dotted where a chance roll does."""

from __future__ import annotations

from leadgame.core.model import END, Scenario

MAX_LABEL = 48


ALWAYS, CONDITIONAL, CHANCE = "always", "conditional", "chance"


def _edges(scenario: Scenario):
    """(from, to, label, kind) for every route of every choice: kind is ALWAYS, CONDITIONAL or CHANCE."""
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            base = "" if scene.is_passage else choice.label
            if choice.condition is not None:
                base = f"{base} [if {choice.condition}]"
            for route in choice.routes:
                extra = []
                if route.condition is not None:
                    extra.append(f"if {route.condition}")
                if route.chance is not None:
                    extra.append(f"chance {route.chance}%")
                label = " ".join(part for part in (base, *extra) if part)
                targets = list(scenario.endings) if route.to == END else [route.to]
                for target in targets:
                    ending = scenario.endings.get(target)
                    note = f" [ending if {ending.condition}]" if route.to == END and ending and ending.condition else ""
                    conditional = choice.condition is not None or route.condition is not None or bool(note)
                    kind = CHANCE if route.chance is not None else CONDITIONAL if conditional else ALWAYS
                    yield scene.id, target, _clip(label + note), kind


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _node_id(name: str) -> str:
    return "n_" + "".join(ch if ch.isalnum() else "_" for ch in name)


def mermaid(scenario: Scenario) -> str:
    def text(value: str) -> str:
        return value.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")

    lines = ["flowchart TD"]
    for scene in scenario.scenes.values():
        shape = ('["', '"]') if not scene.is_passage else ('("', '")')
        lines.append(f"  {_node_id(scene.id)}{shape[0]}{text(scene.title)}{shape[1]}")
    for ending in scenario.endings.values():
        lines.append(f'  {_node_id(ending.id)}(["END: {text(ending.title)}"])')
    for source, target, label, kind in _edges(scenario):
        arrow = {ALWAYS: "-->", CONDITIONAL: "-.->", CHANCE: "-.->"}[kind]
        lines.append(f'  {_node_id(source)} {arrow}' + (f'|"{text(label)}"|' if label else "") + f" {_node_id(target)}")
    lines.append(f"  classDef ending stroke-width:3px")
    lines.append("  class " + ",".join(_node_id(e) for e in scenario.endings) + " ending")
    return "\n".join(lines) + "\n"


def dot(scenario: Scenario) -> str:
    def text(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"')

    lines = [f'digraph "{text(scenario.id)}" {{', "  rankdir=TB;", "  node [shape=box];"]
    for scene in scenario.scenes.values():
        style = ', style="rounded"' if scene.is_passage else ""
        lines.append(f'  "{text(scene.id)}" [label="{text(scene.title)}"{style}];')
    for ending in scenario.endings.values():
        lines.append(f'  "{text(ending.id)}" [label="END: {text(ending.title)}", shape=doubleoctagon];')
    for source, target, label, kind in _edges(scenario):
        style = {ALWAYS: "", CONDITIONAL: ", style=dashed", CHANCE: ", style=dotted"}[kind]
        lines.append(f'  "{text(source)}" -> "{text(target)}" [label="{text(label)}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"
