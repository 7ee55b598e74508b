"""archdsl: architecture as code for the stateless-versus-stateful decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["__version__", "check", "draw", "format_source", "load", "loads"]

if TYPE_CHECKING:
    from .model import Workspace


def load(path, *, strict: bool = True) -> Workspace:
    """Load a spec file or folder (every `*.arch` below it) into a workspace with its graph.

    With `strict` (the default) a spec with error-level problems raises `SpecError`
    carrying the findings; otherwise they are on `workspace.findings`.
    """
    from pathlib import Path

    from .errors import SpecError
    from .parsing.loader import Loader, discover

    root, entries = discover(Path(path))
    if not entries and not Path(path).exists():
        from .errors import ConfigError

        raise ConfigError(f"{path}: no such file or folder")
    workspace = Loader(root).load(entries)
    if strict and workspace.errors:
        raise SpecError(workspace.errors)
    return workspace


def loads(text: str, *, filename: str = "<string>.arch", strict: bool = True) -> Workspace:
    """Load a spec from text; its imports are resolved from the working folder."""
    from pathlib import Path

    from .errors import SpecError
    from .parsing.loader import Loader

    entry = Path(filename)
    workspace = Loader(Path("."), texts={entry.resolve(): text}).load([entry])
    if strict and workspace.errors:
        raise SpecError(workspace.errors)
    return workspace


def check(workspace, settings=None):
    """Every finding of a loaded workspace (structure and rules), sorted, `allow`s applied."""
    from .checker import check_workspace

    return check_workspace(workspace, settings)[0]


def draw(workspace, view: str = "system", fmt: str = "svg", *, system: str | None = None) -> bytes:
    """One view of a system as svg, png, dot, mmd, d2 or json bytes.

    (Not called `render`: that name is the `archdsl.render` package, and importing it would
    replace a function of the same name.)
    """
    from .render import render as render_view
    from .render.views import pick_system

    return render_view(workspace, pick_system(workspace, system), view, fmt)


def format_source(text: str) -> str:
    """`.arch` text in the canonical layout, every comment kept."""
    from .fmt import format_source as fmt

    return fmt(text)
