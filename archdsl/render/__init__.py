"""Diagrams: views of a system (views.py), DOT built with the graphviz package (dot.py), laid
out by the system `dot` or the graphviz-pure wheel (engine.py), and Mermaid, D2 and JSON exports
(exports.py).  Style is data (theme.py).

The command line imports FORMATS from here for every command, so the drawing modules (and
graphviz, networkx, a thread pool) are imported inside the functions that draw: `check`
never loads them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

FORMATS = ("svg", "png", "dot", "mmd", "d2", "json")
SEQUENCE_FORMATS = ("svg", "mmd", "json")  # a flow is a sequence diagram that archdsl lays out itself


@dataclass(frozen=True)
class Drawing:
    """A view drawn: its bytes, the layout that drew it, and, when that is not the layout the
    view was designed for, a note that says why (for the reader of the picture)."""

    data: bytes
    layout: str = "ranked"
    note: str = ""
    overview: bool = False  # a per-layer overview of a system too big to draw one by one
    nodes: int = 0  # how many elements it draws (a flow: its participants)


# What the reader is told when a view is not drawn as designed, by the layout that drew it.
FALLBACK_NOTES = {
    "straight": "drawn with straight lines: Graphviz could not route the curved ones",
    "plain": "drawn without rows inside the layers: Graphviz could not rank the designed layout",
    "packed": "drawn as bands, one per layer, each a grid of its components in written order, the "
              "relations' words in their tooltips: Graphviz could not lay out the ranked drawing",
}
# The layouts that avoid each kind of failure (engine.LayoutError.cause), in the order tried.
AVOIDS = {
    "routing": ("straight", "plain", "packed"),
    "ranking": ("plain", "packed"),
    "timeout": ("packed",),
    "memory": ("packed",),
}


def _banded_note(scene, wide_px: float | None) -> str:
    """Why a view is drawn as bands, and what that leaves out of the picture."""
    why = (f"ranked, it would be {wide_px:,.0f} px wide" if wide_px is not None
           else f"{len(scene.nodes):,} elements are too many to rank readably")
    return (f"drawn as bands, one per layer, each a grid of its components in written order ({why}); "
            "the relations are straight, their words in their tooltips")


def _width_px(data: bytes, fmt: str) -> float | None:
    """How wide a drawing is on screen, read from the SVG's width (pt) or the PNG's header."""
    if fmt == "svg":
        found = re.search(rb'<svg width="([\d.]+)pt"', data[:2000])
        return float(found.group(1)) * 4 / 3 if found else None
    if fmt == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        return float(int.from_bytes(data[16:20], "big"))
    return None


def drawing(workspace, system, view: str, fmt: str, *, timeout: float | None = None,
            overview_threshold: int | None = None, highlight: dict | None = None, ghosts=(),
            links=None, legend: bool = True, flags: dict | None = None, faded=(),
            first: str | None = None) -> Drawing:
    """One view of one system in one format.

    `links(qid)` gives the address each component links to (the site: its page); without it a
    component links to its own `link`, if it has one; `legend`: draw the legend below the
    diagram (Graphviz formats; the site shows its own). When Graphviz fails on the designed
    layout, the layouts that avoid its failure are tried in order (straight lines; no rows
    inside the layers; packed) and the drawing says which one drew it; when every one fails, the
    first failure is raised (`engine.LayoutError`). `first`: the layout to try first instead of
    the one the view is designed for (a preview that remembers which one drew it quickly)."""
    from . import theme
    from .views import build_scene

    if view.startswith("flow:"):
        return _sequence(workspace, system, view[len("flow:"):], fmt, links)
    scene = build_scene(workspace, system, view,
                        overview_threshold=overview_threshold or theme.OVERVIEW_THRESHOLD)
    if highlight:
        scene.highlight = dict(highlight)
    scene.flags = dict(flags or {})
    scene.context |= set(faded) & set(scene.nodes)  # drawn faded: what a diff did not touch
    scene.ghosts = list(ghosts)
    graph = workspace.graph
    if fmt in ("mmd", "d2", "json"):
        from . import exports

        writer = {"mmd": exports.to_mermaid, "d2": exports.to_d2, "json": exports.to_json}[fmt]
        return Drawing(writer(scene, graph).encode("utf-8"), overview=scene.overview, nodes=len(scene.nodes))
    from .dot import to_dot

    if fmt == "dot":
        return Drawing(to_dot(scene, graph, links, legend=legend).source.encode("utf-8"),
                       overview=scene.overview, nodes=len(scene.nodes))
    drawn = _laid_out(scene, graph, fmt, f"{system.id}:{view}", timeout, links, legend, first)
    return replace(drawn, overview=scene.overview, nodes=len(scene.nodes))


def _sequence(workspace, system, flow_id: str, fmt: str, links) -> Drawing:
    """A flow's view: its sequence diagram (SVG), Mermaid `sequenceDiagram`, or the flow as JSON."""
    from . import sequence
    from .views import ViewError, view_names

    flow = next((f for f in system.flows if f.id == flow_id), None)
    if flow is None:
        raise ViewError(f"no flow '{flow_id}' in {system.id}; views: {', '.join(view_names(system))}")
    if fmt == "svg":
        return Drawing(sequence.to_svg(flow, workspace.graph, links), layout="sequence",
                       nodes=len({q for step in flow.steps for q in (step.source, step.target)}))
    if fmt == "mmd":
        return Drawing(sequence.to_mermaid(flow, workspace.graph).encode("utf-8"), layout="sequence")
    if fmt == "json":
        text = flow.model_dump_json(by_alias=True, indent=2, exclude={"span", "spans"})
        return Drawing((text + "\n").encode("utf-8"), layout="sequence")
    raise ViewError(f"flow:{flow_id} is a sequence diagram: draw it as {', '.join(SEQUENCE_FORMATS)}, not {fmt}")


def _laid_out(scene, graph, fmt: str, name: str, timeout: float | None, links, legend: bool,
              start: str | None = None) -> Drawing:
    """A scene laid out by Graphviz: as designed (or from `start`), else by the first layout that
    avoids the failure; as bands when the ranked drawing is a strip many screens wide."""
    from . import theme
    from .dot import LAYOUTS, PACKED, first_layout, to_dot
    from .engine import DEFAULT_TIMEOUT, LayoutError, layout

    def draw(chosen: str) -> bytes:
        return layout(to_dot(scene, graph, links, chosen, legend).source, fmt, view=name,
                      timeout=timeout or DEFAULT_TIMEOUT)

    first = first_layout(scene)
    remaining = list(LAYOUTS[LAYOUTS.index(start if start in LAYOUTS else first):])
    chosen = remaining.pop(0)
    failure: LayoutError | None = None
    while True:
        try:
            drawn = draw(chosen)
            break
        except LayoutError as exc:
            failure = failure or exc
            remaining = [later for later in remaining if later in AVOIDS.get(exc.cause, ())]
            if not remaining:
                raise failure from None
            chosen = remaining.pop(0)
    if chosen == PACKED:
        return Drawing(drawn, chosen, _banded_note(scene, None) if first == PACKED else FALLBACK_NOTES[PACKED])
    wide = _width_px(drawn, fmt)
    if not scene.overview and wide is not None and wide > theme.WIDEST_PX:
        # a strip many screens wide reads worse than bands: drawn again as bands
        return Drawing(draw(PACKED), PACKED, _banded_note(scene, wide))
    if fmt == "svg" and len(scene.relations) <= theme.UNTANGLE_RELATIONS and not scene.overview:
        from .labels import untangle

        drawn = untangle(drawn)  # labels slid clear of lines and other labels
    return Drawing(drawn, chosen, FALLBACK_NOTES.get(chosen, ""))


def render(workspace, system, view: str, fmt: str, *, timeout: float | None = None,
           overview_threshold: int | None = None, highlight: dict | None = None, ghosts=(),
           links=None, legend: bool = True, flags: dict | None = None, faded=()) -> bytes:
    """One view of one system in one format, as the bytes to write (see `drawing`)."""
    return drawing(workspace, system, view, fmt, timeout=timeout, overview_threshold=overview_threshold,
                   highlight=highlight, ghosts=ghosts, links=links, legend=legend, flags=flags, faded=faded).data


def render_many(workspace, jobs, fmt: str, *, timeout: float | None = None,
                overview_threshold: int | None = None, progress=None, links=None, legend: bool = True):
    """(system, view, drawing) of each (system, view) of `jobs`, in their order; the drawing is
    the `engine.LayoutError` of a view that no layout could draw (the others are still drawn).

    Layouts run side by side, one per core: each is a process of its own, so the threads
    only wait for them. `progress(done, total, system, view)` is told as each one ends.
    """
    from concurrent.futures import ThreadPoolExecutor

    from .engine import LayoutError

    jobs = list(jobs)
    workspace.graph  # built once here, not raced for by the threads  # noqa: B018
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="archdsl-layout") as pool:
        futures = [pool.submit(drawing, workspace, system, view, fmt, timeout=timeout,
                               overview_threshold=overview_threshold, links=links, legend=legend)
                   for system, view in jobs]
        for done, ((system, view), future) in enumerate(zip(jobs, futures), 1):
            try:
                result: Drawing | LayoutError = future.result()
            except LayoutError as exc:
                if exc.cause == "missing":  # no engine to run: nothing can be drawn
                    for waiting in futures:
                        waiting.cancel()
                    raise
                result = exc
            except BaseException:
                for waiting in futures:
                    waiting.cancel()
                raise
            if progress:
                progress(done, len(jobs), system, view)
            yield system, view, result
