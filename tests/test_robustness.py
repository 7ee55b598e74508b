"""Bad input of any shape gives findings, never an exception: the loader and the checker are fuzzed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archdsl

from conftest import SPECS

PIECES = st.sampled_from([
    "system", "s", "{", "}", ";", "\n", "component", "a", "b", "->", '"x"', '"""y"""', "5ms", "99.9%",
    "2..1", "10x", "2026-02-30", "kind", "cache", "state", "stateful", "layer", "decision", "affects",
    "option", "phase", "traffic", "keeps", "in", "ttl", "allow", "SB201", "import", '"other.arch"',
    "view", "include", "layer:x", ",", "//c", "#", "/*", "*/", "-", ".", "a.b", "0", "-1", "\x00", "é",
])
SOURCE = (SPECS / "scenarios" / "elearning.arch").read_text()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map(" ".join))
def test_token_soup_gives_findings_not_exceptions(text):
    ws = archdsl.loads(text, filename="fuzz.arch", strict=False)
    archdsl.check(ws)  # the rules run on whatever could be loaded
    assert all(f.span.line >= 1 and f.span.column >= 1 for f in ws.findings)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(SOURCE)), st.integers(min_value=1, max_value=40), st.text(max_size=5))
def test_damaged_real_spec_gives_findings_not_exceptions(start, length, insert):
    damaged = SOURCE[:start] + insert + SOURCE[start + length:]
    ws = archdsl.loads(damaged, filename="damaged.arch", strict=False)
    findings = archdsl.check(ws)
    lines = damaged.count("\n") + 1
    for f in findings:  # every finding points into the damaged text, with a message to read
        assert f.message and f.code[:2].isalpha()
        if f.span.file == "damaged.arch":
            assert 1 <= f.span.line <= lines + 1 and f.span.column >= 1
    if damaged == SOURCE:
        assert not [f for f in findings if f.severity.value == "error"]
