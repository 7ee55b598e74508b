"""`archdsl lsp`: a language server over stdio (pygls), for any editor that speaks LSP.

What it answers: diagnostics as you type (the same codes, messages, hints and `allow`s as
`check`, the workspace's `[tool.archdsl]` settings applied; for the open file and every file of
its spec root), hover (an element: its kind, state and why, what it keeps, the decisions that
affect it; a finding: its rule), go to definition (element ids, `system.id`, and `import`
paths), find references and rename (every file of the root), completion (keywords by block,
values, ids, import files), quick fixes ("did you mean", `allow`), the outline (document
symbols), formatting (`fmt`'s layout; a file that does not parse is refused, as `fmt`
refuses it) and, for a preview panel, `archdsl/renderView` (a view of the document's system as
SVG, from the unsaved text). Positions are UTF-16 code units, or UTF-8 or UTF-32 when the editor prefers one.

The spec root of a file is the workspace folder that holds it (the editor's), else its own
folder; a document is checked on its own (nothing beside it read, no import followed) when it
is not a file (an editor's unsaved `untitled:` document) or when its folder is `/`, the home
folder or a folder above it: a desktop launch must not walk the disk. Open documents are read
from the editor, not from the disk, so unsaved edits count.

A room per concern: `documents` (paths, roots, columns), `text` (reading text being typed),
`analyses` (a load and check, and the checks edits start), `hover`, `navigation` (definition,
references, rename, outline), `completion`, `fixes` (quick fixes, formatting), `drawings`
(the preview panel's views), and `server` (the protocol).
"""

from __future__ import annotations

import sys

from ..memory import COLLECTOR

# The loop takes its turn from a running check every millisecond, not every five (Python's
# default): a hover while an edit is checked waits for fewer turns.
SWITCH_SECONDS = 0.001


def serve() -> None:
    """Answer an editor on stdin and stdout until it exits."""
    from .server import (
        ArchServer,  # pygls and the checks load with the server, not with the package
    )

    sys.setswitchinterval(SWITCH_SECONDS)
    COLLECTOR.editing()  # collections happen when the editor is quiet (analyses.Checks)
    ArchServer().server.start_io()
