"""The pages of a system's records and readers: decisions and their timeline, migrations, the
stakeholders' page, and the rule catalog."""

from __future__ import annotations

from ... import markup
from ...wording import plural
from ..framework import link_citations
from .common import (
    DEPTH,
    SystemFacts,
    badge,
    component_link,
    front_matter,
    link,
    share_line,
    state_badge,
)
from .diagrams import inline_diagram


def superseded_by(system, decision) -> list:
    return [d for d in system.decisions if d.supersedes == decision.id]


def decision_page(f: SystemFacts, decision) -> str:
    """A decision record: its facts, what it supersedes and what supersedes it, its text and
    options, the components it affects and a drawing of them."""
    out = [front_matter(f"{decision.id}: {decision.title or decision.id}"),
           f"# {markup.inline(decision.id)}: {markup.inline(decision.title or decision.id)}\n\n",
           _decision_facts(decision), _lineage(f.system, decision)]
    for heading, body in (("Context", decision.context), ("Decision", decision.decision),
                          ("Consequences", decision.consequences)):
        if body:
            out.append(f"## {heading}\n\n{markup.block(body)}\n\n")
    out += [_options(decision), _affected(f.system, decision)]
    view = f"decision:{decision.id}"
    if f.drawn(view):
        out.append(inline_diagram(f, view, DEPTH["nested"][f.directory_urls],
                                  f"The components {decision.id} affects and their neighbours"))
    out.append("[All decisions](index.md) · [System overview](../index.md)\n")
    return "".join(out)


def _decision_facts(decision) -> str:
    facts = [badge(f"status-{decision.status}", decision.status)]
    if decision.date:
        facts.append(f"decided {markup.esc(decision.date)}")
    if decision.deciders:
        facts.append("by " + ", ".join(markup.inline(d) for d in decision.deciders))
    if decision.link:
        facts.append(link(decision.link))
    return " · ".join(facts) + "\n\n"


def _lineage(system, decision) -> str:
    out = []
    if decision.supersedes:
        out.append(f"Supersedes [{markup.inline(decision.supersedes)}]({decision.supersedes}.md).\n\n")
    for newer in superseded_by(system, decision):
        out.append(f"Superseded by [{markup.inline(newer.id)}: {markup.inline(newer.title)}]({newer.id}.md).\n\n")
    return "".join(out)


def _options(decision) -> str:
    if not decision.options:
        return ""
    out = ["## Options\n\n", "| Option | Pros | Cons | Chosen |\n", "|---|---|---|---|\n"]
    for o in decision.options:
        pros = "<br>".join(markup.prose(p) for p in o.pros) or "—"
        cons = "<br>".join(markup.prose(c) for c in o.cons) or "—"
        out.append(f"| {markup.inline(o.name)} | {pros} | {cons} | {badge('pass', 'chosen') if o.chosen else ''} |\n")
    return "".join(out) + "\n"


def _affected(system, decision) -> str:
    out = ["## Affected components\n\n"]
    components = {c.qid: c for c in system.components}
    for ref in decision.affects:
        c = components.get(system.qualify(ref))
        if c is None:
            out.append(f"- {markup.literal(ref)} (not a component of this system)\n")
        else:
            out.append(f"- **[{markup.inline(c.label)}](../components/{c.id}.md)** — "
                       f"{state_badge(c.effective_state)}"
                       f"{' · ' + markup.prose(c.justification) if c.justification else ''}\n")
    return "".join(out) + "\n"


def timeline_page(f: SystemFacts) -> str:
    s = f.system
    out = [front_matter(f"{s.label}: decisions"), f"# Decisions of {markup.inline(s.label)}\n\n"]
    ordered = sorted(s.decisions, key=lambda d: (d.date is None, d.date or "", d.id))
    out += ["| Date | Decision | Status | Affects |\n", "|---|---|---|---|\n"]
    for d in ordered:
        affects = ", ".join(markup.inline(a) for a in d.affects) or "—"
        out.append(f"| {markup.esc(d.date or 'undated')} | [{markup.inline(d.id)}: {markup.inline(d.title)}]({d.id}.md) "
                   f"| {badge(f'status-{d.status}', d.status)} | {affects} |\n")
    return "".join(out) + "\n[System overview](../index.md)\n"


def stakeholder_page(f: SystemFacts) -> str:
    """What each benefit of statelessness means for the business (framework § Explaining the
    decision), filled in for this system."""
    s = f.system
    out = [front_matter(f"{s.label}: for stakeholders"), f"# {markup.inline(s.label)} for stakeholders\n\n",
           share_line(f.share) + "\n\n",
           "| Stateless benefit | What it means for the business | In this architecture |\n", "|---|---|---|\n"]
    out += [f"| {a} | {b} | {c} |\n" for a, b, c in _benefits(f)]
    out.append(_why_state([c for c in s.components if c.effective_state == "stateful"]))
    return "".join(out) + "\n[System overview](index.md)\n"


def _benefits(f: SystemFacts) -> list[tuple[str, str, str]]:
    """Each benefit, what it means for the business, and what this system shows of it."""
    comps = f.system.components
    stateless = [c for c in comps if c.effective_state == "stateless"]
    stateful = [c for c in comps if c.effective_state == "stateful"]
    elastic = [c for c in stateless if c.scaling in ("autoscale", "serverless") or (c.replicas and c.replicas.max > 1)]
    kill = next((a for a in f.checklist if a.code == "CK801"), None)
    worst = min((c for c in f.availability if c.availability is not None), key=lambda c: c.availability or 0.0,
                default=None)
    at_risk = {single.store: single for single in f.single_copies}
    for qid in (kill.offenders if kill else ()):
        at_risk.setdefault(qid, None)

    def names(items) -> str:
        return ", ".join(markup.inline(c.label) for c in items) or "none"

    return [
        ("Easier scaling", "Ten times the users without rebuilding",
         f"{len(elastic)} of {len(comps)} components add instances on demand: {names(elastic)}."),
        ("Faster deployment", "Features reach customers in hours, not days",
         f"{len(stateless)} stateless components can be redeployed at any time without draining connections."),
        ("Higher reliability", "Less downtime, fewer complaints", reliability_line(worst)),
        ("Lower running cost", "Fewer engineers busy keeping it running",
         f"{plural(len(stateful), 'stateful component')} need{'s' if len(stateful) == 1 else ''} "
         f"special operations (affinity, recovery): {names(stateful)}."),
        ("Lower risk", "A failed server loses no customer data and logs no one out", risk_line(f.system, at_risk)),
    ]


def _why_state(stateful: list) -> str:
    if not stateful:
        return ""
    out = ["\n## Why some parts keep state\n\n"]
    for c in stateful:
        reason = (c.justification or "No justification is written yet.").strip()
        if reason[-1] not in ".!?":
            reason += "."
        out.append(f"- **{markup.inline(c.label)}**: {markup.prose(reason)} It is isolated in its own component "
                   "so that the rest stays simple to scale and operate.\n")
    return "".join(out)


def reliability_line(worst) -> str:
    """The weakest entry point's composed availability, with what is not known about it."""
    if worst is None:
        return "No availability figures are given yet."
    line = (f"The weakest entry point, {markup.inline(worst.entry.split('.', 1)[1])}, composes to "
            f"{worst.figure} availability: {worst.downtime} of downtime a year")
    if worst.upper_bound:
        line += f" ({worst.unknowns}, so the real figure is lower)"
    return line + "."


def risk_line(system, at_risk: dict) -> str:
    """Whether losing an instance loses user data: only 'no' when nothing says otherwise."""
    if not at_risk:
        return "Any instance can be lost without losing user data."
    parts = []
    elements = {c.qid: c for c in system.components}
    for qid in sorted(at_risk):
        single = at_risk[qid]
        name = markup.inline(elements[qid].label if qid in elements else qid.split(".", 1)[1])
        if single is None:
            parts.append(f"{name} keeps user data or sessions with no second copy")
        elif single.held:
            held = ", ".join(markup.inline(what) for what in single.whats)
            parts.append(f"{name} holds the only copy of {held} ({single.why})")
        else:
            parts.append(f"{name} holds the only copy of its records ({single.why})")
    return "Not yet: losing one instance can lose user data or sessions. " + "; ".join(parts) + "."


def rules_index(rules, framework: str) -> str:
    out = [front_matter("Rules"), "# Rules\n\n",
           "Every check archdsl runs, generated from the rules' own documentation. Each rule comes "
           f"from a section of [the decision framework]({framework}), which its page cites. "
           "Silence one for an element with `allow CODE \"reason\"`.\n\n",
           "| Code | Name | Severity | What it checks |\n", "|---|---|---|---|\n"]
    for r in rules:
        out.append(f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity.value} | {markup.inline(r.doc().summary)} |\n")
    return "".join(out)


def rule_page(rule, framework: str) -> str:
    """A rule's documentation, its citations of the framework linked to their sections."""
    # Rule docs are archdsl's own text, written as Markdown: published as they are.
    return (front_matter(f"{rule.code} {rule.name}") + link_citations(rule.markdown(), framework)
            + "\n[All rules](index.md)\n")


def migration_page(f: SystemFacts, mg, diagram: str = "") -> str:
    """A migration: what moves where, how, its phases as a timeline, and the way back."""
    out = [front_matter(mg.label), f"# {markup.inline(mg.label)}\n\n"]
    ends = []
    for word, qid in (("from", mg.source), ("to", mg.target)):
        if qid:
            ends.append(f"{word} {component_link(f, qid, '../components/')}")
    if mg.strategy:
        ends.append(f"strategy **{markup.esc(mg.strategy)}**")
    if ends:
        out.append(" · ".join(ends) + "\n\n")
    if mg.description:
        out.append(f"{markup.prose(mg.description)}\n\n")
    out.append(diagram)
    out.append("## Phases\n\n")
    if mg.phases:
        out += ["| # | Phase | Traffic | Date | Exit criteria |\n", "|---|---|---|---|---|\n"]
        for number, p in enumerate(mg.phases, 1):
            traffic = f"{p.traffic:g}%" if p.traffic is not None else "—"
            about = markup.inline(p.name) + (f"<br><small>{markup.prose(p.description)}</small>" if p.description else "")
            out.append(f"| {number} | {about} | {traffic} | {markup.esc(p.date or '—')} | {markup.inline(p.exit) or '—'} |\n")
        out.append("\n")
    else:
        out.append("No phases: the whole move happens at once.\n\n")
    out.append("## Rollback\n\n" + (f"{markup.inline(mg.rollback)}\n\n" if mg.rollback else "None written.\n\n"))
    return "".join(out) + "[System overview](../index.md)\n"
