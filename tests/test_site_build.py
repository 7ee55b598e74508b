"""`archdsl site build`: a real MkDocs build, atomic replacement, refused outputs, the plugin."""

from __future__ import annotations

import hashlib
import re
import textwrap
from pathlib import Path

import pytest
from archdsl.cli import main
from archdsl.docsite.build import MARKER
from archdsl.render.theme import WIDEST_PX
from click.testing import CliRunner

from conftest import SPECS, choosy_engine, dense_spec


GOOD = 'system s "Shop" {\n  component api "API"\n  decision d1 "Keep it simple" { affects api }\n}\n'


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def built(built_site):
    return built_site  # specs/ (and a hostile spec beside it), built once for the run


def test_site_has_every_page(built):
    for page in ("index.html", "systems/elearning/index.html", "systems/elearning/decisions/adr-004/index.html",
                 "systems/elearning/decisions/index.html", "systems/elearning/stakeholders/index.html",
                 "rules/index.html", "rules/SB201/index.html", "systems/elearning/diagrams/system.svg",
                 "systems/elearning/components/index.html", "systems/elearning/components/live_qa/index.html",
                 "systems/elearning/migrations/cache-to-redis/index.html",
                 "systems/elearning/diagrams/migration-cache-to-redis.svg", "assets/svg-pan-zoom.min.js",
                 "search/search_index.json", ".archdsl-site"):
        assert (built / page).is_file(), page
    decision = (built / "systems/elearning/decisions/adr-004/index.html").read_text()
    assert "Live Q&amp;A keeps connection state" in decision
    # the diagram is drawn into the page; its nodes lead to the component pages, its caption to the file
    assert '<figure class="arch-diagram"' in decision and "<svg" in decision
    assert 'href="../../../../systems/elearning/components/live_qa/"' in decision
    assert 'href="../../../../systems/elearning/diagrams/decision-adr-004.svg"' in decision
    assert "archdsl-component:" not in decision and "<!--" not in decision.split("<svg", 1)[1].split("</svg>")[0]
    standalone = (built / "systems/elearning/diagrams/system.svg").read_text()
    assert 'href="../../../systems/elearning/components/live_qa/"' in standalone


def test_rule_catalog_code_is_highlighted_by_the_arch_lexer(built):
    page = (built / "rules/SB201/index.html").read_text()
    assert '<div class="highlight"><pre><span></span><code>' in page
    assert '<span class="kd">component</span>' in page  # Keyword.Declaration from archdsl.lexer


def test_failed_build_keeps_the_previous_site(tmp_path):
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a.arch").write_text(GOOD)
    out = tmp_path / "out"
    assert run("site", "build", specs, "-o", out).exit_code == 0
    before = digest(out)
    (specs / "a.arch").write_text(GOOD.replace('component api "API"', "component api { kind nope }"))
    result = run("site", "build", specs, "-o", out)
    assert result.exit_code == 1 and "AD108" in result.output
    assert digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "specs"]  # no temporary folder left


def test_rebuild_replaces_the_site(tmp_path):
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a.arch").write_text(GOOD)
    out = tmp_path / "out"
    assert run("site", "build", specs, "-o", out).exit_code == 0
    (specs / "a.arch").write_text(GOOD.replace("Keep it simple", "Keep it smaller"))
    assert run("site", "build", specs, "-o", out).exit_code == 0
    assert "Keep it smaller" in (out / "systems/s/decisions/d1/index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "specs"]


@pytest.mark.parametrize("where", ["root", "home", "specs", "parent", "git", "full"])
def test_dangerous_outputs_are_refused(tmp_path, monkeypatch, where):
    specs = tmp_path / "project" / "specs"
    specs.mkdir(parents=True)
    (specs / "a.arch").write_text(GOOD)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("precious")
    output = {"root": Path("/"), "home": tmp_path / "home", "specs": specs, "parent": tmp_path / "project",
              "git": tmp_path / "repo", "full": tmp_path / "full"}[where]
    result = run("site", "build", specs, "-o", output)
    assert result.exit_code == 2, result.output
    assert "refusing" in result.output
    assert (tmp_path / "full" / "notes.txt").read_text() == "precious"


def test_plugin_in_a_users_mkdocs_project(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Our handbook\n")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.arch").write_text(GOOD)
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""
        site_name: Handbook
        nav:
          - Home: index.md
        plugins:
          - archdsl:
              specs: [specs]
              prefix: arch
    """))
    result = run("site", "build", "--config", tmp_path / "mkdocs.yml", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    home = (tmp_path / "out" / "index.html").read_text()
    assert "Our handbook" in home
    assert 'href="arch/systems/s/"' in home, "the plugin's nav entry"
    assert (tmp_path / "out" / "arch" / "systems" / "s" / "decisions" / "d1" / "index.html").is_file()


def test_plugin_reports_a_broken_spec(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hi\n")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.arch").write_text("system s {")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - archdsl:\n      specs: [specs]\n")
    result = run("site", "build", "--config", tmp_path / "mkdocs.yml", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "AD100" in result.output
    assert not (tmp_path / "out").exists()


def test_lexer_tokens():
    from archdsl.lexer import ArchLexer
    from pygments.token import Comment, Keyword, Name, Number, String

    tokens = [(tok, val) for tok, val in ArchLexer().get_tokens('component api "API" { latency 5ms } // x\n')
              if val.strip()]
    assert tokens[:3] == [(Keyword.Declaration, "component"), (Name, "api"), (String.Double, '"API"')]
    assert (Name.Attribute, "latency") in tokens and (Number, "5ms") in tokens
    assert tokens[-1] == (Comment.Single, "// x")


def test_a_view_no_layout_can_draw_leaves_every_other_page_published(tmp_path, monkeypatch):
    """Graphviz failing on one diagram (every layout tried) costs that diagram only: its page
    says so with the engine's message, the rest of the site is built and published, and the
    command exits 1 with one line for the view."""
    monkeypatch.setenv("ARCHDSL_DOT", choosy_engine(tmp_path, 'label="E-Learning Platform"',
                                                    "Error: trouble in init_rank"))
    out = tmp_path / "out"
    result = run("site", "build", SPECS / "scenarios", "-o", out)
    assert result.exit_code == 1, result.output
    failed = [line for line in result.output.splitlines() if line.startswith("archdsl: error:")]
    assert len(failed) == 1 and "view 'elearning:system'" in failed[0] and "trouble in init_rank" in failed[0]
    page = (out / "systems/elearning/index.html").read_text()
    assert "arch-diagram-failed" in page and "not drawn" in page and "trouble in init_rank" in page
    assert '<figure class="arch-diagram"' not in page.split("arch-diagram-failed")[0].split("<article")[-1]
    assert not (out / "systems/elearning/diagrams/system.svg").exists()
    assert (out / "systems/elearning/diagrams/state.svg").is_file()
    decision = (out / "systems/elearning/decisions/adr-004/index.html").read_text()
    assert '<figure class="arch-diagram"' in decision  # the other views of the system are drawn
    assert '<figure class="arch-diagram"' in (out / "systems/game/index.html").read_text()
    assert (out / MARKER).is_file()


def test_a_dense_system_is_published_with_readable_bands(tmp_path, engine):
    """A system shaped like the public one whose ranked layouts failed in both engines and
    whose state map was 9,127 px wide: every view drawn, none wider than four screens, and
    each page says which are drawn as bands and why."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "dense.arch").write_text(dense_spec())
    out = tmp_path / "out"
    result = run("site", "build", tmp_path / "specs", "-o", out)
    assert result.exit_code == 0, result.output
    page = (out / "systems/dense/index.html").read_text()
    assert '<figure class="arch-diagram"' in page and "Drawn as bands" in page and "px wide" in page
    for svg in (out / "systems/dense/diagrams").glob("*.svg"):
        width = float(re.search(r'<svg width="([\d.]+)pt"', svg.read_text()).group(1)) * 4 / 3
        assert width <= WIDEST_PX, (svg.name, width)
