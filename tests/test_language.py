"""Every construct of DESIGN.md's example parses into the expected model."""

from __future__ import annotations

import archdsl
import pytest
from archdsl.model import Component

from conftest import FIXTURES, findings_of


@pytest.fixture(scope="module")
def design():
    ws = archdsl.load(FIXTURES / "design" / "main.arch")
    return ws, ws.system("elearning")


def test_design_example_loads_without_findings(design):
    ws, _ = design
    assert ws.findings == []
    assert [s.id for s in ws.systems] == ["elearning", "shared"]
    assert len(ws.files) == 2 and ws.files[1].endswith("shared/data-stores.arch")


def test_system_attributes(design):
    _, system = design
    assert system.title == "E-Learning Platform"
    assert system.description == "Video courses with live Q&A"
    assert system.industry == "saas"
    assert system.sla == 99.9
    assert system.latency_ms == 200
    assert [a.id for a in system.actors] == ["learner"]
    assert system.actors[0].title == "Learner"


def test_layers_and_their_components(design):
    _, system = design
    assert [(layer.id, layer.kind) for layer in system.layers] == [
        ("edge", "edge"), ("api", "compute"), ("realtime", "realtime"), ("data", "data"),
    ]
    assert system.layer("data").components == ["elearning.pg", "elearning.redis"]
    cdn = _component(system, "video_cdn")
    assert (cdn.kind, cdn.tech, cdn.layer, cdn.title) == ("cdn", "CDN", "edge", "Video streaming")


def test_component_decision_inputs(design):
    _, system = design
    progress = _component(system, "progress")
    assert progress.connection == "request-response"
    assert progress.latency_ms == 100
    assert progress.access == "mixed"
    assert progress.growth == 10 and not progress.growth_fixed
    assert progress.scaling == "autoscale"
    assert (progress.replicas.min, progress.replicas.max) == (2, 20)
    assert progress.session == "token"
    [keep] = progress.keeps
    assert (keep.what, keep.where, keep.ttl_ms, keep.local) == ("hot course cache", "local-memory", 5000, True)
    assert keep.span.line == 26


def test_state_is_declared_else_layer_default(design):
    _, system = design
    live = _component(system, "live_qa")
    assert (live.state, live.effective_state, live.state_source) == ("stateful", "stateful", "declared")
    assert live.justification.startswith("Bidirectional")
    progress = _component(system, "progress")
    assert (progress.state, progress.effective_state, progress.state_source) == (None, "stateless", "layer")
    pg = _component(system, "pg")
    assert (pg.kind, pg.sla, pg.replication, pg.failover, pg.effective_state) == (
        "database", 99.95, 2, "auto", "managed")


def test_relations(design):
    _, system = design
    got = [(r.source, r.target, r.label, r.protocol, r.latency_ms, r.is_async) for r in system.relations]
    assert got == [
        ("elearning.learner", "elearning.video_cdn", "watches", "", None, False),
        ("elearning.learner", "elearning.progress", "updates progress", "https", None, False),
        ("elearning.progress", "elearning.pg", "reads/writes", "sql", 5, False),
        ("elearning.live_qa", "elearning.redis", "fan-out", "redis", None, True),
    ]


def test_decision_record(design):
    _, system = design
    [adr] = system.decisions
    assert (adr.id, adr.title, adr.status, adr.date) == (
        "adr-001", "Live Q&A keeps connection state", "accepted", "2026-11-20")
    assert adr.affects == ["live_qa"]
    assert adr.context == "Learners ask questions during live sessions; answers must arrive in < 1 s."
    assert adr.decision == "A stateful WebSocket tier, isolated from the stateless API."
    assert adr.consequences.startswith("Needs affinity")
    [option] = adr.options
    assert (option.name, option.cons, option.chosen) == ("Long polling through the stateless API",
                                                         ["latency and load"], False)


def test_migration(design):
    _, system = design
    [mig] = system.migrations
    assert (mig.id, mig.source, mig.target, mig.strategy) == (
        "cache-to-redis", "elearning.progress", "elearning.redis", "strangler-fig")
    assert [(p.name, p.traffic) for p in mig.phases] == [
        ("Shadow reads", 0), ("Canary", 5), ("All traffic", 100)]
    assert mig.rollback == "flip the read flag back"


def test_view(design):
    _, system = design
    [view] = system.views
    assert (view.id, view.title, view.include) == (
        "realtime-path", "Real-time path", ["learner", "live_qa", "redis"])


def test_every_node_knows_where_it_is(design):
    _, system = design
    assert system.span.line == 3 and system.span.file.endswith("main.arch")
    live = _component(system, "live_qa")
    assert (live.span.line, live.span.column) == (31, 5)
    assert live.span_of("scaling").line == 34
    assert system.relations[2].span.line == 47


def _component(system, cid) -> Component:
    return next(c for c in system.components if c.id == cid)


# ---------------------------------------------------------------- lexical details


def test_comments_semicolons_and_newlines_are_equivalent():
    one = archdsl.loads('system s { component a { kind cache; tech "R" } }')
    other = archdsl.loads('''
        # hash comment
        system s {   /* block
                       comment */
          component a {
            kind cache      // trailing
            tech "R"
          }
        }
    ''')
    a, b = one.systems[0].components[0], other.systems[0].components[0]
    assert (a.kind, a.tech) == (b.kind, b.tech) == ("cache", "R")


def test_string_escapes_and_multiline_dedent():
    ws = archdsl.loads(r'''
system s {
  component a { description "say \"hi\"\\n\nnext" }
  decision d "D" {
    context """
        First line
          indented
        Last \"quoted\" \*kept\*
    """
  }
}
''')
    assert ws.systems[0].components[0].description == 'say "hi"\\n\nnext'
    assert ws.systems[0].decisions[0].context == 'First line\n  indented\nLast "quoted" \\*kept\\*'


@pytest.mark.parametrize("text, field, expected", [
    ("latency 250us", "latency_ms", 0.25),
    ("latency 5ms", "latency_ms", 5),
    ("latency 1.5s", "latency_ms", 1500),
    ("sla 99.95%", "sla", 99.95),
    ("growth 10x", "growth", 10),
    ("growth fixed", "growth_fixed", True),
    ("replication 3", "replication", 3),
])
def test_value_kinds(text, field, expected):
    ws = archdsl.loads(f"system s {{ component a {{ {text} }} }}")
    assert getattr(ws.systems[0].components[0], field) == pytest.approx(expected)


def test_component_outside_layers_takes_the_matrix_recommendation():
    ws = archdsl.loads("system s { component a { connection websocket }; component b; component c { kind cache } }")
    a, b, c = ws.systems[0].components
    assert (a.layer, a.effective_state, a.state_source) == (None, "stateful", "recommended")
    assert (b.effective_state, b.state_source) == ("stateless", "recommended")
    assert (c.effective_state, c.state_source) == ("managed", "recommended")


def test_layer_state_overrides_kind_default():
    ws = archdsl.loads("system s { layer l { kind custom; state stateful; component a } }")
    assert ws.systems[0].components[0].effective_state == "stateful"


def test_qualified_reference_across_systems():
    ws = archdsl.loads("""
        system a { component x }
        system b { component y; y -> a.x "calls" }
    """)
    [rel] = ws.system("b").relations
    assert (rel.source, rel.target) == ("b.y", "a.x")


def test_decision_supersedes_and_deciders():
    ws = archdsl.loads("""
        system s {
          component a
          decision old "Old" { status superseded }
          decision new "New" { supersedes old; deciders "Ana", "Bo"; affects a }
        }
    """)
    new = ws.systems[0].decisions[1]
    assert (new.supersedes, new.deciders, new.affects) == ("old", ["Ana", "Bo"], ["a"])


def test_allow_is_recorded_on_the_element():
    ws = archdsl.loads('system s { component a { allow SB201 "cache only" } }')
    [allow] = ws.systems[0].components[0].allows
    assert (allow.code, allow.reason) == ("SB201", "cache only")


def test_lists_may_span_lines():
    ws = archdsl.loads("""
        system s {
          component a; component b; component c
          view v { include a,
                           b,
                           c }
        }
    """)
    assert ws.systems[0].views[0].include == ["a", "b", "c"]


def test_crlf_files_parse_like_lf(write):
    root = write({"s.arch": b"system s {\r\n  component a { kind cache }\r\n}\r\n"})
    ws = archdsl.load(root / "s.arch")
    assert ws.systems[0].components[0].kind == "cache"


def test_clean_spec_has_no_findings():
    assert findings_of("system s { component a }") == []


def test_public_api():
    ws = archdsl.loads('system s { component a { state stateful; connection websocket } }')
    codes = {f.code for f in archdsl.check(ws)}
    assert "DM502" in codes
    import importlib

    importlib.import_module("archdsl.render")  # the stage's package must not shadow the API
    assert archdsl.draw(ws, "system", "dot").startswith(b"digraph")
    assert archdsl.format_source("system s {component a}") == "system s {\n  component a\n}\n"
