"""The change as a picture: `archdsl diff` Markdown carries a Mermaid diagram of what a change
added, removed and changed. Each is drawn by the npm `mermaid` package in Debian's chromium, as
GitHub draws it in a pull-request comment, so a comment never shows a broken diagram, whatever
the names in the spec."""

from __future__ import annotations

import contextlib
import re

import pytest

from archdsl.diff import diff_workspaces, to_markdown
from archdsl.diff.picture import MAX_NODES
from archdsl.workspaces import loads

from conftest import CHROMIUM, CHROMIUM_ARGS, REPO, SPECS

MERMAID = REPO / "tests" / "node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"


@pytest.fixture(scope="module")
def mermaid():
    """A page with Mermaid loaded (strict security, as GitHub runs it): draw(source) -> SVG."""
    from playwright.sync_api import sync_playwright

    assert MERMAID.is_file(), "the tests need npm's mermaid (scripts/test: npm ci --prefix tests/node)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(MERMAID))
        page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
        page.pwned = []
        page.on("dialog", lambda d: (page.pwned.append(d.message), d.dismiss()))

        def draw(source: str) -> str:
            return page.evaluate("""async (source) => {
                const {svg} = await mermaid.render('d' + Math.random().toString(36).slice(2), source);
                return svg; }""", source)

        draw.page = page
        yield draw
        browser.close()


def picture_of(markdown: str) -> str:
    [block] = re.findall(r"```mermaid\n(.*?)```", markdown, re.S)
    return block


SHOP = (SPECS / "real-world" / "sock-shop.arch").read_text()


def _changed_shop() -> str:
    text = SHOP.replace('layer services "Services" {', 'layer services "Services" {\n'
                        '    component reviews "Reviews" { kind service; scaling autoscale; keeps "reviews" in local-memory }', 1)
    text = text.rstrip().rstrip("}") + '  front_end -> reviews "shows reviews" { protocol http }\n}\n'
    removed = re.search(r'\n  front_end -> catalogue[^\n]*\n', text)
    assert removed
    return text.replace(removed.group(), "\n")


def test_a_change_to_a_real_system_is_drawn_with_what_was_added_removed_and_changed(mermaid):
    with contextlib.chdir(SPECS / "real-world"):  # where its import of the shared policy is found
        base = loads(SHOP, filename="sock-shop.arch")
        head = loads(_changed_shop(), filename="sock-shop.arch")
    diff = diff_workspaces(base, head)
    source = picture_of(to_markdown(diff))
    svg = mermaid(source)
    assert "Reviews" in svg and "+ added" in svg and "⚠ SB201" in svg  # the new component, its new finding
    assert "shows reviews · added" in svg and "removed" in svg  # the relations added and removed
    assert "catalogue" in svg and "front-end" in svg  # the neighbours, drawn for context
    assert re.search(r'class n\d+ added', source) and re.search(r"class [n\d,]+ context", source)
    assert "#2F855A" in source and "#C53030" in source  # green for added, red for removed


HOSTILE = '''system s "S" {
  component a "A\\"] --> x[\\"pwned\\"] %% <script>alert(1)</script> `b` click a call alert(1)" { scaling autoscale }
  component b "@everyone https://evil.example/?q=1 #{x} |pipe| [link](javascript:alert(1))"
  a -> b "-->|\\"x\\"| end; subgraph z"
}
'''


def test_hostile_names_never_break_or_script_the_picture(mermaid):
    base = loads('system s "S" {\n  component c\n}\n', filename="x.arch")
    head = loads(HOSTILE, filename="x.arch")
    markdown = to_markdown(diff_workspaces(base, head))
    source = picture_of(markdown)
    assert source.count("```") == 0 and markdown.count("```") == 2  # the fence holds
    svg = mermaid(source)
    page = mermaid.page
    page.evaluate("svg => { const d = document.createElement('div'); d.id = 'drawn'; d.innerHTML = svg; "
                  "document.body.appendChild(d); }", svg)
    drawn = page.locator("#drawn")
    assert drawn.locator("script").count() == 0 and drawn.locator("a").count() == 0  # no script, no link
    words = drawn.inner_text()
    assert "<script>alert(1)</script>" in words and "[link](javascript:alert(1))" in words  # shown as words
    assert 'x["pwned"]' in words and "click a call alert(1)" in words  # a label, never a node or a click
    assert len(re.findall(r'^  n\d+\["', source, re.M)) == 3 and page.pwned == []


def test_a_large_change_draws_the_changed_elements_only_and_says_how_many_are_left_out(mermaid):
    base = loads('system big "Big" {\n  component root\n}\n', filename="big.arch")
    lines = ['system big "Big" {', "  component root"]
    lines += [f"  component c{i:03d}" for i in range(75)]
    lines += [f"  root -> c{i:03d}" for i in range(75)]
    head = loads("\n".join(lines) + "\n}\n", filename="big.arch")
    markdown = to_markdown(diff_workspaces(base, head))
    source = picture_of(markdown)
    assert len(re.findall(r'^  n\d+\["', source, re.M)) == MAX_NODES
    assert re.search(r"16 more changed elements and their neighbours are not drawn", markdown)
    assert "c000" in mermaid(source)
