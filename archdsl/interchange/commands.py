"""`archdsl import` and `archdsl export`: read, convert, write whole (never a half-written file)."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..fsutil import atomic_write_text


def run_import(fmt: str, source: Path, output: Path) -> str:
    """Write the spec of `source` (a model in `fmt`) to `output`; the summary to print."""
    if output.exists() and output.resolve() == source.resolve():
        raise ConfigError(f"{output}: the spec would overwrite the model it is read from")
    from .calm.reading import import_calm

    imported = import_calm(source)
    atomic_write_text(output, imported.text)
    return (f"Wrote {output}: {imported.components} components, {imported.relations} relations; "
            f"{imported.states} states and {imported.targets} system targets to fill in "
            f"(the TODO comments). Next: archdsl check {output}")


def run_export(fmt: str, spec: Path, output: Path) -> str:
    """Write the workspace at `spec` as a model in `fmt` to `output`; the summary to print."""
    from ..workspaces import load
    from .calm.writing import export_calm

    workspace = load(spec)  # a spec with errors raises SpecError: nothing is written
    text = export_calm(workspace)
    atomic_write_text(output, text)
    components = sum(len(s.components) for s in workspace.systems)
    relations = sum(len(s.relations) for s in workspace.systems)
    return f"Wrote {output}: {len(workspace.systems)} systems, {components} components, {relations} relations (CALM 1.0)."
