"""Architecture decision records kept as Markdown files, one a decision (adr-tools' form, and
MADR's): the title, the date, the status and the context, decision and consequences sections."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ConfigError
from ..fsutil import read_text_file
from .foreign import Record

MAX_RECORD_BYTES = 1024 * 1024
MAX_RECORDS = 2000
NUMBERED = re.compile(r"^(\d+)-")
TITLE = re.compile(r"^#\s+(?:\d+\.\s*)?(.+?)\s*$", re.M)
LABELLED = re.compile(r"^\s*(?:[*-]\s*)?(status|date|id)\s*:\s*(.+?)\s*$", re.I | re.M)
SECTION = re.compile(r"^##\s+(.+?)\s*$", re.M)
SUPERSEDES = re.compile(r"\bsupersedes\s+\[?\s*(\d+|[A-Za-z][\w-]*)", re.I)


def read_records(folder: Path, scope: str | None, shown: str, line: int) -> tuple[list[Record], list[Path]]:
    """The records of the Markdown files of `folder` (sorted by name), each for `scope`, and the
    files read."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".md" and p.is_file())
    if len(files) > MAX_RECORDS:
        raise ConfigError(f"{shown}: more than {MAX_RECORDS} decision records")
    records = []
    for path in files:
        text = read_text_file(path, limit=MAX_RECORD_BYTES, shown=f"{shown}/{path.name}", bom=True)
        records.append(read_record(text, path.name, scope, f"{shown}/{path.name} (named on line {line})"))
    by_number = {int(m.group(1)): r.key for r, p in zip(records, files) if (m := NUMBERED.match(p.name))}
    keys = {r.key for r in records}
    for record in records:  # "Supersedes [3. Title](0003-title.md)" or "Supersedes [adr-003](…)"
        named = [n if n in keys else by_number.get(int(n)) if n.isdigit() else None for n in record.supersedes]
        record.supersedes = [n for n in named if n]
    return records, files


def key_of(name: str) -> str:
    """A record's id from its file's name: `0002-shell-scripts.md` is `adr-0002`, `007-x.md` `adr-007`."""
    number = NUMBERED.match(name)
    return f"adr-{number.group(1)}" if number else Path(name).stem


def read_record(text: str, name: str, scope: str | None, source: str) -> Record:
    title = TITLE.search(text)
    record = Record(key_of(name), title.group(1) if title else Path(name).stem, source, scope)
    sections = _sections(text)
    for label, value in LABELLED.findall(text.split("\n##", 1)[0]):
        if label.lower() == "id":  # an archdsl export's own id for a record not numbered
            record.key = value if re.fullmatch(r"[A-Za-z_][\w-]*", value) else record.key
        else:
            setattr(record, label.lower(), value)
    status = next((body for heading, body in sections.items() if heading.startswith("status")), "")
    if status:
        record.status = " ".join(status.split())
    record.supersedes = SUPERSEDES.findall(record.status)  # numbers or ids: `read_records` resolves them
    record.affects = [a.strip() for a in sections.get("affects", "").split(",") if a.strip()]
    for heading, body in sections.items():
        for part in ("context", "decision", "consequences"):
            if part in heading and not getattr(record, part):
                setattr(record, part, body)
    return record


def _sections(text: str) -> dict[str, str]:
    """Each `## heading` (lower case) and the text under it."""
    found = list(SECTION.finditer(text))
    out: dict[str, str] = {}
    for here, after in zip(found, [*found[1:], None]):
        body = text[here.end(): after.start() if after else len(text)].strip()
        out.setdefault(here.group(1).lower(), body)
    return out
