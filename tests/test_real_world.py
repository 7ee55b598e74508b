"""The checker on four public architectures it was not written from.

Each spec in specs/real-world/ opens with the findings an architect of that system would
sign (`// expect: CODE element`); the checker must give exactly those, of every severity,
and the site must say what they mean without claiming more than the analyses show.
"""

from __future__ import annotations

import contextlib
import re

import archdsl
import pytest
from archdsl.checker import check_workspace
from archdsl.docsite import pages
from archdsl.docsite.plan import facts_for
from archdsl.rules import Context

from conftest import SPECS

REAL = SPECS / "real-world"
SYSTEMS = sorted(p.name for p in REAL.glob("*.arch"))
EXPECT = re.compile(r"^// expect: ([A-Z]{2}\d{3}) (\S+)", re.M)


def expected(name: str) -> list[tuple[str, str]]:
    return sorted(EXPECT.findall((REAL / name).read_text(encoding="utf-8")))


def check(text: str, name: str = "spec.arch"):
    with contextlib.chdir(REAL):  # where its import of the shared policy is found
        ws = archdsl.loads(text, filename=name)
    ctx = Context(ws)
    findings, _ = check_workspace(ws, ctx=ctx)
    return ws, ctx, findings


def test_the_corpus_is_the_four_systems():
    assert SYSTEMS == ["chat.arch", "hotel-reservation.arch", "online-boutique.arch", "social-network.arch",
                       "sock-shop.arch", "train-ticket.arch"]
    assert all(expected(name) for name in SYSTEMS), "every spec lists what it should find"


@pytest.mark.parametrize("name", SYSTEMS)
def test_exactly_the_findings_the_spec_expects(name):
    ws = archdsl.load(REAL / name)
    findings, _ = check_workspace(ws)
    assert sorted((f.code, f.element) for f in findings) == expected(name)


def source(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8")


def codes_on(findings, element: str) -> set[str]:
    return {f.code for f in findings if f.element == element}


def test_replicating_a_store_removes_its_single_copy_finding():
    text = source("sock-shop.arch").replace(
        'component carts_db "carts-db" { kind database; tech "MongoDB"; replication 1 }',
        'component carts_db "carts-db" { kind database; tech "MongoDB"; replication 3; failover auto }')
    assert "replication 3" in text
    _, _, findings = check(text)
    assert "AV404" not in codes_on(findings, "sockshop.carts_db")
    assert "AV404" in codes_on(findings, "sockshop.orders_db")


def test_single_copy_is_an_error_once_the_system_promises_three_nines():
    text = source("sock-shop.arch").replace('industry ecommerce', 'industry ecommerce\n  sla 99.9%')
    _, _, findings = check(text)
    severities = {f.severity.value for f in findings if f.code == "AV404"}
    assert severities == {"error"}
    [orders] = [f for f in findings if f.element == "sockshop.orders_db"]
    assert orders.message == "orders_db holds the only copy of 'orders' (kept by orders): replication 1"


def test_reference_data_baked_into_images_is_not_accidental_state():
    text = source("online-boutique.arch").replace("session token", "session token\n      replicas 3")
    text = text.replace('component productcatalogservice "Product catalog service" {',
                        'component productcatalogservice "Product catalog service" {\n      scaling autoscale')
    _, _, findings = check(text)
    assert not codes_on(findings, "boutique.productcatalogservice")
    # the same catalog as user data in local memory is the anti-pattern
    bad = text.replace('keeps "product catalog (products.json)" as reference in local-memory',
                       'keeps "product catalog (products.json)" in local-memory')
    _, _, findings = check(bad)
    assert "SB201" in codes_on(findings, "boutique.productcatalogservice")


def test_internal_presence_query_and_async_push_are_no_mixed_boundary():
    _, _, findings = check(source("chat.arch"))
    assert not {"SB203", "CK808"} & (codes_on(findings, "chat.presence") | codes_on(findings, "chat.gateway"))
    # but a client calling presence over HTTPS while it streams status is one
    text = source("chat.arch").replace(
        '  lb -> api "REST calls" { protocol https }',
        '  lb -> api "REST calls" { protocol https }\n  lb -> presence "asks who is online" { protocol https }')
    _, _, findings = check(text)
    assert "SB203" in codes_on(findings, "chat.presence")


def test_worst_route_of_a_router_is_its_figure_and_optional_calls_are_left_out():
    ws, ctx, findings = check(source("chat.arch"))
    [comp] = [c for c in ctx.availability if c.entry == "chat.lb"]
    assert comp.members == ("chat.cache", "chat.gateway", "chat.lb")
    assert comp.availability == pytest.approx(99.99 * 0.9995 * 0.999)
    # raising the cache's availability moves the worst route to the REST side, same finding
    text = source("chat.arch").replace("sla 99.9%\n    }", "sla 99.99%\n    }")
    _, ctx2, findings2 = check(text)
    [comp2] = [c for c in ctx2.availability if c.entry == "chat.lb"]
    assert comp2.members == ("chat.api", "chat.lb", "chat.messages", "chat.pg")
    [before] = [f for f in findings if f.code == "AV403"]
    [after] = [f for f in findings2 if f.code == "AV403"]
    assert before.message != after.message and before.key == after.key


def test_every_target_in_a_system_is_checked_with_sequential_calls_added():
    text = source("sock-shop.arch").replace(
        'description "Places orders: gets the customer, cart and card, pays, ships"',
        'description "Places orders: gets the customer, cart and card, pays, ships"\n      latency 30ms')
    _, ctx, findings = check(text)
    [orders] = [p for p in ctx.latency.paths if p.component == "sockshop.orders"]
    # user, carts, payment, shipping (10 ms each by default, each with its own calls) and the db
    assert orders.sequential and orders.total_ms == (10 + 5) + (10 + 5) + 10 + (10 + 2) + 5
    assert "LT304" in codes_on(findings, "sockshop.orders")


def stakeholder(name: str) -> str:
    ws = archdsl.load(REAL / name)
    ctx = Context(ws)
    findings, _ = check_workspace(ws, ctx=ctx)
    [facts] = [facts_for(ctx, s, findings) for s in ws.systems]
    return pages.stakeholder_page(facts)


def test_stakeholder_page_names_every_store_at_risk():
    page = stakeholder("sock-shop.arch")
    assert "Any instance can be lost" not in page
    for store, held in (("carts\\-db", "carts"), ("orders\\-db", "orders"), ("session\\-db", "login sessions")):
        assert f"{store} holds the only copy of {held} (replication 1)" in page


def test_stakeholder_page_keeps_its_promise_only_when_it_holds():
    assert "Any instance can be lost without losing user data." in stakeholder("chat.arch")
    assert "Any instance can be lost" not in stakeholder("online-boutique.arch")


def test_composed_availability_shows_its_unknowns():
    ws = archdsl.load(REAL / "sock-shop.arch")
    text = source("sock-shop.arch").replace('industry ecommerce', 'industry ecommerce\n  sla 99.9%').replace(
        'tech "Node.js, Express"', 'tech "Node.js, Express"\n      sla 99.5%')
    ws, ctx, findings = check(text)
    [av] = [f for f in findings if f.code == "AV403"]
    assert "at most 99.500%" in av.message and "12 of 13 parts have no sla" in av.message
    [facts] = [facts_for(ctx, s, findings) for s in ws.systems]
    page = pages.system_page(facts)
    assert "at most 99.500%" in page and "12 of 13 parts have no sla" in page
    assert "so the real figure is lower" in pages.stakeholder_page(facts)


def test_component_table_shows_description_tech_and_kinds_of_state():
    ws = archdsl.load(REAL / "online-boutique.arch")
    ctx = Context(ws)
    findings, _ = check_workspace(ws, ctx=ctx)
    [facts] = [facts_for(ctx, s, findings) for s in ws.systems]
    table = pages.component_table(facts)
    assert "Stores the items in each user" in table and "C\\#, gRPC" in table
    assert "keeps shopping carts (session) in redis\\_cart" in table
    assert "product catalog \\(products.json\\) (reference) in local\\-memory" in table


def test_a_store_kept_by_two_components_names_what_it_holds_once():
    page = stakeholder("social-network.arch")
    assert "home\\-timeline\\-redis holds the only copy of home timelines (replication 1)" in page
