"""SARIF 2.1.0 for code-scanning tools: rule metadata from the rule docs, stable fingerprints."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from ..policy import distinct
from ..rules import all_rules

if TYPE_CHECKING:
    from ..checker import CheckResult

import hashlib
import json

from ..version import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def fingerprint(finding) -> str:
    """Identity of a finding that survives lines moving and figures changing: code, element, detail."""
    key = "\x1f".join(finding.key)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def render(findings, files: int, constraints=()) -> str:
    """SARIF of `findings`: a rule for each built-in rule, and one for each team constraint and
    rule that checks it (`CT901/ui-not-data`), with the constraint's title as its description."""
    rules = list(all_rules())
    index = {rule.code: i for i, rule in enumerate(rules)}
    descriptors = []
    for rule in rules:
        doc = rule.doc()
        descriptors.append({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": doc.summary},
            "fullDescription": {"text": doc.what.replace("\n", " ")},
            "help": {"text": f"{doc.what}\n\n{doc.why}", "markdown": rule.markdown()},
            "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
            "properties": {"tags": [rule.code[:2]]},
        })
    for constraint in constraints:
        for code in constraint.codes():
            if f"{code}/{constraint.id}" not in index:  # one rule an id, as settings select them
                index[f"{code}/{constraint.id}"] = len(descriptors)
                descriptors.append(_constraint_rule(constraint, code))
    results = []
    for f in findings:
        s = f.span
        rule_id = f"{f.code}/{f.detail}" if f.code.startswith("CT") and f"{f.code}/{f.detail}" in index else f.code
        result = {
            "ruleId": rule_id,
            "level": _LEVEL[f.severity.value],
            "message": {"text": f.message + (f"\nHint: {f.hint}" if f.hint else "")},
            "locations": [_location(s)],
            "partialFingerprints": {"archdslFinding/v2": fingerprint(f)},
            "properties": {"element": f.element},
        }
        if rule_id in index:
            result["ruleIndex"] = index[rule_id]
        if f.related:
            result["relatedLocations"] = [dict(_location(r), id=i) for i, r in enumerate(f.related)]
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "archdsl",
                "version": __version__,
                "informationUri": "https://pypi.org/project/archdsl/",
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def uri(path: str) -> str:
    """A file path as a relative URI reference: every character outside the unreserved set and
    `/` percent-encoded (SARIF 2.1.0, 3.10.2), so `#`, `?`, spaces or `%` in a name stay a name."""
    return quote(path.replace("\\", "/"), safe="/")


def _location(span) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": uri(span.file)},
        "region": {"startLine": span.line, "startColumn": span.column,
                   "endLine": max(span.end_line, span.line), "endColumn": max(span.end_column, 1)},
    }}


def _constraint_rule(constraint, code: str) -> dict:
    """A team constraint as a SARIF rule: its id, title and statements."""
    title = constraint.title or constraint.id
    statements = "\n".join(f"- `{c.text}` (line {c.span.line})" for c in constraint.clauses)
    about = constraint.description or title
    return {
        "id": f"{code}/{constraint.id}",
        "name": constraint.id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": about.replace("\n", " ")},
        "help": {"text": f"{about}\n\n{statements}",
                 "markdown": f"# {title}\n\nConstraint `{constraint.id}` ({constraint.where()}), checked by {code}.\n\n"
                             f"{about}\n\n{statements}\n"},
        "defaultConfiguration": {"level": _LEVEL[constraint.severity]},
        "properties": {"tags": ["CT", "constraint"]},
    }


def report(result: CheckResult, *, colour: bool = False) -> str:
    constraints = distinct(c for workspace in result.workspaces for c in workspace.constraints())
    return render(result.findings, result.files, constraints)
