"""Reading a document as it is being typed: the name under the cursor, the block the cursor
stands in and the words written there, the ids a file declares. A file being typed seldom
parses, so these read tokens, by the grammar's own terminals (`parsing.parser.literals`): the
server never knows a name, string or comment differently from the parser.
"""

from __future__ import annotations

import functools
import re

from ..parsing.parser import literals


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lit = literals()
    # strings and comments the user has not closed yet run to the end of their line (a string)
    # or of the text (a block comment or a text block)
    token = "|".join((lit["MLSTRING"], r'"""[\s\S]*', lit["STRING"], r'"[^\n]*', lit["LINE_COMMENT"],
                      lit["BLOCK_COMMENT"], r"/\*[\s\S]*", r"->", r"[{};\n]", r'[^\s{};"]+'))
    return {
        "name": re.compile(lit["NAME"]),
        "ident": re.compile(lit["IDENT"]),
        "token": re.compile(token),
        "declared": re.compile(rf"^[ \t]*(component|actor)[ \t]+({lit['IDENT']})", re.M),
        "comment": re.compile(rf"(?:{lit['LINE_COMMENT']}|{lit['BLOCK_COMMENT']}|/\*[\s\S]*)"),
    }


def name_at(line: str, column: int) -> tuple[str, int] | None:
    """The name (`id` or `system.id`) at or just before code point `column` of a line, and
    where it starts."""
    for match in _patterns()["name"].finditer(line):
        if match.start() <= column <= match.end():
            return match.group(0), match.start()
    return None


def is_id(text: str) -> bool:
    """Whether `text` may be an element's id."""
    return _patterns()["ident"].fullmatch(text) is not None


def declared(text: str) -> list[tuple[str, str]]:
    """(kind, id) of each component and actor a text declares, parsed or not."""
    return _patterns()["declared"].findall(text)


def context(text: str) -> tuple[str, list[str], bool]:
    """The kind of block the end of `text` stands in, the words of the statement written so far
    there (strings as `"`), and whether that statement is a relation."""
    stack: list[str] = ["file"]
    words: list[str] = []
    arrow = keyed = False
    comment = _patterns()["comment"]
    for token in _patterns()["token"].findall(text):
        if comment.fullmatch(token):
            continue
        if token == "{":
            # `a -> b {` opens a relation; `step a -> b {`, the block of the keyword before it
            stack.append((words[0] if keyed else "relation") if arrow else (words[0] if words else "?"))
            words, arrow = [], False
        elif token == "}":
            if len(stack) > 1:
                stack.pop()
            words, arrow = [], False
        elif token in (";", "\n"):
            words, arrow = [], False
        elif token == "->":
            arrow, keyed = True, len(words) == 2  # `step a ->`: a keyword names the relation
        else:
            words.append('"' if token.startswith('"') else token)
    return stack[-1], words, arrow
