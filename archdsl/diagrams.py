"""The work behind `archdsl render` and `diff --svg`: load, pick the system and views, write files."""

from __future__ import annotations

from pathlib import Path

from .diff.picture import flag
from .errors import ConfigError
from .fsutil import atomic_write_bytes
from .model import Component
from .parsing.loader import display_path
from .render import SEQUENCE_FORMATS, drawing, render, render_many
from .render.engine import LayoutError
from .render.views import LANDSCAPE, pick_system, view_names
from .workspaces import load, load_many

EXTENSIONS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".mmd": "mmd", ".d2": "d2", ".json": "json"}


def format_for(output: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    found = EXTENSIONS.get(output.suffix.lower())
    if found is None:
        raise ConfigError(f"cannot tell the format of '{output}': give --format or an extension "
                          f"({', '.join(sorted(EXTENSIONS))})")
    return found


def render_one(spec: Path, output: Path, view: str, fmt: str | None, system_id: str | None,
               timeout: float, overview_threshold: int | None, legend: bool = True) -> str:
    """Draw one view into `output`; returns how a fallback layout drew it, or "" (as designed)."""
    fmt = format_for(output, fmt)
    workspace = load(spec)
    system = pick_system(workspace, system_id, display_path(spec) if spec.is_file() else None)
    drawn = drawing(workspace, system, view, fmt, timeout=timeout, overview_threshold=overview_threshold,
                    legend=legend)
    if output.is_dir():
        raise ConfigError(f"'{output}' is a folder: give a file name, or use --all")
    atomic_write_bytes(output, drawn.data)
    return drawn.note


def render_all(spec: Path, folder: Path, fmt: str, system_id: str | None, timeout: float,
               overview_threshold: int | None, progress=None, legend: bool = True) -> tuple[int, list[str]]:
    """Every view of every system (or of one) into `folder`: FOLDER/SYSTEM/VIEW.FORMAT.

    Returns how many were written and, one line each, the views no layout could draw: a view
    Graphviz fails on never stops the others."""
    workspace = load(spec)
    systems = [pick_system(workspace, system_id)] if system_id else workspace.systems
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"'{folder}' is not a folder")
    # a flow is a sequence diagram: drawn as svg, mmd or json, never by Graphviz
    jobs = [(system, name) for system in systems for name in view_names(system)
            if fmt in SEQUENCE_FORMATS or not name.startswith("flow:")]
    if len(workspace.systems) > 1 and not system_id:
        jobs.append((workspace.systems[0], LANDSCAPE))  # how the systems fit: FOLDER/landscape.FORMAT

    def target(system, name: str) -> Path:
        if name == LANDSCAPE:
            return folder / f"{LANDSCAPE}.{fmt}"
        return folder / system.id / f"{name.replace(':', '-')}.{fmt}"

    def told(done: int, total: int, system, name: str) -> None:
        if progress:
            progress(f"[{done}/{total}] {system.id} {name} -> {target(system, name)}")

    count, failed = 0, []
    for system, name, drawn in render_many(workspace, jobs, fmt, timeout=timeout, legend=legend,
                                           overview_threshold=overview_threshold, progress=told):
        if isinstance(drawn, LayoutError):
            failed.append(str(drawn))
            continue
        path = target(system, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, drawn.data, within=folder)  # never out of the folder through a link
        if drawn.note and progress:
            progress(f"  {system.id} {name}: {drawn.note}")
        count += 1
    return count, failed


def render_diff(head_paths, result, output: Path, system_id: str | None) -> None:
    """The head system drawn with what a diff added, changed and removed marked."""
    workspace = load_many(head_paths)
    system = pick_system(workspace, system_id)
    picture = result.picture  # the same marks as the picture in the Markdown
    marks = {qid: mark for qid, mark in picture.marks.items() if mark != "removed"}
    flags = {qid: flag(codes) for qid, codes in picture.findings.items()}
    faded = set(workspace.graph.nodes) - picture.focus  # what the change did not touch
    ghosts = [Component(id=c.id.split(".", 1)[1], qid=c.id, system=system.id, title=c.title or "",
                        effective_state=c.state, span=system.span)
              for c in result.removed if c.id.startswith(system.id + ".")]
    atomic_write_bytes(output, render(workspace, system, "system", "svg", highlight=marks, ghosts=ghosts,
                                      flags=flags, faded=faded))
