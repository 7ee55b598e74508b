"""`archdsl import structurizr` and `archdsl export structurizr`: Structurizr's own public examples
in (Big Bank plc, microservices with archetypes and groups, a landscape with ADRs, nested groups),
the shipped specs out and back with the same findings, and hostile workspaces."""

from __future__ import annotations

import os

import pytest

import archdsl
from archdsl.render.views import build_scene
from archdsl.interchange.commands import run_export, run_import
from archdsl.interchange.structurizr.reading import import_structurizr

from conftest import FIXTURES, SPECS, imported, reported
from conftest import archdsl_run as run

EXAMPLES = FIXTURES / "structurizr"
SHIPPED = sorted([*(SPECS / "real-world").glob("*.arch"), *(SPECS / "scenarios").glob("*.arch")])








def test_big_bank_plc_comes_in_with_every_container_component_and_relation(tmp_path):
    done, text, ws = imported("structurizr", EXAMPLES / "big-bank-plc" / "workspace.dsl", tmp_path / "out.arch")
    assert "11 components, 17 relations; 11 states and 1 system targets to fill in" in done.stderr
    assert text.startswith("// Imported from Structurizr DSL (workspace.dsl): 11 components, 17 relations;")
    [system] = ws.systems
    assert system.title == "Internet Banking System"
    titles = {c.id: c.title for c in system.components}
    assert titles["apiApplication"] == "API Application" and titles["signinController"] == "Sign In Controller"
    assert {a.id: a.kind for a in system.actors} == {"customer": "person", "mainframe": "system",
                                                     "email": "system", "supportStaff": "person",
                                                     "backoffice": "person", "atm": "system"}
    kinds = {c.id: c.kind for c in system.components}
    assert kinds["database"] == "database" and kinds["singlePageApplication"] == "frontend"
    assert kinds["mobileApp"] == "frontend" and kinds["webApplication"] == "service"
    relations = {(r.source.split(".")[-1], r.target.split(".")[-1]): r for r in system.relations}
    sql = relations[("securityComponent", "database")]
    assert (sql.label, sql.tech, sql.protocol) == ("Reads from and writes to", "SQL/TCP", "sql")
    assert relations[("mainframeBankingSystemFacade", "mainframe")].tech == "XML/HTTPS"
    parts = {c.id for c in system.components if "part-of:apiApplication" in c.tags}
    assert parts == {"signinController", "accountsSummaryController", "resetPasswordController",
                     "securityComponent", "mainframeBankingSystemFacade", "emailComponent"}
    # nothing dropped silently: relations to the whole system, deployment and views are said, with lines
    assert "line 37: customer -> internetBankingSystem" in text and "drawn to the whole system" in text
    assert "line 41: customer -> supportStaff" in text and "between two outside parties" in text
    assert "line 68: deploymentEnvironment Development" in text and "line 223: styles" in text
    assert text.count("// TODO(state)") == 11
    # the dynamic view is a flow over the relations; its replies are comments
    [flow] = system.flows
    assert [(s.source.split(".")[-1], s.target.split(".")[-1]) for s in flow.steps] == [
        ("singlePageApplication", "signinController"), ("signinController", "securityComponent"),
        ("securityComponent", "database")]
    assert text.count("a reply, along a relation the other way") == 3


def test_archetypes_this_groups_and_hierarchical_identifiers(tmp_path):
    _, text, ws = imported("structurizr", EXAMPLES / "microservices" / "workspace.dsl", tmp_path / "out.arch")
    [system] = ws.systems
    assert sorted(layer.title for layer in system.layers) == [f"Service {n}" for n in range(1, 9)]
    apis = [c for c in system.components if c.title.endswith(" API")]
    stores = [c for c in system.components if "Database" in c.title]
    assert len(apis) == 8 and {c.tech for c in apis} == {"Java and Spring Boot"}  # the archetype's
    assert len(stores) == 8 and {(c.tech, c.kind) for c in stores} == {("MySQL", "database")}
    assert {t for c in apis for t in c.tags} == {"API"}
    by_id = {c.id: c for c in system.components}
    edges = {(r.source.split(".")[-1], r.target.split(".")[-1]) for r in system.relations}
    for api in apis:  # `service1Api -> this` inside each datastore
        [store] = [c for c in stores if c.layer == api.layer]
        assert (api.id, store.id) in edges
    assert ("service5Api", "softwareSystemB") in edges  # `-> softwareSystemB` inside service5Api
    assert ("spa", "service1Api") in edges and by_id["spa"].kind == "frontend"
    assert len(system.relations) == 26


def test_a_landscape_with_decision_records(tmp_path):
    done, text, ws = imported("structurizr", EXAMPLES / "financial-risk-system" / "workspace.dsl", tmp_path / "out.arch")
    [system] = ws.systems  # software systems only: one system of them
    assert system.title == "Financial Risk System" and len(system.components) == 7
    [decision] = system.decisions
    assert (decision.id, decision.title, decision.status, decision.date) == (
        "adr-0001", "Record architecture decisions", "accepted", "2020-06-05")
    assert decision.affects == ["financialRiskSystem"]
    assert decision.context == "We need to record the architectural decisions made on this project."
    assert decision.consequences == "See Michael Nygard's article, linked above."
    relations = {r.target.split(".")[-1]: r for r in system.relations if r.source.endswith("financialRiskSystem")}
    assert relations["centralMonitoringService"].is_async and not relations["activeDirectory"].is_async
    assert "line 8: !docs docs: documentation: no place in the language" in text


def test_nested_groups_and_outside_systems_no_relation_names(tmp_path):
    _, text, ws = imported("structurizr", EXAMPLES / "groups-nested.dsl", tmp_path / "out.arch")
    [system] = ws.systems
    assert sorted(layer.title for layer in system.layers) == ["Service A", "Service B"]
    assert {a.id: a.tags for a in system.actors} == {"b": ["group:Department B"], "c": ["group:Organisation"],
                                                     "d": ["group:Team 1"]}
    assert {c.title: c.kind for c in system.components}["A Database"] == "database"
    _, _, grouped = imported("structurizr", EXAMPLES / "groups.dsl", tmp_path / "out.arch")
    assert sorted(layer.title for layer in grouped.systems[0].layers) == ["Service 1", "Service 2"]


@pytest.mark.parametrize("spec", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_spec_goes_out_and_back_with_the_same_findings(spec, tmp_path):
    out = tmp_path / f"{spec.stem}.dsl"
    run_export("structurizr", spec, out)  # in the process: the command line is tested on the examples
    back = tmp_path / f"{spec.stem}.arch"
    run_import("structurizr", out, back)
    before, after = archdsl.load(spec), archdsl.load(back)
    for a, b in zip(before.systems, after.systems, strict=True):
        assert [(v.id, v.title, build_scene(before, a, v.id).nodes) for v in a.views] == [
            (v.id, v.title, build_scene(after, b, v.id).nodes) for v in b.views]  # the same elements
        assert [(c.id, c.title, c.kind, c.tech, c.layer, c.effective_state, [k.statement() for k in c.keeps],
                 c.replicas, c.replication, c.sla, c.latency_ms, c.connection) for c in a.components] == [
            (c.id, c.title, c.kind, c.tech, c.layer, c.effective_state, [k.statement() for k in c.keeps],
             c.replicas, c.replication, c.sla, c.latency_ms, c.connection) for c in b.components]
        assert sorted((r.source, r.target, r.label, r.tech, r.protocol, r.is_async, r.latency_ms)
                      for r in a.relations) == sorted((r.source, r.target, r.label, r.tech, r.protocol, r.is_async,
                                                       r.latency_ms) for r in b.relations)
        assert [(d.id, d.title, d.status, d.date, d.affects) for d in a.decisions] == [
            (d.id, d.title, d.status, d.date, d.affects) for d in b.decisions]
        assert [(f.id, [(s.source, s.target, s.reads, s.writes, s.atomic, s.group) for s in f.steps])
                for f in a.flows] == [(f.id, [(s.source, s.target, s.reads, s.writes, s.atomic, s.group)
                                              for s in f.steps]) for f in b.flows]
    # the same findings, save those of the shared policy, which lives in a file the spec imports
    assert [f for f in reported(spec) if not f[0].startswith("CT")] == reported(back)


def test_export_is_deterministic_and_keeps_decisions_beside_the_file(tmp_path):
    spec = SPECS / "scenarios" / "elearning.arch"
    assert run("export", "structurizr", spec, "-o", tmp_path / "a.dsl").returncode == 0
    first = (tmp_path / "a.dsl").read_bytes()
    records = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "a-adrs").rglob("*.md"))
    assert len(records) == len(archdsl.load(spec).systems[0].decisions) and records[0].startswith("a-adrs/")
    assert b'!adrs "a-adrs/' in first
    assert run("export", "structurizr", spec, "-o", tmp_path / "a.dsl").returncode == 0  # again, over its own
    assert (tmp_path / "a.dsl").read_bytes() == first
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "a-adrs").rglob("*.md")) == records
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name or ".old-" in p.name]
    (tmp_path / "b-adrs").mkdir()
    (tmp_path / "b-adrs" / "mine.md").write_text("my own notes")
    refused = run("export", "structurizr", spec, "-o", tmp_path / "b.dsl")
    assert refused.returncode == 2 and "was not written by archdsl export" in refused.stderr
    assert (tmp_path / "b-adrs" / "mine.md").read_text() == "my own notes" and not (tmp_path / "b.dsl").exists()


def test_spec_text_cannot_break_out_of_the_workspace(tmp_path):
    (tmp_path / "evil.arch").write_text(
        'system s "S \\" } evil = softwareSystem \\"E" {\n'
        '  component a "A\\nB \\"quoted\\"" { kind service; tech "x\\" y" }\n'
        '  component b "B" { kind database }\n'
        '  a -> b "reads \\" { properties"\n'
        '}\n')
    assert run("export", "structurizr", tmp_path / "evil.arch", "-o", tmp_path / "evil.dsl").returncode == 0
    assert run("import", "structurizr", tmp_path / "evil.dsl", "-o", tmp_path / "back.arch").returncode == 0
    [system] = archdsl.load(tmp_path / "back.arch").systems  # no second system smuggled in
    assert system.title == 'S " } evil = softwareSystem "E'
    assert {c.id: c.title for c in system.components} == {"a": 'A B "quoted"', "b": "B"}  # one line in the DSL
    assert system.components[0].tech == 'x" y' and system.relations[0].label == 'reads " { properties'


INCLUDED = """workspace "Inc" {
    !constant TECH "Go 1.22"
    model {
        !include people.dsl
        shop = softwareSystem "Shop" {
            !include parts
        }
        user -> shop.api "uses" "${TECH}"
    }
}
"""


def test_includes_constants_and_folders_inside_the_workspace(tmp_path):
    (tmp_path / "workspace.dsl").write_text(INCLUDED.replace("shop.api", "api"))
    (tmp_path / "people.dsl").write_text('user = person "User"\n')
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "1-api.dsl").write_text('api = container "API" "" "${TECH}"\n')
    (tmp_path / "parts" / "2-db.dsl").write_text('db = container "DB" "" "PostgreSQL"\napi -> db "reads"\n')
    _, _, ws = imported("structurizr", tmp_path / "workspace.dsl", tmp_path / "out.arch")
    [system] = ws.systems
    assert {c.id: (c.tech, c.kind) for c in system.components} == {"api": ("Go 1.22", "service"),
                                                                    "db": ("PostgreSQL", "database")}
    assert {(r.source, r.target, r.tech) for r in system.relations} == {
        ("shop.user", "shop.api", "Go 1.22"), ("shop.api", "shop.db", "")}


@pytest.mark.parametrize("files, said", [
    ({"workspace.dsl": "workspace {\n  model {\n    !include ../outside.dsl\n  }\n}\n"},
     "workspace.dsl:3:14: '../outside.dsl' is outside the workspace's folder"),
    ({"workspace.dsl": "workspace {\n  model {\n    !include https://example.com/model.dsl\n  }\n}\n"},
     "is an address: archdsl reads files, it fetches nothing"),
    ({"workspace.dsl": "workspace {\n  model {\n    !include a.dsl\n  }\n}\n", "a.dsl": "!include b.dsl\n",
      "b.dsl": "!include a.dsl\n"}, "'a.dsl' includes itself"),
    ({"workspace.dsl": "workspace {\n  model {\n    !include missing.dsl\n  }\n}\n"}, "'missing.dsl' does not exist"),
    ({"workspace.dsl": "workspace {\n  model {\n    a = person \"A\" }\n  }\n}\n"}, "workspace.dsl:5:1: unexpected '}'"),
    ({"workspace.dsl": "workspace {\n" + "group \"g\" {\n" * 60 + "}\n" * 61}, "blocks are nested more than 48 deep"),
    ({"workspace.dsl": "workspace {\n  model {\n    !adrs ../../etc\n  }\n}\n"}, "is outside the workspace's folder"),
    ({"workspace.dsl": b"workspace \xff {\n}\n"}, "workspace.dsl: not valid UTF-8 (byte 10)"),
])
def test_a_hostile_workspace_is_a_clear_error_and_writes_nothing(tmp_path, files, said):
    root = tmp_path / "ws"
    root.mkdir()
    (tmp_path / "outside.dsl").write_text('secret = person "Secret"\n')
    for name, content in files.items():
        (root / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    done = run("import", "structurizr", root / "workspace.dsl", "-o", tmp_path / "out.arch")
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "out.arch").exists()


def test_a_symlink_out_of_the_workspace_is_refused(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (tmp_path / "outside.dsl").write_text('secret = person "Secret"\n')
    os.symlink(tmp_path / "outside.dsl", root / "inside.dsl")
    (root / "workspace.dsl").write_text("workspace {\n  model {\n    !include inside.dsl\n  }\n}\n")
    done = run("import", "structurizr", root / "workspace.dsl", "-o", tmp_path / "out.arch")
    assert done.returncode == 2 and "outside the workspace's folder" in done.stderr


def test_scripts_and_plugins_are_listed_never_run(tmp_path):
    marker = tmp_path / "ran"
    (tmp_path / "workspace.dsl").write_text(
        'workspace {\n  model {\n    a = softwareSystem "A"\n'
        f'    !script groovy {{\n      new File("{marker}").text = "x"\n    }}\n'
        '    !plugin com.example.Evil\n  }\n}\n')
    result = import_structurizr(tmp_path / "workspace.dsl")
    assert not marker.exists()
    assert "line 4: !script groovy { … }: a script (never run)" in result.text
    assert "line 7: !plugin com.example.Evil: a plugin (never run)" in result.text
    assert result.skipped == 2


def _diagrams(text: str) -> list[list[str]]:
    """Each `@startuml … @enduml` block's lines."""
    blocks, current = [], None
    for line in text.splitlines():
        if line.startswith("@startuml"):
            current = [line]
        elif current is not None:
            current.append(line)
            if line == "@enduml":
                blocks.append(current)
                current = None
    return blocks


@pytest.mark.parametrize("spec", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_plantuml_draws_each_view_with_every_element_declared_before_its_relations(spec, tmp_path):
    done = run("export", "plantuml", spec, "-o", tmp_path / "out.puml")
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out.puml").read_text()
    ws = archdsl.load(spec)
    [system] = ws.systems
    blocks = _diagrams(text)
    assert len(blocks) == 1 + len(system.views) + len(system.flows) == text.count("@startuml")
    whole = blocks[0]
    assert whole[1] == "!include <C4/C4_Container>" and "SHOW_LEGEND()" in whole
    declared = {line.split("(", 1)[1].split(",", 1)[0] for line in whole
                if line.lstrip().startswith(("Person(", "System_Ext(", "Container", "Boundary(", "System_Boundary("))}
    rels = [line for line in whole if line.startswith("Rel(")]
    assert len(rels) == len(system.relations)
    for line in rels:
        source, target = line[4:].split(", ")[:2]
        assert source in declared and target in declared, line
    assert "".join(whole).count("{") == "".join(whole).count("}")
    # every component is drawn with its state, which the legend explains
    for c in system.components:
        [drawn] = [line for line in whole if f'"{c.title}"' in line and "Container" in line]
        assert f'$tags="{c.effective_state}"' in drawn
    for block, flow in zip(blocks[1 + len(system.views):], system.flows):
        assert block[1] == "!include <C4/C4_Dynamic>"
        assert len([line for line in block if line.startswith("Rel(")]) == len(flow.steps)


def test_plantuml_cannot_be_made_to_read_spec_text(tmp_path):
    (tmp_path / "evil.arch").write_text(
        'system s "S %getenv(\\"HOME\\") $x" {\n'
        '  component a "<img:http://example.com/x.png> [[http://example.com]] \\\\n" { kind service }\n'
        '  actor u "U\\")\\n@enduml\\n!include /etc/passwd" { kind person }\n'
        '  u -> a "} {"\n'
        '}\n')
    assert run("export", "plantuml", tmp_path / "evil.arch", "-o", tmp_path / "evil.puml").returncode == 0
    text = (tmp_path / "evil.puml").read_text()
    directives = [line.strip() for line in text.splitlines() if line.lstrip().startswith(("@", "!"))]
    assert directives == ["@startuml s-system", "!include <C4/C4_Container>", "@enduml"]  # spec text starts no line
    assert "%getenv" not in text
    strings = [s for line in text.splitlines() for s in line.split('"')[1::2]]
    assert not [s for s in strings if set(s) & set('%$<>[]{}\\') and not s.startswith(("#", "C4"))], strings
    assert "\u2039img:http://example.com/x.png\u203a" in text  # drawn as written, read as nothing


def test_the_imported_example_in_specs_is_what_the_import_writes():
    """specs/imported/big-bank-plc.arch (on the site) changes only when the import does."""
    written = import_structurizr(EXAMPLES / "big-bank-plc" / "workspace.dsl").text
    assert (SPECS / "imported" / "big-bank-plc.arch").read_text() == written


@pytest.mark.parametrize("fmt, name", [("structurizr", "workspace.dsl"), ("likec4", "model.c4")])
def test_a_huge_model_is_refused_before_it_is_read(tmp_path, fmt, name):
    with open(tmp_path / name, "wb") as out:
        out.truncate(17 * 1024 * 1024)
    done = run("import", fmt, tmp_path / name, "-o", tmp_path / "out.arch")
    assert done.returncode == 2 and "over the 16 MB limit" in done.stderr and not (tmp_path / "out.arch").exists()


def test_every_spec_at_once_is_one_workspace(tmp_path):
    """Fourteen systems in one workspace, relations between them and actors they share."""
    run_export("structurizr", SPECS, tmp_path / "all.dsl")
    run_import("structurizr", tmp_path / "all.dsl", tmp_path / "back.arch")
    before, after = archdsl.load(SPECS), archdsl.load(tmp_path / "back.arch")
    assert [(s.id, len(s.components), len(s.relations), len(s.flows), len(s.decisions)) for s in before.systems] == [
        (s.id, len(s.components), len(s.relations), len(s.flows), len(s.decisions)) for s in after.systems]
    assert [sorted(t for c in s.components for t in c.tags) for s in before.systems] == [
        sorted(t for c in s.components for t in c.tags) for s in after.systems]  # kinds' drawing tags dropped again
