"""Site pages as pure functions: content, links and the escaping of untrusted spec text."""

from __future__ import annotations

import archdsl
from archdsl.checker import check_workspace
from archdsl.docsite import pages
from archdsl import markup as t
from archdsl.docsite.plan import facts_for, plan_site
from archdsl.rules import Context

from conftest import SPECS


def facts(path):
    ws = archdsl.load(path)
    ctx = Context(ws)
    findings, _ = check_workspace(ws, ctx=ctx)
    return ws, [facts_for(ctx, s, findings) for s in ws.systems]


def test_inline_text_cannot_become_markup():
    out = t.inline('<script>alert(1)</script> [x](javascript:alert(1)) *b* {{ config }} | `c`\nnext')
    assert "<script>" not in out and "\n" not in out
    assert "\\[x\\]\\(javascript:alert\\(1\\)\\)" in out
    assert "&#123;&#123; config &#125;&#125;" in out and "\\|" in out and "\\*b\\*" in out


def test_block_markdown_is_rendered_without_raw_html_or_unsafe_links():
    html = t.block('**bold** <img src=x onerror=alert(1)> [ok](https://a.example/x) [rel](../y.md) '
                   '[bad](javascript:alert(1)) [proto](//evil.example) {{ x }}')
    assert "<strong>bold</strong>" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="https://a.example/x"' in html and 'href="../y.md"' in html
    assert 'href="javascript' not in html and 'href="//evil' not in html
    assert "&#123;&#123; x &#125;&#125;" in html
    assert html.startswith('<div class="arch-md">')


def test_titles_are_escaped_for_templates_that_print_them_raw():
    assert t.title("</title><script>x</script>") == "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;"
    front = pages.front_matter('a "quoted" <b>title</b>')
    assert front.startswith('---\ntitle: "a &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt;"\n---')


def test_system_page_has_every_section():
    _, [f] = facts(SPECS / "scenarios" / "elearning.arch")
    page = pages.system_page(f)
    for heading in ("# E\\-Learning Platform", "## Components", "## Entry points", "## Checklist", "## Findings"):
        assert heading in page
    assert "| **[Live Q&amp;A](components/live_qa.md)**" in page and "(decisions/adr-004.md)" in page
    assert "Real\\-time bidirectional communication needs the connection on the server" in page
    assert page.count("arch-pass") == 8  # every checklist answer passes
    assert "No findings" in page
    assert "80% (4 of 5 components" in page


def test_checklist_names_the_components_that_fail_it():
    _, [f] = facts(SPECS / "anti-patterns" / "premature-statefulness.arch")
    page = pages.system_page(f)
    row = next(line for line in page.splitlines() if line.startswith("| Does every stateful component have a recovery"))
    assert "arch-fail" in row and "profiles" in row
    assert "[SB202](../../rules/SB202.md)" in page


def test_decision_pages_link_supersedes_both_ways():
    ws = archdsl.loads("""
        system s {
          component api { state stateless }
          decision old "Sessions in memory" { status superseded; date 2026-01-01; affects api }
          decision new "Sessions in Redis" {
            status accepted; date 2026-02-01; affects api; supersedes old
            context "Memory ties users to instances."
            option "Redis" { pros "stateless"; chosen }
          }
        }
    """)
    f = facts_for(Context(ws), ws.systems[0], [])
    old, new = ws.systems[0].decisions
    assert "Superseded by [new: Sessions in Redis](new.md)" in pages.decision_page(f, old)
    new_page = pages.decision_page(f, new)
    assert "Supersedes [old](old.md)" in new_page
    assert "arch-status-accepted" in new_page and "decided 2026\\-02\\-01" not in new_page
    assert "decided 2026-02-01" in new_page and "arch-pass" in new_page
    timeline = pages.timeline_page(f)
    assert timeline.index("old.md") < timeline.index("new.md")


def test_stakeholder_page_fills_in_the_business_translation():
    _, [f] = facts(SPECS / "scenarios" / "multiplayer-game.arch")
    page = pages.stakeholder_page(f)
    assert "Ten times the users without rebuilding" in page
    assert "3 stateful components need special operations" in page
    assert "**Game servers**: The simulation must run in memory" in page


def test_plan_covers_every_system_decision_and_rule():
    ws = archdsl.load(SPECS)
    plan = plan_site([ws], prefix="architecture", diagrams=False)
    decisions = sum(len(s.decisions) for s in ws.systems)
    assert plan.systems == len(ws.systems) and plan.decisions == decisions
    assert "architecture/index.md" in plan.files and "architecture/rules/SB201.md" in plan.files
    assert "architecture/systems/elearning/decisions/adr-004.md" in plan.files
    assert plan.nav[0] == {"Overview": "architecture/index.md"}
    assert plan.nav[-1]["Rules"][0] == {"All rules": "architecture/rules/index.md"}


def test_reasoning_never_quotes_a_superseded_decision_and_links_are_shown():
    ws = archdsl.loads("""
        system s {
          link "https://example.com/s?a=1&b=2"
          component api { state stateless }
          decision old "Sticky sessions" { status superseded; affects api; decision "Pin users to instances." }
          decision new "Tokens" {
            status accepted; supersedes old; affects api; decision "Signed tokens, no server sessions."
            link "https://example.com/adr/2"
          }
        }
    """)
    ctx = Context(ws)
    findings, _ = check_workspace(ws, ctx=ctx)
    [f] = [facts_for(ctx, s, findings) for s in ws.systems]
    table = pages.component_table(f)
    assert "Signed tokens, no server sessions." in table and "Pin users" not in table
    page = pages.system_page(f)
    assert '<a href="https://example.com/s?a=1&amp;b=2" rel="noopener">' in page
    assert 'href="https://example.com/adr/2"' in pages.decision_page(f, ws.systems[0].decisions[1])


def test_component_page_says_state_why_keeps_relations_decisions_findings_and_allows():
    _, [f] = facts(SPECS / "real-world" / "sock-shop.arch")
    orders = f.by_qid["sockshop.orders"]
    page = pages.component_page(f, orders)
    assert "# orders" in page and "**stateless**" in page
    assert "| orders | user-data | orders\\_db | — |" in page  # what, kind, where (escaped), no expiry
    calls = page.split("### Calls")[1].split("###")[0]
    called = page.split("### Called by")[1].split("## ")[0]
    assert "[payment](payment.md) | authorises the payment | http" in calls
    assert "[front\\-end](front_end.md) | places the order" in called
    assert "payment" not in called
    db = pages.component_page(f, f.by_qid["sockshop.orders_db"])
    assert "[AV404](../../../rules/AV404.md)" in db and "holds the only copy of 'orders'" in db


def test_component_page_escapes_spec_text():
    ws = archdsl.loads('''
        system s {
          component a "<script>alert(1)</script>" {
            description "[x](javascript:alert(1)) {{ config }}"
            tech "<b>"
            allow CK805 "<img src=x onerror=alert(2)>"
          }
          component b
          a -> b "<i>label</i>"
        }
    ''', filename="spec.arch", strict=False)
    ctx = Context(ws)
    findings, _ = check_workspace(ws, ctx=ctx)
    f = facts_for(ctx, ws.systems[0], findings)
    page = pages.component_page(f, f.by_qid["s.a"])
    for raw in ("<script>", "<b>", "<img", "<i>", "](javascript:", "{{ config }}"):
        assert raw not in page, raw


def test_migration_page_lists_phases_in_order_with_their_traffic():
    _, [f] = facts(SPECS / "scenarios" / "elearning.arch")
    [migration] = f.system.migrations
    page = pages.migration_page(f, migration)
    assert "from [Progress tracking API](../components/progress.md)" in page
    assert "to [Redis](../components/redis.md)" in page and "strategy **strangler-fig**" in page
    rows = [line for line in page.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert [row.split(" | ")[2] for row in rows] == ["0%", "5%", "100%"]
    assert "2026-03-09" in rows[1] and "p99 within the 200ms target" in rows[1]
    assert "## Rollback\n\nflip the read flag back" in page
