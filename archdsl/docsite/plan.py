"""Everything a site holds for a set of specs: pages, diagrams, stylesheet and navigation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import markup
from ..analysis.ratio import stateless_share
from ..checker import check_workspace
from ..errors import ConfigError
from ..model import Workspace
from ..policy import distinct
from ..render import render_many
from ..render.engine import LayoutError
from ..render.views import view_names
from ..rules import Context, all_rules
from . import pages
from .framework import NAME as FRAMEWORK
from .framework import framework_markdown

ASSETS = Path(__file__).parent / "assets"  # svg-pan-zoom 3.6.2 (BSD-2-Clause, see its LICENSE) and its set-up

CSS = """\
.arch-badge { display: inline-block; padding: 0 .5em; border-radius: 1em; font-size: .75em;
  font-weight: 600; line-height: 1.7; border: 1px solid currentColor; white-space: nowrap; }
.arch-stateless { color: #2B6CB0; background: #EBF4FF; }
.arch-stateful { color: #C05621; background: #FFEBD6; }
.arch-managed { color: #2F855A; background: #E6F6EC; }
.arch-unknown { color: #4A5568; background: #EDF2F7; }
.arch-status-accepted { color: #2F855A; background: #E6F6EC; }
.arch-status-proposed { color: #2B6CB0; background: #EBF4FF; }
.arch-status-rejected { color: #C53030; background: #FFF5F5; }
.arch-status-deprecated, .arch-status-superseded { color: #718096; background: #EDF2F7; }
.arch-pass { color: #2F855A; background: #E6F6EC; }
.arch-fail, .arch-sev-error, .arch-sev-errors { color: #C53030; background: #FFF5F5; }
.arch-sev-warning, .arch-sev-warnings { color: #B7791F; background: #FFFFF0; }
.arch-sev-info, .arch-sev-infos { color: #2B6CB0; background: #EBF4FF; }
.md-typeset figure.arch-diagram { display: block; margin: 1em 0; width: 100%; max-width: 100%;
  border: 1px solid var(--arch-frame); border-radius: 4px; overflow: hidden;
  background: var(--md-default-bg-color); }
.md-typeset figure.arch-diagram .arch-diagram-view { overflow: auto; max-height: 75vh; }
.md-typeset figure.arch-diagram .arch-diagram-view.arch-zoomable { overflow: hidden; max-height: none; }
.md-typeset figure.arch-diagram svg { max-width: none; display: block; }
.md-typeset figure.arch-diagram figcaption { font-size: .7rem; margin: 0; padding: .3em .6em;
  border-top: 1px solid var(--arch-frame); max-width: none; color: var(--md-default-fg-color--light); }
.md-typeset figure.arch-diagram svg a:hover polygon, .md-typeset figure.arch-diagram svg a:hover path {
  stroke-width: 3; }
.md-typeset .arch-diagram-tools { display: flex; flex-wrap: wrap; gap: .3em; padding: .3em .6em;
  border-bottom: 1px solid var(--arch-frame); font-size: .7rem; align-items: center; }
.md-typeset .arch-diagram-tools button { font: inherit; padding: .1em .6em; border-radius: 3px; cursor: pointer;
  border: 1px solid var(--arch-frame); background: var(--md-default-bg-color); color: var(--md-default-fg-color); }
.md-typeset .arch-diagram-tools button:hover { border-color: var(--md-accent-fg-color); }
.md-typeset .arch-diagram-tools .arch-zoom-level { margin-left: auto; color: var(--md-default-fg-color--light); }
.md-typeset figure.arch-diagram:fullscreen { background: var(--md-default-bg-color); margin: 0; }
.md-typeset .arch-legend { display: flex; flex-wrap: wrap; gap: .2em 1.1em; padding: .3em .6em .45em;
  font-size: .65rem; color: var(--md-default-fg-color); border-top: 1px solid var(--arch-frame); }
.md-typeset .arch-key { display: inline-flex; align-items: center; gap: .35em; white-space: nowrap; }
.md-typeset .arch-swatch { display: inline-block; width: 1.6em; height: .95em; border-radius: 3px; border: 1.5px solid; }
.md-typeset .arch-swatch-stateless { background: #EBF4FF; border-color: #2B6CB0; }
.md-typeset .arch-swatch-stateful { background: #FFEBD6; border-color: #C05621; border-width: 3px; }
.md-typeset .arch-swatch-managed { background: #E6F6EC; border-color: #2F855A; border-radius: 0; }
.md-typeset .arch-swatch-context { background: #F7FAFC; border-color: #CBD5E0; border-width: 1px; }
.md-typeset .arch-line line { stroke: var(--md-default-fg-color); stroke-width: 1.5; }
:root { --arch-frame: #E2E8F0; }
/* Dark mode: the drawing takes the page's palette (Graphviz writes its colours as attributes) */
[data-md-color-scheme="slate"] { --arch-frame: #3B4252; }
[data-md-color-scheme="slate"] figure.arch-diagram svg polygon[fill="white"] { fill: transparent; }
[data-md-color-scheme="slate"] figure.arch-diagram svg text { fill: #E2E8F0; }
[data-md-color-scheme="slate"] figure.arch-diagram svg text[fill="#2d3748"] { fill: #CBD5E0; }
[data-md-color-scheme="slate"] figure.arch-diagram svg text[fill="#4a5568"],
[data-md-color-scheme="slate"] figure.arch-diagram svg text[fill="#718096"] { fill: #A0AEC0; }
[data-md-color-scheme="slate"] figure.arch-diagram svg text[fill="#a0aec0"] { fill: #8A94A6; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [stroke="#4a5568"] { stroke: #A0AEC0; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#4a5568"] { fill: #A0AEC0; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#fafafa"] { fill: #232736; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [stroke="#cbd5e0"] { stroke: #4A5568; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#ebf4ff"] { fill: #1A365D; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [stroke="#2b6cb0"] { stroke: #63B3ED; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#ffebd6"] { fill: #5C2B0E; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [stroke="#c05621"] { stroke: #F6AD55; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#e6f6ec"] { fill: #1C4532; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [stroke="#2f855a"] { stroke: #68D391; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#f7fafc"] { fill: #2D3748; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#f5f9ff"] { fill: #1B2436; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#fff8f0"] { fill: #2B2219; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#f3fbf6"] { fill: #1A2A22; }
[data-md-color-scheme="slate"] figure.arch-diagram svg [fill="#edf2f7"] { fill: #2D3748; }
[data-md-color-scheme="slate"] .md-typeset .arch-swatch-stateless { background: #1A365D; border-color: #63B3ED; }
[data-md-color-scheme="slate"] .md-typeset .arch-swatch-stateful { background: #5C2B0E; border-color: #F6AD55; }
[data-md-color-scheme="slate"] .md-typeset .arch-swatch-managed { background: #1C4532; border-color: #68D391; }
[data-md-color-scheme="slate"] .md-typeset .arch-swatch-context { background: #2D3748; border-color: #4A5568; }
"""


@dataclass
class Plan:
    files: dict[str, bytes | str] = field(default_factory=dict)  # uri -> content
    nav: list[Any] = field(default_factory=list)
    css: str = ""  # uri of the stylesheet
    nav_is_site: bool = False  # the plan is the whole site (no prefix): its nav is the site's
    not_in_nav: set[str] = field(default_factory=set)  # pages reached by links only (many components, rules)
    scripts: list[str] = field(default_factory=list)  # uris of the JavaScript the pages need
    systems: int = 0
    decisions: int = 0
    failed: list[str] = field(default_factory=list)  # one line per view no layout could draw


def facts_for(ctx, system, findings, directory_urls: bool = True) -> pages.SystemFacts:
    """What the pages of one system show, from the analyses the checker's `Context` computed."""
    return pages.SystemFacts(
        system=system,
        findings=[f for f in findings if f.element.split(".")[0] == system.id or f.element == system.id
                  or (not f.element and f.span.file == system.file)],
        share=stateless_share(system),
        checklist=ctx.checklists[system.id],
        latency=[p for p in ctx.latency.paths if p.system == system.id and p.entry],
        availability=[c for c in ctx.availability if c.system == system.id],
        recommendations={c.qid: ctx.recommendations[c.qid] for c in system.components},
        single_copies=ctx.single_copies[system.id],  # the rules' own, computed once
        flows=[cost for cost in ctx.flows if cost.system == system.id],
        directory_urls=directory_urls,
    )


def plan_site(workspaces: list[Workspace], *, prefix: str = "", title: str = "Architecture",
              diagrams: bool = True, progress: Callable[[str], None] | None = None,
              timeout: float | None = None, directory_urls: bool = True,
              framework: str | None = None) -> Plan:
    """Pages and diagrams for every system of the loaded workspaces, under `prefix`.

    `directory_urls` is MkDocs' setting of the same name: the links a diagram's nodes carry
    (raw SVG, which MkDocs does not rewrite) follow it. `framework` is where the site already
    has the decision framework's page (the repository's own site); else the plan publishes it
    beside the rules, so that every rule's citations lead somewhere."""
    base = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    plan = Plan(css=f"{base}archdsl.css")
    plan.files[plan.css] = CSS
    if diagrams:
        for name in ("svg-pan-zoom.min.js", "archdsl.js"):
            plan.files[f"{base}assets/{name}"] = (ASSETS / name).read_text(encoding="utf-8")
            plan.scripts.append(f"{base}assets/{name}")
    all_facts = []
    seen: dict[str, str] = {}
    policy = _Policy()
    for workspace in workspaces:
        ctx = Context(workspace)
        findings, _ = check_workspace(workspace, ctx=ctx)  # the pages reuse the rules' analyses
        policy.add(workspace, findings)
        for system in workspace.systems:
            if system.id in seen:
                raise ConfigError(f"system '{system.id}' is described in {seen[system.id]} and in "
                                  f"{system.file}: each system needs its own id")
            seen[system.id] = system.file
            facts = facts_for(ctx, system, findings, directory_urls)
            folder = f"{base}systems/{system.id}/"
            if diagrams:
                _diagrams(workspace, system, facts, folder, plan, progress, timeout, directory_urls)
            all_facts.append(facts)
            plan.nav.append({markup.title(system.label): _system_pages(plan, facts, folder)})
            plan.systems += 1
    plan.files[f"{base}index.md"] = pages.index_page(all_facts, title)
    plan.nav.insert(0, {"Overview": f"{base}index.md"})
    if policy.constraints:
        plan.files[f"{base}policy.md"] = pages.policy_page(
            distinct(policy.constraints), policy.findings, policy.allowed, rules_link="rules")  # beside it
        plan.nav.append({"Policy": f"{base}policy.md"})
    _rule_pages(plan, base, framework)
    plan.nav_is_site = not base
    return plan


class _Policy:
    """The team's constraints of every workspace of the site, with their findings and the `allow`s
    of their codes."""

    def __init__(self) -> None:
        self.constraints: list = []
        self.findings: list = []
        self.allowed: list = []

    def add(self, workspace, findings) -> None:
        self.constraints += workspace.constraints()
        self.findings += [f for f in findings if f.code.startswith("CT")]
        for system in workspace.systems:
            for item in (*system.elements(), *system.relations):
                key = getattr(item, "qid", None) or item.key
                self.allowed += [(key, a) for a in item.allows if a.code.startswith("CT")]


def _system_pages(plan: Plan, facts: pages.SystemFacts, folder: str) -> list[Any]:
    """The pages of one system into the plan: overview, stakeholders, components, migrations and
    decisions; its entry in the menu."""
    system = facts.system
    plan.files[f"{folder}index.md"] = pages.system_page(facts, rules_link="../../rules")
    plan.files[f"{folder}stakeholders.md"] = pages.stakeholder_page(facts)
    entry: list[Any] = [{"Overview": f"{folder}index.md"}]
    plan.files[f"{folder}components/index.md"] = pages.components_index(facts)
    listed = len(system.components) <= pages.NAV_COMPONENTS
    component_nav: list[Any] = [{"All components": f"{folder}components/index.md"}]
    for component in system.components:
        uri = f"{folder}components/{component.id}.md"
        plan.files[uri] = pages.component_page(facts, component)
        if listed:
            component_nav.append({markup.title(component.label): uri})
        else:
            plan.not_in_nav.add(uri)
    entry.append({"Components": component_nav})
    if system.migrations:
        entry.append({"Migrations": _migration_pages(plan, facts, folder)})
    if system.flows:
        entry.append({"Flows": _flow_pages(plan, facts, folder)})
    if system.decisions:
        plan.files[f"{folder}decisions/index.md"] = pages.timeline_page(facts)
        decision_nav = [{"Timeline": f"{folder}decisions/index.md"}]
        for decision in system.decisions:
            uri = f"{folder}decisions/{decision.id}.md"
            plan.files[uri] = pages.decision_page(facts, decision)
            decision_nav.append({markup.title(f"{decision.id}: {decision.title or decision.id}"): uri})
            plan.decisions += 1
        entry.append({"Decisions": decision_nav})
    entry.append({"For stakeholders": f"{folder}stakeholders.md"})
    return entry


def _migration_pages(plan: Plan, facts: pages.SystemFacts, folder: str) -> list[Any]:
    nav = []
    for migration in facts.system.migrations:
        uri = f"{folder}migrations/{migration.id}.md"
        view = f"migration:{migration.id}"
        shown = (pages.inline_diagram(facts, view, pages.DEPTH["nested"][facts.directory_urls],
                                      f"Migration: {migration.label}")
                 if facts.drawn(view) else "")
        plan.files[uri] = pages.migration_page(facts, migration, shown)
        nav.append({markup.title(migration.label): uri})
    return nav


def _flow_pages(plan: Plan, facts: pages.SystemFacts, folder: str) -> list[Any]:
    plan.files[f"{folder}flows/index.md"] = pages.flows_index(facts)
    nav: list[Any] = [{"All flows": f"{folder}flows/index.md"}]
    for cost in facts.flows:
        uri = f"{folder}flows/{cost.flow.id}.md"
        view = f"flow:{cost.flow.id}"
        shown = (pages.inline_diagram(facts, view, pages.DEPTH["nested"][facts.directory_urls],
                                      f"Flow: {cost.flow.label}")
                 if facts.drawn(view) else "")
        plan.files[uri] = pages.flow_page(facts, cost, shown)
        nav.append({markup.title(cost.flow.label): uri})
    return nav


def _rule_pages(plan: Plan, base: str, framework: str | None) -> None:
    """The rule catalog, a page per rule, and the framework they cite unless the site has it."""
    rules = list(all_rules())
    if framework is None:
        framework = f"{base}rules/{FRAMEWORK}"
        plan.files[framework] = framework_markdown()
    to_framework = "../" * f"{base}rules/".count("/") + framework
    plan.files[f"{base}rules/index.md"] = pages.rules_index(rules, to_framework)
    # the menu names the catalog, not its forty rules: every page renders the whole menu, and
    # the catalog's table leads to each rule
    rule_nav = [{"All rules": f"{base}rules/index.md"}]
    if framework.startswith(f"{base}rules/"):
        rule_nav.append({"The decision framework": framework})
    for rule in rules:
        plan.files[f"{base}rules/{rule.code}.md"] = pages.rule_page(rule, to_framework)
        plan.not_in_nav.add(f"{base}rules/{rule.code}.md")
    plan.nav.append({"Rules": rule_nav})


def _diagrams(workspace, system, facts, folder, plan, progress, timeout, directory_urls) -> None:
    # every view but the layers' (the system diagram shows the layers)
    views = [name for name in view_names(system) if not name.startswith("layer:")]

    def told(done: int, total: int, system, view: str) -> None:
        if progress:
            progress(f"[{done}/{total}] drew {system.id} {view}")

    for _, view, drawn in render_many(workspace, [(system, v) for v in views], "svg", timeout=timeout,
                                      progress=told, links=lambda qid: f"{pages.COMPONENT_LINK}{qid}",
                                      legend=False):  # the page shows the legend
        if isinstance(drawn, LayoutError):  # its page says so; every other view and page is built
            facts.failures[view] = str(drawn)
            plan.failed.append(str(drawn))
            continue
        name = f"diagrams/{view.replace(':', '-')}.svg"
        facts.notes[view] = drawn.note
        svg = drawn.data.decode("utf-8")
        facts.svgs[view] = svg
        # on its own, beside the pages: links from systems/ID/diagrams/ to the component pages
        plan.files[f"{folder}{name}"] = pages.place_links(svg, "../../../", directory_urls)
        facts.diagrams[view] = name
