"""One load and check of a spec root as `check` does it, and the checks the editor's edits
start: one at a time, beside the server's loop, so hover and completion answer while one runs.

Changes that arrive together (a paste, a burst an editor sends) are checked once; there is no
wait for a pause in typing, and edits made during a check are checked as soon as it ends.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..checker import check_workspace
from ..config import Settings, load_settings
from ..memory import COLLECTOR
from ..parsing.loader import discover
from ..workspaces import load_open
from .documents import lines_of, lone
from .text import name_at

if TYPE_CHECKING:
    from ..diagnostics import Finding
    from ..model import Workspace

SETTLE_SECONDS = 0.01
# The cyclic garbage collector runs once the editor has been quiet this long, never in the middle
# of typing: a collection walks every model the server keeps (0.2 s at 1,000 components).
IDLE_COLLECT_SECONDS = 2.0


@dataclass
class Analysis:
    """One load and check of a spec root: the open documents' texts it read, its workspace,
    findings by real path, elements by qualified id (and systems by id)."""

    root: Path
    texts: dict[Path, str]
    workspace: Workspace
    findings: dict[Path, list[Finding]] = field(default_factory=dict)
    elements: dict[str, Any] = field(default_factory=dict)
    outlines: dict[Path, list] = field(default_factory=dict)  # a file's outline, made once
    _lines: dict[str, list[str]] = field(default_factory=dict)

    def lines(self, file: str) -> list[str]:
        """The lines of a file as this analysis read it (where its spans point)."""
        if file not in self._lines:
            self._lines[file] = lines_of(self.workspace.sources.get(file, ""))
        return self._lines[file]

    def element_at(self, path: Path, line: str, column: int) -> Any:
        """The element the name at `column` of a line of `path` names: as written (a qualified id
        or a system's id), else in the system `path` declares."""
        found = name_at(line, column)
        if found is None:
            return None
        name = found[0]
        if name in self.elements:
            return self.elements[name]
        here = path.resolve()
        for system in self.workspace.systems:
            if Path(system.file).resolve() == here and f"{system.id}.{name}" in self.elements:
                return self.elements[f"{system.id}.{name}"]
        return None

    def read(self, texts: dict[Path, str]) -> bool:
        """Whether this analysis read the open documents of its root as they are in `texts`."""
        return self.texts == _of(self.root, texts)


def _of(root: Path, texts: dict[Path, str]) -> dict[Path, str]:
    """The open documents inside a spec root (the document itself, for a lone one)."""
    return {path: text for path, text in texts.items() if path.is_relative_to(root)}


def analyse(root: Path, texts: dict[Path, str], parsed: dict[tuple[str, str], list],
            pieces: dict | None = None) -> Analysis:
    """Load and check a spec root as `check` would, with the open documents' `texts` in place of
    their files; `parsed` keeps each file's statements by text, so an edit reparses one file,
    and `pieces` the pieces of each file, so that it reparses only the pieces the edit changed."""
    if lone(root):  # on its own: only its text, no file beside it, no import followed
        entries = [root] if root in texts else []
    else:
        _, entries = discover(root)
        known = {e.resolve() for e in entries}
        entries += [p for p in texts if p.is_relative_to(root) and p not in known]
    workspace = load_open(root, sorted(entries), texts, parsed, pieces)
    current = set(workspace.sources.items())
    for key in [k for k in parsed if k not in current]:  # versions no file has any more
        del parsed[key]
    for file in [f for f in pieces or {} if f not in workspace.sources]:  # files gone
        del pieces[file]  # type: ignore[union-attr]
    settings = Settings() if lone(root) else load_settings(root)
    found, _ = check_workspace(workspace, settings)
    analysis = Analysis(root, _of(root, texts), workspace)
    for finding in found:
        analysis.findings.setdefault(Path(finding.span.file).resolve(), []).append(finding)
    for system in workspace.systems:
        analysis.elements[system.id] = system
        for element in system.elements():
            analysis.elements[element.qid] = element
    return analysis


Publish = Callable[[Analysis, dict[Path, str], str], None]


class Checks:
    """The last analysis of each spec root and the checks under way. `texts` reads the open
    documents (on the server's loop); `publish` sends an analysis' diagnostics, the edited
    document's first."""

    def __init__(self, texts: Callable[[], dict[Path, str]], publish: Publish) -> None:
        self.texts, self.publish = texts, publish
        self.last: dict[Path, Analysis] = {}
        self.pending: dict[Path, asyncio.Task] = {}  # spec root -> its checks, one after another
        self.dirty: set[Path] = set()  # roots edited since their last check began
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archdsl-check")
        self.lock = threading.Lock()  # one analysis at a time: they share `parsed`
        self.parsed: dict[Path, dict[tuple[str, str], list]] = {}  # root -> (file, text) -> statements
        self.pieces: dict[Path, dict] = {}  # root -> file -> the pieces of its last text
        self.idle: asyncio.TimerHandle | None = None  # the collection that waits for a quiet editor

    def run(self, root: Path, texts: dict[Path, str]) -> Analysis:
        """Analyse a root now, in the calling thread. The collector is off all along (`serve`),
        so no collection interrupts it."""
        with self.lock:
            analysis = analyse(root, texts, self.parsed.setdefault(root, {}), self.pieces.setdefault(root, {}))
            self.last[root] = analysis
            return analysis

    async def latest(self, root: Path) -> Analysis:
        """The root's last analysis, however old; a first one, beside the loop, if it has none."""
        if root in self.last:
            return self.last[root]
        return await self.current(root)

    async def current(self, root: Path) -> Analysis:
        """An analysis of the root's documents as they are now: the last one if it read them, else
        the check under way once it ends, else a new one, always beside the loop."""
        while True:
            texts = self.texts()
            last = self.last.get(root)
            if last is not None and last.read(texts):
                return last
            task = self.pending.get(root)
            if task is None:
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(self.executor, self.run, root, texts)
            await asyncio.wait({task})  # never cancelled with the request that waits for it

    def schedule(self, root: Path, uri: str) -> None:
        """Check a root and publish: at once, or when the check under way ends."""
        self.dirty.add(root)
        if root not in self.pending:
            self.pending[root] = asyncio.get_event_loop().create_task(self._refresh(root, uri))

    async def _refresh(self, root: Path, uri: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            await asyncio.sleep(SETTLE_SECONDS)
            while root in self.dirty:
                self.dirty.discard(root)
                texts = self.texts()
                analysis = await loop.run_in_executor(self.executor, self.run, root, texts)
                self.publish(analysis, texts, uri)
        finally:
            del self.pending[root]
            self._collect_when_idle()

    def _collect_when_idle(self) -> None:
        if self.idle is not None:
            self.idle.cancel()
        self.idle = asyncio.get_event_loop().call_later(IDLE_COLLECT_SECONDS, self._collect)

    def _collect(self) -> None:
        self.idle = None
        if self.pending:  # a check began meanwhile: its end waits again
            return
        COLLECTOR.collect()
