"""Suppressions, settings from pyproject.toml, baselines and exit codes of `check`."""

from __future__ import annotations

import json

import archdsl
from archdsl.checker import check_workspace
from archdsl.cli import main
from click.testing import CliRunner

ACCIDENTAL = """
system s {
  component api {
    scaling autoscale
    keeps "counters" in local-memory
  }
}
"""


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def codes(text):
    return [f.code for f in check_workspace(archdsl.loads(text, strict=False))[0]]


def test_allow_silences_one_rule_for_one_element():
    text = ACCIDENTAL.replace('keeps "counters"', 'allow SB201 "counters are advisory"\n    keeps "counters"')
    found, suppressed = check_workspace(archdsl.loads(text))
    assert "SB201" not in [f.code for f in found]
    assert suppressed == 1
    assert "SB201" in codes(ACCIDENTAL)


def test_allow_that_silences_nothing_is_reported():
    found = check_workspace(archdsl.loads('system s { component a { allow SB205 "sharded later" } }'))[0]
    [unused] = [f for f in found if f.code == "AD112"]
    assert unused.message == "'allow SB205' silences nothing on 'a'"
    assert unused.severity.value == "warning"


def test_allow_of_an_unknown_code_is_reported():
    found = check_workspace(archdsl.loads('system s { component a { allow ZZ999 "typo" } }'))[0]
    assert any(f.code == "AD112" and "names no known rule" in f.message for f in found)


def test_allow_on_a_relation():
    text = """
        system s {
          actor u
          component a { latency 10ms }
          component b
          u -> a
          a -> b { latency 50ms; allow LT304 "measured: 8 ms in production" }
        }
    """
    assert "LT304" in codes(text.replace('; allow LT304 "measured: 8 ms in production"', ""))
    # the finding is about the entry point, not the relation: the allow belongs on `a`
    assert "AD112" in codes(text)


def test_settings_from_the_nearest_pyproject(write):
    root = write({
        "pyproject.toml": """
            [tool.archdsl]
            ignore = ["CK"]
            severity = { SB201 = "warning" }
            fail-on = "warning"
        """,
        "specs/a.arch": ACCIDENTAL,
    })
    result = run("check", "--format", "json", str(root / "specs"))
    doc = json.loads(result.output)
    assert [(f["code"], f["severity"]) for f in doc["findings"]] == [("SB201", "warning")]
    assert result.exit_code == 1  # fail-on warning


def test_command_line_overrides_settings(write):
    write({"pyproject.toml": '[tool.archdsl]\nfail-on = "info"\n', "a.arch": ACCIDENTAL})
    result = run("check", "--format", "json", "--select", "SB2", "--fail-on", "error", "a.arch")
    doc = json.loads(result.output)
    assert {f["code"] for f in doc["findings"]} == {"SB201"}
    assert result.exit_code == 1
    ignored = run("check", "--format", "json", "--ignore", "SB201,CK", "a.arch")
    codes = {f["code"] for f in json.loads(ignored.output)["findings"]}
    assert ignored.exit_code == 0 and "SB201" not in codes and not any(c.startswith("CK") for c in codes)
    zero = run("check", "--format", "json", "--exit-zero", "a.arch")
    assert zero.exit_code == 0 and "SB201" in {f["code"] for f in json.loads(zero.output)["findings"]}
    never = run("check", "--format", "json", "--fail-on", "never", "a.arch")
    assert never.exit_code == 0 and json.loads(never.output)["summary"]["errors"] >= 1


def test_bad_settings_are_a_usage_error(write):
    write({"pyproject.toml": '[tool.archdsl]\nfail_on = "info"\n', "a.arch": ACCIDENTAL})
    result = CliRunner().invoke(main, ["check", "a.arch"])
    assert result.exit_code == 2
    assert "unknown setting 'fail_on'" in result.output and "fail-on" in result.output


def test_baseline_survives_lines_moving_and_catches_new_findings(write):
    root = write({"a.arch": ACCIDENTAL})
    assert run("check", "--write-baseline", "base.json", "a.arch").exit_code == 0
    saved = json.loads((root / "base.json").read_text())
    assert saved["version"] == 2 and {e["code"] for e in saved["findings"]} >= {"SB201"}
    assert all(set(e) == {"code", "element", "detail", "message"} for e in saved["findings"])
    # the same findings ten lines further down are still known
    (root / "a.arch").write_text("\n" * 10 + ACCIDENTAL)
    result = run("check", "--baseline", "base.json", "a.arch")
    assert result.exit_code == 0 and "in the baseline" in result.output
    # a new problem is reported alone
    (root / "a.arch").write_text(ACCIDENTAL.replace("}\n}", "}\n  component b { state stateless; latency 500us }\n}"))
    result = run("check", "--format", "json", "--baseline", "base.json", "a.arch")
    assert {f["code"] for f in json.loads(result.output)["findings"]} == {"LT301", "DM501"}
    assert all(f["line"] == 7 for f in json.loads(result.output)["findings"])
    assert result.exit_code == 1


AVAILABILITY = """system s {
  sla 99.9%
  actor u
  component api { sla 99.5% }
  component db { kind database; sla 99.9% }
  u -> api
  api -> db
}
"""


def test_baseline_keys_on_the_finding_not_its_figures(write):
    """Raising a component's sla changes the AV403 message, not which finding it is."""
    root = write({"a.arch": AVAILABILITY})
    assert run("check", "--write-baseline", "base.json", "a.arch").exit_code == 0
    assert "AV403" in (root / "base.json").read_text()
    (root / "a.arch").write_text(AVAILABILITY.replace("99.5%", "99.7%"))
    result = run("check", "--format", "json", "--baseline", "base.json", "a.arch")
    assert json.loads(result.output)["findings"] == [] and result.exit_code == 0
    (root / "a.arch").write_text(AVAILABILITY.replace("  u -> api", "  component b { state stateless; latency 500us }\n  u -> api"))
    result = run("check", "--format", "json", "--baseline", "base.json", "a.arch")
    assert {f["code"] for f in json.loads(result.output)["findings"]} == {"LT301", "DM501"}


def test_a_version_1_baseline_still_matches_by_message(write):
    root = write({"a.arch": ACCIDENTAL})
    result = run("check", "--format", "json", "a.arch")
    found = json.loads(result.output)["findings"]
    old = {"version": 1, "findings": [{"code": f["code"], "element": f["element"], "message": f["message"]}
                                      for f in found]}
    (root / "old.json").write_text(json.dumps(old))
    result = run("check", "--format", "json", "--baseline", "old.json", "a.arch")
    assert found and json.loads(result.output)["findings"] == []


def test_unreadable_baseline_is_a_usage_error(write):
    write({"a.arch": ACCIDENTAL, "base.json": "not json"})
    result = CliRunner().invoke(main, ["check", "--baseline", "base.json", "a.arch"])
    assert result.exit_code == 2 and "not a baseline" in result.output


def test_explain_and_rules():
    result = run("explain", "sb201")
    assert result.exit_code == 0
    assert result.output.startswith("# SB201 accidental-statefulness")
    assert "## Use instead" in result.output and "```arch" in result.output
    assert CliRunner().invoke(main, ["explain", "SB2O1"]).exit_code == 2
    listing = run("rules").output.splitlines()
    assert any(line.startswith("LT304  latency-budget") for line in listing)
    assert len(json.loads(run("rules", "--format", "json").output)) == len(listing)


def test_each_path_is_checked_with_its_own_settings(tmp_path, monkeypatch):
    """Two projects on one command line: each keeps its own pyproject.toml."""
    monkeypatch.chdir(tmp_path)
    for name, toml in (("strict", '[tool.archdsl]\nfail-on = "info"\n'), ("lax", '[tool.archdsl]\nignore = ["SB"]\n')):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text(toml)
        (tmp_path / name / "a.arch").write_text(ACCIDENTAL)
    result = run("check", "--format", "json", "lax", "strict")
    found = {(f["file"].split("/")[0], f["code"]) for f in json.loads(result.output)["findings"]}
    assert ("strict", "SB201") in found and ("lax", "SB201") not in found
    assert result.exit_code == 1
    only_lax = run("check", "--format", "json", "lax")
    assert only_lax.exit_code == 0, "lax fails only on errors, and its SB201 is ignored"
