"""`archdsl init`: a starting spec, from one of the shipped examples, and an MkDocs site for it."""

from __future__ import annotations

import json
from pathlib import Path

from . import markup
from .errors import ConfigError
from .fsutil import atomic_write_text
from .vocabulary import TEMPLATES
from .workspaces import loads

MKDOCS = """\
# The architecture site (needs `pip install 'archdsl[site]'`): `archdsl site build --config mkdocs.yml -o site/`
site_name: {title}
theme:
  name: material
  font: false
  features: [navigation.sections, navigation.indexes, search.highlight, content.code.copy]
  palette:
    - scheme: default
      primary: indigo
      accent: deep orange
      toggle: {{ icon: material/weather-night, name: Dark mode }}
    - scheme: slate
      primary: indigo
      accent: deep orange
      toggle: {{ icon: material/weather-sunny, name: Light mode }}
plugins:
  - search
  - archdsl:
      specs: [specs]
      prefix: architecture
markdown_extensions:
  - tables
  - admonition
  - attr_list
  - md_in_html
  - toc:
      permalink: true
  - pymdownx.highlight
  - pymdownx.superfences
"""

# A team's own rules, to start from: the spec imports it (site/docs/constraints.md says more).
POLICY = """\
// The team's own rules. Every spec that imports this file is checked against them (CT901-CT905),
// like the built-in rules: keep what your team agrees on, change the layers and kinds to yours,
// and add more (forbid A -> B, only A -> B, require A {{ ATTR >= VALUE }}, max fan-out N for A,
// no cycles among A). `archdsl explain ID specs/` says what one checks.

constraint edge-not-data "The edge never calls a data store" {{
  forbid layer:edge, kind:frontend, kind:cdn, kind:edge-function -> kind:database, kind:cache, kind:object-store
}}

constraint no-sync-cycles "No synchronous cycles among services" {{ no cycles among * }}

constraint small-fan-out "A service calls at most eight others" {{
  max fan-out 8 for * unless kind:gateway, kind:load-balancer, kind:frontend
}}
"""

# The landing page: the system itself first, then where to read on, then how to work on it.
INDEX = """\
# {title}

[![{label}](architecture/systems/{system}/diagrams/system.svg)](architecture/systems/{system}/index.md)

**{label}** is described in `specs/` and checked by [archdsl](https://pypi.org/project/archdsl/).
[Its page](architecture/systems/{system}/index.md) has the diagram to pan and zoom, every component
with its state and why, the decisions and the checklist; [the overview](architecture/index.md)
lists every system, and [the rules](architecture/rules/index.md) say what is checked and why.

## Working on the architecture

```sh
archdsl check specs/                             # check the specs
archdsl render specs/ --all -o diagrams/         # draw every view
archdsl site build --config mkdocs.yml -o site/  # build this site (pip install 'archdsl[site]')
```
"""


def template_text(name: str) -> str:
    """The text of a shipped template: inside the installed package, else the source tree's specs/."""
    if name not in TEMPLATES:
        raise ConfigError(f"no template {name!r}; templates: {', '.join(TEMPLATES)}")
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates" / f"{name}.arch", here.parent / "specs" / TEMPLATES[name]):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise ConfigError(f"archdsl is installed without its templates ({name})")


def init_project(folder: Path, template: str = "hybrid", *, force: bool = False) -> list[Path]:
    """Write the starting files into `folder`; refuse to overwrite any unless `force`."""
    title = folder.resolve().name.replace("-", " ").replace("_", " ").title() or "Architecture"
    text = template_text(template)
    files = {
        folder / "specs" / f"{template}.arch": f'import "policy.arch"  // the team\'s own rules\n\n{text}',
        folder / "specs" / "policy.arch": POLICY.format(),
        # a JSON string is a YAML string, and MkDocs prints site_name raw: entities, quoted
        folder / "mkdocs.yml": MKDOCS.format(title=json.dumps(markup.title(title))),
        folder / "docs" / "index.md": INDEX.format(title=markup.inline(title), **_landing(text)),
    }
    existing = [path for path in files if path.exists()]
    if existing and not force:
        raise ConfigError("refusing to overwrite " + ", ".join(str(p) for p in existing) + " (use --force)")
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, content, within=folder)  # never out of the project through a link
    return list(files)


def _landing(spec_text: str) -> dict[str, str]:
    """The id and the name of the template's system, for the landing page's picture of it."""
    system = loads(spec_text, filename="template.arch").systems[0]
    return {"system": system.id, "label": markup.inline(system.label)}
