"""Spec files to checked-ready workspaces: loading (parse, then resolve each component's
state), loading several roots as one for comparison, and reading specs as they were at a git
revision. Every command and the public API load through here.
"""

from __future__ import annotations

from pathlib import Path

from .analysis.states import resolve_states
from .errors import ConfigError, SpecError
from .model import Workspace
from .parsing.loader import Loader, discover


def load(path, *, strict: bool = True) -> Workspace:
    """A spec file or folder (every `*.arch` below it) as a workspace; with `strict`, a spec
    with error-level problems raises `SpecError` carrying the findings."""
    root, entries = discover(Path(path))
    if not entries and not Path(path).exists():
        raise ConfigError(f"{path}: no such file or folder")
    return _finish(Loader(root).load(entries), strict)


def loads(text: str, *, filename: str = "<string>.arch", strict: bool = True) -> Workspace:
    """A spec from text; its imports are resolved from the working folder."""
    entry = Path(filename)
    return _finish(Loader(Path("."), texts={entry.resolve(): text}).load([entry]), strict)


def load_open(root: Path, entries: list[Path], texts: dict[Path, str],
              parsed: dict[tuple[str, str], list] | None = None) -> Workspace:
    """A spec root as an editor sees it: the files in `texts` (by real path) as they are open,
    unsaved edits included, the others from the disk. Problems are findings, never raised.
    `parsed` keeps each file's statements between loads, so only changed files are parsed."""
    return _finish(Loader(root, texts=texts, parsed=parsed).load(entries), strict=False)


def _finish(workspace: Workspace, strict: bool) -> Workspace:
    resolve_states(workspace)
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
        listing = _git(["ls-tree", "-r", "-z", "--name-only", rev, "--", rel], top).decode("utf-8")
        for name in filter(None, listing.split("\0")):
            if name.endswith(".arch"):
                target = dest / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_git(["show", f"{rev}:{name}"], top))
        where = dest / rel
        if path.suffix == ".arch" and not where.exists():
            where.parent.mkdir(parents=True, exist_ok=True)
        mapped.append(where)
    return mapped


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
    merged = Workspace(root=".", files=files, systems=systems)
    merged._findings = findings
    return merged
