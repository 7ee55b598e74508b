"""The graph: a node per component and actor, an edge per relation, the model reachable."""

from __future__ import annotations

import archdsl
import networkx as nx

from conftest import FIXTURES, SPECS


def test_design_example_graph_shape():
    ws = archdsl.load(FIXTURES / "design" / "main.arch")
    g = ws.graph
    assert isinstance(g, nx.MultiDiGraph)
    assert sorted(g.nodes) == [
        "elearning.learner", "elearning.live_qa", "elearning.pg", "elearning.progress",
        "elearning.redis", "elearning.video_cdn", "shared.audit", "shared.s3",
    ]
    assert g.number_of_edges() == 4
    node = g.nodes["elearning.progress"]
    assert (node["type"], node["system"], node["layer"]) == ("component", "elearning", "api")
    assert node["element"].latency_ms == 100
    assert g.nodes["elearning.learner"]["type"] == "actor"
    assert g.nodes["shared.s3"]["layer"] is None
    [data] = g.get_edge_data("elearning.live_qa", "elearning.redis").values()
    assert data["relation"].is_async is True
    assert data["relation"].label == "fan-out"


def test_parallel_relations_are_separate_edges():
    ws = archdsl.loads("""
        system s {
          component a; component b
          a -> b "reads"
          a -> b "writes" { async }
        }
    """)
    assert ws.graph.number_of_edges("s.a", "s.b") == 2


def test_graph_matches_the_model_for_every_shipped_spec():
    ws = archdsl.load(SPECS)
    assert ws.graph.number_of_nodes() == sum(len(s.components) + len(s.actors) for s in ws.systems)
    assert ws.graph.number_of_edges() == sum(len(s.relations) for s in ws.systems)


def test_unresolved_relations_stay_out_of_the_graph():
    ws = archdsl.loads("system s { component a; a -> ghost }", strict=False)
    assert ws.graph.number_of_edges() == 0
    assert [f.code for f in ws.findings] == ["AD101"]
