"""Human-readable findings: `file:line:col: CODE message`, the source line, a caret, the hint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..checker import CheckResult
    from ..diagnostics import Finding

from ..safetext import visible
from . import summary_counts

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
_SGR = {"red": "31", "yellow": "33", "blue": "34"}  # ANSI select-graphic-rendition colours


def render(findings: list[Finding], files: int, *, colour: bool = False, suppressed: int = 0,
           baselined: int = 0, sources: dict[str, str] | None = None) -> str:
    """The whole report, ending with a summary line.

    Source lines are quoted only from `sources`, the text the loader read: a reporter never
    opens a file, so a finding about a refused file (a symlink out of the root, a FIFO)
    cannot print what that file holds."""
    def style(text: str, *, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
        if not colour:
            return text
        codes = [_SGR[fg]] if fg else []
        codes += ["1"] if bold else []
        codes += ["2"] if dim else []
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"

    quoted = _Sources(sources or {})
    out: list[str] = []
    for f in findings:
        s = f.span
        where = style(f"{visible(str(s))}:", bold=True)  # never a line that begins with a spec's name
        code = style(f.code, fg=_COLOURS[f.severity.value], bold=True)
        out.append(f"{where} {code} {visible(f.message)}")
        line = quoted.line(s.file, s.line)
        if line is not None and line != visible(line):  # control characters: spelled out, no caret
            out.append(style(f"{s.line:>5} | ", dim=True) + visible(line))
        elif line is not None:
            gutter = f"{s.line:>5} | "
            width = max(1, (s.end_column - s.column) if s.end_line == s.line else len(line) - s.column + 1)
            width = min(width, max(1, len(line) - s.column + 1))
            pad = "".join(c if c == "\t" else " " for c in line[: s.column - 1])
            out.append(style(gutter, dim=True) + line)
            out.append(style(" " * 6 + "| ", dim=True) + pad + style("^" * width, fg=_COLOURS[f.severity.value]))
        if f.hint:
            out.append(" " * 6 + style("= hint: ", bold=True) + visible(f.hint))
        out.append("")
    out.append(summary_line(findings, files, suppressed, baselined))
    return "\n".join(out) + "\n"


def summary_line(findings, files: int, suppressed: int = 0, baselined: int = 0) -> str:
    counts = summary_counts(findings)
    noun = "file" if files == 1 else "files"
    hidden = []
    if suppressed:
        hidden.append(f"{suppressed} allowed")
    if baselined:
        hidden.append(f"{baselined} in the baseline")
    tail = f" ({', '.join(hidden)})" if hidden else ""
    if not findings:
        return f"No findings in {files} {noun}{tail}."
    parts = [f"{n} {label[:-1] if n == 1 else label}" for label, n in counts.items() if n]
    return f"Found {', '.join(parts)} in {files} {noun}{tail}."


class _Sources:
    """Source lines for carets, from the text the loader read (display only: nothing is re-parsed)."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts
        self.lines: dict[str, list[str] | None] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self.lines:
            text = self.texts.get(file)
            self.lines[file] = text.splitlines() if text is not None else None
        lines = self.lines[file]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1].rstrip("\r")


def report(result: CheckResult, *, colour: bool = False) -> str:
    sources = {name: body for ws in result.workspaces for name, body in ws.sources.items()}
    return render(result.findings, result.files, colour=colour, suppressed=result.suppressed,
                  baselined=result.baselined, sources=sources)
