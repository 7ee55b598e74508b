"""Parsing a file again after an edit, piece by piece: what the language server does on every
keystroke. Lark has no incremental parse, so the text is cut where the grammar makes a cut
unambiguous and only the pieces that changed are parsed; the others keep their statements.

The cuts: between top-level statements, and inside a top-level block laid out as `fmt` lays it
out (its `{` last on the header's line, its `}` alone on the last line), between the statements
of its body: a new line outside any string, comment or inner block ends a statement there. A
piece is kept by its text and the line it starts on, so an edit that adds or removes lines
moves the pieces after it (their spans shifted, not parsed). The statements are the same as a
parse of the whole text; anything the cutting cannot vouch for (a brace it cannot match, a piece
that does not parse) is parsed whole, so a syntax error is reported exactly as `parse` reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..diagnostics import Span, span_of
from .parser import Stmt, Value, parse, value_of

# What the cutting must step over (strings, comments), and what it counts (braces, new lines).
TOKENS = re.compile(r'"""(?:\\.|[^\\])*?"""|"(?:\\.|[^"\\\n])*"|//[^\n]*|/\*(?:.|\n)*?\*/|[{}\n]|["/]')
OPEN_LINE = re.compile(r"\{[ \t]*(?://[^\n]*)?$")
CLOSE_LINE = re.compile(r"^[ \t]*\}[ \t]*$")

Kept = dict[tuple[str, str], tuple[int, list[Stmt]]]  # (file, text) -> (its first line, statements)


@dataclass(frozen=True)
class _Piece:
    line: int  # the first line of the piece (1-based)
    text: str


@dataclass(frozen=True)
class _Block:
    """A top-level statement with a block laid out one statement a line: its header's line (up
    to the `{`), the body's pieces, and where its `}` stands."""

    header: _Piece
    body: list[_Piece]
    close_line: int
    close_column: int


def parse_in_pieces(text: str, file: str, kept: Kept) -> list[Stmt]:
    """The statements of `text`, parsing only the pieces not in `kept` (which is updated to hold
    exactly the pieces of this text). Raises `ArchSyntaxError` as `parse` would."""
    top = _cut(text)
    if top is None:
        return parse(text, file)
    used: Kept = {}
    try:
        stmts = []
        for item in top:
            if isinstance(item, _Block):
                stmts.append(_block(item, file, kept, used))
            else:
                stmts += _piece(item, file, kept, used)
    except Exception:  # noqa: BLE001 - a piece the cutting misjudged: the whole text decides
        return parse(text, file)
    kept.clear()
    kept.update(used)
    return stmts


def _piece(piece: _Piece, file: str, kept: Kept, used: Kept) -> list[Stmt]:
    """A piece's statements: kept (shifted when the piece moved to another line), else parsed."""
    key = (file, piece.text)
    found = used.get(key) or kept.get(key)
    if found is not None:
        line, stmts = found
        stmts = _shift_all(stmts, piece.line - line)
    else:
        stmts = _shift_all(parse(piece.text, file), piece.line - 1) if piece.text.strip() else []
    used[key] = (piece.line, stmts)
    return stmts


def _block(block: _Block, file: str, kept: Kept, used: Kept) -> Stmt:
    """The top-level statement of a block cut into pieces, as a parse of it whole makes it."""
    header_text = block.header.text.rstrip() + "\n}"
    [head] = _piece(_Piece(block.header.line, header_text), file, kept, used)
    inner = [s for piece in block.body for s in _piece(piece, file, kept, used)]
    assert head.block == [] and head.block_span is not None
    close = Span(file, block.close_line, block.close_column, block.close_line, block.close_column + 1)
    block_span = Span(file, head.block_span.line, head.block_span.column, close.end_line, close.end_column)
    span = Span(file, head.span.line, head.span.column, close.end_line, close.end_column)
    return replace(head, block=inner, block_span=block_span, span=span)


# -- cutting


def _cut(text: str) -> list[_Piece | _Block] | None:
    """The top-level pieces and blocks of a text, or None when its braces do not balance."""
    lines = text.split("\n")
    ends = _statement_ends(text)  # line numbers (1-based) on which a statement ends at depth 0, 1
    if ends is None:
        return None
    top_ends, inner_ends = ends
    out: list[_Piece | _Block] = []
    start = 1
    for end in top_ends:
        out.append(_top(lines, start, end, inner_ends))
        start = end + 1
    if start <= len(lines) and "".join(lines[start - 1:]).strip():  # no new line after the last
        out.append(_top(lines, start, len(lines), inner_ends))
    return out


def _top(lines: list[str], start: int, end: int, inner_ends: list[int]) -> _Piece | _Block:
    """Lines start..end (one top-level statement, and what precedes it) as a piece, or as a block
    cut inside when it is laid out one statement a line."""
    whole = _Piece(start, "\n".join(lines[start - 1:end]))
    opening = next((n for n in range(start, end + 1) if OPEN_LINE.search(lines[n - 1])), None)
    if opening is None or opening == end or not CLOSE_LINE.match(lines[end - 1]):
        return whole
    body, first = [], opening + 1
    for inner_end in (n for n in inner_ends if opening < n < end):
        body.append(_Piece(first, "\n".join(lines[first - 1:inner_end])))
        first = inner_end + 1
    if first < end:
        body.append(_Piece(first, "\n".join(lines[first - 1:end - 1])))
    header = _Piece(start, "\n".join(lines[start - 1:opening]))
    return _Block(header, body, end, lines[end - 1].index("}") + 1)


def _statement_ends(text: str) -> tuple[list[int], list[int]] | None:
    """The lines on which a new line ends a statement at the top level, and one level inside."""
    depth, line = 0, 1
    top: list[int] = []
    inner: list[int] = []
    for match in TOKENS.finditer(text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return None
        elif token == "\n":
            if depth == 0:
                top.append(line)
            elif depth == 1:
                inner.append(line)
            line += 1
        elif token in ('"', "/"):
            continue  # an unterminated string, a lone slash: the parser decides
        else:
            line += token.count("\n")
    if depth != 0:
        return None
    return top, inner


# -- moving statements to other lines


def _shift_all(stmts: list[Stmt], by: int) -> list[Stmt]:
    return [_shift(s, by) for s in stmts] if by else stmts


def _span(span: Span, by: int) -> Span:
    return span_of(span.file, span.line + by, span.column, span.end_line + by, span.end_column)


def _value(value: Value, by: int) -> Value:
    inner = [_value(v, by) for v in value.value] if value.kind == "list" else value.value
    return value_of(value.kind, inner, value.text, _span(value.span, by))


def _shift(stmt: Stmt, by: int) -> Stmt:
    if not by:
        return stmt
    return Stmt(keyword=stmt.keyword, keyword_span=_span(stmt.keyword_span, by),
                values=[_value(v, by) for v in stmt.values], span=_span(stmt.span, by),
                block=None if stmt.block is None else [_shift(s, by) for s in stmt.block],
                block_span=None if stmt.block_span is None else _span(stmt.block_span, by),
                source=None if stmt.source is None else _value(stmt.source, by),
                target=None if stmt.target is None else _value(stmt.target, by))
