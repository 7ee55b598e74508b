"""How readable the diagrams are, read from the SVG geometry Graphviz wrote.

    python bench/diagram_quality.py [SPEC_OR_FOLDER …]     # default: specs/ and specs/real-world/

For every view of every system it prints, per diagram:
- overlaps: pairs of text boxes (node and edge labels) that overlap;
- crossed: labels that a line crosses (an edge other than the label's own);
- far: edge labels whose centre lies more than 40 px from their own line;
- width × height in pixels.

Text boxes are estimated from the font size and the number of characters (Helvetica averages
about 0.5 em a character), lines are the edges' Bézier curves sampled at 12 points each.
An estimate: it counts what a reader would see as clashes, give or take a near miss.
"""

from __future__ import annotations

import math
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
FAR = 40.0  # px between an edge label's box and its line
DEBUG = False


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    owner: str  # the node or edge it belongs to

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


def _text_boxes(group, owner: str) -> list[Box]:
    boxes = []
    for text in group.iter(f"{SVG}text"):
        content = "".join(text.itertext()).strip()
        if not content:
            continue
        size = float(text.get("font-size", "14"))
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        width = len(content) * size * 0.5
        anchor = text.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        boxes.append(Box(left, y - size * 0.8, left + width, y + size * 0.2, owner))
    return boxes


def _merge(boxes: list[Box]) -> list[Box]:
    """The lines of one label as one box: they belong together and never 'overlap'."""
    if not boxes:
        return []
    return [Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes),
                max(b.y1 for b in boxes), boxes[0].owner)]


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _curve(d: str) -> list[tuple[float, float]]:
    """Points along a Graphviz path: `M x,y C x1,y1 x2,y2 x3,y3 …` (cubic Béziers)."""
    values = [float(v) for v in _NUMBER.findall(d)]
    points = list(zip(values[::2], values[1::2]))
    if len(points) < 4:
        return points
    out = [points[0]]
    start = points[0]
    for i in range(1, len(points) - 2, 3):
        c1, c2, end = points[i], points[i + 1], points[i + 2]
        for step in range(1, 13):
            t = step / 12
            u = 1 - t
            out.append((u ** 3 * start[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t ** 3 * end[0],
                        u ** 3 * start[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t ** 3 * end[1]))
        start = end
    return out


def _crosses(points: list[tuple[float, float]], box: Box) -> bool:
    inner = Box(box.x0 + 1, box.y0 + 1, box.x1 - 1, box.y1 - 1, box.owner)
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        for step in range(9):  # a line through the box passes one of these points
            t = step / 8
            x, y = ax + (bx - ax) * t, ay + (by - ay) * t
            if inner.x0 < x < inner.x1 and inner.y0 < y < inner.y1:
                return True
    return False


def _distance(box: Box, points: list[tuple[float, float]]) -> float:
    """How far a label's box is from the nearest point of a line."""
    def gap(x: float, y: float) -> float:
        return math.hypot(max(box.x0 - x, 0, x - box.x1), max(box.y0 - y, 0, y - box.y1))

    return min(gap(x, y) for x, y in points) if points else math.inf


def _foreign(edge: str, label: str) -> bool:
    """Whether a line is not the label's own: neither its edge, nor one leaving or entering
    the node it names."""
    return edge != label and label not in edge.split("#")[0].split("->")


@dataclass
class Quality:
    overlaps: int
    crossed: int
    far: int
    width: float
    height: float


def measure(svg: bytes) -> Quality:
    root = ET.fromstring(svg)
    width = float(re.sub(r"[a-z]+$", "", root.get("width", "0")))
    height = float(re.sub(r"[a-z]+$", "", root.get("height", "0")))
    labels: list[Box] = []
    curves: dict[str, list[tuple[float, float]]] = {}
    edge_labels: list[Box] = []
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        title = group.find(f"{SVG}title")
        owner = title.text if title is not None and title.text else ""
        if kind == "node" and not owner.startswith("@legend"):
            labels += _merge(_text_boxes(group, owner))
        elif kind == "edge":
            path = next(group.iter(f"{SVG}path"), None)
            if path is None or path.get("stroke") == "transparent":
                continue
            owner = f"{owner}#{len(curves)}"
            curves[owner] = _curve(path.get("d", ""))
            found = _merge(_text_boxes(group, owner))
            labels += found
            edge_labels += found
    overlaps = sum(1 for i, a in enumerate(labels) for b in labels[i + 1:] if a.overlaps(b))
    crossed = sum(1 for box in labels if any(_crosses(points, box) for owner, points in curves.items()
                                             if _foreign(owner, box.owner)))
    far = sum(1 for box in edge_labels if _distance(box, curves.get(box.owner, [])) > FAR)
    if DEBUG:
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                if a.overlaps(b):
                    print("  overlap:", a.owner, "|", b.owner, file=sys.stderr)
        for box in labels:
            for owner, points in curves.items():
                if _foreign(owner, box.owner) and _crosses(points, box):
                    print("  crossed:", box.owner, "by", owner, file=sys.stderr)
    return Quality(overlaps, crossed, far, width * 4 / 3, height * 4 / 3)  # pt -> px


def main(paths: list[str]) -> None:
    sys.path.insert(0, str(REPO))
    import archdsl
    from archdsl.errors import SpecError
    from archdsl.render import render
    from archdsl.render.views import view_names

    specs = []
    for path in paths or [str(REPO / "specs")]:
        found = Path(path)
        specs += sorted(found.rglob("*.arch")) if found.is_dir() else [found]
    rows = []
    totals = Quality(0, 0, 0, 0, 0)
    for spec in specs:
        try:
            workspace = archdsl.load(spec)
        except SpecError:
            continue
        for system in workspace.systems:
            if system.file != workspace.files[0] and len(workspace.files) > 1 and spec.name not in system.file:
                continue  # an imported system is measured with its own file
            for view in view_names(system):
                q = measure(render(workspace, system, view, "svg"))
                rows.append((f"{spec.relative_to(REPO) if spec.is_relative_to(REPO) else spec}", view, q))
                totals.overlaps += q.overlaps
                totals.crossed += q.crossed
                totals.far += q.far
    print("| spec | view | overlapping labels | crossed labels | labels far from their line | size (px) |")
    print("|---|---|---|---|---|---|")
    for spec, view, q in rows:
        print(f"| {spec} | {view} | {q.overlaps} | {q.crossed} | {q.far} | {q.width:.0f} × {q.height:.0f} |")
    widest = max((q.width for _, _, q in rows), default=0)
    print(f"\n{len(rows)} diagrams: {totals.overlaps} overlapping label pairs, {totals.crossed} crossed labels, "
          f"{totals.far} labels far from their line; widest {widest:.0f} px.")


if __name__ == "__main__":
    main(sys.argv[1:])
