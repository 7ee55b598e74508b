"""Writing `.arch` text from another tool's names and words: ids the grammar accepts, strings
quoted so that no text can end one early, comments that no text can end early either."""

from __future__ import annotations

import re

_NOT_IDENT = re.compile(r"[^A-Za-z0-9_-]+")


def ident(name: str, taken: set[str]) -> str:
    """An id for `name`: letters, digits, `_` and `-`, starting with a letter or `_`, never
    ending with `-`, and not yet in `taken` (a number is added); added to `taken`."""
    base = _NOT_IDENT.sub("-", name).strip("-") or "element"
    if not (base[0].isalpha() or base[0] == "_"):
        base = f"n-{base}"
    found, count = base, 2
    while found in taken:
        found, count = f"{base}-{count}", count + 1
    taken.add(found)
    return found


def quoted(text: str) -> str:
    """A one-line string of the language: backslashes and quotes escaped, line breaks as `\\n`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def comment(text: str) -> str:
    """A line comment holding `text` on one line (a line comment ends only at the line's end)."""
    return "// " + " ".join(text.split())
