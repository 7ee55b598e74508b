"""The Lark parser: .arch text in, a list of generic statements out.

Lark is imported lazily and its exceptions never leave this module: a syntax
error becomes an `ArchSyntaxError` carrying one AD100 finding.
"""

from __future__ import annotations

import functools
import os
import tempfile
import textwrap
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Finding, Span, span_of, structure_finding
from ..environment import cache_home
from ..errors import ArchError, ExitCode
from ..vocabulary import duration_ms

GRAMMAR_NAME = "arch.lark"


class ArchSyntaxError(ArchError):
    """The text is not valid .arch; `finding` says where and why."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, finding: Finding):
        self.finding = finding
        super().__init__(f"{finding.span}: {finding.message}")


@dataclass(frozen=True, slots=True)
class Value:
    """One value of a statement: its kind (token type), converted value and place."""

    kind: str  # string mlstring name scoped number range duration percent growth date op list
    value: Any
    text: str
    span: Span


_SET_KIND, _SET_VALUE, _SET_TEXT, _SET_SPAN = (
    Value.__dict__[name].__set__ for name in ("kind", "value", "text", "span"))


def value_of(kind: str, value: Any, text: str, span: Span) -> Value:
    """`Value(kind, value, text, span)` with its slots set directly, as `diagnostics.span_of`
    makes a span: one is made for every token."""
    made = object.__new__(Value)
    _SET_KIND(made, kind)
    _SET_VALUE(made, value)
    _SET_TEXT(made, text)
    _SET_SPAN(made, span)
    return made


@dataclass(slots=True)
class Stmt:
    """A generic statement: `keyword values… { block }`, or a relation."""

    keyword: str
    keyword_span: Span
    values: list[Value]
    span: Span
    block: list[Stmt] | None = None
    block_span: Span | None = None
    # relations: `source -> target`; keyword is "->", or the word before them (`step a -> b`)
    source: Value | None = None
    target: Value | None = None


def grammar_path() -> Path:
    """The grammar file: inside the installed package, else the source tree's `grammar/`."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "grammar" / GRAMMAR_NAME, here.parent / "grammar" / GRAMMAR_NAME):
        if candidate.is_file():
            return candidate
    raise ArchError(f"archdsl is installed without its grammar ({GRAMMAR_NAME})")


@functools.lru_cache(maxsize=1)
def _parser():
    # The transformer runs inside the LALR parser, so no parse tree is built: statements
    # come straight out of the parse, and positions come from their first and last tokens.
    # lazy: lark loads with the first parse, not with every command
    from lark import Lark

    return Lark.open(
        str(grammar_path()), parser="lalr", lexer="basic", transformer=_builder(),
        maybe_placeholders=False, cache=_cache_file(),
        lexer_callbacks={"LINE_COMMENT": _keep_comment, "BLOCK_COMMENT": _keep_comment},
    )


def terminal_patterns() -> dict[str, str]:
    """The regular expression of each terminal of the grammar (NAME, DURATION, STRING…), as the
    parser's lexer matches it."""
    return {terminal.name: terminal.pattern.to_regexp() for terminal in _parser().terminals}


@functools.cache
def literals() -> dict[str, str]:
    """The terminals' patterns (NAME, STRING, DURATION…) and IDENT, a part of a NAME: what the
    highlighters and the language server read the language by."""
    terminals = terminal_patterns()
    name = terminals["NAME"]
    ident = name[: name.index("(?:\\.")]
    if name != f"{ident}(?:\\.{ident})*":  # NAME is IDENT ("." IDENT)*, as the highlighters split it
        raise ValueError(f"unexpected NAME terminal: {name}")
    return {"IDENT": ident, **terminals}


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment as written, with its place: the formatter puts every one back."""

    text: str
    line: int
    column: int
    end_line: int
    end_column: int


def _keep_comment(tok):
    _CURRENT.get().comments.append(Comment(str(tok), tok.line, tok.column, tok.end_line, tok.end_column))
    return tok


def _cache_file() -> str | bool:
    """Where lark keeps the grammar's parse tables between runs (per user and lark version);
    False, and no cache, when there is no writable place for it."""
    # lazy: lark loads with the first parse, not with every command
    import lark


    folder = cache_home()
    try:
        os.makedirs(os.path.join(folder, "archdsl"), exist_ok=True)
    except OSError:
        folder = tempfile.gettempdir()
        if not os.access(folder, os.W_OK):
            return False
    else:
        folder = os.path.join(folder, "archdsl")
    return os.path.join(folder, f"arch-grammar-lark-{lark.__version__}.cache")


def parse(text: str, file: str) -> list[Stmt]:
    """Parse one file's text into statements, or raise `ArchSyntaxError`."""
    return parse_with_comments(text, file)[0]


def parse_with_comments(text: str, file: str) -> tuple[list[Stmt], list[Comment]]:
    """Statements and every comment of one file's text, or raise `ArchSyntaxError`."""
    # lazy: lark loads with the first parse, not with every command
    from lark.exceptions import UnexpectedInput, VisitError

    state = _ParseState(file)
    token = _CURRENT.set(state)  # this parse's own state: parses in threads or nested stay apart
    try:
        stmts = _parser().parse(text)
        return stmts, state.comments
    except UnexpectedInput as exc:
        raise ArchSyntaxError(_syntax_finding(exc, text, file)) from None
    except VisitError as exc:  # a bug in a callback below, surfaced as itself
        raise exc.orig_exc from None
    finally:
        _CURRENT.reset(token)


# ---------------------------------------------------------------- parse → statements


@dataclass
class _ParseState:
    """What the callbacks of one parse need and collect: the file's name, its comments."""

    name: str
    comments: list[Comment] = field(default_factory=list)


# The state of the parse running in this thread (the parser and its callbacks are built once
# and shared, so they find the parse they serve here).
_CURRENT: ContextVar[_ParseState] = ContextVar("archdsl_parse")


def _tok_span(tok) -> Span:
    return span_of(_CURRENT.get().name, tok.line, tok.column, tok.end_line, tok.end_column)


def _join(first: Span, last: Span) -> Span:
    return span_of(first.file, first.line, first.column, last.end_line, last.end_column)


@dataclass(slots=True)
class _Block:
    stmts: list
    span: Span


def _builder():
    # lazy: lark loads with the first parse, not with every command
    from lark import Transformer

    class Build(Transformer):
        def start(self, children):
            return children[0]

        def body(self, children):
            return children

        def block(self, children):
            lbrace, stmts, rbrace = children
            return _Block(stmts, _join(_tok_span(lbrace), _tok_span(rbrace)))

        def statement(self, children):
            keyword, *rest = children
            block = rest.pop() if rest and isinstance(rest[-1], _Block) else None
            first = _tok_span(keyword)
            last = block.span if block else (rest[-1].span if rest else first)
            return Stmt(
                keyword=str(keyword), keyword_span=first, values=rest, span=_join(first, last),
                block=block.stmts if block else None, block_span=block.span if block else None,
            )

        def relation(self, children):
            src, arrow, dst, *rest = children
            dst_span = _tok_span(dst)
            return self._relation(src, arrow, value_of("name", str(dst), str(dst), dst_span), rest)

        def _relation(self, src, arrow, target: Value, rest: list) -> Stmt:
            block = rest.pop() if rest and isinstance(rest[-1], _Block) else None
            first = _tok_span(src)
            last = block.span if block else (rest[-1].span if rest else target.span)
            return Stmt(
                keyword="->", keyword_span=_tok_span(arrow), values=rest, span=_join(first, last),
                block=block.stmts if block else None, block_span=block.span if block else None,
                source=value_of("name", str(src), str(src), first), target=target,
            )

        def keyed_relation(self, children):
            keyword, src, arrow, target, *rest = children
            if not isinstance(target, Value) or target.kind != "name":  # `forbid web -> kind:cdn`
                return self.split([keyword, value_of("name", str(src), str(src), _tok_span(src)), arrow, target,
                                   *rest])
            stmt = self._relation(src, arrow, target, rest)
            stmt.keyword, stmt.keyword_span = str(keyword), _tok_span(keyword)
            stmt.span = _join(stmt.keyword_span, stmt.span)
            return stmt

        def split(self, children):
            # `forbid layer:edge -> layer:data`: the arrow stays among the values, as an `op`
            # value, so that a statement keeps one shape (and the parse cache one format)
            keyword, *rest = children
            block = rest.pop() if rest and isinstance(rest[-1], _Block) else None
            values = [value_of("op", "->", "->", _tok_span(v)) if getattr(v, "type", "") == "ARROW" else v
                      for v in rest]
            first = _tok_span(keyword)
            last = block.span if block else values[-1].span
            return Stmt(
                keyword=str(keyword), keyword_span=first, values=values, span=_join(first, last),
                block=block.stmts if block else None, block_span=block.span if block else None,
            )

        def list(self, items):
            return value_of("list", items, ", ".join(i.text for i in items), _join(items[0].span, items[-1].span))

        def scoped(self, children):
            scope, name = children
            return value_of("scoped", (str(scope), str(name)), f"{scope}:{name}", _join(_tok_span(scope), _tok_span(name)))

    def atom(kind):
        def make(self, children):
            tok = children[0]
            text = str(tok)
            return value_of(kind, _convert(kind, text), text, _tok_span(tok))

        return make

    for kind in ("string", "mlstring", "date", "range", "duration", "percent", "growth", "number", "name", "op"):
        setattr(Build, kind, atom(kind))
    return Build()




def _convert(kind: str, text: str) -> Any:
    if kind == "string":
        return unescape(text[1:-1])
    if kind == "mlstring":
        return dedent_block(text[3:-3])
    if kind == "number":  # past 15 digits a number is only a size, and int() refuses 4,300 digits
        return float(text) if "." in text or len(text) > 15 else int(text)
    if kind == "percent":
        return float(text[:-1])
    if kind == "growth":
        return float(text[:-1])
    if kind == "duration":
        ms = duration_ms(text)
        if ms is not None:
            return ms
    if kind == "range":
        low, high = text.split("..")
        return (_whole(low), _whole(high))
    return text  # name, date: the builder validates


def _whole(text: str) -> int | float:
    return int(text) if len(text.lstrip("-")) <= 15 else float(text)


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def unescape(body: str) -> str:
    """Resolve `\\"`, `\\\\`, `\\n` and `\\t`; any other backslash stays as written."""
    if "\\" not in body:
        return body
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in _ESCAPES:
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def dedent_block(body: str) -> str:
    """The text of a `\"\"\"…\"\"\"` string: `\\"` unescaped, common indentation removed.

    Other backslashes are kept, since the text is Markdown and Markdown has escapes of its own.
    """
    body = body.replace('\\"', '"').replace("\r\n", "\n")
    first, _, rest = body.partition("\n")
    rest = textwrap.dedent(rest)
    text = first.strip() + ("\n" + rest if rest else "") if first.strip() else rest
    return text.strip("\n").rstrip()


# ---------------------------------------------------------------- syntax errors

_TOKEN_WORDS = {
    "NAME": "a name",
    "STRING": "a string",
    "MLSTRING": "a string",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "ARROW": "'->'",
    "OP": "an operator",
    "_NL": "a new line",
    "SEMICOLON": "';'",
    "COMMA": "','",
    "COLON": "':'",
    "$END": "the end of the file",
}


def _describe_token(token) -> str:
    kind = getattr(token, "type", "$END")
    if kind == "$END":
        return "the end of the file"
    if kind == "_NL":
        return "a line break"
    return f"'{token}'"


def _syntax_finding(exc, text: str, file: str) -> Finding:
    # lazy: lark loads with the first parse, not with every command
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF

    line = getattr(exc, "line", None) or 1
    column = getattr(exc, "column", None) or 1
    if line < 1:  # lark reports -1 for an unexpected end of input
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    if isinstance(exc, UnexpectedCharacters):
        message, hint = _bad_character(text, exc.pos_in_stream or 0)
        return structure_finding("AD100", message, Span.point(file, line, column), hint)
    token = getattr(exc, "token", None)
    expected = set(getattr(exc, "expected", set()) or set())
    message, hint = _bad_token(token, expected, at_end=isinstance(exc, UnexpectedEOF))
    span = Span(file, line, column, getattr(token, "end_line", line) or line,
                getattr(token, "end_column", column + 1) or column + 1)
    return structure_finding("AD100", message, span, hint)


def _bad_character(text: str, pos: int) -> tuple[str, str]:
    """What is wrong where no token of the language starts, and how to write it instead."""
    char = text[pos] if pos < len(text) else ""
    if text.startswith("/*", pos):
        return "unterminated block comment", "close the comment with */"
    if char == '"':
        return "unterminated string", 'close the string with " on the same line, or use """…""" for several lines'
    if char == "-" and text[pos : pos + 2] != "->":
        return "unexpected '-'", "relations are written `a -> b`; identifiers may not end with '-'"
    if char.isdigit():
        end = pos
        while end < len(text) and not text[end].isspace() and text[end] not in ";{},":
            end += 1
        return (f"cannot read the value '{text[pos:end]}'",
                "values are numbers (3), durations (250us 5ms 1.5s 5min 7d), percentages (99.9%), "
                "ranges (2..50), growth (10x) or dates (2026-11-20)")
    return (f"unexpected character {char!r}",
            "identifiers are letters, digits, '_' and '-'; text goes in double quotes")


_MISPLACED = {  # a token where the grammar cannot take it: what to say, and how to write it
    "RBRACE": ("unmatched '}'", "this '}' closes no block: remove it or add the '{' it belongs to"),
    "LBRACE": ("unexpected '{'", "a block opens on the same line as its statement: `component api \"API\" {`"),
    "ARROW": ("unexpected '->'", "a relation joins two ids, one relation a line: `a -> b \"label\"`"),
}
_VALUES = {"STRING", "MLSTRING", "NUMBER", "PERCENT", "DURATION", "RANGE", "GROWTH", "DATE"}


def _bad_token(token, expected: set[str], at_end: bool) -> tuple[str, str]:
    """What is wrong with a token the grammar did not expect there, and how to write it instead."""
    kind = getattr(token, "type", "$END")
    if at_end or kind == "$END":
        return "unexpected end of the file", ("a '{' block is not closed: add the missing '}'"
                                              if "RBRACE" in expected else "")
    if kind in _MISPLACED:
        return _MISPLACED[kind]
    if kind == "_NL" and expected & {"NAME", "STRING"}:
        return "the line ends too early", "a ',' must be followed by another list item"
    found = _describe_token(token)
    if kind in _VALUES:
        return f"unexpected value {found}", "a statement starts with a keyword or an id: `tech \"CDN\"`, `a -> b`"
    wanted = sorted({_TOKEN_WORDS.get(e, e) for e in expected if e in _TOKEN_WORDS})
    return f"unexpected {found}", ("expected " + " or ".join(wanted)) if wanted and len(wanted) <= 4 else ""
