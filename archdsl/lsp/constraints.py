"""The language server inside a `constraint` block: completion of its statements and selectors,
hover on a statement (what it checks, the rule that does), on a selector (what it selects here)
and on a constraint's id (the whole constraint explained)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import policy, vocabulary
from ..analysis.policy import index
from ..parsing.statements import COMPONENT

if TYPE_CHECKING:
    from .analyses import Analysis

STATEMENTS = {
    "forbid": "forbid A -> B: no relation may go from what A selects to what B selects (CT901)",
    "only": "only A -> B: relations from what A selects may reach only what B selects (CT902)",
    "require": "require A { ATTR [OP VALUE]; … }: every component A selects has these attributes (CT903)",
    "max": "max fan-out|fan-in N for A: no element A selects calls (is called by) more than N others (CT904)",
    "no": "no cycles among A: no cycle of on-path relations among what A selects (CT905)",
}
SCOPES = {
    "layer": "the components of the layers with this id",
    "kind": "the components and actors of this kind",
    "tag": "the elements with this tag",
    "state": "the components whose state is this",
    "system": "the elements of this system",
}
FOLLOWS = {"max": ("fan-out", "fan-in"), "no": ("cycles",), "cycles": ("among",)}


def complete(analysis: Analysis, block: str, words: list[str], arrow: bool) -> list[tuple[str, str]] | None:
    """What may follow in a constraint (or its `require` block), or None outside one."""
    if block == "require":
        if not words:
            return sorted((word, "component attribute") for word in COMPONENT)
        if len(words) == 1:
            return [(op, "comparison") for op in policy.COMPARISONS]
        return None
    if block != "constraint" or not words or words[0] not in STATEMENTS:
        return None
    last = words[-1]
    if last in FOLLOWS and not arrow:
        return [(word, "constraint word") for word in FOLLOWS[last]]
    if words[0] == "max" and len(words) == 3:
        return [("for", "constraint word")]
    return selectors(analysis)


def selectors(analysis: Analysis) -> list[tuple[str, str]]:
    """Every selector term that selects something in the workspace, and the words between them."""
    out = [("*", "every element"), ("actor", "every actor"), ("unless", "takes away what follows")]
    found: dict[str, str] = {}
    for system in analysis.workspace.systems:
        found[f"system:{system.id}"] = f"system: {system.label}"
        for layer in system.layers:
            found.setdefault(f"layer:{layer.id}", f"layer: {layer.label}")
        for element in (*system.components, *system.actors):
            found.setdefault(element.qid, f"{type(element).__name__.lower()}: {element.label}")
            for tag in element.tags:
                found.setdefault(f"tag:{tag}", "tag")
    for kind in sorted(set(vocabulary.COMPONENT_KINDS) | set(vocabulary.ACTOR_KINDS)):
        found.setdefault(f"kind:{kind}", "kind")
    for state in vocabulary.STATES:
        found.setdefault(f"state:{state}", "state")
    return out + sorted(found.items())


def hover(analysis: Analysis, block: str, word: str, words: list[str]) -> str | None:
    """What a word of a constraint means: a statement, a selector term, or the constraint's id."""
    if block == "system" or block == "file":
        if words == ["constraint"]:
            found = [c for c in analysis.workspace.constraints() if c.id == word]
            return "\n\n---\n\n".join(c.markdown() for c in found) or None
        return None
    if block != "constraint":
        return None
    if not words and word in STATEMENTS:
        return f"**{word}** (constraint)\n\n{STATEMENTS[word]}"
    scope, colon, value = word.partition(":")
    if colon and scope in SCOPES:
        return f"**{word}** selects {SCOPES[scope]}: `{value}`" + _how_many(analysis, scope, value)
    return None


def _how_many(analysis: Analysis, scope: str, value: str) -> str:
    """How many elements a term selects here, by the checker's own index (analysis.policy)."""
    count = len(index(analysis.workspace.systems).by.get((scope, value), ()))
    return f" ({count} element{'s' if count != 1 else ''} here)"
