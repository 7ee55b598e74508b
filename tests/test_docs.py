"""The project's documents stand alone and say what the code does: the decision framework is a
page of the site that every rule cites, the README's rule table and the command-line page are
held to the registry and to the CLI, and nothing points at material the repository lacks."""

from __future__ import annotations

import re
import subprocess

import click
import pytest

import archdsl
from archdsl.analysis.checklist import answers
from archdsl.analysis.ratio import INDUSTRY
from archdsl.cli import main
from archdsl.docsite.framework import citations, framework_markdown, link_citations, sections
from archdsl.docsite.plan import plan_site
from archdsl.rules import all_rules

from conftest import REPO

FRAMEWORK = (REPO / "site" / "docs" / "framework.md").read_text(encoding="utf-8")


def tracked_texts():
    """(path, text) of every text file in the repository that people or the package read."""
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    for name in sorted(filter(None, names)):
        if name.startswith("editors/vscode/node_modules/") or not (REPO / name).is_file():
            continue
        if name.endswith((".py", ".md", ".toml", ".yml", ".yaml", ".arch", ".json", ".js", ".lark", ".cfg")) \
                or name in ("scripts/test", ".ci/run", "editors/vscode/build-vsix"):
            yield name, (REPO / name).read_text(encoding="utf-8", errors="replace")


def test_the_site_has_the_framework_page_and_its_nav_entry():
    assert FRAMEWORK.startswith("# The decision framework")
    assert "framework.md" in (REPO / "site" / "mkdocs.yml").read_text()
    assert framework_markdown() == FRAMEWORK  # the package publishes this very text
    wanted = {"Latency", "Scale", "Availability", "Workload", "The decision matrix", "The hybrid default",
              "Industry benchmarks", "Anti-patterns", "Accidental statefulness", "Premature statefulness",
              "Ignoring state boundaries", "Migrating", "Explaining the decision", "The checklist",
              "Worked examples"}
    assert wanted <= set(sections())


def test_every_rule_cites_a_section_that_exists_and_its_page_links_there():
    plan = plan_site([archdsl.loads('system s { component a }')], prefix="architecture", diagrams=False)
    anchors = sections()
    for rule in all_rules():
        if rule.code.startswith("AD"):
            continue
        cited = citations(rule.doc().why)  # raises on a section the page does not have
        assert cited, rule.code
        page = plan.files[f"architecture/rules/{rule.code}.md"]
        for title in cited:
            assert f"[§ {title}](../../architecture/rules/framework.md#{anchors[title]})" in page, (rule.code, title)
    assert plan.files["architecture/rules/framework.md"] == FRAMEWORK


def test_a_site_with_its_own_framework_page_links_the_rules_there():
    plan = plan_site([archdsl.loads('system s { component a }')], prefix="architecture", diagrams=False,
                     framework="framework.md")
    assert "architecture/rules/framework.md" not in plan.files
    assert "](../../framework.md#latency)" in plan.files["architecture/rules/LT301.md"]


def test_a_citation_of_a_missing_section_is_refused():
    with pytest.raises(ValueError, match="cites no section"):
        citations("as the framework says (framework § Quantum state)")
    assert link_citations("see § Latency and § The\n    decision matrix.", "f.md") == (
        "see [§ Latency](f.md#latency) and [§ The decision matrix](f.md#decision-matrix).")


def test_the_framework_page_states_the_checklist_and_the_benchmarks_the_code_uses():
    system = archdsl.loads('system s { component a }').systems[0]
    ws = archdsl.loads('system s { component a }')
    for answer in answers(ws.graph, system):
        assert f"| {answer.code} | {answer.question} | {answer.passing} |" in FRAMEWORK, answer.code
    for percent, label, _ in INDUSTRY.values():
        assert f"| {label} | about {percent} % |" in FRAMEWORK, label


CITATIONS_OF_MISSING_MATERIAL = re.compile(
    r"\b(?:DESIGN|STYLE)\.md\b|\.\./shared\b|\bthe seed\b|\bseed's\b|\(seed,|\bseed, \"", re.I)


def test_nothing_cites_material_the_repository_does_not_have():
    offenders = [f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()}"
                 for name, text in tracked_texts() if name != "tests/test_docs.py"
                 for m in CITATIONS_OF_MISSING_MATERIAL.finditer(text)]
    assert not offenders, offenders


REPO_PATH = re.compile(r"(?<![\w./-])((?:site|docs|specs|grammar|editors|scripts|bench|tests|archdsl)/[\w./-]*\w)")
WHEEL_ONLY = {"archdsl/docsite/framework.md", "archdsl/grammar/arch.lark"}  # placed by the wheel's build
# what the documents show a user making: a packaged extension, a new rule, a first spec
MADE_BY_THE_READER = {"editors/vscode/archdsl-0.1.0.vsix", "editors/vscode/archdsl",
                      "archdsl/rules/xx123_short_name.py", "specs/shop.arch", "specs/policy.arch", "specs/traderx.arch"}
PROTOCOL_METHODS = {"archdsl/renderView"}  # the language server's own request, not a file


def test_every_repository_path_a_document_names_exists():
    missing = []
    for name, text in tracked_texts():
        if name.startswith("tests/") or name.endswith(".json"):
            continue  # tests name files they create; JSON holds generated grammar patterns
        for m in REPO_PATH.finditer(text):
            path = m.group(1)
            if path in WHEEL_ONLY | MADE_BY_THE_READER | PROTOCOL_METHODS or "*" in path or path.startswith("archdsl/templates/"):
                continue
            if not (REPO / path).exists() and not (REPO / name).parent.joinpath(path).exists():
                missing.append(f"{name}: {path}")
    assert not missing, missing


def _readme_rule_rows() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| code | name | severity | fires when |"):]
    rows = []
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _codes(cell: str) -> list[str]:
    first, _, last = cell.partition("–")
    if not last:
        return [first]
    prefix = first[:2]
    return [f"{prefix}{n}" for n in range(int(first[2:]), int(last[2:]) + 1)]


def test_the_readme_rule_table_is_the_registry():
    rules = {r.code: r for r in all_rules()}
    documented = []
    for code_cell, name, severity, fires in _readme_rule_rows():
        codes = _codes(code_cell)
        assert all(code in rules for code in codes), code_cell
        assert all(rules[code].severity.value == severity for code in codes), (code_cell, severity)
        if len(codes) == 1:
            assert rules[codes[0]].name == name, (code_cell, name)
        assert fires, code_cell
        documented += codes
    assert sorted(documented) == sorted(rules), "every rule is in the README's table, once"


def _commands(group: click.Group, path=()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def test_the_cli_page_documents_every_command_and_option():
    page = (REPO / "site" / "docs" / "cli.md").read_text(encoding="utf-8")
    heads = {m.group(1): m.start() for m in re.finditer(r"^## `([a-z ]+)`$", page, re.M)}
    ends = sorted(heads.values()) + [len(page)]
    commands = dict(_commands(main))
    assert set(heads) == set(commands), "one section per command, and no section for a command that is gone"
    for path, command in commands.items():
        start = heads[path]
        section = page[start:next(end for end in ends if end > start)]
        assert f"archdsl {path}" in page.split("\n## ", 1)[0], f"{path} is in the overview"
        for param in command.params:
            if isinstance(param, click.Option) and "--help" not in param.opts:
                for flag in (*param.opts, *param.secondary_opts):
                    assert f"`{flag}" in section, (path, flag)
