"""Changes the server offers: quick fixes for its diagnostics (take the "did you mean"
suggestion; silence a rule's finding with `allow CODE "reason"` in the element's block) and
formatting (`fmt`'s layout; a file that does not parse is refused, as `fmt` refuses it)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..fmt import format_source
from .documents import lines_of

if TYPE_CHECKING:
    from .server import ArchServer

_MEANT = re.compile(r"did you mean '([^']+)'\?")


def quick_fixes(arch: ArchServer, uri: str, source: str, diagnostics) -> list:
    """The quick fixes for the diagnostics the editor shows in a document."""
    lines = lines_of(source)
    out = []
    for d in diagnostics:
        if d.source != "archdsl":
            continue
        meant = _MEANT.search(d.message)
        if meant:
            out.append(_take_suggestion(arch, uri, lines, d, meant.group(1)))
        code = str(d.code or "")
        if code and not code.startswith("AD"):  # structure problems are fixed, never allowed
            allow = _allow(arch, uri, lines, d, code)
            if allow is not None:
                out.append(allow)
    return out


def _take_suggestion(arch: ArchServer, uri: str, lines: list[str], d, better: str):
    types = arch.types
    start, end = d.range.start, d.range.end
    written = ""
    if start.line == end.line and start.line < len(lines):
        line = lines[start.line]
        columns = arch.columns
        written = line[columns.from_editor(line, start.character):columns.from_editor(line, end.character)]
    if "." in written and "." not in better:  # `stores.dbb`: the name in that system
        better = f"{written.rsplit('.', 1)[0]}.{better}"
    edit = types.TextEdit(range=d.range, new_text=better)
    return types.CodeAction(title=f"Change to '{better}'", kind=types.CodeActionKind.QuickFix,
                            diagnostics=[d], is_preferred=True, edit=types.WorkspaceEdit(changes={uri: [edit]}))


def _allow(arch: ArchServer, uri: str, lines: list[str], d, code: str):
    """`allow CODE "…"` at the start of the block the diagnostic's first `{` opens."""
    types = arch.types
    for number in range(d.range.start.line, min(d.range.end.line + 1, len(lines))):
        line = lines[number]
        if "{" not in line:
            continue
        indent = len(line) - len(line.lstrip()) + 2
        at = arch.position(line, number, line.index("{") + 1)
        if line.rstrip().endswith("{"):
            at = arch.position(line, number, len(line.rstrip("\r")))
        text = f'\n{" " * indent}allow {code} "why this is acceptable here"'
        edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=text)
        return types.CodeAction(title=f"Allow {code} here (write why)", kind=types.CodeActionKind.QuickFix,
                                diagnostics=[d], edit=types.WorkspaceEdit(changes={uri: [edit]}))
    return None


def formatted(arch: ArchServer, path: str, source: str) -> list:
    """One edit that gives the document `fmt`'s layout, or none when it has it; ArchError when
    it does not parse."""
    types = arch.types
    text = format_source(source, path)
    if text == source:
        return []
    end = types.Position(line=len(lines_of(source)) + 1, character=0)
    return [types.TextEdit(range=types.Range(start=types.Position(line=0, character=0), end=end), new_text=text)]
