"""How archdsl spells a count in its messages, reports and pages: one place, so they agree."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`1 component`, `3 components`, `0 components` (`many`: an irregular plural)."""
    return f"{n} {noun if n == 1 else (many or noun + 's')}"
