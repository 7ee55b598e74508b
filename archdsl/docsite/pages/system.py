"""The overview of every system and the page of one: its diagram, components, entry points,
checklist and findings."""

from __future__ import annotations

from ... import markup
from ...analysis.matrix import explain
from ...wording import plural
from .common import (
    DEPTH,
    SystemFacts,
    badge,
    first_sentence,
    front_matter,
    identity,
    keeps_line,
    link,
    severity_badge,
    share_line,
    standing,
    state_badge,
    yes_no,
)
from .diagrams import inline_diagram


def index_page(facts: list[SystemFacts], site_title: str = "Architecture") -> str:
    out = [front_matter(site_title), f"# {markup.inline(site_title)}\n"]
    if not facts:
        return "".join(out) + "No systems are described yet.\n"
    out.append(f"{plural(len(facts), 'system')}, each checked against the "
               "stateless/stateful decision framework.\n\n")
    out += ["| System | Components | Stateless share | Industry benchmark | Findings |\n", "|---|---|---|---|---|\n"]
    for f in facts:
        s = f.system
        share = f"{f.share.percent:.0f}%" if f.share.percent is not None else "—"
        bench = f"~{f.share.benchmark}%" if f.share.benchmark is not None else "—"
        out.append(f"| [{markup.inline(s.label)}](systems/{s.id}/index.md) | {len(s.components)} | {share} | {bench} "
                   f"| {findings_line(f.findings).removeprefix('**Findings:** ').rstrip('.')} |\n")
    out.append("\n")
    for f in facts:
        s = f.system
        out.append(f"## [{markup.inline(s.label)}](systems/{s.id}/index.md)\n\n")
        if s.description:
            out.append(f"{markup.prose(s.description)}\n\n")
        out.append(share_line(f.share) + "\n\n")
        out.append(findings_line(f.findings) + "\n\n")
        if f.drawn("system"):
            out.append(inline_diagram(f, "system", DEPTH["index"][f.directory_urls], f"Diagram of {s.label}"))
    return "".join(out)


def findings_line(findings) -> str:
    if not findings:
        return "**Findings:** none."
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    parts = [f"{counts[k]} {severity_badge(k if counts[k] == 1 else k + 's')}"
             for k in ("error", "warning", "info") if k in counts]
    return "**Findings:** " + ", ".join(parts) + "."


def system_page(f: SystemFacts, rules_link: str = "../../rules") -> str:
    s = f.system
    out = [front_matter(s.label), f"# {markup.inline(s.label)}\n\n"]
    meta = []
    if s.industry:
        meta.append(f"industry **{markup.inline(s.industry)}**")
    if s.sla is not None:
        meta.append(f"availability target **{s.sla:g}%**")
    if s.latency_ms is not None:
        meta.append(f"latency target **{s.latency_ms:g} ms**")
    if s.owner:
        meta.append(f"owner {markup.inline(s.owner)}")
    if s.link:
        meta.append(link(s.link))
    if meta:
        out.append(" · ".join(meta) + "\n\n")
    if s.description:
        out.append(f"{markup.prose(s.description)}\n\n")
    if f.drawn("system"):
        out.append(inline_diagram(f, "system", DEPTH["system"][f.directory_urls], f"Diagram of {s.label}"))
    if "state" in f.diagrams:
        out.append(f"The [state map]({f.diagrams['state']}) groups the components by state and shows what each keeps where.\n\n")
    out.append(share_line(f.share) + "\n\n")
    for v in s.views:  # the spec's own `view` blocks
        if f.drawn(v.id):
            out.append(f"### {markup.inline(v.title or v.id)}\n\n")
            out.append(inline_diagram(f, v.id, DEPTH["system"][f.directory_urls], v.title or v.id))
    out.append(component_table(f))
    out.append(analysis_tables(f))
    out.append(checklist_table(f))
    out.append(findings_section(f, rules_link))
    links = ["[Every component, one page each](components/index.md)"]
    if s.decisions:
        links.append("[Decision records](decisions/index.md)")
    links += [f"[Migration: {markup.inline(m.label)}](migrations/{m.id}.md)" for m in s.migrations]
    links += [f"[Flow: {markup.inline(flow.label)}](flows/{flow.id}.md)" for flow in s.flows]
    links.append("[For stakeholders](stakeholders.md)")
    out.append("## More\n\n" + "\n".join(f"- {link}" for link in links) + "\n")
    return "".join(out)


def component_table(f: SystemFacts) -> str:
    s = f.system
    rows = ["## Components\n\n", "| Component | State | Decision | Reasoning |\n", "|---|---|---|---|\n"]
    source = {"declared": "declared", "layer": "layer default", "recommended": "recommended", "unknown": ""}
    by_component = f.decisions_of
    for c in s.components:
        decisions = by_component.get(c.qid, [])
        links = ", ".join(f"[{markup.inline(d.id)}](decisions/{d.id}.md)" for d in decisions) or "—"
        stood = standing(decisions)
        if c.justification:
            reason = c.justification
        elif stood:
            reason = stood.decision
        else:
            reason = explain(f.recommendations[c.qid])
        state = state_badge(c.effective_state)
        if source[c.state_source]:
            state += f" <small>{source[c.state_source]}</small>"
        about = [identity(c)]
        if c.description:
            about.append(markup.prose(c.description))
        if c.keeps:
            about.append(keeps_line(c))
        cell = f"**[{markup.inline(c.label)}](components/{c.id}.md)** " + "".join(f"<br><small>{line}</small>" for line in about)
        rows.append(f"| {cell} | {state} | {links} | {markup.inline(first_sentence(markup.plain(reason)))} |\n")
    return "".join(rows) + "\n"


def analysis_tables(f: SystemFacts) -> str:
    if not f.latency and not f.availability:
        return ""
    out = ["## Entry points\n\n",
           "The slowest synchronous path from each entry point, and the availability composed over "
           "what it cannot do without.\n\n",
           "| Entry point | Slowest path | Target | Composed availability | Downtime a year |\n",
           "|---|---|---|---|---|\n"]
    comps = {c.entry: c for c in f.availability}
    for p in f.latency:
        comp = comps.get(p.component)
        path = " → ".join(markup.inline(n.split(".", 1)[1]) for n in p.path)
        target = f"{p.target_ms:g} ms" if p.target_ms is not None else "—"
        mark = " " + badge("fail", "over") if p.over_budget else ""
        total = ("at least " if not p.bounded else "") + f"{p.total_ms:g} ms"
        avail = "—"
        down = "—"
        if comp and comp.availability is not None:
            avail = comp.figure + (" " + badge("fail", "below") if comp.below_target else "")
            down = comp.downtime
        if comp and comp.missing:
            shown = ", ".join(markup.inline(m.split(".", 1)[1]) for m in comp.missing)
            avail += f" <small>({comp.unknowns}: {shown})</small>"
        out.append(f"| {markup.inline(p.component.split('.', 1)[1])} | {total}{mark} <br><small>{path}</small> "
                   f"| {target} | {avail} | {down} |\n")
    return "".join(out) + "\n"


def checklist_table(f: SystemFacts) -> str:
    out = ["## Checklist\n\n", "The post-implementation validation questions, answered from the spec.\n\n",
           "| Question | Answer | Because of |\n", "|---|---|---|\n"]
    for a in f.checklist:
        who = ", ".join(markup.inline(o.split(".", 1)[1]) for o in a.offenders) or "—"
        out.append(f"| {markup.inline(a.question)} | {yes_no(a.answer, a.passed)} | {who} |\n")
    return "".join(out) + "\n"


def findings_section(f: SystemFacts, rules_link: str) -> str:
    out = ["## Findings\n\n"]
    if not f.findings:
        return "".join(out) + "No findings: the spec passes every rule.\n\n"
    out += ["| | Rule | Where | Finding | Fix |\n", "|---|---|---|---|---|\n"]
    for x in f.findings:
        where = f"{markup.inline(x.span.file)}:{x.span.line}"
        out.append(f"| {severity_badge(x.severity.value)} | [{x.code}]({rules_link}/{x.code}.md) "
                   f"<small>{x.name}</small> | {where} | {markup.inline(x.message)} | {markup.inline(x.hint)} |\n")
    return "".join(out) + "\n"
