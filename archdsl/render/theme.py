"""The look of diagrams, as data: colours by state, shapes by kind, line styles by relation."""

from __future__ import annotations

import math

FONT = "Helvetica,Arial,sans-serif"

GRAPH = {
    "fontname": FONT, "fontsize": "16", "labelloc": "t", "labeljust": "l", "rankdir": "TB",
    "nodesep": "0.35", "ranksep": "0.6", "bgcolor": "white", "pad": "0.3",
    "compound": "true", "outputorder": "edgesfirst",
}
NODE = {"fontname": FONT, "fontsize": "11", "margin": "0.15,0.08", "penwidth": "1.2"}
EDGE = {"fontname": FONT, "fontsize": "9", "color": "#4A5568", "fontcolor": "#2D3748", "arrowsize": "0.7"}

# State: stateless is cool and thin, stateful warm and heavy, managed data green.
STATE = {
    "stateless": {"fillcolor": "#EBF4FF", "color": "#2B6CB0", "style": "filled,rounded", "penwidth": "1.2"},
    "stateful": {"fillcolor": "#FFEBD6", "color": "#C05621", "style": "filled,rounded,bold", "penwidth": "2.6"},
    "managed": {"fillcolor": "#E6F6EC", "color": "#2F855A", "style": "filled", "penwidth": "1.6"},
    None: {"fillcolor": "#F7FAFC", "color": "#718096", "style": "filled,rounded,dashed", "penwidth": "1.2"},
}
MIXED = {"fillcolor": "#FFFFFF", "color": "#4A5568", "style": "filled", "penwidth": "1.2"}  # a group of several states
STATE_LABEL = {"stateless": "stateless", "stateful": "STATEFUL", "managed": "managed", None: "state unknown"}

# Shape by kind: a database is a cylinder, a queue looks like one, a gateway is a hexagon.
SHAPE = {
    "service": "box", "worker": "box3d", "function": "component", "frontend": "box",
    "cdn": "tab", "edge-function": "component", "load-balancer": "box", "gateway": "hexagon",
    "websocket": "box", "database": "cylinder", "cache": "cylinder", "queue": "cds", "stream": "cds",
    "search": "note", "object-store": "folder", "external": "box", "identity": "octagon",
    "scheduler": "septagon",
}
PERIPHERIES = {"websocket": "2"}
MARGIN = {"cds": "0.3,0.08", "hexagon": "0.05,0.05", "octagon": "0.05,0.05"}  # room for the label
EXTRA_STYLE = {"load-balancer": "diagonals"}  # added to the state's style
EXTERNAL_STYLE = {"style": "filled,dashed"}

ACTOR = {"shape": "plaintext", "fontsize": "12", "fontcolor": "#1A202C"}
ACTOR_GLYPH = "☺"  # a person; the label is plain text, never HTML

ACTOR_SYSTEM = {"shape": "box", "style": "filled", "fillcolor": "#EDF2F7", "color": "#4A5568", "fontsize": "11",
                "penwidth": "1.2"}  # an actor of kind system: a push provider, a partner's API

# Neighbours outside a view: faded, thin, never dashed (dashes are async relations)
CONTEXT = {"fillcolor": "#F7FAFC", "color": "#CBD5E0", "fontcolor": "#A0AEC0", "style": "filled,rounded",
           "penwidth": "1"}
CONTEXT_EDGE = "#A0AEC0"
MIGRATION = {"color": "#B7791F", "fontcolor": "#975A16", "penwidth": "2.4", "style": "bold", "arrowsize": "1"}

LAYER = {"style": "rounded,filled", "fillcolor": "#FAFAFA", "color": "#CBD5E0", "fontname": FONT,
         "fontsize": "12", "fontcolor": "#4A5568", "labeljust": "l", "margin": "14"}
SUBLAYER = {"style": "rounded,dashed", "color": "#CBD5E0", "fontname": FONT, "fontsize": "10",
            "fontcolor": "#718096", "labeljust": "l", "margin": "10"}  # a layer inside a state's box
GROUP = {"stateless": "#F5F9FF", "stateful": "#FFF8F0", "managed": "#F3FBF6", None: "#FAFAFA"}

RELATION = {
    "sync": {"style": "solid"},
    "async": {"style": "dashed", "arrowhead": "vee"},
    "optional": {"style": "dotted"},
    "background": {"style": "dotted", "arrowhead": "vee"},  # periodic or batch: its label says so
}

LEGEND = {"style": "rounded", "color": "#CBD5E0", "fontname": FONT, "fontsize": "10", "label": "Legend",
          "fontcolor": "#4A5568", "margin": "10"}

# Diagrams of up to BANDED nodes are ranked by dot: layers top to bottom, calls inside a small
# layer caller above callee, room between nodes and ranks that keeps labels clear of each other
# and of other lines (on the 83 views of specs/: 8 -> 1 overlapping label pairs, 24 -> 7 crossed
# labels; bench/diagram_quality.py), and labels slid clear after the layout (labels.py) when
# there are at most UNTANGLE_RELATIONS relations: each label is checked against every line.
BANDED = 150
ROOMY = {"newrank": "true", "nodesep": "0.6", "ranksep": "1.1"}
UNTANGLE_RELATIONS = 400
# A ranked drawing wider than this (px, about four desktop screens) is a strip no one reads:
# it is drawn as bands instead (a 100-component system ranked was 11,300 px wide; banded, 850).
WIDEST_PX = 5400

# Above BANDED nodes (or when ranked would be wider than WIDEST_PX) a full view is drawn as bands:
# Graphviz's `osage` stacks the layers top to bottom, in order, each a grid of its components in
# their written order, relations drawn straight (their words in each line's tooltip). Ranked,
# such a view is a strip many screens wide, and dot takes minutes on it (5,000 components: 189 s
# of crossing minimisation in a 210 s layout); banded, 5,000 components take 2.6 s.
BANDS_LAYOUT = {"layout": "osage", "packmode": "array_u1"}  # the boxes in one column, by `sortv`


def grid(largest: int, widest: float) -> str:
    """The `packmode` of a box of a banded diagram whose largest box has `largest` members: as many
    columns of nodes `widest` px wide as fill the width that makes that box about twice as wide
    as tall, so every box is about as wide as the others."""
    width = math.sqrt(2 * largest) * 150  # px: a typical node and its gap are about 150 px wide
    return f"array_u{max(ROW, int(width // (widest + 20)))}"


SMALL_GROUP = 12  # a layer up to this size ranks its own calls, caller above callee
ROW = 6  # a layer wider than this is folded into rows (a 15-component layer: 3 rows of 5)
PAGE_WIDTH = 1500  # px a row of a layer may take before it folds (fewer a row when labels are long)

OVERVIEW_THRESHOLD = 250  # components in a system view before it becomes a per-layer overview

# Mermaid and D2 colours follow the same palette.
MERMAID_CLASSES = {
    "stateless": "fill:#EBF4FF,stroke:#2B6CB0,stroke-width:1px",
    "stateful": "fill:#FFEBD6,stroke:#C05621,stroke-width:3px",
    "managed": "fill:#E6F6EC,stroke:#2F855A,stroke-width:1.5px",
    "unknown": "fill:#F7FAFC,stroke:#718096,stroke-dasharray:4 2",
    "actor": "fill:#FFFFFF,stroke:#1A202C",
}
D2_SHAPE = {
    "database": "cylinder", "cache": "cylinder", "queue": "queue", "stream": "queue",
    "gateway": "hexagon", "search": "page", "object-store": "stored_data", "cdn": "cloud",
    "external": "rectangle", "worker": "rectangle",
}
