"""Files to a workspace: reading each file once, following imports, refusing what may not
be read; the references between elements are resolved by `references`.

The spec root is the folder given on the command line (or the folder of the file
given); nothing outside it is ever read, even through a symlink.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import answers, model, policy
from ..diagnostics import (
    Finding,
    Span,
    structure_finding,
)
from ..fsutil import Unreadable, files_below, read_regular
from ..graph import condensed
from .build import Builder
from .constraints import check_constraints
from .parser import ArchSyntaxError, parse
from .pieces import Kept, parse_in_pieces
from .references import resolve

if TYPE_CHECKING:
    from .cache import ParseCache

SUFFIX = ".arch"


@dataclass
class _File:
    display: str  # the path as the user would write it
    real: Path
    imports: list[tuple[Path, Span]] = field(default_factory=list)  # (real path, span)


def display_path(path: Path) -> str:
    """A path as findings show it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def discover(path: Path) -> tuple[Path, list[Path]]:
    """The spec root and the entry files for one command-line path.

    A folder is walked without following symlinked folders (a link loop cannot trap the
    walk, a link cannot lead it outside the root) and without entering hidden folders;
    every non-folder entry named `*.arch` is an entry, to be admitted or refused by the
    loader (a symlink to a file inside the root is read, anything else is reported)."""
    if path.is_dir():
        found = files_below(path, SUFFIX)
        answers.note_listing(path, found)
        return path, found
    return path.parent, [path]


@dataclass
class Loaded:
    """What loading one spec root found: the systems (references resolved), the files read and
    their text, and the problems; the stage above completes them into a workspace."""

    root: str
    files: list[str]
    systems: list[model.System]
    findings: list[Finding]
    sources: dict[str, str]
    policies: list[policy.Constraint] = field(default_factory=list)  # shared at the top of a file


class Loader:
    """Loads one spec root: each file once, imports followed, references resolved."""

    def __init__(self, root: Path, texts: dict[Path, str] | None = None,
                 parsed: dict[tuple[str, str], list] | None = None, store: ParseCache | None = None,
                 pieces: dict[str, Kept] | None = None):
        self.root = root
        self.texts = texts or {}  # in-memory sources by real path, for `archdsl.loads`
        # (display path, text) -> statements, kept by a caller that loads the same root again and
        # again (the language server): an unchanged file is not parsed twice
        self.parsed = parsed
        self.store = store  # the parse cache on the disk (`archdsl` commands), else None
        # display path -> the pieces of its last text (the language server: an edit parses the
        # pieces it changed, `pieces.parse_in_pieces`)
        self.pieces = pieces
        self.real_root = root.resolve()
        self.findings: list[Finding] = []
        self.files: dict[Path, _File] = {}
        self.systems: list[model.System] = []
        self.policies: list[tuple[Path, policy.Constraint]] = []  # (the file's real path, a shared constraint)
        self.sources: dict[str, str] = {}  # display path -> the text read: reporters quote only this

    def report(self, code: str, message: str, span: Span, hint: str = "", **extra) -> None:
        self.findings.append(structure_finding(code, message, span, hint, **extra))

    # -- reading

    def load(self, entries: list[Path]) -> Loaded:
        """Read the entries and what they import; every reference resolved, every problem found."""
        queue = []
        for entry in entries:
            display = display_path(entry)
            real = self._admit(entry, display, None)
            if real is not None:
                queue.append((real, display))
        while queue:
            real, display = queue.pop(0)
            if real in self.files:
                continue
            record = _File(display, real)
            self.files[real] = record
            for target, span, shown in self._load_file(record):
                record.imports.append((target, span))
                if target not in self.files:
                    queue.append((target, shown))
        self._check_cycles()
        systems = sorted(self.systems, key=lambda s: (s.file, s.span.line))
        resolve(systems, self.findings)
        policies = self._share_policies(systems)
        check_constraints(policies, systems, self.report)
        return Loaded(root=display_path(self.root) if self.root != Path(".") else ".",
                      files=sorted(f.display for f in self.files.values()), systems=systems,
                      findings=self.findings, sources=self.sources, policies=policies)

    def _admit(self, path: Path, display: str, span: Span | None) -> Path | None:
        """The real path of a spec file if it may be read: inside the root, a regular .arch file."""
        where = span or Span.point(display, 1, 1)
        answers.note_place(path)
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
            self.report("AD109", f"'{display}' cannot be resolved: {getattr(exc, 'strerror', None) or exc}",
                        where)
            return None
        if real in self.texts:
            return real
        if not real.is_relative_to(self.real_root):
            if self.real_root.suffix == SUFFIX and not self.real_root.is_dir():  # a document on its own
                self.report("AD104", "an import is not followed in a document checked on its own", where,
                            "an editor's unsaved document, or one in the home folder or `/`, reads no other "
                            "file: save it in a project's folder to follow its imports")
                return None
            self.report("AD104", f"'{display}' resolves outside the spec root", where,
                        f"keep every spec and import inside {display_path(self.root) or '.'}")
            return None
        try:
            exists, regular = real.exists(), real.is_file()
        except OSError as exc:  # a name too long for the file system, say
            self.report("AD109", f"'{display[:200]}' cannot be read: {exc.strerror or exc}", where)
            return None
        if not exists:
            loop = _symlink_loop(path)
            if loop:
                self.report("AD109", f"'{display}' cannot be resolved: {loop}", where)
            else:
                self.report("AD110", f"'{display}' does not exist", where,
                            "imports are relative to the importing file")
            return None
        if not regular:
            self.report("AD104", f"'{display}' is not a regular file", where,
                        f"only regular {SUFFIX} files are read: never a folder, FIFO, device or socket")
            return None
        if real.suffix != SUFFIX:
            self.report("AD104", f"'{display}' is not a {SUFFIX} file", where,
                        f"only regular {SUFFIX} files can be imported")
            return None
        return real

    def admit(self, entries: list[Path]) -> list[tuple[str, Path]]:
        """(display path, real path) of each entry that may be read, as `load` would admit it;
        the refused ones are reported on `findings`."""
        admitted = []
        for entry in entries:
            display = display_path(entry)
            real = self._admit(entry, display, None)
            if real is not None:
                admitted.append((display, real))
        return admitted

    def _statements(self, display: str, text: str) -> list | None:
        """A file's statements: kept from an earlier load, else from the parse cache, else parsed
        (None, and the syntax error reported, when the text does not parse)."""
        stmts = self.parsed.get((display, text)) if self.parsed is not None else None
        if stmts is None and self.store is not None:
            stmts = self.store.get(display, text)
        if stmts is None:
            try:
                stmts = (parse(text, display) if self.pieces is None
                         else parse_in_pieces(text, display, self.pieces.setdefault(display, {})))
            except ArchSyntaxError as exc:
                self.findings.append(exc.finding)
                return None
            if self.store is not None:
                self.store.put(display, text, stmts)
        if self.parsed is not None:
            self.parsed[(display, text)] = stmts
        return stmts

    def _load_file(self, record: _File):
        """Parse and build one file; yield (real path, span, display) of each admitted import."""
        text = self._read(record)
        if text is None:
            return
        stmts = self._statements(record.display, text)
        if stmts is None:
            return
        builder = Builder(record.display)
        systems = builder.file_body(stmts)
        self.findings.extend(builder.findings)
        self.systems.extend(systems)
        self.policies.extend((record.real, p) for p in builder.policies)
        if not systems and not builder.imports and not builder.policies and not any(
            f.span.file == record.display and f.code in ("AD107", "AD108") for f in builder.findings
        ):
            self.report("AD106", "the file describes no system", Span.point(record.display, 1, 1),
                        'add: system my-system "My system" { … }')
        base = Path(record.display).parent
        for target, span in builder.imports:
            shown = os.path.normpath(base / target)
            real = self._admit(record.real.parent / target, shown, span)
            if real is not None:
                yield real, span, shown

    def _read(self, record: _File) -> str | None:
        where = Span.point(record.display, 1, 1)
        if record.real in self.texts:
            self.sources[record.display] = self.texts[record.real]
            return self.texts[record.real]
        try:
            data = read_regular(record.real)
        except Unreadable as exc:
            answers.note_file(record.real, None, str(exc))
            self.report("AD109", str(exc), where)
            return None
        answers.note_file(record.real, data)
        if not data.strip():
            self.report("AD109", "the file is empty", where, 'add: system my-system "My system" { … }')
            return None
        if b"\x00" in data:
            line, column = _position(data, data.index(b"\x00"))
            self.report("AD109", "the file holds a NUL byte: is it a binary file?",
                        Span.point(record.display, line, column))
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _position(data, exc.start)
            self.report("AD109", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                        Span.point(record.display, line, column), "save the file as UTF-8")
            return None
        text = text.removeprefix("\ufeff")
        self.sources[record.display] = text
        return text

    # -- imports

    def _share_policies(self, systems: list[model.System]) -> list[policy.Constraint]:
        """The constraints written at the top of a file, each told the systems it holds for: those
        of the file itself and of every file that imports it, directly or through other imports."""
        if not self.policies:
            return []
        importers: dict[Path, list[Path]] = {}
        for real, record in self.files.items():
            for target, _ in record.imports:
                importers.setdefault(target, []).append(real)
        by_file: dict[str, list[str]] = {}
        for system in systems:
            by_file.setdefault(system.file, []).append(system.id)
        reach: dict[Path, list[str]] = {}
        shared = []
        for real, constraint in self.policies:
            if real not in reach:  # a walk up the imports, once a policy file
                seen, stack = {real}, [real]
                while stack:
                    for importer in importers.get(stack.pop(), ()):
                        if importer not in seen:
                            seen.add(importer)
                            stack.append(importer)
                reach[real] = sorted({sid for f in seen for sid in by_file.get(self.files[f].display, ())})
            constraint.applies_to = reach[real]
            shared.append(constraint)
        return shared

    def _check_cycles(self) -> None:
        """Report each import cycle once, at the import that closes it."""
        successors: dict[Path, list[Path]] = {real: [] for real in self.files}
        spans = {}
        for record in self.files.values():
            for target, span in record.imports:
                successors[record.real].append(target)
                successors.setdefault(target, [])
                spans[(record.real, target)] = span
        sets, _ = condensed(successors)
        for members in sorted(sets, key=sorted):
            start = min(members)
            if len(members) == 1 and start not in successors[start]:
                continue
            chain = _cycle(start, set(members), successors)
            shown = [self.files[a].display for a in chain]
            self.report("AD103", "import cycle: " + " → ".join(shown), spans[(chain[-2], chain[-1])],
                        "break the cycle: move what both files need into a third file")


def _cycle(start: Path, members: set[Path], successors: dict[Path, list[Path]]) -> list[Path]:
    """A path from `start` back to itself inside one strongly connected set (first choices first)."""
    path, seen = [start], {start}
    edges = [iter(successors[start])]
    while edges:
        for target in edges[-1]:
            if target == start:
                return [*path, start]
            if target in members and target not in seen:
                seen.add(target)
                path.append(target)
                edges.append(iter(successors[target]))
                break
        else:
            edges.pop()
            path.pop()
    raise AssertionError("a strongly connected set always has a cycle through each member")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def _symlink_loop(path: Path) -> str:
    """Why `path` cannot be resolved when a symlink loop is the reason, else "". (Python 3.11
    raises on a loop when resolving leniently; 3.13 returns the path as it stands.)"""
    try:
        path.resolve(strict=True)
    except RuntimeError as exc:
        return str(exc)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return exc.strerror or str(exc)
    return ""
