"""The protocol: the server's state (open documents, the checks of each spec root, what it has
published) and the handlers that turn requests into the rooms' questions and their answers
into the editor's units."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ArchError
from ..version import __version__
from . import completion, fixes, hover, navigation
from .analyses import Analysis, Checks
from .documents import Columns, lines_of, path_of, root_of, uri_of
from .drawings import METHOD as RENDER_VIEW
from .drawings import Drawings

if TYPE_CHECKING:
    from ..diagnostics import Finding, Span


class ArchServer:
    """The language server: open documents, workspace folders, the checks of each spec root."""

    def __init__(self) -> None:
        # lazy: only `archdsl lsp` needs pygls
        from lsprotocol import types
        from pygls.lsp.server import LanguageServer

        self.types = types
        self.server = LanguageServer("archdsl", __version__)
        self.checks = Checks(self.texts, self.publish)
        self.published: dict[Path, set[str]] = {}  # spec root -> uris given diagnostics
        self.drawings = Drawings(self)
        self._register()

    # -- documents, roots and places

    def texts(self) -> dict[Path, str]:
        """The open documents' texts, by real path (read on the server's loop)."""
        return {path_of(uri).resolve(): doc.source for uri, doc in self.server.workspace.text_documents.items()}

    def source(self, uri: str) -> str:
        return self.server.workspace.get_text_document(uri).source

    def root(self, uri: str) -> Path:
        folders = [path_of(f.uri).resolve() for f in self.server.workspace.folders.values()]
        return root_of(path_of(uri), folders)

    @property
    def columns(self) -> Columns:
        """Columns as the editor and the server agreed at start-up (UTF-16 unless it chose one)."""
        encoding = self.server.workspace.position_encoding or "utf-16"
        return Columns(str(getattr(encoding, "value", encoding)))

    def place(self, uri: str, position) -> tuple[list[str], int, int]:
        """A document's lines and an editor's position in them, its column in code points."""
        lines = lines_of(self.source(uri))
        line = lines[position.line] if position.line < len(lines) else ""
        return lines, position.line, self.columns.from_editor(line, position.character)

    def position(self, line: str, number: int, column: int):
        """The editor's position of code point `column` of `line`, line `number` (0-based)."""
        return self.types.Position(line=number, character=self.columns.to_editor(line, column))

    def range(self, span: Span, analysis: Analysis):
        """A span of a file as the analysis read it, in the editor's units."""
        lines = analysis.lines(span.file)

        def at(line: int, column: int):
            return self.position(lines[line - 1] if 0 < line <= len(lines) else "", line - 1, max(column - 1, 0))

        return self.types.Range(start=at(span.line, span.column), end=at(span.end_line, span.end_column))

    # -- diagnostics

    def publish(self, analysis: Analysis, texts: dict[Path, str], first: str) -> None:
        """Diagnostics of every file of the root, the edited one (`first`) before the others."""
        types, root = self.types, analysis.root
        uris = {uri_of(path): findings for path, findings in analysis.findings.items()}
        for path in texts:  # every open file of the root hears, clean ones too
            if path.is_relative_to(root):
                uris.setdefault(uri_of(path), [])
        for uri in self.published.get(root, set()) - set(uris):  # fixed since: cleared
            uris[uri] = []
        for uri, findings in sorted(uris.items(), key=lambda item: (item[0] != first, item[0])):
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[self.diagnostic(f, analysis) for f in findings]))
        self.published[root] = {uri for uri, findings in uris.items() if findings}

    def diagnostic(self, f: Finding, analysis: Analysis):
        types = self.types
        severity = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
                    "info": types.DiagnosticSeverity.Information}[f.severity.value]
        message = f.message + (f"\nhint: {f.hint}" if f.hint else "")
        return types.Diagnostic(range=self.range(f.span, analysis), message=message, severity=severity,
                                code=f.code, source="archdsl")

    # -- the protocol

    def _register(self) -> None:
        types, server, checks = self.types, self.server, self.checks

        def document_event(ls, params):  # opened, changed, saved or closed: check its root again
            uri = params.text_document.uri
            checks.schedule(self.root(uri), uri)

        for event in (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE,
                      types.TEXT_DOCUMENT_DID_SAVE, types.TEXT_DOCUMENT_DID_CLOSE):
            server.feature(event)(document_event)

        @server.feature(types.TEXT_DOCUMENT_HOVER)
        async def on_hover(ls, params):
            uri = params.text_document.uri
            analysis = await checks.latest(self.root(uri))
            text = hover.hover_text(analysis, path_of(uri), *self.place(uri, params.position))
            if text is None:
                return None
            return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

        @server.feature(types.TEXT_DOCUMENT_DEFINITION)
        async def on_definition(ls, params):
            uri = params.text_document.uri
            analysis = await checks.latest(self.root(uri))
            return navigation.definition(self, analysis, uri, *self.place(uri, params.position))

        @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
        async def on_symbols(ls, params):
            uri = params.text_document.uri
            return navigation.outline(self, await checks.current(self.root(uri)), path_of(uri))

        @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                        types.CompletionOptions(trigger_characters=[" ", '"', ">"]))
        async def on_completion(ls, params):
            uri = params.text_document.uri
            analysis = await checks.latest(self.root(uri))
            lines, line, column = self.place(uri, params.position)
            before = "\n".join(lines[:line] + [lines[line][:column] if line < len(lines) else ""])
            items = [types.CompletionItem(label=label, detail=detail, kind=types.CompletionItemKind.Keyword
                                          if detail.endswith("keyword") else types.CompletionItemKind.Value)
                     for label, detail in completion.completions(analysis, path_of(uri), self.source(uri), before)]
            return types.CompletionList(is_incomplete=False, items=items)

        @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
        def on_code_action(ls, params):
            uri = params.text_document.uri
            return fixes.quick_fixes(self, uri, self.source(uri), params.context.diagnostics)

        @server.feature(types.TEXT_DOCUMENT_REFERENCES)
        async def on_references(ls, params):
            uri = params.text_document.uri
            analysis = await checks.current(self.root(uri))
            return [types.Location(uri=uri_of(Path(span.file).resolve()), range=self.range(span, analysis))
                    for span in navigation.named(analysis, path_of(uri), *self.place(uri, params.position))]

        @server.feature(types.TEXT_DOCUMENT_RENAME)
        async def on_rename(ls, params):
            uri = params.text_document.uri
            analysis = await checks.current(self.root(uri))
            return navigation.rename(self, analysis, uri, *self.place(uri, params.position), params.new_name)

        @server.feature(RENDER_VIEW)
        async def on_render_view(ls, params):  # the preview panel: {uri, view} -> {svg, views, …}
            return await self.drawings.render_view(params.uri, getattr(params, "view", None))

        @server.feature(types.TEXT_DOCUMENT_FORMATTING)
        def on_formatting(ls, params):
            uri = params.text_document.uri
            try:
                return fixes.formatted(self, str(path_of(uri)), self.source(uri))
            except ArchError as exc:  # like `fmt`: a file that does not parse is left alone
                ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning,
                                                               message=f"archdsl: not formatted: {exc}"))
                return None
