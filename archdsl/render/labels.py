"""The geometry of a laid-out SVG: text boxes, lines, shapes; how readable it is (`measure`),
and edge labels moved clear of other lines and labels (`untangle`).

dot places an edge's label beside the middle of its line, and another line or label sometimes
runs through it. After the layout, each such label is slid along its own line to the nearest
place where nothing crosses or covers it; the picture is otherwise left as Graphviz drew it.

Text boxes are estimated from the font size and the number of characters (Helvetica averages
about half an em a character), lines are the edges' Bézier curves sampled at 12 points each.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = "{http://www.w3.org/2000/svg}"
FAR = 40.0  # px between an edge label's box and its line before it reads as another line's
EM = 0.5  # a character's width, in ems, as the measure counts it
ROOM = 0.56  # … and as a label is given room when it moves: a little wider, to be safe
TRIES = 40  # places a label tries, nearest first, before it stays where the layout put it
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    owner: str  # the node, edge or box it belongs to

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy, self.owner)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


def _text_box(text, owner: str, em: float) -> Box | None:
    content = "".join(text.itertext()).strip()
    if not content:
        return None
    size = float(text.get("font-size", "14"))
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    width = len(content) * size * em
    anchor = text.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return Box(left, y - size * 0.8, left + width, y + size * 0.2, owner)


def _merged(boxes: list[Box]) -> Box | None:
    """The lines of one label as one box: they belong together and never 'overlap'."""
    if not boxes:
        return None
    return Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes),
               max(b.y1 for b in boxes), boxes[0].owner)


def curve(d: str) -> list[tuple[float, float]]:
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


@dataclass(slots=True)
class Line:
    owner: str
    points: list[tuple[float, float]]
    bounds: Box

    def crosses(self, box: Box) -> bool:
        if not self.bounds.overlaps(box):
            return False
        x0, y0, x1, y1 = box.x0 + 1, box.y0 + 1, box.x1 - 1, box.y1 - 1
        for (ax, ay), (bx, by) in zip(self.points, self.points[1:]):
            if max(ax, bx) <= x0 or min(ax, bx) >= x1 or max(ay, by) <= y0 or min(ay, by) >= y1:
                continue  # this piece stays clear of the box
            for step in range(9):  # a line through the box passes one of these points
                t = step / 8
                x, y = ax + (bx - ax) * t, ay + (by - ay) * t
                if x0 < x < x1 and y0 < y < y1:
                    return True
        return False

    def distance(self, box: Box) -> float:
        """How far a box is from the nearest point of the line."""
        def gap(x: float, y: float) -> float:
            return math.hypot(max(box.x0 - x, 0, x - box.x1), max(box.y0 - y, 0, y - box.y1))

        return min((gap(x, y) for x, y in self.points), default=math.inf)


def _line(owner: str, d: str) -> Line:
    points = curve(d)
    xs, ys = [p[0] for p in points] or [0.0], [p[1] for p in points] or [0.0]
    return Line(owner, points, Box(min(xs), min(ys), max(xs), max(ys), owner))


def foreign(line: str, label: str) -> bool:
    """Whether a line is not the label's own: neither its edge, nor one leaving or entering
    the node it names."""
    return line != label and label not in line.split("#")[0].split("->")


@dataclass
class Drawing:
    """What `measure` and `untangle` read of an SVG."""

    width: float
    height: float
    labels: list[Box] = field(default_factory=list)  # node and edge labels
    edge_labels: dict[str, Box] = field(default_factory=dict)  # edge owner -> its label
    group_ids: dict[str, str] = field(default_factory=dict)  # edge owner -> the id of its <g>
    lines: dict[str, Line] = field(default_factory=dict)
    obstacles: list[Box] = field(default_factory=list)  # node shapes and box titles
    view: Box = field(default_factory=lambda: Box(0, 0, 0, 0, ""))


def _shape_box(group, owner: str) -> Box | None:
    values: list[float] = []
    for element in group.iter():
        tag = element.tag.removeprefix(SVG)
        if tag == "polygon":
            values += [float(v) for v in _NUMBER.findall(element.get("points", ""))]
        elif tag == "path":
            values += [float(v) for v in _NUMBER.findall(element.get("d", ""))]
        elif tag == "ellipse":
            cx, cy = float(element.get("cx", "0")), float(element.get("cy", "0"))
            rx, ry = float(element.get("rx", "0")), float(element.get("ry", "0"))
            values += [cx - rx, cy - ry, cx + rx, cy + ry]
    if len(values) < 2:
        return None
    xs, ys = values[0::2], values[1::2]
    return Box(min(xs), min(ys), max(xs), max(ys), owner)


def read(svg: bytes, em: float = EM) -> Drawing:
    root = ET.fromstring(svg)
    numbers = [float(v) for v in _NUMBER.findall(root.get("viewBox", "0 0 0 0"))]
    width = float(re.sub(r"[a-z]+$", "", root.get("width", "0")))
    height = float(re.sub(r"[a-z]+$", "", root.get("height", "0")))
    drawing = Drawing(width, height)
    graph = root.find(f"{SVG}g")
    shift = _NUMBER.findall(graph.get("transform", "").partition("translate")[2]) if graph is not None else []
    if len(numbers) == 4 and len(shift) == 2:
        # Graphviz draws in a group moved by the margin and the height: the page, in its terms
        tx, ty = float(shift[0]), float(shift[1])
        drawing.view = Box(-tx, -ty, numbers[2] - tx, numbers[3] - ty, "")
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        title = group.find(f"{SVG}title")
        owner = title.text if title is not None and title.text else ""
        texts = [b for b in (_text_box(t, owner, em) for t in group.iter(f"{SVG}text")) if b]
        if kind == "node" and not owner.startswith("@legend"):
            _read_node(drawing, group, owner, texts)
        elif kind == "cluster":
            drawing.obstacles += texts
        elif kind == "edge":
            _read_edge(drawing, group, owner, texts)
    return drawing


def _read_node(drawing: Drawing, group, owner: str, texts: list[Box]) -> None:
    label = _merged(texts)
    shape = _shape_box(group, owner)
    if label and shape:  # Graphviz sized the shape to hold its text: a wider guess is the guess's error
        label = Box(max(label.x0, shape.x0), label.y0, min(label.x1, shape.x1), label.y1, owner)
    if label:
        drawing.labels.append(label)
    if shape:
        drawing.obstacles.append(shape)


def _read_edge(drawing: Drawing, group, owner: str, texts: list[Box]) -> None:
    path = next(group.iter(f"{SVG}path"), None)
    if path is None or path.get("stroke") == "transparent":
        return
    owner = f"{owner}#{len(drawing.lines)}"
    drawing.lines[owner] = _line(owner, path.get("d", ""))
    label = _merged([Box(b.x0, b.y0, b.x1, b.y1, owner) for b in texts])
    if label:
        drawing.labels.append(label)
        drawing.edge_labels[owner] = label
        drawing.group_ids[owner] = group.get("id", "")


@dataclass
class Quality:
    overlaps: int
    crossed: int
    far: int
    width: float
    height: float


def _crossed(drawing: Drawing, box: Box) -> bool:
    return any(line.crosses(box) for owner, line in drawing.lines.items() if foreign(owner, box.owner))


def measure(svg: bytes) -> Quality:
    """Pairs of overlapping labels, labels a foreign line crosses, edge labels far from their
    line, and the size in px."""
    drawing = read(svg)
    labels = drawing.labels
    overlaps = sum(1 for i, a in enumerate(labels) for b in labels[i + 1:] if a.overlaps(b))
    crossed = sum(1 for box in labels if _crossed(drawing, box))
    far = sum(1 for owner, box in drawing.edge_labels.items()
              if drawing.lines[owner].distance(box) > FAR)
    return Quality(overlaps, crossed, far, drawing.width * 4 / 3, drawing.height * 4 / 3)  # pt -> px


def problems(svg: bytes) -> list[str]:
    """Each clash, as a line a person can read (for bench/diagram_quality.py --why)."""
    drawing = read(svg)
    out = []
    for i, a in enumerate(drawing.labels):
        out += [f"overlap: {a.owner} | {b.owner}" for b in drawing.labels[i + 1:] if a.overlaps(b)]
    for box in drawing.labels:
        out += [f"crossed: {box.owner} by {owner}" for owner, line in drawing.lines.items()
                if foreign(owner, box.owner) and line.crosses(box)]
    return out


def untangle(svg: bytes) -> bytes:
    """The SVG with each edge label that a foreign line crosses, that covers another label or a
    node, or that stands far from its line, slid along its own line to the nearest clear place
    (left where it is when there is none)."""
    drawing = read(svg, ROOM)
    moves: dict[str, tuple[float, float]] = {}
    for owner, box in list(drawing.edge_labels.items()):
        around = _Around(drawing, owner, box)
        if not around.clashes(box) and around.own.distance(box) <= FAR:
            continue
        place = _clear_place(drawing, around, box)
        if place is None:
            continue
        dx, dy = place
        moved = box.moved(dx, dy)
        drawing.labels[drawing.labels.index(box)] = moved
        drawing.edge_labels[owner] = moved
        moves[drawing.group_ids[owner]] = (dx, dy)
    return _shift_texts(svg, moves) if moves else svg


class _Around:
    """What a label could meet anywhere along its own line: the other lines, labels and shapes
    within reach of it (read once per label, not once per place tried)."""

    def __init__(self, drawing: Drawing, owner: str, box: Box):
        self.own = drawing.lines[owner]
        bounds = self.own.bounds
        wide, high = box.x1 - box.x0 + FAR, box.y1 - box.y0 + FAR
        reach = Box(bounds.x0 - wide, bounds.y0 - high, bounds.x1 + wide, bounds.y1 + high, owner)
        self.lines = [line for other, line in drawing.lines.items()
                      if foreign(other, owner) and line.bounds.overlaps(reach)]
        self.labels = [label for label in drawing.labels if label.owner != owner and label.overlaps(reach)]
        self.obstacles = [shape for shape in drawing.obstacles if shape.overlaps(reach)]

    def clashes(self, box: Box) -> bool:
        return (any(shape.overlaps(box) for shape in self.obstacles)
                or any(label.overlaps(box) for label in self.labels)
                or any(line.crosses(box) for line in self.lines))


def _clear_place(drawing: Drawing, around: _Around, box: Box) -> tuple[float, float] | None:
    """The shift to the clear place nearest the label's own, beside a point of its own line."""
    points = around.own.points
    if len(points) < 3:
        return None
    cx, cy = box.centre
    nearest = min(points, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
    side = cx - nearest[0], cy - nearest[1]  # where the label stands from its line
    inner = points[len(points) // 8: len(points) - len(points) // 8] or points
    tries = []
    for x, y in inner:
        for sx in (side[0], -side[0]):  # beside the line, on its side or the other
            dx, dy = x + sx - cx, y + side[1] - cy
            tries.append((dx * dx + dy * dy, dx, dy))
    view = drawing.view
    for _, dx, dy in sorted(tries)[:TRIES]:
        moved = box.moved(dx, dy)
        inside = view.x0 <= moved.x0 and moved.x1 <= view.x1 and view.y0 <= moved.y0 and moved.y1 <= view.y1
        if inside and not around.clashes(moved) and around.own.distance(moved) <= FAR:
            return round(dx, 2), round(dy, 2)
    return None


_TEXT = re.compile(rb'(<text\b[^>]*?\bx=")(-?[\d.]+)("[^>]*?\by=")(-?[\d.]+)(")')


def _shift_texts(svg: bytes, moves: dict[str, tuple[float, float]]) -> bytes:
    """Move the <text> elements of the edge groups named in `moves` by their shift."""
    out = []
    position = 0
    for group_id, (dx, dy) in sorted(moves.items(), key=lambda item: svg.index(_opening(item[0]))):
        start = svg.index(_opening(group_id), position)
        end = svg.find(b'<g id="', start + 1)
        while end != -1 and b'class="edge"' not in svg[end:end + 200] and b'class="node"' not in \
                svg[end:end + 200] and b'class="cluster"' not in svg[end:end + 200]:
            end = svg.find(b'<g id="', end + 1)
        end = len(svg) if end == -1 else end

        def shift(match: re.Match, dx: float = dx, dy: float = dy) -> bytes:
            x, y = float(match.group(2)) + dx, float(match.group(4)) + dy
            return match.group(1) + _number(x) + match.group(3) + _number(y) + match.group(5)

        out += [svg[position:start], _TEXT.sub(shift, svg[start:end])]
        position = end
    out.append(svg[position:])
    return b"".join(out)


def _opening(group_id: str) -> bytes:
    return f'<g id="{group_id}" class="edge"'.encode()


def _number(value: float) -> bytes:
    return f"{value:.2f}".rstrip("0").rstrip(".").encode()
