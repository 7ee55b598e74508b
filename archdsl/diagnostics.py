"""Spans, severities and findings: what every stage reports problems with."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How bad a finding is. Its values are the words settings use; `rank` orders them (the
    string values do not: compare ranks, never the members)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A place in a spec file: 1-based line and column, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int) -> Span:
        return cls(file, line, column, line, column + 1)

    def __str__(self) -> str:
        return f"{line_start(self.file)}:{self.line}:{self.column}"


_SET_FILE, _SET_LINE, _SET_COLUMN, _SET_END_LINE, _SET_END_COLUMN = (
    Span.__dict__[name].__set__ for name in ("file", "line", "column", "end_line", "end_column"))
_NEW = object.__new__


def span_of(file: str, line: int, column: int, end_line: int, end_column: int) -> Span:
    """`Span(file, line, column, end_line, end_column)`, made without the frozen dataclass's
    `__init__` (its slots set directly): the same object in about 40 % of the time, for the
    parser's callbacks and the parse cache, which make one a token."""
    span = _NEW(Span)
    _SET_FILE(span, file)
    _SET_LINE(span, line)
    _SET_COLUMN(span, column)
    _SET_END_LINE(span, end_line)
    _SET_END_COLUMN(span, end_column)
    return span


_PLAIN_START = re.compile(r"[A-Za-z0-9_./]")


def line_start(path: str) -> str:
    """A file's path where it starts a line of output: `./` before a path that begins with
    anything but a letter, digit, `_`, `.` or `/`. A line that begins `::` (or `##[`) is a
    workflow command to GitHub Actions, and file names are chosen by whoever opens a pull
    request: `::error title=…::x.arch` must never start one."""
    return path if _PLAIN_START.match(path) else f"./{path}"


@dataclass(frozen=True)
class Finding:
    """One problem found in a spec, with where it is and how to fix it."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    hint: str = ""
    element: str = ""  # qualified id of the element it concerns
    related: tuple[Span, ...] = field(default=())
    detail: str = ""  # what, on that element, it is about, in words that do not change with figures

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies a finding across edits (baseline, SARIF fingerprint, diff): its code,
        element and detail, never its line or its message, whose figures may move."""
        return (self.code, self.element, self.detail)

    @property
    def sort_key(self) -> tuple:
        s = self.span
        return (s.file, s.line, s.column, self.code, self.message)

    def to_dict(self) -> dict:
        s = self.span
        return {
            "file": s.file,
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "element": self.element,
            **({"constraint": self.detail} if self.code.startswith("CT") else {}),
        }


# Structural problems found while loading a spec (the AD1xx family).  The
# checker's rule registry documents them next to the state-boundary rules.
STRUCTURE = {
    "AD100": "syntax-error",
    "AD101": "unknown-reference",
    "AD102": "duplicate-id",
    "AD103": "import-cycle",
    "AD104": "import-outside-root",
    "AD105": "self-relation",
    "AD106": "no-system",
    "AD107": "unknown-attribute",
    "AD108": "invalid-value",
    "AD109": "unreadable-file",
    "AD110": "missing-import",
    "AD111": "empty-system",
    "AD112": "unused-allow",
    "AD113": "step-without-relation",
}
# The structural findings that mean a file did not load (syntax, references, duplicates, imports,
# values, unreadable files): every one but the two warnings, an empty system and an unused allow.
LOAD_FAILURES = frozenset(code for code in STRUCTURE if code not in ("AD111", "AD112"))


def structure_finding(
    code: str, message: str, span: Span, hint: str = "", *, element: str = "",
    related: tuple[Span, ...] = (), severity: Severity = Severity.ERROR,
) -> Finding:
    """A load-time finding of the AD1xx family."""
    return Finding(code, STRUCTURE[code], severity, message, span, hint, element, related,
                   detail=message)


class Suggester:
    """`did_you_mean` for many questions against one large set of names: the names sorted and
    bucketed by length once, each word answered once, and a budget of comparisons shared by
    all questions, so a file of thousands of unknown references costs linear time (past the
    budget the hint is left out, never the finding)."""

    BUDGET = 200_000  # name comparisons over all questions

    def __init__(self, choices):
        self.options = sorted(set(choices))
        self.by_length: dict[int, list[str]] = {}
        for name in self.options:
            self.by_length.setdefault(len(name), []).append(name)
        self.answers: dict[str, str] = {}
        self.spent = 0

    def __call__(self, word: str) -> str:
        if word not in self.answers:
            self.answers[word] = self._answer(word)
        return self.answers[word]

    def _answer(self, word: str) -> str:
        if not self.options:
            return ""
        # a close match (ratio >= 0.6) is never more than half as long again, nor shorter by half
        lengths = [n for n in range(len(word) // 2, len(word) * 2 + 2) if n in self.by_length]
        cost = sum(len(self.by_length[n]) for n in lengths)
        if self.spent + cost > self.BUDGET:
            return ""
        self.spent += cost
        near = [name for n in lengths for name in self.by_length[n]]
        import difflib  # lazy: only an unknown name needs it, and every command imports this module

        close = difflib.get_close_matches(word, near, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'?"
        if len(self.options) <= 20:
            return "expected one of: " + ", ".join(self.options)
        return ""


def did_you_mean(word: str, choices) -> str:
    """A hint naming the closest of `choices`, or listing them when none is close."""
    options = sorted(set(choices))
    if not options:
        return ""
    import difflib  # lazy: only an unknown name needs it, and every command imports this module

    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(options) <= 20:
        return "expected one of: " + ", ".join(options)
    return ""
