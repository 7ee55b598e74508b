"""A page per component: its state and why, what it keeps, its calls, decisions and findings;
and the index of them all."""

from __future__ import annotations

from ... import markup as t
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
    kind = "async" if r.is_async else "optional" if r.optional else "sync"
    latency = format_ms(r.latency_ms) if r.latency_ms is not None else "—"
    return (f"| {component_link(f, other)} | {t.inline(r.label) or '—'} "
            f"| {t.inline(r.protocol) if r.protocol else '—'} | {latency} | {kind} |\n")


def component_page(f: SystemFacts, c, rules_link: str = "../../../rules") -> str:
    """Everything about one component: its state and why, what it keeps, its relations, the
    decisions, migrations and findings that concern it."""
    return "".join([_heading(f, c), _state(f, c), _kept(c), _relations(f, c), _decisions(f, c),
                    _migrations(f, c), _findings(f, c, rules_link), _allowed(c, rules_link),
                    "[System overview](../index.md) · [All components](index.md)\n"])


def _heading(f: SystemFacts, c) -> str:
    """The title, a line of facts (state, identity, layer, owner, link), tags and description."""
    s = f.system
    # in a large system the components index finds them (name, description, state, one row
    # each); a search entry per component page would only repeat it, and indexing a thousand
    # pages was a fifth of the site's build
    searched = len(s.components) <= NAV_COMPONENTS
    out = [front_matter(c.label, searched=searched), f"# {t.inline(c.label)}\n\n"]
    facts = [state_badge(c.effective_state), identity(c)]
    layer = s.layer(c.layer) if c.layer else None
    if layer:
        facts.append(f"in the {t.inline(layer.label)} layer")
    if c.owner:
        facts.append(f"owner {t.inline(c.owner)}")
    if c.link:
        facts.append(link(c.link))
    out.append(" · ".join(facts) + "\n\n")
    if c.tags:
        out.append("Tags: " + ", ".join(t.literal(tag) for tag in c.tags) + "\n\n")
    if c.description:
        out.append(f"{t.prose(c.description)}\n\n")
    return "".join(out)


_SOURCES = {"declared": "declared in the spec", "layer": "the default of its layer",
            "recommended": "recommended by the decision matrix", "unknown": "not known"}


def _state(f: SystemFacts, c) -> str:
    """Its state, where the state came from, why, the decision that stands and the matrix's word."""
    out = ["## State\n\n",
           f"**{t.esc(c.effective_state or 'unknown')}**, {_SOURCES[c.state_source]}.\n\n"]
    if c.justification:
        out.append(f"Why: {t.prose(c.justification)}\n\n")
    stood = standing(f.decisions_of.get(c.qid, []))
    if stood:
        out.append(f"As decided in [{t.inline(stood.id)}](../decisions/{stood.id}.md): "
                   f"{t.inline(first_sentence(t.plain(stood.decision)))}\n\n")
    out.append(f"The decision matrix: {t.inline(explain(f.recommendations[c.qid]))}\n\n")
    return "".join(out)


def _kept(c) -> str:
    if not c.keeps:
        return ""
    out = ["## What it keeps\n\n", "| What | Kind | Where | Expires |\n", "|---|---|---|---|\n"]
    for k in c.keeps:
        ttl = f"after {format_ms(k.ttl_ms)}" if k.ttl_ms is not None else "—"
        out.append(f"| {t.inline(k.what)} | {t.esc(k.kind)} | {t.inline(k.where)} | {ttl} |\n")
    return "".join(out) + "\n"


def _relations(f: SystemFacts, c) -> str:
    calls, called = f.calls.get(c.qid, []), f.called.get(c.qid, [])
    if not calls and not called:
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
    return "".join(out)


def _decisions(f: SystemFacts, c) -> str:
    decisions = f.decisions_of.get(c.qid, [])
    if not decisions:
        return ""
    return "## Decisions\n\n" + "".join(
        f"- [{t.inline(d.id)}: {t.inline(d.title or d.id)}](../decisions/{d.id}.md) "
        f"{badge(f'status-{d.status}', d.status)}\n" for d in decisions) + "\n"


def _migrations(f: SystemFacts, c) -> str:
    moves = [mg for mg in f.system.migrations if c.qid in (mg.source, mg.target)]
    if not moves:
        return ""
    return "## Migrations\n\n" + "".join(
        f"- [{t.inline(mg.label)}](../migrations/{mg.id}.md) "
        f"({'from here' if mg.source == c.qid else 'to here'})\n" for mg in moves) + "\n"


def _findings(f: SystemFacts, c, rules_link: str) -> str:
    mine = f.findings_of.get(c.qid, [])
    if not mine:
        return "## Findings\n\nNone.\n\n"
    return "## Findings\n\n" + "".join(
        f"- {severity_badge(x.severity.value)} [{x.code}]({rules_link}/{x.code}.md) "
        f"{t.inline(x.message)}\n" for x in mine) + "\n"


def _allowed(c, rules_link: str) -> str:
    if not c.allows:
        return ""
    return "## Allowed\n\n" + "".join(
        f"- [{t.esc(a.code)}]({rules_link}/{a.code}.md): {t.inline(a.reason)}\n" for a in c.allows) + "\n"


def components_index(f: SystemFacts) -> str:
    s = f.system
    out = [front_matter(f"{s.label}: components"), f"# Components of {t.inline(s.label)}\n\n",
           "| Component | State | Kind | Layer | Description |\n", "|---|---|---|---|---|\n"]
    for c in s.components:
        layer = s.layer(c.layer) if c.layer else None
        out.append(f"| [{t.inline(c.label)}]({c.id}.md) | {state_badge(c.effective_state)} "
                   f"| {t.esc(c.kind)} | {t.inline(layer.label) if layer else '—'} | {t.prose(c.description) or '—'} |\n")
    return "".join(out) + "\n[System overview](../index.md)\n"
