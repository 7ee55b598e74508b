"""Spec files to checked-ready workspaces: loading (parse, then resolve each component's
state), loading several roots as one for comparison, and reading specs as they were at a git
revision. Every command and the public API load through here.
"""

from __future__ import annotations

import os
from pathlib import Path

from .analysis.states import resolve_states
from .config import Settings, parse_settings, settings_table
from .errors import ConfigError, SpecError
from .fsutil import MAX_SPEC_BYTES
from .graph import build_graph
from .model import Workspace
from .parsing.loader import Loaded, Loader, discover


def load(path, *, strict: bool = True) -> Workspace:
    """A spec file or folder (every `*.arch` below it) as a workspace; with `strict`, a spec
    with error-level problems raises `SpecError` carrying the findings. Files parsed before are
    read from the spec root's parse cache when the command line turned it on (`parsing.cache`)."""
    # lazy: its hashing and JSON load only when a spec is loaded
    from .parsing.cache import for_root

    root, entries = discover(Path(path))
    if not entries and not Path(path).exists():
        raise ConfigError(f"{path}: no such file or folder")
    return _finish(Loader(root, store=for_root(root) if entries else None).load(entries), strict)


def loads(text: str, *, filename: str = "<string>.arch", strict: bool = True) -> Workspace:
    """A spec from text; its imports are resolved from the working folder."""
    entry = Path(filename)
    return _finish(Loader(Path("."), texts={entry.resolve(): text}).load([entry]), strict)


def load_open(root: Path, entries: list[Path], texts: dict[Path, str],
              parsed: dict[tuple[str, str], list] | None = None, pieces: dict | None = None) -> Workspace:
    """A spec root as an editor sees it: the files in `texts` (by real path) as they are open,
    unsaved edits included, the others from the disk. Problems are findings, never raised.
    `parsed` keeps each file's statements between loads, so only changed files are parsed, and
    `pieces` the pieces of each, so that only the changed pieces of a changed file are."""
    return _finish(Loader(root, texts=texts, parsed=parsed, pieces=pieces).load(entries), strict=False)


def _finish(loaded: Loaded, strict: bool) -> Workspace:
    """The workspace of what was loaded, built once and complete: every component's state set
    first, the graph built by `graph.build_graph` when first asked for."""
    resolve_states(loaded.systems)
    workspace = Workspace.complete(root=loaded.root, files=loaded.files, systems=loaded.systems,
                                   findings=loaded.findings, sources=loaded.sources, graph=build_graph,
                                   policies=loaded.policies)
    if strict and workspace.errors:
        raise SpecError(workspace.errors)
    return workspace


def _git(args: list[str], cwd: Path) -> bytes:
    import subprocess  # only `diff` against a revision runs git

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        raise ConfigError(f"git {' '.join(args[:2])}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def snapshot(rev: str, paths: list[Path], dest: Path) -> list[Path]:
    """The `.arch` files under `paths` as they were at `rev`, written below `dest`; the paths there."""
    start = paths[0].resolve() if paths else Path.cwd()
    top = Path(_git(["rev-parse", "--show-toplevel"], start if start.is_dir() else start.parent).decode().strip())
    _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    mapped = []
    for path in paths or [Path(".")]:
        if not path.resolve().is_relative_to(top):
            raise ConfigError(f"{path} is outside the git repository at {top}")
        rel = path.resolve().relative_to(top).as_posix() if path.resolve() != top else "."
        listing = _git(["ls-tree", "-r", "-z", rev, "--", rel], top).decode("utf-8", "surrogateescape")
        for entry in filter(None, listing.split("\0")):
            mode, _, name = entry.partition("\t")
            if not name.endswith(".arch") or not mode.startswith(("100644 ", "100755 ")):
                continue  # a symlink or a submodule is never a spec of the revision
            _write_blob(dest, name, _git(["show", f"{rev}:{name}"], top), rev)
        where = dest / rel
        if path.suffix == ".arch" and not where.exists():
            where.parent.mkdir(parents=True, exist_ok=True)
        mapped.append(where)
    return mapped


def settings_at(rev: str, start: Path) -> tuple[str, str] | None:
    """The nearest pyproject.toml at or above `start` as it was at git revision `rev`: (where,
    its text), or None. A pull request's settings never decide how it is checked: the base's do."""
    here = start.resolve()
    folder = here if here.is_dir() else here.parent
    top = Path(_git(["rev-parse", "--show-toplevel"], folder if folder.is_dir() else Path.cwd()).decode().strip())
    if not folder.is_relative_to(top):
        raise ConfigError(f"{start} is outside the git repository at {top}")
    for candidate in (folder, *folder.parents):
        if not candidate.is_relative_to(top):
            break
        name = (candidate / "pyproject.toml").relative_to(top).as_posix()
        kind = _git_quiet(["cat-file", "-t", f"{rev}:{name}"], top)
        if kind is None:
            continue
        if kind.strip() != b"blob":
            raise ConfigError(f"{rev}:{name} is not a file")
        size = int(_git(["cat-file", "-s", f"{rev}:{name}"], top))
        if size > MAX_SPEC_BYTES:
            raise ConfigError(f"{rev}:{name}: the file is over the {MAX_SPEC_BYTES // (1 << 20)} MB limit")
        try:
            return f"{rev}:{name}", _git(["show", f"{rev}:{name}"], top).decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{rev}:{name}: not valid UTF-8") from None
    return None


def settings_as_of(rev: str, path: Path) -> Settings:
    """The settings of the specs at `path` as they were at git revision `rev` (`check
    --settings-from`): the defaults where there was no pyproject.toml."""
    found = settings_at(rev, path)
    if found is None:
        return Settings()
    source, text = found
    return parse_settings(settings_table(text, source), source)


def _git_quiet(args: list[str], cwd: Path) -> bytes | None:
    """A git command's output, or None when it fails (a path a revision does not have)."""
    try:
        return _git(args, cwd)
    except ConfigError:
        return None


def _write_blob(dest: Path, name: str, data: bytes, rev: str) -> None:
    """Write one file of a revision below `dest`, or refuse: git stores tree entries named `..`
    (it only refuses to check them out), so a crafted branch could name a file outside `dest`."""
    parts = name.split("/")
    odd = ("\\", ":") if os.name == "nt" else ("\\",)  # what else would leave the folder on Windows
    if any(part in ("", ".", "..") or any(ch in part for ch in odd) for part in parts):
        raise ConfigError(f"refusing to read {rev}: its tree has a file named {name!r}, which leaves its folder")
    target = dest.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.resolve().is_relative_to(dest.resolve()):
        raise ConfigError(f"refusing to read {rev}: {name!r} would be written outside {dest}")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_BINARY", 0), 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def load_many(paths: list[Path]):
    """One workspace for several paths (each its own root), merged for comparison."""

    systems, files, findings = [], [], []
    for path in paths:
        if not path.exists():
            continue  # a path that did not exist in the base: everything in it is new
        ws = load(path, strict=False)
        systems += ws.systems
        files += ws.files
        findings += ws.findings
    return Workspace.complete(root=".", files=files, systems=systems, findings=findings, sources={},
                              graph=build_graph)
