"""Every construct of the language reference's example parses into the expected model."""

from __future__ import annotations

import archdsl
import pytest
from archdsl.model import Component

from conftest import FIXTURES, SPECS, findings_of


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
    assert progress.connection == ["request-response"]
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


def test_every_accepted_attribute_is_a_field_of_its_model():
    """No attribute the builder accepts may reach the model as an unknown field (an internal error)."""
    from archdsl import model as m
    from archdsl import policy
    from archdsl.parsing.statements import ATTRS

    models = {"system": m.System, "layer": m.Layer, "component": m.Component, "actor": m.Actor,
              "relation": m.Relation, "decision": m.Decision, "option": m.Option, "migration": m.Migration,
              "phase": m.Phase, "view": m.View, "peers": m.Peer, "flow": m.Flow, "step": m.Step,
              "constraint": policy.Constraint}
    # blocks of statements only (a require block holds a component's attributes, compared)
    assert set(models) == set(ATTRS) - {"file", "parallel", "require"}
    assert ATTRS["file"] == ATTRS["parallel"] == ATTRS["require"] == {}
    for context, table in ATTRS.items():
        if context in ("file", "parallel", "require"):
            continue
        fields = models[context].model_fields
        for keyword, attr in table.items():
            assert attr.field in fields, f"'{keyword}' in a {context} sets {attr.field}, which the model lacks"


def test_phase_attributes_and_new_relation_attributes_load():
    ws = archdsl.loads("""
        system s {
          link "https://example.com/s"
          component a { calls sequential; connection request-response, websocket }
          component b { kind database }
          a -> b "reads" { tech "CQL"; description "hot reads"; tags read, hot }
          decision d "D" { link "https://example.com/adr"; affects a }
          migration mig { from a; to b
            phase "Canary" { traffic 5%; description "one region"; date 2026-12-01; exit "no new errors for 7d" }
            rollback "switch the flag back"
          }
        }
    """)
    s = ws.systems[0]
    assert s.link == "https://example.com/s" and s.decisions[0].link == "https://example.com/adr"
    a = s.components[0]
    assert (a.calls, a.connection) == ("sequential", ["request-response", "websocket"])
    r = s.relations[0]
    assert (r.tech, r.description, r.tags) == ("CQL", "hot reads", ["read", "hot"])
    [phase] = s.migrations[0].phases
    assert (phase.traffic, phase.description, phase.date, phase.exit) == (5, "one region", "2026-12-01",
                                                                          "no new errors for 7d")


@pytest.mark.parametrize("text, ms", [("5min", 300_000), ("7d", 604_800_000), ("2m", 120_000), ("1.5s", 1500)])
def test_durations_in_minutes_and_days(text, ms):
    ws = archdsl.loads(f'system s {{ component a {{ keeps "x" in local-memory ttl {text} }} }}')
    keep = ws.systems[0].components[0].keeps[0]
    assert keep.ttl_ms == ms and keep.kind == "cache"


@pytest.mark.parametrize("line, kind", [
    ('keeps "carts" in store', "user-data"),
    ('keeps "hot rows" in local-memory ttl 5s', "cache"),
    ('keeps "catalog" as reference in local-memory', "reference"),
    ('keeps "logins" as session in store ttl 30min', "session"),
    ('keeps "subscriptions" as connection in local-memory', "connection"),
])
def test_keeps_kind_defaults_and_as(line, kind):
    ws = archdsl.loads(f"system s {{ component a {{ {line} }}; component store {{ kind cache }} }}")
    assert ws.systems[0].components[0].keeps[0].kind == kind


def test_unknown_kind_of_state_is_an_error_with_a_suggestion():
    ws = archdsl.loads('system s { component a { keeps "x" as sesion in local-memory } }', strict=False)
    [f] = [f for f in ws.findings if f.code == "AD108"]
    assert f.message == "unknown kind of state 'sesion'" and f.hint == "did you mean 'session'?"
    assert (f.span.line, f.span.column) == (1, 39)


def test_connection_list_rejects_unknown_and_repeated_values():
    ws = archdsl.loads("system s { component a { connection websocket, websockt } }", strict=False)
    [f] = ws.findings
    assert f.message == "unknown connection 'websockt'" and f.hint == "did you mean 'websocket'?"


def test_parses_in_threads_keep_their_own_files_and_comments():
    from concurrent.futures import ThreadPoolExecutor

    from archdsl.parsing.parser import parse_with_comments

    def one(i: int):
        stmts, comments = parse_with_comments(f"system s{i} {{ // c{i}\n  component a\n}}\n", f"f{i}.arch")
        return stmts[0].span.file, [c.text for c in comments]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(64)))
    assert results == [(f"f{i}.arch", [f"// c{i}"]) for i in range(64)]


@pytest.mark.parametrize("spec", sorted(p.relative_to(SPECS).as_posix() for p in SPECS.rglob("*.arch"))
                         + ["../tests/fixtures/design/main.arch"])
def test_the_builders_trusted_models_are_what_validation_makes(spec, monkeypatch):
    """The builder constructs models without validating them again (model.trusted): each spec,
    built with full pydantic validation instead, must validate and give the same model."""
    import archdsl.model as m
    import archdsl.nodes as n

    trusted = archdsl.load(SPECS / spec, strict=False)
    monkeypatch.setattr(m, "trusted", lambda cls, **data: cls.model_validate(data))
    monkeypatch.setattr(n, "trusted", lambda cls, **data: cls.model_validate(data))  # constraints
    validated = archdsl.load(SPECS / spec, strict=False)
    assert validated.systems or validated.policies, spec  # a policy file holds constraints only
    for part in ("systems", "policies"):
        made, checked = getattr(trusted, part), getattr(validated, part)
        assert [s.model_dump() for s in made] == [s.model_dump() for s in checked]
        assert _shape(made) == _shape(checked)  # the same types all the way down


def _shape(value):
    """The types of a value and of everything in it: a dict given where a model belongs, or a
    tuple where a list does, dumps alike but is not alike."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return (type(value).__name__, [(name, _shape(getattr(value, name))) for name in type(value).model_fields])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_shape(v) for v in value])
    if isinstance(value, dict):
        return ("dict", sorted((k, _shape(v)) for k, v in value.items()))
    return type(value).__name__


def test_statements_kept_between_loads_give_the_same_model(tmp_path):
    """The language server keeps each file's statements between loads (Loader `parsed`): a
    load from kept statements must build the same model, and an edited file is parsed again."""
    from archdsl.workspaces import load_open

    spec = FIXTURES / "design"
    entries = sorted(spec.rglob("*.arch"))
    parsed: dict = {}
    first = load_open(spec, entries, {}, parsed)
    assert len(parsed) == len(entries)
    again = load_open(spec, entries, {}, parsed)
    assert [s.model_dump() for s in again.systems] == [s.model_dump() for s in first.systems]
    edited = entries[0].read_text().replace('"Progress tracking API"', '"Progress API"')
    changed = load_open(spec, entries, {entries[0].resolve(): edited}, parsed)
    labels = {c.qid: c.label for s in changed.systems for c in s.components}
    assert labels["elearning.progress"] == "Progress API" and len(parsed) == len(entries) + 1
