"""The graph: a node per component and actor, an edge per relation, the model reachable."""

from __future__ import annotations

import networkx as nx
from conftest import FIXTURES, SPECS
from hypothesis import given, settings
from hypothesis import strategies as st

import archdsl
from archdsl.graph import condensed


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


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4 * n))))
def test_condensed_finds_networkx_strongly_connected_sets_callees_first(graph_spec):
    n, edges = graph_spec
    reference = nx.DiGraph()
    reference.add_nodes_from(f"n{i}" for i in range(n))
    reference.add_edges_from((f"n{a}", f"n{b}") for a, b in edges)
    successors = {node: sorted(reference.successors(node)) for node in reference}
    sets, scc_of = condensed(successors)
    assert sorted(map(sorted, sets)) == sorted(map(sorted, nx.strongly_connected_components(reference)))
    assert all(scc_of[member] == i for i, members in enumerate(sets) for member in members)
    for u, v in reference.edges:
        assert scc_of[v] <= scc_of[u]  # a callee's set is settled before its caller's
    assert condensed(successors) == (sets, scc_of)  # the same graph, the same order


def test_condensed_walks_a_long_chain_without_recursion():
    chain = {f"n{i:05d}": [f"n{i + 1:05d}"] for i in range(20_000)}
    chain["n20000"] = ["n00000"]  # one loop through all of them
    sets, _ = condensed(chain)
    assert len(sets) == 1 and len(sets[0]) == 20_001
