"""Watching the files of a previewed spec with `watchfiles` (the operating system's own change
events, not a polling loop): a save of the spec, of a file it imports or of its settings reloads
it. What is watched follows the spec: an import added by a save is watched from then on."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from .session import Session

# Changes that arrive together (an editor's save is often a write, a rename and a delete) are
# one reload: gathered for STEP_MS after the first, for at most DEBOUNCE_MS.
STEP_MS = 30
DEBOUNCE_MS = 200


def watch(session: Session, stop: threading.Event, reloaded: Callable[[object], None] | None = None) -> None:
    """Reload `session` after each save that concerns it until `stop` is set; `reloaded(status)`
    is told of each reload (the command line prints it)."""
    import watchfiles  # lazy: only `preview` watches

    while not stop.is_set():
        wanted = session.watched()
        paths, recursive = [p for p in wanted[0] if p.exists()], wanted[1]
        if not paths:  # nothing left to watch (the folder went away): look again shortly
            stop.wait(0.5)
            continue
        for changes in watchfiles.watch(*paths, recursive=recursive, stop_event=stop, step=STEP_MS,
                                        debounce=DEBOUNCE_MS, raise_interrupt=False,
                                        watch_filter=lambda change, name: session.concerns(Path(name))):
            seen = time.monotonic()
            status = session.reload(since=seen)
            if reloaded is not None:
                reloaded(status)
            if session.watched() != wanted:
                break  # the spec reads other files now: watch those
