"""What archdsl's two caches share (a spec root's parse cache, `parsing.cache`, and the kept
answers of `archdsl check`, `answers`): this user's secret, entries sealed with a MAC made with
it, and files written whole.

A repository can commit a cache folder, and a cache folder can be damaged: an entry is plain
data (never pickle or marshal, so that reading one runs nothing), named by a key and carrying a
MAC, both made with a secret that never leaves this user's cache folder
(`~/.cache/archdsl/cache-secret`). An entry that someone else wrote, or that the disk damaged,
does not open, and its reader treats it as a miss. Standard library only: the kept answers are
looked up before anything else of archdsl is loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
from pathlib import Path

from .environment import cache_home
from .fsutil import Unreadable, read_regular

SECRET_BYTES = 32
TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
       "# This file is a cache directory tag created by archdsl.\n"
       "# For information about cache directory tags see https://bford.info/cachedir/\n")


def secret() -> bytes | None:
    """This user's key for the caches' names and MACs, made on first use; None when there is no
    place to keep it (then nothing is cached)."""
    path = Path(cache_home()) / "archdsl" / "cache-secret"
    try:
        data = read_regular(path, 1024)
        if len(data) >= SECRET_BYTES:
            return data
    except Unreadable:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path.parent, path.name, os.urandom(SECRET_BYTES), exclusive=True)
        data = read_regular(path, 1024)  # the one written, or the one another process wrote first
    except (OSError, Unreadable):
        return None
    return data if len(data) >= SECRET_BYTES else None


def name(key: bytes, *parts: bytes) -> str:
    """An entry's name: a MAC of what it is for, so that nobody without the secret can name one."""
    digest = hmac.new(key, b"", hashlib.sha256)
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def sealed(key: bytes, entry: str, payload: bytes) -> bytes:
    """An entry's bytes: the MAC of its name and payload, a newline, the payload."""
    return hmac.new(key, entry.encode() + payload, hashlib.sha256).hexdigest().encode() + b"\n" + payload


def opened(key: bytes, entry: str, data: bytes) -> bytes | None:
    """The payload of an entry's bytes, or None when its MAC does not verify."""
    mac, _, payload = data.partition(b"\n")
    expected = hmac.new(key, entry.encode() + payload, hashlib.sha256).hexdigest().encode()
    return payload if hmac.compare_digest(mac, expected) else None


def mark(folder: Path) -> None:
    """A new cache folder says what it is: to backup tools (CACHEDIR.TAG) and to git (ignore all)."""
    try:
        write_whole(folder, "CACHEDIR.TAG", TAG.encode(), shared=True)
        write_whole(folder, ".gitignore", b"# created by archdsl: a cache, never committed\n*\n", shared=True)
    except OSError:
        pass


def write_whole(folder: Path, entry: str, data: bytes, exclusive: bool = False, shared: bool = False) -> None:
    """`data` as `folder/entry`, whole or not at all: written beside it, then renamed into place
    (or linked, with `exclusive`, so that an existing file is kept). Readable by this user only,
    unless `shared` (a folder's tag and .gitignore)."""
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if shared:
            os.chmod(temporary, 0o644)
        if exclusive:
            try:
                os.link(temporary, folder / entry)
            except FileExistsError:
                pass
        else:
            os.replace(temporary, folder / entry)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
