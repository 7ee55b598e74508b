"""Spec text is untrusted: how it is made safe for each place it lands in Markdown or HTML
(the site's pages, the pull-request comment of `diff`)."""

from __future__ import annotations

import functools
import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+!|-])")


def esc(text: str) -> str:
    """Text for HTML: entities for `<>&"'`, and for braces, so `{{ … }}` prints as written."""
    return html.escape(str(text), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def inline(text: str) -> str:
    """Text inside Markdown (a table cell, a heading, a list item): one line, no markup."""
    flat = " ".join(str(text).split())
    escaped = html.escape(_MD_SPECIAL.sub(r"\\\1", flat), quote=False)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


def literal(text: str) -> str:
    """Spec text shown as code in a page of the site: an HTML `<code>` whose text is escaped for
    HTML and for the Markdown MkDocs reads around it. (A Markdown code span cannot hold spec
    text safely: a backtick in it ends the span, and what follows is read as Markdown.)"""
    return f"<code>{inline(text)}</code>"


def code(text: str) -> str:
    """Text as a Markdown code span: shown literally, whatever it holds."""
    flat = " ".join(str(text).split())
    fence = "`"
    while fence in flat:
        fence += "`"
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def title(text: str) -> str:
    """A page or navigation title: templates print it as it is, so it is escaped here."""
    return esc(" ".join(str(text).split()))


def _safe_link(url: str) -> bool:
    url = url.strip()
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme:
        return scheme.group(1).lower() in ("http", "https", "mailto")
    return not url.startswith("//")  # relative links are fine, protocol-relative ones are not


@functools.lru_cache(maxsize=1)
def _markdown():
    # lazy: the Markdown renderer loads only for the site
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    # no images: a picture from another host would be a request the reader never agreed to;
    # `![alt](url)` is shown as `!` and a link instead
    md.disable("image")
    md.validateLink = _safe_link
    return md


_TAG = re.compile(r"<[^>]*>")


_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?\w+;)")


def prose(text: str) -> str:
    """A Markdown field of a spec shown inline in a page (a sentence, a table cell): its inline
    Markdown rendered to HTML (emphasis, code, links: only http(s) or relative), raw HTML shown
    as text, on one line, with nothing that can end a table cell or start a template.

    The page is Markdown that MkDocs reads once more: the text between the tags is escaped for
    it, so that a link this renderer refused (`[x](javascript:…)`) is not made by the next one."""
    flat = " ".join(str(text).split())
    if not flat:
        return ""
    rendered = _markdown().renderInline(flat)
    rendered = rendered.replace("|", "&#124;").replace("{", "&#123;").replace("}", "&#125;")
    return "".join(piece if _TAG_OR_ENTITY.fullmatch(piece) else _MD_SPECIAL.sub(r"\\\1", piece)
                   for piece in _TAG_OR_ENTITY.split(rendered))


def plain(text: str) -> str:
    """What a reader sees of a Markdown field, without its markup: `**fast** reads` is
    `fast reads` (for a summary cut to a sentence). Unescaped: pass it through `inline`."""
    flat = " ".join(str(text).split())
    if not flat:
        return ""
    shown = html.unescape(_TAG.sub("", _markdown().renderInline(flat)))
    return " ".join(shown.split())


_NOTIFIERS = re.compile(r"@|://|\bwww\.")


def defused(text: str) -> str:
    """Markdown for a pull-request comment: `@name` mentions no one and no bare URL becomes a
    link (a zero-width space breaks each), on top of `inline`'s escaping."""
    return _NOTIFIERS.sub(lambda m: m.group()[0] + "\u200b" + m.group()[1:], inline(text))


def block(text: str) -> str:
    """A Markdown field of a spec as HTML: raw HTML shown as text, only http(s), mailto or
    relative links.

    The result is wrapped in a `<div>` so that MkDocs passes it through untouched.
    """
    if not text.strip():
        return ""
    rendered = _markdown().render(text)
    rendered = rendered.replace("{", "&#123;").replace("}", "&#125;")
    return f'<div class="arch-md">\n{rendered.strip()}\n</div>'
