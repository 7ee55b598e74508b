"""Every threshold of the framework at and around its boundary (framework § Latency and § Availability)."""

from __future__ import annotations

import archdsl
import pytest
from archdsl.checker import check_workspace


def codes(text: str) -> set[str]:
    return {f.code for f in check_workspace(archdsl.loads(text))[0]}


def stateless(latency: str, calls: str = "") -> str:
    return f"system s {{ component a {{ state stateless; latency {latency} }}\n{calls} }}"


@pytest.mark.parametrize("latency, fires", [("999us", True), ("1ms", False), ("1.5ms", False)])
def test_lt301_below_one_millisecond(latency, fires):
    assert ("LT301" in codes(stateless(latency))) is fires


@pytest.mark.parametrize("latency, fires", [("999us", False), ("1ms", True), ("9.9ms", True), ("10ms", False)])
def test_lt302_from_one_to_ten_milliseconds_with_a_hop(latency, fires):
    spec = stateless(latency, "component db { kind database }\na -> db { latency 100us }")
    assert ("LT302" in codes(spec)) is fires


@pytest.mark.parametrize("latency, fires", [("9.9ms", False), ("10ms", True), ("49ms", True), ("50ms", False)])
def test_lt303_from_ten_to_fifty_milliseconds_without_a_cache(latency, fires):
    spec = stateless(latency, "component db { kind database }\na -> db { latency 100us }")
    assert ("LT303" in codes(spec)) is fires


@pytest.mark.parametrize("latency, fires", [("9.9ms", False), ("10ms", True)])
def test_sb202_a_sub_ten_millisecond_target_justifies_state(latency, fires):
    spec = f"system s {{ component a {{ state stateful; latency {latency} }} }}"
    assert ("SB202" in codes(spec)) is fires


@pytest.mark.parametrize("latency, vote", [("999us", "stateful"), ("9.9ms", "stateful"), ("10ms", "stateless"),
                                           ("99ms", "stateless"), ("100ms", "stateless")])
def test_matrix_latency_bands(latency, vote):
    from archdsl.analysis.matrix import recommend

    [c] = archdsl.loads(f"system s {{ component a {{ latency {latency} }} }}").systems[0].components
    row = next(v for v in recommend(c).votes if v.criterion == "latency model")
    assert row.vote == vote


@pytest.mark.parametrize("sla, fires", [("99.98%", False), ("99.99%", True), ("99.999%", True)])
def test_av401_from_four_nines(sla, fires):
    spec = f"""system s {{ sla {sla}
      actor u
      component api
      component db {{ kind database }}
      u -> api
      api -> db
    }}"""
    assert ("AV401" in codes(spec)) is fires


@pytest.mark.parametrize("sla, fires", [("99.9998%", False), ("99.9999%", True), ("100%", True)])
def test_av402_from_six_nines(sla, fires):
    spec = f"system s {{ component a {{ state stateful; connection tcp; justification \"x\"; sla {sla} }} }}"
    assert ("AV402" in codes(spec)) is fires


@pytest.mark.parametrize("sla, severity", [("99.89%", "warning"), ("99.9%", "error"), ("99.99%", "error")])
def test_av404_is_an_error_from_three_nines(sla, severity):
    spec = f"system s {{ sla {sla}\n component db {{ kind database; replication 1 }} }}"
    [f] = [f for f in check_workspace(archdsl.loads(spec))[0] if f.code == "AV404"]
    assert f.severity.value == severity


@pytest.mark.parametrize("stateful, fires", [(1, False), (2, False), (3, True)])
def test_in601_more_than_fifteen_points_below(stateful, fires):
    # SaaS benchmark ~90%: 8 stateless of 10 is 80% (10 below), 7 of 10 is 70% (20 below)
    parts = [f"component s{i} {{ state stateless }}" for i in range(10 - stateful)]
    parts += [f'component f{i} {{ state stateful; connection websocket; justification "x" }}' for i in range(stateful)]
    spec = "system s { industry saas\n" + "\n".join(parts) + "\n}"
    assert ("IN601" in codes(spec)) is fires


def test_in601_exactly_fifteen_points_below_is_no_finding():
    spec = """system s { industry saas
      component a { state stateless }
      component b { state stateless }
      component c { state stateless }
      component f { state stateful; connection websocket; justification "x" }
    }"""  # 75 %: exactly 15 points below ~90 %
    assert "IN601" not in codes(spec)
