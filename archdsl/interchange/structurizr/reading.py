"""A Structurizr DSL workspace as a `foreign.Model` (the subset is in this package's docstring)."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import ConfigError
from ..blocks import Statement, Word, read_statements
from ..facts import unflatten
from ..foreign import (
    COMPONENT,
    CONTAINER,
    PERSON,
    SYSTEM,
    Element,
    Imported,
    Link,
    Model,
    Picture,
    Story,
    named_keys,
)
from ..records import read_records
from ..spectext import ident
from ..tospec import write_spec

MAX_FILES = 500  # included files, in all
LEVELS = {"person": PERSON, "softwaresystem": SYSTEM, "container": CONTAINER, "component": COMPONENT}
ARROW = re.compile(r"^-(?:-(?P<archetype>[^>]+)-)?>$")
CONSTANT = re.compile(r"\$\{([A-Za-z0-9_.-]+)\}")
STATIC_VIEWS = ("systemlandscape", "systemcontext", "container", "component")
SKIP_IN_MODEL = {"deploymentenvironment": "deployment environment", "!docs": "documentation",
                 "perspectives": "perspectives", "!script": "a script (never run)", "!plugin": "a plugin (never run)",
                 "healthcheck": "a health check", "!impliedrelationships": "implied relationships",
                 "!decisions": "decisions"}


def import_structurizr(path: Path) -> Imported:
    """The spec of the Structurizr DSL workspace at `path`."""
    return write_spec(_Reader(path).model_of())


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.root = path.resolve().parent  # includes and decision folders stay inside it
        self.model = Model("Structurizr DSL", path.name)
        self.ids: dict[str, str] = {}  # identifier (and hierarchical path) -> element key
        self.keys: set[str] = set()
        self.hierarchical = False
        self.constants: dict[str, str] = {}
        self.archetypes: dict[str, tuple[str, dict]] = {}  # name -> (base keyword, defaults)
        self.reading: list[Path] = []  # the chain of includes being read
        self.files = 0
        self.adrs: list[tuple[Path, str | None, int]] = []

    def model_of(self) -> Model:
        for stmt in self._file(self.path.resolve()):
            if stmt.head == "workspace":
                self._workspace(stmt)
            else:
                self._directive(stmt, lambda s: self._skip(s, "outside the workspace"))
        for folder, scope, line in self.adrs:
            records, files = read_records(folder, scope, self._shown(folder), line)
            self.model.records += records
            self.model.read += [file.resolve() for file in files]
        for story in self.model.stories:  # an archdsl export keeps a flow's facts on its system
            flows = self.model.elements[story.scope].facts.get("flows") if story.scope else None
            if isinstance(flows, dict) and isinstance(flows.get(story.key), dict):
                story.facts = flows[story.key]
        return self.model

    # -- files

    def _file(self, path: Path) -> list[Statement]:
        self.files += 1
        self.model.read.append(path.resolve())
        if self.files > MAX_FILES:
            raise ConfigError(f"{self.path}: more than {MAX_FILES} files included")
        return read_statements(path, self._shown(path), "structurizr")

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _inside(self, word: Word, base: Path) -> Path:
        """The file or folder a `!include`/`!adrs` names, refused outside the workspace's folder."""
        text = self._text(word)
        if re.match(r"^[a-z]+://", text):
            raise ConfigError(f"{self._where(word)}: '{text}' is an address: archdsl reads files, it fetches nothing")
        found = (base / text).resolve()
        if not found.is_relative_to(self.root):
            raise ConfigError(f"{self._where(word)}: '{text}' is outside the workspace's folder {self.root}")
        if not found.exists():
            raise ConfigError(f"{self._where(word)}: '{text}' does not exist")
        return found

    @property
    def _current(self) -> Path:
        """The file being read: the last include, else the workspace."""
        return self.reading[-1] if self.reading else self.path.resolve()

    def _where(self, word: Word) -> str:
        return f"{self._shown(self._current)}:{word.line}:{word.column}"

    def _include(self, stmt: Statement, handle) -> None:
        if len(stmt.words) < 2:
            raise ConfigError(f"{self._where(stmt.words[0])}: !include names a file or folder")
        target = self._inside(stmt.words[1], self._current.parent)
        files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        for file in files:
            if file in self.reading or file == self.path.resolve():
                raise ConfigError(f"{self._where(stmt.words[1])}: '{self._shown(file)}' includes itself")
            if not file.resolve().is_relative_to(self.root):
                raise ConfigError(f"{self._where(stmt.words[1])}: '{self._shown(file)}' leads outside the "
                                  f"workspace's folder")
            self.reading.append(file)
            try:
                for inner in self._file(file):
                    handle(inner)
            finally:
                self.reading.pop()

    # -- text

    def _text(self, word: Word) -> str:
        return CONSTANT.sub(lambda m: self.constants.get(m.group(1), m.group(0)), word.text)

    def _texts(self, stmt: Statement, start: int) -> list[str]:
        return [self._text(w) for w in stmt.words[start:]]

    def _skip(self, stmt: Statement, why: str) -> None:
        current = self.reading[-1] if self.reading else None
        where = f"{self._shown(current)} " if current else ""
        shown = " ".join(stmt.texts()[:3])
        self.model.skipped.append(f"{where}line {stmt.line}: {shown[:80]}{' { … }' if stmt.block else ''}: {why}")

    def _directive(self, stmt: Statement, otherwise) -> None:
        """Statements that may stand anywhere; anything else goes to `otherwise`."""
        head = stmt.head
        if head in ("!constant", "!const", "!var") and len(stmt.words) >= 3:
            self.constants[stmt.words[1].text] = self._text(stmt.words[2])
        elif head == "!identifiers":
            self.hierarchical = len(stmt.words) > 1 and stmt.words[1].text.lower() == "hierarchical"
        elif head == "!include":
            self._include(stmt, lambda inner: self._directive(inner, otherwise))
        else:
            otherwise(stmt)

    # -- workspace and model

    def _workspace(self, stmt: Statement) -> None:
        texts = self._texts(stmt, 1)
        if texts[:1] == ["extends"]:
            self._skip(stmt, "a workspace that extends another: import the one it extends")
            texts = texts[2:]
        if texts:
            self.model.name = texts[0]
        if len(texts) > 1:
            self.model.description = texts[1]
        for inner in stmt.block or []:
            self._directive(inner, self._workspace_part)

    def _workspace_part(self, stmt: Statement) -> None:
        head = stmt.head
        if head == "name" and len(stmt.words) > 1:
            self.model.name = self._text(stmt.words[1])
        elif head == "description" and len(stmt.words) > 1:
            self.model.description = self._text(stmt.words[1])
        elif head == "model":
            for inner in stmt.block or []:
                self._directive(inner, lambda s: self._model_part(s, None, ""))
        elif head == "views":
            for inner in stmt.block or []:
                self._directive(inner, self._view)
        elif head == "!adrs":
            self._adrs(stmt, None)
        else:
            self._skip(stmt, "not part of the model" if head in ("configuration", "properties", "!docs")
                       else "not a statement archdsl reads")

    def _model_part(self, stmt: Statement, scope: str | None, group: str) -> None:
        """A statement of the model or of an element's block (`scope`: the element's key)."""
        head = stmt.head
        words = stmt.texts()
        if head == "archetypes":
            for inner in stmt.block or []:
                self._archetype(inner)
        elif head in ("!ref", "!extend", "!element") and len(stmt.words) > 1:
            key = self._resolve(self._text(stmt.words[1]), scope)
            if key is None:
                raise ConfigError(f"{self._where(stmt.words[1])}: no element '{stmt.words[1].text}'")
            for inner in stmt.block or []:
                self._directive(inner, lambda s: self._model_part(s, key, ""))
        elif head == "!adrs":
            self._adrs(stmt, scope)
        elif any(ARROW.match(w) for w in words[:3]):
            self._relation(stmt, scope)
        elif scope is not None and self._element_part(stmt, self.model.elements[scope]):
            pass
        elif len(words) >= 2 and words[1] == "=":
            self._element(stmt, stmt.words[0].text, 2, scope, group)
        else:
            self._element(stmt, None, 0, scope, group)

    def _in_group(self, block: list[Statement], scope: str | None, name: str) -> None:
        for inner in block:
            self._directive(inner, lambda s: self._model_part(s, scope, name))

    def _archetype(self, stmt: Statement) -> None:
        words = stmt.texts()
        if len(words) >= 3 and words[1] == "=":
            base = words[2].lower()
            defaults: dict = {}
            if base in self.archetypes:
                base, inherited = self.archetypes[base]
                defaults = {k: list(v) if isinstance(v, list) else v for k, v in inherited.items()}
            probe = Element("", LEVELS.get(base, CONTAINER), "", stmt.line)
            for inner in stmt.block or []:
                self._element_part(inner, probe)
            defaults.update({k: v for k, v in (("description", probe.description), ("technology", probe.technology),
                                               ("tags", probe.tags), ("properties", probe.properties)) if v})
            self.archetypes[words[0].lower()] = (base, defaults)
        else:
            self._skip(stmt, "an archetype archdsl cannot read")

    def _element(self, stmt: Statement, identifier: str | None, at: int, scope: str | None, group: str) -> None:
        if at >= len(stmt.words):
            self._skip(stmt, "not a statement archdsl reads")
            return
        keyword = stmt.words[at].text.lower()
        defaults: dict = {}
        if keyword in self.archetypes:
            keyword, defaults = self.archetypes[keyword]
        if keyword in ("group", "enterprise") and stmt.block is not None:
            name = self._text(stmt.words[at + 1]) if len(stmt.words) > at + 1 else group
            self._in_group(stmt.block, scope, name)
            return
        if keyword in SKIP_IN_MODEL:
            self._skip(stmt, f"{SKIP_IN_MODEL[keyword]}: no place in the language")
            return
        level = LEVELS.get(keyword)
        if level is None:
            self._skip(stmt, "custom elements and other statements have no place in the language"
                       if keyword == "element" else "not a statement archdsl reads")
            return
        texts = self._texts(stmt, at + 1)
        if not texts:
            raise ConfigError(f"{self._where(stmt.words[at])}: a {keyword} needs a name")
        key = self._key(identifier, texts[0], scope)
        element = Element(key, level, texts[0], stmt.line, parent=scope, group=group, kind=stmt.words[at].text)
        element.description = defaults.get("description", "")
        element.technology = defaults.get("technology", "")
        element.tags = list(defaults.get("tags", []))
        element.properties = dict(defaults.get("properties", {}))
        rest = texts[1:]
        fields = ("description", "technology", "tags") if level in (CONTAINER, COMPONENT) else ("description", "tags")
        for name, value in zip(fields, rest):
            if name == "tags":
                element.tags += [t.strip() for t in value.split(",") if t.strip()]
            elif value:
                setattr(element, name, value)
        self.model.elements[key] = element
        for inner in stmt.block or []:  # its parts are in a group only if one is opened inside it
            self._directive(inner, lambda s: self._model_part(s, key, ""))

    def _key(self, identifier: str | None, name: str, scope: str | None) -> str:
        local = identifier or ident(name.lower(), set())
        key = f"{scope}.{local}" if self.hierarchical and scope else local
        key = ident(key, self.keys) if key in self.keys else key
        self.keys.add(key)
        if identifier:
            self.ids[key] = key
            self.ids.setdefault(identifier, key)
        return key

    def _element_part(self, stmt: Statement, element: Element) -> bool:
        """An element's own statement (description, technology, tags, url, properties): taken."""
        head, texts = stmt.head, self._texts(stmt, 1)
        if head in ("description", "technology") and texts:
            setattr(element, head, texts[0])
        elif head in ("tag", "tags") and texts:
            element.tags += [t.strip() for text in texts for t in text.split(",") if t.strip()]
        elif head == "url" and texts:
            element.link = texts[0]
        elif head == "properties":
            for inner in stmt.block or []:
                pair = self._texts(inner, 0)
                if len(pair) >= 2:
                    element.properties[pair[0]] = pair[1]
            element.facts = unflatten(element.properties)
            element.properties = {k: v for k, v in element.properties.items() if not k.startswith("archdsl.")}
        else:
            return False
        return True

    def _relation(self, stmt: Statement, scope: str | None) -> None:
        words = stmt.texts()
        arrow = next(i for i, w in enumerate(words[:3]) if ARROW.match(w))
        ends = self._ends(stmt, arrow, scope)
        if ends is None:
            return
        texts = self._texts(stmt, arrow + 2) + ["", "", ""]
        link = Link(*ends, stmt.line, texts[0], texts[1], file=self._shown(self.reading[-1]) if self.reading else "")
        link.tags = [t.strip() for t in texts[2].split(",") if t.strip()]
        archetype = ARROW.match(words[arrow]).group("archetype")  # type: ignore[union-attr]
        if archetype:
            link.tags.append(archetype)
        probe = Element("", CONTAINER, "", stmt.line)
        for inner in stmt.block or []:
            if not self._element_part(inner, probe):
                self._skip(inner, "not a statement of a relationship archdsl reads")
        link.description = probe.description or link.description
        link.technology = probe.technology or link.technology
        link.tags += probe.tags
        link.facts = probe.facts
        self.model.links.append(link)

    def _ends(self, stmt: Statement, arrow: int, scope: str | None) -> tuple[str, str] | None:
        """The source and target keys (`-> target` alone: from the element whose block this is);
        None, said, when one is no element."""
        words = stmt.texts()
        start = 2 if arrow == 3 or (len(words) > 1 and words[1] == "=" and arrow > 1) else 0
        if arrow + 1 >= len(words):
            raise ConfigError(f"{self._where(stmt.words[arrow])}: a relationship needs a destination")
        source = scope if arrow == start else self._resolve(self._text(stmt.words[arrow - 1]), scope)
        target = self._resolve(self._text(stmt.words[arrow + 1]), scope)
        for key, word in ((source, stmt.words[max(arrow - 1, 0)]), (target, stmt.words[arrow + 1])):
            if key is None:
                self._skip(stmt, f"'{word.text}' is no element archdsl read")
                return None
        return source, target  # type: ignore[return-value]

    def _resolve(self, name: str, scope: str | None) -> str | None:
        if name == "this":
            return scope
        chain = []
        while scope:
            chain.append(scope)
            scope = self.model.elements[scope].parent
        for outer in chain:
            if f"{outer}.{name}" in self.ids:
                return self.ids[f"{outer}.{name}"]
        return self.ids.get(name)

    def _adrs(self, stmt: Statement, scope: str | None) -> None:
        if len(stmt.words) < 2:
            raise ConfigError(f"{self._where(stmt.words[0])}: !adrs names a folder")
        if len(stmt.words) > 2 and stmt.words[2].text.lower() not in ("adrtools", "madr"):
            self._skip(stmt, f"decisions read by {stmt.words[2].text}, which archdsl cannot run")
            return
        folder = self._inside(stmt.words[1], self._current.parent)
        if not folder.is_dir():
            raise ConfigError(f"{self._where(stmt.words[1])}: '{stmt.words[1].text}' is not a folder")
        self.adrs.append((folder, scope, stmt.line))

    # -- views

    def _view(self, stmt: Statement) -> None:
        if stmt.head in STATIC_VIEWS and stmt.block is not None and self._picture(stmt):
            return
        if stmt.head != "dynamic":
            self._skip(stmt, "views are drawn by archdsl from the model" if stmt.block is not None
                       else "not part of the model")
            return
        texts = self._texts(stmt, 1)
        scope = None if not texts or texts[0] == "*" else self._resolve(texts[0], None)
        title = texts[2] if len(texts) > 2 else texts[1] if len(texts) > 1 else f"dynamic view {stmt.line}"
        story = Story(texts[1] if len(texts) > 1 else f"flow-{stmt.line}", title, stmt.line, scope)
        for inner in stmt.block or []:
            self._step(inner, story)
        self.model.stories.append(story)

    def _picture(self, stmt: Statement) -> bool:
        """A static view that names its elements one by one (`include a b.c`): read (True); one
        with `*`, expressions or an exclude: not (False)."""
        texts = self._texts(stmt, 1)
        scoped = stmt.head != "systemlandscape"
        scope = self._resolve(texts[0], None) if scoped and texts else None
        named = texts[1:] if scoped else texts
        key = named[0] if named else f"view-{stmt.line}"
        title = named[1] if len(named) > 1 else key
        refs: list[str] = []
        for inner in stmt.block or []:
            if inner.head == "title" and len(inner.words) > 1:
                title = self._text(inner.words[1])
            elif inner.head == "include":
                refs += self._texts(inner, 1)
            elif inner.head == "exclude":
                return False
        keys = named_keys(refs, lambda ref: self._resolve(ref, scope))
        if keys:
            self.model.pictures.append(Picture(key, title, stmt.line, scope, keys))
        return bool(keys)

    def _step(self, stmt: Statement, story: Story) -> None:
        words = self._texts(stmt, 0)
        if words and words[0].endswith(":"):  # numbered: `1: a -> b`
            words = words[1:]
        if stmt.block is not None and not words:  # a parallel sequence
            for inner in stmt.block:
                self._step(inner, story)
            return
        if len(words) >= 3 and ARROW.match(words[1]):
            source, target = self._resolve(words[0], story.scope), self._resolve(words[2], story.scope)
            if source and target:
                story.steps.append((source, target, words[3] if len(words) > 3 else "", stmt.line))
                return
        if stmt.head == "title" and len(words) > 1:
            story.title = words[1]
        elif stmt.head not in ("autolayout", "description", "properties"):
            self._skip(stmt, "a step archdsl cannot place")
