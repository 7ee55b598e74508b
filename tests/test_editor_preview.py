"""The VS Code preview panel (editors/vscode/preview.js and media/): the extension run with
stand-ins for VS Code by Node.js, as the rest of the extension is checked, and the panel's page in
Debian's chromium with the extension's own Content-Security-Policy in force."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time

import pytest

from archdsl.preview.server import asset
from archdsl.render import render
from archdsl.workspaces import loads

from conftest import REPO

EXTENSION = REPO / "editors" / "vscode"
ORIGIN = "https://panel.vscode-resource.test"  # the webview's resources, as VS Code names them
SPEC = """\
system shop "Shop" {
  layer api "API" {
    kind compute
    component orders "Orders" { description "Takes orders" }
    component search "Search"
  }
  orders -> search "finds"
}
"""


def _answer(view: str = "system", problems=()) -> dict:
    workspace = loads(SPEC, filename="shop.arch")
    svg = render(workspace, workspace.systems[0], view, "svg").decode()
    return {"svg": svg, "views": ["system", "state", "layer:api"], "view": view, "system": "shop", "note": "",
            "layout": "ranked", "problems": list(problems), "more": 0,
            "elements": [{"id": "shop.orders", "uri": "file:///work/specs/shop.arch",
                          "range": {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 60}}}]}


@pytest.fixture(scope="module")
def ran() -> dict:
    done = subprocess.run([shutil.which("node"), "test/preview.js", json.dumps({"cspSource": ORIGIN,
                                                                                "answer": _answer()})],
                          cwd=EXTENSION, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_command_is_offered_for_arch_files_and_packaged_with_its_files():
    manifest = json.loads((EXTENSION / "package.json").read_text())
    commands = {c["command"]: c for c in manifest["contributes"]["commands"]}
    assert commands["archdsl.openPreview"]["title"] == "Open Preview"
    [title_button] = manifest["contributes"]["menus"]["editor/title"]
    assert title_button == {"command": "archdsl.openPreview", "when": "editorLangId == arch", "group": "navigation"}
    # the panel draws with the very script and style of `archdsl preview` (build-vsix copies them)
    for name in ("viewer.js", "preview.css"):
        assert (EXTENSION / "media" / name).read_bytes() == asset(name), f"media/{name}: run editors/vscode/build-vsix"


def test_the_panel_follows_vscodes_content_rules(ran):
    html = ran["html"]
    [policy] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    policy = policy.replace("&#39;", "'")
    nonce = re.search(r"script-src 'nonce-([A-Za-z0-9+/=]+)'", policy).group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    scripts = re.findall(r"<script([^>]*)>", html)
    assert len(scripts) == 2 and all(f'nonce="{nonce}"' in s for s in scripts)
    assert all("src=" in s for s in scripts), "no inline script"
    assert not re.search(r"<script[^>]*>[^<]", html), "no inline script"
    assert not re.search(r"\son[a-z]+=", html, re.I), "no inline event handler"
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(ORIGIN + "/media/"), url  # nothing remote: the extension's own files
    assert ran["panel"] == {"type": "archdsl.preview", "column": -2, "enableScripts": True,
                            "roots": [str(EXTENSION / "media")]}


def test_the_panel_asks_the_server_for_each_view_and_after_edits(ran):
    uri = "file:///work/specs/shop.arch"
    assert ran["requests"] == [
        {"method": "archdsl/renderView", "params": {"uri": uri}},  # ready: the system view
        {"method": "archdsl/renderView", "params": {"uri": uri, "view": "layer:api"}},  # picked
        {"method": "archdsl/renderView", "params": {"uri": uri, "view": "layer:api"}},  # two edits: one redraw
    ]
    views = [m for m in ran["posted"] if m["type"] == "view"]
    assert [m["view"] for m in views] == ["system", "layer:api", "layer:api"]
    assert all(m["svg"].startswith("<?xml") and m["file"] == "shop.arch" for m in views)
    assert ran["titles"] == ["Preview shop.arch"]


def test_a_click_opens_the_definition_of_the_element(ran):
    assert ran["opened"] == [{"uri": "file:///work/specs/shop.arch", "column": 1,
                              "selection": {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 4}}}]
    assert ran["revealed"] == [{"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 60}}]


# -- the panel's page in chromium


STUB = """
window.__posted = [];
window.__state = null;
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(m),
  getState: () => window.__state,
  setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
});
"""


@pytest.fixture
def panel(browser, ran):
    """The panel's page as VS Code loads it: its HTML, its files from the extension's folder."""
    context = browser.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def serve(route):
        path = route.request.url[len(ORIGIN):].lstrip("/")
        if path == "panel.html":
            route.fulfill(body=ran["html"], content_type="text/html")
        elif (EXTENSION / path).is_file() and path.startswith("media/"):
            route.fulfill(path=str(EXTENSION / path))
        else:
            route.fulfill(status=404, body="")

    page.route(ORIGIN + "/**", serve)
    page.add_init_script(STUB)
    page.goto(ORIGIN + "/panel.html")
    yield page
    context.close()


def posted(page) -> list:
    return page.evaluate("() => window.__posted")


def deliver(page, message: dict) -> None:
    page.evaluate("(m) => window.postMessage(m, '*')", message)


def until(page, done, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the panel did not change in time"
        page.wait_for_timeout(25)


def test_the_panel_draws_keeps_the_last_good_drawing_and_tells_clicks(panel):
    until(panel, lambda: [m["type"] for m in posted(panel)] == ["ready"])
    deliver(panel, {"type": "view", "file": "shop.arch", **_answer()})
    panel.wait_for_selector("#drawing svg")
    assert panel.locator("#views option").all_inner_texts() == ["system", "state", "layer:api"]
    panel.click("#zoom-in")
    transform = panel.locator("#drawing").evaluate("e => e.style.transform")
    panel.locator("#drawing g.node", has=panel.locator("title", has_text="shop.orders")).click()
    until(panel, lambda: {"type": "reveal", "id": "shop.orders"} in posted(panel))
    drawing = panel.locator("#drawing").inner_html()
    problem = {"text": "shop.arch:7:13: unknown element 'serch'", "message": "unknown element 'serch'",
               "file": "shop.arch", "line": 7, "column": 13, "hint": "did you mean 'search'?"}
    deliver(panel, {"type": "view", "file": "shop.arch", **_answer(problems=[problem])})
    panel.wait_for_selector("#problems:not([hidden])")
    assert panel.locator("#problems").inner_text().splitlines() == [problem["text"], "hint: did you mean 'search'?"]
    assert panel.locator("#drawing").inner_html() == drawing  # still there, under the problem
    deliver(panel, {"type": "view", "file": "shop.arch", **_answer("state")})
    until(panel, lambda: panel.locator("body").get_attribute("data-view") == "state")
    assert panel.locator("#problems").is_hidden()
    assert panel.locator("#drawing").evaluate("e => e.style.transform") == transform  # pan and zoom stay
    panel.select_option("#views", "layer:api")
    until(panel, lambda: {"type": "pick", "view": "layer:api"} in posted(panel))
    assert panel.evaluate("() => window.__state.view") == "state" and panel.evaluate("() => window.__state.pan.scale") > 0
    assert panel.errors == [], panel.errors  # a script or style the policy refused would show here
