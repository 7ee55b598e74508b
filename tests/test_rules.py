"""Every rule fires on its documented example and not on its 'use instead' example."""

from __future__ import annotations

import pytest

import archdsl
from archdsl.checker import check_workspace
from archdsl.config import Settings
from archdsl.docsite.framework import citations
from archdsl.rules import all_rules

from conftest import SPECS

RULES = all_rules()


def codes_for(write, source: str, ignore=()) -> set[str]:
    """Every code found in `source`, loaded from disk as example.arch (so imports behave)."""
    root = write({"example.arch": source})
    ws = archdsl.load(root / "example.arch", strict=False)
    findings, _ = check_workspace(ws, Settings(ignore=list(ignore)))
    return {f.code for f in findings}


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_has_four_part_docs(rule):
    doc = rule.doc()
    assert doc.summary and doc.what and doc.why
    bad, good = rule.examples()
    assert good.strip(), "every rule shows a passing example"
    assert "```arch" in doc.example and "```arch" in doc.use_instead
    if rule.code[:2] not in ("AD",):
        # each rule says where in the decision framework it comes from, and the section exists
        # (citations() refuses a citation of a section the framework page does not have)
        assert citations(doc.why), "rule docs cite the framework section they come from"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_fires_on_its_example(write, rule):
    bad, _ = rule.examples()
    assert rule.code in codes_for(write, bad, ignore=rule.repeats)


@pytest.mark.parametrize("rule", [r for r in RULES if r.repeats], ids=[r.code for r in RULES if r.repeats])
def test_checklist_does_not_repeat_a_rule_that_fired(write, rule):
    """One problem, one finding: with the precise rule on, the checklist question stays quiet."""
    bad, _ = rule.examples()
    found = codes_for(write, bad)
    if found & set(rule.repeats):
        assert rule.code not in found
    else:
        assert rule.code in found


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_is_quiet_on_its_passing_example(write, rule):
    _, good = rule.examples()
    assert rule.code not in codes_for(write, good)


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(len(c) == 5 and c[:2].isalpha() and c[2:].isdigit() for c in codes)
    catalog = {"SB201", "SB202", "SB203", "SB204", "SB205", "SB206", "LT301", "LT302", "LT303",
               "LT304", "AV401", "AV402", "AV403", "AV404", "DM501", "DM502", "DM503", "IN601", "MG701"}
    assert catalog <= set(codes)
    assert {c for c in codes if c.startswith("CK")} == {f"CK80{i}" for i in range(1, 9)}


def test_default_severities_follow_the_catalog():
    severity = {r.code: r.severity.value for r in RULES}
    for code in ("SB201", "SB203", "SB204", "SB205", "SB206", "LT301", "LT304", "AV402", "AV403", "DM503"):
        assert severity[code] == "error", code
    for code in ("SB202", "LT302", "AV401", "AV404", "DM501", "DM502", "MG701"):
        assert severity[code] == "warning", code
    for code in ("LT303", "IN601", "CK801", "CK808"):
        assert severity[code] == "info", code


@pytest.mark.parametrize("spec, code", [
    ("accidental-statefulness.arch", "SB201"),
    ("premature-statefulness.arch", "SB202"),
    ("mixed-state-boundary.arch", "SB203"),
])
def test_each_anti_pattern_spec_fires_its_rule(spec, code):
    ws = archdsl.load(SPECS / "anti-patterns" / spec)
    findings, _ = check_workspace(ws)
    assert code in {f.code for f in findings}


@pytest.mark.parametrize("spec", [
    "hybrid-template.arch", "scenarios/elearning.arch", "scenarios/multiplayer-game.arch",
    "scenarios/b2b-saas.arch",
])
def test_template_and_scenarios_are_clean(spec):
    ws = archdsl.load(SPECS / spec)
    findings, _ = check_workspace(ws)
    assert [(f.code, f.span.line, f.message) for f in findings] == []


def test_all_findings_are_reported_at_once():
    ws = archdsl.loads("""
        system s {
          component a { state stateless; latency 500us }
          component b { state stateful; connection websocket; scaling autoscale }
        }
    """)
    codes = {f.code for f in check_workspace(ws)[0]}
    assert {"LT301", "SB205", "DM502"} <= codes


def test_latency_budget_names_the_slowest_path():
    ws = archdsl.loads("""
        system s {
          latency 15ms
          actor u
          component api
          component db { kind database }
          component search { kind search }
          u -> api
          api -> db
          api -> search
        }
    """)
    [f] = [f for f in check_workspace(ws)[0] if f.code == "LT304"]
    assert f.message == ("the synchronous calls below 'api' take 20ms, over its 15ms target;"
                         " slowest: api → search (20ms)")
    assert (f.span.line, f.element) == (5, "s.api")


def test_synchronous_cycle_is_reported_not_followed():
    ws = archdsl.loads("""
        system s {
          actor u
          component a; component b; component c
          u -> a
          a -> b { latency 5ms }
          b -> c { latency 5ms }
          c -> a { latency 5ms }
        }
    """)
    findings = [f for f in check_workspace(ws)[0] if f.code == "LT304"]
    assert len(findings) == 1, "one info for the loop, never a budget error"
    [cycle] = findings
    assert cycle.severity.value == "info" and cycle.detail == "cycle"
    assert cycle.message == ("'a', 'b' and 'c' call each other synchronously: the latency below them"
                             " cannot be bounded")
    assert "async" not in cycle.hint
    assert (cycle.element, cycle.span.line) == ("s.a", 4)


def codes(text: str) -> set[tuple[str, str]]:
    return {(f.code, f.element) for f in check_workspace(archdsl.loads(text))[0]}


def test_rules_read_kinds_never_words():
    found = codes("""
        system s {
          component api {
            state stateless; scaling autoscale
            keeps "session-free lookup table" in local-memory ttl 5s
            keeps "user sessions list (names only)" as reference in local-memory
          }
        }
    """)
    assert not {c for c, _ in found} & {"SB201", "SB206", "CK801", "CK807"}
    found = codes("""
        system s {
          component api { state stateless; scaling autoscale; keeps "carts" as session in local-memory }
        }
    """)
    assert found == {("SB206", "s.api")}, "one problem, one finding: sessions on a scaled tier are SB206's"
    found = codes("""
        system s {
          component api { state stateless; scaling autoscale; keeps "carts" in local-memory }
        }
    """)
    assert found == {("SB201", "s.api")}, "user data kept locally is SB201's, and CK801 does not repeat it"


def test_a_component_sla_is_never_a_target():
    found = codes("""
        system s {
          sla 99.9%
          actor u
          component api { state stateless; sla 99.99% }
          component db { kind database; sla 99.99% }
          u -> api
          api -> db
        }
    """)
    assert not {c for c, _ in found} & {"AV401", "AV403"}


def test_more_stateless_than_the_industry_is_no_finding():
    above = "system s { industry gaming; component a { state stateless }; component b { state stateless } }"
    below = ('system s { industry saas; component a { state stateful; connection websocket; justification "x" };'
             " component b { state stateless } }")
    assert not any(c == "IN601" for c, _ in codes(above))
    assert ("IN601", "s") in codes(below)


def test_async_push_into_a_gateway_is_no_mixed_boundary():
    found = codes("""
        system s {
          actor u
          component gw { kind websocket; connection websocket; state stateful; scaling affinity; justification "sockets" }
          component fanout { kind worker }
          component presence { state stateful; connection grpc-stream; scaling sharded; justification "status" }
          u -> gw { protocol wss }
          fanout -> gw "delivers" { protocol grpc; async }
          fanout -> presence "is X online?" { protocol grpc }
          gw -> presence { protocol grpc-stream }
        }
    """)
    assert not {c for c, _ in found} & {"SB203", "CK808"}


def test_needs_caching_looks_down_the_whole_path():
    spec = """
        system s {
          component api { state stateless; latency 30ms }
          component svc { state stateless }
          component %s
          api -> svc
          svc -> store
        }
    """
    assert not any(c == "LT303" for c, _ in codes(spec % "store { kind cache }"))
    assert ("LT303", "s.api") in codes(spec % "store { kind database }")
    assert not any(c == "LT303" for c, _ in codes(spec % "store { kind database; replication 2 }"))


def test_every_rule_file_contributes_rules_and_is_named_for_them():
    """Adding a rule is adding its file: the registry finds it. A file that defines no rule (or
    a rule class that forgot its `code`) is a mistake this test names."""
    import importlib

    from archdsl.rules import modules, rules_in

    seen = set()
    for name in modules():
        found = rules_in(importlib.import_module(f"archdsl.rules.{name}"))
        assert found, f"archdsl/rules/{name}.py defines no rule (a Rule subclass with a code)"
        if len(found) == 1:
            assert name.startswith(found[0].code.lower() + "_"), (name, found[0].code)
        seen.update(r.code for r in found)
    assert seen == {r.code for r in RULES}


def test_a_new_rule_file_is_found_without_being_registered(tmp_path, monkeypatch):
    package = tmp_path / "more_rules"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "zz901_example.py").write_text(
        "from archdsl.rules.base import Rule\n"
        "from archdsl.diagnostics import Severity\n"
        "class Example(Rule):\n    code = 'ZZ901'\n    name = 'example'\n    severity = Severity.INFO\n"
        "class Forgot(Rule):\n    name = 'no-code'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    from archdsl.rules import rules_in

    found = rules_in(importlib.import_module("more_rules.zz901_example"))
    assert [r.code for r in found] == ["ZZ901"]
