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


def _layout_engines() -> list[tuple[str, str]]:
    """Every layout engine on this machine: Debian's Graphviz `dot` when installed (scripts/test
    installs it) and the graphviz-pure wheel, which archdsl always brings."""
    import shutil

    from archdsl.render.engine import _graphviz_pure

    found = [("graphviz-pure", _graphviz_pure())]
    system_dot = shutil.which("dot")
    if system_dot:
        found.append(("dot", system_dot))
    return found


@pytest.fixture(params=_layout_engines(), ids=lambda engine: engine[0])
def engine(request, monkeypatch):
    """Runs a test once with each layout engine (ARCHDSL_DOT), so both draw every diagram."""
    monkeypatch.setenv("ARCHDSL_DOT", request.param[1])
    return request.param[0]
