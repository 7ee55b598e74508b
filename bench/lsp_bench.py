"""How fast the language server answers, measured as an editor meets it, over stdio.

    python bench/lsp_bench.py [COMPONENTS] [FILES]      # default 1,000 in 1 file

Starts `archdsl lsp`, opens a synthetic workspace of COMPONENTS components (FILES systems of
COMPONENTS/FILES each, one file each), then times (medians of several) an edit of the first file
until its diagnostics arrive (unchanged files are not parsed again), a hover, a completion, and a
hover sent right after an edit, while the server checks it, and the outline (document symbols)
an editor asks for after every edit: asked again with no edit, and asked right after one; and
the preview panel's `archdsl/renderView` (the system view) after an edit, with a hover sent
while that drawing is made.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))
from synth import synthetic_spec  # noqa: E402


async def main(n: int, files: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="archdsl-lsp-"))
    for index in range(files):
        part = synthetic_spec(n // files).replace("system big ", f"system big{index} ")
        (folder / f"part-{index:03d}.arch").write_text(part)
    spec = folder / "part-000.arch"
    text = spec.read_text()
    client = LanguageClient("bench", "1")
    arrived: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params):
        arrived.put_nowait((time.perf_counter(), params))

    await client.start_io(sys.executable, "-m", "archdsl", "lsp")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="bench")]))
    client.initialized(types.InitializedParams())
    uri = spec.as_uri()
    started = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="arch", version=1, text=text)))
    done, _ = await arrived.get()
    while not arrived.empty():
        arrived.get_nowait()
    await asyncio.sleep(0.5)
    while not arrived.empty():  # every file of the root heard once: start from a quiet queue
        arrived.get_nowait()
    print(f"{n:,} components in {files} file(s): first diagnostics {1000 * (done - started):.0f} ms after opening")
    edits = []
    for version in range(2, 9):
        edited = text.replace("latency 500ms", f"latency {400 + version}ms", 1)
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)]))
        while True:  # the diagnostics of the edited file
            done, params = await arrived.get()
            if params.uri == uri:
                break
        edits.append(done - sent)
    line = next(i for i, l in enumerate(text.splitlines()) if "component api_0" in l)
    hovers, completions = [], []
    for _ in range(9):
        sent = time.perf_counter()
        await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=16)))
        hovers.append(time.perf_counter() - sent)
        sent = time.perf_counter()
        await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=4)))
        completions.append(time.perf_counter() - sent)

    def ms(values):
        return f"{1000 * statistics.median(values):.0f} ms ({1000 * min(values):.0f}–{1000 * max(values):.0f})"

    busy = []
    for version in range(20, 27):
        edited = text.replace("latency 500ms", f"latency {400 + version}ms", 1)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)]))
        await asyncio.sleep(0.03)  # the check of this edit is under way
        sent = time.perf_counter()
        await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=16)))
        busy.append(time.perf_counter() - sent)
        while True:
            _, params = await arrived.get()
            if params.uri == uri:
                break

    outlines, fresh = [], []
    symbols = types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    for version in range(30, 37):
        for _ in range(3):  # nothing edited since the last check
            sent = time.perf_counter()
            await client.text_document_document_symbol_async(symbols)
            outlines.append(time.perf_counter() - sent)
        edited = text.replace("latency 500ms", f"latency {400 + version}ms", 1)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)]))
        sent = time.perf_counter()  # as an editor does: the outline of the text just typed
        await client.text_document_document_symbol_async(symbols)
        fresh.append(time.perf_counter() - sent)
        while True:
            _, params = await arrived.get()
            if params.uri == uri:
                break

    draws, drawing_hovers = [], []
    for version in range(40, 47):
        edited = text.replace("latency 500ms", f"latency {400 + version}ms", 1)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)]))
        sent = time.perf_counter()
        drawing = asyncio.ensure_future(client.protocol.send_request_async("archdsl/renderView", {"uri": uri}))
        await asyncio.sleep(0.05)  # the check, then the drawing, under way
        asked = time.perf_counter()
        await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=16)))
        drawing_hovers.append(time.perf_counter() - asked)
        await drawing
        draws.append(time.perf_counter() - sent)
        while not arrived.empty():
            arrived.get_nowait()

    print(f"an edit until its diagnostics: {ms(edits)}", [round(1000 * e) for e in edits])
    print(f"preview panel: an edit until its drawing: {ms(draws)}; hover while it is drawn: {ms(drawing_hovers)}")
    print(f"outline: {ms(outlines)}; outline right after an edit: {ms(fresh)}")
    print(f"hover: {ms(hovers)}; completion: {ms(completions)}; hover while an edit is checked: {ms(busy)}")
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 1))
