"""Statements and blocks of Structurizr DSL and LikeC4 text, with the line and column of each
word (the grammar is blocks.lark); what the words mean is each format's own module.

Hostile input gets a clear error: a file over the size limit, text that is not UTF-8, blocks
nested deeper than any model needs, a syntax error with its line and column."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ConfigError

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
    block: list[Statement] | None  # None: no block
    line: int

    @property
    def head(self) -> str:
        return self.words[0].text.lower() if self.words else ""

    def texts(self) -> list[str]:
        return [w.text for w in self.words]


def blank_comments(text: str, *, line_comments_anywhere: bool) -> str:
    """`text` with every comment turned to spaces (line breaks kept, so lines and columns hold):
    `/* … */` anywhere; `//` and `#` to the end of the line when they start a line (Structurizr,
    where `#08427b` is a colour and `https://` an address), or `//` anywhere outside a string
    with `line_comments_anywhere` (LikeC4). Raises ConfigError for blocks nested too deeply."""
    out = list(text)
    i, n, depth, line, at_start = 0, len(text), 0, 1, True
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
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            for j in range(i, end):
                if out[j] != "\n":
                    out[j] = " "
            line += text.count("\n", i, end)
            i = end
            continue
        if (starts_line and (ch == "#" or text.startswith("//", i))) or (
                line_comments_anywhere and text.startswith("//", i)):
            end = text.find("\n", i)
            end = n if end < 0 else end
            for j in range(i, end):
                out[j] = " "
            i = end
            continue
        if ch in "\"'":
            i, line = _past_string(text, i, line)
            continue
        if ch == "{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ConfigError(f"line {line}: blocks are nested more than {MAX_DEPTH} deep")
        elif ch == "}":
            depth -= 1
        i += 1
    return "".join(out)


def _past_string(text: str, i: int, line: int) -> tuple[int, int]:
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        end = len(text) if end < 0 else end + 3
        return end, line + text.count("\n", i, end)
    j = i + 1
    while j < len(text) and text[j] not in (quote, "\n"):
        j += 2 if text[j] == "\\" else 1
    return j + 1, line


def parse(text: str, where: str, *, line_comments_anywhere: bool = False) -> list[Statement]:
    """The statements of a file's text; a ConfigError says `where:line:column` for bad text."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    try:
        clean = blank_comments(text, line_comments_anywhere=line_comments_anywhere)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    try:
        tree = _parser().parse(clean)
    except UnexpectedCharacters as exc:
        raise ConfigError(f"{where}:{exc.line}:{exc.column}: unexpected {exc.char!r}") from None
    except UnexpectedToken as exc:
        found = "the end of the file" if exc.token.type == "$END" else repr(str(exc.token))
        raise ConfigError(f"{where}:{exc.line}:{exc.column}: unexpected {found} "
                          "(a block opens with { at the end of its line and closes with } on a line of its own)"
                          ) from None
    except UnexpectedInput as exc:
        raise ConfigError(f"{where}:{exc.line}:{exc.column}: cannot be read") from None
    return [_statement(node) for node in tree.children]


def _statement(node) -> Statement:
    words, block = [], None
    for child in node.children:
        if getattr(child, "data", None) == "block":
            block = [_statement(inner) for inner in child.children]
        else:
            words.append(_word(child))
    line = words[0].line if words else block[0].line if block else 0
    return Statement(words, block, line)


def _word(token) -> Word:
    text = str(token)
    if token.type != "STRING":
        return Word(text, token.line, token.column, False)
    if text[:3] in ('"""', "'''"):
        return Word(text[3:-3], token.line, token.column, True)
    inner = text[1:-1]
    return Word(inner.replace("\\" + text[0], text[0]).replace("\\\\", "\\"), token.line, token.column, True)


@cache
def _parser():
    # lazy: Lark loads only to import a model
    from lark import Lark

    return Lark((Path(__file__).parent / "blocks.lark").read_text(encoding="utf-8"), parser="lalr",
                propagate_positions=False, maybe_placeholders=False)
