"""`archdsl fmt`: each case checks the output, that the model is unchanged, and that it is stable."""

from __future__ import annotations

import os
import stat
import textwrap

import archdsl
import pytest
from archdsl.cli import main
from archdsl.fmt import format_source
from click.testing import CliRunner

from conftest import SPECS

SPAN_KEYS = {"span", "spans", "source_span", "target_span", "affects_spans"}


def model(text: str):
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in SPAN_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    ws = archdsl.loads(text, filename="case.arch", strict=False)
    return strip(ws.model_dump(mode="json")), sorted(f.code for f in ws.findings)  # messages may name lines


def assert_format(source: str, expected: str) -> None:
    source, expected = textwrap.dedent(source), textwrap.dedent(expected)
    out = format_source(source)
    assert out == expected
    assert model(out) == model(source), "formatting changed the meaning"
    assert format_source(out) == out, "formatting is not stable"


def test_one_statement_per_line_and_compact_leaves():
    assert_format(
        'system s { layer l { kind compute; component a "A" { kind cache; tech "R" } } ; a -> b; component b }\n',
        """\
        system s {
          layer l {
            kind compute
            component a "A" { kind cache; tech "R" }
          }

          a -> b
          component b
        }
        """)


def test_indentation_and_blank_lines_are_normalised():
    assert_format(
        """\
        system s {
              description "x"



           component a
        component b { kind cache }
        }
        """,
        """\
        system s {
          description "x"

          component a
          component b { kind cache }
        }
        """)


def test_comments_in_every_position():
    assert_format(
        """\
        // file header

        # second header line
        system s { // opening comment
          /* leading block comment */ component a // trailing
          component b {
            kind cache   // kind
            tech "R" /* after tech */
            // dangling at the end of b
          }
          view v { include a, // inside a list
                           b }
          component empty {
            // only a comment
          }
          // dangling at the end of s
        }
        // end of file
        """,
        """\
        // file header

        # second header line
        system s {     // opening comment
          /* leading block comment */
          component a  // trailing

          component b {
            kind cache  // kind
            tech "R"    /* after tech */
            // dangling at the end of b
          }

          view v {
            include a, b  // inside a list
          }

          component empty {
            // only a comment
          }
          // dangling at the end of s
        }
        // end of file
        """)


def test_trailing_comments_are_aligned():
    assert_format(
        """\
        system s {
          sla 99.9% // a
          latency 200ms // b
          industry saas     // c
          component a
        }
        """,
        """\
        system s {
          sla 99.9%      // a
          latency 200ms  // b
          industry saas  // c
          component a
        }
        """)


def test_multiline_strings_are_reindented_and_inline_ones_kept():
    assert_format(
        '''\
        system s {
          component a
          decision d {
                context """
                    First
                      indented
                    Last
                """
            decision """kept "as" it is"""
          }
        }
        ''',
        '''\
        system s {
          component a

          decision d {
            context """
              First
                indented
              Last
            """
            decision """kept "as" it is"""
          }
        }
        ''')


def test_long_leaf_block_is_expanded():
    long = "x" * 80
    assert_format(
        f'system s {{\n  component a {{ description "{long}"; kind cache }}\n}}\n',
        f'system s {{\n  component a {{\n    description "{long}"\n    kind cache\n  }}\n}}\n')


def test_crlf_files_stay_crlf():
    source = "system s {\r\n   component a\r\n}\r\n"
    out = format_source(source)
    assert out == "system s {\r\n  component a\r\n}\r\n"
    assert format_source(out) == out


@pytest.mark.parametrize("spec", sorted(p.relative_to(SPECS).as_posix() for p in SPECS.rglob("*.arch")))
def test_shipped_specs_are_formatted_and_every_comment_is_kept(spec):
    text = (SPECS / spec).read_text()
    out = format_source(text)
    assert out == text, "run `archdsl fmt specs/`"  # the same text: every comment kept, in place


def test_cli_writes_atomically_keeps_mode_and_follows_symlinks(tmp_path):
    real = tmp_path / "real.arch"
    real.write_text("system s {\n      component a\n}\n")
    real.chmod(0o640)
    link = tmp_path / "link.arch"
    link.symlink_to(real)
    result = CliRunner().invoke(main, ["fmt", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_text() == "system s {\n  component a\n}\n"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.arch", "real.arch"]


def test_check_and_diff_write_nothing(tmp_path):
    spec = tmp_path / "a.arch"
    spec.write_text("system s {component a}\n")
    result = CliRunner().invoke(main, ["fmt", "--check", str(tmp_path)])
    assert result.exit_code == 1 and "would reformat" in result.output
    result = CliRunner().invoke(main, ["fmt", "--diff", str(spec)])
    assert result.exit_code == 1
    assert "-system s {component a}" in result.output and "+  component a" in result.output
    assert spec.read_text() == "system s {component a}\n"
    assert CliRunner().invoke(main, ["fmt", str(spec)]).exit_code == 0
    assert CliRunner().invoke(main, ["fmt", "--check", str(spec)]).exit_code == 0


def test_a_file_that_does_not_parse_is_never_touched(tmp_path):
    spec = tmp_path / "bad.arch"
    spec.write_text("system s {\n  component a {\n")
    before = spec.read_bytes()
    result = CliRunner().invoke(main, ["fmt", str(spec)])
    assert result.exit_code == 1 and "AD100" in result.output and "not formatted" in result.output
    assert spec.read_bytes() == before
