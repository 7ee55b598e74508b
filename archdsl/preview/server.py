"""The preview's web server: one page, its bundled script and style, and what the page asks.

    /                 the page (`?view=ID` picks the view)
    /views            the view ids of the system, as a JSON list, the system view first
    /view.svg?view=ID the current drawing of a view (the last good one while a save is broken)
    /events           Server-Sent Events: a `redraw` message after each save is drawn, carrying
                      the redraw's number, the views and the problems of the save
    /element?id=QID   what the page shows about a clicked element (JSON)
    /status           the same message as the last `redraw`, on demand (JSON)

It listens on 127.0.0.1 only, answers only requests addressed to that host (a web page elsewhere
cannot reach it through a name it controls), loads nothing from the network and allows the
page to load nothing from it either (Content-Security-Policy)."""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from ..errors import ArchError
from .session import Session

HOST = "127.0.0.1"
KEEPALIVE_SECONDS = 15.0  # a comment on a quiet event stream, so that a closed page is noticed
ASSETS = {  # what the page loads, all bundled: name -> content type
    "viewer.js": "text/javascript; charset=utf-8",
    "page.js": "text/javascript; charset=utf-8",
    "preview.css": "text/css; charset=utf-8",
}
SECURITY = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def asset(name: str) -> bytes:
    """A bundled file of the page."""
    return resources.files(__package__).joinpath("assets", name).read_bytes()


class PreviewServer(ThreadingHTTPServer):
    """The server of one session; `stopping` ends the event streams."""

    daemon_threads = True
    allow_reuse_address = False  # a port another preview holds is an error, not shared

    def __init__(self, session: Session, port: int) -> None:
        self.session = session
        self.stopping = threading.Event()
        super().__init__((HOST, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "archdsl-preview"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the standard library's name
        pass  # the command prints what each save did; a line per request would bury it

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        if not self._addressed_here():
            self._send(HTTPStatus.FORBIDDEN, b"not for this host\n", "text/plain; charset=utf-8")
            return
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        route = ROUTES.get(url.path)
        if route is not None:
            route(self, query)
        elif url.path.startswith("/assets/") and url.path[len("/assets/"):] in ASSETS:
            name = url.path[len("/assets/"):]
            self._send(HTTPStatus.OK, asset(name), ASSETS[name])
        else:
            self._send(HTTPStatus.NOT_FOUND, b"no such page\n", "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"", "text/plain; charset=utf-8")

    do_POST = do_PUT = do_DELETE = do_HEAD  # noqa: N815

    def _addressed_here(self) -> bool:
        """Whether the request names this server (a page on a name that resolves to 127.0.0.1
        is refused: DNS rebinding)."""
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"{HOST}:{port}", f"localhost:{port}")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, data, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    # -- the routes

    def page(self, query: dict) -> None:
        self._send(HTTPStatus.OK, asset("index.html"), "text/html; charset=utf-8")

    def views(self, query: dict) -> None:
        self._json(self.server.session.status.views)

    def status(self, query: dict) -> None:
        self._json(self.server.session.status.to_dict())

    def view_svg(self, query: dict) -> None:
        session = self.server.session
        view = query.get("view") or (session.status.views or ["system"])[0]
        try:
            picture = session.picture(view)
        except ArchError as exc:
            self._json({"error": str(exc), "views": session.status.views}, HTTPStatus.NOT_FOUND)
            return
        self.send_response(HTTPStatus.OK)
        body = picture.svg.encode("utf-8")
        self.send_header("Content-Type", "image/svg+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Archdsl-Layout", picture.layout)
        # the note is the panel's: sent as JSON text so that any character travels in a header
        self.send_header("X-Archdsl-Note", json.dumps(picture.note))
        self.send_header("X-Archdsl-Seconds", f"{picture.seconds:.3f}")
        for name, value in SECURITY.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def element(self, query: dict) -> None:
        facts = self.server.session.facts(query.get("id", ""))
        if facts is None:
            self._json({"error": f"no element '{query.get('id', '')}'"}, HTTPStatus.NOT_FOUND)
        else:
            self._json(facts)

    def events(self, query: dict) -> None:
        """A `redraw` message now (what the page missed) and after each save, until the page goes."""
        session, stopping = self.server.session, self.server.stopping
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Connection", "close")
        for name, value in SECURITY.items():
            self.send_header(name, value)
        self.end_headers()
        self.close_connection = True
        status = session.status
        try:
            self._event(status)
            while not stopping.is_set():
                later = session.wait(status.generation, KEEPALIVE_SECONDS)
                if later is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    status = later
                    self._event(status)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page went away

    def _event(self, status) -> None:
        data = json.dumps(status.to_dict(), ensure_ascii=False)
        self.wfile.write(f"event: redraw\nid: {status.generation}\ndata: {data}\n\n".encode())
        self.wfile.flush()


ROUTES = {"/": Handler.page, "/index.html": Handler.page, "/views": Handler.views, "/status": Handler.status,
          "/view.svg": Handler.view_svg, "/element": Handler.element, "/events": Handler.events}
