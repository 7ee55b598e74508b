"""The analyses on their own: matrix, latency paths, availability, stateless share, checklist."""

from __future__ import annotations

import time

import archdsl
import pytest
from archdsl.analysis import availability, checklist, latency, matrix, ratio


def component(body: str):
    ws = archdsl.loads(f"system s {{ component c {{ {body} }} }}")
    return ws.systems[0].components[0]


# ---------------------------------------------------------------- decision matrix

@pytest.mark.parametrize("body, expected, forced", [
    ("connection websocket", "stateful", "connection model"),
    ("connection grpc-stream; latency 500ms; growth 100x", "stateful", "connection model"),
    ("latency 500us; access read-heavy; growth 10x", "stateful", "latency model"),
    ("connection queue; team distributed; failure compensation", "stateless", "connection model"),
    ("connection batch", "stateless", "connection model"),
    ("kind database", "stateful", "data system"),
])
def test_forcing_rows(body, expected, forced):
    rec = matrix.recommend(component(body))
    assert (rec.recommended, rec.forced_by) == (expected, forced)


def test_each_row_votes_from_its_requirement():
    rec = matrix.recommend(component(
        "connection request-response; latency 5ms; access iterative; growth fixed; team distributed;"
        " deploy dedicated; failure compensation; session rich"))
    votes = {v.criterion: v.vote for v in rec.votes}
    assert votes == {
        "connection model": "stateless", "latency model": "stateful", "data access": "stateful",
        "scale trajectory": "stateful", "team expertise": "stateful", "deployment model": "stateful",
        "failure handling": "stateful", "session requirements": "stateful",
    }
    assert rec.recommended == "stateful" and rec.tally == {"stateless": 1, "stateful": 7}


def test_a_tie_goes_to_stateless():
    rec = matrix.recommend(component("access iterative; growth 10x"))
    assert rec.tally == {"stateless": 1, "stateful": 1}
    assert rec.recommended == "stateless"
    assert "when in doubt, start stateless" in matrix.explain(rec)


def test_no_requirements_means_stateless_and_uninformed():
    rec = matrix.recommend(component(""))
    assert (rec.recommended, rec.informed) == ("stateless", False)


# ---------------------------------------------------------------- latency

def _graph(text):
    return archdsl.loads(text).graph


def test_slowest_path_uses_relation_latency_else_kind_defaults():
    g = _graph("""
        system s {
          latency 100ms
          actor u
          component api
          component db { kind database }
          component ext { kind external }
          component q { kind queue }
          u -> api
          api -> db
          api -> ext { latency 40ms }
          api -> q { async }
        }
    """)
    [path] = latency.slowest_paths(g).paths
    assert (path.component, path.total_ms, path.path, path.hops) == ("s.api", 40, ("s.api", "s.ext"), (40,))
    assert path.entry and path.target_ms == 100
    assert not path.over_budget


def test_hop_defaults_can_be_configured():
    g = _graph("system s { actor u; component api; component db { kind database }; u -> api; api -> db }")
    [path] = latency.slowest_paths(g, {"database": 12}).paths
    assert path.total_ms == 12


def test_entry_points_fall_back_to_edge_and_gateway_layers():
    g = _graph("""
        system s {
          layer gw { kind gateway; component gateway { kind gateway } }
          layer app { kind compute; component api }
          gateway -> api
        }
    """)
    assert [p.component for p in latency.slowest_paths(g).paths if p.entry] == ["s.gateway"]


def test_cycle_reported_and_paths_still_finite():
    g = _graph("""
        system s { actor u; component a; component b; u -> a; a -> b { latency 1ms }; b -> a { latency 1ms } }
    """)
    report = latency.slowest_paths(g)
    assert [c.nodes for c in report.cycles] == [("s.a", "s.b")]
    [entry] = report.paths
    assert entry.total_ms == 0 and not entry.bounded, "inside a loop only the calls out of it count"


def test_latency_is_linear_on_a_long_diamond_chain():
    """A chain of diamonds has 2^n paths; the walk must not enumerate them."""
    def spec(n):
        lines = ["system s {", "actor u", "component n0"]
        for i in range(n):
            lines += [f"component a{i}; component b{i}; component n{i + 1}",
                      f"n{i} -> a{i} {{ latency 1ms }}", f"n{i} -> b{i} {{ latency 2ms }}",
                      f"a{i} -> n{i + 1} {{ latency 1ms }}", f"b{i} -> n{i + 1} {{ latency 1ms }}"]
        lines += ["u -> n0", "}"]
        return "\n".join(lines)

    g = _graph(spec(400))
    started = time.perf_counter()
    [path] = latency.slowest_paths(g).paths
    assert path.total_ms == 400 * 3
    assert len(path.path) == 2 * 400 + 1
    assert time.perf_counter() - started < 30  # 2^400 paths would never finish


def _paths(text: str) -> dict:
    return {p.component: p for p in latency.slowest_paths(_graph(text)).paths}


def test_every_component_with_a_target_is_checked_not_only_entry_points():
    paths = _paths("""
        system s {
          actor u
          component web
          component orders { latency 20ms }
          component db { kind database }
          u -> web
          web -> orders { latency 3ms }
          orders -> db { latency 30ms }
        }
    """)
    assert set(paths) == {"s.web", "s.orders"}
    assert (paths["s.orders"].total_ms, paths["s.orders"].over_budget, paths["s.orders"].entry) == (30, True, False)
    assert paths["s.web"].total_ms == 33 and paths["s.web"].target_ms is None


def test_relation_latency_is_the_hop_alone_and_sequential_calls_add_up():
    spec = """
        system s {
          actor u
          component api { latency 100ms; calls %s }
          component a; component b
          component db { kind database }
          u -> api
          api -> a { latency 30ms }
          api -> b { latency 40ms }
          a -> db { latency 20ms }
        }
    """
    parallel = _paths(spec % "parallel")["s.api"]
    sequential = _paths(spec % "sequential")["s.api"]
    assert parallel.total_ms == 50 and parallel.path == ("s.api", "s.a", "s.db")  # 30 + 20 beats 40
    assert sequential.total_ms == 90 and sequential.sequential


def test_calls_to_actors_end_the_path():
    paths = _paths("""
        system s {
          latency 500ms
          actor u; actor push
          component notify
          u -> notify
          notify -> push { latency 80ms }
          push -> u
        }
    """)
    assert paths["s.notify"].total_ms == 80 and paths["s.notify"].bounded


def test_cache_anywhere_below_counts_and_loops_share_it():
    report = latency.slowest_paths(_graph("""
        system s {
          component api; component svc; component cache { kind cache }
          component lonely; component db { kind database }
          component x; component y; component z { keeps "rates" as reference in local-memory }
          api -> svc
          svc -> cache
          lonely -> db
          x -> y
          y -> x
          y -> z
        }
    """))
    assert {"s.api", "s.svc", "s.cache", "s.x", "s.y", "s.z"} <= report.cached
    assert not {"s.lonely", "s.db"} & report.cached


# ---------------------------------------------------------------- availability

def test_composition_multiplies_hard_dependencies_only():
    g = _graph("""
        system s {
          sla 99.9%
          actor u
          component api { sla 99.95% }
          component db { kind database; sla 99.95% }
          component cache { kind cache; sla 99.9% }
          component audit { kind queue; sla 99% }
          component legacy
          u -> api
          api -> db
          api -> cache { optional }
          api -> audit { async }
          db -> legacy
        }
    """)
    [comp] = availability.compose(g)
    assert comp.members == ("s.api", "s.db", "s.legacy")
    assert comp.availability == pytest.approx(99.95 * 0.9995)
    assert comp.missing == ("s.legacy",)
    assert comp.weakest == (("s.api", 99.95), ("s.db", 99.95))
    assert comp.below_target is False
    assert comp.upper_bound and comp.unknowns == "1 of 3 parts has no sla"
    assert comp.figure == f"at most {99.95 * 0.9995:.3f}%"


def test_a_router_takes_one_route_a_service_needs_all_its_calls():
    g = _graph("""
        system s {
          sla 99.9%
          actor u
          layer edge {
            kind edge
            component lb { kind load-balancer; sla 99.99% }
          }
          component users { sla 99.9% }
          component orders { sla 99.5% }
          component db { kind database; sla 99.95% }
          u -> lb
          lb -> users
          lb -> orders
          users -> db
          orders -> db
        }
    """)
    [comp] = availability.compose(g)
    assert comp.members == ("s.db", "s.lb", "s.orders"), "the worst route, not every route at once"
    assert comp.availability == pytest.approx(99.99 * 0.995 * 0.9995)
    assert not comp.upper_bound and comp.figure.startswith("99.")


def test_shared_dependencies_count_once_and_loops_need_every_member():
    g = _graph("""
        system s {
          actor u
          component api { sla 99.9% }
          component a { sla 99.9% }
          component b { sla 99.9% }
          component db { kind database; sla 99% }
          u -> api
          api -> a
          api -> b
          a -> db
          b -> db
          b -> a
          a -> b
        }
    """)
    [comp] = availability.compose(g)
    assert comp.members == ("s.a", "s.api", "s.b", "s.db")
    assert comp.availability == pytest.approx(99.9 * 0.999 * 0.999 * 0.99)


@pytest.mark.parametrize("percent, text", [
    (99.0, "87.7 h/yr"), (99.9, "8.8 h/yr"), (99.99, "53 min/yr"), (99.999, "5 min/yr"), (99.9999, "32 s/yr"),
])
def test_downtime_matches_the_framework_availability_table(percent, text):
    assert availability.downtime_per_year(percent) == text


# ---------------------------------------------------------------- stateless share

def test_share_leaves_managed_data_systems_out():
    ws = archdsl.loads("""
        system s {
          industry gaming
          component a { state stateless }
          component b { state stateless }
          component c { state stateful; connection udp }
          component db { kind database }
        }
    """)
    share = ratio.stateless_share(ws.systems[0])
    assert (share.percent, share.benchmark, share.managed) == (pytest.approx(200 / 3), 60, ("s.db",))
    assert share.departure == pytest.approx(200 / 3 - 60)


# ---------------------------------------------------------------- checklist

def test_checklist_names_offenders_and_answers():
    ws = archdsl.loads("""
        system s {
          component rooms { state stateful; connection websocket; scaling affinity; replicas 2..4 }
          component api { state stateless; scaling manual; session server }
          decision d { affects rooms }
        }
    """)
    answers = {a.code: a for a in checklist.answers(ws.graph, ws.systems[0])}
    assert answers["CK801"].offenders == ("s.rooms",)
    assert answers["CK802"].offenders == ("s.api",)
    assert answers["CK803"].offenders == ("s.api",) and answers["CK803"].answer == "yes"
    assert answers["CK804"].offenders == ("s.rooms",)  # documented, but not justified
    assert answers["CK806"].answer == "no"
    assert answers["CK807"].offenders == ("s.api",)
    assert answers["CK808"].passed and answers["CK808"].answer == "yes"
