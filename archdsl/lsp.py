"""`archdsl lsp`: a language server over stdio (pygls), for any editor that speaks LSP.

What it answers: diagnostics as you type (the same codes, messages, hints and `allow`s as
`check`, the workspace's `[tool.archdsl]` settings applied; for the open file and every file of
its spec root), hover (an element: its kind, state and why, what it keeps, the decisions that
affect it; a finding: its rule), go to definition (element ids, `system.id`, and `import`
paths), find references and rename (every file of the root), completion (keywords by block,
values, ids, import files), quick fixes ("did you mean",
`allow`), the outline (document symbols) and formatting (`fmt`'s layout; a file that does not
parse is refused, as `fmt` refuses it).

The spec root of a file is the workspace folder that holds it (the editor's), else its own
folder; a document is checked on its own (nothing beside it read, no import followed) when it
is not a file (an editor's unsaved `untitled:` document) or when its folder is `/`, the home
folder or a folder above it: a desktop launch must not walk the disk. Open documents are read
from the editor, not from the disk, so unsaved edits count.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlparse

from .memory import COLLECTOR
from .version import __version__

if TYPE_CHECKING:
    from .model import Workspace

# Changes that arrive together (a paste, a burst an editor sends) are checked once; there is no
# wait for a pause in typing: a check runs beside the server's loop, so hover and completion
# answer while it runs, and edits made meanwhile are checked as soon as it ends.
SETTLE_SECONDS = 0.01
SWITCH_SECONDS = 0.001
# The cyclic garbage collector runs once the editor has been quiet this long, never in the middle
# of typing: a collection walks every model the server keeps (0.2 s at 1,000 components).
IDLE_COLLECT_SECONDS = 2.0
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_ID = re.compile(r"[A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?")
_MEANT = re.compile(r"did you mean '([^']+)'\?")
_DECLARED = re.compile(r"^[ \t]*(component|actor)[ \t]+([A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)", re.M)


# Where an editor's documents that are not files (`untitled:`) stand, for the loader: a folder
# that is never on the disk, so no such document ever reads or imports a file.
UNSAVED = Path(tempfile.gettempdir()).resolve() / "archdsl-unsaved-documents"
IMPORT_COMPLETIONS = 500  # the files an `import` completion offers, at most (never a walk of a disk)


def path_of(uri: str) -> Path:
    """The file a document is, or, for one that is not a file, its place in UNSAVED."""
    parsed = urlparse(uri)
    if parsed.scheme not in ("file", ""):
        return UNSAVED / (quote(uri, safe="") + ".arch")
    from pygls.uris import to_fs_path  # lazy: only `archdsl lsp` needs pygls

    return Path(to_fs_path(uri) or unquote(parsed.path))


def uri_of(path: Path) -> str:
    """The document a path stands for: its file, or the unsaved document path_of placed."""
    if path.parent == UNSAVED and path.name.endswith(".arch"):
        return unquote(path.name[:-len(".arch")])
    return path.as_uri()


def lone(root: Path) -> bool:
    """Whether a spec root is one document checked on its own (its own path, not a folder)."""
    return root.suffix == ".arch" and not root.is_dir()


@dataclass
class _Analysis:
    """One load and check of a spec root: its workspace, findings by real path, elements."""

    workspace: Workspace
    findings: dict[Path, list] = field(default_factory=dict)
    elements: dict[str, Any] = field(default_factory=dict)  # qid -> element (and system ids)


class ArchServer:
    """The language server's state: open documents, workspace folders, the last analyses."""

    def __init__(self) -> None:
        # lazy: only `archdsl lsp` needs pygls
        from lsprotocol import types
        from pygls.lsp.server import LanguageServer

        self.types = types
        self.server = LanguageServer("archdsl", __version__)
        self.analyses: dict[Path, _Analysis] = {}  # spec root -> its last analysis
        self.published: dict[Path, set[str]] = {}  # spec root -> uris given diagnostics
        self.pending: dict[Path, asyncio.Task] = {}  # spec root -> its checks, one after another
        self.dirty: set[Path] = set()  # roots edited since their last check began
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archdsl-check")
        self.lock = threading.Lock()  # one analysis at a time: they share `parsed`
        self.idle: asyncio.TimerHandle | None = None  # the collection that waits for a quiet editor
        # spec root -> (file, text) -> statements: a file is parsed once a version
        self.parsed: dict[Path, dict[tuple[str, str], list]] = {}
        self._register()

    # -- documents and roots

    def texts(self) -> dict[Path, str]:
        return {path_of(uri).resolve(): doc.source for uri, doc in self.server.workspace.text_documents.items()}

    def root_of(self, path: Path) -> Path:
        """The workspace folder that holds `path`, else its folder, else the document alone."""
        real = path.resolve()
        if real.is_relative_to(UNSAVED):
            return real
        folders = [path_of(f.uri).resolve() for f in self.server.workspace.folders.values()]
        inside = [f for f in folders if real.is_relative_to(f)]
        if inside:
            return max(inside, key=lambda f: len(f.parts))
        folder, home = real.parent, Path.home().resolve()
        if folder == Path(folder.anchor) or home.is_relative_to(folder):
            return real  # `/`, the home folder or above it: never walked
        return folder

    def analyse(self, root: Path, texts: dict[Path, str] | None = None) -> _Analysis:
        """Load and check a spec root as `check` would, with the open documents' text (read on
        the server's loop, never from the checking thread). The collector is off all along
        (`serve`), so no collection interrupts it."""
        texts = self.texts() if texts is None else texts
        with self.lock:
            return self._analyse(root, texts)

    def _analyse(self, root: Path, texts: dict[Path, str]) -> _Analysis:
        from .checker import check_workspace
        from .config import Settings, load_settings
        from .parsing.loader import discover
        from .rules import known_codes
        from .workspaces import load_open

        if lone(root):  # on its own: only its text, no file beside it, no import followed
            entries = [root] if root in texts else []
        else:
            _, entries = discover(root)
            known = {e.resolve() for e in entries}
            entries += [p for p in texts if p.is_relative_to(root) and p not in known]
        parsed = self.parsed.setdefault(root, {})
        workspace = load_open(root, sorted(entries), texts, parsed)
        current = set(workspace._sources.items())
        for key in [k for k in parsed if k not in current]:  # versions no file has any more
            del parsed[key]
        settings = Settings() if lone(root) else load_settings(root, known_codes())
        found, _ = check_workspace(workspace, settings)
        analysis = _Analysis(workspace)
        for finding in found:
            analysis.findings.setdefault(Path(finding.span.file).resolve(), []).append(finding)
        for system in workspace.systems:
            analysis.elements[system.id] = system
            for element in system.elements():
                analysis.elements[element.qid] = element
        self.analyses[root] = analysis
        return analysis

    def publish(self, root: Path, analysis: _Analysis, texts: dict[Path, str], first: str) -> None:
        """Diagnostics of every file of the root, the edited one (`first`) before the others."""
        types = self.types
        uris = {uri_of(path): findings for path, findings in analysis.findings.items()}
        for path in texts:  # every open file of the root hears, clean ones too
            if path.is_relative_to(root):
                uris.setdefault(uri_of(path), [])
        for uri in self.published.get(root, set()) - set(uris):  # fixed since: cleared
            uris[uri] = []
        for uri, findings in sorted(uris.items(), key=lambda item: (item[0] != first, item[0])):
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[self.diagnostic(f) for f in findings]))
        self.published[root] = {uri for uri, findings in uris.items() if findings}

    def diagnostic(self, f):
        types = self.types
        severity = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
                    "info": types.DiagnosticSeverity.Information}[f.severity.value]
        message = f.message + (f"\nhint: {f.hint}" if f.hint else "")
        return types.Diagnostic(range=self.range(f.span), message=message, severity=severity, code=f.code,
                                source="archdsl")

    def range(self, span):
        types = self.types
        return types.Range(start=types.Position(line=span.line - 1, character=span.column - 1),
                           end=types.Position(line=span.end_line - 1, character=max(span.end_column - 1, 0)))

    def schedule(self, uri: str) -> None:
        """Check the root of `uri` and publish: at once, or when the check under way ends."""
        root = self.root_of(path_of(uri))
        self.dirty.add(root)
        if root not in self.pending:
            self.pending[root] = asyncio.get_event_loop().create_task(self._refresh(root, uri))

    async def _refresh(self, root: Path, uri: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            await asyncio.sleep(SETTLE_SECONDS)
            while root in self.dirty:
                self.dirty.discard(root)
                texts = self.texts()
                analysis = await loop.run_in_executor(self.checker, self.analyse, root, texts)
                self.publish(root, analysis, texts, uri)
        finally:
            del self.pending[root]
            self.collect_when_idle()

    def collect_when_idle(self) -> None:
        if self.idle is not None:
            self.idle.cancel()
        self.idle = asyncio.get_event_loop().call_later(IDLE_COLLECT_SECONDS, self._collect)

    def _collect(self) -> None:
        self.idle = None
        if self.pending:  # a check began meanwhile: its end waits again
            return
        COLLECTOR.collect()

    # -- questions about a place in a document

    def word_at(self, uri: str, position) -> tuple[str, int, int] | None:
        document = self.server.workspace.get_text_document(uri)
        lines = document.source.splitlines()
        if position.line >= len(lines):
            return None
        line = lines[position.line]
        for match in _WORD.finditer(line):
            if match.start() <= position.character <= match.end():
                return match.group(0).rstrip(".-"), position.line, match.start()
        return None

    def element_at(self, uri: str, position):
        """The element the word under the cursor names, qualified in the system around it."""
        found = self.word_at(uri, position)
        if found is None:
            return None
        word = found[0]
        analysis = self.analyses.get(self.root_of(path_of(uri))) or self.analyse(self.root_of(path_of(uri)))
        if word in analysis.elements:
            return analysis.elements[word]
        here = str(path_of(uri).resolve())
        for system in analysis.workspace.systems:
            if str(Path(system.file).resolve()) == here and f"{system.id}.{word}" in analysis.elements:
                return analysis.elements[f"{system.id}.{word}"]
        return None

    def hover_text(self, uri: str, position) -> str | None:
        root = self.root_of(path_of(uri))
        analysis = self.analyses.get(root) or self.analyse(root)
        for f in analysis.findings.get(path_of(uri).resolve(), []):
            if f.span.line - 1 <= position.line <= f.span.end_line - 1 and \
                    (f.span.line - 1 < position.line or position.character >= f.span.column - 1):
                from .rules import all_rules

                rule = next((r for r in all_rules() if r.code == f.code), None)
                about = (rule.__doc__ or "").strip().split("\n\n")[0] if rule else ""
                return f"**{f.code}** {f.message}\n\n{about}".strip()
        element = self.element_at(uri, position)
        if element is None:
            return self.attribute_text(uri, position)
        lines = [f"**{element.label}** `{getattr(element, 'qid', element.id)}`"]
        kind = getattr(element, "kind", None)
        if kind:
            lines.append(f"kind: {kind}")
        if hasattr(element, "effective_state"):
            lines.append(f"state: {element.effective_state or 'unknown'} ({element.state_source})")
            for keep in element.keeps:
                lines.append(f"keeps {keep.describe()}")
            system = next(s for s in analysis.workspace.systems if s.id == element.qid.split(".")[0])
            for d in system.decisions_affecting().get(element.qid, []):
                lines.append(f"decision {d.id}: {d.title} ({d.status})")
        if getattr(element, "description", ""):
            lines.append(element.description)
        return "\n\n".join(lines)

    def attribute_text(self, uri: str, position) -> str | None:
        """What an attribute keyword means in the block it stands in, and the values it takes."""
        from . import model as m
        from .parsing.build import ATTRS

        found = self.word_at(uri, position)
        if found is None:
            return None
        word, line, start = found
        lines = self.server.workspace.get_text_document(uri).source.splitlines()
        context, words, _ = _context("\n".join(lines[:line] + [lines[line][:start]]))
        attr = ATTRS.get(context, {}).get(word)
        if attr is None or words:
            return None
        owner: Any = {"system": m.System, "layer": m.Layer, "component": m.Component, "actor": m.Actor,
                 "relation": m.Relation, "decision": m.Decision, "option": m.Option,
                 "migration": m.Migration, "phase": m.Phase, "view": m.View}.get(context)
        info = owner.model_fields.get(attr.field) if owner is not None else None
        text = [f"**{word}** ({context})"]
        if info is not None and info.description:
            text.append(info.description)
        choices = getattr(attr.read, "choices", ())
        if choices:
            text.append("values: " + ", ".join(f"`{c}`" for c in choices))
        return "\n\n".join(text)

    def definition(self, uri: str, position):
        types = self.types
        document = self.server.workspace.get_text_document(uri)
        lines = document.source.splitlines()
        line = lines[position.line] if position.line < len(lines) else ""
        imported = re.match(r'\s*import\s+"([^"]+)"', line)
        if imported:
            target = (path_of(uri).parent / imported.group(1)).resolve()
            start = types.Position(line=0, character=0)
            return types.Location(uri=uri_of(target), range=types.Range(start=start, end=start))
        element = self.element_at(uri, position)
        if element is None:
            return None
        return types.Location(uri=uri_of(Path(element.span.file).resolve()), range=self.range(element.span))

    def symbols(self, uri: str):
        types = self.types
        analysis = self.analyse(self.root_of(path_of(uri)))
        here = path_of(uri).resolve()
        kinds = {"actor": types.SymbolKind.Interface, "layer": types.SymbolKind.Namespace,
                 "component": types.SymbolKind.Class, "decision": types.SymbolKind.Event,
                 "migration": types.SymbolKind.Event, "view": types.SymbolKind.Object}
        out = []
        for system in analysis.workspace.systems:
            if Path(system.file).resolve() != here:
                continue
            children = []
            for word, items in (("actor", system.actors), ("layer", system.layers), ("component", system.components),
                                ("decision", system.decisions), ("migration", system.migrations), ("view", system.views)):
                for item in items:
                    children.append(types.DocumentSymbol(
                        name=item.id, detail=f"{word}: {item.label}", kind=kinds[word],
                        range=self.range(item.span), selection_range=self.range(item.span)))
            out.append(types.DocumentSymbol(name=system.id, detail=system.label, kind=types.SymbolKind.Module,
                                            range=self.range(system.span), selection_range=self.range(system.span),
                                            children=children))
        return out

    def completions(self, uri: str, position) -> list[tuple[str, str]]:
        """(label, what it is) of what may be written at the cursor: the keywords of the block it
        stands in, an attribute's values, the ids in scope, the files an `import` may name."""
        from .parsing.build import ATTRS, CHILDREN

        document = self.server.workspace.get_text_document(uri)
        lines = document.source.splitlines()
        before = "\n".join(lines[:position.line] + [lines[position.line][:position.character]
                                                     if position.line < len(lines) else ""])
        context, words, arrow = _context(before)
        if words and words[0] == "import":
            return self._importable(path_of(uri))
        if arrow or (words and words[0] in ("affects", "from", "to", "include", "exclude", "supersedes")):
            return self._ids_in_scope(uri, context)
        if len(words) >= 1 and not before.endswith((" ", "\t")):
            words = words[:-1]  # the word being typed
        if not words:
            keywords = [k for k in CHILDREN.get(context, ()) if k != "->"] + list(ATTRS.get(context, {}))
            return sorted((k, f"{context} keyword") for k in dict.fromkeys(keywords))
        attr = ATTRS.get(context, {}).get(words[0])
        choices = getattr(attr.read, "choices", ()) if attr else ()
        return [(c, f"{words[0]} value") for c in choices]

    def _ids_in_scope(self, uri: str, context: str) -> list[tuple[str, str]]:
        root = self.root_of(path_of(uri))
        analysis = self.analyses.get(root) or self.analyse(root)
        here = path_of(uri).resolve()
        out = []
        for system in analysis.workspace.systems:
            local = Path(system.file).resolve() == here
            for element in (*system.components, *system.actors, *(system.layers if context == "view" else ())):
                label = element.id if local else element.qid
                out.append((label, f"{type(element).__name__.lower()}: {element.label}"))
        # the file being written may not parse yet: its own ids, read from its text
        text = self.server.workspace.get_text_document(uri).source
        for kind, name in _DECLARED.findall(text):
            out.append((name, kind))
        return sorted(dict(reversed(out)).items())  # one entry a name

    def actions(self, uri: str, diagnostics) -> list:
        """Quick fixes for the diagnostics the editor shows: take the "did you mean" suggestion;
        silence a rule's finding with `allow CODE "reason"` in the element's block."""
        types = self.types
        lines = self.server.workspace.get_text_document(uri).source.splitlines()
        out = []
        for d in diagnostics:
            if d.source != "archdsl":
                continue
            meant = _MEANT.search(d.message)
            if meant:
                written = lines[d.range.start.line][d.range.start.character:d.range.end.character] \
                    if d.range.start.line == d.range.end.line and d.range.start.line < len(lines) else ""
                better = meant.group(1)
                if "." in written and "." not in better:  # `stores.dbb`: the name in that system
                    better = f"{written.rsplit('.', 1)[0]}.{better}"
                edit = types.TextEdit(range=d.range, new_text=better)
                out.append(types.CodeAction(title=f"Change to '{better}'", kind=types.CodeActionKind.QuickFix,
                                            diagnostics=[d], is_preferred=True,
                                            edit=types.WorkspaceEdit(changes={uri: [edit]})))
            code = str(d.code or "")
            if code.startswith("AD") or not code:
                continue  # structure problems are fixed, never allowed
            for number in range(d.range.start.line, min(d.range.end.line + 1, len(lines))):
                if "{" in lines[number]:
                    indent = len(lines[number]) - len(lines[number].lstrip()) + 2
                    at = types.Position(line=number, character=lines[number].index("{") + 1)
                    text = f'\n{" " * indent}allow {code} "why this is acceptable here"'
                    if lines[number].rstrip().endswith("{"):
                        at = types.Position(line=number, character=len(lines[number]))
                    out.append(types.CodeAction(
                        title=f"Allow {code} here (write why)", kind=types.CodeActionKind.QuickFix, diagnostics=[d],
                        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=types.Range(start=at, end=at),
                                                                               new_text=text)]})))
                    break
        return out

    def references(self, uri: str, position) -> list:
        """The span of every place that names the element under the cursor, its definition
        first, across every file of the spec root."""
        element = self.element_at(uri, position)
        if element is None or not hasattr(element, "qid") or "id" not in element.spans:
            return []
        qid = element.qid
        analysis = self.analyses[self.root_of(path_of(uri))]
        found = [element.spans["id"]]
        for system in analysis.workspace.systems:
            for r in system.relations:
                for end, span in ((r.source, r.source_span), (r.target, r.target_span)):
                    if end == qid:
                        found.append(span)
            for d in system.decisions:
                for ref, span in zip(d.affects, d.affects_spans):
                    if system.qualify(ref) == qid:
                        found.append(span)
            for mg in system.migrations:
                for end in ("source", "target"):
                    if getattr(mg, end) == qid and end in mg.spans:
                        found.append(mg.spans[end])
            for v in system.views:
                for key, span in v.spans.items():
                    if key.startswith(("include:", "exclude:")) and system.qualify(key.split(":", 1)[1]) == qid:
                        found.append(span)
            for c in system.components:
                for k in c.keeps:
                    if k.target == qid and "where" in k.spans:
                        found.append(k.spans["where"])
        return found

    def rename(self, uri: str, position, new_name: str):
        """Each place that names the element, renamed (`system.` prefixes kept), in every file."""
        from .errors import ArchError

        types = self.types
        if not _ID.fullmatch(new_name):
            raise ArchError(f"'{new_name}' is not an id: letters, digits, '_' and '-', starting with a letter")
        changes: dict[str, list] = {}
        found = self.references(uri, position)
        sources = self.analyses[self.root_of(path_of(uri))].workspace._sources  # the texts just checked
        for span in found:
            target = self.range(span)
            # only the last part of `system.id` changes
            line = sources[span.file].splitlines()[span.line - 1]
            text = line[span.column - 1:span.end_column - 1] if span.line == span.end_line else ""
            if "." in text:
                target.start = types.Position(line=target.start.line,
                                              character=target.start.character + text.rindex(".") + 1)
            changes.setdefault(uri_of(Path(span.file).resolve()), []).append(
                types.TextEdit(range=target, new_text=new_name))
        return types.WorkspaceEdit(changes=changes) if changes else None

    def _importable(self, path: Path) -> list[tuple[str, str]]:
        """The spec files an `import` in `path` may name: below its folder, inside its root, at
        most IMPORT_COMPLETIONS of them, symlinks never followed; none for a lone document."""
        root = self.root_of(path)
        if lone(root):
            return []
        folder, found = path.parent, []
        for here, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                spec = Path(here) / name
                if name.endswith(".arch") and spec.resolve() != path.resolve() and not spec.is_symlink():
                    found.append((spec.relative_to(folder).as_posix(), "spec file"))
                    if len(found) >= IMPORT_COMPLETIONS:
                        return sorted(found)
        return sorted(found)

    def formatted(self, uri: str):
        from .fmt import format_source

        types = self.types
        document = self.server.workspace.get_text_document(uri)
        text = format_source(document.source, str(path_of(uri)))  # ArchError when it does not parse
        if text == document.source:
            return []
        end = types.Position(line=len(document.source.splitlines()) + 1, character=0)
        return [types.TextEdit(range=types.Range(start=types.Position(line=0, character=0), end=end), new_text=text)]

    # -- the protocol

    def _register(self) -> None:
        types, server = self.types, self.server

        def document_event(ls, params):  # opened, changed, saved or closed: check its root again
            self.schedule(params.text_document.uri)

        for event in (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE,
                      types.TEXT_DOCUMENT_DID_SAVE, types.TEXT_DOCUMENT_DID_CLOSE):
            server.feature(event)(document_event)

        @server.feature(types.TEXT_DOCUMENT_HOVER)
        def hover(ls, params):
            text = self.hover_text(params.text_document.uri, params.position)
            if text is None:
                return None
            return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

        @server.feature(types.TEXT_DOCUMENT_DEFINITION)
        def definition(ls, params):
            return self.definition(params.text_document.uri, params.position)

        @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
        def symbols(ls, params):
            return self.symbols(params.text_document.uri)

        @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                        types.CompletionOptions(trigger_characters=[" ", '"', ">"]))
        def completion(ls, params):
            items = [types.CompletionItem(label=label, detail=detail, kind=types.CompletionItemKind.Keyword
                                          if detail.endswith("keyword") else types.CompletionItemKind.Value)
                     for label, detail in self.completions(params.text_document.uri, params.position)]
            return types.CompletionList(is_incomplete=False, items=items)

        @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
        def code_action(ls, params):
            return self.actions(params.text_document.uri, params.context.diagnostics)

        @server.feature(types.TEXT_DOCUMENT_REFERENCES)
        def references(ls, params):
            return [types.Location(uri=uri_of(Path(span.file).resolve()), range=self.range(span))
                    for span in self.references(params.text_document.uri, params.position)]

        @server.feature(types.TEXT_DOCUMENT_RENAME)
        def rename(ls, params):
            return self.rename(params.text_document.uri, params.position, params.new_name)

        @server.feature(types.TEXT_DOCUMENT_FORMATTING)
        def formatting(ls, params):
            from .errors import ArchError

            try:
                return self.formatted(params.text_document.uri)
            except ArchError as exc:  # like `fmt`: a file that does not parse is left alone
                ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning,
                                                               message=f"archdsl: not formatted: {exc}"))
                return None


_TOKEN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|"(?:[^"\\\n]|\\.)*"?|//[^\n]*|#[^\n]*|/\*.*?(?:\*/|$)'
                    r"|->|[{};\n]|[^\s{};\"]+", re.S)


def _context(text: str) -> tuple[str, list[str], bool]:
    """The kind of block the end of `text` stands in, the words of the statement written so far
    there (strings as `"`), and whether that statement is a relation."""
    stack: list[str] = ["file"]
    words: list[str] = []
    arrow = False
    for token in _TOKEN.findall(text):
        if token.startswith(("//", "#", "/*")):
            continue
        if token == "{":
            stack.append("relation" if arrow else (words[0] if words else "?"))
            words, arrow = [], False
        elif token == "}":
            if len(stack) > 1:
                stack.pop()
            words, arrow = [], False
        elif token in (";", "\n"):
            words, arrow = [], False
        elif token == "->":
            arrow = True
        else:
            words.append('"' if token.startswith('"') else token)
    return stack[-1], words, arrow


def serve() -> None:
    """Answer an editor on stdin and stdout until it exits."""
    import sys

    # The loop takes its turn from a running check every millisecond, not every five (Python's
    # default): a hover while an edit is checked waits for fewer turns.
    sys.setswitchinterval(SWITCH_SECONDS)
    COLLECTOR.editing()  # collections happen when the editor is quiet (`collect_when_idle`)
    ArchServer().server.start_io()
