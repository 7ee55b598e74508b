"""A Pygments lexer for `.arch`, so `arch` code blocks are highlighted in any MkDocs or Sphinx site."""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

from .parsing.build import ATTRS, CHILDREN, KEEP_WORDS


def _words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Block keywords, other statements and attributes: from the builder's own tables, so the
    highlighter knows exactly the words the parser accepts."""
    blocks = {context for context in ATTRS if context not in ("file", "relation")} | {"import"}
    statements = {word for words in CHILDREN.values() for word in words} - blocks - {"->"}
    statements |= set(KEEP_WORDS)
    attributes = {word for table in ATTRS.values() for word in table} - blocks - statements
    return tuple(sorted(blocks)), tuple(sorted(statements)), tuple(sorted(attributes))


BLOCKS, STATEMENTS, ATTRIBUTES = _words()


class ArchLexer(RegexLexer):
    """Lexer for archdsl architecture specs."""

    name = "archdsl"
    aliases = ["arch", "archdsl"]
    filenames = ["*.arch"]
    mimetypes = ["text/x-archdsl"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"(//|#).*?$", Comment.Single),
            # an unterminated comment or string runs to the end of the text: matched once, not
            # tried again from every later `/*` (which made runs of them quadratic)
            (r"/\*[\s\S]*?(?:\*/|\Z)", Comment.Multiline),
            (r'"""[\s\S]*?(?:"""|\Z)', String.Doc),
            (r'"(\\.|[^"\\\n])*"', String.Double),
            (r"\d{4}-\d{2}-\d{2}\b", Number),
            (r"-?\d+\.\.-?\d+\b", Number),
            (r"\d+(\.\d+)?(us|ms|min|s|m|h|d|x)\b", Number),
            (r"-?\d+(\.\d+)?%", Number),
            (r"-?\d+(\.\d+)?\b", Number),
            (r"->", Operator),
            (r"[{};,:]", Punctuation),
            (r"\b[A-Z]{2}\d{3}\b", Name.Exception),
            (words(BLOCKS, prefix=r"(?<![\w.-])", suffix=r"(?![\w-])"), Keyword.Declaration),
            (words(STATEMENTS, prefix=r"(?<![\w.-])", suffix=r"(?![\w-])"), Keyword),
            (words(ATTRIBUTES, prefix=r"(?<![\w.-])", suffix=r"(?![\w-])"), Name.Attribute),
            (r"([A-Za-z_][\w-]*)(\.)([A-Za-z_][\w-]*)", bygroups(Name.Namespace, Punctuation, Name)),
            (r"[A-Za-z_][\w-]*", Name),
            (r".", Text),
        ],
    }
