"""Every environment variable archdsl reads, in one place, each with what it means."""

from __future__ import annotations

import os

DEFAULT_LAYOUT_MEMORY_MB = 4096


def debug() -> bool:
    """`ARCHDSL_DEBUG`: show the traceback of an internal error instead of a one-line report."""
    return bool(os.environ.get("ARCHDSL_DEBUG"))


def colour_allowed() -> bool:
    """`NO_COLOR` (no-color.org): when set, to anything, reports are never coloured."""
    return "NO_COLOR" not in os.environ


def layout_engine() -> str | None:
    """`ARCHDSL_DOT`: the command that lays out diagrams, instead of `dot` or graphviz-pure."""
    return os.environ.get("ARCHDSL_DOT") or None


def layout_memory_mb() -> int:
    """`ARCHDSL_LAYOUT_MEMORY_MB`: the layout engine's address space (default 4096, at least 256)."""
    try:
        return max(256, int(os.environ.get("ARCHDSL_LAYOUT_MEMORY_MB", DEFAULT_LAYOUT_MEMORY_MB)))
    except ValueError:
        return DEFAULT_LAYOUT_MEMORY_MB


def cache_home() -> str:
    """`XDG_CACHE_HOME`, else `~/.cache`: where the parser's tables are kept between runs."""
    return os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
