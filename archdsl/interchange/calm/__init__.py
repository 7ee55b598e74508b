"""FINOS CALM 1.0 (Common Architecture Language Model) to a spec and back.

The schemas in this folder are CALM's own, release 1.0 (Apache-2.0, see LICENSE and NOTICE): a
document is validated against them before it is read, and every export is validated against them
before it is written.

CALM to archdsl: `system` and `ecosystem` nodes that are containers of a `composed-of` relationship
become systems holding those nodes; `actor` nodes actors; `service`, `database`, `webclient`,
`ldap` and other nodes components (kinds service, database, frontend, identity, service); `connects`
relationships relations (the description as label, the protocol); `interacts` relationships a
relation from the actor to each node. What has no place in the language (networks, `deployed-in`,
interfaces, controls, flows, options, a node's other properties) is written as a comment where it
belongs; a node in no system lands in the first one, said in a comment.

archdsl to CALM: a node per system, actor and component (`unique-id` the qualified id), a
`composed-of` relationship per system, `connects` and `interacts` relationships, and archdsl's facts
(state, kinds of state, layer, kind, targets, replication) under `metadata.archdsl` of each node and
relationship, which an import reads back: a round trip keeps them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ...errors import ArchError, ConfigError
from ...fsutil import read_text_file

HERE = Path(__file__).parent
SCHEMA_URL = "https://calm.finos.org/release/1.0/meta/calm.json"
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64  # deeper JSON is no architecture document (and would exhaust the stack)


def read_document(path: Path) -> dict:
    """A CALM document from a file: JSON, an object, within the size and depth limits, and valid
    against CALM 1.0's nodes and relationships (every error a ConfigError saying where)."""
    text = read_text_file(path, limit=MAX_DOCUMENT_BYTES, bom=True)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise ConfigError(f"{path}: the JSON is nested too deeply") from None
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: a CALM document is a JSON object with nodes and relationships")
    if _depth(document) > MAX_DEPTH:
        raise ConfigError(f"{path}: the JSON is nested more than {MAX_DEPTH} deep")
    problems = validation_errors(document, whole=document.get("$schema") == SCHEMA_URL)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise ConfigError(f"{path}: not a valid CALM 1.0 architecture: {shown}")
    return document


def validation_errors(document: dict, *, whole: bool = True) -> list[str]:
    """What makes `document` invalid against CALM 1.0, as `at /nodes/3: 'name' is a required
    property`. With `whole` False (a draft's document), only its nodes and relationships."""
    # lazy: only import and export read JSON schemas
    from jsonschema import Draft202012Validator

    core = _schemas()[f"{_BASE}core.json"]
    schema = core if whole else {
        "$id": f"{_BASE}architecture-parts.json", "type": "object",
        "properties": {"nodes": core["properties"]["nodes"], "relationships": core["properties"]["relationships"]},
        "defs": core["defs"],
    }
    validator = Draft202012Validator(schema, registry=_registry())
    found = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"at /{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in found]


_BASE = "https://calm.finos.org/release/1.0/meta/"


@cache
def _schemas() -> dict[str, dict]:
    found = {}
    for name in ("core", "control", "flow", "interface", "units", "evidence"):
        try:
            found[f"{_BASE}{name}.json"] = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
        except OSError:
            raise ArchError(f"archdsl is installed without CALM's schema {name}.json") from None
    return found


def _registry():
    # lazy: only import and export read JSON schemas
    from referencing import Registry, Resource

    return Registry().with_resources(
        (uri, Resource.from_contents(schema, default_specification=_draft())) for uri, schema in _schemas().items())


def _draft():
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


def _depth(value, level: int = 0) -> int:
    """How deep a JSON value nests (stopping early past the limit)."""
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level
