"""Going from a name to what it names and back: definition (element ids, `system.id`, `import`
paths), find references and rename (every file of the spec root, by the resolver's own walk
over the places a spec names an element), and the outline of a file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ArchError
from ..parsing.references import references
from .documents import path_of, uri_of
from .text import is_id

if TYPE_CHECKING:
    from ..diagnostics import Span
    from .analyses import Analysis
    from .server import ArchServer

_IMPORT = re.compile(r'\s*import\s+"([^"]+)"')
_SYMBOLS = ("actor", "layer", "component", "decision", "migration", "view")


def definition(arch: ArchServer, analysis: Analysis, uri: str, lines: list[str], line: int, column: int):
    """Where the name at a place is declared; the file an `import` on that line names."""
    types = arch.types
    text = lines[line] if line < len(lines) else ""
    imported = _IMPORT.match(text)
    if imported:
        target = (path_of(uri).parent / imported.group(1)).resolve()
        start = types.Position(line=0, character=0)
        return types.Location(uri=uri_of(target), range=types.Range(start=start, end=start))
    relation = _relation_of_step(analysis, path_of(uri), text, line, column)
    if relation is not None:  # from a flow's `step a -> b` to the relation it follows
        return types.Location(uri=uri_of(Path(relation.span.file).resolve()), range=arch.range(relation.span, analysis))
    element = analysis.element_at(path_of(uri), text, column)
    if element is None:
        return None
    return types.Location(uri=uri_of(Path(element.span.file).resolve()), range=arch.range(element.span, analysis))


def _relation_of_step(analysis: Analysis, path: Path, text: str, line: int, column: int):
    """The relation a step follows, when the place is on that step's `step` or `->`."""
    keyword, arrow = text.find("step"), text.find("->")
    if not (0 <= keyword <= column < keyword + 4 or 0 <= arrow <= column < arrow + 2):
        return None
    here = path.resolve()
    for system in analysis.workspace.systems:
        for flow in system.flows:
            for step in flow.steps:
                if step.span.line == line + 1 and Path(step.span.file).resolve() == here:
                    return next((r for r in system.relations
                                 if (r.source, r.target) == (step.source, step.target)), None)
    return None


def named(analysis: Analysis, path: Path, lines: list[str], line: int, column: int) -> list[Span]:
    """The span of every place that names the element at a place, its definition first, across
    every file of the spec root."""
    element = analysis.element_at(path, lines[line] if line < len(lines) else "", column)
    if element is None or not hasattr(element, "qid") or "id" not in element.spans:
        return []
    found = [element.spans["id"]]
    for system in analysis.workspace.systems:
        found += [ref.span for ref in references(system)
                  if ref.what != "layer" and system.qualify(ref.text) == element.qid]
    return found


def rename(arch: ArchServer, analysis: Analysis, uri: str, lines: list[str], line: int, column: int,
           new_name: str):
    """Each place that names the element, renamed (`system.` prefixes kept), in every file."""
    types = arch.types
    if not is_id(new_name):
        raise ArchError(f"'{new_name}' is not an id: letters, digits, '_' and '-', starting with a letter")
    changes: dict[str, list] = {}
    for span in named(analysis, path_of(uri), lines, line, column):
        target = arch.range(span, analysis)
        written = analysis.lines(span.file)[span.line - 1]
        text = written[span.column - 1:span.end_column - 1] if span.line == span.end_line else ""
        if "." in text:  # only the last part of `system.id` changes
            target.start = arch.position(written, span.line - 1, span.column - 1 + text.rindex(".") + 1)
        changes.setdefault(uri_of(Path(span.file).resolve()), []).append(
            types.TextEdit(range=target, new_text=new_name))
    return types.WorkspaceEdit(changes=changes) if changes else None


def outline(arch: ArchServer, analysis: Analysis, path: Path) -> list:
    """The document symbols of a file: its systems, each with its actors, layers, components,
    decisions, migrations and views. Made once an analysis."""
    here = path.resolve()
    if here not in analysis.outlines:
        analysis.outlines[here] = [_system_symbol(arch, analysis, system) for system in analysis.workspace.systems
                                   if Path(system.file).resolve() == here]
    return analysis.outlines[here]


def _system_symbol(arch: ArchServer, analysis: Analysis, system):
    types = arch.types
    kinds = {"actor": types.SymbolKind.Interface, "layer": types.SymbolKind.Namespace,
             "component": types.SymbolKind.Class, "decision": types.SymbolKind.Event,
             "migration": types.SymbolKind.Event, "view": types.SymbolKind.Object}
    children = []
    for word in _SYMBOLS:
        for item in getattr(system, f"{word}s"):
            where = arch.range(item.span, analysis)
            children.append(types.DocumentSymbol(name=item.id, detail=f"{word}: {item.label}", kind=kinds[word],
                                                 range=where, selection_range=where))
    where = arch.range(system.span, analysis)
    return types.DocumentSymbol(name=system.id, detail=system.label, kind=types.SymbolKind.Module,
                                range=where, selection_range=where, children=children)
