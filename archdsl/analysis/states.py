"""Each component's effective state, resolved once the specs are parsed (where the data it
keeps lives, and which copy is the only one, is `copies.py`).

A component is what it declares (`state`), else what its layer's kind gives its members,
else, for a data system, managed, else what the decision matrix recommends from its
requirements (site/docs/language.md). Parsing knows only what was written; this is
the first piece of reasoning, and so it lives with the analyses.
"""

from __future__ import annotations

from ..model import System
from ..vocabulary import DATA_KINDS
from .matrix import recommend


def resolve_states(systems: list[System]) -> None:
    """Set `effective_state` and `state_source` on every component of systems still being
    loaded (the workspace is built with them complete)."""
    for system in systems:
        layers = {layer.id: layer for layer in system.layers}
        for component in system.components:
            if component.state:
                component.effective_state, component.state_source = component.state, "declared"
                continue
            layer = layers.get(component.layer or "")
            default = layer.default_state if layer else None
            if default:
                component.effective_state, component.state_source = default, "layer"
            elif component.kind in DATA_KINDS:
                component.effective_state, component.state_source = "managed", "recommended"
            else:
                component.effective_state = recommend(component).recommended
                component.state_source = "recommended"
