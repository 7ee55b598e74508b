"""The parse cache: each file's statements kept in `.archdsl_cache/` at the spec root, so that a
check of files that did not change since the last run does not parse them again (pre-commit,
re-runs, CI with the folder restored).

What it keeps is plain data (JSON lists of strings and numbers), never pickle or marshal: a
repository can commit a cache folder, and reading one must run nothing. Each entry is named by
a key and carries a MAC, both made with a secret that never leaves this machine's user cache
folder (`~/.cache/archdsl/cache-secret`): an entry someone else wrote (committed in a pull
request, say) or one damaged on the disk does not verify, and is a miss. Anything unexpected is
a miss, never an error and never a different result: the file is parsed as if there were no
cache. Entries are written whole (a temporary file renamed into place), so two processes may
write at once. A cache folder that is a symbolic link, or not a folder, is not used.

`ARCHDSL_NO_CACHE=1` (or `--no-cache`) turns it off; `archdsl clean` removes the folder.
`ARCHDSL_CACHE_DIR` puts each root's cache in a folder of its own there instead (the GitHub
Action writes nothing into the checkout, and restores that folder between runs).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Any

from ..diagnostics import Span, span_of
from ..environment import cache_folder, parse_cache
from ..fsutil import Unreadable, read_regular
from ..keeping import mark, opened, sealed, secret, write_whole
from ..version import __version__
from .parser import Stmt, Value, grammar_path, value_of

FOLDER = ".archdsl_cache"
FORMAT = 2  # of an entry; a new one makes every old entry a miss (2: `op` values)
MAX_ENTRY_BYTES = 64 * 1024 * 1024
SCALARS = (str, int, float)


def for_root(root: Path) -> ParseCache | None:
    """The cache of a spec root, or None when caching is off (`environment.parse_cache`: the
    library's default, `--no-cache`, `ARCHDSL_NO_CACHE=1`)."""
    if not parse_cache():
        return None
    cache = ParseCache(root)
    return cache if cache.usable else None


class ParseCache:
    """Statements by (file name, text) in the cache folder of one spec root."""

    def __init__(self, root: Path) -> None:
        self.folder = folder_of(root)
        self.entries = self.folder / "parse"
        self.secret = secret()
        self.salt = _salt() if self.secret is not None else b""
        self.usable = self.secret is not None and _usable(self.folder, self.entries)

    def _key(self, file: str, text: str) -> str:
        digest = hmac.new(self.secret or b"", self.salt, hashlib.sha256)
        digest.update(file.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, file: str, text: str) -> list[Stmt] | None:
        """The statements kept for this file and text, or None (a miss)."""
        if not self.usable:
            return None
        key = self._key(file, text)
        try:
            data = read_regular(self.entries / key, MAX_ENTRY_BYTES)
        except Unreadable:
            return None
        payload = opened(self.secret or b"", key, data)
        if payload is None:
            return None
        try:
            return [_stmt(file, item) for item in _list(json.loads(payload))]
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None

    def put(self, file: str, text: str, stmts: list[Stmt]) -> None:
        """Keep the statements of this file and text (silently not, where the folder cannot be written)."""
        if not self.usable:
            return
        key = self._key(file, text)
        try:
            payload = json.dumps([_plain_stmt(s) for s in stmts], separators=(",", ":"), ensure_ascii=False,
                                 allow_nan=False).encode("utf-8", "surrogatepass")
        except (ValueError, RecursionError):  # a number too large for JSON (5,000 digits), nesting too deep
            return  # this file is parsed every time; the others are kept
        try:
            write_whole(self.entries, key, sealed(self.secret or b"", key, payload))
        except OSError:
            self.usable = False  # a read-only checkout, a full disk: parse as without a cache


def folder_of(root: Path) -> Path:
    """The cache folder of a spec root: `.archdsl_cache` in it, or one named by the root's path
    in `ARCHDSL_CACHE_DIR`."""
    elsewhere = cache_folder()
    if elsewhere is None:
        return root / FOLDER
    Path(elsewhere).mkdir(parents=True, exist_ok=True)
    return Path(elsewhere) / hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:24]


def clear(root: Path) -> Path | None:
    """Remove the cache folder of a spec root; the folder, or None when there was none. A
    symbolic link in its place is removed itself, never followed."""
    import shutil

    folder = folder_of(root)
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(folder)
    else:
        folder.unlink()
    return folder


# -- the folder


def _salt() -> bytes:
    """What an entry depends on besides its file: archdsl's version, the grammar, the format."""
    try:
        grammar = grammar_path().read_bytes()
    except OSError:
        grammar = b""
    return f"{__version__}\0{FORMAT}\0".encode() + hashlib.sha256(grammar).digest()


def _usable(folder: Path, entries: Path) -> bool:
    """Whether the cache folder is (or can be made) a real folder, not a link or a file."""
    for path in (folder, entries):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            try:
                path.mkdir()
            except OSError:
                return False
            if path == folder:
                mark(folder)
            continue
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode):
            return False
    return True


# -- statements as plain data, and back (every type checked on the way back)


def _plain_span(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def _plain_value(value: Value) -> list:
    data: Any = [_plain_value(v) for v in value.value] if value.kind == "list" else value.value
    if isinstance(data, tuple):
        data = list(data)
    return [value.kind, data, value.text, _plain_span(value.span)]


def _plain_stmt(stmt: Stmt) -> list:
    return [stmt.keyword, _plain_span(stmt.keyword_span), [_plain_value(v) for v in stmt.values],
            _plain_span(stmt.span), None if stmt.block is None else [_plain_stmt(s) for s in stmt.block],
            None if stmt.block_span is None else _plain_span(stmt.block_span),
            None if stmt.source is None else _plain_value(stmt.source),
            None if stmt.target is None else _plain_value(stmt.target)]


def _list(data: Any, length: int | None = None) -> list:
    if type(data) is not list or (length is not None and len(data) != length):
        raise ValueError("not the list expected")
    return data


def _str(data: Any) -> str:
    if type(data) is not str:
        raise ValueError("not a string")
    return data


def _span(file: str, data: Any) -> Span:
    # the checks written out: this runs for every token of every file read from the cache
    if type(data) is not list or len(data) != 4:
        raise ValueError("not a place")
    line, column, end_line, end_column = data
    if type(line) is not int or type(column) is not int or type(end_line) is not int or type(end_column) is not int:
        raise ValueError("not a place")
    return span_of(file, line, column, end_line, end_column)


def _value(file: str, data: Any) -> Value:
    kind, raw, text, span = _list(data, 4)
    kind = _str(kind)
    if kind == "list":
        converted: Any = [_value(file, item) for item in _list(raw)]
    elif kind in ("range", "scoped"):
        low, high = _list(raw, 2)
        if not (isinstance(low, SCALARS) and isinstance(high, SCALARS)) or isinstance(low, bool):
            raise ValueError("not a pair")
        converted = (low, high)
    elif isinstance(raw, SCALARS) and not isinstance(raw, bool):
        converted = raw
    else:
        raise ValueError("not a value")
    return value_of(kind, converted, _str(text), _span(file, span))


def _stmt(file: str, data: Any) -> Stmt:
    keyword, keyword_span, values, span, block, block_span, source, target = _list(data, 8)
    return Stmt(keyword=_str(keyword), keyword_span=_span(file, keyword_span),
                values=[_value(file, v) for v in _list(values)], span=_span(file, span),
                block=None if block is None else [_stmt(file, s) for s in _list(block)],
                block_span=None if block_span is None else _span(file, block_span),
                source=None if source is None else _value(file, source),
                target=None if target is None else _value(file, target))
