"""`archdsl fmt`: one canonical layout for .arch files, every comment kept, the meaning unchanged.

The printer works on the parser's generic statements, so the author's order of elements is kept
and nothing is re-ordered or dropped.  Comments are collected by the lexer and attached to the
statements around them: *leading* (on lines of their own before a statement), *trailing* (after
a statement on its last line), *opening* (after a `{` on its line) and *dangling* (at the end
of a block).  The printer marks each comment it writes, and formatting fails, leaving the file
alone, if one were left over or if the result parsed into different statements.
"""

from __future__ import annotations

import bisect
import difflib
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Finding, Span, structure_finding
from .errors import ArchError, ExitCode
from .fsutil import Unreadable, read_regular, replace_unchanged
from .parsing.loader import Loader, discover
from .parsing.parser import ArchSyntaxError, Comment, Stmt, parse_with_comments
from .wording import plural

INDENT = "  "
WIDTH = 100  # a leaf block stays on one line only while the line fits
COMPACT_MAX = 4  # ... and holds at most this many statements
CONTAINERS = ("system", "layer", "decision", "migration")  # always one statement per line


class FormatError(ArchError):
    """The formatter would have changed the meaning of a file or lost a comment (a bug)."""


@dataclass
class _Attached:
    leading: dict[int, list[Comment]] = field(default_factory=dict)
    trailing: dict[int, list[Comment]] = field(default_factory=dict)
    opening: dict[int, list[Comment]] = field(default_factory=dict)
    dangling: dict[int, list[Comment]] = field(default_factory=dict)  # by id of the owner (0: the file)


def format_source(text: str, file: str = "<string>") -> str:
    """The canonical layout of `text` (raises ArchSyntaxError when it does not parse)."""
    eol = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    source = text.removeprefix("\ufeff").replace("\r\n", "\n")
    stmts, comments = parse_with_comments(source, file)
    comments = [Comment(c.text.rstrip("\r"), c.line, c.column, c.end_line, c.end_column) for c in comments]
    attached = _Attached()
    starts: dict = {}
    for comment in comments:
        _place(comment, stmts, 0, attached, starts)
    printer = _Printer(attached)
    lines = printer.body(stmts, "", 0, top=True)
    missing = [c for c in comments if id(c) not in printer.emitted]
    if missing:
        raise FormatError(f"{file}:{missing[0].line}: the formatter would lose a comment: {missing[0].text!r}")
    out = "\n".join(_align(lines)).rstrip("\n") + "\n"
    again, _ = parse_with_comments(out, file)
    if _shape(again) != _shape(stmts):
        raise FormatError(f"{file}: the formatted text would mean something else; the file is left as it is")
    return bom + out.replace("\n", eol)


# ---------------------------------------------------------------- attaching comments


def _before(c: Comment, line: int, column: int) -> bool:
    return (c.line, c.column) < (line, column)


def _place(c: Comment, body: list[Stmt], owner: int, at: _Attached, starts: dict | None = None) -> None:
    """Attach one comment to the statement it belongs to: a binary search over the body's
    statements (in source order, never overlapping), then into the block that holds it."""
    starts = {} if starts is None else starts
    if id(body) not in starts:
        starts[id(body)] = [(stmt.span.line, stmt.span.column) for stmt in body]
    k = bisect.bisect_right(starts[id(body)], (c.line, c.column))  # statements that start before it
    previous = body[k - 1] if k else None
    if previous is not None and _before(c, previous.span.end_line, previous.span.end_column):
        _place_inside(c, previous, at, starts)
    elif previous is not None and c.line == previous.span.end_line:
        at.trailing.setdefault(id(previous), []).append(c)  # `a; // about a` then b
    elif k < len(body):
        at.leading.setdefault(id(body[k]), []).append(c)
    else:
        at.dangling.setdefault(owner, []).append(c)


def _place_inside(c: Comment, stmt: Stmt, at: _Attached, starts: dict) -> None:
    """A comment within a statement's text: on its block's opening line, inside its block, or
    among its values (then it trails the statement)."""
    b = stmt.block_span
    if b is None or _before(c, b.line, b.column + 1) or not _before(c, b.end_line, b.end_column - 1):
        at.trailing.setdefault(id(stmt), []).append(c)
        return
    first = stmt.block[0].span if stmt.block else None
    if c.line == b.line and (first is None or c.line < first.line or _before(c, first.line, first.column)):
        at.opening.setdefault(id(stmt), []).append(c)
    else:
        _place(c, stmt.block or [], id(stmt), at, starts)


# ---------------------------------------------------------------- printing

_Line = tuple[str, str]  # (code, trailing comment); ("", "") is a blank line


class _Printer:
    def __init__(self, attached: _Attached):
        self.at = attached
        self.emitted: set[int] = set()

    def take(self, comments: list[Comment]) -> list[Comment]:
        for c in comments:
            self.emitted.add(id(c))
        return comments

    def body(self, stmts: list[Stmt], indent: str, owner: int, top: bool = False) -> list[_Line]:
        """The lines of a block's statements with their comments; blank lines kept where the
        author left them (one at most) and around expanded blocks."""
        out: list[_Line] = []
        previous_end = None
        previous_multiline = False
        for stmt in stmts:
            leading = self.take(self.at.leading.get(id(stmt), []))
            start = min([c.line for c in leading] + [stmt.span.line])
            printed = self.statement(stmt, indent)
            multiline = stmt.block is not None and len(printed) > 1  # an expanded block
            if out and (previous_multiline or multiline or (previous_end is not None and start - previous_end > 1)):
                out.append(("", ""))
            last_line = self.comments(out, leading, previous_end, indent)
            if leading and last_line is not None and stmt.span.line - last_line > 1:
                out.append(("", ""))
            out += printed
            trailing = self.at.trailing.get(id(stmt), [])
            previous_end = max([stmt.span.end_line] + [c.end_line for c in trailing])
            previous_multiline = multiline
        self.comments(out, self.take(self.at.dangling.get(owner, [])), previous_end, indent)
        return out

    @staticmethod
    def comments(out: list[_Line], comments: list[Comment], last_line: int | None, indent: str) -> int | None:
        """Comments on lines of their own, a blank line kept before one the author set apart;
        the last line they reach."""
        for c in comments:
            if last_line is not None and c.line - last_line > 1 and out and out[-1] != ("", ""):
                out.append(("", ""))
            out += [(indent + part, "") for part in c.text.split("\n")]
            last_line = c.end_line
        return last_line

    def statement(self, stmt: Stmt, indent: str) -> list[_Line]:
        trailing = " ".join(c.text for c in self.take(self.at.trailing.get(id(stmt), [])))
        head = _head(stmt, indent)
        if stmt.block is None:
            return _with_comment(head, trailing)
        opening = " ".join(c.text for c in self.take(self.at.opening.get(id(stmt), [])))
        if self.compact(stmt, indent, head):
            inner = "; ".join(_head(child, "") for child in stmt.block)
            return _with_comment(f"{head} {{ {inner} }}" if inner else f"{head} {{}}", trailing)
        lines = _with_comment(head + " {", opening)
        lines += self.body(stmt.block, indent + INDENT, id(stmt))
        lines.append((indent + "}", trailing))
        return lines

    def compact(self, stmt: Stmt, indent: str, head: str) -> bool:
        children = stmt.block or []
        if stmt.keyword in CONTAINERS and children:
            return False
        if len(children) > COMPACT_MAX or "\n" in head:
            return False
        if self.at.opening.get(id(stmt)) or self.at.dangling.get(id(stmt)):
            return False
        for child in children:
            if child.block is not None or "\n" in _head(child, ""):
                return False
            if self.at.leading.get(id(child)) or self.at.trailing.get(id(child)):
                return False
        inner = "; ".join(_head(child, "") for child in children)
        return len(f"{head} {{ {inner} }}") <= WIDTH


def _with_comment(code: str, comment: str) -> list[_Line]:
    parts = code.split("\n")
    return [(p, "") for p in parts[:-1]] + [(parts[-1], comment)]


def _head(stmt: Stmt, indent: str) -> str:
    values = " ".join(_value(v, indent) for v in stmt.values)
    if stmt.source and stmt.target:  # a relation, or a keyword that names one (`step a -> b`)
        text = f"{stmt.source.text} -> {stmt.target.text}"
        if stmt.keyword != "->":
            text = f"{stmt.keyword} {text}"
    else:
        text = stmt.keyword
    return indent + (f"{text} {values}" if values else text)


def _value(value, indent: str) -> str:
    if value.kind == "list":
        return ", ".join(_value(item, indent) for item in value.value)
    if value.kind == "mlstring":
        return _mlstring(value.text, indent)
    return value.text


def _mlstring(text: str, indent: str) -> str:
    """A block-style `\"\"\"` string re-indented one level deeper than its statement."""
    raw = text[3:-3]
    lines = raw.split("\n")
    if len(lines) < 3 or lines[0].strip() or lines[-1].strip():
        return text  # written inline: kept exactly as it is
    body = textwrap.dedent("\n".join(lines[1:-1]))
    inner = "\n".join((indent + INDENT + line) if line.strip() else "" for line in body.split("\n"))
    return f'"""\n{inner}\n{indent}"""'


def _align(lines: list[_Line]) -> list[str]:
    """Trailing comments of consecutive lines start in one column."""
    out: list[str] = []
    run: list[_Line] = []

    def flush():
        width = max((len(code) for code, comment in run if comment), default=0)
        for code, comment in run:
            out.append(f"{code.ljust(width)}  {comment}" if comment else code)
        run.clear()

    for line in lines:
        if line == ("", ""):
            flush()
            out.append("")
        else:
            run.append(line)
    flush()
    return [line.rstrip() for line in out]


# ---------------------------------------------------------------- meaning


def _shape(stmts: list[Stmt]):
    """The statements without their places: what must not change."""
    def value(v):
        if v.kind == "list":
            return ("list", tuple(value(i) for i in v.value))
        return (v.kind, v.value)

    return tuple(
        (s.keyword, s.source.value if s.source else None, s.target.value if s.target else None,
         tuple(value(v) for v in s.values), None if s.block is None else _shape(s.block))
        for s in stmts
    )


# ---------------------------------------------------------------- files


@dataclass
class FormatReport:
    """What one `fmt` run did, counted as it goes; its summary line and exit code (as black does)."""

    dry: bool = False  # --check or --diff: nothing is written
    changed: int = 0
    unchanged: int = 0
    failed: int = 0  # refused or not parsed

    def add(self, result: FileResult) -> None:
        if result.error is not None:
            self.failed += 1
        elif result.changed:
            self.changed += 1
        else:
            self.unchanged += 1

    def summary(self) -> str:
        verb = "would be reformatted" if self.dry else "reformatted"
        tail = f", {self.failed} not formatted" if self.failed else ""
        return f"{plural(self.changed, 'file')} {verb}, {self.unchanged} unchanged{tail}."

    def exit_code(self) -> ExitCode:
        """Findings-level (1) when a file could not be formatted, or would change in a dry run."""
        return ExitCode.FINDINGS if self.failed or (self.dry and self.changed) else ExitCode.CLEAN


def format_paths(paths, *, write: bool, want_diff: bool = False):
    """A `FileResult` for every spec under `paths`, admitted by the rules of `check` (regular files
    inside the root): the refused ones first, each as the finding that refused it."""
    files: dict[str, Path] = {}
    for path in paths:
        root, entries = discover(Path(path))
        loader = Loader(root)
        files.update(loader.admit(entries))
        for finding in loader.findings:
            yield FileResult(finding.span.file, error=finding)
    for shown, real in sorted(files.items()):
        yield format_file(shown, real, write=write, want_diff=want_diff)


@dataclass
class FileResult:
    path: str
    changed: bool = False
    diff: str = ""
    error: Finding | None = None  # the finding of a file that does not parse or is refused


def format_file(shown: str, real, *, write: bool = True, want_diff: bool = False) -> FileResult:
    """Format one admitted file (`real`, inside its spec root) unless `write` is False.

    Read and written with the same care as every spec: a regular file of bounded size;
    a read-only file is refused, a hard-linked one rewritten in place (its links kept),
    any other replaced atomically, and only if nobody changed it while it was formatted."""
    def refused(message: str) -> FileResult:
        return FileResult(shown, error=structure_finding("AD109", message, Span.point(shown, 1, 1)))

    try:
        data = read_regular(real)
    except Unreadable as exc:
        return refused(str(exc))
    try:
        original = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return refused(f"the file is not valid UTF-8 (byte {exc.start})")
    try:
        formatted = format_source(original, shown)
    except ArchSyntaxError as exc:
        return FileResult(shown, error=exc.finding)
    except RecursionError:
        return refused("the blocks are nested too deeply to format")
    result = FileResult(shown, changed=formatted != original)
    if result.changed and want_diff:
        result.diff = "".join(difflib.unified_diff(
            original.splitlines(keepends=True), formatted.splitlines(keepends=True),
            fromfile=f"{shown} (before)", tofile=f"{shown} (formatted)"))
    if result.changed and write:
        try:
            replace_unchanged(real, data, formatted.encode("utf-8"))
        except Unreadable as exc:
            return refused(str(exc))
    return result
