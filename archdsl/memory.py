"""When the cyclic garbage collector runs: archdsl's one policy, for every kind of process.

A spec's model is a large graph of objects that lives as long as the work on it: the collector
would walk it again and again and find nothing to free (half the time of checking 5,000
components). So:

- a command runs with the collector paused (`COLLECTOR.paused`); when the command is the whole
  process (the `archdsl` program, not a caller in the same process such as the MkDocs plugin or a
  test), what it made is frozen before the collector is turned back on, so the collections that
  follow (the first one, and the one at exit) do not walk it once more (about 240 ms at 10
  components, 760 ms at 5,000);
- `site serve` rebuilds the site on every edit for as long as it runs: the collector runs as
  usual there (`COLLECTOR.serving`);
- the language server keeps models between edits: it never collects in the middle of typing,
  only once the editor has been quiet for a while (`COLLECTOR.editing`, `COLLECTOR.collect`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class Collector:
    """The policy (one object, `COLLECTOR`); `whole_process` says whether archdsl's own program
    runs (set by `cli.run`), not a caller that imported archdsl."""

    def __init__(self) -> None:
        self.whole_process = False

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No cyclic collection inside the block; as it was before after it."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if collecting:
                if self.whole_process:
                    gc.freeze()  # the process ends soon: what the command made is never walked again
                gc.enable()

    def serving(self) -> None:
        """A long-running server that builds afresh on every change collects as usual."""
        gc.enable()

    def editing(self) -> None:
        """The language server: no automatic collection (it collects when the editor is quiet)."""
        gc.disable()

    def collect(self) -> None:
        """A collection now: the editor has been quiet."""
        gc.collect()


COLLECTOR = Collector()
