"""Models in and out: `archdsl import FORMAT FILE -o OUT.arch` writes a spec from another tool's
model, `archdsl export FORMAT SPEC -o FILE` writes a spec as another tool's model.

Each format is a module of its own: `calm` (FINOS CALM 1.0 JSON), `structurizr` (Structurizr
DSL) and `likec4` (read with the grammar in blocks.lark, each in its dialect, into the C4 model of
foreign.py, which tospec.py writes as a spec), `plantuml` (C4-PlantUML, out only). An import says what it could not place (a comment
in the spec, never a silent drop) and what the source cannot know (state, kinds of state,
targets: `// TODO(state)` comments), counted on the spec's first line; an export keeps archdsl's
facts in the format's metadata or properties (facts.py), so a round trip keeps them.
"""

from __future__ import annotations

IMPORTS = ("calm", "structurizr", "likec4")
EXPORTS = ("calm", "structurizr", "likec4", "plantuml")
