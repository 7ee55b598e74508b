"""What every page of the site shares: the facts of a system, badges, front matter, links,
and the addresses of component pages from wherever a page stands."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ... import markup
from ...analysis.ratio import INDUSTRY

if TYPE_CHECKING:
    from ...analysis.availability import Composition
    from ...analysis.checklist import Answer
    from ...analysis.latency import PathResult
    from ...analysis.matrix import Recommendation
    from ...analysis.ratio import Share
    from ...diagnostics import Finding
    from ...model import System


STATE_BADGE = {"stateless": "stateless", "stateful": "stateful", "managed": "managed", None: "unknown"}


def state_badge(state: str | None) -> str:
    return badge(STATE_BADGE[state], state or "unknown")


def severity_badge(severity: str) -> str:
    return badge(f"sev-{severity}", severity)


def yes_no(answer: str, passed: bool) -> str:
    return badge("pass" if passed else "fail", answer)


def grouped(items, key) -> dict[str, list]:
    """Items by a key of each, in their order: built once a system, read once a page."""
    found: dict[str, list] = {}
    for item in items:
        found.setdefault(key(item), []).append(item)
    return found


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
    flows: list = field(default_factory=list)  # the cost of each of the system's flows (analysis.flows)
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
        return grouped(self.system.relations, lambda r: r.source)

    @cached_property
    def called(self) -> dict[str, list]:
        return grouped(self.system.relations, lambda r: r.target)

    @cached_property
    def decisions_of(self) -> dict[str, list]:
        return self.system.decisions_affecting()

    @cached_property
    def flows_of(self) -> dict[str, list]:
        """Qualified id -> the flows it takes part in, in written order."""
        found: dict[str, list] = {}
        for cost in self.flows:
            for qid in cost.flow.participants():
                found.setdefault(qid, []).append(cost.flow)
        return found

    @cached_property
    def findings_of(self) -> dict[str, list]:
        return grouped(self.findings, lambda x: x.element)


NAV_COMPONENTS = 40  # a system with more components lists them on its components page, not in the menu


def front_matter(title: str, *, searched: bool = True) -> str:
    """A page's title, and whether the site's search indexes it (`searched`)."""
    hidden = "search:\n  exclude: true\n" if not searched else ""
    return f"---\ntitle: {json.dumps(markup.title(title))}\n{hidden}---\n\n"


def link(url: str) -> str:
    """An outside address the spec gives (always http(s), checked by the parser), as a link."""
    return f'<a href="{markup.esc(url)}" rel="noopener">{markup.esc(url)}</a>'


def badge(kind: str, label: str) -> str:
    return f'<span class="arch-badge arch-{markup.esc(kind)}">{markup.esc(label)}</span>'


# Decisions whose text no longer stands: never quoted as a component's reasoning.
STALE_DECISIONS = ("superseded", "rejected", "deprecated")


def keeps_line(component) -> str:
    """`keeps carts (user-data) in redis; catalog (reference) in local-memory, ttl 5s`."""
    items = [k.describe(markup.inline) for k in component.keeps]
    return "keeps " + "; ".join(items) if items else ""


def standing(decisions: list):
    """The first of a component's decisions that still stands and says what was decided."""
    return next((d for d in decisions if d.status not in STALE_DECISIONS and d.decision), None)


def identity(c) -> str:
    """A component's id, kind and technology, as its row and its page show them."""
    return f"{markup.literal(c.id)} · {markup.esc(c.kind)}" + (f" · {markup.inline(c.tech)}" if c.tech else "")


def first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[: end + 1]


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


def share_line(share) -> str:
    if share.percent is None:
        return "**Stateless share:** no stateless or stateful components yet."
    line = (f"**Stateless share:** {share.percent:.0f}% ({len(share.stateless)} of {share.counted} "
            f"components; managed data systems not counted)")
    if share.benchmark is not None:
        label = INDUSTRY[share.industry][1]
        delta = share.departure
        where = "on par with" if abs(delta) <= 5 else f"{abs(delta):.0f} points {'above' if delta > 0 else 'below'}"
        line += f" — {where} the {markup.inline(label)} benchmark of ~{share.benchmark}%"
    return line + "."


def component_link(f: SystemFacts, qid: str, folder: str = "") -> str:
    """A link from a page of the system's `folder` (components/ by default) to a component's
    page; an actor, or an element of a system the site may not hold, by name."""
    owner, _, cid = qid.partition(".")
    element = f.by_qid.get(qid)
    if element is None:
        actor = next((a for a in f.system.actors if a.qid == qid), None)
        if actor is not None:
            return f"{markup.inline(actor.label)} <small>(actor)</small>"
        if owner == f.system.id:
            return markup.literal(qid)
        return f"[{markup.literal(qid)}](../../{owner}/components/{cid}.md)" if not folder else markup.literal(qid)
    return f"[{markup.inline(element.label)}]({folder}{cid}.md)"
