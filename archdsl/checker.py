"""Runs the rules over loaded specs; applies `allow`, settings and a baseline; sorts findings."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import answers
from .config import Settings, load_settings
from .diagnostics import Finding, Severity, structure_finding
from .errors import ConfigError
from .fsutil import atomic_write_text, read_text_file
from .rules import Context, all_rules, check_settings
from .workspaces import load, load_many, snapshot


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    workspaces: list = field(default_factory=list)
    suppressed: int = 0  # by `allow`
    baselined: int = 0  # by `--baseline`
    settings: dict = field(default_factory=dict)  # spec file -> the settings it was checked with

    def failing(self, settings: Settings | None = None) -> bool:
        """Whether a finding reaches its spec root's `fail-on` (or `settings`' when given)."""
        fallback = settings or Settings()
        return any((settings or self.settings.get(f.span.file, fallback)).fails(f.severity)
                   for f in self.findings)


def check_workspace(workspace, settings: Settings | None = None, ctx=None) -> tuple[list[Finding], int]:
    """Every finding of one loaded workspace (load-time and rules), and how many `allow` silenced.

    Pass the rules' `Context` to keep its analyses (latency, availability, checklist) for later use.
    """
    settings = check_settings(settings or (ctx.settings if ctx is not None else Settings()))
    ctx = ctx if ctx is not None else Context(workspace, settings)
    found: list[Finding] = list(workspace.findings)
    by_rule: dict[type, list[Finding]] = {}
    for rule in all_rules():
        if not rule.loader and settings.enabled(rule.code):
            by_rule[rule] = list(rule().check(ctx))
    fired = {(f.code, f.element) for findings in by_rule.values() for f in findings}
    for rule, findings in by_rule.items():
        found.extend(f for f in findings
                     if not any((code, f.element) in fired for code in rule.repeats))
    found, suppressed, unused = _apply_allows(workspace, found, {r.code for r in all_rules()})
    found.extend(unused)
    result = []
    for f in found:
        if not settings.reports(f.code, f.detail):
            continue
        graded = settings.graded(f.code, f.detail)
        if graded is not None:
            f = replace(f, severity=graded)
        result.append(f)
    return sorted(set(result), key=lambda f: f.sort_key), suppressed


def check_paths(paths: list[Path], settings: Settings | None = None, baseline: Path | None = None,
                known: Counter | None = None, settings_for=None) -> CheckResult:
    """Load each path as its own spec root, check it with its own settings (`settings_for(path)`,
    else `settings`, else its pyproject.toml), and collect every finding, sorted."""
    result = CheckResult()
    findings: list[Finding] = []
    for path in paths:
        workspace = load(path, strict=False)
        result.workspaces.append(workspace)
        result.files += len(workspace.files)
        chosen = settings_for(path) if settings_for else settings or load_settings(path)
        result.settings.update(dict.fromkeys(workspace.files, chosen))
        found, suppressed = check_workspace(workspace, chosen)
        findings.extend(found)
        result.suppressed += suppressed
    findings = sorted(set(findings), key=lambda f: f.sort_key)
    if known is None and baseline is not None:
        known = read_baseline(baseline)
    if known is not None:
        kept = filter_baseline(findings, known)
        result.baselined = len(findings) - len(kept)
        findings = kept
    result.findings = findings
    return result


# ---------------------------------------------------------------- allow


def allow_index(workspace) -> dict[str, list]:
    """Element key -> the `allow`s written in it."""
    index: dict[str, list] = {}
    for system in workspace.systems:
        for element in (system, *system.elements()):
            if element.allows:
                index.setdefault(element.qid, []).extend(element.allows)
        for relation in system.relations:
            if relation.allows:
                index.setdefault(relation.key, []).extend(relation.allows)
    return index


def _apply_allows(workspace, findings: list[Finding], known: set[str]):
    index = allow_index(workspace)
    used: set[int] = set()
    kept: list[Finding] = []
    for f in findings:
        allows = [a for a in index.get(f.element, ()) if a.code == f.code]
        if allows:
            used.update(id(a) for a in allows)
        else:
            kept.append(f)
    unused = []
    for key, allows in sorted(index.items()):
        for allow in allows:
            if id(allow) in used:
                continue
            if allow.code not in known:
                message = f"'allow {allow.code}' names no known rule"
                hint = "see `archdsl rules` for the codes"
            else:
                message = f"'allow {allow.code}' silences nothing on '{key.split('.', 1)[-1]}'"
                hint = "remove it: the rule no longer fires here"
            unused.append(structure_finding("AD112", message, allow.span, hint, element=key,
                                            severity=Severity.WARNING))
    return kept, len(findings) - len(kept), unused


# ---------------------------------------------------------------- baseline

BASELINE_VERSION = 2
_BY_MESSAGE = "\x00message:"  # marks the keys of a version 1 baseline, which recorded messages


def baseline_key(f: Finding) -> tuple[str, str, str]:
    """What identifies a finding across edits: code, element and detail, never its line or message."""
    return f.key


def write_baseline(path: Path, findings: list[Finding]) -> None:
    """Record the findings so that later checks report only new ones (written atomically).

    The message is kept for the reader; matching uses code, element and detail only."""
    entries = [{"code": f.code, "element": f.element, "detail": f.detail, "message": f.message}
               for f in findings]
    entries.sort(key=lambda e: (e["code"], e["element"], e["detail"], e["message"]))
    document = {"version": BASELINE_VERSION, "findings": entries}
    import json  # a check without a baseline never loads it
    atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def read_baseline(path: Path) -> Counter:
    import json

    text = read_text_file(path, "not a baseline")
    answers.note_file(path, text.encode("utf-8", "surrogatepass"))
    try:
        document = json.loads(text)
        entries = document["findings"]
        if document.get("version", 1) == 1:
            return Counter((e["code"], e["element"], _BY_MESSAGE + e["message"]) for e in entries)
        return Counter((e["code"], e["element"], e["detail"]) for e in entries)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ConfigError(f"{path}: not a baseline written by --write-baseline"
                          f" ({type(exc).__name__}: {str(exc)[:200]})") from None


def partition_known(findings: list[Finding], known: Counter) -> tuple[list[Finding], list[Finding]]:
    """(findings whose key is in `known`, the others); each known key absorbs one finding."""
    left = Counter(known)
    matched, others = [], []
    for f in findings:
        for key in (f.key, (f.code, f.element, _BY_MESSAGE + f.message)):
            if left[key] > 0:
                left[key] -= 1
                matched.append(f)
                break
        else:
            others.append(f)
    return matched, others


def filter_baseline(findings: list[Finding], baseline: Counter) -> list[Finding]:
    """The findings not in the baseline."""
    return partition_known(findings, baseline)[1]


def findings_at(rev: str, paths: list[Path], settings: Settings) -> Counter:
    """The baseline keys of the findings the specs under `paths` had at git revision `rev`."""
    with tempfile.TemporaryDirectory(prefix="archdsl-base-") as tmp:
        base = load_many(snapshot(rev, paths, Path(tmp)))
        found, _ = check_workspace(base, settings)
    return Counter(baseline_key(f) for f in found)
