"""A flow as a sequence diagram, laid out by archdsl itself: a lifeline per participant, the
steps as arrows in written order, parallel groups framed, async steps dashed, optional ones
dotted, what a step writes and how it is undone noted under its label. Deterministic (the same
flow gives the same bytes) and readable at the size it opens: 14 px labels, 12 px notes.

Also the Mermaid `sequenceDiagram` of the same flow (GitHub draws it in Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..safetext import xml_safe
from ..vocabulary import format_ms
from . import theme
from .exports import mermaid_text

FONT = "Helvetica, Arial, sans-serif"
LABEL_PX = 14
NOTE_PX = 12
CHAR_PX = {LABEL_PX: 7.6, NOTE_PX: 6.6}  # the mean advance of a character, for widths
BOX_HEIGHT = 46
TOP = 64  # below the title
GAP = 36  # between two participants' boxes
STEP = 64  # the height of a step: its label, its note and its arrow
FRAME_HEAD = 26  # the height of a parallel frame's title band
MARGIN = 24


def _width(text: str, size: int = LABEL_PX) -> float:
    return len(text) * CHAR_PX[size]


def _text(value: str) -> str:
    """Spec text for SVG: flattened to one line, XML-safe, escaped."""
    return escape(" ".join(xml_safe(str(value)).split()), quote=True)


@dataclass(frozen=True)
class _Who:
    qid: str
    name: str  # the label shown
    kind: str  # a component's kind, or "actor"
    state: str | None
    x: float  # the centre of its lifeline
    width: float


def _notes(step) -> str:
    """What a step does to state and how it is undone, under its label."""
    parts = []
    if step.reads:
        parts.append("reads " + ", ".join(step.reads))
    if step.writes:
        parts.append("writes " + ", ".join(step.writes) + (" (atomic)" if step.atomic else ""))
    if step.compensate:
        parts.append("undo: " + step.compensate)
    if step.optional:
        parts.append("optional")
    if step.is_async:
        parts.append("async")
    return " · ".join(parts)


def _participants(flow, graph) -> list[_Who]:
    out, x = [], float(MARGIN)
    for qid in flow.participants():
        name, kind, state = qid, "actor", None  # an end that names nothing known: shown as written
        if qid in graph:
            element = graph.nodes[qid]["element"]
            name = element.label
            if graph.nodes[qid]["type"] == "component":
                kind, state = element.kind, element.effective_state
        width = max(110.0, _width(name) + 28, _width(_subtitle(kind, state), NOTE_PX) + 16)
        out.append(_Who(qid, name, kind, state, x + width / 2, width))
        x += width + GAP
    return out


def to_svg(flow, graph, links=None) -> bytes:
    """The sequence diagram of `flow` as SVG; `links(qid)` gives where a participant links to."""
    who = _participants(flow, graph)
    at = {w.qid: w for w in who}
    rows: list[str] = []
    y = TOP + BOX_HEIGHT + 30
    widest = who[-1].x + who[-1].width / 2 + MARGIN if who else 200.0
    for stage in flow.stages():
        if len(stage) > 1:  # a parallel group: framed, its steps one under the other
            left = min(min(at[s.source].x, at[s.target].x) for s in stage) - 60
            right = max(max(at[s.source].x, at[s.target].x) for s in stage) + 60
            top = y - 8
            y += FRAME_HEAD
            inner = []
            for step in stage:
                inner.append(_arrow(step, at, y))
                y += STEP
            height = y - top - 12
            rows.append(f'<rect x="{left:.0f}" y="{top:.0f}" width="{right - left:.0f}" height="{height:.0f}" '
                        f'fill="none" stroke="#805AD5" stroke-width="1.2" rx="4"/>')
            rows.append(f'<text x="{left + 8:.0f}" y="{top + 17:.0f}" font-size="{NOTE_PX}" fill="#553C9A" '
                        f'font-weight="bold">parallel</text>')
            rows += inner
            y += 4
            widest = max(widest, right + MARGIN)
        else:
            rows.append(_arrow(stage[0], at, y))
            y += STEP
    for step in flow.steps:  # a label wider than the space to the right of the diagram
        end = max(at[step.source].x, at[step.target].x)
        start = min(at[step.source].x, at[step.target].x)
        need = (start + end) / 2 + max(_width(step.name), _width(_notes(step), NOTE_PX)) / 2 + MARGIN
        widest = max(widest, need)
    height = y + 10
    heads = [_head(w, links) for w in who]
    lines = [f'<line x1="{w.x:.0f}" y1="{TOP + BOX_HEIGHT}" x2="{w.x:.0f}" y2="{height - 10:.0f}" '
             f'stroke="#A0AEC0" stroke-width="1.2" stroke-dasharray="6 5"/>' for w in who]
    title = _text(flow.title or flow.id)
    target = f"\u00a0· target {format_ms(flow.latency_ms)}" if flow.latency_ms is not None else ""
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{widest:.0f}px" height="{height:.0f}px" '
        f'viewBox="0 0 {widest:.0f} {height:.0f}" font-family="{FONT}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
        f'<rect width="{widest:.0f}" height="{height:.0f}" fill="white"/>',
        f'<text x="{MARGIN}" y="34" font-size="18" font-weight="bold" fill="#1A202C">{title}'
        f'<tspan font-size="{NOTE_PX}" font-weight="normal" fill="#4A5568">{_text(target)}</tspan></text>',
        *lines, *heads, *rows, "</svg>",
    ]
    return ("\n".join(svg) + "\n").encode("utf-8")


def _subtitle(kind: str, state: str | None) -> str:
    return "actor" if kind == "actor" else f"«{kind}» · {theme.STATE_LABEL.get(state, 'state unknown')}"


def _head(w: _Who, links) -> str:
    """A participant's box (an actor's: plain, with a person glyph), coloured by its state."""
    left, top = w.x - w.width / 2, TOP
    if w.kind == "actor":
        box = (f'<rect x="{left:.0f}" y="{top}" width="{w.width:.0f}" height="{BOX_HEIGHT}" rx="6" '
               f'fill="#EDF2F7" stroke="#4A5568" stroke-width="1.2"/>')
        label = f"{theme.ACTOR_GLYPH} {w.name}"
        sub = "actor"
    else:
        style = theme.STATE.get(w.state, theme.STATE[None])
        box = (f'<rect x="{left:.0f}" y="{top}" width="{w.width:.0f}" height="{BOX_HEIGHT}" rx="6" '
               f'fill="{style["fillcolor"]}" stroke="{style["color"]}" stroke-width="{style["penwidth"]}"/>')
        label = w.name
        sub = _subtitle(w.kind, w.state)
    text = (f'<text x="{w.x:.0f}" y="{top + 20}" font-size="{LABEL_PX}" text-anchor="middle" fill="#1A202C">'
            f'{_text(label)}</text><text x="{w.x:.0f}" y="{top + 37}" font-size="{NOTE_PX}" '
            f'text-anchor="middle" fill="#4A5568">{_text(sub)}</text>')
    group = f'<g class="participant" data-id="{_text(w.qid)}"><title>{_text(w.qid)}</title>{box}{text}</g>'
    address = links(w.qid) if links and w.kind != "actor" else ""
    return f'<a href="{_text(address)}">{group}</a>' if address else group


def _arrow(step, at: dict[str, _Who], y: float) -> str:
    """One step: its label and notes above a line from caller to callee."""
    source, target = at[step.source], at[step.target]
    x1, x2 = source.x, target.x
    sign = 1 if x2 > x1 else -1  # the way the arrow points
    dash = ' stroke-dasharray="7 5"' if step.is_async else ' stroke-dasharray="2 4"' if step.optional else ""
    middle = (x1 + x2) / 2
    notes = _notes(step)
    out = [f'<g class="step"><title>{_text(step.arrow)}</title>',
           f'<text x="{middle:.0f}" y="{y:.0f}" font-size="{LABEL_PX}" text-anchor="middle" fill="#1A202C">'
           f'{_text(step.name)}</text>']
    if notes:
        colour = "#9C4221" if step.writes and not step.compensate and not step.atomic else "#4A5568"
        out.append(f'<text x="{middle:.0f}" y="{y + 17:.0f}" font-size="{NOTE_PX}" text-anchor="middle" '
                   f'fill="{colour}">{_text(notes)}</text>')
    line_y = y + (28 if notes else 14)
    out.append(f'<line x1="{x1:.0f}" y1="{line_y:.0f}" x2="{x2 - sign * 2:.0f}" y2="{line_y:.0f}" '
               f'stroke="#2D3748" stroke-width="1.6"{dash}/>')
    # the head drawn as a path, not a marker: a page that holds two diagrams keeps no ids
    back, side = x2 - sign * 11, 5
    if step.is_async:  # an open head: no one waits for the answer
        out.append(f'<path d="M{back:.0f},{line_y - side:.0f} L{x2:.0f},{line_y:.0f} L{back:.0f},{line_y + side:.0f}" '
                   f'fill="none" stroke="#2D3748" stroke-width="1.6"/>')
    else:
        out.append(f'<path d="M{back:.0f},{line_y - side:.0f} L{x2:.0f},{line_y:.0f} L{back:.0f},{line_y + side:.0f} z" '
                   f'fill="#2D3748"/>')
    out.append("</g>")
    return "".join(out)


def to_mermaid(flow, graph) -> str:
    """The flow as a Mermaid `sequenceDiagram`: `par` for parallel groups, `-)` for async steps,
    notes for what a step writes and how it is undone."""
    ids = {qid: f"p{index}" for index, qid in enumerate(flow.participants())}
    out = ["sequenceDiagram", f"  title {mermaid_text(flow.title or flow.id)}"]
    for qid, pid in ids.items():
        data = graph.nodes[qid] if qid in graph else None
        word = "actor" if data is None or data["type"] == "actor" else "participant"
        name = data["element"].label if data else qid
        out.append(f"  {word} {pid} as {mermaid_text(name)}")
    for stage in flow.stages():
        parallel = len(stage) > 1
        for index, step in enumerate(stage):
            if parallel:
                out.append("  par" if index == 0 else "  and")
            arrow = "-)" if step.is_async else "-->>" if step.optional else "->>"
            indent = "    " if parallel else "  "
            out.append(f"{indent}{ids[step.source]}{arrow}{ids[step.target]}: {mermaid_text(step.name)}")
            notes = _notes(step)
            if notes:
                out.append(f"{indent}Note over {ids[step.target]}: {mermaid_text(notes)}")
        if parallel:
            out.append("  end")
    return "\n".join(out) + "\n"
