"""Each bad input gives the right code, place and hint, and loading goes on past it."""

from __future__ import annotations

import pytest

from conftest import findings_of

CASES = [
    # (spec, code, line, column, message fragment, hint fragment; "" when there must be no hint)
    ("system s {\n  component a {\n    kindd cdn\n  }\n}", "AD107", 3, 5,
     "unknown attribute 'kindd' in a component", "did you mean 'kind'?"),
    ("system s {\n  component a { kind cdnn }\n}", "AD108", 2, 22, "unknown kind 'cdnn'", "did you mean 'cdn'?"),
    ("system s {\n  component a { state statefull }\n}", "AD108", 2, 23, "unknown state", "'stateful'"),
    ("system s {\n  sla 100.5%\n  component a\n}", "AD108", 2, 7, "outside 0%..100%", ""),
    ("system s {\n  component a { replicas 0 }\n}", "AD108", 2, 26, "at least 1", "replicas 2..20"),
    ("system s {\n  component a { replicas -2 }\n}", "AD108", 2, 26, "at least 1", "replicas 2..20"),
    ("system s {\n  component a { replicas 9..3 }\n}", "AD108", 2, 26, "ends below its start", "replicas 3..9"),
    ("system s {\n  component a { latency 0ms }\n}", "AD108", 2, 25, "above zero", ""),
    ("system s {\n  component a { latency 200 }\n}", "AD108", 2, 25, "needs a duration", "200ms"),
    ("system s {\n  component a { link \"javascript:alert(1)\" }\n}", "AD108", 2, 22, "not an http(s)", 'write: link "https://'),
    ("system s {\n  component a { keeps \"x\" at local-memory }\n}", "AD108", 2, 17, "malformed 'keeps'", "ttl"),
    ("system s {\n  component a { allow SB201 }\n}", "AD108", 2, 17, "needs a reason", "allow SB201"),
    ("system s {\n  component a { tech \"a\" owner \"b\" }\n}", "AD108", 2, 26, "takes one value", "';'"),
    ("system s {\n  component a { kind cache; kind queue }\n}", "AD108", 2, 29, "set twice", "keep one of them"),
    ("system s {\n  decision d { date 2026-02-30 }\n  component a\n}", "AD108", 2, 21, "not a calendar date", "write: date 2026-11-20"),
    ("system s {\n  component a { keeps \"x\" in local-memory }\n  keeps \"y\" in local-memory\n}",
     "AD107", 3, 3, "unknown attribute 'keeps' in a system", "belongs in a component block"),
    ("system s {\n  component a\n  a -> b\n}", "AD101", 3, 8, "unknown element 'b'", "a"),
    ("system s {\n  component api\n  apo -> api\n}", "AD101", 3, 3, "unknown element 'apo'", "did you mean 'api'?"),
    ("system s {\n  component a\n  a -> nope.b\n}", "AD101", 3, 8, "unknown system 'nope'", "expected one of: s"),
    ("system s {\n  component a\n  component a\n}", "AD102", 3, 13, "duplicate element id 'a' (first at spec.arch:2:13)", "rename one"),
    ("system s {\n  component a\n  a -> a\n}", "AD105", 3, 3, "relation to itself", "not relations: remove it"),
    ("system s {\n  component a\n  view v { include layer:nope }\n}", "AD101", 3, 20, "unknown layer 'nope'", ""),
    ("system s {\n  component a {\n}", "AD100", 3, 1, "unexpected end of the file", "missing '}'"),
    ("system s {\n  component a }\n}", "AD100", 3, 1, "unmatched '}'", "closes no block"),
    ("system s {\n  component \"oops\n}", "AD100", 2, 13, "unterminated string", '"""'),
    ("system s\n{\n  component a\n}", "AD100", 2, 1, "unexpected '{'", "same line"),
    ("system s {\n  component a { latency 5 ms }\n}", "AD108", 2, 25, "space inside the value", "latency 5ms"),
    ("system s {\n  component a { latency 5qs }\n}", "AD100", 2, 25, "cannot read the value '5qs'", "durations"),
    ("component a", "AD107", 1, 1, "unknown attribute 'component' at the top of a file", "system"),
    ("system s {\n}", "AD111", 1, 8, "has no components", "add the components"),
]


@pytest.mark.parametrize("spec, code, line, column, message, hint", CASES,
                         ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_error_case(spec, code, line, column, message, hint):
    found = findings_of(spec)
    matching = [f for f in found if f[0] == code]
    assert matching, f"expected {code}, got {found}"
    got_code, got_line, got_column, got_message, got_hint = matching[0]
    assert (got_line, got_column) == (line, column), found
    assert message in got_message
    if hint:
        assert hint in got_hint
    else:
        assert got_hint == "", "no hint is expected here"


def test_all_errors_of_a_file_are_reported_at_once():
    found = findings_of("""
        system s {
          sla 200%
          component a { kind nope; replicas 0 }
          a -> missing
        }
    """)
    assert [f[0] for f in found] == ["AD108", "AD108", "AD108", "AD101"]


def test_duplicate_points_at_both_places():
    import archdsl

    ws = archdsl.loads("system s {\n  component a\n  component a\n}", strict=False)
    [dup] = ws.findings
    assert (dup.span.line, dup.related[0].line) == (3, 2)


def test_strict_load_raises_with_findings():
    import archdsl
    from archdsl.errors import SpecError

    with pytest.raises(SpecError) as info:
        archdsl.loads("system s { component a { kind nope } }")
    assert info.value.findings[0].code == "AD108"


@pytest.mark.parametrize("content, message, line, column", [
    (b"", "the file is empty", 1, 1),
    (b"  \n\n", "the file is empty", 1, 1),
    (b"system s {\n  component a\x00\n}", "NUL byte", 2, 14),
    (b"system s {\n  description \"caf\xe9\"\n}", "not valid UTF-8", 2, 19),
])
def test_unreadable_files(write, content, message, line, column):
    import archdsl

    root = write({"bad.arch": content})
    ws = archdsl.load(root / "bad.arch", strict=False)
    [finding] = ws.findings
    assert (finding.code, finding.span.line, finding.span.column) == ("AD109", line, column)
    assert message in finding.message


def test_file_without_system(write):
    import archdsl

    root = write({"a.arch": "// nothing here\n# at all\n"})
    ws = archdsl.load(root / "a.arch", strict=False)
    assert [(f.code, f.span.line) for f in ws.findings] == [("AD106", 1)]


def test_unterminated_block_comment_over_many_lines_is_reported_promptly():
    # `(.|\n)*?` in the comment's pattern once backtracked exponentially on this input
    found = findings_of("system s {\n  /* never closed\n" + "  component a\n" * 3000 + "}\n")
    assert found[0][:3] == ("AD100", 2, 3) and found[0][3] == "unterminated block comment"
