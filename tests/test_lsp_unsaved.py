"""The language server launched from a desktop: no workspace folder, its working folder and home
full of other people's files. An unsaved document, and a file in the home folder, are checked on
their own: nothing beside them is read, no import is followed, no disk is walked."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

# The server's world, made before it starts (pytest-lsp starts it from this configuration):
# a working folder (`/` of a desktop launch) and a home folder, each with a spec that would
# give diagnostics if the server ever read it.
DESKTOP = Path(tempfile.mkdtemp(prefix="archdsl-desktop-")).resolve()
atexit.register(shutil.rmtree, DESKTOP, True)
HOME = DESKTOP / "home"
HOME.mkdir()
(DESKTOP / "evil.arch").write_text('system evil {\n  component a { kind nope }\n}\n')
(HOME / "other.arch").write_text('system other {\n  component b { kindd cdn }\n}\n')
(DESKTOP / "secret.txt").symlink_to("/etc/passwd")
(DESKTOP / "passwd.arch").symlink_to("/etc/passwd")
LAUNCH = "import os; os.chdir(os.environ['ARCHDSL_TEST_DESKTOP']); from archdsl.cli import main; main(['lsp'])"


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-c", LAUNCH],
    server_env={**os.environ, "HOME": str(HOME), "ARCHDSL_TEST_DESKTOP": str(DESKTOP)}))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), workspace_folders=None))
    yield
    await lsp_client.shutdown_session()


def _open(client, uri: str, text: str) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="arch", version=1, text=text)))


async def _settled(client, uri: str, seconds: float = 15.0):
    async def wait():
        while uri not in client.diagnostics:
            await asyncio.sleep(0.05)
    await asyncio.wait_for(wait(), seconds)
    await asyncio.sleep(0.5)  # anything else the check would publish arrives with it
    return client.diagnostics[uri]


@pytest.mark.asyncio
async def test_an_unsaved_document_is_checked_on_its_own(client: LanguageClient):
    uri = "untitled:Untitled-1"
    _open(client, uri, 'import "evil.arch"\nimport "passwd.arch"\n\nsystem s {\n  component a { kindd cdn }\n}\n')
    found = await _settled(client, uri)
    codes = sorted(d.code for d in found)
    assert "AD107" in codes  # its own mistake, found
    imports = [d for d in found if d.range.start.line in (0, 1)]
    assert [d.code for d in imports] == ["AD104", "AD104"]  # never followed
    assert all("checked on its own" in d.message for d in imports)
    assert list(client.diagnostics) == [uri], "nothing but the document itself was read"
    assert not any("root:" in d.message or "/etc" in d.message for d in found)
    completion = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=8)))
    items = completion.items if hasattr(completion, "items") else completion or []
    assert not [i for i in items if i.label.endswith(".arch")], "no folder is walked for an unsaved document"


@pytest.mark.asyncio
async def test_a_file_in_the_home_folder_is_checked_without_its_neighbours(client: LanguageClient):
    notes = HOME / "notes.arch"
    notes.write_text('import "other.arch"\nsystem n {\n  component c\n}\n')
    _open(client, notes.as_uri(), notes.read_text())
    found = await _settled(client, notes.as_uri())
    assert [d.code for d in found if d.range.start.line == 0] == ["AD104"]  # the import is not followed
    assert (HOME / "other.arch").as_uri() not in client.diagnostics
    assert (DESKTOP / "evil.arch").as_uri() not in client.diagnostics
