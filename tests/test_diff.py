"""`archdsl diff` and `check --new-only --git`: what a change does to the architecture."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
from archdsl.cli import main
from click.testing import CliRunner

BASE = """\
system s "Shop" {
  industry ecommerce
  layer api "API" {
    kind compute
    component web "Web" { connection request-response; latency 150ms }
    component search "Search" { connection request-response }
    component legacy "Legacy" { connection request-response }
  }
  layer data "Data" {
    kind data
    component db "DB" { kind database }
  }
  web -> db "reads"
  legacy -> db "reads"
  decision adr-1 "Keep the web tier stateless" { status proposed; affects web }
}
"""

HEAD = """\
system s "Shop" {
  industry ecommerce
  layer api "API" {
    kind compute
    component web "Web" { connection request-response; latency 100ms }
    component search "Search" { state stateful; connection request-response }
  }
  layer realtime "Real-time" {
    kind realtime
    component cart "Live cart" { connection websocket; justification "pushes cart changes" }
  }
  layer data "Data" {
    kind data
    component db "DB" { kind database }
  }
  web -> db "reads"
  cart -> db "writes" { async }
  decision adr-1 "Keep the web tier stateless" { status accepted; affects web }
  decision adr-2 "A live cart" { status accepted; affects cart }
}
"""


@pytest.fixture
def pair(write):
    root = write({"base/s.arch": BASE, "head/s.arch": HEAD})
    return root / "base", root / "head"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_json_diff(pair):
    result = run("diff", "--format", "json", *pair)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [c["id"] for c in doc["added"]] == ["s.cart"]
    assert [c["id"] for c in doc["removed"]] == ["s.legacy"]
    assert {"id": "s.search", "field": "state", "from": "stateless", "to": "stateful"} in doc["changed"]
    assert {"id": "s.web", "field": "latency", "from": "150ms", "to": "100ms"} in doc["changed"]
    assert doc["relations"] == {"added": ["s.cart -> s.db (writes)"], "removed": ["s.legacy -> s.db (reads)"],
                                "changed": []}
    assert doc["decisions"]["added"] == [{"id": "s.adr-2", "title": "A live cart", "status": "accepted"}]
    assert doc["decisions"]["changed"] == [{"id": "s.adr-1", "field": "status", "from": "proposed", "to": "accepted"}]
    new_codes = {f["code"] for f in doc["findings"]["new"]}
    assert {"SB202", "SB204"} <= new_codes  # the search service became stateful for no reason
    assert doc["stateless_share"]["s"] == {"before": 100.0, "after": pytest.approx(33.3), "benchmark": 85}


def test_markdown_diff_for_a_pull_request(pair):
    out = run("diff", *pair).output
    lines = out.splitlines()
    assert lines[0] == "## Architecture diff"
    assert lines[2].startswith("**1 component added, 1 removed, 2 changed (1 changed state)")
    assert "### ⚠️ State changes" in out and "| `s.search` | stateless | **stateful** |" in out
    assert "`s` 100% → **33.3%** (benchmark ~85%)" in out
    assert "- added `s.cart -> s.db (writes)`" in out
    assert "- `s.adr-1`: proposed → **accepted**" in out


def test_no_change(pair):
    base, _ = pair
    assert run("diff", base, base).output == "## Architecture diff\n\nNo architectural change.\n"


def test_changed_relations_and_kinds_of_state_are_reported(write):
    before = """system s {
  component api { keeps "carts" in store }
  component store { kind database }
  api -> store "reads" { protocol cql; latency 10ms }
}
"""
    after = (before.replace('{ protocol cql; latency 10ms }', '{ protocol grpc; latency 30ms }')
             .replace('keeps "carts" in', 'keeps "carts" as session in'))
    root = write({"a/s.arch": before, "b/s.arch": after})
    doc = json.loads(run("diff", "--format", "json", str(root / "a"), str(root / "b")).output)
    assert doc["relations"]["changed"] == [
        {"relation": "s.api -> s.store", "field": "protocol", "from": "cql", "to": "grpc"},
        {"relation": "s.api -> s.store", "field": "latency", "from": "10ms", "to": "30ms"},
    ]
    assert doc["changed"] == [{"id": "s.api", "field": "keeps", "from": "carts as user-data in store",
                               "to": "carts as session in store"}]
    markdown = run("diff", str(root / "a"), str(root / "b")).output
    assert "No architectural change" not in markdown
    assert "- changed `s.api -> s.store`: protocol cql → grpc" in markdown


def test_diff_svg_marks_what_changed(pair, tmp_path):
    out = tmp_path / "d.svg"
    assert run("diff", *pair, "--svg", out).exit_code == 0
    svg = out.read_text()
    root = ET.fromstring(svg)
    titles = [g.find("{http://www.w3.org/2000/svg}title").text for g in root.iter("{http://www.w3.org/2000/svg}g")
              if g.get("class") == "node"]
    assert "s.legacy" in titles  # removed, drawn struck out
    assert "+ added" in svg and "− removed" in svg and "~ changed" in svg
    nodes = {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g") if g.get("class") == "node"}
    search = ET.tostring(nodes["s.search"], encoding="unicode")
    assert "⚠ SB204 DM501 DM502 +4" in search  # its seven new findings, the worst first, as in the picture



def test_diff_svg_fades_what_the_change_did_not_touch(write, tmp_path):
    base = 'system s {\n  component a { latency 100ms }\n  component b\n  component c\n  b -> c\n}\n'
    root = write({"base/s.arch": base, "head/s.arch": base.replace("100ms", "50ms")})
    out = tmp_path / "d.svg"
    assert run("diff", root / "base", root / "head", "--svg", out).exit_code == 0
    nodes = {g.find(f"{SVG}title").text: ET.tostring(g, encoding="unicode").lower()
             for g in ET.fromstring(out.read_text()).iter(f"{SVG}g") if g.get("class") == "node"}
    assert "~ changed" in nodes["s.a"] and "#cbd5e0" not in nodes["s.a"]
    assert "#cbd5e0" in nodes["s.b"] and "#cbd5e0" in nodes["s.c"]  # untouched: faded


SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def repo(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "dev@example.invalid")
    git("config", "user.name", "dev")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "s.arch").write_text(BASE)
    git("add", "-A")
    git("commit", "-qm", "base")
    (tmp_path / "specs" / "s.arch").write_text(HEAD)
    return tmp_path


def test_diff_against_a_git_revision(repo, monkeypatch):
    monkeypatch.chdir(repo)
    doc = json.loads(run("diff", "--git", "HEAD", "--format", "json", "specs").output)
    assert [c["id"] for c in doc["added"]] == ["s.cart"]
    assert [c["id"] for c in doc["removed"]] == ["s.legacy"]


def test_check_new_only_fails_only_on_what_the_change_introduces(repo, monkeypatch):
    monkeypatch.chdir(repo)
    result = run("check", "--new-only", "--git", "HEAD", "--format", "json", "specs")
    doc = json.loads(result.output)
    codes = {f["code"] for f in doc["findings"]}
    assert "SB204" in codes and result.exit_code == 1
    # the same check at the base revision itself finds nothing new
    subprocess.run(["git", "stash", "-q"], cwd=repo, check=True)
    result = run("check", "--new-only", "--git", "HEAD", "--format", "json", "specs")
    assert json.loads(result.output)["findings"] == [] and result.exit_code == 0


def test_unknown_revision_is_a_usage_error(repo, monkeypatch):
    monkeypatch.chdir(repo)
    result = run("diff", "--git", "no-such-rev", "specs")
    assert result.exit_code == 2 and "git" in result.output
    assert run("check", "--new-only", "specs").exit_code == 2
