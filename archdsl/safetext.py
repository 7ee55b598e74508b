"""Spec text made harmless for places that interpret control characters.

A spec may hold any character, ESC and BEL included. On a terminal they would run as
escape sequences (forged findings, a changed window title); in XML (JUnit, SVG) they make
the document invalid. Both get the same visible spelling, `\\x1b`, so a reader sees exactly
what the spec holds.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL, the C1 controls (which some terminals also obey), and the line and
# paragraph separators (a line break to JavaScript, so to a log shown in a browser, and to Python)
_TERMINAL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# what XML 1.0 forbids, and the C1 controls it discourages
_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _spell(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text for one line of a terminal or a CI log: every control character but tab, and the
    Unicode line and paragraph separators, spelled out."""
    return _TERMINAL.sub(_spell, str(text))


def xml_safe(text: str) -> str:
    """Text for XML: every character XML cannot hold spelled out; tab and line breaks kept."""
    return _XML.sub(_spell, str(text))
