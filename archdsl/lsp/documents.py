"""Where a document is, the spec root it is checked in, and places in it counted as the editor
counts them.

An editor's columns are UTF-16 code units unless it offers another encoding at start-up (the
server takes UTF-8 or UTF-32 when the editor prefers one); the parser's columns are code points.
Every place goes through `Columns` on its way in and out, so a line with an emoji or a CJK
name before an id still points at the id.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

# Where an editor's documents that are not files (`untitled:`) stand, for the loader: a folder
# that is never on the disk, so no such document ever reads or imports a file.
UNSAVED = Path(tempfile.gettempdir()).resolve() / "archdsl-unsaved-documents"


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


def root_of(path: Path, folders: list[Path]) -> Path:
    """The spec root of a document: the innermost workspace folder (`folders`, resolved) that
    holds it, else its folder, else the document alone (unsaved, or in `/`, the home folder or a
    folder above it, which are never walked)."""
    real = path.resolve()
    if real.is_relative_to(UNSAVED):
        return real
    inside = [f for f in folders if real.is_relative_to(f)]
    if inside:
        return max(inside, key=lambda f: len(f.parts))
    folder, home = real.parent, Path.home().resolve()
    if folder == Path(folder.anchor) or home.is_relative_to(folder):
        return real
    return folder


def lines_of(text: str) -> list[str]:
    """A text's lines as the parser numbers them: split at each newline (a `\\r` before one
    stays at the end of its line, after every column a span can name)."""
    return text.split("\n")


@dataclass(frozen=True, slots=True)
class Columns:
    """Columns in the editor's code units (`utf-8`, `utf-16` or `utf-32`) and in code points."""

    encoding: str = "utf-16"

    def units(self, text: str) -> int:
        """How many of the editor's code units `text` is."""
        if text.isascii() or self.encoding == "utf-32":
            return len(text)
        if self.encoding == "utf-8":
            return len(text.encode("utf-8", "surrogatepass"))
        return len(text.encode("utf-16-le", "surrogatepass")) // 2

    def to_editor(self, line: str, column: int) -> int:
        """The editor's column of code point `column` (0-based) of `line`."""
        return self.units(line[:column])

    def from_editor(self, line: str, units: int) -> int:
        """The code point at the editor's column `units` of `line` (the end of the line when
        past it; the character a column inside a surrogate pair or a UTF-8 sequence falls in)."""
        if line.isascii() or self.encoding == "utf-32":
            return min(units, len(line))
        counted = 0
        for index, char in enumerate(line):
            counted += self.units(char)
            if counted > units:
                return index
        return len(line)
