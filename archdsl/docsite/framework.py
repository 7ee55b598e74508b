"""The decision framework the rules come from: its page, and links from the rules' citations.

A rule's documentation cites the section it comes from as `framework § Title`; on the site each
citation becomes a link to that section of the framework page. The page's text is the
repository's `site/docs/framework.md`, shipped inside the wheel as `archdsl/docsite/framework.md`.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ..errors import ArchError

NAME = "framework.md"
TITLE = "# The decision framework"
_HEADING = re.compile(r"^#{2,3} (?P<title>.+?) \{#(?P<anchor>[a-z0-9-]+)\}\s*$", re.M)
_MARK = re.compile(r"§\s+")


def framework_path() -> Path:
    """The page: inside the installed package, else the source tree's `site/docs/`."""
    here = Path(__file__).resolve().parent
    for candidate in (here / NAME, here.parent.parent / "site" / "docs" / NAME):
        if candidate.is_file():
            return candidate
    raise ArchError(f"archdsl is installed without its framework page ({NAME})")


@functools.cache
def framework_markdown() -> str:
    return framework_path().read_text(encoding="utf-8")


def sections(text: str | None = None) -> dict[str, str]:
    """Each section's title and its anchor, in the order of the page."""
    return {m["title"]: m["anchor"] for m in _HEADING.finditer(framework_markdown() if text is None else text)}


def _title_at(text: str, at: int, titles: dict[str, str]) -> tuple[str, int] | None:
    """The section title that starts at `at` (words may wrap over lines), and where it ends."""
    for title in sorted(titles, key=len, reverse=True):
        words = r"\s+".join(re.escape(word) for word in title.split())
        found = re.compile(words).match(text, at)
        if found:
            return title, found.end()
    return None


def citations(text: str) -> list[str]:
    """The sections `text` cites (`§ Title`); a citation of no section is an error."""
    titles = sections()
    cited = []
    for mark in _MARK.finditer(text):
        found = _title_at(text, mark.end(), titles)
        if found is None:
            raise ValueError(f"cites no section of the framework: {text[mark.start():mark.start() + 40]!r}")
        cited.append(found[0])
    return cited


def link_citations(text: str, page: str) -> str:
    """Markdown with each `§ Title` a link to that section of the framework page at `page`."""
    titles = sections()
    out, done = [], 0
    for mark in _MARK.finditer(text):
        if mark.start() < done:
            continue
        found = _title_at(text, mark.end(), titles)
        if found is None:
            continue
        title, end = found
        out.append(text[done:mark.start()])
        out.append(f"[§ {title}]({page}#{titles[title]})")
        done = end
    out.append(text[done:])
    return "".join(out)


def is_framework_page(path: Path) -> bool:
    """Whether a site's own `framework.md` is this page (the repository's site has it)."""
    try:
        return path.is_file() and path.read_text(encoding="utf-8").startswith(TITLE)
    except (OSError, UnicodeDecodeError):
        return False
