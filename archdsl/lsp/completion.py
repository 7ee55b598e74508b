"""Completion: the keywords of the block the cursor stands in, an attribute's values, the ids in
scope after `->` and the statements that name elements, the files an `import` may name."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..parsing.statements import ATTRS, CHILDREN
from . import constraints
from .documents import lone
from .text import context, declared

if TYPE_CHECKING:
    from .analyses import Analysis

IMPORT_COMPLETIONS = 500  # the files an `import` completion offers, at most (never a walk of a disk)
_NAMING = ("affects", "from", "to", "include", "exclude", "supersedes")


def completions(analysis: Analysis, path: Path, source: str, before: str) -> list[tuple[str, str]]:
    """(label, what it is) of what may be written after `before`, the text of the document
    `path` (its whole text: `source`) up to the cursor."""
    block, words, arrow = context(before)
    if words and words[0] == "import":
        return _importable(analysis, path)
    typed = words if before.endswith((" ", "\t")) else words[:-1]
    policy = constraints.complete(analysis, block, typed, arrow)
    if policy is not None:
        return policy
    if arrow or (words and words[0] in _NAMING):
        return _ids_in_scope(analysis, path, source, block)
    if words and not before.endswith((" ", "\t")):
        words = words[:-1]  # the word being typed
    if not words:
        keywords = [k for k in CHILDREN.get(block, ()) if k != "->"] + list(ATTRS.get(block, {}))
        return sorted((k, f"{block} keyword") for k in dict.fromkeys(keywords))
    attr = ATTRS.get(block, {}).get(words[0])
    choices = getattr(attr.read, "choices", ()) if attr else ()
    return [(c, f"{words[0]} value") for c in choices]


def _ids_in_scope(analysis: Analysis, path: Path, source: str, block: str) -> list[tuple[str, str]]:
    here = path.resolve()
    out = []
    for system in analysis.workspace.systems:
        local = Path(system.file).resolve() == here
        for element in (*system.components, *system.actors, *(system.layers if block == "view" else ())):
            label = element.id if local else element.qid
            out.append((label, f"{type(element).__name__.lower()}: {element.label}"))
    out += [(name, kind) for kind, name in declared(source)]  # the file being written may not parse yet
    return sorted(dict(reversed(out)).items())  # one entry a name


def _importable(analysis: Analysis, path: Path) -> list[tuple[str, str]]:
    """The spec files an `import` in `path` may name: below its folder, inside its root, at
    most IMPORT_COMPLETIONS of them, symlinks never followed; none for a lone document."""
    if lone(analysis.root):
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
