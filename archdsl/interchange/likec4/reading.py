"""A LikeC4 model (a file or a project folder) as a `foreign.Model` (see this package's docstring)."""

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
    Record,
    Story,
    named_keys,
)
from ..tospec import write_spec

MAX_FILES = 500
SUFFIXES = (".c4", ".likec4")
ARROW = re.compile(r"^(?:->|-\[(?P<kind>[\w-]+)\]->|\.(?P<dot>[\w-]+))$")
PROPERTIES = ("title", "description", "summary", "technology")
PERSON_WORDS = re.compile(r"\b(person|actor|user|customer|staff|people|human)\b", re.I)
GROUP_WORDS = re.compile(r"^(enterprise|boundary|group|domain|zone|organi[sz]ation|namespace|area)$", re.I)
SKIPPED = {"deployment": "deployment: no place in the language", "global": "global styles and predicates",
           "likec4lib": "icons", "import": "imports from other projects"}
META_SEPARATOR = "__"  # archdsl's facts as metadata keys: `archdsl__keeps__1__what` (keys are ids)


def import_likec4(path: Path) -> Imported:
    """The spec of the LikeC4 model at `path` (a file, or a folder of `.c4` files)."""
    return write_spec(_Reader(path).model_of())


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.root = path.resolve() if path.is_dir() else path.resolve().parent
        self.model = Model("LikeC4", path.name)
        self.kinds: dict[str, dict] = {}  # element kind -> {"notation", "shape"}
        self.keys: set[str] = set()  # every element's and grouping's full path
        self.short: dict[str, list[str]] = {}  # a name -> the keys that end with it
        self.groups: dict[str, str] = {}  # a grouping element's path -> its title
        self.pending: list[tuple[Statement, str | None, str]] = []  # relations, read once every element is known
        self.deferred: list[tuple[Statement, str | None, str]] = []  # extends of elements not yet read
        self.file = ""

    def model_of(self) -> Model:
        parsed = []
        for file in self._files():
            self.file = self._shown(file)
            parsed.append((self.file, read_statements(file, self.file, "likec4")))
            self.model.read.append(file)
        for self.file, statements in parsed:  # the kinds first: a model may use them before it says them
            for stmt in statements:
                if stmt.head == "specification":
                    self._specification(stmt)
        for self.file, statements in parsed:
            for stmt in statements:
                if stmt.head == "model":
                    for inner in stmt.block or []:
                        self._model_part(inner, None, "")
                elif stmt.head not in ("specification", "views"):
                    self._skip(stmt, SKIPPED.get(stmt.head, "not a statement archdsl reads"))
        self._extends()
        for stmt, scope, self.file in self.pending:
            self._relation(stmt, scope)
        for self.file, statements in parsed:
            for stmt in statements:
                if stmt.head == "views":
                    for inner in stmt.block or []:
                        self._view(inner)
        self._levels()
        self._kept_by_export()
        return self.model

    def _extends(self) -> None:
        """The extends whose element another file, or another extend, declares."""
        while self.deferred:
            waiting, self.deferred = self.deferred, []
            for stmt, scope, self.file in waiting:
                self._model_part(stmt, scope, "")
            if len(self.deferred) == len(waiting):
                stmt, _, self.file = self.deferred[0]
                raise ConfigError(f"{self._where(stmt.words[1])}: no element '{stmt.words[1].text}' to extend")

    # -- files

    def _files(self) -> list[Path]:
        if not self.path.is_dir():
            return [self.path.resolve()]
        files = sorted(p for p in self.path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        if not files:
            raise ConfigError(f"{self.path}: no .c4 or .likec4 files in the folder")
        if len(files) > MAX_FILES:
            raise ConfigError(f"{self.path}: more than {MAX_FILES} files")
        for file in files:
            if not file.resolve().is_relative_to(self.root):
                raise ConfigError(f"{self._shown(file)}: leads outside the folder {self.root}")
        return [f.resolve() for f in files]

    def _shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _skip(self, stmt: Statement, why: str) -> None:
        shown = " ".join(stmt.texts()[:3])
        self.model.skipped.append(f"{self.file} line {stmt.line}: {shown[:80]}"
                                  f"{' { … }' if stmt.block is not None else ''}: {why}")

    def _where(self, word: Word) -> str:
        return f"{self.file}:{word.line}:{word.column}"

    # -- specification

    def _specification(self, stmt: Statement) -> None:
        for inner in stmt.block or []:
            words = inner.texts()
            if inner.head == "element" and len(words) > 1:
                found: dict = {"notation": "", "shape": ""}
                for part in inner.block or []:
                    if part.head.rstrip(":") == "notation" and len(part.words) > 1:
                        found["notation"] = part.words[1].text
                    elif part.head == "style":
                        for rule in part.block or []:
                            if rule.head == "shape" and len(rule.words) > 1:
                                found["shape"] = rule.words[1].text
                self.kinds[words[1]] = found

    # -- model

    def _model_part(self, stmt: Statement, scope: str | None, group: str) -> None:
        words = stmt.texts()
        head = stmt.head.rstrip(":")
        if not words:
            return
        if head == "extend" and len(words) > 1 and not any(ARROW.match(w) for w in words):
            key = self._resolve(words[1], scope)
            if key is None:  # declared in a file read later, or by another extend: tried again then
                self.deferred.append((stmt, scope, self.file))
                return
            for inner in stmt.block or []:
                self._model_part(inner, key, "")
        elif any(ARROW.match(w) for w in words[:3]) or (head == "extend" and any(ARROW.match(w) for w in words)):
            self.pending.append((stmt, scope, self.file))
        elif scope in self.model.elements and self._property(stmt, self.model.elements[scope]):
            pass
        elif len(words) >= 3 and words[1] == "=":
            self._element(stmt, words[0], words[2], 3, scope, group)
        elif len(words) >= 2 and words[0] in self.kinds:
            self._element(stmt, words[1], words[0], 2, scope, group)
        else:
            self._skip(stmt, "not a statement archdsl reads")

    def _element(self, stmt: Statement, name: str, kind: str, at: int, scope: str | None, group: str) -> None:
        spec = self.kinds.get(kind, {"notation": "", "shape": ""})
        texts = [w.text for w in stmt.words[at:] if w.quoted]
        key = f"{scope}.{name}" if scope else name
        if GROUP_WORDS.match(kind) and stmt.block is not None:  # a grouping: its members are in a group
            self.groups[key] = texts[0] if texts else name
            self._register(key, name)
            for inner in stmt.block:
                self._model_part(inner, key, self.groups[key])
            return
        element = Element(key, CONTAINER, texts[0] if texts else name, stmt.line, parent=scope, group=group,
                          kind=" ".join(w for w in (kind, spec["notation"], spec["shape"]) if w))
        if len(texts) > 1:
            element.description = texts[1]
        if len(texts) > 2:
            element.technology = texts[2]
        element.tags = _tags(stmt.words[at:])
        self.model.elements[key] = element
        self._register(key, name)
        for inner in stmt.block or []:
            self._model_part(inner, key, "")

    def _register(self, key: str, name: str) -> None:
        self.keys.add(key)
        self.short.setdefault(name, []).append(key)

    def _property(self, stmt: Statement, element: Element) -> bool:
        """An element's own statement: taken (True), or not one (False)."""
        head, words = stmt.head.rstrip(":"), stmt.words
        values = [w.text for w in words[1:] if w.text != ":"]
        if head in PROPERTIES and values:
            attribute = {"title": "name", "summary": "description"}.get(head, head)
            if head != "summary" or not element.description:
                setattr(element, attribute, values[0])
        elif head.startswith("#"):
            element.tags += _tags(words)
        elif head == "link" and values:
            element.link = values[0]
        elif head == "metadata":
            element.properties.update(self._metadata(stmt))
            element.facts = unflatten({k.replace(META_SEPARATOR, "."): v for k, v in element.properties.items()})
            element.properties = {k: v for k, v in element.properties.items() if not k.startswith("archdsl")}
        elif head == "style":  # how it is drawn; its shape says what it is (a browser, storage)
            element.kind += "".join(f" {rule.words[1].text}" for rule in stmt.block or []
                                    if rule.head == "shape" and len(rule.words) > 1)
        elif head in ("icon", "notation", "notes", "navigateto"):
            pass  # how it is drawn: nothing to check
        else:
            return False
        return True

    def _metadata(self, stmt: Statement) -> dict[str, str]:
        out = {}
        for inner in stmt.block or []:
            quoted = [w.text for w in inner.words[1:] if w.quoted]  # a value, or an array of them
            values = quoted or [w.text for w in inner.words[1:] if w.text != ":"]
            if values:
                out[inner.words[0].text.rstrip(":")] = ", ".join(values)
        return out

    def _relation(self, stmt: Statement, scope: str | None) -> None:
        words = stmt.texts()
        arrow = next(i for i, w in enumerate(words) if i >= (words[0] == "extend") and ARROW.match(w))
        ends = self._ends(stmt, arrow, scope)
        if ends is None:
            return
        texts = [w.text for w in stmt.words[arrow + 2:] if w.quoted] + ["", "", ""]
        link = Link(*ends, stmt.line, texts[0] or texts[1], texts[2], file=self.file)
        found = ARROW.match(words[arrow])
        kind = (found.group("kind") or found.group("dot")) if found else None
        link.tags = _tags(stmt.words[arrow + 2:]) + ([kind] if kind else [])
        self._relation_body(stmt, link)
        known = next((k for k in self.model.links if (k.source, k.target) == ends), None) \
            if words[0] == "extend" else None  # an extend adds to a relationship written elsewhere
        if known is not None:
            known.tags += link.tags
            known.facts = known.facts or link.facts
        else:
            self.model.links.append(link)

    def _relation_body(self, stmt: Statement, link: Link) -> None:
        probe = Element("", CONTAINER, "", stmt.line)
        for inner in stmt.block or []:
            if not self._property(inner, probe):
                self._skip(inner, "not a statement of a relationship archdsl reads")
        link.description = probe.name or link.description
        link.technology = probe.technology or link.technology
        link.tags += probe.tags
        link.facts = probe.facts

    def _ends(self, stmt: Statement, arrow: int, scope: str | None) -> tuple[str, str] | None:
        """The source and target keys of a relationship (the source, with none written, the
        element it is inside); None, said, when one is no element."""
        words = stmt.texts()
        if arrow + 1 >= len(words):
            raise ConfigError(f"{self._where(stmt.words[arrow])}: a relationship needs a target")
        written = arrow > (words[0] == "extend")
        source = self._resolve(words[arrow - 1], scope) if written else scope
        target = self._resolve(words[arrow + 1], scope)
        for key, name in ((source, words[arrow - 1]), (target, words[arrow + 1])):
            if key is None or key in self.groups:
                self._skip(stmt, f"'{name}' is no element archdsl read")
                return None
        return source, target  # type: ignore[return-value]

    def _resolve(self, name: str, scope: str | None) -> str | None:
        """A reference: `this`/`it`; else its first name as seen from the enclosing elements, or
        the only element of that name; each name after a dot a descendant of the one before
        (`cloud.graphql` is the `graphql` somewhere inside `cloud`)."""
        if name in ("this", "it"):
            return scope
        first, *rest = name.split(".")
        found = self._first(first, scope)
        for part in rest:
            if found is None:
                return None
            found = self._descendant(found, part)
        return found

    def _first(self, name: str, scope: str | None) -> str | None:
        outer = scope
        while outer:
            if f"{outer}.{name}" in self.keys:
                return f"{outer}.{name}"
            outer = outer.rpartition(".")[0] or None
        if name in self.keys:
            return name
        heads = self.short.get(name, [])
        return heads[0] if len(heads) == 1 else None

    def _descendant(self, key: str, name: str) -> str | None:
        if f"{key}.{name}" in self.keys:
            return f"{key}.{name}"
        below = [k for k in self.short.get(name, []) if k.startswith(f"{key}.")]
        return below[0] if len(below) == 1 else None

    # -- views

    def _view(self, stmt: Statement) -> None:
        words = stmt.texts()
        if stmt.head == "view" and self._picture(stmt):
            return
        if not (stmt.head == "dynamic" and len(words) > 2 and words[1] == "view"):
            if stmt.head in ("view", "deployment", "dynamic", "styles", "global"):
                self._skip(stmt, "views are drawn by archdsl from the model")
            return
        story = Story(words[2], words[2], stmt.line, None)
        for inner in stmt.block or []:
            self._step(inner, story)
        if story.steps:
            first = story.steps[0][0]
            story.scope = first
        self.model.stories.append(story)

    def _picture(self, stmt: Statement) -> bool:
        """A view that names its elements one by one (`include a, b.c`): read (True); one with
        `*`, relations, predicates or an exclude: not (False)."""
        words = stmt.texts()
        scope = self._resolve(words[3], None) if len(words) > 3 and words[2] == "of" else None
        said = _included(stmt.block or [])
        if said is None:
            return False
        title, refs = said
        keys = named_keys(refs, lambda ref: self._resolve(ref, scope))
        if keys:
            self.model.pictures.append(Picture(words[1], title or words[1], stmt.line, scope, keys))
        return bool(keys)

    def _step(self, stmt: Statement, story: Story) -> None:
        words = stmt.texts()
        if stmt.head in ("parallel", "par") and stmt.block is not None:
            for inner in stmt.block:
                self._step(inner, story)
            return
        if stmt.head.rstrip(":") == "title" and len(words) > 1:
            story.title = words[1]
            return
        arrow = next((i for i, w in enumerate(words[:3]) if w in ("->", "<-")), None)
        if arrow is None or arrow == 0 or arrow + 1 >= len(words):
            return  # include, style, autoLayout, notes…: how the view is drawn
        source, target = self._resolve(words[arrow - 1], None), self._resolve(words[arrow + 1], None)
        if words[arrow] == "<-":
            source, target = target, source
        texts = [w.text for w in stmt.words[arrow + 2:] if w.quoted]
        if source and target:
            story.steps.append((source, target, texts[0] if texts else "", stmt.line))

    # -- what each element is

    def _levels(self) -> None:
        """People by their kind's words; software systems at the top (a grouping is no parent:
        its name is their group); containers below them, and components below those."""
        elements = self.model.elements
        for element in elements.values():
            parent = element.parent
            while parent in self.groups:
                parent = parent.rpartition(".")[0] or None
            element.parent = parent
        for element in elements.values():
            depth, above = 0, element.parent
            while above in elements:
                depth, above = depth + 1, elements[above].parent
            element.level = PERSON if PERSON_WORDS.search(element.kind) else (SYSTEM, CONTAINER, COMPONENT)[min(depth, 2)]

    def _kept_by_export(self) -> None:
        """What an archdsl export keeps in a system's metadata and LikeC4 has no place for:
        each flow's facts, and the decisions."""
        elements = self.model.elements
        flows = {name: found for e in elements.values() if e.level == SYSTEM and isinstance(e.facts.get("flows"), dict)
                 for name, found in e.facts["flows"].items() if isinstance(found, dict)}
        for story in self.model.stories:
            story.facts = flows.get(story.key, {})
        for key, element in elements.items():
            kept = element.facts.get("decisions") if element.level == SYSTEM else None
            for found in kept if isinstance(kept, list) else []:
                if isinstance(found, dict) and isinstance(found.get("id"), str):
                    self.model.records.append(_record(found, key, self.file))


def _included(body: list[Statement]) -> tuple[str, list[str]] | None:
    """A view's title and the names its `include` lists (going on over lines after a comma);
    None for a view that excludes."""
    title, names = "", []
    for at, inner in enumerate(body):
        if inner.head.rstrip(":") == "title" and len(inner.words) > 1:
            title = inner.words[1].text
        elif inner.head == "include":
            names += inner.texts()[1:]
            for more in body[at + 1:]:
                if not names or not names[-1].endswith(","):
                    break
                names += more.texts()
        elif inner.head in ("exclude", "where"):
            return None
    return title, [name.rstrip(",") for name in names if name.rstrip(",")]


def _tags(words: list[Word]) -> list[str]:
    """The `#tags` among words (`#next, #api`)."""
    return [w.text.lstrip("#").rstrip(",") for w in words if w.text.startswith("#")]


def _record(found: dict, scope: str, source: str) -> Record:
    text = {k: found[k] if isinstance(found.get(k), str) else "" for k in (
        "title", "status", "date", "context", "decision", "consequences")}
    record = Record(found["id"], text["title"] or found["id"], f"the metadata of {source}", scope, text["status"],
                    text["date"], text["context"], text["decision"], text["consequences"])
    if isinstance(found.get("supersedes"), str):
        record.supersedes = [found["supersedes"]]
    if isinstance(found.get("affects"), list):
        record.affects = [a for a in found["affects"] if isinstance(a, str)]
    return record
