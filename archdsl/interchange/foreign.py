"""A model read from another tool, before it is a spec: the C4 shapes every such tool shares
(people, software systems, containers, components, groups, relationships, decision records,
dynamic views), each with the line it came from. Structurizr DSL and LikeC4 are read into it;
`tospec` writes it as a spec."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PERSON, SYSTEM, CONTAINER, COMPONENT = "person", "system", "container", "component"


@dataclass
class Element:
    key: str  # the source's identifier (unique in the model; made up where it has none)
    level: str  # PERSON, SYSTEM, CONTAINER or COMPONENT
    name: str
    line: int
    parent: str | None = None  # the key of the element it is part of
    description: str = ""
    technology: str = ""
    tags: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    link: str = ""
    group: str = ""  # the innermost group it is in
    kind: str = ""  # the source's own word for what it is (a LikeC4 kind, an archetype)
    notes: list[str] = field(default_factory=list)  # what had no place, said where it is written
    facts: dict = field(default_factory=dict)  # archdsl's facts, kept by an export


@dataclass
class Link:
    source: str
    target: str
    line: int
    description: str = ""
    technology: str = ""
    tags: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    file: str = ""  # the file it was read from, when the model is read from more than one

    @property
    def where(self) -> str:
        return f"{self.file} line {self.line}" if self.file else f"line {self.line}"


@dataclass
class Record:
    """An architecture decision record (Markdown, in adr-tools' form)."""

    key: str
    title: str
    source: str  # where it was read
    scope: str | None = None  # the element it belongs to
    status: str = ""
    date: str = ""
    context: str = ""
    decision: str = ""
    consequences: str = ""
    supersedes: list[str] = field(default_factory=list)
    affects: list[str] = field(default_factory=list)  # element ids (an archdsl export's "Affects")


@dataclass
class Story:
    """A dynamic view: one request, step by step."""

    key: str
    title: str
    line: int
    scope: str | None = None
    steps: list[tuple[str, str, str, int]] = field(default_factory=list)  # source, target, words, line
    facts: dict = field(default_factory=dict)  # archdsl's facts of the flow, kept by an export


@dataclass
class Picture:
    """A static view that names its elements one by one (one that includes `*` or expressions
    is drawn by archdsl from the model, and not read)."""

    key: str
    title: str
    line: int
    scope: str | None
    include: list[str] = field(default_factory=list)  # element keys


@dataclass
class Model:
    tool: str  # "Structurizr DSL", "LikeC4"
    source: str  # the file's name
    name: str = ""
    description: str = ""
    elements: dict[str, Element] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    read: list[Path] = field(default_factory=list)  # every file read (an output is never one of them)
    skipped: list[str] = field(default_factory=list)  # "line 58: deploymentEnvironment: …"
    _children: dict[str | None, list[Element]] | None = field(default=None, repr=False, compare=False)

    def children(self, key: str) -> list[Element]:
        """The elements directly inside `key` (indexed once, when the model is complete)."""
        if self._children is None:
            self._children = {}
            for element in self.elements.values():
                self._children.setdefault(element.parent, []).append(element)
        return self._children.get(key, [])


@dataclass
class Imported:
    """The spec written, and what it counts."""

    text: str
    components: int
    relations: int
    states: int  # components whose state the source did not say
    targets: int  # systems with no sla or latency
    skipped: int = 0  # statements of the source with no place, said in the spec's comments
    read: list[Path] = field(default_factory=list)  # every file read


def named_keys(refs: list[str], resolve) -> list[str]:
    """The keys of a view's elements named one by one; none when it names anything else (`*`,
    a relation, a predicate) or a name `resolve` does not know."""
    keys = [resolve(ref) for ref in refs]
    if any(key is None or "*" in ref or "->" in ref or "==" in ref for key, ref in zip(keys, refs)):
        return []
    return [key for key in keys if key]
