"""archdsl: architecture as code for the stateless-versus-stateful decision."""

from __future__ import annotations

from .version import __version__

# `typing.TYPE_CHECKING` without importing typing (10 ms of every `archdsl --version`): type
# checkers read this name as theirs
TYPE_CHECKING = False

__all__ = ["__version__", "check", "draw", "format_source", "load", "loads"]

if TYPE_CHECKING:
    from .model import Workspace


def load(path, *, strict: bool = True) -> Workspace:
    """Load a spec file or folder (every `*.arch` below it) into a workspace with its graph.

    With `strict` (the default) a spec with error-level problems raises `SpecError`
    carrying the findings; otherwise they are on `workspace.findings`.
    """
    from .workspaces import load as load_path

    return load_path(path, strict=strict)


def loads(text: str, *, filename: str = "<string>.arch", strict: bool = True) -> Workspace:
    """Load a spec from text; its imports are resolved from the working folder."""
    from .workspaces import loads as load_text

    return load_text(text, filename=filename, strict=strict)


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
