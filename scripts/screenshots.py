"""The site's screenshots in docs/images, taken from a real build in Debian's chromium.

    .venv/bin/python scripts/screenshots.py          # builds specs/ into a temporary folder first

Each picture is a page at first view, as a reader meets it: the system page of Sock Shop on a
desktop (light and dark) and on a phone, a component page and a migration page. It also prints
the rendered size of the node labels of every real-world system diagram (desktop and phone),
the figure docs/diagram-quality.md reports.
"""

from __future__ import annotations

import functools
import http.server
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
