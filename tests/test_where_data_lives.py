"""Where data lives and more of the world: `storage`, `kind registry`, `peers`, `background`
relations and the new industries, in the language, the analyses, the rules, the drawings, the
site and `diff`; and one problem, one finding where two rules used to say the same thing."""

from __future__ import annotations

import json

import archdsl
from archdsl.analysis.checklist import answers
from archdsl.analysis.latency import slowest_paths
from archdsl.checker import check_workspace
from archdsl.cli import main
from archdsl.diff import diff_workspaces
from archdsl.docsite import pages
from archdsl.docsite.plan import facts_for
from archdsl.render import drawing
from archdsl.rules import Context
from click.testing import CliRunner

WORLD = """\
system trips "Trips" {
  industry travel
  sla 99.9%
  actor traveller
  component web { kind frontend; replicas 2..8 }
  component bookings { kind service; replicas 1; keeps "bookings" in cassandra; keeps "routes" in consul }
  component nightly { kind scheduler; replicas 1 }
  component cassandra {
    kind database
    storage persistent
    replication 3
    peers "gossip" { protocol tcp; latency 2ms; description "ring membership" }
  }
  component consul { kind registry; replication 3 }
  component carts { kind cache; storage ephemeral; keeps "carts" as session in local-memory }
  traveller -> web "books"
  web -> bookings "books" { latency 20ms }
  web -> carts "keeps the cart"
  bookings -> cassandra "writes"
  bookings -> consul "finds cassandra"
  nightly -> bookings "rebuilds the routes" { background; latency 5s }
}
"""


def element(ws, qid: str):
    return ws.graph.nodes[qid]["element"]


def found(text: str) -> set[tuple[str, str]]:
    return {(f.code, f.element) for f in check_workspace(archdsl.loads(text))[0]}


def test_the_new_words_load_into_the_model():
    ws = archdsl.loads(WORLD)
    system = ws.systems[0]
    assert system.industry == "travel"
    cassandra = element(ws, "trips.cassandra")
    assert cassandra.storage == "persistent"
    [gossip] = cassandra.peers
    assert (gossip.label, gossip.protocol, gossip.latency_ms, gossip.description) == (
        "gossip", "tcp", 2.0, "ring membership")
    assert gossip.span.line == WORLD.splitlines().index('    peers "gossip" { protocol tcp; latency 2ms; '
                                                        'description "ring membership" }') + 1
    assert element(ws, "trips.carts").storage == "ephemeral" and element(ws, "trips.consul").kind == "registry"
    assert element(ws, "trips.consul").effective_state == "managed"  # a data kind
    [nightly] = [r for r in system.relations if r.source == "trips.nightly"]
    assert nightly.background and nightly.off_path and nightly.how == "background"
    assert element(ws, "trips.bookings").single_instance and not element(ws, "trips.web").single_instance


def test_a_keeps_without_as_in_a_registry_is_reference_and_an_explicit_kind_stays():
    ws = archdsl.loads(WORLD)
    kinds = {k.what: k.kind for k in element(ws, "trips.bookings").keeps}
    assert kinds == {"bookings": "user-data", "routes": "reference"}
    ws = archdsl.loads(WORLD.replace('keeps "routes" in consul', 'keeps "routes" as user-data in consul'))
    assert {k.what: k.kind for k in element(ws, "trips.bookings").keeps}["routes"] == "user-data"


def test_mistakes_in_the_new_words_are_errors_with_their_place():
    bad = WORLD.replace("storage persistent", "storage forever").replace('peers "gossip"', 'peers gossip')
    ws = archdsl.loads(bad, strict=False)
    messages = {(f.code, f.span.line): f.message for f in ws.findings}
    lines = bad.splitlines()
    storage = lines.index("    storage forever") + 1
    peers = next(i for i, line in enumerate(lines) if "peers gossip" in line) + 1
    assert "storage" in messages[("AD108", storage)] and "forever" in messages[("AD108", storage)]
    assert messages[("AD108", peers)] == "unexpected 'gossip' in 'peers'"
    selfish = archdsl.loads('system s {\n  component db { kind database }\n  db -> db "replicates"\n}\n',
                            strict=False)
    [loop] = [f for f in selfish.findings if f.code == "AD105"]
    assert "peers" in loop.hint  # the way to say it instead


def test_background_relations_are_off_the_request_path():
    ws = archdsl.loads(WORLD)
    # the traveller's request: web, then bookings (20ms) and its slowest store (cassandra, 5ms)
    assert [(p.component, p.total_ms) for p in slowest_paths(ws.graph, {}).paths] == [("trips.web", 25.0)]
    exports = WORLD.replace("component web { kind frontend;", "component web { kind frontend; latency 30ms;").replace(
        '  nightly ->', '  component reports { kind worker }\n  bookings -> reports "exports the day" { background; latency 5s }\n  nightly ->')
    assert not {c for c in found(exports) if c[0] == "LT304"}, "no request waits for the nightly export"
    waited = exports.replace('"exports the day" { background; latency 5s }', '"exports the day" { latency 5s }')
    assert ("LT304", "trips.web") in found(waited), "the same call on the request path blows the budget"
    codes = found(WORLD)
    assert ("AV405", "trips.nightly") not in codes, "a scheduler calling in the background is on no path"


def test_av405_fires_only_on_declared_single_instances_of_a_high_target():
    codes = found(WORLD)
    assert ("AV405", "trips.bookings") in codes
    assert not any(code == "AV405" and element != "trips.bookings" for code, element in codes)
    assert not {c for c in found(WORLD.replace("sla 99.9%", "sla 99.5%")) if c[0] == "AV405"}
    unsaid = WORLD.replace("kind service; replicas 1;", "kind service;")
    assert not {c for c in found(unsaid) if c[0] == "AV405"}, "never guessed where replicas are not declared"


def test_an_ephemeral_store_of_user_data_is_an_error_whatever_the_target():
    text = WORLD.replace("sla 99.9%\n", "").replace('keeps "carts" as session in local-memory', "")
    text = text.replace('web -> carts "keeps the cart"', 'web -> carts "keeps the cart"\n  web -> orders')
    text = text.replace("  traveller ->", '  component orders { keeps "orders" in orders_db }\n'
                        "  component orders_db { kind database; storage ephemeral }\n  traveller ->")
    [single] = [f for f in check_workspace(archdsl.loads(text))[0] if f.code == "AV404"]
    assert single.element == "trips.orders_db" and single.severity.value == "error"
    assert "storage ephemeral, so any restart loses it" in single.message and "'orders'" in single.message
    assert "storage persistent" in single.hint
    replicated = text.replace("kind database; storage ephemeral", "kind database; storage ephemeral; replication 3")
    assert not {c for c in found(replicated) if c[0] == "AV404"}, "the other copies survive one restart"


def test_one_problem_one_finding():
    database = """
        system s {
          sla 99.99%
          component api { replicas 2; keeps "orders" in db }
          component db { kind database; replication 1 }
          api -> db
        }
    """
    codes = found(database)
    assert ("AV404", "s.db") in codes and ("AV401", "s.db") not in codes
    assert ("CK806", "s.db") not in codes and ("CK801", "s.db") not in codes
    ws = archdsl.loads(database)
    [recovery] = [a for a in answers(ws.graph, ws.systems[0]) if a.code == "CK806"]
    assert recovery.offenders == ("s.db",), "the site's checklist counts the store with no second copy"
    captcha = """
        system s {
          component web { kind frontend; scaling autoscale; keeps "captcha answers" as session in local-memory }
        }
    """
    assert found(captcha) == {("SB206", "s.web")}


def test_ck801_names_what_an_instance_takes_with_it_by_its_kind():
    text = """
        system s {
          component rooms { state stateful; scaling affinity; keeps "presence" as session in local-memory }
          component games { state stateful; keeps "scores" in local-disk }
        }
    """
    messages = {f.element: f.message for f in check_workspace(archdsl.loads(text))[0] if f.code == "CK801"}
    assert messages["s.rooms"].endswith("takes the sessions it keeps in its own memory or disk with it ('presence').")
    assert messages["s.games"].endswith("takes the user data it keeps in its own memory or disk with it ('scores').")


def test_new_industries_have_no_benchmark_so_in601_is_silent():
    lopsided = """
        system s {
          industry %s
          component a { state stateful; justification "x" }
          component b { state stateful; justification "x" }
        }
    """
    assert ("IN601", "s") in found(lopsided % "ecommerce")
    for industry in ("travel", "media", "healthcare", "logistics", "fintech"):
        assert not {c for c in found(lopsided % industry) if c[0] == "IN601"}, industry


def test_background_is_drawn_dotted_and_named():
    ws = archdsl.loads(WORLD)
    system = ws.systems[0]
    dot = drawing(ws, system, "system", "dot").data.decode()
    [line] = [line for line in dot.splitlines() if '"trips.nightly" -> "trips.bookings"' in line]
    assert "style=dotted" in line and "background" in line
    mermaid = drawing(ws, system, "system", "mmd").data.decode()
    [arrow] = [line for line in mermaid.splitlines() if "rebuilds the routes" in line]
    assert "-.->" in arrow and "background" in arrow


def test_the_component_page_shows_storage_and_peers():
    ws = archdsl.loads(WORLD)
    ctx = Context(ws)
    findings, _ = check_workspace(ws, ctx=ctx)
    facts = facts_for(ctx, ws.systems[0], findings)
    cassandra = pages.component_page(facts, element(ws, "trips.cassandra"))
    assert "Its storage is **persistent**" in cassandra
    assert "### Its instances talk to one another" in cassandra and "| gossip | tcp | 2ms |" in cassandra
    carts = pages.component_page(facts, element(ws, "trips.carts"))
    assert "Its storage is **ephemeral**: what it holds does not survive a restart" in carts
    bookings = pages.component_page(facts, element(ws, "trips.bookings"))
    assert "| 5s | background |" in bookings  # the nightly job, in the Called by table


def test_diff_reports_storage_peers_and_background():
    after = (WORLD.replace("kind cache; storage ephemeral", "kind cache; storage persistent")
             .replace('peers "gossip" { protocol tcp; latency 2ms; description "ring membership" }',
                      'peers "gossip" { protocol tcp; latency 3ms }')
             .replace("{ background; latency 5s }", "{ latency 5s }"))
    change = diff_workspaces(archdsl.loads(WORLD), archdsl.loads(after))
    fields = {(c.id, c.field): (c.before, c.after) for c in change.changed}
    assert fields[("trips.carts", "storage")] == ("ephemeral", "persistent")
    assert fields[("trips.cassandra", "peers")] == ("gossip (tcp, 2ms)", "gossip (tcp, 3ms)")
    assert [(c.id, c.field, c.before, c.after) for c in change.relations_changed] == [
        ("trips.nightly -> trips.bookings", "background", True, False)]


def test_the_schema_knows_the_new_words(tmp_path):
    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)
    text = json.dumps(schema)
    for word in ('"ephemeral"', '"registry"', '"travel"', '"background"', '"peers"', '"flows"', '"compensate"'):
        assert word in text, word
