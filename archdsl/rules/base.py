"""What every rule is: identity as class data, documentation as its docstring."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, Iterator

from ..analysis.availability import compose
from ..analysis.checklist import answers
from ..analysis.copies import single_copies_by_system
from ..analysis.flows import flow_costs
from ..analysis.latency import slowest_paths
from ..analysis.matrix import recommend
from ..analysis.policy import breaches
from ..config import Settings
from ..diagnostics import Finding, Severity, Span

if TYPE_CHECKING:
    from ..model import Workspace


class Context:
    """What rules read: the workspace, its graph, settings, and analyses computed once."""

    def __init__(self, workspace: Workspace, settings=None):
        self.workspace = workspace
        self.graph = workspace.graph
        self.settings = settings or Settings()

    @property
    def systems(self):
        return self.workspace.systems

    @property
    def components(self):
        return self.workspace.components()

    @cached_property
    def recommendations(self) -> dict:
        return {c.qid: recommend(c) for c in self.components}

    @cached_property
    def latency(self):
        return slowest_paths(self.graph, self.settings.hop_latency)

    @cached_property
    def flows(self) -> list:
        """The cost of every flow, step by step (analysis.flows)."""
        return flow_costs(self.graph, self.settings.hop_latency)

    @cached_property
    def availability(self):
        return compose(self.graph)

    @cached_property
    def single_copies(self) -> dict:
        """System id -> its stores that hold the only copy of user data or sessions."""
        return single_copies_by_system(self.systems)

    @cached_property
    def policy(self) -> list:
        """Every breach of the workspace's own constraints (analysis.policy)."""
        return breaches(self.workspace)

    @cached_property
    def checklists(self) -> dict:
        return {s.id: answers(self.graph, s, self.single_copies[s.id]) for s in self.systems}

    def element(self, qid: str):
        return self.graph.nodes[qid]["element"]


@dataclass(frozen=True)
class RuleDoc:
    summary: str
    what: str
    why: str
    example: str
    use_instead: str


_SECTION = re.compile(r"^\*\*(What it does|Why is this bad\?|Example|Use instead)\*\*\s*$", re.M)
_FENCE = re.compile(r"```arch\n(.*?)```", re.S)


def header_span(element) -> Span:
    """From the element's keyword to the end of its id: one line, however long the block."""
    whole = element.span
    ident = element.spans.get("id")
    if ident is None or ident.line != whole.line:
        end_line, end_column = (whole.line, whole.column + 1) if whole.end_line != whole.line else (
            whole.end_line, whole.end_column)
        return Span(whole.file, whole.line, whole.column, end_line, end_column)
    return Span(whole.file, whole.line, whole.column, ident.end_line, ident.end_column)


class Rule:
    """A check over the model; subclasses set the class data and write `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    loader: ClassVar[bool] = False  # reported while loading (AD1xx), not by `check`
    # Rules that say the same thing more precisely: one problem, one finding, so this rule
    # stays silent on an element where one of them fired.
    repeats: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: Context) -> Iterator[Finding]:
        return iter(())

    def finding(self, element, message: str, hint: str = "", span: Span | None = None, *,
                detail: str = "", severity: Severity | None = None) -> Finding:
        """A finding about `element`, by default at its header (`component api "API"`).

        `detail` tells apart several findings of this rule on one element (the `keeps` it is
        about, say); with the code and the element it is the finding's stable identity."""
        qid: str = getattr(element, "qid", None) or getattr(element, "key", None) or ""
        return Finding(self.code, self.name, severity or self.severity, message,
                       span or header_span(element), hint, qid, detail=detail)

    @classmethod
    def doc(cls) -> RuleDoc:
        """The docstring, split into its four parts."""
        text = inspect.cleandoc(cls.__doc__ or "")
        summary, _, rest = text.partition("\n")
        parts = dict.fromkeys(("What it does", "Why is this bad?", "Example", "Use instead"), "")
        pieces = _SECTION.split(rest)
        for title, body in zip(pieces[1::2], pieces[2::2]):
            parts[title] = body.strip()
        return RuleDoc(summary.strip(), parts["What it does"], parts["Why is this bad?"],
                       parts["Example"], parts["Use instead"])

    @classmethod
    def examples(cls) -> tuple[str, str]:
        """The `arch` source of the failing and the passing example."""
        doc = cls.doc()
        bad = _FENCE.search(doc.example)
        good = _FENCE.search(doc.use_instead)
        return (bad.group(1) if bad else "", good.group(1) if good else "")

    @classmethod
    def markdown(cls) -> str:
        """The rule's documentation as Markdown (for `explain`, SARIF help and the site)."""
        doc = cls.doc()
        return (
            f"# {cls.code} {cls.name}\n\n{doc.summary}\n\nDefault severity: **{cls.severity.value}**\n\n"
            f"## What it does\n\n{doc.what}\n\n## Why is this bad?\n\n{doc.why}\n\n"
            f"## Example\n\n{doc.example}\n\n## Use instead\n\n{doc.use_instead}\n"
        )
