"""The drawings a preview shows: a view of a system as SVG, redrawn after every edit, quickly.

`archdsl render` draws a view as designed and falls back when Graphviz cannot (render's
`drawing`). A preview redraws the same view again and again while someone types, so it
remembers how each view was drawn last: a view that had to be drawn as bands (ranked, it was a
strip many screens wide), or whose ranked layout took longer than `BUDGET_SECONDS`, is drawn as
bands at once the next time, and the panel says why. The memory lasts while the view keeps
about its size; a view that shrank below `SHRUNK` of it is tried as designed again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from threading import Lock

from ..render import drawing
from ..render.views import pick_system, view_names
from ..wording import plural

BUDGET_SECONDS = 1.0  # a ranked layout slower than this is not redone on every save
SHRUNK = 0.8  # a view below this share of the elements it had when it was banded is ranked again
PACKED = "packed"


@dataclass(frozen=True)
class Picture:
    """A view drawn for a preview: the SVG, the views of its system, and what the reader should
    know about how it was drawn (`note`: empty when drawn as designed)."""

    system: str
    view: str
    svg: str
    views: list[str]
    layout: str
    note: str
    seconds: float


@dataclass(frozen=True)
class _Remembered:
    note: str  # why the view is drawn as bands
    nodes: int  # how many elements it had then


class Pictures:
    """Draws views for a preview and remembers which ones to draw as bands (see the module)."""

    def __init__(self, budget: float = BUDGET_SECONDS) -> None:
        self.budget = budget
        self.banded: dict[tuple[str, str], _Remembered] = {}
        self.lock = Lock()  # pages and the editor ask from several threads

    def views(self, workspace, system_id: str | None = None, defined_in: str | None = None) -> list[str]:
        """The views of the system a preview shows, the system view first."""
        return view_names(pick_system(workspace, system_id, defined_in))

    def draw(self, workspace, view: str, system_id: str | None = None, defined_in: str | None = None) -> Picture:
        """`view` of the system (`pick_system`'s choice) as SVG; `render.views.ViewError` for a view
        that does not exist, `render.engine.LayoutError` when no layout can draw it."""
        system = pick_system(workspace, system_id, defined_in)
        key = (system.id, view)
        with self.lock:
            remembered = self.banded.get(key)
        started = time.perf_counter()
        drawn = drawing(workspace, system, view, "svg", first=PACKED if remembered else None)
        seconds = time.perf_counter() - started
        note = self._note(key, drawn, seconds, remembered)
        if remembered is not None and drawn.nodes < remembered.nodes * SHRUNK:
            with self.lock:  # it shrank: the next save tries the designed layout again
                self.banded.pop(key, None)
        return Picture(system.id, view, drawn.data.decode("utf-8"), view_names(system), drawn.layout, note, seconds)

    def _note(self, key: tuple[str, str], drawn, seconds: float, remembered: _Remembered | None) -> str:
        """What the panel says about how the view was drawn, and what to remember for next time."""
        if remembered is not None:
            return remembered.note
        note = drawn.note
        if drawn.overview:
            note = (f"an overview, one box per layer: the system has more components than a view draws "
                    f"one by one; pick a layer's view to see its components ({plural(drawn.nodes, 'box', 'boxes')} here)")
        elif drawn.layout == PACKED:
            self._remember(key, drawn.note, drawn.nodes)
        elif drawn.layout != "sequence" and seconds > self.budget:
            self._remember(key, f"drawn as bands while you edit: its ranked layout took {seconds:.1f} s "
                                "(archdsl render draws it ranked)", drawn.nodes)
        return note

    def _remember(self, key: tuple[str, str], note: str, nodes: int) -> None:
        with self.lock:
            self.banded[key] = _Remembered(note, nodes)
