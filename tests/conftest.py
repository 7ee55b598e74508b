"""Shared helpers: write specs into temporary folders and load or check them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import archdsl

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
SPECS = REPO / "specs"


@pytest.fixture
def write(tmp_path, monkeypatch):
    """Write dedented files under a temporary spec root; return the root."""
    monkeypatch.chdir(tmp_path)

    def _write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return tmp_path

    return _write


def findings_of(text: str, filename: str = "spec.arch"):
    """Load-time findings of one spec text, as (code, line, column, message, hint) tuples."""
    ws = archdsl.loads(textwrap.dedent(text), filename=filename, strict=False)
    return [(f.code, f.span.line, f.span.column, f.message, f.hint) for f in ws.findings]
