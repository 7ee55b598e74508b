"""`archdsl preview`: a view of a spec in the browser, redrawn after every save.

A room per concern: `pictures` (a view as SVG, and how the preview keeps redraws quick),
`facts` (what a page shows about a clicked element), `session` (the last good load, its
drawings, the problem of the last save), `watch` (the spec's files, through `watchfiles`),
`server` (the page and what it asks, on 127.0.0.1) and `assets` (the page, its script and its
style: bundled, nothing from the network). The language server draws views for the editor
with `pictures` too (`archdsl/renderView`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError


def serve(path: Path, *, view: str | None = None, port: int = 8010, system_id: str | None = None,
          say: Callable[[str], None] = print, ready: Callable[[str], None] | None = None) -> None:
    """Serve the preview of `path` until interrupted. `say` prints what each save did; `ready(url)`
    is told the page's address once the server listens."""
    from urllib.parse import quote

    from ..render.views import ViewError
    from .server import PreviewServer
    from .session import Session
    from .watch import watch

    session = Session(path, system_id)
    status = session.reload()
    if session.workspace is not None and view is not None and view not in status.views:
        raise ViewError(f"no view '{view}'; views: {', '.join(status.views)}")
    try:
        server = PreviewServer(session, port)
    except OSError as exc:
        raise ConfigError(f"cannot serve on 127.0.0.1:{port} ({exc.strerror or exc}): "
                          "give another port with --port (0 takes a free one)") from None
    url = server.url + (f"?view={quote(view, safe=':')}" if view else "")
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(session, stop, lambda s: say(told(s))),
                               name="archdsl-watch", daemon=True)
    watcher.start()
    say(f"archdsl preview: {path} at {url} (Ctrl-C stops)")
    say(told(status))
    if ready is not None:
        ready(url)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.stopping.set()
        server.server_close()


def told(status) -> str:
    """One line about a reload, for the terminal."""
    if status.problems:
        more = f" (and {status.more} more)" if status.more else ""
        return f"not drawn: {status.problems[0]}{more}; the page keeps the last good drawing"
    done = f"redrew {', '.join(status.drawn)}" if status.drawn else "loaded"
    return f"{done} in {status.seconds:.2f} s ({len(status.views)} views, {status.findings} findings)"
