"""Diagrams drawn into the pages: at natural size, with their tools, their legend in HTML, or
a notice where no layout could draw one."""

from __future__ import annotations

import re

from ... import markup
from .common import (
    SystemFacts,
    place_links,
)


def inline_diagram(f: SystemFacts, view: str, to_root: str, caption: str) -> str:
    """A diagram drawn into the page at its natural size (pan, zoom, fit, full screen, node
    links), its legend below it in HTML, and a link to it on its own; a view no layout could
    draw is a notice with the engine's message instead.

    The SVG is Graphviz's, whose text from the spec is escaped; its comments, XML prologue and
    ids are left out (two diagrams on one page must not share an id)."""
    if view in f.failures:
        return (f'<div class="admonition failure arch-diagram-failed" markdown="0">\n'
                f'<p class="admonition-title">{markup.esc(caption)}: not drawn</p>\n'
                f"<p>Graphviz could not lay out this diagram with any of archdsl's layouts (ranked, "
                f"straight lines, without rows, packed). Every other diagram and page is published; "
                f"the spec's text and tables on this page are complete.</p>\n"
                f"<pre><code>{markup.esc(f.failures[view])}</code></pre>\n</div>\n\n")
    svg = f.svgs[view]
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\s(id)="[^"]*"', "", svg)
    svg = "\n".join(line for line in svg.splitlines() if line.strip())
    svg = place_links(svg, to_root, f.directory_urls)
    file_link = f"{to_root}systems/{f.system.id}/{f.diagrams[view]}"
    note = f.notes.get(view, "")
    told = f'<br><small class="arch-diagram-note">{markup.esc(note[0].upper() + note[1:])}.</small>' if note else ""
    return (f'<figure class="arch-diagram" aria-label="{markup.esc(caption)}">\n'
            f'<div class="arch-diagram-view">\n{svg}\n</div>\n'
            f'<figcaption>{markup.esc(caption)} · <a class="arch-diagram-file" href="{markup.esc(file_link)}">'
            f"the diagram on its own (SVG)</a>{told}</figcaption>\n"
            f"{LEGEND}</figure>\n\n")


def _swatch(kind: str, label: str) -> str:
    return f'<span class="arch-key"><span class="arch-swatch arch-swatch-{kind}"></span>{label}</span>'


def _line(style: str, label: str) -> str:
    dash = {"sync": "", "async": ' stroke-dasharray="5 3"', "optional": ' stroke-dasharray="1.5 2.5"'}[style]
    return (f'<span class="arch-key"><svg class="arch-line" width="30" height="8" aria-hidden="true">'
            f'<line x1="1" y1="4" x2="29" y2="4"{dash}/></svg>{label}</span>')


# What the diagrams' colours, lines and shapes mean: below every diagram of the site, in HTML
# (the drawing holds the architecture only; `render` draws its own legend into a file on its own).
LEGEND = (
    '<div class="arch-legend" aria-label="Legend">'
    + _swatch("stateless", "stateless") + _swatch("stateful", "stateful") + _swatch("managed", "managed data")
    + _swatch("context", "neighbour outside the view")
    + _line("sync", "call") + _line("async", "async") + _line("optional", "optional")
    + '<span class="arch-key">cylinder: database or cache · hexagon: gateway · pennant: queue or stream · '
      "☺: a person</span></div>\n"
)
