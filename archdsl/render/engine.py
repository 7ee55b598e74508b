"""Layout: the system `dot` when there is one (or `ARCHDSL_DOT`), else the graphviz-pure wheel.

A failure, an error on stderr or empty output is an error naming the view, never a silent
empty picture; a layout that passes its timeout is stopped and reported.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from .. import environment
from ..errors import ArchError

DEFAULT_TIMEOUT = 120.0


def _cap_memory(limit_mb: int):
    """The layout engine's address space, in MiB: a pathological graph fails with an error instead
    of taking the machine's memory (Graphviz reached 19 GB on a complete graph of 300 nodes).

    None where the platform has no such limit (Windows: no `resource` module, no fork): there the
    engine runs uncapped, under its timeout only."""
    try:
        import resource  # POSIX only
    except ImportError:
        return None

    def apply() -> None:  # pragma: no cover - runs in the forked child, before the engine starts
        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


class LayoutError(ArchError):
    """The layout engine failed, timed out or produced nothing; `cause` says which way, so that
    a layout that avoids it can be tried: "routing" (lines Graphviz could not route), "ranking"
    (rank constraints it could not satisfy), "timeout", "memory", "engine" (it failed otherwise)
    or "missing" (no engine to run)."""

    def __init__(self, message: str, cause: str = "engine"):
        super().__init__(message)
        self.cause = cause


def _cause(detail: str, returncode: int, capped: bool) -> str:
    text = detail.lower()
    if "routesplines" in text or "lost " in text and " edge" in text or "spline" in text:
        return "routing"
    if "init_rank" in text or "install_in_rank" in text or "rank " in text and "full" in text:
        return "ranking"
    if capped and (returncode < 0 or "memory" in text or "alloc" in text):
        return "memory"
    return "engine"


def find_engine() -> list[str]:
    """The command that lays out DOT: `ARCHDSL_DOT`, else `dot` on PATH, else graphviz-pure."""
    chosen = environment.layout_engine()
    if chosen:
        found = shutil.which(chosen)
        if not found:
            raise LayoutError(f"ARCHDSL_DOT={chosen!r} is not an executable", "missing")
        return [found]
    system_dot = shutil.which("dot")
    if system_dot:
        return [system_dot]
    return [_graphviz_pure()]


def _graphviz_pure() -> str:
    name = "graphviz-pure.exe" if sys.platform == "win32" else "graphviz-pure"
    here = Path(sysconfig.get_path("scripts")) / name
    if here.is_file():
        return str(here)
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found:
        return found
    raise LayoutError("no layout engine: install Graphviz (dot) or the graphviz-pure wheel", "missing")


def layout(source: str, fmt: str, *, view: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """DOT source laid out as `fmt` (svg or png) bytes."""
    command = [*find_engine(), f"-T{fmt}"]
    limit = environment.layout_memory_mb()
    cap = _cap_memory(limit)
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, timeout=timeout,
                              preexec_fn=cap)
    except subprocess.TimeoutExpired:
        raise LayoutError(f"view '{view}': the layout took longer than {timeout:g}s and was stopped",
                          "timeout") from None
    except OSError as exc:
        raise LayoutError(f"view '{view}': cannot run {command[0]}: {exc}", "missing") from None
    problems = [line for line in done.stderr.decode("utf-8", "replace").splitlines()
                if "error" in line.lower() or "trouble" in line.lower()]
    if done.returncode != 0 or problems or not done.stdout.strip():
        detail = "; ".join(dict.fromkeys(problems)) or done.stderr.decode("utf-8", "replace").strip() or "no output"
        cause = _cause(detail, done.returncode, cap is not None)
        if cause == "memory":
            detail += (f" (the layout may have passed its {limit} MiB memory limit: draw a smaller view,"
                       " or raise ARCHDSL_LAYOUT_MEMORY_MB)")
        raise LayoutError(f"view '{view}': {Path(command[0]).name} failed (exit {done.returncode}): {detail}", cause)
    return repair_svg(done.stdout) if fmt == "svg" else done.stdout


_BARE_AMPERSAND = None


def repair_svg(svg: bytes) -> bytes:
    """Escape the `&` that some Graphviz releases (2.43) write raw into `href` attributes, so the
    SVG is XML whichever engine drew it; an SVG without one is returned unchanged."""
    global _BARE_AMPERSAND
    if _BARE_AMPERSAND is None:
        _BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
    return _BARE_AMPERSAND.sub(b"&amp;", svg)
