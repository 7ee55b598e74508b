"""The pages of the site as Markdown: pure functions from the model and its analyses.

Every string that comes from a spec goes through `text.inline` (one line of Markdown),
`text.block` (a Markdown field, rendered safely) or `text.title` (page and nav titles).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .. import markup as t
from ..analysis.matrix import explain
from ..analysis.ratio import INDUSTRY
from ..model import format_ms
from ..wording import plural
from .framework import link_citations

if TYPE_CHECKING:
    from ..analysis.availability import Composition
    from ..analysis.checklist import Answer
    from ..analysis.latency import PathResult
    from ..analysis.matrix import Recommendation
    from ..analysis.ratio import Share
    from ..diagnostics import Finding
    from ..model import System

STATE_BADGE = {"stateless": "stateless", "stateful": "stateful", "managed": "managed", None: "unknown"}


def state_badge(state: str | None) -> str:
    return badge(STATE_BADGE[state], state or "unknown")


def severity_badge(severity: str) -> str:
    return badge(f"sev-{severity}", severity)


def yes_no(answer: str, passed: bool) -> str:
    return badge("pass" if passed else "fail", answer)


@dataclass
class SystemFacts:
    """What the pages of one system show, computed once by the plan."""

    system: System
    findings: list[Finding]
    share: Share
    checklist: list[Answer]
    latency: list[PathResult]  # the system's entry points
    availability: list[Composition]  # the system's entry points
    recommendations: dict[str, Recommendation]
    single_copies: list = field(default_factory=list)  # stores holding the only copy of user data
    diagrams: dict[str, str] = field(default_factory=dict)  # view -> uri relative to the system folder
    svgs: dict[str, str] = field(default_factory=dict)  # view -> the SVG, nodes linking to COMPONENT_LINK
    notes: dict[str, str] = field(default_factory=dict)  # view -> how a fallback layout drew it, or ""
    failures: dict[str, str] = field(default_factory=dict)  # view -> why no layout could draw it
    directory_urls: bool = True  # MkDocs' setting: where a page's address ends

    def drawn(self, view: str) -> bool:
        """Whether the page has something to show for a view: its diagram, or why it is missing."""
        return view in self.svgs or view in self.failures

    @cached_property
    def by_qid(self) -> dict:
        return {c.qid: c for c in self.system.components}

    @cached_property
    def calls(self) -> dict[str, list]:
        return _grouped(self.system.relations, lambda r: r.source)

    @cached_property
    def called(self) -> dict[str, list]:
        return _grouped(self.system.relations, lambda r: r.target)

    @cached_property
    def decisions_of(self) -> dict[str, list]:
        return self.system.decisions_affecting()

    @cached_property
    def findings_of(self) -> dict[str, list]:
        return _grouped(self.findings, lambda x: x.element)


def _grouped(items, key) -> dict[str, list]:
    """Items by a key of each, in their order: built once a system, read once a page."""
    found: dict[str, list] = {}
    for item in items:
        found.setdefault(key(item), []).append(item)
    return found


NAV_COMPONENTS = 40  # a system with more components lists them on its components page, not in the menu


def front_matter(title: str, *, searched: bool = True) -> str:
    """A page's title, and whether the site's search indexes it (`searched`)."""
    hidden = "search:\n  exclude: true\n" if not searched else ""
    return f"---\ntitle: {json.dumps(t.title(title))}\n{hidden}---\n\n"


def link(url: str) -> str:
    """An outside address the spec gives (always http(s), checked by the parser), as a link."""
    return f'<a href="{t.esc(url)}" rel="noopener">{t.esc(url)}</a>'


def badge(kind: str, label: str) -> str:
    return f'<span class="arch-badge arch-{t.esc(kind)}">{t.esc(label)}</span>'


# ---------------------------------------------------------------- index


def index_page(facts: list[SystemFacts], site_title: str = "Architecture") -> str:
    out = [front_matter(site_title), f"# {t.inline(site_title)}\n"]
    if not facts:
        return "".join(out) + "No systems are described yet.\n"
    out.append(f"{plural(len(facts), 'system')}, each checked against the "
               "stateless/stateful decision framework.\n\n")
    out += ["| System | Components | Stateless share | Industry benchmark | Findings |\n", "|---|---|---|---|---|\n"]
    for f in facts:
        s = f.system
        share = f"{f.share.percent:.0f}%" if f.share.percent is not None else "—"
        bench = f"~{f.share.benchmark}%" if f.share.benchmark is not None else "—"
        out.append(f"| [{t.inline(s.label)}](systems/{s.id}/index.md) | {len(s.components)} | {share} | {bench} "
                   f"| {findings_line(f.findings).removeprefix('**Findings:** ').rstrip('.')} |\n")
    out.append("\n")
    for f in facts:
        s = f.system
        out.append(f"## [{t.inline(s.label)}](systems/{s.id}/index.md)\n\n")
        if s.description:
            out.append(f"{t.prose(s.description)}\n\n")
        out.append(share_line(f.share) + "\n\n")
        out.append(findings_line(f.findings) + "\n\n")
        if f.drawn("system"):
            out.append(inline_diagram(f, "system", DEPTH["index"][f.directory_urls], f"Diagram of {s.label}"))
    return "".join(out)


def share_line(share) -> str:
    if share.percent is None:
        return "**Stateless share:** no stateless or stateful components yet."
    line = (f"**Stateless share:** {share.percent:.0f}% ({len(share.stateless)} of {share.counted} "
            f"components; managed data systems not counted)")
    if share.benchmark is not None:
        label = INDUSTRY[share.industry][1]
        delta = share.departure
        where = "on par with" if abs(delta) <= 5 else f"{abs(delta):.0f} points {'above' if delta > 0 else 'below'}"
        line += f" — {where} the {t.inline(label)} benchmark of ~{share.benchmark}%"
    return line + "."


def findings_line(findings) -> str:
    if not findings:
        return "**Findings:** none."
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    parts = [f"{counts[k]} {severity_badge(k if counts[k] == 1 else k + 's')}"
             for k in ("error", "warning", "info") if k in counts]
    return "**Findings:** " + ", ".join(parts) + "."


# ---------------------------------------------------------------- system


def system_page(f: SystemFacts, rules_link: str = "../../rules") -> str:
    s = f.system
    out = [front_matter(s.label), f"# {t.inline(s.label)}\n\n"]
    meta = []
    if s.industry:
        meta.append(f"industry **{t.inline(s.industry)}**")
    if s.sla is not None:
        meta.append(f"availability target **{s.sla:g}%**")
    if s.latency_ms is not None:
        meta.append(f"latency target **{s.latency_ms:g} ms**")
    if s.owner:
        meta.append(f"owner {t.inline(s.owner)}")
    if s.link:
        meta.append(link(s.link))
    if meta:
        out.append(" · ".join(meta) + "\n\n")
    if s.description:
        out.append(f"{t.prose(s.description)}\n\n")
    if f.drawn("system"):
        out.append(inline_diagram(f, "system", DEPTH["system"][f.directory_urls], f"Diagram of {s.label}"))
    if "state" in f.diagrams:
        out.append(f"The [state map]({f.diagrams['state']}) groups the components by state and shows what each keeps where.\n\n")
    out.append(share_line(f.share) + "\n\n")
    for v in s.views:  # the spec's own `view` blocks
        if f.drawn(v.id):
            out.append(f"### {t.inline(v.title or v.id)}\n\n")
            out.append(inline_diagram(f, v.id, DEPTH["system"][f.directory_urls], v.title or v.id))
    out.append(component_table(f))
    out.append(analysis_tables(f))
    out.append(checklist_table(f))
    out.append(findings_section(f, rules_link))
    links = ["[Every component, one page each](components/index.md)"]
    if s.decisions:
        links.append("[Decision records](decisions/index.md)")
    links += [f"[Migration: {t.inline(m.label)}](migrations/{m.id}.md)" for m in s.migrations]
    links.append("[For stakeholders](stakeholders.md)")
    out.append("## More\n\n" + "\n".join(f"- {link}" for link in links) + "\n")
    return "".join(out)


# Decisions whose text no longer stands: never quoted as a component's reasoning.
STALE_DECISIONS = ("superseded", "rejected", "deprecated")


def keeps_line(component) -> str:
    """`keeps carts (user-data) in redis; catalog (reference) in local-memory, ttl 5s`."""
    items = [k.describe(t.inline) for k in component.keeps]
    return "keeps " + "; ".join(items) if items else ""


def component_table(f: SystemFacts) -> str:
    s = f.system
    rows = ["## Components\n\n", "| Component | State | Decision | Reasoning |\n", "|---|---|---|---|\n"]
    source = {"declared": "declared", "layer": "layer default", "recommended": "recommended", "unknown": ""}
    by_component = f.decisions_of
    for c in s.components:
        decisions = by_component.get(c.qid, [])
        links = ", ".join(f"[{t.inline(d.id)}](decisions/{d.id}.md)" for d in decisions) or "—"
        standing = _standing(decisions)
        if c.justification:
            reason = c.justification
        elif standing:
            reason = standing.decision
        else:
            reason = explain(f.recommendations[c.qid])
        state = state_badge(c.effective_state)
        if source[c.state_source]:
            state += f" <small>{source[c.state_source]}</small>"
        about = [_identity(c)]
        if c.description:
            about.append(t.prose(c.description))
        if c.keeps:
            about.append(keeps_line(c))
        cell = f"**[{t.inline(c.label)}](components/{c.id}.md)** " + "".join(f"<br><small>{line}</small>" for line in about)
        rows.append(f"| {cell} | {state} | {links} | {t.inline(_first_sentence(t.plain(reason)))} |\n")
    return "".join(rows) + "\n"


def _standing(decisions: list):
    """The first of a component's decisions that still stands and says what was decided."""
    return next((d for d in decisions if d.status not in STALE_DECISIONS and d.decision), None)


def _identity(c) -> str:
    """A component's id, kind and technology, as its row and its page show them."""
    return f"{t.literal(c.id)} · {t.esc(c.kind)}" + (f" · {t.inline(c.tech)}" if c.tech else "")


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[: end + 1]


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
        path = " → ".join(t.inline(n.split(".", 1)[1]) for n in p.path)
        target = f"{p.target_ms:g} ms" if p.target_ms is not None else "—"
        mark = " " + badge("fail", "over") if p.over_budget else ""
        total = ("at least " if not p.bounded else "") + f"{p.total_ms:g} ms"
        avail = "—"
        down = "—"
        if comp and comp.availability is not None:
            avail = comp.figure + (" " + badge("fail", "below") if comp.below_target else "")
            down = comp.downtime
        if comp and comp.missing:
            shown = ", ".join(t.inline(m.split(".", 1)[1]) for m in comp.missing)
            avail += f" <small>({comp.unknowns}: {shown})</small>"
        out.append(f"| {t.inline(p.component.split('.', 1)[1])} | {total}{mark} <br><small>{path}</small> "
                   f"| {target} | {avail} | {down} |\n")
    return "".join(out) + "\n"


def checklist_table(f: SystemFacts) -> str:
    out = ["## Checklist\n\n", "The post-implementation validation questions, answered from the spec.\n\n",
           "| Question | Answer | Because of |\n", "|---|---|---|\n"]
    for a in f.checklist:
        who = ", ".join(t.inline(o.split(".", 1)[1]) for o in a.offenders) or "—"
        out.append(f"| {t.inline(a.question)} | {yes_no(a.answer, a.passed)} | {who} |\n")
    return "".join(out) + "\n"


def findings_section(f: SystemFacts, rules_link: str) -> str:
    out = ["## Findings\n\n"]
    if not f.findings:
        return "".join(out) + "No findings: the spec passes every rule.\n\n"
    out += ["| | Rule | Where | Finding | Fix |\n", "|---|---|---|---|---|\n"]
    for x in f.findings:
        where = f"{t.inline(x.span.file)}:{x.span.line}"
        out.append(f"| {severity_badge(x.severity.value)} | [{x.code}]({rules_link}/{x.code}.md) "
                   f"<small>{x.name}</small> | {where} | {t.inline(x.message)} | {t.inline(x.hint)} |\n")
    return "".join(out) + "\n"


# ---------------------------------------------------------------- decisions


def superseded_by(system, decision) -> list:
    return [d for d in system.decisions if d.supersedes == decision.id]


def decision_page(f: SystemFacts, decision) -> str:
    s = f.system
    out = [front_matter(f"{decision.id}: {decision.title or decision.id}"),
           f"# {t.inline(decision.id)}: {t.inline(decision.title or decision.id)}\n\n"]
    facts = [badge(f"status-{decision.status}", decision.status)]
    if decision.date:
        facts.append(f"decided {t.esc(decision.date)}")
    if decision.deciders:
        facts.append("by " + ", ".join(t.inline(d) for d in decision.deciders))
    if decision.link:
        facts.append(link(decision.link))
    out.append(" · ".join(facts) + "\n\n")
    if decision.supersedes:
        out.append(f"Supersedes [{t.inline(decision.supersedes)}]({decision.supersedes}.md).\n\n")
    for newer in superseded_by(s, decision):
        out.append(f"Superseded by [{t.inline(newer.id)}: {t.inline(newer.title)}]({newer.id}.md).\n\n")
    for heading, body in (("Context", decision.context), ("Decision", decision.decision),
                          ("Consequences", decision.consequences)):
        if body:
            out.append(f"## {heading}\n\n{t.block(body)}\n\n")
    if decision.options:
        out += ["## Options\n\n", "| Option | Pros | Cons | Chosen |\n", "|---|---|---|---|\n"]
        for o in decision.options:
            pros = "<br>".join(t.prose(p) for p in o.pros) or "—"
            cons = "<br>".join(t.prose(c) for c in o.cons) or "—"
            out.append(f"| {t.inline(o.name)} | {pros} | {cons} | {badge('pass', 'chosen') if o.chosen else ''} |\n")
        out.append("\n")
    out.append("## Affected components\n\n")
    graph_ids = {c.qid: c for c in s.components}
    for ref in decision.affects:
        c = graph_ids.get(s.qualify(ref))
        if c is None:
            out.append(f"- {t.literal(ref)} (not a component of this system)\n")
        else:
            out.append(f"- **[{t.inline(c.label)}](../components/{c.id}.md)** — "
                       f"{state_badge(c.effective_state)}"
                       f"{' · ' + t.prose(c.justification) if c.justification else ''}\n")
    out.append("\n")
    view = f"decision:{decision.id}"
    if f.drawn(view):
        out.append(inline_diagram(f, view, DEPTH["nested"][f.directory_urls],
                                  f"The components {decision.id} affects and their neighbours"))
    out.append("[All decisions](index.md) · [System overview](../index.md)\n")
    return "".join(out)


def timeline_page(f: SystemFacts) -> str:
    s = f.system
    out = [front_matter(f"{s.label}: decisions"), f"# Decisions of {t.inline(s.label)}\n\n"]
    ordered = sorted(s.decisions, key=lambda d: (d.date is None, d.date or "", d.id))
    out += ["| Date | Decision | Status | Affects |\n", "|---|---|---|---|\n"]
    for d in ordered:
        affects = ", ".join(t.inline(a) for a in d.affects) or "—"
        out.append(f"| {t.esc(d.date or 'undated')} | [{t.inline(d.id)}: {t.inline(d.title)}]({d.id}.md) "
                   f"| {badge(f'status-{d.status}', d.status)} | {affects} |\n")
    return "".join(out) + "\n[System overview](../index.md)\n"


# ---------------------------------------------------------------- stakeholders


def stakeholder_page(f: SystemFacts) -> str:
    """What each benefit of statelessness means for the business (framework § Explaining the
    decision), filled in for this system."""
    s = f.system
    comps = s.components
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
        return ", ".join(t.inline(c.label) for c in items) or "none"

    rows = [
        ("Easier scaling", "Ten times the users without rebuilding",
         f"{len(elastic)} of {len(comps)} components add instances on demand: {names(elastic)}."),
        ("Faster deployment", "Features reach customers in hours, not days",
         f"{len(stateless)} stateless components can be redeployed at any time without draining connections."),
        ("Higher reliability", "Less downtime, fewer complaints", reliability_line(worst)),
        ("Lower running cost", "Fewer engineers busy keeping it running",
         f"{plural(len(stateful), 'stateful component')} need{'s' if len(stateful) == 1 else ''} "
         f"special operations (affinity, recovery): {names(stateful)}."),
        ("Lower risk", "A failed server loses no customer data and logs no one out", risk_line(s, at_risk)),
    ]
    out = [front_matter(f"{s.label}: for stakeholders"), f"# {t.inline(s.label)} for stakeholders\n\n",
           share_line(f.share) + "\n\n",
           "| Stateless benefit | What it means for the business | In this architecture |\n", "|---|---|---|\n"]
    out += [f"| {a} | {b} | {c} |\n" for a, b, c in rows]
    if stateful:
        out.append("\n## Why some parts keep state\n\n")
        for c in stateful:
            reason = (c.justification or "No justification is written yet.").strip()
            if reason[-1] not in ".!?":
                reason += "."
            out.append(f"- **{t.inline(c.label)}**: {t.prose(reason)} It is isolated in its own component "
                       "so that the rest stays simple to scale and operate.\n")
    return "".join(out) + "\n[System overview](index.md)\n"


def reliability_line(worst) -> str:
    """The weakest entry point's composed availability, with what is not known about it."""
    if worst is None:
        return "No availability figures are given yet."
    line = (f"The weakest entry point, {t.inline(worst.entry.split('.', 1)[1])}, composes to "
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
        name = t.inline(elements[qid].label if qid in elements else qid.split(".", 1)[1])
        if single is None:
            parts.append(f"{name} keeps user data or sessions with no second copy")
        elif single.held:
            held = ", ".join(t.inline(what) for what in single.whats)
            parts.append(f"{name} holds the only copy of {held} ({single.why})")
        else:
            parts.append(f"{name} holds the only copy of its records ({single.why})")
    return "Not yet: losing one instance can lose user data or sessions. " + "; ".join(parts) + "."


# ---------------------------------------------------------------- rules


def rules_index(rules, framework: str) -> str:
    out = [front_matter("Rules"), "# Rules\n\n",
           "Every check archdsl runs, generated from the rules' own documentation. Each rule comes "
           f"from a section of [the decision framework]({framework}), which its page cites. "
           "Silence one for an element with `allow CODE \"reason\"`.\n\n",
           "| Code | Name | Severity | What it checks |\n", "|---|---|---|---|\n"]
    for r in rules:
        out.append(f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity.value} | {t.inline(r.doc().summary)} |\n")
    return "".join(out)


def rule_page(rule, framework: str) -> str:
    """A rule's documentation, its citations of the framework linked to their sections."""
    # Rule docs are archdsl's own text, written as Markdown: published as they are.
    return (front_matter(f"{rule.code} {rule.name}") + link_citations(rule.markdown(), framework)
            + "\n[All rules](index.md)\n")


# ---------------------------------------------------------------- diagrams in pages

COMPONENT_LINK = "archdsl-component:"  # what a diagram's node links to, until a page places it


def component_address(qid: str, to_root: str, directory_urls: bool = True) -> str:
    """The address of a component's page from a page `to_root` below the site's root folder."""
    system, _, component = qid.partition(".")
    page = f"{to_root}systems/{system}/components/{component}"
    return f"{page}/" if directory_urls else f"{page}.html"


def place_links(svg: str, to_root: str, directory_urls: bool = True) -> str:
    """A diagram whose nodes link to their component pages, as seen from where it is shown."""
    return re.sub(f'{COMPONENT_LINK}([A-Za-z0-9_.-]+)',
                  lambda m: component_address(m.group(1), to_root, directory_urls), svg)


# From a page to the site's root folder, by where the page is: the index, a system's overview,
# or a page one folder deeper (decisions/, components/, migrations/); with and without
# MkDocs' directory URLs (`systems/s/decisions/d/` against `systems/s/decisions/d.html`).
DEPTH = {"index": {True: "", False: ""}, "system": {True: "../../", False: "../../"},
         "nested": {True: "../../../../", False: "../../../"}}


def inline_diagram(f: SystemFacts, view: str, to_root: str, caption: str) -> str:
    """A diagram drawn into the page at its natural size (pan, zoom, fit, full screen, node
    links), its legend below it in HTML, and a link to it on its own; a view no layout could
    draw is a notice with the engine's message instead.

    The SVG is Graphviz's, whose text from the spec is escaped; its comments, XML prologue and
    ids are left out (two diagrams on one page must not share an id)."""
    if view in f.failures:
        return (f'<div class="admonition failure arch-diagram-failed" markdown="0">\n'
                f'<p class="admonition-title">{t.esc(caption)}: not drawn</p>\n'
                f"<p>Graphviz could not lay out this diagram with any of archdsl's layouts (ranked, "
                f"straight lines, without rows, packed). Every other diagram and page is published; "
                f"the spec's text and tables on this page are complete.</p>\n"
                f"<pre><code>{t.esc(f.failures[view])}</code></pre>\n</div>\n\n")
    svg = f.svgs[view]
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\s(id)="[^"]*"', "", svg)
    svg = "\n".join(line for line in svg.splitlines() if line.strip())
    svg = place_links(svg, to_root, f.directory_urls)
    file_link = f"{to_root}systems/{f.system.id}/{f.diagrams[view]}"
    note = f.notes.get(view, "")
    told = f'<br><small class="arch-diagram-note">{t.esc(note[0].upper() + note[1:])}.</small>' if note else ""
    return (f'<figure class="arch-diagram" aria-label="{t.esc(caption)}">\n'
            f'<div class="arch-diagram-view">\n{svg}\n</div>\n'
            f'<figcaption>{t.esc(caption)} · <a class="arch-diagram-file" href="{t.esc(file_link)}">'
            f"the diagram on its own (SVG)</a>{told}</figcaption>\n"
            f"{LEGEND}</figure>\n\n")


def _swatch(kind: str, label: str) -> str:
    return f'<span class="arch-key"><span class="arch-swatch arch-swatch-{kind}"></span>{label}</span>'


def _line(style: str, label: str) -> str:
    dash = {"sync": "", "async": ' stroke-dasharray="5 3"', "optional": ' stroke-dasharray="1.5 2.5"'}[style]
    return (f'<span class="arch-key"><svg class="arch-line" width="30" height="8" aria-hidden="true">'
            f'<line x1="1" y1="4" x2="29" y2="4"{dash}/></svg>{label}</span>')


# What the diagrams' colours, lines and shapes mean: below every diagram of the site, in HTML
# (the drawing holds the architecture only; `render` draws its own legend into a file on its own).
LEGEND = (
    '<div class="arch-legend" aria-label="Legend">'
    + _swatch("stateless", "stateless") + _swatch("stateful", "stateful") + _swatch("managed", "managed data")
    + _swatch("context", "neighbour outside the view")
    + _line("sync", "call") + _line("async", "async") + _line("optional", "optional")
    + '<span class="arch-key">cylinder: database or cache · hexagon: gateway · pennant: queue or stream · '
      "☺: a person</span></div>\n"
)


# ---------------------------------------------------------------- components


def _relation_row(f: SystemFacts, r, other: str) -> str:
    kind = "async" if r.is_async else "optional" if r.optional else "sync"
    latency = format_ms(r.latency_ms) if r.latency_ms is not None else "—"
    return (f"| {_component_link(f, other)} | {t.inline(r.label) or '—'} "
            f"| {t.inline(r.protocol) if r.protocol else '—'} | {latency} | {kind} |\n")


def _component_link(f: SystemFacts, qid: str, folder: str = "") -> str:
    """A link from a page of the system's `folder` (components/ by default) to a component's
    page; an actor, or an element of a system the site may not hold, by name."""
    owner, _, cid = qid.partition(".")
    element = f.by_qid.get(qid)
    if element is None:
        actor = next((a for a in f.system.actors if a.qid == qid), None)
        if actor is not None:
            return f"{t.inline(actor.label)} <small>(actor)</small>"
        if owner == f.system.id:
            return t.literal(qid)
        return f"[{t.literal(qid)}](../../{owner}/components/{cid}.md)" if not folder else t.literal(qid)
    return f"[{t.inline(element.label)}]({folder}{cid}.md)"


def component_page(f: SystemFacts, c, rules_link: str = "../../../rules") -> str:
    """Everything about one component: its state and why, what it keeps, its relations, the
    decisions, migrations and findings that concern it."""
    s = f.system
    # in a large system the components index finds them (name, description, state, one row
    # each); a search entry per component page would only repeat it, and indexing a thousand
    # pages was a fifth of the site's build
    searched = len(s.components) <= NAV_COMPONENTS
    out = [front_matter(c.label, searched=searched), f"# {t.inline(c.label)}\n\n"]
    facts = [state_badge(c.effective_state), _identity(c)]
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

    out.append("## State\n\n")
    source = {"declared": "declared in the spec", "layer": "the default of its layer",
              "recommended": "recommended by the decision matrix", "unknown": "not known"}
    out.append(f"**{t.esc(c.effective_state or 'unknown')}**, {source[c.state_source]}.\n\n")
    decisions = f.decisions_of.get(c.qid, [])
    if c.justification:
        out.append(f"Why: {t.prose(c.justification)}\n\n")
    standing = _standing(decisions)
    if standing:
        out.append(f"As decided in [{t.inline(standing.id)}](../decisions/{standing.id}.md): "
                   f"{t.inline(_first_sentence(t.plain(standing.decision)))}\n\n")
    out.append(f"The decision matrix: {t.inline(explain(f.recommendations[c.qid]))}\n\n")

    if c.keeps:
        out += ["## What it keeps\n\n", "| What | Kind | Where | Expires |\n", "|---|---|---|---|\n"]
        for k in c.keeps:
            ttl = f"after {format_ms(k.ttl_ms)}" if k.ttl_ms is not None else "—"
            out.append(f"| {t.inline(k.what)} | {t.esc(k.kind)} | {t.inline(k.where)} | {ttl} |\n")
        out.append("\n")

    calls, called = f.calls.get(c.qid, []), f.called.get(c.qid, [])
    out.append("## Relations\n\n")
    header = "| {} | Label | Protocol | Latency | Kind |\n|---|---|---|---|---|\n"
    if calls:
        out.append("### Calls\n\n" + header.format("To"))
        out += [_relation_row(f, r, r.target) for r in calls]
        out.append("\n")
    if called:
        out.append("### Called by\n\n" + header.format("From"))
        out += [_relation_row(f, r, r.source) for r in called]
        out.append("\n")
    if not calls and not called:
        out.append("No relations.\n\n")

    if decisions:
        out.append("## Decisions\n\n")
        for d in decisions:
            out.append(f"- [{t.inline(d.id)}: {t.inline(d.title or d.id)}](../decisions/{d.id}.md) "
                       f"{badge(f'status-{d.status}', d.status)}\n")
        out.append("\n")
    moves = [mg for mg in s.migrations if c.qid in (mg.source, mg.target)]
    if moves:
        out.append("## Migrations\n\n")
        for mg in moves:
            role = "from here" if mg.source == c.qid else "to here"
            out.append(f"- [{t.inline(mg.label)}](../migrations/{mg.id}.md) ({role})\n")
        out.append("\n")
    mine = f.findings_of.get(c.qid, [])
    out.append("## Findings\n\n")
    if mine:
        for x in mine:
            out.append(f"- {severity_badge(x.severity.value)} [{x.code}]({rules_link}/{x.code}.md) "
                       f"{t.inline(x.message)}\n")
        out.append("\n")
    else:
        out.append("None.\n\n")
    if c.allows:
        out.append("## Allowed\n\n")
        for a in c.allows:
            out.append(f"- [{t.esc(a.code)}]({rules_link}/{a.code}.md): {t.inline(a.reason)}\n")
        out.append("\n")
    out.append("[System overview](../index.md) · [All components](index.md)\n")
    return "".join(out)


def components_index(f: SystemFacts) -> str:
    s = f.system
    out = [front_matter(f"{s.label}: components"), f"# Components of {t.inline(s.label)}\n\n",
           "| Component | State | Kind | Layer | Description |\n", "|---|---|---|---|---|\n"]
    for c in s.components:
        layer = s.layer(c.layer) if c.layer else None
        out.append(f"| [{t.inline(c.label)}]({c.id}.md) | {state_badge(c.effective_state)} "
                   f"| {t.esc(c.kind)} | {t.inline(layer.label) if layer else '—'} | {t.prose(c.description) or '—'} |\n")
    return "".join(out) + "\n[System overview](../index.md)\n"


# ---------------------------------------------------------------- migrations


def migration_page(f: SystemFacts, mg, diagram: str = "") -> str:
    """A migration: what moves where, how, its phases as a timeline, and the way back."""
    out = [front_matter(mg.label), f"# {t.inline(mg.label)}\n\n"]
    ends = []
    for word, qid in (("from", mg.source), ("to", mg.target)):
        if qid:
            ends.append(f"{word} {_component_link(f, qid, '../components/')}")
    if mg.strategy:
        ends.append(f"strategy **{t.esc(mg.strategy)}**")
    if ends:
        out.append(" · ".join(ends) + "\n\n")
    if mg.description:
        out.append(f"{t.prose(mg.description)}\n\n")
    out.append(diagram)
    out.append("## Phases\n\n")
    if mg.phases:
        out += ["| # | Phase | Traffic | Date | Exit criteria |\n", "|---|---|---|---|---|\n"]
        for number, p in enumerate(mg.phases, 1):
            traffic = f"{p.traffic:g}%" if p.traffic is not None else "—"
            about = t.inline(p.name) + (f"<br><small>{t.prose(p.description)}</small>" if p.description else "")
            out.append(f"| {number} | {about} | {traffic} | {t.esc(p.date or '—')} | {t.inline(p.exit) or '—'} |\n")
        out.append("\n")
    else:
        out.append("No phases: the whole move happens at once.\n\n")
    out.append("## Rollback\n\n" + (f"{t.inline(mg.rollback)}\n\n" if mg.rollback else "None written.\n\n"))
    return "".join(out) + "[System overview](../index.md)\n"
