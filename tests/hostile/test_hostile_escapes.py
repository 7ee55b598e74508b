"""Spec text is escaped wherever it lands: terminals, CI logs, XML (JUnit, SVG), Mermaid, D2,
SARIF, the site and pull-request comments. Fixed attacks first, then a fuzz over all of them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import archdsl
import pytest
from archdsl.checker import CheckResult, check_workspace
from archdsl import markup as t
from archdsl.render import exports
from archdsl.render.dot import to_dot
from archdsl.render.views import build_scene
from archdsl.report import render as report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def spec_with(value: str) -> str:
    """A spec whose every free text is `value`, written as a spec string (escaped for the language)."""
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return f"""system s {quoted} {{
  actor u {quoted}
  component a {quoted} {{
    description {quoted}
    tech {quoted}
    scaling autoscale
    keeps {quoted} in local-memory
  }}
  component b {quoted} {{ kind database }}
  u -> a {quoted}
  a -> b {quoted} {{ protocol https }}
  decision d {quoted} {{ affects a; context {quoted}; decision {quoted} }}
}}
"""


def outputs(value: str) -> dict[str, str]:
    """Every text output of a spec full of `value`, except the laid-out SVG."""
    ws = archdsl.loads(spec_with(value), filename="hostile.arch")
    findings, _ = check_workspace(ws)
    result = CheckResult(findings=findings, files=1, workspaces=[ws])
    found = {fmt: report(fmt, result) for fmt in ("text", "github", "junit", "sarif", "json")}
    scene = build_scene(ws, ws.systems[0], "system")
    found["dot"] = to_dot(scene, ws.graph).source
    found["mmd"] = exports.to_mermaid(scene, ws.graph)
    found["d2"] = exports.to_d2(scene, ws.graph)
    return found


def check_site(value: str) -> None:
    """The site's pages quote spec text only escaped: never as markup, never as a template."""
    from archdsl.docsite import pages
    from archdsl.docsite.plan import facts_for
    from archdsl.rules import Context

    ws = archdsl.loads(spec_with(value), filename="hostile.arch")
    ctx = Context(ws)
    findings, _ = check_workspace(ws, ctx=ctx)
    [facts] = [facts_for(ctx, s, findings) for s in ws.systems]
    system = ws.systems[0]
    for page in (pages.system_page(facts), pages.stakeholder_page(facts),
                 pages.decision_page(facts, system.decisions[0])):
        if re.search(r"<[A-Za-z/!?]", value) or "{{" in value:  # would be markup or a template
            assert value not in page, "spec text reached the page unescaped"
    for escaped in (t.inline(value), t.title(value), t.defused(value)):
        assert "<" not in escaped and "{{" not in escaped


def check_outputs(value: str) -> None:
    check_site(value)
    out = outputs(value)
    for fmt in ("text", "github"):
        lines = out[fmt].splitlines()
        assert not any(CONTROL.search(line) for line in lines), fmt
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in out["github"].splitlines())
    ET.fromstring(out["junit"].split("\n", 1)[1])  # well-formed XML
    sarif = json.loads(out["sarif"])
    assert all(" " not in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               for r in sarif["runs"][0]["results"])
    assert not CONTROL.search(out["mmd"].replace("\n", "")) and not CONTROL.search(out["d2"].replace("\n", ""))
    for line in out["mmd"].splitlines()[1:]:
        if line.startswith("title:"):
            assert "\\" not in line, "no YAML escape may decode in the Mermaid title"
    labels = [label.replace("<br/>", " ") for label in re.findall(r'"([^"]*)"', out["mmd"])]  # <br/> is ours
    assert not any(ch in label for label in labels for ch in '<>[]{}|`'), "Mermaid labels hold no markup"


@pytest.mark.parametrize("value", [
    "\x1b[31mred\x1b[0m \x1b]0;owned\x07 title",           # CSI and OSC sequences
    "forged\n::error file=x::pwned",                        # a line break starting a new command
    "forged\u2028::error file=x::pwned",                    # a line break to a browser's log view
    "a &#1; b &amp; <script>alert(1)</script>",             # entities Graphviz would decode
    "\\x3cimg src=x onerror=alert(1)\\x3e",                   # escapes a YAML title would decode
    "{{ config }} [x](javascript:alert(1)) `code` | pipe",
])
def test_fixed_attacks(value):
    check_outputs(value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec="utf-8", exclude_characters='\x00'), max_size=40))
def test_every_output_escapes_any_text(value):
    check_outputs(value)


def test_mermaid_and_d2_ids_never_collide():
    ws = archdsl.loads("""
        system s {
          layer x_y { kind compute; component a }
          component y_group
          layer y { kind compute; component b }
          a -> y_group
          b -> y_group
        }
    """)
    scene = build_scene(ws, ws.systems[0], "system")
    for text in (exports.to_mermaid(scene, ws.graph), exports.to_d2(scene, ws.graph)):
        ids = re.findall(r"\b([ng]_[A-Za-z0-9_]+)", text)
        groups = {i for i in ids if i.startswith("g_")}
        nodes = {i for i in ids if i.startswith("n_")}
        assert groups and nodes and not groups & nodes
        assert len(groups) == 2


def test_site_markdown_loads_nothing_from_another_host():
    html = t.block("![tracker](https://evil.example/pixel.png) text")
    assert "<img" not in html and 'href="https://evil.example/pixel.png"' in html


def test_pull_request_comment_mentions_no_one_and_links_nothing():
    md = t.defused("cc @octocat, see https://evil.example or www.evil.example")
    assert "@octocat" not in md and "https://evil" not in md and "www.evil" not in md
    assert md.replace("\u200b", "").startswith("cc @octocat")


def test_sarif_uris_are_percent_encoded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a b#c%.arch").write_text("system s { component a { state stateless; latency 500us } }\n")
    ws = archdsl.load(tmp_path / "a b#c%.arch", strict=False)
    findings, _ = check_workspace(ws)
    doc = json.loads(report("sarif", CheckResult(findings=findings, files=1, workspaces=[ws])))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris == {"a%20b%23c%25.arch"}
