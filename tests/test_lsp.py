"""`archdsl lsp`: the real server, started as an editor starts it, driven over stdio by pytest-lsp."""

from __future__ import annotations

import asyncio
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

MAIN = """\
import "stores.arch"

system shop "Shop" {
  layer api "API" {
    kind compute
    component orders "Orders" {
      description "Takes orders"
      keeps "carts" as session in stores.cache
    }
  }
  decision adr-1 "Orders are stateless" { status accepted; affects orders; decision "No local state." }
  orders -> stores.db "writes"
}
"""

STORES = """\
system stores "Stores" {
  component db "Orders database" { kind database; replication 2 }
  component cache "Cache" { kind cache; replication 2 }
}
"""

RELATION_LINE = MAIN.splitlines().index('  orders -> stores.db "writes"')
BROKEN_REFERENCE = MAIN.replace("orders -> stores.db", "orders -> stores.dbb")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("lsp")
    (root / "main.arch").write_text(MAIN)
    (root / "stores.arch").write_text(STORES)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "archdsl", "lsp"]))
async def client(lsp_client: LanguageClient, folder):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="specs")]))
    yield
    await lsp_client.shutdown_session()


def _at(uri: str, line: int, character: int) -> dict:
    """A place in a document, as the requests that ask about one take it."""
    return {"text_document": types.TextDocumentIdentifier(uri=uri),
            "position": types.Position(line=line, character=character)}


def _open(client, path, text, version=1):
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="arch", version=version, text=text)))


async def _diagnostics_for(client, uri, check, timeout=15.0):
    """Wait until the diagnostics of `uri` satisfy `check`."""
    async def poll():
        while not (uri in client.diagnostics and check(client.diagnostics[uri])):
            await asyncio.sleep(0.05)
    try:
        await asyncio.wait_for(poll(), timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"no such diagnostics for {uri}: {client.diagnostics}") from None
    return client.diagnostics[uri]


@pytest.mark.asyncio
async def test_diagnostics_appear_as_you_type_and_clear_when_fixed(client: LanguageClient, folder):
    main = folder / "main.arch"
    _open(client, main, MAIN)
    await _diagnostics_for(client, main.as_uri(), lambda d: True)
    assert [d for d in client.diagnostics[main.as_uri()] if d.code == "AD101"] == []
    # an unknown reference, typed but not saved: the disk still holds the good file
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=main.as_uri(), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=BROKEN_REFERENCE)]))
    found = await _diagnostics_for(client, main.as_uri(), lambda d: any(x.code == "AD101" for x in d))
    [unknown] = [d for d in found if d.code == "AD101"]
    assert "stores.dbb" in unknown.message and "did you mean" in unknown.message.lower()
    assert unknown.severity == types.DiagnosticSeverity.Error and unknown.source == "archdsl"
    assert unknown.range.start.line == BROKEN_REFERENCE.splitlines().index("  orders -> stores.dbb \"writes\"")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=main.as_uri(), version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=MAIN)]))
    await _diagnostics_for(client, main.as_uri(), lambda d: not any(x.code == "AD101" for x in d))


@pytest.mark.asyncio
async def test_edits_faster_than_the_checks_end_with_the_diagnostics_of_the_last_one(client: LanguageClient, folder):
    """A check runs beside the server's loop; edits typed meanwhile are checked when it ends, so
    the last text is always the one the editor shows diagnostics for."""
    main = folder / "main.arch"
    _open(client, main, MAIN)
    for version in range(2, 22):
        text = MAIN.replace("orders -> stores.db", f"orders -> stores.db{version}")
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=main.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        await asyncio.sleep(0.005)
    await _diagnostics_for(client, main.as_uri(), lambda d: any("stores.db21" in x.message for x in d))
    await asyncio.sleep(1.0)  # nothing older arrives after it
    assert [x.message.split("'")[1] for x in client.diagnostics[main.as_uri()] if x.code == "AD101"] == ["stores.db21"]


@pytest.mark.asyncio
async def test_a_file_that_does_not_parse_gets_its_syntax_error_and_is_not_formatted(client: LanguageClient, folder):
    broken = folder / "broken.arch"
    text = 'system x "X" {\n  component a {\n}\n'
    _open(client, broken, text)
    found = await _diagnostics_for(client, broken.as_uri(), lambda d: any(x.code == "AD100" for x in d))
    [syntax] = [d for d in found if d.code == "AD100"]
    assert syntax.message.startswith("unexpected end of the file") and "add the missing '}'" in syntax.message
    assert (syntax.range.start.line, syntax.range.start.character) == (2, 1)  # just after the last brace
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=broken.as_uri()),
        options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edits is None  # refused, like `archdsl fmt`


@pytest.mark.asyncio
async def test_hover_tells_an_elements_state_what_it_keeps_and_its_decisions(client: LanguageClient, folder):
    main = folder / "main.arch"
    _open(client, main, MAIN)
    text = await _hover(client, main.as_uri(), RELATION_LINE, 3)
    assert "**Orders** `shop.orders`" in text and "state: stateless" in text
    assert "keeps carts (session) in stores.cache" in text
    assert "decision adr-1: Orders are stateless (accepted)" in text


@pytest.mark.asyncio
async def test_definition_goes_across_files_and_follows_imports(client: LanguageClient, folder):
    main = folder / "main.arch"
    _open(client, main, MAIN)
    line = RELATION_LINE
    where = await client.text_document_definition_async(types.DefinitionParams(
        **_at(main.as_uri(), line, 14)))
    assert where.uri == (folder / "stores.arch").as_uri()
    assert where.range.start.line == STORES.splitlines().index(
        '  component db "Orders database" { kind database; replication 2 }')
    imported = await client.text_document_definition_async(types.DefinitionParams(
        **_at(main.as_uri(), 0, 10)))
    assert imported.uri == (folder / "stores.arch").as_uri()


@pytest.mark.asyncio
async def test_outline_and_formatting(client: LanguageClient, folder):
    main = folder / "main.arch"
    _open(client, main, MAIN)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri())))
    [shop] = symbols
    assert shop.name == "shop" and [c.name for c in shop.children] == ["api", "orders", "adr-1"]
    messy = MAIN.replace("  orders -> stores.db", "        orders   ->   stores.db")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=main.as_uri(), version=9),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=messy)]))
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri()),
        options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    [edit] = edits
    assert '  orders -> stores.db "writes"' in edit.new_text and "orders   ->" not in edit.new_text


@pytest.mark.asyncio
async def test_the_outline_asked_right_after_an_edit_shows_the_edit(client: LanguageClient, folder):
    """The outline is cached per check, and an edit makes a new one: asked at once after typing,
    it holds what was typed, never the outline of the text before."""
    main = folder / "outline.arch"
    text = MAIN.replace("system shop", "system outlined")  # not a second `shop` beside main.arch
    _open(client, main, text)
    uri = types.TextDocumentIdentifier(uri=main.as_uri())
    [before] = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=uri))
    assert "payments" not in [c.name for c in before.children]
    grown = text.replace("  decision adr-1", '  component payments "Payments" { }\n  decision adr-1')
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=main.as_uri(), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=grown)]))
    [after] = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=uri))
    assert [c.name for c in after.children] == ["api", "orders", "payments", "adr-1"]
    assert after.children[2].range.start.line == grown.splitlines().index('  component payments "Payments" { }')


def _draft(client, folder, name: str, text: str) -> tuple[str, list[str]]:
    """Open a new document in the editor (unsaved): its uri and lines."""
    path = folder / name
    _open(client, path, text)
    return path.as_uri(), text.splitlines()


async def _hover(client, uri, line, character) -> str:
    """The text the server shows on hovering at a place."""
    hover = await client.text_document_hover_async(types.HoverParams(**_at(uri, line, character)))
    return hover.contents.value


async def _complete(client, uri, line, character) -> list[str]:
    found = await client.text_document_completion_async(types.CompletionParams(
        **_at(uri, line, character)))
    return [item.label for item in found.items]


@pytest.mark.asyncio
async def test_completion_offers_what_the_block_takes_values_ids_and_files(client: LanguageClient, folder):
    uri, lines = _draft(client, folder, "draft.arch", 'import "\nsystem d "Draft" {\n  \n  component web {\n    \n'
                        '    kind \n  }\n  decision adr-9 "x" { affects  }\n  web -> \n}\n')
    assert "stores.arch" in await _complete(client, uri, 0, 8)
    in_system = await _complete(client, uri, 2, 2)
    assert {"component", "layer", "decision", "migration", "industry", "sla"} <= set(in_system)
    assert "kind" not in in_system and "replicas" not in in_system  # a component's, not a system's
    in_component = await _complete(client, uri, 4, 4)
    assert {"kind", "keeps", "replicas", "connection", "state"} <= set(in_component) and "component" not in in_component
    kinds = await _complete(client, uri, 5, len(lines[5]))
    assert {"database", "cache", "queue", "service"} <= set(kinds) and "kind" not in kinds
    affected = await _complete(client, uri, 7, lines[7].index("affects") + 8)
    assert "web" in affected and "stores.db" in affected
    called = await _complete(client, uri, 8, len(lines[8]))
    assert "web" in called and "shop.orders" in called


@pytest.mark.asyncio
async def test_completion_knows_every_kind_of_block(client: LanguageClient, folder):
    uri, lines = _draft(client, folder, "blocks.arch", '\nsystem b "Blocks" {\n  actor u { \n  }\n  layer api { \n  }\n'
                        '  u -> web { \n  }\n  decision adr-1 "x" { \n    option "a" { \n    }\n  }\n'
                        '  migration m1 { \n    phase "one" { \n    }\n  }\n  view v1 { \n  }\n'
                        '  component web\n}\n')

    async def inside(marker: str) -> set[str]:
        line = next(i for i, t in enumerate(lines) if marker in t)
        return set(await _complete(client, uri, line, len(lines[line])))

    assert {"import", "system"} <= set(await _complete(client, uri, 0, 0))
    assert {"kind", "description"} <= await inside("actor u") and "replicas" not in await inside("actor u")
    assert {"kind", "state", "component"} <= await inside("layer api")
    assert {"protocol", "async", "latency", "optional"} <= await inside("u -> web")
    assert {"status", "affects", "option", "supersedes"} <= await inside("decision adr-1")
    assert {"pros", "cons", "chosen"} <= await inside('option "a"')
    assert {"from", "to", "phase", "strategy", "rollback"} <= await inside("migration m1")
    assert {"traffic", "exit", "date"} <= await inside('phase "one"')
    assert {"include", "exclude"} <= await inside("view v1") and "component" not in await inside("view v1")


@pytest.mark.asyncio
async def test_quick_fixes_take_the_suggestion_or_allow_the_rule(client: LanguageClient, folder):
    main = folder / "main.arch"
    _open(client, main, BROKEN_REFERENCE)
    found = await _diagnostics_for(client, main.as_uri(), lambda d: any(x.code == "AD101" for x in d))
    unknown = next(d for d in found if d.code == "AD101")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri()), range=unknown.range,
        context=types.CodeActionContext(diagnostics=[unknown])))
    [fix] = actions
    [edit] = fix.edit.changes[main.as_uri()]
    assert fix.title == "Change to 'stores.db'" and edit.new_text == "stores.db" and edit.range == unknown.range
    # a rule's finding: an `allow` in the element's block
    warning = types.Diagnostic(range=types.Range(start=types.Position(line=5, character=4),
                                                 end=types.Position(line=5, character=20)),
                               message="a finding", code="CK805", source="archdsl")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri()), range=warning.range,
        context=types.CodeActionContext(diagnostics=[warning])))
    [allow] = actions
    [insert] = allow.edit.changes[main.as_uri()]
    assert insert.range.start.line == 5 and insert.new_text == '\n      allow CK805 "why this is acceptable here"'


@pytest.mark.asyncio
async def test_references_and_rename_cover_every_file_of_the_root(client: LanguageClient, folder):
    main, stores = folder / "main.arch", folder / "stores.arch"
    _open(client, main, MAIN)
    await _diagnostics_for(client, main.as_uri(), lambda d: True)
    line = RELATION_LINE
    refs = await client.text_document_references_async(types.ReferenceParams(
        **_at(main.as_uri(), line, 3),
        context=types.ReferenceContext(include_declaration=True)))
    lines = MAIN.splitlines()
    assert sorted(r.range.start.line for r in refs) == sorted([
        lines.index('    component orders "Orders" {'), line,
        next(i for i, t in enumerate(lines) if "affects orders" in t)])
    edit = await client.text_document_rename_async(types.RenameParams(
        **_at(main.as_uri(), line, 16), new_name="ledger"))
    in_stores = edit.changes[stores.as_uri()]
    in_main = edit.changes[main.as_uri()]
    assert [e.new_text for e in in_stores] == ["ledger"] and in_stores[0].range.start.line == 1
    [relation] = in_main  # `stores.db` in main.arch: only the part after the dot changes
    assert relation.range.start.line == line and relation.range.start.character == lines[line].index("db")
    assert relation.range.end.character == lines[line].index("db") + 2
    cache = await client.text_document_rename_async(types.RenameParams(
        **_at(stores.as_uri(), 2, 14), new_name="sessions"))
    keeps_line = next(i for i, t in enumerate(lines) if "keeps" in t)
    assert [e.range.start.line for e in cache.changes[main.as_uri()]] == [keeps_line]
    with pytest.raises(Exception, match="is not an id"):
        await client.text_document_rename_async(types.RenameParams(
            **_at(main.as_uri(), line, 3), new_name="not an id"))


@pytest.mark.asyncio
async def test_hover_on_an_attribute_says_what_it_means_and_its_values(client: LanguageClient, folder):
    stores = folder / "stores.arch"
    _open(client, stores, STORES)
    text = await _hover(client, stores.as_uri(), 1, STORES.splitlines()[1].index("kind") + 1)
    assert text.startswith("**kind** (component)") and "`database`" in text and "`cache`" in text
    replication = await _hover(client, stores.as_uri(), 1, STORES.splitlines()[1].index("replication") + 2)
    assert replication.startswith("**replication** (component)")


FLOWING = """\
system trip "Trip" {
  component web
  component bookings
  web -> bookings "books"
  flow book "Book" {
    step web -> bookings "books" { writes "bookings" }
  }
}
"""


@pytest.mark.asyncio
async def test_definition_goes_from_a_step_to_the_relation_it_follows(client: LanguageClient, folder):
    uri, lines = _draft(client, folder, "flowing.arch", FLOWING)
    step_line = lines.index('    step web -> bookings "books" { writes "bookings" }')
    relation_line = lines.index('  web -> bookings "books"')
    for character in (lines[step_line].index("->"), lines[step_line].index("step") + 1):
        where = await client.text_document_definition_async(types.DefinitionParams(
            **_at(uri, step_line, character)))
        assert where.uri == uri and where.range.start.line == relation_line, character
    on_end = await client.text_document_definition_async(types.DefinitionParams(
        **_at(uri, step_line, lines[step_line].index("bookings"))))
    assert on_end.range.start.line == lines.index("  component bookings"), "an end still goes to its element"
    completed = await _complete(client, uri, step_line, lines[step_line].index("{") + 2)
    assert {"reads", "writes", "atomic", "compensate", "async", "optional"} <= set(completed)


POLICY = """\
system guarded "Guarded" {
  layer edge "Edge" { kind edge; component web "Web" { state stateless; tags legacy } }
  component db "DB" { kind database; replication 2 }
  web -> db "reads"
  constraint ui-not-data "The UI never talks to a data store" {
    severity error
    forbid layer:edge -> kind:database
    require kind:database { replication >= 2 }
  }
}
"""


@pytest.mark.asyncio
async def test_completion_and_hover_inside_a_constraint(client: LanguageClient, folder):
    uri, lines = _draft(client, folder, "guarded.arch", POLICY.replace(
        "    require kind:database { replication >= 2 }\n",
        "    require kind:database { replication >= 2 }\n    \n    max \n    forbid \n    require * { \n    }\n"))
    blank = lines.index("    ")
    assert {"forbid", "only", "require", "max", "no", "severity"} <= set(await _complete(client, uri, blank, 4))
    assert sorted(await _complete(client, uri, blank + 1, len(lines[blank + 1]))) == ["fan-in", "fan-out"]
    selectors = set(await _complete(client, uri, blank + 2, len(lines[blank + 2])))
    assert {"*", "actor", "unless", "layer:edge", "kind:database", "state:stateful", "tag:legacy",
            "system:guarded", "guarded.web"} <= selectors
    attributes = set(await _complete(client, uri, blank + 3, len(lines[blank + 3])))
    assert {"replication", "owner", "sla", "latency"} <= attributes and "forbid" not in attributes
    # hover: a statement says what it checks, a selector what it selects here, the id the constraint
    forbid = lines.index("    forbid layer:edge -> kind:database")
    told = await _hover(client, uri, forbid, 5)
    assert told.startswith("**forbid** (constraint)") and "CT901" in told
    edge = await _hover(client, uri, forbid, lines[forbid].index("edge") + 1)
    assert edge.startswith("**layer:edge** selects the components of the layers with this id: `edge` (")
    kind = await _hover(client, uri, forbid, lines[forbid].index("kind") + 1)
    assert kind.startswith("**kind:database** selects") and kind.endswith("elements here)")  # stores.db too
    header = lines.index('  constraint ui-not-data "The UI never talks to a data store" {')
    whole = await _hover(client, uri, header, lines[header].index("ui-not-data") + 2)
    assert whole.startswith("# ui-not-data: The UI never talks to a data store") and "Severity: **error**" in whole
