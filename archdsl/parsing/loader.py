"""Files to a workspace: reading, imports, reference resolution and structural checks.

The spec root is the folder given on the command line (or the folder of the file
given); nothing outside it is ever read, even through a symlink.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import model as m
from ..diagnostics import (
    Finding,
    Severity,
    Span,
    Suggester,
    did_you_mean,
    structure_finding,
)
from ..fsutil import Unreadable, read_regular
from .build import Builder
from .parser import ArchSyntaxError, parse

SUFFIX = ".arch"


@dataclass
class _File:
    display: str  # the path as the user would write it
    real: Path
    imports: list[tuple[str, Span]] = field(default_factory=list)  # (real path, span)


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
        found = []
        for folder, dirs, names in os.walk(path, followlinks=False, onerror=lambda exc: None):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
            found += [Path(folder) / n for n in names if n.endswith(SUFFIX)]
        return path, sorted(found)
    return path.parent, [path]


class Loader:
    """Loads one spec root: each file once, imports followed, references resolved."""

    def __init__(self, root: Path, texts: dict[Path, str] | None = None):
        self.root = root
        self.texts = texts or {}  # in-memory sources by real path, for `archdsl.loads`
        self.real_root = root.resolve()
        self.findings: list[Finding] = []
        self.files: dict[Path, _File] = {}
        self.systems: list[m.System] = []
        self.sources: dict[str, str] = {}  # display path -> the text read: reporters quote only this

    def report(self, code: str, message: str, span: Span, hint: str = "", **extra) -> None:
        self.findings.append(structure_finding(code, message, span, hint, **extra))

    # -- reading

    def load(self, entries: list[Path]) -> m.Workspace:
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
        workspace = m.Workspace(
            root=display_path(self.root) if self.root != Path(".") else ".",
            files=sorted(f.display for f in self.files.values()),
            systems=sorted(self.systems, key=lambda s: (s.file, s.span.line)),
        )
        resolve(workspace, self.findings)
        workspace._findings = sorted(self.findings, key=lambda f: f.sort_key)
        workspace._sources = self.sources
        return workspace

    def _admit(self, path: Path, display: str, span: Span | None) -> Path | None:
        """The real path of a spec file if it may be read: inside the root, a regular .arch file."""
        where = span or Span.point(display, 1, 1)
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
            self.report("AD109", f"'{display}' cannot be resolved: {getattr(exc, 'strerror', None) or exc}",
                        where)
            return None
        if real in self.texts:
            return real
        if not real.is_relative_to(self.real_root):
            self.report("AD104", f"'{display}' resolves outside the spec root", where,
                        f"keep every spec and import inside {display_path(self.root) or '.'}")
            return None
        try:
            exists, regular = real.exists(), real.is_file()
        except OSError as exc:  # a name too long for the file system, say
            self.report("AD109", f"'{display[:200]}' cannot be read: {exc.strerror or exc}", where)
            return None
        if not exists:
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

    def _load_file(self, record: _File):
        """Parse and build one file; yield (real path, span, display) of each admitted import."""
        text = self._read(record)
        if text is None:
            return
        try:
            stmts = parse(text, record.display)
        except ArchSyntaxError as exc:
            self.findings.append(exc.finding)
            return
        builder = Builder(record.display)
        systems = builder.file_body(stmts)
        self.findings.extend(builder.findings)
        self.systems.extend(systems)
        if not systems and not builder.imports and not any(
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
            self.report("AD109", str(exc), where)
            return None
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

    def _check_cycles(self) -> None:
        """Report each import cycle once, at the import that closes it."""
        import networkx as nx

        graph = nx.DiGraph()
        spans = {}
        for record in self.files.values():
            graph.add_node(record.real)
            for target, span in record.imports:
                graph.add_edge(record.real, target)
                spans[(record.real, target)] = span
        for component in sorted(nx.strongly_connected_components(graph), key=lambda c: sorted(c)):
            start = min(component)
            if len(component) == 1 and not graph.has_edge(start, start):
                continue
            cycle = nx.find_cycle(graph.subgraph(component), source=start)
            chain = [self.files[a].display for a, _ in cycle] + [self.files[cycle[0][0]].display]
            last = cycle[-1]
            self.report("AD103", "import cycle: " + " → ".join(chain), spans[last],
                        "break the cycle: move what both files need into a third file")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


# ---------------------------------------------------------------- resolution


def resolve(workspace: m.Workspace, findings: list[Finding]) -> None:
    """Qualify references, report duplicates and unknown ids, set effective states."""

    def report(code, message, span, hint="", **extra):
        findings.append(structure_finding(code, message, span, hint, **extra))

    seen_systems: dict[str, m.System] = {}
    for system in workspace.systems:
        first = seen_systems.get(system.id)
        if first:
            report("AD102", f"duplicate system id '{system.id}' (first at {first.span_of('id')})",
                   system.span_of("id"), "give each system its own id", element=system.id,
                   related=(first.span_of("id"),))
        else:
            seen_systems[system.id] = system

    # every system's elements, so that `other.id` resolves across systems
    elements: dict[str, dict[str, m.Element]] = {}
    for system in seen_systems.values():
        elements[system.id] = _index(system, report)

    suggest_system = Suggester(elements)
    suggesters: dict[str, Suggester] = {}  # built once per system, on its first unknown name

    def suggest(system_id: str, word: str) -> str:
        if system_id not in suggesters:
            suggesters[system_id] = Suggester(elements[system_id])
        return suggesters[system_id](word)

    for system in seen_systems.values():

        def lookup(text: str, span: Span, what: str) -> str | None:
            sys_id, _, elem = text.rpartition(".")
            scope = elements.get(sys_id or system.id)
            if scope is not None and elem in scope:
                return scope[elem].qid
            if sys_id and scope is None:
                report("AD101", f"unknown system '{sys_id}' in {what} '{text}'", span,
                       suggest_system(sys_id), element=system.id)
            else:
                report("AD101", f"unknown {what} '{text}'", span,
                       suggest(sys_id if scope is not None and sys_id else system.id, elem),
                       element=system.id)
            return None

        resolved = []
        for relation in system.relations:
            source = lookup(relation.source, relation.source_span, "element")
            target = lookup(relation.target, relation.target_span, "element")
            if source and source == target:
                report("AD105", f"'{relation.source}' has a relation to itself", relation.span,
                       "a component's calls to itself are not relations: remove it",
                       element=source)
            elif source and target:
                relation.source, relation.target = source, target
                resolved.append(relation)
        system.relations = resolved  # the graph holds only relations between known elements

        for component in system.components:
            for keep in component.keeps:
                if not keep.local:
                    keep.target = lookup(keep.where, keep.span_of("where"), "component")
        for migration in system.migrations:
            for attr in ("source", "target"):
                value = getattr(migration, attr)
                if value is not None:
                    setattr(migration, attr, lookup(value, migration.span_of(attr), "component"))
        for view in system.views:
            for kind in ("include", "exclude"):
                for item in getattr(view, kind):
                    span = view.spans.get(f"{kind}:{item}", view.span)
                    if item.startswith("layer:"):
                        if system.layer(item[6:]) is None:
                            report("AD101", f"unknown layer '{item[6:]}' in view '{view.id}'", span,
                                   did_you_mean(item[6:], [layer.id for layer in system.layers]))
                    else:
                        lookup(item, span, "element")

        if not system.components:
            report("AD111", f"system '{system.id}' has no components", system.span_of("id"),
                   "add the components it is made of", element=system.id,
                   severity=Severity.WARNING)


def _index(system: m.System, report) -> dict[str, m.Element]:
    """Components and actors share one namespace per system; layers and records have theirs."""
    found: dict[str, m.Element] = {}
    for element in [*system.actors, *system.components]:
        _unique(found, element, "element", report)
    for group, what in ((system.layers, "layer"), (system.decisions, "decision"),
                        (system.migrations, "migration"), (system.views, "view")):
        names: dict[str, m.Element] = {}
        for element in group:
            _unique(names, element, what, report)
    return found


def _unique(names: dict, element: m.Element, what: str, report) -> None:
    first = names.get(element.id)
    if first is None:
        names[element.id] = element
        return
    report("AD102", f"duplicate {what} id '{element.id}' (first at {first.span_of('id')})",
           element.span_of("id"), f"rename one of the two {what}s", element=element.qid,
           related=(first.span_of("id"),))
