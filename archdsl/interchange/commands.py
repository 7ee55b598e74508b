"""`archdsl import` and `archdsl export`: read, convert, write whole (never a half-written file)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..errors import ConfigError
from ..fsutil import atomic_write_text, swap_folder
from ..wording import plural

ADRS_MARK = ".archdsl-adrs"  # in a decisions folder an export wrote (and may write again)


def run_import(fmt: str, source: Path, output: Path) -> str:
    """Write the spec of `source` (a model in `fmt`) to `output`; the summary to print."""
    if source.is_dir() and fmt != "likec4":
        raise ConfigError(f"{source}: a folder; a {fmt} model is one file (a LikeC4 project may be a folder)")
    if fmt == "structurizr":
        from .structurizr.reading import import_structurizr as read
    elif fmt == "likec4":
        from .likec4.reading import import_likec4 as read
    else:
        from .calm.reading import import_calm as read
    imported = read(source)
    if output.exists() and output.resolve() in {p.resolve() for p in [source, *imported.read]}:
        raise ConfigError(f"{output}: the spec would overwrite a file the model is read from")
    atomic_write_text(output, imported.text)
    skipped = f"; {imported.skipped} statements with no place, listed at its top" if imported.skipped else ""
    return (f"Wrote {output}: {imported.components} components, {imported.relations} relations; "
            f"{imported.states} states and {imported.targets} system targets to fill in "
            f"(the TODO comments){skipped}. Next: archdsl check {output}")


def run_export(fmt: str, spec: Path, output: Path) -> str:
    """Write the workspace at `spec` as a model in `fmt` to `output`; the summary to print."""
    from ..workspaces import load

    workspace = load(spec)  # a spec with errors raises SpecError: nothing is written
    components = sum(len(s.components) for s in workspace.systems)
    relations = sum(len(s.relations) for s in workspace.systems)
    counted = ", ".join([plural(len(workspace.systems), "system"), plural(components, "component"),
                         plural(relations, "relation")])
    if fmt == "structurizr":
        from .structurizr.writing import export_structurizr

        folder = output.with_name(f"{output.stem}-adrs")
        written = export_structurizr(workspace, folder.name)
        if written.records:
            _write_records(folder, written.records)
        atomic_write_text(output, written.text)
        decisions = sum(len(r) for r in written.records.values())
        also = f"; {plural(decisions, 'decision')} in {folder}" if decisions else ""
        return f"Wrote {output}: {counted} (Structurizr DSL){also}."
    if fmt == "likec4":
        from .likec4.writing import export_likec4

        atomic_write_text(output, export_likec4(workspace))
        return f"Wrote {output}: {counted} (LikeC4)."
    if fmt == "plantuml":
        from .plantuml import export_plantuml

        text = export_plantuml(workspace, spec.name)
        atomic_write_text(output, text)
        return f"Wrote {output}: {counted} in {plural(text.count('@startuml'), 'C4-PlantUML diagram')}."
    from .calm.writing import export_calm

    atomic_write_text(output, export_calm(workspace))
    return f"Wrote {output}: {counted} (CALM 1.0)."


def _write_records(folder: Path, records: dict[str, dict[str, str]]) -> None:
    """Each system's decisions as Markdown files in `folder`/SYSTEM/, put in place whole; a
    folder that an export did not write is never replaced."""
    if folder.exists() and not (folder / ADRS_MARK).is_file():
        raise ConfigError(f"{folder}: exists and was not written by archdsl export: move it, or export elsewhere")
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent))
    try:
        made = staging / folder.name
        made.mkdir()
        (made / ADRS_MARK).write_text("written by archdsl export structurizr\n", encoding="utf-8")
        for system, files in records.items():
            (made / system).mkdir()
            for name, text in files.items():
                (made / system / name).write_text(text, encoding="utf-8")
        swap_folder(made, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
