"""Places in a document as the editor counts them. An editor counts columns in UTF-16 code units
unless it offers another encoding at start-up; the parser counts code points. A line with
emoji (two UTF-16 units each, four UTF-8 bytes) or CJK (three UTF-8 bytes) before an id must
still point at the id: in diagnostics, hover, references, rename, the outline and quick fixes.
"""

from __future__ import annotations

import asyncio
import copy
import sys
from dataclasses import dataclass

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

# Eight astral characters before `db` on the relation line: read as code points, an editor's
# UTF-16 column of `db` lands eight characters to its right, in the label.
SPEC = """\
system uni "Unicode 🚀" {
  component web "网站 🌐" { keeps "💾 carts" as session in cachee }
  component db "数据库 🗄" { kind database; replication 2 }
  component cache "缓存" { kind cache; replication 2 }
  /* 🚀🚀🚀🚀🚀🚀🚀🚀 */ web -> db "读写 ✍"
}
"""
LINES = SPEC.splitlines()
KEEPS, DB, RELATION = 1, 2, 4


def units(text: str, encoding: str) -> int:
    """How many code units of `encoding` a text is: what the editor counts."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def column(line: int, text: str, encoding: str, occurrence: int = 1) -> int:
    """The editor's column of the `occurrence`-th `text` on a line of SPEC."""
    at = -1
    for _ in range(occurrence):
        at = LINES[line].index(text, at + 1)
    return units(LINES[line][:at], encoding)


@dataclass
class Opened:
    """What the `editor` fixture opened: SPEC's uri, the encoding offered, the server's answer."""

    uri: str
    encoding: str
    started: types.InitializeResult


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "archdsl", "lsp"]),
                    params=["utf-16", "utf-8", "utf-32"])
async def editor(lsp_client: LanguageClient, request, tmp_path):
    """A client that offers one encoding (UTF-16: none offered, the protocol's default), with
    SPEC open in its workspace folder."""
    encoding = request.param
    capabilities = copy.deepcopy(client_capabilities("visual-studio-code"))
    if encoding != "utf-16":
        capabilities.general.position_encodings = [encoding]
    started = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities, workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="specs")]))
    path = tmp_path / "uni.arch"
    path.write_text(SPEC, encoding="utf-8")
    lsp_client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="arch", version=1, text=SPEC)))
    lsp_client.opened = Opened(path.as_uri(), encoding, started)  # pytest-lsp gives tests the client
    yield
    await lsp_client.shutdown_session()


def _opened(client) -> tuple[str, str, types.InitializeResult]:
    o = client.opened
    return o.uri, o.encoding, o.started


async def _diagnostics(client, uri, timeout=15.0):
    async def poll():
        while uri not in client.diagnostics:
            await asyncio.sleep(0.05)
    await asyncio.wait_for(poll(), timeout)
    return client.diagnostics[uri]


def _at(uri: str, line: int, character: int) -> dict:
    return {"text_document": types.TextDocumentIdentifier(uri=uri),
            "position": types.Position(line=line, character=character)}


@pytest.mark.asyncio
async def test_the_server_counts_in_the_encoding_the_editor_offers(editor):
    client, (uri, encoding, started) = editor, _opened(editor)
    assert started.capabilities.position_encoding == encoding
    [unknown] = [d for d in await _diagnostics(client, uri) if d.code == "AD101"]
    assert "cachee" in unknown.message
    assert unknown.range.start == types.Position(line=KEEPS, character=column(KEEPS, "cachee", encoding))
    assert unknown.range.end.character == column(KEEPS, "cachee", encoding) + len("cachee")


@pytest.mark.asyncio
async def test_hover_and_definition_find_the_id_after_astral_characters(editor):
    client, (uri, encoding, _) = editor, _opened(editor)
    await _diagnostics(client, uri)
    hover = await client.text_document_hover_async(types.HoverParams(
        **_at(uri, RELATION, column(RELATION, "db", encoding) + 1)))
    assert hover.contents.value.startswith("**数据库 🗄** `uni.db`")
    where = await client.text_document_definition_async(types.DefinitionParams(
        **_at(uri, RELATION, column(RELATION, "db", encoding))))
    assert where.range.start.line == DB and where.range.end == types.Position(
        line=DB, character=units(LINES[DB], encoding))


@pytest.mark.asyncio
async def test_references_and_rename_edit_exactly_the_id(editor):
    client, (uri, encoding, _) = editor, _opened(editor)
    await _diagnostics(client, uri)
    web = column(RELATION, "web", encoding)
    found = await client.text_document_references_async(types.ReferenceParams(
        **_at(uri, RELATION, web), context=types.ReferenceContext(include_declaration=True)))
    assert sorted((r.range.start.line, r.range.start.character, r.range.end.character) for r in found) == [
        (KEEPS, column(KEEPS, "web", encoding), column(KEEPS, "web", encoding) + 3),
        (RELATION, web, web + 3)]
    edit = await client.text_document_rename_async(types.RenameParams(
        **_at(uri, RELATION, column(RELATION, "db", encoding)), new_name="store"))
    renamed = sorted((e.range.start.line, e.range.start.character, e.range.end.character)
                     for e in edit.changes[uri])
    assert renamed == [(DB, column(DB, "db", encoding), column(DB, "db", encoding) + 2),
                       (RELATION, column(RELATION, "db", encoding), column(RELATION, "db", encoding) + 2)]


@pytest.mark.asyncio
async def test_the_outline_ends_where_the_lines_end(editor):
    client, (uri, encoding, _) = editor, _opened(editor)
    [system] = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    db = next(s for s in system.children if s.name == "db")
    assert db.range.end == types.Position(line=DB, character=units(LINES[DB], encoding))


@pytest.mark.asyncio
async def test_a_quick_fix_takes_the_suggestion_in_place(editor):
    client, (uri, encoding, _) = editor, _opened(editor)
    [unknown] = [d for d in await _diagnostics(client, uri) if d.code == "AD101"]
    [fix] = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=unknown.range,
        context=types.CodeActionContext(diagnostics=[unknown])))
    [change] = fix.edit.changes[uri]
    assert change.new_text == "cache" and change.range == unknown.range
    # an `allow` goes after the `{` of the element's block, past the label's astral characters
    warning = types.Diagnostic(range=types.Range(start=types.Position(line=DB, character=2),
                                                 end=types.Position(line=DB, character=12)),
                               message="a finding", code="CK805", source="archdsl")
    [allow] = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=warning.range,
        context=types.CodeActionContext(diagnostics=[warning])))
    [insert] = allow.edit.changes[uri]
    assert insert.range.start == types.Position(line=DB, character=column(DB, "{", encoding) + 1)
