"""A page per component: its state and why, what it keeps, its calls, decisions and findings;
and the index of them all."""

from __future__ import annotations

from ... import markup
from ...analysis.matrix import explain
from ...model import format_ms
from .common import (
    NAV_COMPONENTS,
    SystemFacts,
    badge,
    component_link,
    first_sentence,
    front_matter,
    identity,
    link,
    severity_badge,
    standing,
    state_badge,
)


def _relation_row(f: SystemFacts, r, other: str) -> str:
    latency = format_ms(r.latency_ms) if r.latency_ms is not None else "—"
    return (f"| {component_link(f, other)} | {markup.inline(r.label) or '—'} "
            f"| {markup.inline(r.protocol) if r.protocol else '—'} | {latency} | {r.how} |\n")


def component_page(f: SystemFacts, c, rules_link: str = "../../../rules") -> str:
    """Everything about one component: its state and why, what it keeps, its relations, the
    decisions, migrations and findings that concern it."""
    return "".join([_heading(f, c), _state(f, c), _kept(c), _relations(f, c), _flows(f, c), _decisions(f, c),
                    _migrations(f, c), _findings(f, c, rules_link), _allowed(c, rules_link),
                    "[System overview](../index.md) · [All components](index.md)\n"])


def _heading(f: SystemFacts, c) -> str:
    """The title, a line of facts (state, identity, layer, owner, link), tags and description."""
    s = f.system
    # in a large system the components index finds them (name, description, state, one row
    # each); a search entry per component page would only repeat it, and indexing a thousand
    # pages was a fifth of the site's build
    searched = len(s.components) <= NAV_COMPONENTS
    out = [front_matter(c.label, searched=searched), f"# {markup.inline(c.label)}\n\n"]
    facts = [state_badge(c.effective_state), identity(c)]
    layer = s.layer(c.layer) if c.layer else None
    if layer:
        facts.append(f"in the {markup.inline(layer.label)} layer")
    if c.owner:
        facts.append(f"owner {markup.inline(c.owner)}")
    if c.link:
        facts.append(link(c.link))
    out.append(" · ".join(facts) + "\n\n")
    if c.tags:
        out.append("Tags: " + ", ".join(markup.literal(tag) for tag in c.tags) + "\n\n")
    if c.description:
        out.append(f"{markup.prose(c.description)}\n\n")
    return "".join(out)


_SOURCES = {"declared": "declared in the spec", "layer": "the default of its layer",
            "recommended": "recommended by the decision matrix", "unknown": "not known"}


def _state(f: SystemFacts, c) -> str:
    """Its state, where the state came from, why, the decision that stands and the matrix's word."""
    out = ["## State\n\n",
           f"**{markup.esc(c.effective_state or 'unknown')}**, {_SOURCES[c.state_source]}.\n\n"]
    if c.justification:
        out.append(f"Why: {markup.prose(c.justification)}\n\n")
    stood = standing(f.decisions_of.get(c.qid, []))
    if stood:
        out.append(f"As decided in [{markup.inline(stood.id)}](../decisions/{stood.id}.md): "
                   f"{markup.inline(first_sentence(markup.plain(stood.decision)))}\n\n")
    out.append(f"The decision matrix: {markup.inline(explain(f.recommendations[c.qid]))}\n\n")
    return "".join(out)


def _kept(c) -> str:
    storage = ""
    if c.storage == "ephemeral":
        storage = "Its storage is **ephemeral**: what it holds does not survive a restart of its instance.\n\n"
    elif c.storage == "persistent":
        storage = "Its storage is **persistent**: what it holds survives a restart of its instance.\n\n"
    if not c.keeps:
        return f"## What it keeps\n\n{storage}" if storage else ""
    out = ["## What it keeps\n\n", storage, "| What | Kind | Where | Expires |\n", "|---|---|---|---|\n"]
    for k in c.keeps:
        ttl = f"after {format_ms(k.ttl_ms)}" if k.ttl_ms is not None else "—"
        out.append(f"| {markup.inline(k.what)} | {markup.esc(k.kind)} | {markup.inline(k.where)} | {ttl} |\n")
    return "".join(out) + "\n"


def _relations(f: SystemFacts, c) -> str:
    calls, called = f.calls.get(c.qid, []), f.called.get(c.qid, [])
    if not calls and not called and not c.peers:
        return "## Relations\n\nNo relations.\n\n"
    out = ["## Relations\n\n"]
    header = "| {} | Label | Protocol | Latency | Kind |\n|---|---|---|---|---|\n"
    if calls:
        out.append("### Calls\n\n" + header.format("To"))
        out += [_relation_row(f, r, r.target) for r in calls]
        out.append("\n")
    if called:
        out.append("### Called by\n\n" + header.format("From"))
        out += [_relation_row(f, r, r.source) for r in called]
        out.append("\n")
    if c.peers:
        out.append("### Its instances talk to one another\n\n| Label | Protocol | Latency |\n|---|---|---|\n")
        out += [f"| {markup.inline(p.label) or '—'} | {markup.inline(p.protocol) if p.protocol else '—'} "
                f"| {format_ms(p.latency_ms) if p.latency_ms is not None else '—'} |\n" for p in c.peers]
        out.append("\n")
    return "".join(out)


def _flows(f: SystemFacts, c) -> str:
    flows = f.flows_of.get(c.qid, [])
    if not flows:
        return ""
    return "## Flows\n\n" + "".join(f"- [{markup.inline(flow.label)}](../flows/{flow.id}.md)\n" for flow in flows) + "\n"


def _decisions(f: SystemFacts, c) -> str:
    decisions = f.decisions_of.get(c.qid, [])
    if not decisions:
        return ""
    return "## Decisions\n\n" + "".join(
        f"- [{markup.inline(d.id)}: {markup.inline(d.title or d.id)}](../decisions/{d.id}.md) "
        f"{badge(f'status-{d.status}', d.status)}\n" for d in decisions) + "\n"


def _migrations(f: SystemFacts, c) -> str:
    moves = [mg for mg in f.system.migrations if c.qid in (mg.source, mg.target)]
    if not moves:
        return ""
    return "## Migrations\n\n" + "".join(
        f"- [{markup.inline(mg.label)}](../migrations/{mg.id}.md) "
        f"({'from here' if mg.source == c.qid else 'to here'})\n" for mg in moves) + "\n"


def _findings(f: SystemFacts, c, rules_link: str) -> str:
    mine = f.findings_of.get(c.qid, [])
    if not mine:
        return "## Findings\n\nNone.\n\n"
    return "## Findings\n\n" + "".join(
        f"- {severity_badge(x.severity.value)} [{x.code}]({rules_link}/{x.code}.md) "
        f"{markup.inline(x.message)}\n" for x in mine) + "\n"


def _allowed(c, rules_link: str) -> str:
    if not c.allows:
        return ""
    return "## Allowed\n\n" + "".join(
        f"- [{markup.esc(a.code)}]({rules_link}/{a.code}.md): {markup.inline(a.reason)}\n" for a in c.allows) + "\n"


def components_index(f: SystemFacts) -> str:
    s = f.system
    out = [front_matter(f"{s.label}: components"), f"# Components of {markup.inline(s.label)}\n\n",
           "| Component | State | Kind | Layer | Description |\n", "|---|---|---|---|---|\n"]
    for c in s.components:
        layer = s.layer(c.layer) if c.layer else None
        out.append(f"| [{markup.inline(c.label)}]({c.id}.md) | {state_badge(c.effective_state)} "
                   f"| {markup.esc(c.kind)} | {markup.inline(layer.label) if layer else '—'} | {markup.prose(c.description) or '—'} |\n")
    return "".join(out) + "\n[System overview](../index.md)\n"
