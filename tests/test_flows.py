"""Flows: one request, end to end. The language, its errors, the cost of each step and of the
request, and the rules that reason over a request (LT305, LT304 at an entry, CN901-CN903, AV405)."""

from __future__ import annotations

import archdsl
from archdsl.analysis.flows import flow_costs
from archdsl.checker import check_workspace

TRAINS = """\
system trains "Train tickets" {
  sla 99.9%
  latency 300ms
  actor passenger
  component ui { kind frontend; replicas 2..6 }
  component preserve { kind service; replicas 2..6 }
  component security { kind service; replicas 2 }
  component seat { kind service; replicas 2; keeps "seats" in seat_db }
  component seat_db { kind database; replication 3 }
  component order { kind service; replicas 2; keeps "orders" in order_db }
  component order_db { kind database; replication 3 }
  component payment { kind service; replicas 2; keeps "payments" in payment_db }
  component payment_db { kind database; replication 3 }
  component food { kind service; replicas 2 }
  component notification { kind service; replicas 2 }
  passenger -> ui
  ui -> preserve { latency 15ms }
  preserve -> security
  preserve -> seat { latency 30ms }
  preserve -> food { latency 80ms }
  preserve -> order { latency 25ms }
  preserve -> payment { latency 120ms }
  preserve -> notification { async }
  seat -> seat_db
  order -> order_db
  payment -> payment_db
  flow book "Book a ticket" {
    from passenger
    latency 400ms
    description "A passenger books a seat and pays"
    step passenger -> ui "submit"
    step ui -> preserve "preserve"
    step preserve -> security "check limits" { reads "orders" }
    parallel {
      step preserve -> seat "pick a seat" { reads "seats"; writes "seats"; atomic; compensate "free the seat" }
      step preserve -> food "order food" { optional }
    }
    step preserve -> order "create order" { writes "orders"; compensate "cancel the order" }
    step preserve -> payment "pay" { writes "payments"; atomic }
    step preserve -> notification "notify" { async }
  }
}
"""


def findings(text: str):
    return check_workspace(archdsl.loads(text))[0]


def codes(text: str) -> set[tuple[str, str]]:
    return {(f.code, f.element) for f in findings(text)}


def test_a_flow_loads_with_its_steps_groups_and_attributes():
    ws = archdsl.loads(TRAINS)
    [flow] = ws.systems[0].flows
    assert (flow.qid, flow.title, flow.start, flow.latency_ms) == ("trains.book", "Book a ticket", "trains.passenger", 400)
    assert [s.arrow for s in flow.steps] == ["passenger -> ui", "ui -> preserve", "preserve -> security",
                                             "preserve -> seat", "preserve -> food", "preserve -> order",
                                             "preserve -> payment", "preserve -> notification"]
    assert [[s.label for s in stage] for stage in flow.stages()] == [
        ["submit"], ["preserve"], ["check limits"], ["pick a seat", "order food"], ["create order"], ["pay"], ["notify"]]
    seat = flow.steps[3]
    assert (seat.reads, seat.writes, seat.atomic, seat.compensate) == (["seats"], ["seats"], True, "free the seat")
    assert flow.steps[4].optional and flow.steps[7].is_async
    assert flow.participants()[:3] == ["trains.passenger", "trains.ui", "trains.preserve"]
    assert codes(TRAINS) == set(), "a sound booking flow gives no finding"


def test_the_cost_of_a_request_is_its_steps_in_order_with_parallel_groups_at_their_slowest():
    ws = archdsl.loads(TRAINS)
    [cost] = flow_costs(ws.graph)
    # ui 10 (frontend default) + 15 + security 10 + max(seat 30, food 80) + order 25 + pay 120 + notify 0
    assert cost.total_ms == 260 and cost.target_ms == 400 and not cost.over
    assert [(s.step.label, s.cost_ms, s.running_ms) for s in cost.steps] == [
        ("submit", 10, 10), ("preserve", 15, 25), ("check limits", 10, 35), ("pick a seat", 30, 115),
        ("order food", 80, 115), ("create order", 25, 140), ("pay", 120, 260), ("notify", 0, 260)]
    assert [s.step.label for s in cost.slowest()] == ["pay", "order food", "pick a seat"]


def test_a_step_over_no_relation_and_a_malformed_flow_are_errors_at_their_place():
    text = TRAINS.replace('step preserve -> order "create order"', 'step preserve -> seat_db "create order"')
    ws = archdsl.loads(text, strict=False)
    [missing] = [f for f in ws.findings if f.code == "AD113"]
    assert missing.message == "step 'preserve -> seat_db' of flow 'book' follows no relation"
    assert missing.span.line == text.splitlines().index(
        '    step preserve -> seat_db "create order" { writes "orders"; compensate "cancel the order" }') + 1
    assert missing.element == "trains.book"
    bad = archdsl.loads('system s {\n  component a\n  flow f {\n    step a\n    parallel { step a -> a }\n  }\n}\n',
                        strict=False)
    messages = sorted((f.code, f.span.line, f.message) for f in bad.findings)
    assert (("AD108", 4, "a step follows a relation: write its two ends") in messages
            and ("AD108", 5, "a parallel group needs two steps or more") in messages), messages
    unknown = archdsl.loads(TRAINS.replace("step ui -> preserve", "step ui -> preserv"), strict=False)
    assert [f.code for f in unknown.findings] == ["AD101"], "an unknown end is AD101 only, not AD113 too"


def test_lt305_names_the_slowest_steps_and_lt304_takes_the_flow_not_every_call():
    slow = TRAINS.replace("latency 400ms\n    description", "latency 200ms\n    description")
    [over] = [f for f in findings(slow) if f.code == "LT305"]
    assert over.element == "trains.book" and over.severity.value == "error"
    assert over.message == ("flow 'book' costs 260ms, over its 200ms target; slowest steps: pay (120ms), "
                            "order food (80ms), pick a seat (30ms)")
    assert over.span.line == slow.splitlines().index("    latency 200ms") + 1
    # the entry's own target is held to the request, not to every call preserve can make
    # (sequential, every call preserve can make adds up: 15 + 10+30+5+80+25+5+120+5 = 295ms)
    sequential = TRAINS.replace("component preserve { kind service;", "component preserve { kind service; calls sequential;")
    entry = sequential.replace("component ui { kind frontend;", "component ui { kind frontend; latency 260ms;")
    assert not {c for c in codes(entry) if c[0] in ("LT304", "LT305")}, "the request costs 250ms below ui"
    without_flow = entry[: entry.index("  flow book")] + "}\n"
    assert ("LT304", "trains.ui") in codes(without_flow), "every call added up is 295ms"
    tight = entry.replace("latency 260ms;", "latency 200ms;")
    [budget] = [f for f in findings(tight) if f.code == "LT304"]
    assert budget.message.startswith("flow 'book', the slowest that enters by 'ui', costs 250ms below it, over its 200ms")


def test_cn901_a_write_that_a_later_failure_strands():
    text = TRAINS.replace('writes "orders"; compensate "cancel the order"', 'writes "orders"')
    [saga] = [f for f in findings(text) if f.code == "CN901"]
    assert saga.element == "trains.book" and saga.detail == "book"
    assert saga.message == ("flow 'book' writes 'orders' in order_db ('create order') and then waits for 'pay': "
                            "if that fails, nothing undoes it")
    assert saga.span.line == text.splitlines().index('    step preserve -> order "create order" { writes "orders" }') + 1
    one_store = text.replace('keeps "payments" in payment_db', 'keeps "payments" in order_db')
    one_store = one_store.replace('writes "orders"', 'writes "orders"; atomic')
    assert not {c for c in codes(one_store) if c[0] == "CN901"}, "one transaction in one store strands nothing"
    last = text.replace('step preserve -> payment "pay" { writes "payments"; atomic }', 'step preserve -> payment "pay"')
    seat_only = last.replace('reads "seats"; writes "seats"; atomic; compensate "free the seat"', 'reads "seats"')
    assert not {c for c in codes(seat_only) if c[0] == "CN901"}, "one write alone is no saga"
    tolerated = text.replace('{ writes "payments"; atomic }', '{ writes "payments"; atomic; optional }')
    assert not {c for c in codes(tolerated) if c[0] == "CN901"}, "a failure the flow tolerates strands nothing"


def test_cn902_a_decision_on_a_copy_that_can_lag():
    bank = """
        system bank {
          component payments { keeps "balance" as cache in balances }
          component balances { kind cache }
          component ledger { kind database }
          payments -> balances
          payments -> ledger
          flow pay {
            step payments -> balances "check the balance" { reads "balance" }
            step payments -> ledger "book the payment" { writes "transactions" }
          }
        }
    """
    [stale] = [f for f in findings(bank) if f.code == "CN902"]
    assert stale.message == ("flow 'pay' reads 'balance' from balances, a copy that can lag ('check the balance'), "
                             "and then writes 'transactions' ('book the payment') on the strength of it")
    assert not {c for c in codes(bank.replace('writes "transactions" }', 'writes "transactions"; atomic }'))
                if c[0] == "CN902"}
    truth = bank.replace("component balances { kind cache }", "component balances { kind database }")
    truth = truth.replace('keeps "balance" as cache in balances', 'keeps "balance" in balances')
    assert not {c for c in codes(truth) if c[0] == "CN902"}, "read from the source of truth"


def test_cn903_read_modify_write_without_a_guard():
    hotel = """
        system hotel {
          component reservations
          component rooms { kind cache }
          reservations -> rooms
          flow reserve {
            step reservations -> rooms "count free rooms" { reads "room counts" }
            step reservations -> rooms "take one" { writes "room counts" }
          }
        }
    """
    [lost] = [f for f in findings(hotel) if f.code == "CN903"]
    assert lost.message == ("flow 'reserve' reads 'room counts' in rooms ('count free rooms') and writes it back "
                            "('take one') with no guard: two requests at once lose one update")
    assert lost.span.line == 8  # at the write
    assert not {c for c in codes(hotel.replace('writes "room counts" }', 'writes "room counts"; atomic }'))
                if c[0] == "CN903"}
    other = hotel.replace('writes "room counts"', 'writes "bookings"')
    assert not {c for c in codes(other) if c[0] == "CN903"}, "a different piece of state is no lost update"


def test_av405_counts_what_a_flow_waits_for():
    text = TRAINS.replace("component security { kind service; replicas 2 }", "component security { kind service; replicas 1 }")
    assert ("AV405", "trains.security") in codes(text)
    food = TRAINS.replace("component food { kind service; replicas 2 }", "component food { kind service; replicas 1 }")
    only_flow = food.replace("  preserve -> food { latency 80ms }", "  preserve -> food { latency 80ms; optional }")
    assert ("AV405", "trains.food") not in codes(only_flow), "an optional step is not waited for"


def test_fmt_writes_a_step_with_its_relation_and_keeps_the_meaning():
    messy = TRAINS.replace('    step passenger -> ui "submit"', '        step   passenger->ui   "submit"')
    formatted = archdsl.format_source(messy)
    assert '    step passenger -> ui "submit"\n' in formatted
    assert archdsl.format_source(formatted) == formatted
    assert [s.arrow for s in archdsl.loads(formatted).systems[0].flows[0].steps] == [
        s.arrow for s in archdsl.loads(TRAINS).systems[0].flows[0].steps]


def test_the_flow_view_is_a_sequence_diagram_drawn_by_archdsl():
    from xml.etree import ElementTree

    from archdsl.render import drawing
    from archdsl.render.views import ViewError, view_names

    ws = archdsl.loads(TRAINS)
    system = ws.systems[0]
    assert "flow:book" in view_names(system)
    svg = drawing(ws, system, "flow:book", "svg").data
    assert svg == drawing(archdsl.loads(TRAINS), archdsl.loads(TRAINS).systems[0], "flow:book", "svg").data
    root = ElementTree.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("width", "").endswith("px"), "opens at its natural size on the site"
    heads = [g.find("s:title", ns).text for g in root.iter("{http://www.w3.org/2000/svg}g")
             if g.get("class") == "participant"]
    assert heads == ["trains.passenger", "trains.ui", "trains.preserve", "trains.security", "trains.seat",
                     "trains.food", "trains.order", "trains.payment", "trains.notification"]
    steps = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "step"]
    assert [g.find("s:title", ns).text for g in steps][:3] == ["passenger -> ui", "ui -> preserve", "preserve -> security"]
    sizes = {int(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("font-size")}
    assert min(sizes) >= 12 and 14 in sizes
    lines = {g.find("s:title", ns).text: g.find("s:line", ns) for g in steps}
    assert lines["preserve -> notification"].get("stroke-dasharray") == "7 5", "async is dashed"
    assert lines["preserve -> food"].get("stroke-dasharray") == "2 4", "optional is dotted"
    assert lines["preserve -> order"].get("stroke-dasharray") is None
    assert b"parallel" in svg and b"undo: cancel the order" in svg and b' id="' not in svg
    mermaid = drawing(ws, system, "flow:book", "mmd").data.decode()
    assert mermaid.splitlines()[:3] == ["sequenceDiagram", "  title Book a ticket", "  actor p0 as passenger"]
    assert "  par\n    p2->>p4: pick a seat" in mermaid and "  and\n    p2-->>p5: order food" in mermaid
    assert "  p2-)p8: notify" in mermaid
    try:
        drawing(ws, system, "flow:book", "png")
    except ViewError as exc:
        assert "sequence diagram" in str(exc) and "svg, mmd, json" in str(exc)
    else:
        raise AssertionError("a flow cannot be drawn by Graphviz")


def test_hostile_text_in_a_flow_stays_text():
    text = TRAINS.replace('"submit"', '"<script>alert(1)</script> & \\"x\\""')
    from archdsl.render import drawing
    ws = archdsl.loads(text)
    svg = drawing(ws, ws.systems[0], "flow:book", "svg").data.decode()
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in svg


def test_the_site_has_a_page_per_flow_with_its_latency_table_linked_from_each_participant(tmp_path):
    from archdsl.docsite.plan import plan_site

    plan = plan_site([archdsl.loads(TRAINS)], diagrams=False)
    page = plan.files["systems/trains/flows/book.md"]
    assert page.startswith('---\ntitle: "Book a ticket"')
    assert "| 4 ∥ | pick a seat | [preserve](../components/preserve.md) → [seat](../components/seat.md) | 30ms | 115ms |" in page
    assert "| 8 | notify |" in page and "| — (no one waits) | 260ms |" in page
    assert "The request costs **260ms** — within the 400ms target." in page
    index = plan.files["systems/trains/flows/index.md"]
    assert "| [Book a ticket](book.md) | 8 | 260ms | 400ms |" in index
    assert "- [Book a ticket](../flows/book.md)" in plan.files["systems/trains/components/seat.md"]
    assert "../flows/" not in plan.files["systems/trains/components/seat_db.md"], "seat_db takes no part"
    assert "- [Flow: Book a ticket](flows/book.md)" in plan.files["systems/trains/index.md"]
    [system_nav] = [entry for entry in plan.nav if "Train tickets" in entry]
    assert {"Flows": [{"All flows": "systems/trains/flows/index.md"},
                      {"Book a ticket": "systems/trains/flows/book.md"}]} in system_nav["Train tickets"]


def test_diff_reports_flows_added_removed_and_their_steps():
    from archdsl.diff import diff_workspaces, to_markdown

    changed = (TRAINS.replace('step preserve -> payment "pay" { writes "payments"; atomic }',
                              'step preserve -> payment "pay" { writes "payments" }')
               .replace("latency 400ms\n    description", "latency 350ms\n    description"))
    change = diff_workspaces(archdsl.loads(TRAINS), archdsl.loads(changed))
    assert [(c.field, c.before, c.after) for c in change.flows_changed] == [
        ("latency", "400ms", "350ms"),
        ("step removed", 'preserve -> payment "pay" (writes payments, atomic)', None),
        ("step added", None, 'preserve -> payment "pay" (writes payments)')]
    markdown = to_markdown(change)
    assert "### Flows" in markdown and '- `trains.book`: step added `preserve -> payment "pay" (writes payments)`' in markdown
    gone = TRAINS[: TRAINS.index("  flow book")] + "}\n"
    removed = diff_workspaces(archdsl.loads(TRAINS), archdsl.loads(gone))
    assert removed.flows_removed == ["trains.book"] and not removed.flows_added
    assert diff_workspaces(archdsl.loads(gone), archdsl.loads(TRAINS)).flows_added == ["trains.book"]
