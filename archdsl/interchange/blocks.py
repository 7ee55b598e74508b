"""Statements and blocks of Structurizr DSL and LikeC4 text, with the line and column of each
word (the grammar is blocks.lark); what the words mean is each format's own module.

Hostile input gets a clear error: a file over the size limit, text that is not UTF-8, blocks
nested deeper than any model needs, a syntax error with its line and column."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ConfigError
from ..fsutil import read_text_file

MAX_DEPTH = 48  # blocks inside blocks: a model needs a handful


@dataclass(frozen=True)
class Word:
    text: str  # a string's text without its quotes
    line: int
    column: int
    quoted: bool


@dataclass
class Statement:
    words: list[Word]  # none for a bare block
    block: list[Statement] | None  # None: no block (several blocks of one statement: one list)
    line: int

    @property
    def head(self) -> str:
        return self.words[0].text.lower() if self.words else ""

    def texts(self) -> list[str]:
        return [w.text for w in self.words]


# each format's strings and words (the terminals blocks.lark leaves to them)
DIALECTS = {
    "structurizr": {
        "STRING": r'/"""[\s\S]*?"""/ | /"(?:[^"\\\n]|\\.)*"/',
        "WORD": r'/(?:\$\{[^}\s]*\}|[^\s{}";])+/',
    },
    "likec4": {
        "STRING": r"/'''[\s\S]*?'''/ | /\"\"\"[\s\S]*?\"\"\"/ | /'(?:[^'\\]|\\.)*'/ | /\"(?:[^\"\\]|\\.)*\"/",
        "WORD": r"/[^\s{}\"';]+/",
    },
}


def blank_comments(text: str, dialect: str) -> str:
    """`text` with every comment turned to spaces (line breaks kept, so lines and columns hold):
    `/* … */` anywhere; `//` to the end of the line where a word could start (never in
    `https://`); in Structurizr `#` too, at the start of a line (elsewhere `#08427b` is a colour;
    in LikeC4 `#tag` is a tag). Raises ConfigError for blocks nested too deeply."""
    out = list(text)
    i, n, depth, line, at_start = 0, len(text), 0, 1, True
    multiline = dialect == "likec4"
    quotes = "\"'" if multiline else '"'
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, at_start = line + 1, True
            i += 1
            continue
        if ch in " \t\r":
            i += 1
            continue
        starts_line, at_start = at_start, False
        end = _comment_end(text, i, starts_line and ch == "#" and not multiline)
        if end is not None:
            for j in range(i, end):
                if out[j] != "\n":
                    out[j] = " "
            line += text.count("\n", i, end)
            i = end
            continue
        if ch in quotes:
            i, line = _past_string(text, i, line, multiline)
            continue
        if ch == "{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ConfigError(f"line {line}: blocks are nested more than {MAX_DEPTH} deep")
        elif ch == "}":
            depth -= 1
        i += 1
    return "".join(out)


def _comment_end(text: str, i: int, hash_comment: bool) -> int | None:
    """Where the comment that starts at `i` ends, or None when none starts there."""
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        return len(text) if end < 0 else end + 2
    if (text.startswith("//", i) and (i == 0 or text[i - 1] in " \t\r\n;{}")) or hash_comment:
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    return None


def _past_string(text: str, i: int, line: int, multiline: bool) -> tuple[int, int]:
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        end = len(text) if end < 0 else end + 3
        return end, line + text.count("\n", i, end)
    j = i + 1
    while j < len(text) and text[j] != quote and (multiline or text[j] != "\n"):
        j += 2 if text[j] == "\\" else 1
    return j + 1, line + text.count("\n", i, j)


MAX_FILE_BYTES = 16 * 1024 * 1024


def read_statements(path: Path, shown: str, dialect: str) -> list[Statement]:
    """The statements of the file at `path` (`shown` in errors): at most 16 MB of UTF-8 text."""
    return parse(read_text_file(path, limit=MAX_FILE_BYTES, shown=shown, bom=True), shown, dialect)


def parse(text: str, where: str, dialect: str = "structurizr") -> list[Statement]:
    """The statements of a file's text in `dialect` (a key of DIALECTS); a ConfigError says
    `where:line:column` for bad text."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    try:
        clean = blank_comments(text, dialect)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    try:
        tree = _parser(dialect).parse(clean)
    except UnexpectedCharacters as exc:
        raise ConfigError(f"{where}:{exc.line}:{exc.column}: unexpected {exc.char!r}") from None
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise ConfigError(f"{where}:{exc.line}:{exc.column}: the file ends inside a block (a }} is missing)"
                              ) from None
        raise ConfigError(f"{where}:{exc.line}:{exc.column}: unexpected {str(exc.token)!r} "
                          "(a block opens with { at the end of its line and closes with } on a line of its own)"
                          ) from None
    except UnexpectedInput as exc:
        raise ConfigError(f"{where}:{exc.line}:{exc.column}: cannot be read") from None
    return [_statement(node) for node in tree.children]


def _statement(node) -> Statement:
    words: list[Word] = []
    block: list[Statement] | None = None
    for child in node.children:
        if getattr(child, "data", None) == "block":  # several: their statements in one
            block = (block or []) + [_statement(inner) for inner in child.children]
        else:
            words.append(_word(child))
    line = words[0].line if words else block[0].line if block else 0
    return Statement(words, block, line)


def _word(token) -> Word:
    text = str(token)
    if token.type != "STRING":
        return Word(text, token.line, token.column, False)
    if text[:3] in ('"""', "'''"):
        return Word(textwrap.dedent(text[3:-3].strip("\n")).strip(), token.line, token.column, True)
    inner = text[1:-1]
    if "\n" in inner:  # a LikeC4 string over several lines: its common indentation removed
        inner = textwrap.dedent(inner.strip("\n")).strip()
    return Word(inner.replace("\\" + text[0], text[0]).replace("\\\\", "\\"), token.line, token.column, True)


@cache
def _parser(dialect: str):
    # lazy: Lark loads only to import a model
    from lark import Lark

    grammar = (Path(__file__).parent / "blocks.lark").read_text(encoding="utf-8")
    for name, pattern in DIALECTS[dialect].items():
        grammar = grammar.replace(f"{name}: __{name}__", f"{name}: {pattern}")
    return Lark(grammar, parser="lalr", propagate_positions=False, maybe_placeholders=False)
