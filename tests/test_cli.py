"""The command line: exit codes, the JSON shape, text output, schema, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from click.testing import CliRunner

from archdsl.cli import main
from conftest import SPECS

CLEAN = "system s {\n  component a\n}\n"
BROKEN = "system s {\n  component a { kind nope }\n}\n"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_clean_spec_exits_zero(write):
    root = write({"ok.arch": CLEAN})
    result = run("check", str(root / "ok.arch"))
    assert result.exit_code == 0
    assert result.output == "No findings in 1 file.\n"


def test_error_exits_one_with_location_caret_and_hint(write):
    write({"bad.arch": BROKEN})
    result = run("check", "bad.arch")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "bad.arch:2:22: AD108 unknown kind 'nope'"
    assert lines[1] == "    2 |   component a { kind nope }"
    assert lines[2] == "      |                      ^^^^"
    assert lines[3].startswith("      = hint: expected one of: cache, cdn, database,")  # nothing is close to 'nope'
    assert "did you mean" not in lines[3]
    assert lines[-1] == "Found 1 error in 1 file."


def test_warning_only_exits_zero(write):
    write({"empty.arch": "system s {\n}\n"})
    result = run("check", "empty.arch")
    assert result.exit_code == 0
    assert "AD111" in result.output and result.output.endswith("Found 1 warning in 1 file.\n")


def test_json_shape_and_order(write):
    write({
        "b.arch": BROKEN,
        "a.arch": "system t {\n  component x { replicas 0; kind nah }\n  x -> y\n}\n",
    })
    result = run("check", "--format", "json", ".")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert set(doc) == {"findings", "summary"}
    assert doc["summary"] == {"files": 2, "errors": 4, "warnings": 0, "infos": 0}
    keys = {"file", "line", "column", "end_line", "end_column", "code", "name", "severity",
            "message", "hint", "element"}
    assert all(set(f) == keys for f in doc["findings"])
    assert {f["element"] for f in doc["findings"] if f["code"] == "AD101"} == {"t"}
    order = [(f["file"], f["line"], f["column"], f["code"]) for f in doc["findings"]]
    assert order == sorted(order)
    assert order[0] == ("a.arch", 2, 26, "AD108")
    assert doc["findings"][-1]["name"] == "invalid-value"


def test_syntax_error_is_a_finding_not_a_crash(write):
    write({"s.arch": "system s {\n  component a {{\n}\n"})
    result = run("check", "--format", "json", "s.arch")
    assert result.exit_code == 1
    [finding] = json.loads(result.output)["findings"]
    assert (finding["code"], finding["name"], finding["line"]) == ("AD100", "syntax-error", 2)


def test_several_paths_each_their_own_root(write):
    write({"one/a.arch": CLEAN, "two/b.arch": BROKEN})
    result = run("check", "--format", "json", "one", "two")
    doc = json.loads(result.output)
    assert doc["summary"]["files"] == 2
    assert [f["file"] for f in doc["findings"]] == ["two/b.arch"]


def test_missing_path_is_a_usage_error(write):
    write({})
    result = run("check", "nowhere.arch")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_unknown_format_is_a_usage_error(write):
    write({"ok.arch": CLEAN})
    result = run("check", "--format", "yaml", "ok.arch")
    assert result.exit_code == 2 and "'yaml' is not one of" in result.output


def test_shipped_specs_are_clean_but_for_the_baseline():
    result = run("check", "--format", "json", str(SPECS))
    doc = json.loads(result.output)
    assert result.exit_code == 1
    assert {f["file"].split("specs/")[-1].split("/")[0] for f in doc["findings"]} == {"anti-patterns", "real-world"}
    assert doc["summary"]["files"] >= 11
    # the main job's command: the anti-patterns' and real systems' findings are known, nothing else is found
    result = run("check", str(SPECS), "--baseline", str(SPECS / "baseline.json"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No findings in")


def test_schema_is_valid_json_schema_and_describes_a_loaded_workspace():
    import archdsl

    result = run("schema")
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    ws = archdsl.load(SPECS)
    jsonschema.validate(json.loads(ws.model_dump_json(by_alias=True)), schema)
    assert "Component" in schema["$defs"]


def test_version_and_entry_point():
    out = subprocess.run([sys.executable, "-m", "archdsl", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("archdsl, version ")


def test_real_process_exit_code_and_no_traceback(write):
    root = write({"bad.arch": b"\xff\xfe\x00garbage"})
    out = subprocess.run([sys.executable, "-m", "archdsl", "check", str(root / "bad.arch")],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert "AD109" in out.stdout


@pytest.mark.parametrize("args", [["check"], ["nope"], ["check", "--select"]])
def test_bad_usage_exits_two(args):
    assert run(*args).exit_code == 2
