"""Property tests: for generated specs in any layout, fmt keeps the meaning and every comment,
and formatting twice changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archdsl.fmt import format_source
from test_fmt import model

ATTRIBUTES = [
    "kind cache", "kind database", "state stateless", "state stateful", "connection websocket",
    "latency 5ms", "latency 1.5s", "sla 99.95%", "replicas 2..20", "growth 10x", "growth fixed",
    'tech "Go \\"fast\\""', 'description "a { b } // not a comment"', "scaling autoscale",
    'keeps "cache" in local-memory ttl 5s', 'allow SB201 "reason"', 'tags "a", "b"',
]
SEPARATORS = st.sampled_from(["\n", ";", " ;\n", "\n\n\n", "; ", "\n   "])
COMMENTS = st.sampled_from(["", "", " // note", " # hash note", " /* inline */"])


@st.composite
def specs(draw):
    components = draw(st.integers(min_value=1, max_value=4))
    parts = []
    for index in range(components):
        attrs = draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=4, unique=True))
        body = ""
        for attr in attrs:
            body += draw(SEPARATORS) + attr + draw(COMMENTS) + "\n"
        if draw(st.booleans()):
            parts.append(f'component c{index} "C {index}" {{{body}}}')
        else:
            parts.append(f"component c{index}")
    if components > 1:
        parts.append(f'c0 -> c1 "calls" {{ protocol https; latency 3ms }}{draw(COMMENTS)}')
    text = draw(st.sampled_from(["", "// header\n", "/* a\n block */\n"]))
    text += 'system s "S" {' + draw(COMMENTS) + "\n"
    for part in parts:
        text += draw(SEPARATORS) + part + draw(COMMENTS) + "\n"
    return text + "}" + draw(COMMENTS) + "\n"


def comments_of(text: str) -> list[str]:
    from archdsl.parsing.parser import parse_with_comments

    return sorted(c.text for c in parse_with_comments(text, "x.arch")[1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_fmt_keeps_meaning_and_comments_and_is_stable(text):
    out = format_source(text)
    assert model(out) == model(text)
    assert comments_of(out) == comments_of(text)
    assert format_source(out) == out
