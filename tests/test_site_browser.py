"""The built site in a real headless browser: Debian's chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest


@pytest.fixture(scope="module")
def site(built_site):
    """The shared site of specs/ and the hostile spec, served on an ephemeral localhost port."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


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


# ------------------------------------------------------------------ diagrams people can read

LABEL_SIZES = """(figure) => [...figure.querySelectorAll('g.node text')]
    .map(t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a).sort((a, b) => a - b)"""
REAL_WORLD = ("boutique", "chat", "hotel", "social", "sockshop", "trains")


def _painted(page) -> None:
    """Wait for two frames: Chromium (150, Debian 12) updates `getScreenCTM` after a zoom only once
    the page has rendered it, which a reader sees at once but a script asking at once may not."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _open(page, url: str):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    figure = page.locator("article figure.arch-diagram").first
    figure.wait_for(state="visible")
    return figure


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_real_world_diagrams_open_with_labels_people_can_read(site, browser, width):
    """Every node label of the system diagrams of specs/real-world/ renders at 12 px or more on
    first view, on a desktop and on a phone, and the page never scrolls sideways."""
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 844})
    page = context.new_page()
    try:
        for system in REAL_WORLD:
            figure = _open(page, f"{site}/systems/{system}/")
            sizes = figure.evaluate(LABEL_SIZES)
            assert len(sizes) >= 5 and sizes[0] >= 12, (system, width, sizes[:3])
            sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert sideways <= 0, (system, width, sideways)
            box = figure.bounding_box()
            assert box["width"] <= width and 200 <= box["height"] <= 0.9 * page.viewport_size["height"] + 120
    finally:
        context.close()


def test_a_large_diagram_fits_returns_to_natural_size_zooms_and_goes_full_screen(site, page):
    figure = _open(page, site + "/systems/social/")
    natural = figure.evaluate(LABEL_SIZES)[0]
    assert natural >= 12
    figure.get_by_role("button", name="Show the whole diagram").click()
    _painted(page)
    fitted = figure.evaluate(LABEL_SIZES)[0]
    assert fitted < natural * 0.7  # the whole of a wide diagram is smaller than its natural size
    inside = figure.evaluate("""(f) => { const v = f.querySelector('.arch-diagram-view').getBoundingClientRect();
        const d = f.querySelector('svg .svg-pan-zoom_viewport').getBoundingClientRect();
        return d.left >= v.left - 1 && d.right <= v.right + 1 && d.top >= v.top - 1 && d.bottom <= v.bottom + 1; }""")
    assert inside, "Fit shows the whole drawing"
    figure.get_by_role("button", name="Natural size").click()
    _painted(page)
    assert abs(figure.evaluate(LABEL_SIZES)[0] - natural) < 0.01
    box = figure.locator(".arch-diagram-view").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)  # the wheel zooms in
    page.wait_for_function("document.querySelector('figure.arch-diagram').archZoom.getSizes().realZoom > "
                           "document.querySelector('figure.arch-diagram').archNatural * 1.1")
    figure.get_by_role("button", name="Full screen").click()
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.matches('figure.arch-diagram')")
    assert figure.locator(".arch-diagram-view svg").bounding_box()["height"] > 700
    figure.get_by_role("button", name="Full screen").click()  # the same button leaves it
    page.wait_for_function("!document.fullscreenElement")
    _painted(page)
    assert abs(figure.evaluate(LABEL_SIZES)[0] - natural) < 0.01  # back in the page, at natural size
    link = figure.locator("a.arch-diagram-file")
    assert link.get_attribute("href").endswith("systems/social/diagrams/system.svg")
    assert page.request.get(page.url + link.get_attribute("href")).ok
    assert page.console_errors == []


def test_the_legend_is_in_the_page_and_the_drawing_holds_the_architecture_only(site, page):
    figure = _open(page, site + "/systems/elearning/")
    legend = figure.locator(".arch-legend")
    for words in ("stateless", "stateful", "managed data", "async", "optional", "cylinder: database"):
        assert words in legend.inner_text()
    drawing = figure.locator(".arch-diagram-view svg")
    titles = drawing.evaluate("s => [...s.querySelectorAll('g.cluster > title')].map(t => t.textContent)")
    assert titles and not [t for t in titles if "legend" in t], titles
    assert "Legend" not in drawing.inner_html() and "@legend" not in drawing.inner_html()


def _contrast(page, locator, background_of) -> float:
    """WCAG contrast of an element's text colour against the background of `background_of`."""
    return page.evaluate("""([el, bg]) => {
        const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                                     return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
        let back = bg; while (back && getComputedStyle(back).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/)) back = back.parentElement;
        const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(getComputedStyle(back || document.body).backgroundColor));
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }""", [locator.element_handle(), background_of.element_handle()])


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_diagrams_caption_and_legend_follow_the_palette(site, browser, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script("localStorage.setItem('/.__palette', JSON.stringify({index: %d, color: {scheme: '%s'}}))"
                         % (0 if scheme == "default" else 1, scheme))
    try:
        figure = _open(page, site + "/systems/elearning/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
        assert _contrast(page, figure.locator("figcaption"), figure) >= 4.5
        assert _contrast(page, figure.locator(".arch-legend"), figure) >= 4.5
        page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert figure.evaluate("f => getComputedStyle(f).backgroundColor") == page_background  # no white card
        if scheme == "slate":  # the drawing's background and words take the dark palette too
            assert figure.evaluate("f => getComputedStyle(f.querySelector('svg polygon[fill=\"white\"]')).fill") \
                in ("transparent", "rgba(0, 0, 0, 0)")
            words = figure.evaluate("f => getComputedStyle(f.querySelector('g.node text')).fill")
            assert sum(map(int, re.findall(r"\d+", words)[:3])) > 500, words  # light words on a dark page
    finally:
        context.close()


def test_markdown_in_spec_text_is_rendered_in_tables_never_shown_raw(site, page):
    page.goto(site + "/systems/hostile/")
    page.wait_for_load_state("networkidle")
    table = page.locator("article table").first.inner_text()
    assert "Chose tokens over server sessions." in table and "**" not in table
    page.goto(site + "/systems/hostile/components/api/")
    page.wait_for_load_state("networkidle")
    article = page.locator("article").inner_text()
    assert "Chose tokens over server sessions." in article and "**" not in article
    assert "after 1h" in article  # the keeps table's Expires column, in the unit written
    assert "e+06" not in article and "3600000ms" not in article
    for system in ("elearning", "game", "saas", "boutique", "chat", "social", "sockshop"):
        page.goto(f"{site}/systems/{system}/")
        page.wait_for_load_state("networkidle")
        assert "**" not in page.locator("article").inner_text(), system


FLOW_TEXT_SIZES = """(figure) => [...figure.querySelectorAll('g.step text, g.participant text')]
    .map(t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a).sort((a, b) => a - b)"""


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_a_flow_page_shows_its_sequence_diagram_readable_and_its_latency_table(site, browser, width):
    """The checkout of Online Boutique: the sequence diagram opens at its natural size (every
    label and note 12 px or more, on a desktop and on a phone), the table gives each step's cost
    and the running total, and each participant links to its component page."""
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 844})
    page = context.new_page()
    try:
        figure = _open(page, f"{site}/systems/boutique/flows/checkout/")
        assert heading(page) == "Place an order"
        sizes = figure.evaluate(FLOW_TEXT_SIZES)
        assert len(sizes) >= 20 and sizes[0] >= 11.9, sizes[:3]
        rows = page.locator("article table").first.locator("tbody tr")
        assert rows.count() == 10
        assert rows.nth(6).inner_text().split("\t")[1] == "charges the card"
        links = figure.evaluate("f => [...f.querySelectorAll('a g.participant title')].map(t => t.textContent)")
        assert "boutique.checkoutservice" in links and "boutique.shopper" not in links  # an actor has no page
        href = page.locator("article figure.arch-diagram a").filter(has_text="Payment service").first.get_attribute("href")
        page.goto(page.evaluate("h => new URL(h, location.href).href", href))  # it may be panned out of view
        page.wait_for_load_state("networkidle")
        assert heading(page) == "Payment service"
        assert page.locator("article a", has_text="Place an order").count() == 1  # its Flows section
    finally:
        context.close()
