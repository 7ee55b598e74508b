"""Each command-line option does what it says: its effect is checked, not only the exit code."""

from __future__ import annotations

import json

from archdsl import __version__
from archdsl.cli import main
from click.testing import CliRunner

TWO = """system one "One" {
  component a
}
system two "Two" {
  component b
  component c
  b -> c
}
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_version():
    for flag in ("-V", "--version"):
        result = run(flag)
        assert result.exit_code == 0 and result.output.strip() == f"archdsl, version {__version__}"


def test_render_system_chooses_the_system(tmp_path):
    (tmp_path / "two.arch").write_text(TWO)
    result = run("render", tmp_path / "two.arch", "-o", tmp_path / "two.json", "--system", "two")
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "two.json").read_text())
    assert sorted(n["id"] for n in doc["nodes"]) == ["two.b", "two.c"]
    unknown = run("render", tmp_path / "two.arch", "-o", tmp_path / "x.json", "--system", "three")
    assert unknown.exit_code == 2 and "three" in unknown.output


def test_overview_threshold_switches_the_system_view(tmp_path):
    (tmp_path / "two.arch").write_text(TWO)
    run("render", tmp_path / "two.arch", "-o", tmp_path / "full.json", "--system", "two")
    run("render", tmp_path / "two.arch", "-o", tmp_path / "over.json", "--system", "two", "--overview-threshold", "1")
    full = json.loads((tmp_path / "full.json").read_text())
    over = json.loads((tmp_path / "over.json").read_text())
    assert {n["id"] for n in full["nodes"]} == {"two.b", "two.c"}
    assert [n["id"] for n in over["nodes"]] == ["lone:"] and over["nodes"][0]["type"] == "group"


def test_init_force_overwrites_and_without_it_nothing_changes(tmp_path):
    assert run("init", tmp_path / "p").exit_code == 0
    spec = tmp_path / "p" / "specs" / "hybrid.arch"
    spec.write_text("system mine { component x }\n")
    refused = run("init", tmp_path / "p")
    assert refused.exit_code == 2 and spec.read_text() == "system mine { component x }\n"
    forced = run("init", tmp_path / "p", "--force")
    assert forced.exit_code == 0 and "system mine" not in spec.read_text()


def test_diff_svg_system_draws_the_chosen_system(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "s.arch").write_text(TWO)
    (tmp_path / "b" / "s.arch").write_text(TWO.replace("  component c\n", "  component c\n  component d\n"))
    result = run("diff", tmp_path / "a", tmp_path / "b", "--svg", tmp_path / "d.svg", "--system", "two")
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "d.svg").read_text()
    assert "two.d" in svg and "+ added" in svg and "one.a" not in svg
