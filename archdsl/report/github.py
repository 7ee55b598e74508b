"""GitHub Actions workflow commands: annotations on the pull request's diff.

Escaping follows the Actions toolkit (`@actions/core`, `command.ts`): in the message,
`%`, CR and LF; in properties also `:` and `,`.  Spec text can therefore never end a
command early or start a new one; its control characters are spelled out (`\x1b`) before
that, so none reaches the log's terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..checker import CheckResult

from ..safetext import visible

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings, files: int) -> str:
    lines = []
    for f in findings:
        s = f.span
        props = [
            f"file={escape_property(visible(s.file))}",
            f"line={s.line}",
            f"col={s.column}",
            f"endLine={max(s.end_line, s.line)}",
            f"endColumn={s.end_column}",
            f"title={escape_property(f'{f.code} {f.name}')}",
        ]
        message = visible(f.message) + (f"\nhint: {visible(f.hint)}" if f.hint else "")
        lines.append(f"::{_COMMAND[f.severity.value]} {','.join(props)}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def report(result: CheckResult, *, colour: bool = False) -> str:
    return render(result.findings, result.files)
