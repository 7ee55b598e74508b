"""A team's own rules: `constraint` blocks, checked by CT901-CT905 like the built-in rules; every
mistake in one is an error with its place, never a constraint that is silently true."""

from __future__ import annotations

import json
import textwrap

import pytest

import archdsl
from archdsl.checker import check_workspace
from archdsl.config import Settings
from archdsl.fmt import format_source

from conftest import findings_of

SHOP = """
system shop "Shop" {
  %s
  actor user "User"
  layer edge "Edge" { kind edge
    component web "Web" { state stateless; tags legacy }
    component app "App" { state stateless }
  }
  layer gateway "Gateway" { kind gateway
    component gw "Gateway" { kind gateway }
  }
  layer services "Services" { kind compute
    component orders "Orders" { state stateless; tags pci }
    component stock "Stock" { state stateless }
    component mail "Mail" { state stateless }
  }
  layer data "Data" { kind data
    component db "Orders DB" { kind database; state stateful; replication 1; owner "orders" }
    component cache "Cache" { kind cache; state stateful; replication 2 }
  }
  user -> web
  user -> app
  web -> db "reads"
  web -> gw
  app -> gw
  gw -> orders
  orders -> stock
  stock -> orders "confirms"
  orders -> mail { async }
  mail -> orders
  orders -> db
  orders -> cache
}
"""


def check(text: str, settings: Settings | None = None, **files: str):
    """The CT findings of a spec (as code, element, line, message, hint), and the workspace."""
    ws = archdsl.loads(textwrap.dedent(text), filename="shop.arch", strict=False)
    assert not ws.errors, [f.message for f in ws.errors]
    found, _ = check_workspace(ws, settings)
    return [f for f in found if f.code.startswith("CT")]


def shop_text(constraint: str) -> str:
    return SHOP % textwrap.indent(textwrap.dedent(constraint).strip(), "  ").lstrip()


def shop(constraint: str, settings: Settings | None = None):
    return check(shop_text(constraint), settings)


def elements(found) -> set[tuple[str, str]]:
    return {(f.code, f.element) for f in found}


def test_forbid_reports_each_relation_between_the_selected_elements():
    constraint = """
        constraint ui-not-data "The UI never talks to a data store directly" {
          forbid layer:edge -> layer:data
        }
    """
    found = shop(constraint)
    assert elements(found) == {("CT901", "shop.web->shop.db")}
    [f] = found
    assert "'ui-not-data' (The UI never talks to a data store directly)" in f.message
    assert f.detail == "ui-not-data" and f.severity.value == "warning"  # the default severity
    assert f.hint == "line 4: forbid layer:edge -> layer:data"  # the statement, where it stands
    line = shop_text(constraint).splitlines().index('  web -> db "reads"') + 1
    assert (f.span.line, f.span.column) == (line, 3)  # the relation itself


def test_only_reports_relations_outside_the_allowed_targets_unless_excluded():
    found = shop("""
        constraint one-door "The edge calls only the gateway" {
          severity error
          only layer:edge -> layer:gateway
        }
    """)
    assert elements(found) == {("CT902", "shop.web->shop.db")}
    assert found[0].severity.value == "error"  # the constraint's own severity
    # the legacy web front is excused on the left: nothing left to report
    assert shop("only * unless tag:legacy & layer:edge, actor -> layer:gateway, layer:services, layer:data"
                .join(('constraint c "C" {\n', '\n}'))) == []


def test_selectors_combine_with_and_or_unless():
    forbid = 'constraint c "C" {\n  forbid %s -> %s\n}'
    assert elements(shop(forbid % ("layer:services & tag:pci", "kind:database"))) == {
        ("CT901", "shop.orders->shop.db")}
    assert elements(shop(forbid % ("orders", "kind:database, kind:cache"))) == {
        ("CT901", "shop.orders->shop.db"), ("CT901", "shop.orders->shop.cache")}
    assert elements(shop(forbid % ("*", "state:stateful unless kind:cache"))) == {
        ("CT901", "shop.web->shop.db"), ("CT901", "shop.orders->shop.db")}
    assert elements(shop(forbid % ("actor", "tag:legacy"))) == {("CT901", "shop.user->shop.web")}
    assert elements(shop(forbid % ("system:shop & layer:gateway", "layer:services"))) == {
        ("CT901", "shop.gw->shop.orders")}


def test_require_names_every_missing_attribute_of_each_component():
    found = shop("""
        constraint stores "Every store is replicated and owned" {
          require kind:database, kind:cache { replication >= 2; owner; sla >= 99.9% }
        }
    """)
    messages = {f.element: f.message for f in found}
    assert set(messages) == {"shop.db", "shop.cache"}
    assert "replication is 1, where the constraint wants replication >= 2" in messages["shop.db"]
    assert "sla is not set" in messages["shop.db"] and "owner" not in messages["shop.db"]
    assert "owner is not set" in messages["shop.cache"] and "replication" not in messages["shop.cache"]
    assert shop('constraint s "S" {\n  require state:stateless { state = stateless; replicas >= 1 }\n}') != []
    assert shop('constraint s "S" {\n  require kind:database { state = stateful; kind != cache }\n}') == []


def test_fan_limits_count_distinct_elements_each_way():
    assert elements(shop('constraint f "F" {\n  max fan-out 2 for layer:services\n}')) == {("CT904", "shop.orders")}
    assert elements(shop('constraint f "F" {\n  max fan-in 1 for *\n}')) == {
        ("CT904", "shop.gw"), ("CT904", "shop.orders"), ("CT904", "shop.db")}
    assert shop('constraint f "F" {\n  max fan-out 4 for *\n}') == []


def test_no_cycles_reports_each_cycle_once_and_leaves_async_relations_out():
    found = shop('constraint loops "No cycles among services" {\n  no cycles among layer:services\n}')
    # orders <-> stock is a cycle; orders -> mail is async, so mail -> orders closes none
    assert elements(found) == {("CT905", "shop.orders")}
    assert "orders -> stock -> orders" in found[0].message


def test_allow_and_settings_apply_to_constraint_findings():
    text = SHOP.replace("web -> db \"reads\"", "web -> db \"reads\" { allow CT901 \"read replica, by design\" }") % (
        'constraint ui "UI" {\n    forbid layer:edge -> layer:data\n  }')
    assert check(text) == []  # allowed where it stands
    plain = SHOP % 'constraint ui "UI" {\n    forbid layer:edge -> layer:data\n  }'
    assert check(plain, Settings(ignore=["CT"])) == []
    from archdsl.diagnostics import Severity
    [f] = check(plain, Settings(severity={"CT901": Severity.INFO}))
    assert f.severity is Severity.INFO


def test_a_policy_at_the_top_of_a_file_holds_for_the_files_that_import_it(write):
    root = write({
        "policy.arch": """
            constraint replicated "Every database is replicated" {
              severity error
              require kind:database { replication >= 2 }
            }
        """,
        "common.arch": 'import "policy.arch"\n',
        "a.arch": """
            import "common.arch"
            system a "A" { component db "DB" { kind database; state stateful; replication 1 } }
        """,
        "b.arch": """
            system b "B" { component db "DB" { kind database; state stateful; replication 1 } }
        """,
    })
    ws = archdsl.load(root, strict=False)
    assert not ws.errors
    [policy] = ws.policies
    assert policy.applies_to == ["a"]  # through common.arch; b imports nothing
    found = [f for f in check_workspace(ws)[0] if f.code.startswith("CT")]
    assert [(f.code, f.element, f.severity.value) for f in found] == [("CT903", "a.db", "error")]
    assert found[0].span.file == "a.arch" and "policy.arch" not in found[0].message


@pytest.mark.parametrize("statement, message, column, hint", [
    ("forbid lyer:edge -> layer:data", "unknown selector 'lyer:'", 10, "did you mean 'layer'"),
    ("forbid kind:databse -> *", "unknown kind 'databse'", 10, "did you mean 'database'"),
    ("forbid state:statefull -> *", "unknown state 'statefull'", 10, "did you mean 'stateful'"),
    ("forbid layer:edge layer:data", "'forbid' needs one '->' between two selectors", 3, ""),
    ("forbid layer:edge -> ", "", 0, ""),  # a syntax error, reported as one (AD100)
    ("forbid * & -> layer:data", "a selector ends with '&'", 12, ""),
    ("forbid * & & kind:cdn -> layer:data", "'&' joins two terms", 14, ""),
    ("forbid * layer:edge -> layer:data", "'layer:edge' follows a term without '&' or ','", 12, ""),
    ("forbid * unless -> layer:data", "'unless' needs a selector after it", 12, ""),
    ('forbid "web" -> layer:data', "'\"web\"' is no selector", 10, ""),
    ("require kind:database { replicaton >= 2 }", "unknown attribute 'replicaton' in a require block", 27,
     "did you mean 'replication'"),
    ('require kind:database { replication >= "two" }', "'replication' needs a whole number", 42, ""),
    ("require kind:database { owner >= 2 }", "'>=' does not apply to owner, which is not a number", 33, ""),
    ("require kind:database { state = liquid }", "unknown state 'liquid'", 35, ""),
    ("require kind:database { replication 2 }", "'replication' is compared with an operator", 39, ""),
    ("require kind:database", "'require' needs a block of attributes", 3, ""),
    ("max fan-out many for *", "the most a fan may be is a whole number, not 'many'", 15, ""),
    ("max fan-up 3 for *", "write 'max fan-out N for' or 'max fan-in N for' and a selector", 3, ""),
    ("no loops among *", "write 'no cycles among' and a selector", 3, ""),
    ("forbidd * -> *", "unknown statement 'forbidd' in a constraint", 3, "did you mean 'forbid'"),
    ("severity fatal", "unknown severity 'fatal'", 12, "error, info, warning"),
])
def test_mistakes_in_a_constraint_are_errors_with_their_place(statement, message, column, hint):
    text = f'system s "S" {{\n  component a "A" {{ state stateless }}\n  constraint c "C" {{\n    {statement}\n  }}\n}}\n'
    found = [f for f in findings_of(text) if f[0] in ("AD100", "AD107", "AD108")]
    assert found, statement
    code, line, col, said, told = found[0]
    if not message:
        assert code == "AD100" and line in (4, 5)
        return
    assert (code, line) == ("AD108", 4) and said.startswith(message), (said, told)
    assert col == column + 2, (col, said)  # the column of the offending value, in the indented line
    assert hint in told


def test_unknown_names_in_selectors_are_errors_that_suggest_the_right_one():
    found = findings_of('system s "S" {\n  layer services "S" { component api "API" { state stateless } }\n'
                        '  constraint c "C" {\n    forbid layer:servces -> apii\n    no cycles among system:t\n  }\n}\n')
    assert [(f[0], f[1], f[2]) for f in found] == [("AD101", 4, 12), ("AD101", 4, 29), ("AD101", 5, 21)]
    assert "did you mean 'services'" in found[0][4] and "did you mean 'api'" in found[1][4]
    assert "unknown system 't'" in found[2][3] and "s" in found[2][4]


def test_two_constraints_with_one_id_and_an_empty_one_are_reported():
    found = findings_of('system s "S" {\n  component a "A" { state stateless }\n'
                        '  constraint c "C" { no cycles among * }\n  constraint c "Again" { }\n}\n')
    assert [(f[0], f[1], f[3][:22]) for f in found] == [
        ("AD108", 4, "constraint 'c' says no"), ("AD102", 4, "duplicate constraint i")]


def test_the_formatter_keeps_constraints_and_is_stable():
    messy = ('system s "S" {\n  component a "A" { state stateless }\n'
             '  constraint c "C" {\n  severity   error\n    only a->*  unless tag:x,kind:cdn\n'
             '    require  kind:database {replication>=2;owner}\n    max fan-out 3 for *\n  }\n}\n')
    once = format_source(messy)
    assert "only a -> * unless tag:x, kind:cdn" in once
    assert "replication >= 2" in once
    assert format_source(once) == once
    before = archdsl.loads(messy, strict=False).systems[0].constraints[0]
    after = archdsl.loads(once, strict=False).systems[0].constraints[0]
    assert before.model_dump(exclude={"span", "spans"}, mode="json")["clauses"][0]["verb"] == "only"
    strip = lambda c: json.dumps([(k.verb, k.text, k.limit) for k in c.clauses])  # noqa: E731
    assert strip(before) == strip(after)


def test_constraints_reach_the_json_model_and_the_report(write, tmp_path):
    root = write({"shop.arch": SHOP % 'constraint ui "UI" {\n    forbid layer:edge -> layer:data\n  }'})
    ws = archdsl.load(root / "shop.arch")
    dumped = ws.model_dump(mode="json")
    assert dumped["systems"][0]["constraints"][0]["clauses"][0]["target"]["text"] == "layer:data"


def test_one_constraint_is_selected_or_ignored_by_its_id(write):
    import subprocess
    import sys

    two = ('constraint ui-not-data "UI" {\n    forbid layer:edge -> layer:data\n  }\n'
           '  constraint small "Small" {\n    max fan-out 2 for layer:services\n  }')
    root = write({"shop.arch": SHOP % two})

    def codes(*options: str) -> set[tuple[str, str]]:
        done = subprocess.run([sys.executable, "-m", "archdsl", "check", "--no-cache", "--format", "json",
                               *options, str(root / "shop.arch")], capture_output=True, text=True)
        assert done.returncode in (0, 1), done.stderr
        return {(f["code"], f["constraint"]) for f in json.loads(done.stdout)["findings"] if f["code"][:2] == "CT"}

    assert codes() == {("CT901", "ui-not-data"), ("CT904", "small")}
    assert codes("--ignore", "CT:ui-not-data") == {("CT904", "small")}  # the id in any case, on the command line
    assert codes("--select", "CT901:UI-NOT-DATA") == {("CT901", "ui-not-data")}
    assert codes("--select", "CT904,CT:ui-not-data") == {("CT901", "ui-not-data"), ("CT904", "small")}
    bad = subprocess.run([sys.executable, "-m", "archdsl", "check", "--ignore", "SB201:x", str(root)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "names no constraint" in bad.stderr


def test_sarif_carries_each_constraint_as_a_rule_with_its_title(write):
    import subprocess
    import sys

    from archdsl.report.sarif import fingerprint

    root = write({"shop.arch": SHOP % ('constraint ui-not-data "The UI never talks to a data store directly" {\n'
                                       '    severity error\n    forbid layer:edge -> layer:data\n  }')})
    done = subprocess.run([sys.executable, "-m", "archdsl", "check", "--no-cache", "--format", "sarif",
                           str(root / "shop.arch")], capture_output=True, text=True)
    run = json.loads(done.stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    [result] = [r for r in run["results"] if r["ruleId"].startswith("CT")]
    assert result["ruleId"] == "CT901/ui-not-data" and result["level"] == "error"
    rule = rules[result["ruleIndex"]]
    assert rule["id"] == "CT901/ui-not-data" and rule["name"] == "ui-not-data"
    assert rule["shortDescription"]["text"] == "The UI never talks to a data store directly"
    assert "`forbid layer:edge -> layer:data` (line 5)" in rule["help"]["markdown"]
    # the fingerprint is the code, the relation and the constraint's id: a new title keeps it
    ws = archdsl.load(root / "shop.arch", strict=False)
    [finding] = [f for f in check_workspace(ws)[0] if f.code == "CT901"]
    assert result["partialFingerprints"]["archdslFinding/v2"] == fingerprint(finding)
    retitled = (root / "shop.arch").read_text().replace("The UI never", "UI code never")
    (root / "shop.arch").write_text(retitled)
    ws = archdsl.load(root / "shop.arch", strict=False)
    [again] = [f for f in check_workspace(ws)[0] if f.code == "CT901"]
    assert fingerprint(again) == fingerprint(finding) and again.message != finding.message


def test_sarif_has_one_rule_for_one_id_in_two_systems(write):
    """Two systems of a file, each with its own constraint `c`: SARIF rule ids stay unique (as
    `--ignore CT:c` and settings name both by their id), and each finding points at the rule."""
    from archdsl.report.sarif import render

    root = write({"two.arch": """
        system a "A" {
          constraint c "No edge to data" { forbid layer:edge -> layer:data }
          layer edge "Edge" { kind edge; component w "W" { state stateless } }
          layer data "Data" { kind data; component d "D" { kind database; replication 3 } }
          w -> d
        }
        system b "B" {
          constraint c "No edge to data either" { forbid layer:edge -> layer:data }
          layer edge "Edge" { kind edge; component w "W" { state stateless } }
          layer data "Data" { kind data; component d "D" { kind database; replication 3 } }
          w -> d
        }
        """})
    ws = archdsl.load(root / "two.arch", strict=False)
    findings = [f for f in check_workspace(ws)[0] if f.code == "CT901"]
    run = json.loads(render(findings, 1, ws.constraints()))["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(findings) == 2 and ids.count("CT901/c") == 1 and len(ids) == len(set(ids))
    assert [ids[r["ruleIndex"]] for r in run["results"]] == ["CT901/c", "CT901/c"]


def test_rules_lists_and_explain_explains_the_constraints_of_the_specs(write):
    import subprocess
    import sys

    root = write({"policy.arch": 'constraint no-loops "No cycles among services" {\n  no cycles among *\n}\n',
                  "shop.arch": 'import "policy.arch"\n' + SHOP % (
                      'constraint ui "The UI never talks to a data store" {\n    severity error\n'
                      '    forbid layer:edge -> layer:data\n  }')})

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "archdsl", *args], capture_output=True, text=True)

    listed = run("rules", str(root)).stdout
    assert "SB201" in listed and "no-loops  CT905" in listed and "(policy.arch:1)" in listed
    assert "ui        CT901        error    The UI never talks to a data store  (shop.arch:4)" in listed
    as_json = json.loads(run("rules", str(root), "--format", "json").stdout)
    [ui] = [r for r in as_json if r.get("constraint") == "ui"]
    assert ui == {"constraint": "ui", "title": "The UI never talks to a data store", "severity": "error",
                  "codes": ["CT901"], "file": "shop.arch", "line": 4, "systems": ["shop"]}
    told = run("explain", "no-loops", str(root)).stdout
    assert told.startswith("# no-loops: No cycles among services")
    assert "holds for: shop" in told and "CT905: no cycle of on-path relations among every element" in told
    wrong = run("explain", "no-loop", str(root))
    assert wrong.returncode == 2 and "did you mean 'no-loops'" in wrong.stderr
    assert "needs the specs" in run("explain", "no-loops").stderr


def test_the_site_has_a_policy_page_with_breaches_and_allowed_ones(write):
    from archdsl import markup
    from archdsl.docsite.plan import plan_site

    hostile = 'The <img src=x onerror=alert(1)> rule'
    text = SHOP.replace('web -> db "reads"', 'web -> db "reads" { allow CT902 "the <b>legacy</b> page, until May" }')
    text = text % (f'constraint one-door "{hostile}" {{\n    only layer:edge -> layer:gateway\n  }}\n'
                   '  constraint loops "No loops" {\n    no cycles among layer:services\n  }')
    root = write({"shop.arch": text})
    plan = plan_site([archdsl.load(root / "shop.arch")], diagrams=False)
    assert {"Policy": "policy.md"} in plan.nav
    page = plan.files["policy.md"]
    one_door, loops = page.split("\n## ")[1:]
    assert markup.inline(hostile) in page and "<img" not in page  # spec text never becomes markup
    assert "| [CT902](rules/CT902.md) | relations from layer:edge may reach only layer:gateway |" in one_door
    assert "Broken nowhere." in one_door  # the only breach is allowed, and the reason is shown
    assert "**Allowed at**" in one_door
    assert f"| {markup.literal('shop.web->shop.db')} | CT902 | the &lt;b&gt;legacy&lt;/b&gt;" in one_door
    assert "**Broken at**" in loops and markup.inline("orders -> stock -> orders") in loops
    assert "| Constraint | Severity | Holds for | Broken |" in page and "| shop | 1 |" in page
    plain = write({"plain.arch": 'system p "P" { component a "A" { state stateless } }\n'})
    assert "policy.md" not in plan_site([archdsl.load(plain / "plain.arch")], diagrams=False).files


def test_diff_reports_constraints_added_removed_changed_and_their_new_findings(write):
    from archdsl.diff import diff_workspaces, to_markdown

    first = ('constraint ui "The UI never talks to a data store" {\n    forbid layer:edge -> layer:data\n  }\n'
             '  constraint gone "Soon gone" {\n    max fan-out 9 for *\n  }')
    second = ('constraint ui "The UI never touches data" {\n    severity error\n    forbid layer:edge -> layer:data\n'
              '    no cycles among layer:services\n  }\n'
              '  constraint fresh "Fresh" {\n    max fan-in 1 for kind:database\n  }')
    base_root = write({"base/shop.arch": SHOP % first, "head/shop.arch": SHOP % second})
    base = archdsl.load(base_root / "base" / "shop.arch")
    head = archdsl.load(base_root / "head" / "shop.arch")
    change = diff_workspaces(base, head)
    assert change.constraints_added == ["shop/fresh: Fresh"]
    assert change.constraints_removed == ["shop/gone: Soon gone"]
    assert {(c.field, c.before, c.after) for c in change.constraints_changed} == {
        ("title", "The UI never talks to a data store", "The UI never touches data"),
        ("severity", "warning", "error"), ("statement added", None, "no cycles among layer:services")}
    assert {(f.code, f.detail) for f in change.new_findings} >= {("CT905", "ui"), ("CT904", "fresh")}
    markdown = to_markdown(change)
    assert "1 constraint added, 1 removed, 1 changed" in markdown
    assert "- constraint `shop/ui`: statement added `no cycles among layer:services`" in markdown
    assert "- adds constraint `shop/fresh`: Fresh" in markdown
    document = json.loads(change.to_json())
    assert document["constraints"]["added"] == ["shop/fresh: Fresh"]


def test_the_settings_grade_one_constraint_by_its_id(write):
    import subprocess
    import sys

    from archdsl.config import parse_settings

    two = ('constraint ui-not-data "UI" {\n    forbid layer:edge -> layer:data\n  }\n'
           '  constraint small "Small" {\n    max fan-out 2 for layer:services\n  }')
    settings = parse_settings({"severity": {"CT:UI-not-data": "error", "CT904": "info"}}, "pyproject.toml")
    graded = {f.detail: f.severity.value for f in shop(two.replace("\n  constraint", "\nconstraint"), settings)}
    assert graded == {"ui-not-data": "error", "small": "info"}
    root = write({"shop.arch": SHOP % two,
                  "pyproject.toml": '[tool.archdsl.severity]\n"CT901:ui-not-data" = "info"\n"SB201:x" = "info"\n'})
    done = subprocess.run([sys.executable, "-m", "archdsl", "check", "--no-cache", str(root / "shop.arch")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "'SB201:X' names no constraint" in done.stderr


def test_settings_name_a_constraint_by_code_and_id():
    from archdsl.diagnostics import Severity

    chosen = Settings(select=["CT:ui"], ignore=["CT904:small"])
    assert chosen.reports("AD101")  # a file that does not load is always reported
    assert not chosen.reports("SB201") and not chosen.enabled("SB201")
    assert chosen.enabled("CT901") and chosen.reports("CT901", "UI") and not chosen.reports("CT901", "other")
    left_out = Settings(ignore=["CT904:small"])
    assert left_out.enabled("CT904") and not left_out.reports("CT904", "SMALL") and left_out.reports("CT904", "big")
    graded = Settings(severity={"CT:UI": Severity.INFO, "CT904": Severity.ERROR})
    assert graded.graded("CT901", "ui") is Severity.INFO
    assert graded.graded("CT904", "x") is Severity.ERROR and graded.graded("SB201") is None


def test_two_systems_of_one_file_keep_their_own_constraint_of_one_id(write):
    from archdsl.catalog import constraints_of

    root = write({"two.arch": 'system a "A" {\n  component x "X" { state stateless }\n'
                              '  constraint c "For A" { no cycles among * }\n}\n'
                              'system b "B" {\n  component y "Y" { state stateless }\n'
                              '  constraint c "For B" { max fan-out 3 for * }\n}\n'})
    assert [(c.system, c.title) for c in constraints_of([root / "two.arch", root])] == [("a", "For A"), ("b", "For B")]
