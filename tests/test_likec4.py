"""`archdsl import likec4` and `archdsl export likec4`: LikeC4's own examples in (its Big Bank plc,
the cloud-system project of many files, dynamic views), the shipped specs out through LikeC4's own
`validate` and back with the same findings, and hostile projects."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import archdsl
from archdsl.render.views import build_scene
from archdsl.interchange.commands import run_export, run_import

from conftest import FIXTURES, REPO, SPECS, imported, reported
from conftest import archdsl_run as run

EXAMPLES = FIXTURES / "likec4"
SHIPPED = sorted([*(SPECS / "real-world").glob("*.arch"), *(SPECS / "scenarios").glob("*.arch")])
LIKEC4 = REPO / "tests" / "node" / "node_modules" / ".bin" / "likec4"  # installed by scripts/test (npm ci)








def validate(folder: Path) -> subprocess.CompletedProcess:
    """LikeC4's own parser and checks, on a folder of .c4 files."""
    return subprocess.run([str(LIKEC4), "validate", str(folder)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})


def test_likec4s_big_bank_comes_in_like_structurizrs(tmp_path):
    done, text, ws = imported("likec4", EXAMPLES / "bigbank", tmp_path / "out.arch")
    assert "11 components, 17 relations; 11 states and 1 system targets to fill in" in done.stderr
    [system] = ws.systems  # the enterprise is a grouping, not a system
    assert system.title == "Internet Banking System" and system.tags == ["group:Big Bank plc"]
    assert {a.id: a.kind for a in system.actors} == {
        "customer": "person", "mainframe": "system", "email": "system", "supportStaff": "person",
        "backoffice": "person", "atm": "system"}
    kinds = {c.id: c.kind for c in system.components}
    assert kinds["database"] == "database" and kinds["singlePageApplication"] == "frontend"
    assert kinds["mobileApp"] == "frontend" and kinds["apiApplication"] == "service"
    assert {c.id for c in system.components if "part-of:apiApplication" in c.tags} == {
        "signinController", "accountsSummaryController", "resetPasswordController", "securityComponent",
        "mainframeBankingSystemFacade", "emailComponent"}
    assert {c.tech for c in system.components if c.id.endswith("Controller")} == {"Spring MVC Rest Controller"}
    assert "bigbank.c4 line 86: customer -> bigbank.internetBankingSystem" in text
    assert "bigbank.c4 line 121: view index of { … }: views are drawn by archdsl from the model" in text


def test_a_project_of_many_files_with_extends_kinds_and_metadata(tmp_path):
    done, text, ws = imported("likec4", EXAMPLES / "cloud-system", tmp_path / "out.arch")
    systems = {s.id: s for s in ws.systems}
    assert sorted(systems) == ["amazon", "cloud"]
    cloud = systems["cloud"]
    parts = {c.id: c for c in cloud.components}
    # `extend cloud.next { … }` in cloud/next.c4, before model.c4 declares cloud, and nested kinds
    assert parts["graphql"].tags[:2] == ["next", "api"] and "part-of:next" in parts["graphql"].tags
    assert parts["ui"].kind == "frontend" and "version=2.1.1" in parts["ui"].tags
    assert parts["ui"].description == "All the frontend applications\nof Cloud System"  # indentation removed
    title = {c.qid: c.title for s in ws.systems for c in [*s.components, *s.actors]}
    edges = {(title[r.source], title[r.target], r.label) for s in ws.systems for r in s.relations}
    assert ("Backend V2", "Users Table", "reads/writes") in edges  # `backend -> aurora.tblUsers`, into amazon
    assert ("Customer Dashboard", "Backend V2", "fetches via GraphQL") not in edges  # it went to myAccount
    assert len(cloud.relations) + len(systems["amazon"].relations) == 23
    assert "deployment.c4 line 22: deployment { … }: deployment: no place in the language" in text
    assert "is no element archdsl read" not in text  # every reference resolved (`cloud.graphql.myAccount`…)


def test_dynamic_views_are_flows(tmp_path):
    _, text, ws = imported("likec4", EXAMPLES / "dynamic", tmp_path / "out.arch")
    [system] = ws.systems
    flows = {f.id: f for f in system.flows}
    assert flows["authTokenUpdateFlow"].title == "Use Cases / Story 1.2 - Auth token update"
    assert [(s.source.split(".")[-1], s.target.split(".")[-1], s.label) for s in flows["authTokenUpdateFlow"].steps] == [
        ("customer", "web", "interacts"), ("web", "auth", ""), ("auth", "cache", "lookups"), ("auth", "cache", "stores")]


@pytest.mark.parametrize("spec", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_spec_goes_through_likec4_and_back_with_the_same_findings(spec, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    run_export("likec4", spec, project / "model.c4")  # in the process: the command line is tested on the examples
    checked = validate(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # LikeC4 reads it as its own
    back = tmp_path / "back.arch"
    run_import("likec4", project, back)
    before, after = archdsl.load(spec), archdsl.load(back)
    for a, b in zip(before.systems, after.systems, strict=True):
        assert [(v.id, v.title, build_scene(before, a, v.id).nodes) for v in a.views] == [
            (v.id, v.title, build_scene(after, b, v.id).nodes) for v in b.views]  # the same elements
        assert [(c.id, c.title, c.kind, c.tech, c.layer, c.effective_state, [k.statement() for k in c.keeps],
                 c.replicas, c.sla, c.latency_ms) for c in a.components] == [
            (c.id, c.title, c.kind, c.tech, c.layer, c.effective_state, [k.statement() for k in c.keeps],
             c.replicas, c.sla, c.latency_ms) for c in b.components]
        assert sorted((r.source, r.target, r.label, r.tech, r.protocol, r.is_async) for r in a.relations) == sorted(
            (r.source, r.target, r.label, r.tech, r.protocol, r.is_async) for r in b.relations)
        assert [(d.id, d.title, d.status, d.date, d.affects, d.context) for d in a.decisions] == [
            (d.id, d.title, d.status, d.date, d.affects, d.context) for d in b.decisions]
        assert [(f.id, len(f.steps)) for f in a.flows] == [(f.id, len(f.steps)) for f in b.flows]
    assert [f for f in reported(spec) if not f[0].startswith("CT")] == reported(back)


def test_spec_text_stays_text_in_likec4(tmp_path):
    (tmp_path / "evil.arch").write_text(
        "system s \"S ' } model { x = actor 'X\" {\n"
        "  component a \"A \\\\ back\\nslash 'quoted'\" { kind service; tech \"x' y\" }\n"
        "  component b \"B\" { kind database }\n"
        "  a -> b \"reads ' { \" \n"
        "}\n")
    project = tmp_path / "project"
    project.mkdir()
    assert run("export", "likec4", tmp_path / "evil.arch", "-o", project / "evil.c4").returncode == 0
    checked = validate(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert run("import", "likec4", project, "-o", tmp_path / "back.arch").returncode == 0
    [system] = archdsl.load(tmp_path / "back.arch").systems
    assert system.title == "S ' } model { x = actor 'X"
    assert {c.id: c.title for c in system.components} == {"a": "A \\ back\nslash 'quoted'", "b": "B"}
    assert system.components[0].tech == "x' y" and system.relations[0].label == "reads ' { "


@pytest.mark.parametrize("files, said", [
    ({"a.c4": "model {\n  a = system 'A' {\n}\n"}, "a.c4:3:2: the file ends inside a block (a } is missing)"),
    ({"a.c4": "model {\n  extend nowhere {\n    x = component 'X'\n  }\n}\n"}, "a.c4:2:10: no element 'nowhere' to extend"),
    ({"a.c4": "model {\n" + "  a = system 'A' {\n" * 60 + "}\n" * 61}, "blocks are nested more than 48 deep"),
    ({"a.c4": b"model { \xff }"}, "a.c4: not valid UTF-8 (byte 8)"),
    ({}, "no .c4 or .likec4 files in the folder"),
])
def test_a_hostile_project_is_a_clear_error_and_writes_nothing(tmp_path, files, said):
    project = tmp_path / "project"
    project.mkdir()
    for name, content in files.items():
        (project / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    done = run("import", "likec4", project, "-o", tmp_path / "out.arch")
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "out.arch").exists()


def test_a_symlink_out_of_the_project_is_refused(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.c4").write_text("model {\n  secret = system 'Secret'\n}\n")
    (project / "model.c4").write_text("model {\n  a = system 'A'\n}\n")
    os.symlink(tmp_path / "secret.c4", project / "linked.c4")
    done = run("import", "likec4", project, "-o", tmp_path / "out.arch")
    assert done.returncode == 2 and "leads outside the folder" in done.stderr


def test_a_folder_is_refused_for_a_one_file_format(tmp_path):
    done = run("import", "structurizr", tmp_path, "-o", tmp_path / "out.arch")
    assert done.returncode == 2 and "a structurizr model is one file" in done.stderr


def test_every_spec_at_once_is_one_model_likec4_reads(tmp_path):
    """Fourteen systems in one model: relations between systems, actors two systems share, tags
    (which LikeC4 takes only at the head of a body, declared), views and flows of each."""
    project = tmp_path / "project"
    project.mkdir()
    run_export("likec4", SPECS, project / "all.c4")
    checked = validate(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    run_import("likec4", project, tmp_path / "back.arch")
    before, after = archdsl.load(SPECS), archdsl.load(tmp_path / "back.arch")
    assert [(s.id, len(s.components), len(s.relations), len(s.flows), len(s.decisions)) for s in before.systems] == [
        (s.id, len(s.components), len(s.relations), len(s.flows), len(s.decisions)) for s in after.systems]
    assert sorted(t for s in after.systems for c in s.components for t in c.tags if not t.startswith("part-of")) == \
        sorted(t.replace(" ", "-") for s in before.systems for c in s.components for t in c.tags
               if not t.startswith("part-of"))


def test_an_import_never_writes_over_a_file_it_read(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    model = "model {\n  a = system 'A'\n}\n"
    (project / "model.c4").write_text(model)
    done = run("import", "likec4", project, "-o", project / "model.c4")
    assert done.returncode == 2 and "overwrite a file the model is read from" in done.stderr
    assert (project / "model.c4").read_text() == model
    (tmp_path / "workspace.dsl").write_text("workspace {\n  model {\n    !include people.dsl\n  }\n}\n")
    (tmp_path / "people.dsl").write_text('user = person "User"\n')
    done = run("import", "structurizr", tmp_path / "workspace.dsl", "-o", tmp_path / "people.dsl")
    assert done.returncode == 2 and (tmp_path / "people.dsl").read_text() == 'user = person "User"\n'
