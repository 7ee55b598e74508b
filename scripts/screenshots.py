"""The site's screenshots in docs/images, taken from a real build in Debian's chromium.

    .venv/bin/python scripts/screenshots.py          # builds specs/ into a temporary folder first

Each picture is a page at first view, as a reader meets it: the system page of Sock Shop on a
desktop (light and dark) and on a phone, a component page and a migration page; and a pull
request's comment: the architecture diff of a change to Online Boutique with its picture, drawn
by npm's Mermaid (`npm ci --prefix tests/node`); and the preview while writing, in site/docs/images
(the site's own page shows them): `archdsl preview` on Sock Shop in the browser, an element
clicked, and the VS Code panel's page as the extension builds it (`node`), with a save that does
not load shown over the last good drawing. It also prints
the rendered size of the node labels of every real-world system diagram (desktop and phone),
the figure docs/diagram-quality.md reports.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
CHROMIUM = os.environ.get("ARCHDSL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
SHOTS = [  # file, page, viewport, palette
    ("site-system-page.png", "systems/sockshop/", DESKTOP, "default"),
    ("site-system-page-dark.png", "systems/sockshop/", DESKTOP, "slate"),
    ("site-system-page-phone.png", "systems/boutique/", PHONE, "default"),
    ("site-component-page.png", "systems/sockshop/components/orders/", DESKTOP, "default"),
    ("site-migration-page.png", "systems/elearning/migrations/cache-to-redis/", DESKTOP, "default"),
]
MERMAID = REPO / "tests" / "node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
# A change to Online Boutique, as a pull request would make it: its cart store replicated, a review
# service that keeps reviews in memory, ads no longer called.
CHANGE = (
    ("      replication 1\n    }\n  }\n", "      replication 2\n      failover auto\n    }\n  }\n"),
    ('    component adservice "Ad service" {', '    component reviewservice "Review service" {\n      kind service\n'
     '      tech "Python, gRPC"\n      scaling autoscale\n      keeps "product reviews" in local-memory\n    }\n'
     '    component adservice "Ad service" {'),
    ('  cartservice -> redis_cart "reads and writes carts" { protocol redis }',
     '  cartservice -> redis_cart "reads and writes carts" { protocol redis }\n'
     '  frontend -> reviewservice "shows reviews" { protocol grpc }'),
    ('  frontend -> adservice "gets ads" { protocol grpc; optional }\n', ""),
)


def review_comment(browser) -> None:
    """docs/images/review-comment.png: what a reviewer sees of that change: `archdsl diff`'s
    Markdown, its Mermaid picture drawn as GitHub draws it."""
    from markdown_it import MarkdownIt

    from archdsl.diff import diff_workspaces, to_markdown
    from archdsl.workspaces import loads

    base = (REPO / "specs" / "real-world" / "online-boutique.arch").read_text()
    head = base
    for old, new in CHANGE:
        assert old in head, old
        head = head.replace(old, new, 1)
    markdown = to_markdown(diff_workspaces(loads(base, filename="online-boutique.arch"),
                                           loads(head, filename="online-boutique.arch")))
    body = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown)
    body = body.replace('<pre><code class="language-mermaid">', '<pre class="mermaid">').replace("</code></pre>", "</pre>")
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.set_content("<!doctype html><html><head><style>body{font:14px -apple-system,Segoe UI,Helvetica,Arial,"
                     "sans-serif;margin:24px;max-width:900px;color:#1f2328}table{border-collapse:collapse}td,th"
                     "{border:1px solid #d0d7de;padding:4px 8px}code{background:#eff1f3;padding:1px 4px;border-radius:4px}"
                     "</style></head><body>" + body + "</body></html>")
    page.add_script_tag(path=str(MERMAID))
    page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'}); mermaid.run()")
    page.wait_for_selector("pre.mermaid svg")
    page.screenshot(path=str(IMAGES / "review-comment.png"), full_page=True)
    page.close()
    print("wrote docs/images/review-comment.png")


SITE_IMAGES = REPO / "site" / "docs" / "images"


def preview_page(browser, scratch: Path) -> None:
    """`archdsl preview` of Sock Shop at first view, its orders service clicked."""
    spec = scratch / "sock-shop.arch"
    shutil.copy(REPO / "specs" / "real-world" / "sock-shop.arch", spec)
    process = subprocess.Popen([sys.executable, "-m", "archdsl", "preview", str(spec), "--port", "0"],
                               stderr=subprocess.PIPE, text=True, cwd=scratch)
    try:
        url = process.stderr.readline().split(" at ", 1)[1].split(" ", 1)[0]
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#drawing svg")
        page.locator("#drawing g.node", has=page.locator("title", has_text="sockshop.orders")).first.click()
        page.wait_for_selector("#facts h2")
        page.screenshot(path=str(SITE_IMAGES / "preview-browser.png"))
        context.close()
        print("wrote site/docs/images/preview-browser.png")
    finally:
        process.terminate()
        process.wait(timeout=30)


def preview_panel(browser) -> None:
    """The VS Code panel's page, built by the extension (run by node with stand-ins for VS Code),
    showing Sock Shop's state map with a problem of the last edit over it."""
    from archdsl.preview.pictures import Pictures
    from archdsl.workspaces import load, loads

    extension = REPO / "editors" / "vscode"
    origin = "https://panel.vscode-resource.test"
    picture = Pictures().draw(load(REPO / "specs" / "real-world" / "sock-shop.arch"), "state")
    answer = {"svg": picture.svg, "views": picture.views, "view": "state", "system": picture.system,
              "note": picture.note, "layout": picture.layout, "elements": [], "more": 0, "problems": []}
    done = subprocess.run(["node", "test/preview.js", json.dumps({"cspSource": origin, "answer": answer})],
                          cwd=extension, capture_output=True, text=True, check=True)
    html = json.loads(done.stdout)["html"]
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    page = context.new_page()

    def serve(route):
        path = route.request.url[len(origin):].lstrip("/")
        if path == "panel.html":
            route.fulfill(body=html, content_type="text/html")
        else:
            route.fulfill(path=str(extension / path))

    page.route(origin + "/**", serve)
    page.add_init_script("window.acquireVsCodeApi = () => ({postMessage() {}, getState() {}, setState() {}});")
    page.goto(origin + "/panel.html")
    # the problem of a real edit: a relation's target mistyped
    text = (REPO / "specs" / "real-world" / "sock-shop.arch").read_text().replace("carts -> carts_db", "carts -> carts_dbb", 1)
    [error] = loads(text, filename="sock-shop.arch", strict=False).errors
    problem = {"text": f"{error.span.file}:{error.span.line}:{error.span.column}: {error.message}", "hint": error.hint}
    page.evaluate("(m) => window.postMessage(m, '*')", {**answer, "type": "view", "file": "sock-shop.arch",
                                                        "problems": [problem]})
    page.wait_for_selector("#drawing svg")
    page.screenshot(path=str(SITE_IMAGES / "preview-vscode.png"))
    context.close()
    print("wrote site/docs/images/preview-vscode.png")


LABELS = """() => [...document.querySelectorAll('figure.arch-diagram g.node text')]
    .map(t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a)"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        subprocess.run([sys.executable, "-m", "archdsl", "site", "build", str(REPO / "specs"), "-o", str(site)],
                       check=True, capture_output=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, path, viewport, scheme in SHOTS:
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.add_init_script("localStorage.setItem('/.__palette', JSON.stringify({index: %d, color: "
                                     "{scheme: '%s'}}))" % (0 if scheme == "default" else 1, scheme))
                page.goto(root + path)
                page.wait_for_load_state("networkidle")
                figure = page.locator("article figure.arch-diagram").first
                if figure.count():
                    figure.scroll_into_view_if_needed()
                page.screenshot(path=str(IMAGES / name))
                context.close()
                print(f"wrote docs/images/{name}")
            review_comment(browser)
            preview_page(browser, Path(scratch))
            preview_panel(browser)
            for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                for system in ("boutique", "chat", "social", "sockshop"):
                    page.goto(f"{root}systems/{system}/")
                    page.wait_for_load_state("networkidle")
                    sizes = page.evaluate(LABELS)
                    print(f"{label:8s} {system:9s} node labels: median {statistics.median(sizes):.1f} px, "
                          f"smallest {min(sizes):.1f} px")
                context.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
