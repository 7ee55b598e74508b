"""Diagrams: views of a system (views.py), DOT built with the graphviz package (dot.py), laid
out by the system `dot` or the graphviz-pure wheel (engine.py), and Mermaid, D2 and JSON exports
(exports.py).  Style is data (theme.py)."""

from __future__ import annotations

FORMATS = ("svg", "png", "dot", "mmd", "d2", "json")


def render(workspace, system, view: str, fmt: str, *, timeout: float | None = None,
           overview_threshold: int | None = None, highlight: dict | None = None, ghosts=(),
           links=None) -> bytes:
    """One view of one system in one format, as the bytes to write.

    `links(qid)` gives the address each component links to (the site: its page); without it a
    component links to its own `link`, if it has one."""
    from . import theme
    from .views import build_scene

    scene = build_scene(workspace, system, view,
                        overview_threshold=overview_threshold or theme.OVERVIEW_THRESHOLD)
    if highlight:
        scene.highlight = dict(highlight)
    scene.ghosts = list(ghosts)
    graph = workspace.graph
    if fmt in ("mmd", "d2", "json"):
        from . import exports

        writer = {"mmd": exports.to_mermaid, "d2": exports.to_d2, "json": exports.to_json}[fmt]
        return writer(scene, graph).encode("utf-8")
    from .dot import to_dot

    source = to_dot(scene, graph, links).source
    if fmt == "dot":
        return source.encode("utf-8")
    from .engine import DEFAULT_TIMEOUT, layout

    drawn = layout(source, fmt, view=f"{system.id}:{view}", timeout=timeout or DEFAULT_TIMEOUT)
    if fmt == "svg" and not scene.overview and len(scene.nodes) <= theme.LARGE_DIAGRAM \
            and len(scene.relations) <= theme.UNTANGLE_RELATIONS:
        from .labels import untangle

        drawn = untangle(drawn)  # labels slid clear of lines and other labels
    return drawn


def render_many(workspace, jobs, fmt: str, *, timeout: float | None = None,
                overview_threshold: int | None = None, progress=None, links=None):
    """(system, view, bytes) of each (system, view) of `jobs`, in their order.

    Layouts run side by side, one per core: each is a process of its own, so the threads
    only wait for them. `progress(done, total, system, view)` is told as each one ends.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    jobs = list(jobs)
    workspace.graph  # built once here, not raced for by the threads  # noqa: B018
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="archdsl-layout") as pool:
        futures = [pool.submit(render, workspace, system, view, fmt, timeout=timeout,
                               overview_threshold=overview_threshold, links=links) for system, view in jobs]
        for done, ((system, view), future) in enumerate(zip(jobs, futures), 1):
            try:
                data = future.result()
            except BaseException:
                for waiting in futures:
                    waiting.cancel()
                raise
            if progress:
                progress(done, len(jobs), system, view)
            yield system, view, data
