"""`archdsl preview`: the real command serving a spec on 127.0.0.1, its files saved as an editor
saves them, and the page in Debian's chromium (Playwright)."""

from __future__ import annotations

import http.client
import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from archdsl.checker import check_workspace
from archdsl.preview.pictures import PACKED, Pictures
from archdsl.preview.server import ASSETS, PreviewServer, asset
from archdsl.preview.session import Session
from archdsl.render.views import view_names
from archdsl.workspaces import load

SHOP = """\
import "stores.arch"

system shop "Shop" {
  sla 99.95%
  layer api "API" {
    kind compute
    component orders "Orders" {
      description "Takes orders"
      keeps "carts" as session in stores.cache
    }
    component search "Search" { description "Finds products" }
  }
  layer data "Data" {
    kind data
    component catalog "Catalog" { kind database; replication 1 }
  }
  orders -> stores.db "writes the order"
  search -> catalog "reads products"
}
"""

STORES = """\
system stores "Stores" {
  component db "Orders database" { kind database; replication 2 }
  component cache "Session cache" { kind cache; replication 2 }
}
"""

WAIT = 30.0  # seconds a test waits for a redraw before it fails (a loaded machine, not the target)


def save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


class Preview:
    """`archdsl preview` running on a free port: its address, what it printed, its answers."""

    def __init__(self, spec: Path, *options: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "archdsl", "preview", str(spec), "--port", "0",
                                         *options], cwd=spec.parent, stderr=subprocess.PIPE, text=True)
        self.printed: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(lambda line: " at http://" in line).split(" at ", 1)[1].split(" ", 1)[0]
        self.port = int(re.search(r":(\d+)/", self.url).group(1))

    def _read(self) -> None:
        for line in self.process.stderr:
            self.log.append(line)
            self.printed.put(line)

    def wait_for(self, wanted, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.printed.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.log)
                continue
            if wanted(line):
                return line
        raise AssertionError("not printed in time; printed:\n" + "".join(self.log))

    def get(self, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{self.port}"})
        answer = connection.getresponse()
        body = answer.read()
        connection.close()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body

    def json(self, path: str):
        status, _, body = self.get(path)
        return status, json.loads(body)

    def close(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=WAIT)


class Events:
    """The page's event stream, read as the browser reads it."""

    def __init__(self, preview: Preview) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=WAIT)
        self.connection.request("GET", "/events", headers={"Host": f"127.0.0.1:{preview.port}"})
        self.answer = self.connection.getresponse()
        assert self.answer.status == 200
        assert self.answer.getheader("Content-Type").startswith("text/event-stream")

    def next(self) -> dict:
        """The next `redraw` message (keep-alive comments skipped)."""
        event, data = None, None
        while True:
            line = self.answer.fp.readline().decode("utf-8")
            assert line, "the stream ended"
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[len("event: "):]
            elif line.startswith("data: "):
                data = json.loads(line[len("data: "):])
            elif not line and event == "redraw" and data is not None:
                return data

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def specs(tmp_path) -> Path:
    (tmp_path / "shop.arch").write_text(SHOP)
    (tmp_path / "stores.arch").write_text(STORES)
    return tmp_path


@pytest.fixture
def preview(specs):
    running = Preview(specs / "shop.arch")
    yield running
    assert running.close() == 130  # interrupted: as `site serve` ends


def test_views_drawings_and_facts_are_those_of_the_spec(specs, preview):
    workspace = load(specs / "shop.arch")
    shop = workspace.system("shop")
    status, views = preview.json("/views")
    assert status == 200 and views == view_names(shop) and views[0] == "system"
    status, headers, body = preview.get("/view.svg?view=layer:data")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")
    svg = body.decode()
    assert "<title>shop.catalog</title>" in svg and "<title>shop.orders</title>" not in svg
    assert json.loads(headers["x-archdsl-note"]) == ""  # drawn as designed
    status, missing = preview.json("/view.svg?view=layer:nope")
    assert status == 404 and "no layer 'nope'" in missing["error"] and missing["views"] == views
    findings, _ = check_workspace(workspace)
    status, facts = preview.json("/element?id=shop.catalog")
    catalog = next(c for c in shop.components if c.id == "catalog")
    assert status == 200 and facts["state"] == catalog.effective_state == "managed" and facts["kind"] == "database"
    assert facts["called_by"] == [{"id": "shop.search", "label": "reads products", "how": "sync"}]
    assert {f["code"] for f in facts["findings"]} == {f.code for f in findings if f.element == "shop.catalog"}
    assert "AV404" in {f["code"] for f in facts["findings"]}  # one copy of a database, sla 99.95
    status, orders = preview.json("/element?id=shop.orders")
    assert orders["keeps"] == ["carts (session) in stores.cache"]
    assert orders["calls"] == [{"id": "stores.db", "label": "writes the order", "how": "sync"}]
    assert preview.json("/element?id=shop.nobody")[0] == 404


def test_it_answers_only_for_its_own_host_and_loads_nothing_from_elsewhere(preview):
    """A page elsewhere that points a name it controls at 127.0.0.1 (DNS rebinding) is refused;
    the page may load nothing from the network, and its bundled files name no other site."""
    assert preview.get("/views", host=f"attacker.example:{preview.port}")[0] == 403
    assert preview.get("/views", host=f"localhost:{preview.port}")[0] == 200
    assert preview.url.startswith("http://127.0.0.1:")
    status, headers, page = preview.get("/")
    policy = headers["content-security-policy"]
    assert status == 200 and "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    for name in ["index.html", *ASSETS]:
        text = asset(name).decode()
        assert not re.search(r"(?:https?:)?//[a-z0-9]", text.replace("http://www.w3.org/2000/svg", "")), name
    assert preview.get("/assets/../session.py")[0] == 404
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=WAIT)
    connection.request("POST", "/views", body=b"{}", headers={"Host": f"127.0.0.1:{preview.port}"})
    assert connection.getresponse().status == 405


def test_a_save_redraws_the_views_pages_look_at(specs, preview):
    preview.get("/view.svg?view=system")  # a page looks at the system view
    events = Events(preview)
    first = events.next()  # what a page that just connected is told
    save(specs / "shop.arch", SHOP.replace('"Finds products"', '"Finds products"').replace(
        'component search "Search"', 'component search "Product search"'))
    after = events.next()
    assert after["generation"] == first["generation"] + 1 and after["problems"] == []
    assert after["drawn"] == ["system"]  # drawn before the page is told: its fetch is at once
    svg = preview.get("/view.svg?view=system")[2].decode()
    assert "Product search" in svg
    # an imported file is watched too: a save of it redraws the importing spec's view
    save(specs / "stores.arch", STORES.replace("Orders database", "Order ledger"))
    assert events.next()["generation"] == after["generation"] + 1
    assert "Order ledger" in preview.get("/view.svg?view=system")[2].decode()
    preview.wait_for(lambda line: line.startswith("redrew system in "))
    events.close()


def test_a_broken_save_keeps_the_last_good_drawing_and_says_where(specs, preview):
    good = preview.get("/view.svg?view=system")[2]
    events = Events(preview)
    events.next()
    broken = SHOP.replace('search -> catalog "reads products"', 'search -> catalgo "reads products"')
    save(specs / "shop.arch", broken)
    told = events.next()
    line = broken.splitlines().index('  search -> catalgo "reads products"') + 1
    [problem] = told["problems"]
    assert problem["file"] == "shop.arch" and problem["line"] == line and problem["column"] == 13
    assert problem["text"].startswith(f"shop.arch:{line}:13: ") and "catalgo" in problem["text"]
    assert "catalog" in problem["hint"]  # did you mean
    assert preview.get("/view.svg?view=system")[2] == good  # the last good drawing stays
    preview.wait_for(lambda printed: printed.startswith(f"not drawn: shop.arch:{line}:13: "))
    save(specs / "shop.arch", SHOP.replace("{ description \"Finds products\" }", "{ description \"Finds\" "))
    syntax = events.next()["problems"][0]
    assert syntax["file"] == "shop.arch" and syntax["line"] > 0 and syntax["column"] > 0
    save(specs / "shop.arch", SHOP)
    assert events.next()["problems"] == []
    events.close()


def test_the_command_says_what_is_wrong_before_it_serves(specs, tmp_path):
    wrong_view = subprocess.run([sys.executable, "-m", "archdsl", "preview", str(specs / "shop.arch"),
                                 "--view", "layer:nope", "--port", "0"], capture_output=True, text=True, timeout=60)
    assert wrong_view.returncode == 2 and "no view 'layer:nope'" in wrong_view.stderr
    assert "layer:api" in wrong_view.stderr and "Traceback" not in wrong_view.stderr
    running = Preview(specs / "shop.arch")
    try:
        taken = subprocess.run([sys.executable, "-m", "archdsl", "preview", str(specs / "shop.arch"),
                                "--port", str(running.port)], capture_output=True, text=True, timeout=60)
        assert taken.returncode == 2 and f"127.0.0.1:{running.port}" in taken.stderr
        assert "--port" in taken.stderr and "Traceback" not in taken.stderr
    finally:
        running.close()


def test_a_view_slow_or_wide_when_ranked_is_banded_at_once_on_the_next_save(specs):
    """The preview remembers a view it had to draw as bands (or whose ranked layout took longer
    than its budget) and bands it at once after the next save, saying why; a view that shrank
    is ranked again."""
    workspace = load(specs / "shop.arch")
    pictures = Pictures(budget=0.0)  # every ranked layout counts as slow
    first = pictures.draw(workspace, "system", "shop")
    assert first.layout == "ranked" and first.note == ""
    again = pictures.draw(workspace, "system", "shop")
    assert again.layout == PACKED and "ranked layout took" in again.note and "archdsl render" in again.note
    save(specs / "shop.arch", 'system shop "Shop" {\n  component search "Search"\n}\n')
    smaller = load(specs / "shop.arch")
    pictures.draw(smaller, "system", "shop")  # drawn banded, but far fewer elements
    assert pictures.draw(smaller, "system", "shop").layout == "ranked"


def test_the_server_listens_on_the_loopback_address_only(specs):
    session = Session(specs / "shop.arch")
    session.reload()
    server = PreviewServer(session, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


# -- the page in a real browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    tab = context.new_page()
    tab.errors, tab.requests = [], []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("request", lambda r: tab.requests.append(r.url))
    yield tab
    context.close()


def shown(page) -> int:
    """The redraw whose drawing the page shows."""
    return int(page.locator("body").get_attribute("data-generation") or -1)


def until(page, done, timeout: float = WAIT) -> None:
    """Wait until `done()` holds, asking from here (the page's own policy forbids evaluating
    a script in it, which Playwright's wait_for_function does)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the page did not change in time"
        page.wait_for_timeout(25)


def test_the_page_redraws_after_a_save_and_keeps_pan_and_zoom(specs, preview, page):
    page.goto(preview.url)
    page.wait_for_selector("#drawing svg")
    assert page.locator("#views option").all_inner_texts() == preview.json("/views")[1]
    assert page.locator("#drawing svg g.node title", has_text="shop.search").count() == 1
    before = shown(page)
    page.click("#zoom-in")
    page.click("#zoom-in")
    page.mouse.move(400, 400)
    page.mouse.down()
    page.mouse.move(300, 350, steps=5)
    page.mouse.up()
    transform = page.locator("#drawing").evaluate("e => e.style.transform")
    started = time.monotonic()
    save(specs / "shop.arch", SHOP.replace('component search "Search"', 'component search "Product search"'))
    until(page, lambda: shown(page) > before)
    print(f"save to redrawn page: {time.monotonic() - started:.2f} s")
    assert "Product search" in page.locator("#drawing svg").inner_html()
    assert page.locator("#drawing").evaluate("e => e.style.transform") == transform  # pan and zoom stay
    assert page.errors == []
    assert all(url.startswith(preview.url) or url.startswith("data:") for url in page.requests), page.requests


def test_a_broken_save_shows_the_problem_over_the_last_good_drawing(specs, preview, page):
    page.goto(preview.url)
    page.wait_for_selector("#drawing svg")
    drawing = page.locator("#drawing").inner_html()
    assert page.locator("#problems").is_hidden()
    broken = SHOP.replace('search -> catalog "reads products"', 'search -> catalgo "reads products"')
    line = broken.splitlines().index('  search -> catalgo "reads products"') + 1
    save(specs / "shop.arch", broken)
    page.wait_for_selector("#problems:not([hidden])", timeout=WAIT * 1000)
    assert page.locator("#problems").inner_text().startswith(f"shop.arch:{line}:13: ")
    assert page.locator("#drawing").inner_html() == drawing  # still there, under the problem
    save(specs / "shop.arch", SHOP)
    page.wait_for_selector("#problems[hidden]", state="attached", timeout=WAIT * 1000)
    assert page.errors == []


def test_the_picker_switches_views_and_a_click_shows_an_elements_facts(specs, preview, page):
    page.goto(preview.url + "?view=layer:api")
    page.wait_for_selector("#drawing svg")
    assert page.locator("#views").input_value() == "layer:api"
    assert page.locator("#drawing svg g.node title", has_text="shop.orders").count() == 1
    page.select_option("#views", "layer:data")
    until(page, lambda: page.locator("body").get_attribute("data-view") == "layer:data")
    assert page.locator("#drawing svg g.node title", has_text="shop.orders").count() == 0
    assert page.locator("#drawing svg g.node title", has_text="shop.catalog").count() == 1
    assert "view=layer%3Adata" in page.url or "view=layer:data" in page.url  # a reload keeps the view
    page.locator("#drawing g.node", has=page.locator("title", has_text="shop.catalog")).click()
    page.wait_for_selector("#facts h2")
    facts = page.locator("#facts").inner_text()
    assert "Catalog" in facts and "state: managed" in facts and "AV404" in facts
    assert "shop.search (sync): reads products" in facts
    assert page.locator("#drawing g.node.selected title").text_content() == "shop.catalog"
    assert page.errors == []


HOSTILE = """\
system shop "Shop <img src=x onerror=alert(1)>" {
  component orders "<img src=x onerror=alert(2)>" {
    description "<script>alert(3)</script>"
    link "https://example.invalid/away"
  }
  component db "</title><script>alert(5)</script>" { kind database }
  orders -> db "<svg onload=alert(6)>"
}
"""


def test_a_specs_text_is_shown_as_text_and_runs_nothing(tmp_path, page):
    """Titles, descriptions, links, labels and a problem's words from a spec reach the page as
    text: nothing in them runs, and a component's link does not lead the page away."""
    spec = tmp_path / "shop.arch"
    spec.write_text(HOSTILE)
    running = Preview(spec)
    try:
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(running.url)
        page.wait_for_selector("#drawing svg")
        page.locator("#drawing g.node", has=page.locator("title", has_text="shop.orders")).click()
        page.wait_for_selector("#facts h2")
        assert page.locator("#facts h2").inner_text() == "<img src=x onerror=alert(2)>"
        assert "<script>alert(3)</script>" in page.locator("#facts").inner_text()
        assert page.url.startswith(running.url) and page.locator("#facts img, #drawing img, script[src^=x]").count() == 0
        save(spec, HOSTILE.replace('orders -> db "', 'orders -> <b>db "'))
        page.wait_for_selector("#problems:not([hidden])", timeout=WAIT * 1000)
        assert page.locator("#problems b").count() == 0
        page.wait_for_timeout(300)
        assert dialogs == [] and page.errors == []
    finally:
        running.close()
