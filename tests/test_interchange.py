"""`archdsl import calm` and `archdsl export calm`: FINOS CALM 1.0 in and out, on the TraderX
document FINOS publishes and on the real-world specs, checked against CALM's own schemas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import archdsl
from archdsl.checker import check_workspace
from archdsl.fmt import format_source
from archdsl.interchange.calm import validation_errors
from archdsl.interchange.calm.reading import import_calm
from archdsl.interchange.calm.writing import export_calm

from conftest import FIXTURES, SPECS

TRADERX = FIXTURES / "calm" / "traderx.json"
REAL = sorted((SPECS / "real-world").glob("*.arch"))


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archdsl", *map(str, args)], capture_output=True, text=True)


def shape(workspace) -> dict:
    """What a round trip keeps: systems, elements with their words, relations with theirs."""
    out: dict = {}
    for s in workspace.systems:
        out[s.id] = {
            "title": s.title, "sla": s.sla, "latency": s.latency_ms,
            "layers": sorted((layer.id, layer.title, layer.kind) for layer in s.layers),
            "actors": sorted((a.id, a.title, a.kind) for a in s.actors),
            "components": sorted((c.id, c.title, c.kind, c.tech, c.layer, c.state if "state" in c.spans else None,
                                  c.replication, c.sla, c.latency_ms,
                                  tuple(k.statement() for k in c.keeps)) for c in s.components),
            "relations": sorted((r.source, r.target, r.label, r.protocol, r.tech, r.is_async, r.latency_ms)
                                for r in s.relations),
        }
    return out


def test_traderx_imports_with_every_node_and_relationship_placed_or_said(tmp_path):
    done = run("import", "calm", TRADERX, "-o", tmp_path / "traderx.arch")
    assert done.returncode == 0, done.stderr
    assert "11 components, 20 relations; 11 states and 1 system targets to fill in" in done.stderr
    text = (tmp_path / "traderx.arch").read_text()
    assert text.startswith("// Imported from FINOS CALM (traderx.json): 11 components, 20 relations;")
    assert format_source(text) == text  # written as fmt writes it
    ws = archdsl.load(tmp_path / "traderx.arch")  # loads: no AD error
    assert not [f for f in check_workspace(ws)[0] if f.code.startswith("AD")]
    source = json.loads(TRADERX.read_text())
    [system] = ws.systems
    names = {c.title for c in system.components} | {a.title for a in system.actors}
    assert names == {n["name"] for n in source["nodes"] if n["node-type"] not in ("system", "network")}
    kinds = {c.id: c.kind for c in system.components}
    assert kinds["traderx-db"] == "database" and kinds["web-client"] == "frontend"
    assert kinds["user-directory"] == "identity"
    connects = [r for r in source["relationships"] if "connects" in r["relationship-type"]]
    protocols = sorted(r.protocol for r in system.relations if r.protocol)
    assert protocols == sorted(r["protocol"].lower() for r in connects)
    assert len(system.relations) == len(connects) + 3  # and the trader's three interactions
    # nothing dropped silently: the network, where things are deployed, the flows, the classification
    assert "network 'internal-bank-network'" in text and "// deployed-in traderx-system-is-deployed-in" in text
    assert "flows (not imported)" in text and "add-update-account" in text
    assert '"data-classification: PII"' in text
    assert text.count("// TODO(state)") == 11 and "'user-directory' is in no system's composed-of" in text


@pytest.mark.parametrize("spec", REAL, ids=[p.stem for p in REAL])
def test_a_spec_exported_to_calm_is_valid_and_comes_back_the_same(spec, tmp_path):
    workspace = archdsl.load(spec)
    document = json.loads(export_calm(workspace))
    assert validation_errors(document) == []  # CALM's own 1.0 schemas
    assert len([n for n in document["nodes"] if n["node-type"] != "system"]) == sum(
        len(s.components) + len(s.actors) for s in workspace.systems)
    (tmp_path / "model.json").write_text(json.dumps(document))
    back = import_calm(tmp_path / "model.json")
    (tmp_path / "back.arch").write_text(back.text)
    again = archdsl.load(tmp_path / "back.arch")
    assert shape(again) == shape(workspace)


def test_an_import_exported_again_keeps_its_counts_and_names(tmp_path):
    assert run("import", "calm", TRADERX, "-o", tmp_path / "one.arch").returncode == 0
    done = run("export", "calm", tmp_path / "one.arch", "-o", tmp_path / "one.json")
    assert done.returncode == 0 and "1 system, 11 components, 20 relations" in done.stderr
    assert run("import", "calm", tmp_path / "one.json", "-o", tmp_path / "two.arch").returncode == 0
    one, two = archdsl.load(tmp_path / "one.arch"), archdsl.load(tmp_path / "two.arch")
    assert shape(one) == shape(two)


@pytest.mark.parametrize("content, said", [
    (b'{"nodes": [', "not JSON: Expecting value"),
    (b'{"nodes": [}', "1:12: not JSON"),
    (b"[1, 2]", "a CALM document is a JSON object"),
    (b"[" * 100_000 + b"]" * 100_000, "nested"),
    (b'{"nodes": [{"unique-id": "a", "node-type": "service"}]}', "at /nodes/0: 'name' is a required property"),
    (b'{"relationships": [{"unique-id": "r", "relationship-type": {"connects": {"source": {}}}}]}',
     "not a valid CALM 1.0 architecture"),
    (b"\xff\xfe{}", "not valid UTF-8 (byte 0)"),
])
def test_a_broken_document_is_a_clear_error_and_writes_nothing(tmp_path, content, said):
    (tmp_path / "bad.json").write_bytes(content)
    done = run("import", "calm", tmp_path / "bad.json", "-o", tmp_path / "out.arch")
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.arch").exists()


def test_a_huge_document_is_refused_before_it_is_read(tmp_path):
    with open(tmp_path / "huge.json", "wb") as out:
        out.truncate(17 * 1024 * 1024)
    done = run("import", "calm", tmp_path / "huge.json", "-o", tmp_path / "out.arch")
    assert done.returncode == 2 and "over the 16 MB limit" in done.stderr


def test_hostile_names_stay_words_of_the_spec(tmp_path):
    hostile = {"nodes": [
        {"unique-id": "sys", "node-type": "system", "name": 'S" } system evil "E', "description": "a\nb"},
        {"unique-id": "svc one/two", "node-type": "service", "name": "A \\ \"quoted\" name\n// not a comment",
         "description": "*/ /* {"},
        {"unique-id": "9lives", "node-type": "database", "name": "DB", "description": ""}],
        "relationships": [
            {"unique-id": "c", "relationship-type": {"composed-of": {"container": "sys", "nodes": ["svc one/two", "9lives"]}}},
            {"unique-id": "r", "description": "} } }", "relationship-type": {
                "connects": {"source": {"node": "svc one/two"}, "destination": {"node": "9lives"}}}}]}
    (tmp_path / "hostile.json").write_text(json.dumps(hostile))
    assert run("import", "calm", tmp_path / "hostile.json", "-o", tmp_path / "out.arch").returncode == 0
    ws = archdsl.load(tmp_path / "out.arch")
    [system] = ws.systems  # no second system smuggled in
    assert system.title == 'S" } system evil "E' and system.description == "a\nb"
    titles = {c.id: c.title for c in system.components}
    assert titles == {"svc-one-two": 'A \\ "quoted" name\n// not a comment', "n-9lives": "DB"}
    [relation] = system.relations
    assert (relation.source, relation.target, relation.label) == ("sys.svc-one-two", "sys.n-9lives", "} } }")


def test_export_refuses_a_broken_spec_and_an_output_that_is_an_input(tmp_path):
    (tmp_path / "bad.arch").write_text('system s "S" {\n  component a "A" { kind nonsense }\n}\n')
    done = run("export", "calm", tmp_path / "bad.arch", "-o", tmp_path / "out.json")
    assert done.returncode == 1 and "AD108" in done.stderr and not (tmp_path / "out.json").exists()
    good = SPECS / "scenarios" / "elearning.arch"
    same = run("export", "calm", good, "-o", good)
    assert same.returncode == 2 and good.read_text().startswith("//")  # untouched
    here = run("import", "calm", TRADERX, "-o", TRADERX)
    assert here.returncode == 2 and json.loads(TRADERX.read_text())["nodes"]


def test_facts_in_the_metadata_are_taken_only_when_the_language_accepts_them(tmp_path):
    wild = {"state": "banana", "kind": "database", "sla": 1e400, "latency_ms": -5, "replication": 0,
            "layer": "9 bad", "industry": "piracy", "tech": "Postgres \"16\"",
            "keeps": [{"what": "rows", "kind": "user-data", "where": "nowhere"},
                      {"what": "hot rows", "kind": "cache", "where": "local-memory", "ttl_ms": 5000},
                      {"what": "x", "kind": "gold", "where": "local-memory"}]}
    document = {"nodes": [
        {"unique-id": "s", "node-type": "system", "name": "S", "description": "",
         "metadata": {"archdsl": {"sla": 250, "industry": "banking"}}},
        {"unique-id": "s.db", "node-type": "service", "name": "DB", "description": "", "metadata": {"archdsl": wild}}],
        "relationships": [{"unique-id": "c", "relationship-type": {"composed-of": {"container": "s", "nodes": ["s.db"]}}}]}
    (tmp_path / "wild.json").write_text(json.dumps(document).replace("Infinity", "1e400"))
    imported = import_calm(tmp_path / "wild.json")
    (tmp_path / "wild.arch").write_text(imported.text)
    ws = archdsl.load(tmp_path / "wild.arch")  # every fact it took is one the language accepts
    [system] = ws.systems
    [db] = system.components
    assert system.industry == "banking" and system.sla is None  # 250 % is no availability
    assert db.kind == "database" and "state" not in db.spans and db.replication is None and db.layer is None
    assert db.tech == 'Postgres "16"' and db.latency_ms is None
    assert [k.statement() for k in db.keeps] == ["hot rows as cache in local-memory ttl 5s"]
    assert '// keeps "rows" as user-data in nowhere: no element nowhere here' in imported.text
