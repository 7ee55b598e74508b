"""Everything a site holds for a set of specs: pages, diagrams, stylesheet and navigation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import markup as t
from ..analysis.ratio import stateless_share
from ..checker import check_workspace
from ..errors import ConfigError
from ..model import Workspace
from ..render import render_many
from ..render.views import view_names
from ..rules import Context, all_rules
from . import pages
from .framework import NAME as FRAMEWORK
from .framework import framework_markdown

ASSETS = Path(__file__).parent / "assets"  # svg-pan-zoom 3.6.2 (BSD-2-Clause, see its LICENSE) and its set-up
NAV_COMPONENTS = 40  # a system with more components lists them on its components page, not in the menu

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
  border: 1px solid #E2E8F0; border-radius: 4px; overflow: hidden; background: #fff; }
.md-typeset figure.arch-diagram svg { max-width: none; }
.md-typeset figure.arch-diagram figcaption { font-size: .7rem; margin: 0; padding: .3em .6em;
  border-top: 1px solid #E2E8F0; max-width: none; }
.md-typeset figure.arch-diagram svg a:hover polygon, .md-typeset figure.arch-diagram svg a:hover path {
  stroke-width: 3; }
"""


@dataclass
class Plan:
    files: dict[str, bytes | str] = field(default_factory=dict)  # uri -> content
    nav: list[Any] = field(default_factory=list)
    css: str = ""  # uri of the stylesheet
    nav_is_site: bool = False  # the plan is the whole site (no prefix): its nav is the site's
    not_in_nav: set[str] = field(default_factory=set)  # pages reached by links only (many components)
    scripts: list[str] = field(default_factory=list)  # uris of the JavaScript the pages need
    systems: int = 0
    decisions: int = 0


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
    for workspace in workspaces:
        ctx = Context(workspace)
        findings, _ = check_workspace(workspace, ctx=ctx)  # the pages reuse the rules' analyses
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
            plan.files[f"{folder}index.md"] = pages.system_page(facts, rules_link="../../rules")
            plan.files[f"{folder}stakeholders.md"] = pages.stakeholder_page(facts)
            entry: list[dict[str, Any]] = [{"Overview": f"{folder}index.md"}]
            plan.files[f"{folder}components/index.md"] = pages.components_index(facts)
            component_nav: list[Any] = [{"All components": f"{folder}components/index.md"}]
            for component in system.components:
                uri = f"{folder}components/{component.id}.md"
                plan.files[uri] = pages.component_page(facts, component)
                if len(system.components) <= NAV_COMPONENTS:
                    component_nav.append({t.title(component.label): uri})
            plan.not_in_nav.update(f"{folder}components/{c.id}.md" for c in system.components
                                   if len(system.components) > NAV_COMPONENTS)
            entry.append({"Components": component_nav})
            if system.migrations:
                migration_nav = []
                for migration in system.migrations:
                    uri = f"{folder}migrations/{migration.id}.md"
                    view = f"migration:{migration.id}"
                    shown = (pages.inline_diagram(facts, view, pages.DEPTH["nested"][directory_urls],
                                                  f"Migration: {migration.label}")
                             if view in facts.svgs else "")
                    plan.files[uri] = pages.migration_page(facts, migration, shown)
                    migration_nav.append({t.title(migration.label): uri})
                entry.append({"Migrations": migration_nav})
            if system.decisions:
                plan.files[f"{folder}decisions/index.md"] = pages.timeline_page(facts)
                decision_nav = [{"Timeline": f"{folder}decisions/index.md"}]
                for decision in system.decisions:
                    uri = f"{folder}decisions/{decision.id}.md"
                    plan.files[uri] = pages.decision_page(facts, decision)
                    decision_nav.append({t.title(f"{decision.id}: {decision.title or decision.id}"): uri})
                    plan.decisions += 1
                entry.append({"Decisions": decision_nav})
            entry.append({"For stakeholders": f"{folder}stakeholders.md"})
            plan.nav.append({t.title(system.label): entry})
            plan.systems += 1
    plan.files[f"{base}index.md"] = pages.index_page(all_facts, title)
    plan.nav.insert(0, {"Overview": f"{base}index.md"})
    rules = list(all_rules())
    if framework is None:
        framework = f"{base}rules/{FRAMEWORK}"
        plan.files[framework] = framework_markdown()
    to_framework = "../" * f"{base}rules/".count("/") + framework
    plan.files[f"{base}rules/index.md"] = pages.rules_index(rules, to_framework)
    rule_nav = [{"All rules": f"{base}rules/index.md"}]
    if framework.startswith(f"{base}rules/"):
        rule_nav.append({"The decision framework": framework})
    for rule in rules:
        plan.files[f"{base}rules/{rule.code}.md"] = pages.rule_page(rule, to_framework)
        rule_nav.append({f"{rule.code} {rule.name}": f"{base}rules/{rule.code}.md"})
    plan.nav.append({"Rules": rule_nav})
    plan.nav_is_site = not base
    return plan


def _diagrams(workspace, system, facts, folder, plan, progress, timeout, directory_urls) -> None:
    # every view but the layers' (the system diagram shows the layers)
    views = [name for name in view_names(system) if not name.startswith("layer:")]

    def told(done: int, total: int, system, view: str) -> None:
        if progress:
            progress(f"[{done}/{total}] drew {system.id} {view}")

    for _, view, data in render_many(workspace, [(system, v) for v in views], "svg", timeout=timeout,
                                     progress=told, links=lambda qid: f"{pages.COMPONENT_LINK}{qid}"):
        name = f"diagrams/{view.replace(':', '-')}.svg"
        svg = data.decode("utf-8")
        facts.svgs[view] = svg
        # on its own, beside the pages: links from systems/ID/diagrams/ to the component pages
        plan.files[f"{folder}{name}"] = pages.place_links(svg, "../../../", directory_urls)
        facts.diagrams[view] = name
