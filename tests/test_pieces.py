"""Parsing piece by piece after an edit (the language server): always the statements, or the
syntax error, that a parse of the whole text gives; and only the pieces an edit changed parsed."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archdsl.parsing import pieces
from archdsl.parsing.parser import ArchSyntaxError, parse
from archdsl.parsing.pieces import parse_in_pieces

from conftest import REPO, SPECS

sys.path.insert(0, str(REPO / "bench"))
from synth import synthetic_spec  # noqa: E402

TEXTS = {path.name: path.read_text() for path in sorted(SPECS.rglob("*.arch"))}


def outcome(parser, text: str):
    """The statements, or the finding of the syntax error."""
    try:
        return parser(text)
    except ArchSyntaxError as exc:
        f = exc.finding
        return (f.code, f.span, f.message, f.hint)


@pytest.mark.parametrize("name", TEXTS)
def test_the_pieces_make_what_the_whole_text_makes(name):
    text = TEXTS[name]
    kept: dict = {}
    assert parse_in_pieces(text, name, kept) == parse(text, name)
    assert len(kept) > 3  # it was cut: a system's statements are pieces of their own


EDITS = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), st.sampled_from(
    ["", "{", "}", "\n", '"', '"""', "//", "/*", "*/", "x", " ", "a -> b\n", "component c { kind cache }\n",
     "\n  }\n", "\\"])), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(TEXTS)), edits=EDITS)
def test_any_run_of_edits_parses_as_the_whole_text_does(name, edits):
    """Edits one after another, each kept pieces handed to the next, as in an editor: braces,
    quotes, comments and new lines typed anywhere, broken files included."""
    text, kept = TEXTS[name], {}
    parse_in_pieces(text, name, kept)
    for where, cut, typed in edits:
        at = int(where * len(text))
        text = text[:at] + typed + text[at + cut:]
        assert outcome(lambda t: parse_in_pieces(t, name, kept), text) == outcome(lambda t: parse(t, name), text)


def test_an_edit_parses_only_the_piece_it_changed(monkeypatch):
    text = synthetic_spec(300)
    kept: dict = {}
    parse_in_pieces(text, "big.arch", kept)
    parsed = []
    real = pieces.parse
    monkeypatch.setattr(pieces, "parse", lambda t, f: parsed.append(t) or real(t, f))
    edited = text.replace("latency 500ms", "latency 400ms", 1)
    assert parse_in_pieces(edited, "big.arch", kept) == parse(edited, "big.arch")
    assert parsed == ["  latency 400ms"]
    parsed.clear()
    lines = edited.split("\n")
    added = "\n".join(lines[:5] + ["  // a new line: the pieces below move, unparsed"] + lines[5:])
    assert parse_in_pieces(added, "big.arch", kept) == parse(added, "big.arch")
    assert parsed == ["  // a new line: the pieces below move, unparsed"]


def test_text_it_cannot_cut_is_parsed_whole():
    for text in ("system s {\n  component a {\n", "}\n}\n", 'system s { component a "}" }\n'):
        assert outcome(lambda t: parse_in_pieces(t, "s.arch", {}), text) == outcome(lambda t: parse(t, "s.arch"), text)
