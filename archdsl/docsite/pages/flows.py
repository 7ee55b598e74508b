"""A page per flow: the request in words, its sequence diagram, what each step costs with the
running total against the target, and what the rules found in it."""

from __future__ import annotations

from ... import markup
from ...model import format_ms
from .common import SystemFacts, component_link, front_matter, severity_badge


def flow_page(f: SystemFacts, cost, diagram: str = "", rules_link: str = "../../../rules") -> str:
    """One request end to end: who starts it, the diagram, the latency table, the findings."""
    flow = cost.flow
    out = [front_matter(flow.label), f"# {markup.inline(flow.label)}\n\n"]
    facts = []
    if flow.start:
        facts.append(f"started by {component_link(f, flow.start, '../components/')}")
    if cost.target_ms is not None:
        whose = "its target" if flow.latency_ms is not None else "the system's target"
        facts.append(f"{whose} {format_ms(cost.target_ms)}")
    if facts:
        out.append(" · ".join(facts) + "\n\n")
    if flow.description:
        out.append(f"{markup.prose(flow.description)}\n\n")
    out.append(diagram)
    out.append(_latency(f, cost))
    mine = f.findings_of.get(flow.qid, [])
    out.append("## Findings\n\n")
    out += ([f"- {severity_badge(x.severity.value)} [{x.code}]({rules_link}/{x.code}.md) {markup.inline(x.message)}\n"
             for x in mine] + ["\n"]) if mine else ["None.\n\n"]
    return "".join(out) + "[All flows](index.md) · [System overview](../index.md)\n"


def _latency(f: SystemFacts, cost) -> str:
    """Each step, what it costs, and the request's running total; parallel steps share a total."""
    out = ["## Latency\n\n", "| # | Step | From → to | Cost | Running total |\n", "|---|---|---|---|---|\n"]
    for number, priced in enumerate(cost.steps, 1):
        step = priced.step
        how = "" if priced.waited else " (no one waits)"
        together = " ∥" if step.group is not None else ""
        ends = (f"{component_link(f, step.source, '../components/')} → "
                f"{component_link(f, step.target, '../components/')}")
        out.append(f"| {number}{together} | {markup.inline(step.name)} | {ends} | "
                   f"{format_ms(priced.cost_ms) if priced.waited else '—'}{how} | {format_ms(priced.running_ms)} |\n")
    verdict = ""
    if cost.target_ms is not None:
        verdict = (f" — **over** the {format_ms(cost.target_ms)} target" if cost.over
                   else f" — within the {format_ms(cost.target_ms)} target")
    return "".join(out) + (f"\nThe request costs **{format_ms(cost.total_ms)}**{verdict}. Steps marked ∥ run in"
                           " parallel: their group costs its slowest.\n\n")


def flows_index(f: SystemFacts) -> str:
    """Every flow of the system with its cost and target."""
    out = [front_matter(f"{f.system.label}: flows"), f"# Flows of {markup.inline(f.system.label)}\n\n",
           "| Flow | Steps | Cost | Target |\n", "|---|---|---|---|\n"]
    for cost in f.flows:
        target = format_ms(cost.target_ms) if cost.target_ms is not None else "—"
        mark = " **over**" if cost.over else ""
        out.append(f"| [{markup.inline(cost.flow.label)}]({cost.flow.id}.md) | {len(cost.flow.steps)} "
                   f"| {format_ms(cost.total_ms)}{mark} | {target} |\n")
    return "".join(out) + "\n[System overview](../index.md)\n"
