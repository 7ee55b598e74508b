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


_PARSE_CACHE = [False]  # the `archdsl` program turns it on; the library's callers never write one unasked


def use_parse_cache(on: bool = True) -> None:
    """Read and write the spec roots' parse caches from now on (`parsing.cache`), or not."""
    _PARSE_CACHE[0] = on


def parse_cache() -> bool:
    """Whether loading uses the parse cache: turned on, and `ARCHDSL_NO_CACHE` not set."""
    return _PARSE_CACHE[0] and os.environ.get("ARCHDSL_NO_CACHE", "").strip() in ("", "0")


def cache_folder() -> str | None:
    """`ARCHDSL_CACHE_DIR`: where the parse caches go instead of each spec root's `.archdsl_cache`
    (a CI job that must write nothing into the checkout, and restores this folder between runs)."""
    return os.environ.get("ARCHDSL_CACHE_DIR") or None
