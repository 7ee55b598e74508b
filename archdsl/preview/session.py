"""One spec being previewed: its last good load, the drawings of the views pages look at, the
problem of the last save, and a count of redraws that pages wait on.

A save that does not load (a syntax error, an unknown reference: what `render` refuses) keeps
the last good workspace and its drawings; the problem is shown over them until a save loads.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..checker import check_workspace
from ..config import find_pyproject, load_settings
from ..errors import ArchError
from ..parsing.loader import discover, display_path
from ..workspaces import load
from .facts import element_facts
from .pictures import Picture, Pictures

RECENT_SECONDS = 600.0  # a view a page asked for this recently is redrawn after each save
MAX_PROBLEMS = 5  # shown over the drawing; the rest are counted


@dataclass(frozen=True)
class Problem:
    """Why a save is not drawn: where (file, line, column; 0 when not in a file) and what."""

    message: str
    file: str = ""
    line: int = 0
    column: int = 0
    hint: str = ""  # how to fix it ("did you mean …")

    @classmethod
    def of(cls, finding) -> Problem:
        """A load's error-level finding as a problem of the save."""
        span = finding.span
        return cls(finding.message, span.file, span.line, span.column, finding.hint)

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line, self.column) if part)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        """As a page or an editor's panel is told it (`text`: file:line:col: message)."""
        return {"text": str(self), "message": self.message, "file": self.file, "line": self.line,
                "column": self.column, "hint": self.hint}


@dataclass
class Status:
    """What a page is told after each save: the redraw's number, the views, the problems."""

    generation: int = 0
    views: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    more: int = 0  # problems beyond those listed
    findings: int = 0  # the check's findings of the last good load
    seconds: float = 0.0  # from the save seen to the drawings made
    drawn: list[str] = field(default_factory=list)  # the views drawn again

    def to_dict(self) -> dict[str, Any]:
        return {"generation": self.generation, "views": self.views, "findings": self.findings,
                "problems": [p.to_dict() for p in self.problems],
                "more": self.more, "seconds": round(self.seconds, 3), "drawn": self.drawn}


class Session:
    """A spec file or folder previewed: `reload` after a save, `picture` for a page."""

    def __init__(self, path: Path, system_id: str | None = None) -> None:
        self.path = path
        self.root, _ = discover(path)
        self.system_id = system_id
        self.defined_in = display_path(path) if path.is_file() else None
        self.pictures = Pictures()
        self.workspace: Any = None  # the last load with no error
        self.findings: list = []
        self.files: set[Path] = set()  # every file the last load read, resolved
        self.status = Status()
        self.drawn: dict[str, Picture] = {}  # view -> its drawing from the last good load
        self.asked: dict[str, float] = {}  # view -> when a page last asked for it
        self.changed = threading.Condition()
        self.lock = threading.Lock()  # one reload at a time

    # -- after a save

    def reload(self, since: float | None = None) -> Status:
        """Load and check the spec again; redraw the views pages look at; wake the pages."""
        started = since if since is not None else time.monotonic()
        with self.lock:
            problems, drawn = self._load(), list[str]()
            if not problems:
                drawn, problems = self._redraw()
            with self.changed:
                self.status = Status(self.status.generation + 1, self._views(), problems[:MAX_PROBLEMS],
                                     max(0, len(problems) - MAX_PROBLEMS), len(self.findings),
                                     time.monotonic() - started, drawn)
                self.changed.notify_all()
            return self.status

    def _load(self) -> list[Problem]:
        try:
            workspace = load(self.path, strict=False)
        except ArchError as exc:  # the file went away, or cannot be read
            return [Problem(str(exc))]
        self.files = {Path(f).resolve() for f in workspace.sources}  # as findings show them: from here
        self.files |= {p.resolve() for p in [self.path] if p.is_file()}
        if workspace.errors:
            return [Problem.of(f) for f in workspace.errors]
        try:
            settings = load_settings(self.root)
            self.findings, _ = check_workspace(workspace, settings)
        except ArchError as exc:  # settings that do not read: the drawing does not need them
            self.findings = list(workspace.findings)
            self.workspace, self.drawn = workspace, {}
            return [Problem(str(exc))]
        self.workspace, self.drawn = workspace, {}
        return []

    def _redraw(self) -> tuple[list[str], list[Problem]]:
        """Draw again the views asked for lately, the latest first: those drawn, and the problems."""
        now = time.monotonic()
        views = self._views()
        recent = sorted((v for v, when in self.asked.items() if now - when < RECENT_SECONDS and v in views),
                        key=lambda v: -self.asked[v])
        drawn, problems = [], []
        for view in recent:
            try:
                self.drawn[view] = self.pictures.draw(self.workspace, view, self.system_id, self.defined_in)
                drawn.append(view)
            except ArchError as exc:
                problems.append(Problem(f"{view}: {exc}"))
        return drawn, problems

    def _views(self) -> list[str]:
        if self.workspace is None:
            return []
        try:
            return self.pictures.views(self.workspace, self.system_id, self.defined_in)
        except ArchError:
            return []

    # -- what pages ask

    def picture(self, view: str) -> Picture:
        """The drawing of `view` from the last good load (drawn now if no page asked before).
        `render.views.ViewError` when there is no such view, or no good load yet."""
        from ..render.views import ViewError

        self.asked[view] = time.monotonic()
        if view in self.drawn:
            return self.drawn[view]
        workspace = self.workspace
        if workspace is None:
            raise ViewError("nothing to draw yet: " + "; ".join(str(p) for p in self.status.problems))
        picture = self.pictures.draw(workspace, view, self.system_id, self.defined_in)
        if workspace is self.workspace:  # not replaced by a save meanwhile
            self.drawn[view] = picture
        return picture

    def facts(self, qid: str) -> dict[str, Any] | None:
        """What a page shows about the element `qid` of the last good load."""
        workspace = self.workspace
        return element_facts(workspace, self.findings, qid) if workspace is not None else None

    def wait(self, seen: int, timeout: float) -> Status | None:
        """The status once a redraw after number `seen` happened, or None after `timeout` s."""
        with self.changed:
            if self.changed.wait_for(lambda: self.status.generation > seen, timeout):
                return self.status
        return None

    # -- what to watch

    def watched(self) -> tuple[list[Path], bool]:
        """What to watch for changes that concern the spec, and whether below those folders too:
        a folder spec's root and all below it (a new file counts); a file spec's folder and the
        folder of each file it imports (no more: its folder may be a home folder); and the
        settings file (itself: its folder may hold a whole repository)."""
        settings = find_pyproject(self.root)
        extra = [settings.resolve()] if settings is not None else []
        if self.path.is_dir():
            return [self.root.resolve(), *extra], True
        folders = sorted({file.parent for file in self.files} | {self.path.resolve().parent})
        return [*folders, *extra], False

    def concerns(self, path: Path) -> bool:
        """Whether a change of `path` may change the preview."""
        if path.name == "pyproject.toml":
            return True
        if path.suffix != ".arch":
            return False
        real = path.resolve()
        return real in self.files or (self.path.is_dir() and real.is_relative_to(self.root.resolve()))
