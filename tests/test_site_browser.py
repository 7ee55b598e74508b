"""The built site in a real headless browser: Debian's chromium driven by Playwright."""

from __future__ import annotations

import functools
import os
import http.server
import shutil
import threading

import pytest

CHROMIUM = os.environ.get("ARCHDSL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def site(built_site):
    """The shared site of specs/ and the hostile spec, served on an ephemeral localhost port."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.console_errors = []
    tab.dialogs = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


def heading(page) -> str:
    """The page's h1 without the permalink anchor Material adds to it."""
    return page.locator("article h1").first.inner_text().rstrip("¶").strip()


def test_index_loads_without_console_errors(site, page):
    page.goto(site + "/")
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Architecture")
    assert heading(page) == "Architecture"
    assert page.locator("table a", has_text="E-Learning Platform").count() == 1
    assert page.console_errors == []


def test_decision_page_shows_title_and_a_visible_diagram(site, page):
    page.goto(site + "/systems/elearning/decisions/adr-004/")
    page.wait_for_load_state("networkidle")
    assert heading(page) == "adr-004: Live Q&A keeps connection state"
    diagram = page.locator("article figure.arch-diagram svg").first
    diagram.wait_for(state="visible")
    box = diagram.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    assert diagram.locator("g.node").count() >= 3  # drawn into the page, not an image
    assert page.locator(".arch-status-accepted").first.inner_text() == "accepted"
    assert page.console_errors == []


def test_navigation_link_leads_to_the_system_page(site, page):
    page.goto(site + "/")
    page.locator("table a", has_text="B2B SaaS Dashboard").click()
    page.wait_for_url("**/systems/saas/")
    assert heading(page) == "B2B SaaS Dashboard"
    page.locator("nav.md-nav--primary a", has_text="For stakeholders").first.click()
    page.wait_for_load_state("networkidle")
    assert "stakeholders" in page.url
    assert page.console_errors == []


def test_search_finds_a_component(site, page):
    page.goto(site + "/")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Elasticsearch", delay=20)  # Material searches on key events
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15000)
    assert "Elasticsearch" in page.locator(".md-search-result").inner_text()
    assert page.console_errors == []


def test_hostile_spec_text_is_shown_never_run(site, page):
    page.goto(site + "/systems/hostile/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__pwned") is None
    assert heading(page) == "</title><script>window.__pwned = 1</script>"
    assert "</title>" in page.title()
    assert "{{ config.site_name }} <b>not bold</b>" in page.locator("article").inner_text()
    page.goto(site + "/systems/hostile/decisions/adr-x/")
    page.wait_for_load_state("networkidle")
    article = page.locator("article")
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 4</script>" in article.inner_text()
    assert article.locator("strong", has_text="real markdown").count() == 1
    assert article.locator("a[href^='javascript']").count() == 0
    assert page.dialogs == []


def _zoom(page) -> float:
    return page.evaluate("document.querySelector('figure.arch-diagram').archZoom.getZoom()")


def test_a_large_diagram_zooms_and_pans(site, page):
    page.goto(site + "/systems/social/")
    page.wait_for_load_state("networkidle")
    figure = page.locator("article figure.arch-diagram").first
    figure.wait_for(state="visible")
    assert figure.locator("#svg-pan-zoom-controls").count() == 1  # the + / − / reset buttons
    fitted = _zoom(page)
    viewport = figure.locator("svg .svg-pan-zoom_viewport")
    before = viewport.get_attribute("transform")
    box = figure.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)  # the wheel zooms in
    page.wait_for_function(f"document.querySelector('figure.arch-diagram').archZoom.getZoom() > {fitted} * 1.2")
    assert viewport.get_attribute("transform") != before
    page.locator("#svg-pan-zoom-reset-pan-zoom").first.click()
    assert abs(_zoom(page) - fitted) < 1e-6
    assert page.console_errors == []


def test_clicking_a_node_opens_its_component_page_which_lists_its_relations(site, page):
    page.goto(site + "/systems/sockshop/")
    page.wait_for_load_state("networkidle")
    node = page.locator("article figure.arch-diagram svg g.node", has_text="orders").first
    node.locator("a").first.click()
    page.wait_for_url("**/systems/sockshop/components/orders/")
    assert heading(page) == "orders"
    calls = page.locator("article h3", has_text="Calls").locator("xpath=following-sibling::*[1]").inner_text()
    assert "payment" in calls and "authorises the payment" in calls and "user-db" not in calls
    called = page.locator("article h3", has_text="Called by").locator("xpath=following-sibling::*[1]").inner_text()
    assert "front-end" in called and "places the order" in called
    page.locator("article table a", has_text="payment").first.click()
    page.wait_for_url("**/systems/sockshop/components/payment/")
    assert page.console_errors == []


def test_a_migration_has_its_page_with_its_phases(site, page):
    page.goto(site + "/systems/elearning/migrations/cache-to-redis/")
    page.wait_for_load_state("networkidle")
    assert heading(page) == "Local course cache → Redis"
    phases = page.locator("article table").first.inner_text()
    assert "Shadow reads" in phases and "5%" in phases and "2026-03-16" in phases
    assert page.locator("article figure.arch-diagram svg g.node", has_text="Canary").count() == 1
    page.goto(site + "/systems/elearning/components/progress/")
    page.locator("article a", has_text="Local course cache → Redis").click()
    page.wait_for_url("**/migrations/cache-to-redis/")
    assert page.console_errors == []


def test_search_finds_a_component_by_its_description(site, page):
    page.goto(site + "/")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("highest", delay=20)  # a word only in the currency service's description
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15000)
    assert "Currency service" in page.locator(".md-search-result").inner_text()


@pytest.mark.parametrize("height", [600, 900, 1400])
def test_the_footer_never_covers_the_navigation_of_a_short_page(site, browser, tmp_path, height):
    """A page much shorter than its menu: the menu scrolls in its own window, which ends above
    the footer, at every screen height; a screenshot of the page is kept for a look."""
    context = browser.new_context(viewport={"width": 1280, "height": height})
    page = context.new_page()
    try:
        page.goto(site + "/systems/elearning/components/pg/")
        page.wait_for_load_state("networkidle")
        menu = page.locator(".md-sidebar--primary .md-sidebar__scrollwrap").bounding_box()
        inner = page.locator(".md-sidebar--primary .md-sidebar__inner").bounding_box()
        footer = page.locator(".md-footer").bounding_box()
        assert inner["height"] > menu["height"]  # the menu is longer than its window: it scrolls
        assert menu["y"] + menu["height"] <= footer["y"] + 1, (menu, footer)
        shot = tmp_path / f"short-page-{height}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        context.close()
