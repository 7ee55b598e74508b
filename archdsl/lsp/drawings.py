"""The editor's preview panel: `archdsl/renderView` `{uri, view}` -> `{svg, views, …}`, a view of
the system a document defines, drawn from the open documents' unsaved text after the check of
the latest edit.

Drawings are made one at a time in a thread of their own, beside the checks' thread and the
server's loop: a redraw never holds up diagnostics, hover or completion. A document whose root
does not load (a syntax error, an unknown reference) keeps the last good drawing of the view and
answers with the problems, as `archdsl preview` does.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArchError
from ..preview.pictures import Pictures
from ..preview.session import MAX_PROBLEMS, Problem
from .documents import path_of, uri_of

if TYPE_CHECKING:
    from .analyses import Analysis
    from .server import ArchServer

METHOD = "archdsl/renderView"
DRAWN_IDS = re.compile(r'<title>([^<]+)</title>|data-id="([^"]+)"')  # Graphviz nodes, flow participants


class Drawings:
    """The drawings the editor's panels show; the last good one of each (document, view)."""

    def __init__(self, server: ArchServer) -> None:
        self.server = server
        self.pictures = Pictures()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archdsl-draw")
        self.good: dict[tuple[str, str], dict[str, Any]] = {}

    async def render_view(self, uri: str, view: str | None) -> dict[str, Any]:
        """The answer to `archdsl/renderView`: the view (the system view when none is given, or
        when the one asked for is gone), every view of the system, how it was drawn, where each
        drawn element is defined, and the problems that kept it from being drawn again."""
        analysis = await self.server.checks.current(self.server.root(uri))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self._draw, analysis, uri, view)

    def _draw(self, analysis: Analysis, uri: str, view: str | None) -> dict[str, Any]:
        workspace = analysis.workspace
        problems = [Problem.of(f).to_dict() for f in workspace.errors]
        system = _system_of(workspace, path_of(uri))
        if system is None and not problems:
            problems = [Problem("this document defines no system: open the file of the system to preview").to_dict()]
        if problems:
            last = self.good.get((uri, view or "system")) or {"svg": None, "views": [], "view": view or "system",
                                                              "system": "", "note": "", "layout": "", "elements": []}
            return {**last, "problems": problems[:MAX_PROBLEMS], "more": max(0, len(problems) - MAX_PROBLEMS)}
        views = self.pictures.views(workspace, system.id)
        chosen = view if view in views else views[0]
        try:
            picture = self.pictures.draw(workspace, chosen, system.id)
        except ArchError as exc:
            last = self.good.get((uri, chosen), {"svg": None, "elements": [], "note": "", "layout": ""})
            return {**last, "views": views, "view": chosen, "system": system.id,
                    "problems": [Problem(f"{chosen}: {exc}").to_dict()], "more": 0}
        answer = {"svg": picture.svg, "views": views, "view": chosen, "system": system.id, "note": picture.note,
                  "layout": picture.layout, "elements": self._places(analysis, picture.svg),
                  "problems": [], "more": 0}
        self.good[(uri, chosen)] = answer
        return answer

    def _places(self, analysis: Analysis, svg: str) -> list[dict[str, Any]]:
        """Where each element the drawing shows is defined, for a click to go there: a list of
        `{id, uri, range}` (a list: an id is no name a JSON reader may have to turn into a field)."""
        places: dict[str, dict[str, Any]] = {}
        for match in DRAWN_IDS.finditer(svg):
            qid = match.group(1) or match.group(2)
            element = analysis.elements.get(qid)
            if element is None or qid in places or not hasattr(element, "qid"):
                continue
            span = element.span
            places[qid] = {"id": qid, "uri": uri_of(Path(span.file).resolve()),
                           "range": _unstructured(self.server.range(span, analysis))}
        return list(places.values())


def _system_of(workspace, path: Path):
    """The system a document defines (its first), else the workspace's only system."""
    here = path.resolve()
    own = [s for s in workspace.systems if Path(s.file).resolve() == here]
    if own:
        return own[0]
    return workspace.systems[0] if len(workspace.systems) == 1 else None


def _unstructured(value) -> dict[str, Any]:
    start, end = value.start, value.end
    return {"start": {"line": start.line, "character": start.character},
            "end": {"line": end.line, "character": end.character}}
