"""`archdsl/renderView`: the editor's preview panel asks the real server (over stdio, as VS Code
does) for a view of the open document's system, drawn from the unsaved text."""

from __future__ import annotations

import asyncio
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SHOP = """\
import "stores.arch"

system shop "Shop" {
  layer api "API" {
    kind compute
    component orders "Orders" { description "Takes orders" }
  }
  orders -> stores.db "writes"
}
"""

STORES = """\
system stores "Stores" {
  component db "Orders database" { kind database; replication 2 }
}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("lsp-preview")
    (root / "shop.arch").write_text(SHOP)
    (root / "stores.arch").write_text(STORES)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "archdsl", "lsp"]))
async def client(lsp_client: LanguageClient, folder):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="specs")]))
    yield
    await lsp_client.shutdown_session()


async def render(client: LanguageClient, uri: str, view: str | None = None) -> dict:
    params = {"uri": uri} if view is None else {"uri": uri, "view": view}
    answer = await asyncio.wait_for(client.protocol.send_request_async("archdsl/renderView", params), 60)
    return plain(answer)


def plain(value):
    """The answer as JSON reads it (the test client hands custom answers over as named tuples)."""
    if hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def _open(client, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="arch", version=version, text=text)))


def _edit(client, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


@pytest.mark.asyncio
async def test_render_view_draws_the_unsaved_text_of_the_open_document(client: LanguageClient, folder):
    uri = (folder / "shop.arch").as_uri()
    _open(client, uri, SHOP)
    first = await render(client, uri)
    assert first["view"] == "system" and first["system"] == "shop" and first["problems"] == []
    assert first["views"] == ["system", "state", "layer:api"]
    assert "<title>shop.orders</title>" in first["svg"] and first["svg"].lstrip().startswith("<?xml")
    places = {element["id"]: element for element in first["elements"]}
    place = places["shop.orders"]
    assert place["uri"] == uri and place["range"]["start"]["line"] == SHOP.splitlines().index(
        '    component orders "Orders" { description "Takes orders" }')
    assert places["stores.db"]["uri"] == (folder / "stores.arch").as_uri()  # imported: its file
    # typed, not saved: the drawing has it; the file on the disk does not
    unsaved = SHOP.replace('  orders -> stores.db "writes"', '  component audit "Audit trail"\n  orders -> audit "logs"\n'
                           '  orders -> stores.db "writes"')
    _edit(client, uri, unsaved, 2)
    second = await render(client, uri)
    assert "Audit trail" in second["svg"] and "Audit trail" not in (folder / "shop.arch").read_text()
    layer = await render(client, uri, "layer:api")
    assert layer["view"] == "layer:api" and "<title>shop.orders</title>" in layer["svg"]
    gone = await render(client, uri, "layer:gone")  # a view renamed away: the system view instead
    assert gone["view"] == "system" and gone["problems"] == []


@pytest.mark.asyncio
async def test_a_broken_edit_keeps_the_last_good_drawing_and_says_where(client: LanguageClient, folder):
    uri = (folder / "shop.arch").as_uri()
    _open(client, uri, SHOP)
    good = await render(client, uri)
    broken = SHOP.replace('orders -> stores.db "writes"', 'orders -> stores.dbb "writes"')
    _edit(client, uri, broken, 2)
    answer = await render(client, uri)
    [problem] = answer["problems"]
    line = broken.splitlines().index('  orders -> stores.dbb "writes"') + 1
    assert problem["line"] == line and problem["column"] == 13 and "stores.dbb" in problem["message"]
    assert "did you mean 'db'" in problem["hint"]
    assert answer["svg"] == good["svg"] and answer["views"] == good["views"]
    _edit(client, uri, SHOP, 3)
    assert (await render(client, uri))["problems"] == []


@pytest.mark.asyncio
async def test_hover_answers_while_a_view_is_drawn(client: LanguageClient, folder):
    """Drawing runs beside the checks and the loop: a hover asked while a redraw is under way is
    answered before the drawing is (the drawing takes a layout process; the hover, a lookup)."""
    uri = (folder / "shop.arch").as_uri()
    _open(client, uri, SHOP)
    await render(client, uri)  # checked once: the hover has an analysis to read
    drawing = asyncio.ensure_future(render(client, uri, "state"))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=SHOP.splitlines().index('  orders -> stores.db "writes"'), character=4)))
    assert not drawing.done() and "Orders" in hover.contents.value
    assert "<svg" in (await drawing)["svg"]
