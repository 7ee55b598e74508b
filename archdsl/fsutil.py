"""Reading only what is safe to read, and writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import ConfigError

MAX_SPEC_BYTES = 10 * 1024 * 1024  # a spec, baseline or settings file above this is refused
_MB = 1024 * 1024
# Flags that not every platform has: no FIFO to block on and no binary mode to ask for on
# Windows, where os.open would otherwise translate line endings.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_WRITE_FLAGS = os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class Unreadable(Exception):
    """A file that may not or cannot be read, with why, in words for a finding or an error."""


def read_regular(path: Path, limit: int = MAX_SPEC_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Never blocks on a FIFO (opened non-blocking, then refused), never reads a device or a
    socket, and never reads more than `limit` bytes, whatever the file claims its size is.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise Unreadable(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a device, FIFO or socket is never read)")
        if info.st_size > limit:
            raise Unreadable(f"the file is {info.st_size / _MB:.1f} MB, over the {limit / _MB:g} MB limit")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Unreadable(f"the file is over the {limit / _MB:g} MB limit")
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def swap_folder(new: Path, output: Path) -> None:
    """Put the folder `new` where `output` is: the old one leaves only once the new one is in
    place (and comes back if it cannot be)."""
    if not output.exists():
        os.replace(new, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.replace(output, old / output.name)
    try:
        os.replace(new, output)
    except OSError:
        os.replace(old / output.name, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def read_text_file(path: Path, what: str | None = None, limit: int = MAX_SPEC_BYTES, *, shown: str | None = None,
                   bom: bool = False) -> str:
    """A UTF-8 file named on the command line (a baseline, settings, another tool's model), or a
    ConfigError naming it as `shown` (else its path), then `what` it should have been; with
    `bom` a UTF-8 byte-order mark (as Windows editors write) is read past."""
    where = f"{shown or path}: {what}: " if what else f"{shown or path}: "
    try:
        return read_regular(path, limit).decode("utf-8-sig" if bom else "utf-8")
    except Unreadable as exc:
        raise ConfigError(f"{where}{exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}not valid UTF-8 (byte {exc.start})") from None


def atomic_write_text(path: Path, text: str, *, newline: str | None = None, within: Path | None = None) -> None:
    """Write `text` (UTF-8) atomically; see `atomic_write_bytes`."""
    if newline is not None:
        text = text.replace("\n", newline)
    atomic_write_bytes(path, text.encode("utf-8"), within=within)


def atomic_write_bytes(path: Path, data: bytes, *, within: Path | None = None) -> None:
    """Write `data` to a temporary file beside `path`, then replace `path` with it.

    An existing file keeps its mode. A target that is not a regular file (a pipe, a terminal,
    `/dev/stdout`, a device) is written in place, as every Unix tool does, never replaced by a
    file. An output must stay in the folder it was asked to be in (`within`, else the folder of
    `path`): a symlink that leads out of it is refused, never written through (a pull request
    can commit `report.sarif` as a link to a file of the machine that runs the check); one that
    stays inside is written through to its target.
    """
    _stays_inside(path, within)
    try:
        _write(path, data)
    except OSError as exc:  # name the file the user gave, not a temporary one
        raise OSError(exc.errno, f"cannot write: {exc.strerror or exc}", str(path)) from None


def _stays_inside(path: Path, within: Path | None) -> None:
    """Refuse (ConfigError) an output whose real place is outside the folder it was asked for."""
    if _special(path):
        return  # a pipe, a terminal, a device: written in place, never replaced
    folder = Path(os.path.realpath(within if within is not None else path.parent))
    target = Path(os.path.realpath(path))
    if target == folder or folder in target.parents:
        return
    how = "is a symbolic link to" if os.path.islink(path) else "leads, through a symbolic link, to"
    raise ConfigError(f"{path} {how} {target}, outside {folder}: not written "
                      "(remove the link, or choose another output)")


def _write(path: Path, data: bytes) -> None:
    target = Path(os.path.realpath(path))
    if _special(path):
        fd = os.open(path, _WRITE_FLAGS)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # what a plain open() would have given a new file
    _swap_in(target, data, mode)


def _swap_in(target: Path, data: bytes, mode: int, before=None) -> None:
    """Write `data` to a temporary file beside `target` with `mode`, call `before()` (which may
    refuse by raising), then rename it over `target`; the temporary file never outlives a failure."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        if before is not None:
            before()
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _special(path) -> bool:
    """Whether `path` names something that is not a regular file and must not be replaced."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


def _holds(path: Path, expected: bytes) -> bool:
    """Whether the file still holds exactly `expected` (one that grew past it does not)."""
    try:
        return read_regular(path, len(expected)) == expected
    except Unreadable:
        return False


def replace_unchanged(path: Path, expected: bytes, data: bytes) -> None:
    """Put `data` in the file at `path`, which must still hold `expected`.

    Refuses (`Unreadable`) a read-only file and a file that changed since it was read (a line
    appended meanwhile is never lost). A file with several hard links is rewritten in place,
    so every link sees the new text; any other is replaced atomically."""
    info = os.stat(path)
    if not os.access(path, os.W_OK) or not info.st_mode & 0o222:
        raise Unreadable("the file is read-only: not formatted")
    if info.st_nlink > 1:
        with open(path, "r+b") as handle:
            if handle.read(len(expected) + 1) != expected:
                raise Unreadable("the file changed while it was formatted: not written")
            handle.seek(0)
            handle.write(data)
            handle.truncate()
        return

    def unchanged() -> None:
        if not _holds(path, expected):
            raise Unreadable("the file changed while it was formatted: not written")

    _swap_in(path, data, info.st_mode & 0o7777, unchanged)


def files_below(folder: Path, suffix: str) -> list[Path]:
    """Every non-folder entry named `*suffix` below `folder`, sorted: the walk follows no
    symlinked folder (a link loop cannot trap it, a link cannot lead it outside) and enters no
    hidden folder."""
    found = []
    for here, dirs, names in os.walk(folder, followlinks=False, onerror=lambda exc: None):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(here, d)))
        found += [Path(here) / n for n in names if n.endswith(suffix)]
    return sorted(found)


def nearest(start: Path, name: str) -> Path | None:
    """The nearest entry called `name` (whatever it is) in `start`'s folder or one above it."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / name
        if os.path.lexists(candidate):
            return candidate
    return None
