"""Kept answers: an `archdsl check` whose every input is what it was at the last run answers with
that run's report and exit status, before the command line, the parser or the rules are loaded
(a pre-commit hook on an unchanged tree, a re-run, a CI job with the cache restored).

An answer is kept for one command line, run in one folder, by one archdsl (its version and the
stamp of every file of the installed package) on one Python, with the output going to a terminal
or not. With it is kept every probe the run made of the disk: the bytes of each file read (spec
files, the settings, the baseline), where each admitted path leads, which spec files each folder
holds, which pyproject.toml is the nearest. A later run answers from it only when every probe
gives the same again; anything else (a changed, new, removed or renamed file, another
pyproject.toml above, an entry damaged or made by someone else) is a miss, and the check runs.

Only the plain forms are kept: `archdsl check PATHS` with `--format`, `--select`, `--ignore`,
`--fail-on`, `--baseline` and `--exit-zero`, ending 0 or 1. The answers live in this user's cache
folder (`~/.cache/archdsl/answers`, or `answers` in `ARCHDSL_CACHE_DIR`), sealed like the parse
cache's entries (`keeping`); `--no-cache`, `ARCHDSL_NO_CACHE=1` and `archdsl clean` apply to them.
Standard library only, and nothing imported that the lookup does not need.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from . import keeping
from .environment import cache_folder, cache_home, parse_cache, use_parse_cache
from .fsutil import MAX_SPEC_BYTES, Unreadable, files_below, nearest, read_regular
from .version import __version__

FORMAT = 1  # of an answer; a new one makes every kept answer a miss
MAX_ANSWER_BYTES = 64 * 1024 * 1024
VALUED = frozenset({"--format", "--select", "--ignore", "--fail-on", "--baseline"})
FLAGS = frozenset({"--exit-zero"})
KEPT_CODES = (0, 1)

_RUN: list[_Recording] = []  # the run being recorded, when the program started one


class _Recording:
    def __init__(self, key: str, secret: bytes) -> None:
        self.key, self.secret = key, secret  # the secret the lookup read, to seal the answer with
        self.probes: dict[tuple[str, str], str] = {}


def folder() -> Path:
    """Where the answers are kept."""
    elsewhere = cache_folder()
    return (Path(elsewhere) if elsewhere else Path(cache_home()) / "archdsl") / "answers"


def plain_check(argv: list[str]) -> bool:
    """Whether a command line is a check whose answer may be kept (see the module's text)."""
    if argv[:1] != ["check"]:
        return False
    paths, waiting = 0, False
    for word in argv[1:]:
        if waiting:
            waiting = False
        elif word.startswith("-"):
            option, equals, _ = word.partition("=")
            if option in VALUED:
                waiting = not equals
            elif word not in FLAGS:
                return False
        else:
            paths += 1
    return paths > 0 and not waiting


def answer(argv: list[str]) -> int | None:
    """For the `archdsl` program: the exit status of a check answered from a kept answer (its
    report written to standard output), or None, having started recording this run when its
    answer may be kept."""
    use_parse_cache()  # the program's default; --no-cache turns it off, here and in the parse
    if not parse_cache() or "--no-cache" in argv or not plain_check(argv):
        return None
    secret = keeping.secret()
    if secret is None:
        return None
    try:
        key = _key(secret, argv)
    except OSError:  # a working folder that was removed: no answer is kept for nowhere
        return None
    kept = _kept(secret, key)
    if kept is not None and all(_probe(kind, path) == value for kind, path, value in kept["probes"]):
        sys.stdout.write(kept["out"])
        sys.stdout.flush()
        return kept["code"]
    _RUN[:] = [_Recording(key, secret)]
    return None


def keep(out: str, code: int) -> None:
    """The end of a recorded check: keep its report and exit status with its probes."""
    if not _RUN or code not in KEPT_CODES:
        return
    run = _RUN.pop()
    probes = [[kind, path, value] for (kind, path), value in sorted(run.probes.items())]
    payload = json.dumps({"probes": probes, "out": out, "code": code}, ensure_ascii=False,
                         separators=(",", ":")).encode("utf-8", "surrogatepass")
    try:
        where = folder()
        where.mkdir(parents=True, exist_ok=True)
        keeping.write_whole(where, run.key, keeping.sealed(run.secret, run.key, payload))
    except OSError:
        pass  # a read-only home: the check simply runs every time


def forget() -> Path | None:
    """Remove every kept answer (`archdsl clean`); the folder, or None when there was none."""
    import shutil

    where = folder()
    if not where.is_dir() or where.is_symlink():
        return None
    shutil.rmtree(where)
    return where


# -- what a run notes while it reads (nothing, unless the program is recording)


def note_file(path: Path, data: bytes | None, why: str = "") -> None:
    """A file read: its bytes, or None and why it could not be read."""
    if _RUN:
        _RUN[0].probes[("file", os.path.abspath(path))] = _bytes_print(data, why)


def note_place(path: Path) -> None:
    """A path admitted or refused: where it leads and what is there."""
    if _RUN:
        _RUN[0].probes[("place", os.path.abspath(path))] = _place_print(os.path.abspath(path))


def note_listing(path: Path, found: list[Path]) -> None:
    """A folder's spec files, as a walk found them."""
    if _RUN:
        _RUN[0].probes[("listing", os.path.abspath(path))] = _listing_print(path, found)


def note_nearest(start: Path, name: str, found: Path | None) -> None:
    """The nearest `name` at or above `start`."""
    if _RUN:
        _RUN[0].probes[(f"nearest:{name}", os.path.abspath(start))] = str(found)


# -- probes, made again


def _probe(kind: str, path: str) -> str | None:
    try:
        if kind == "file":
            try:
                return _bytes_print(read_regular(Path(path), MAX_SPEC_BYTES), "")
            except Unreadable as exc:
                return _bytes_print(None, str(exc))
        if kind == "place":
            return _place_print(path)
        if kind == "listing":
            return _listing_print(Path(path), files_below(Path(path), ".arch"))
        if kind.startswith("nearest:"):
            return str(nearest(Path(path), kind.partition(":")[2]))
    except (OSError, RuntimeError, ValueError):
        pass
    return None  # a probe that cannot be made again, or of a kind this archdsl does not make: a miss


def _bytes_print(data: bytes | None, why: str) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else f"!{why}"


def _place_print(path: str) -> str:
    try:
        real = os.path.realpath(path)
        what = "file" if os.path.isfile(real) else "folder" if os.path.isdir(real) else \
            "other" if os.path.lexists(real) else "absent"
    except (OSError, ValueError):
        return "!"
    return f"{what}:{real}"


def _listing_print(folder: Path, found: list[Path]) -> str:
    names = "\n".join(os.path.relpath(path, folder) for path in found)
    return hashlib.sha256(names.encode("utf-8", "surrogatepass")).hexdigest()


# -- the key and the kept entry


def _key(secret: bytes, argv: list[str]) -> str:
    """The name of the answer of this command line, here, by this archdsl on this Python."""
    situation = [FORMAT, __version__, sys.version, sys.executable, _package_stamp(), os.getcwd(), argv,
                 sys.stdout.isatty(), "NO_COLOR" in os.environ]
    return keeping.name(secret, json.dumps(situation).encode("utf-8", "surrogatepass"))


def _package_stamp() -> str:
    """The size and time of every file of the installed archdsl and its grammar: an edited
    checkout (an editable install) is another archdsl."""
    here = Path(__file__).parent
    stamps = []
    for place in (here, here / "grammar", here.parent / "grammar"):
        try:
            entries = sorted(os.scandir(place), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".py", ".lark")):
                info = entry.stat()
                stamps.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
        if place == here:
            for sub in sorted(e.name for e in entries if e.is_dir() and not e.name.startswith((".", "_"))):
                for file in sorted(Path(here, sub).rglob("*.py")):
                    info = file.stat()
                    stamps.append(f"{file}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode("utf-8", "surrogatepass")).hexdigest()


def _kept(secret: bytes, key: str) -> dict | None:
    """The answer kept under `key`, checked for shape, or None."""
    try:
        data = read_regular(folder() / key, MAX_ANSWER_BYTES)
    except Unreadable:
        return None
    payload = keeping.opened(secret, key, data)
    if payload is None:
        return None
    try:
        kept = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if type(kept) is not dict or type(kept.get("out")) is not str or kept.get("code") not in KEPT_CODES:
        return None
    probes = kept.get("probes")
    if type(probes) is not list or not all(
        type(p) is list and len(p) == 3 and all(type(part) is str for part in p) for p in probes
    ):
        return None
    return kept
