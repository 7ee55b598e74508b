"""`archdsl diff`: what a change does to the architecture, as Markdown for a pull request or JSON.

Components, relations and decisions are matched by qualified id; findings by their baseline key
(code, element, message), so moving lines around changes nothing.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .model import format_ms

FIELDS = (
    ("effective_state", "state"), ("kind", "kind"), ("layer", "layer"), ("connection", "connection"),
    ("latency_ms", "latency"), ("sla", "sla"), ("scaling", "scaling"), ("replicas", "replicas"),
    ("replication", "replication"), ("failover", "failover"), ("session", "session"), ("access", "access"),
    ("growth", "growth"), ("keeps", "keeps"), ("title", "title"), ("tech", "tech"), ("calls", "calls"),
)
# What a relation is, beyond its two ends: a change to any of these is a changed relation.
RELATION_FIELDS = ("label", "protocol", "latency_ms", "is_async", "optional", "tech")


@dataclass
class ArchDiff:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    relations: dict = field(default_factory=lambda: {"added": [], "removed": [], "changed": []})
    decisions: dict = field(default_factory=lambda: {"added": [], "removed": [], "changed": []})
    findings: dict = field(default_factory=lambda: {"new": [], "fixed": []})
    shares: dict = field(default_factory=dict)  # system -> {"before", "after", "benchmark"}

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or any(self.relations.values())
                    or any(self.decisions.values()) or any(self.findings.values()))

    def to_json(self) -> str:
        document = {"added": self.added, "removed": self.removed, "changed": self.changed,
                    "relations": self.relations, "decisions": self.decisions, "findings": self.findings,
                    "stateless_share": self.shares}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _show(field_name: str, component) -> object:
    value = getattr(component, field_name)
    if field_name == "replicas" and value is not None:
        return f"{value.min}..{value.max}" if value.min != value.max else str(value.min)
    if field_name == "latency_ms" and value is not None:
        return format_ms(value)
    if field_name == "sla" and value is not None:
        return f"{value:g}%"
    if field_name == "growth":
        return "fixed" if component.growth_fixed else (f"{value:g}x" if value is not None else None)
    if field_name == "keeps":
        return "; ".join(f"{k.what} as {k.kind} in {k.where}" + (f" ttl {format_ms(k.ttl_ms)}" if k.ttl_ms is not None else "")
                         for k in value) or None
    if field_name == "connection":
        return ", ".join(value) or None
    return value if value != "" else None


def _components(workspace) -> dict:
    return {c.qid: c for c in workspace.components()}


def _relations(workspace) -> dict[str, object]:
    """Relations by `source -> target`, numbered when one pair has several: `a -> b #2`."""
    found: dict[str, object] = {}
    for system in workspace.systems:
        for r in system.relations:
            key = f"{r.source} -> {r.target}"
            n = 1
            while (key if n == 1 else f"{key} #{n}") in found:
                n += 1
            found[key if n == 1 else f"{key} #{n}"] = r
    return found


def _relation_line(key: str, relation) -> str:
    return key + (f" ({relation.label})" if relation.label else "")


def _relation_value(relation, name: str):
    value = getattr(relation, name)
    if name == "latency_ms":
        return None if value is None else format_ms(value)
    return value if value != "" else None


def _decisions(workspace) -> dict:
    return {d.qid: d for s in workspace.systems for d in s.decisions}


def diff_workspaces(base, head) -> ArchDiff:
    """The architectural change from `base` to `head` (loaded workspaces)."""
    from .analysis.ratio import stateless_share
    from .checker import baseline_key, check_workspace

    out = ArchDiff()
    before, after = _components(base), _components(head)
    for qid in sorted(after.keys() - before.keys()):
        c = after[qid]
        out.added.append({"id": qid, "title": c.label, "state": c.effective_state})
    for qid in sorted(before.keys() - after.keys()):
        c = before[qid]
        out.removed.append({"id": qid, "title": c.label, "state": c.effective_state})
    for qid in sorted(before.keys() & after.keys()):
        for attr, name in FIELDS:
            old, new = _show(attr, before[qid]), _show(attr, after[qid])
            if old != new:
                out.changed.append({"id": qid, "field": name, "from": old, "to": new})
    rel_before, rel_after = _relations(base), _relations(head)
    out.relations["added"] = sorted(_relation_line(k, rel_after[k]) for k in rel_after.keys() - rel_before.keys())
    out.relations["removed"] = sorted(_relation_line(k, rel_before[k]) for k in rel_before.keys() - rel_after.keys())
    for key in sorted(rel_before.keys() & rel_after.keys()):
        for name in RELATION_FIELDS:
            old, new = _relation_value(rel_before[key], name), _relation_value(rel_after[key], name)
            if old != new:
                out.relations["changed"].append({"relation": key, "field": name.removesuffix("_ms")
                                                 .removeprefix("is_"), "from": old, "to": new})
    dec_before, dec_after = _decisions(base), _decisions(head)
    out.decisions["added"] = [{"id": q, "title": dec_after[q].title, "status": dec_after[q].status}
                              for q in sorted(dec_after.keys() - dec_before.keys())]
    out.decisions["removed"] = [{"id": q, "title": dec_before[q].title, "status": dec_before[q].status}
                                for q in sorted(dec_before.keys() - dec_after.keys())]
    out.decisions["changed"] = [{"id": q, "field": "status", "from": dec_before[q].status, "to": dec_after[q].status}
                                for q in sorted(dec_before.keys() & dec_after.keys())
                                if dec_before[q].status != dec_after[q].status]
    old_findings, _ = check_workspace(base)
    new_findings, _ = check_workspace(head)
    old_keys = Counter(baseline_key(f) for f in old_findings)
    new_keys = Counter(baseline_key(f) for f in new_findings)
    fresh, gone = new_keys - old_keys, old_keys - new_keys
    out.findings["new"] = _pick(new_findings, fresh)
    out.findings["fixed"] = _pick(old_findings, gone)
    for system in head.systems:
        old_system = base.system(system.id)
        share = stateless_share(system)
        old_share = stateless_share(old_system) if old_system else None
        out.shares[system.id] = {"before": None if old_share is None else _round(old_share.percent),
                                 "after": _round(share.percent), "benchmark": share.benchmark}
    return out


def _round(value):
    return None if value is None else round(value, 1)


def _pick(findings, wanted: Counter) -> list[dict]:
    from .checker import partition_known

    return [{**f.to_dict(), "element": f.element} for f in partition_known(findings, wanted)[0]]


# ---------------------------------------------------------------- Markdown


def to_markdown(d: ArchDiff) -> str:
    from .markup import code
    from .markup import (
        defused as inline,  # posted as a PR comment: no mentions, no autolinks
    )

    if d.empty:
        return "## Architecture diff\n\nNo architectural change.\n"
    state_changes = [c for c in d.changed if c["field"] == "state"]
    parts = []
    if d.added or d.removed or d.changed:
        changed_ids = {c["id"] for c in d.changed}
        parts.append(f"{len(d.added)} component{'s' if len(d.added) != 1 else ''} added, {len(d.removed)} removed, "
                     f"{len(changed_ids)} changed" + (f" ({len(state_changes)} changed state)" if state_changes else ""))
    if any(d.relations.values()):
        changed_relations = {c["relation"] for c in d.relations["changed"]}
        parts.append(f"{len(d.relations['added'])} relation{'s' if len(d.relations['added']) != 1 else ''} added, "
                     f"{len(d.relations['removed'])} removed, {len(changed_relations)} changed")
    if any(d.decisions.values()):
        parts.append(f"{len(d.decisions['added'])} decision{'s' if len(d.decisions['added']) != 1 else ''} added, "
                     f"{len(d.decisions['changed'])} changed status")
    parts.append(f"{len(d.findings['new'])} new finding{'s' if len(d.findings['new']) != 1 else ''}, "
                 f"{len(d.findings['fixed'])} fixed")
    out = ["## Architecture diff\n\n", "**" + " · ".join(parts) + "**\n\n"]
    if state_changes:
        out.append("### ⚠️ State changes\n\n| Component | Before | After |\n|---|---|---|\n")
        for c in state_changes:
            out.append(f"| {code(c['id'])} | {c['from'] or 'unknown'} | **{c['to'] or 'unknown'}** |\n")
        out.append("\n")
    moved = {s: v for s, v in d.shares.items() if v["before"] != v["after"]}
    if moved:
        out.append("Stateless share: " + "; ".join(
            f"{code(s)} {_pct(v['before'])} → **{_pct(v['after'])}**"
            + (f" (benchmark ~{v['benchmark']}%)" if v["benchmark"] is not None else "")
            for s, v in sorted(moved.items())) + "\n\n")
    if d.added or d.removed or d.changed:
        out.append("### Components\n\n| | Component | Change |\n|---|---|---|\n")
        for c in d.added:
            out.append(f"| added | {code(c['id'])} {inline(c['title'])} | {c['state'] or 'unknown'} |\n")
        for c in d.removed:
            out.append(f"| removed | {code(c['id'])} {inline(c['title'])} | was {c['state'] or 'unknown'} |\n")
        for c in d.changed:
            if c["field"] != "state":
                out.append(f"| changed | {code(c['id'])} | {c['field']}: {inline(str(c['from']))} → "
                           f"{inline(str(c['to']))} |\n")
        out.append("\n")
    if any(d.relations.values()):
        out.append("### Relations\n\n")
        out += [f"- added {code(r)}\n" for r in d.relations["added"]]
        out += [f"- removed {code(r)}\n" for r in d.relations["removed"]]
        out += [f"- changed {code(c['relation'])}: {c['field']} {inline(_plain(c['from']))} → "
                f"{inline(_plain(c['to']))}\n" for c in d.relations["changed"]]
        out.append("\n")
    if any(d.decisions.values()):
        out.append("### Decisions\n\n")
        out += [f"- added {code(x['id'])} {inline(x['title'])} ({x['status']})\n" for x in d.decisions["added"]]
        out += [f"- removed {code(x['id'])} {inline(x['title'])}\n" for x in d.decisions["removed"]]
        out += [f"- {code(x['id'])}: {x['from']} → **{x['to']}**\n" for x in d.decisions["changed"]]
        out.append("\n")
    if any(d.findings.values()):
        out.append("### Findings\n\n")
        if d.findings["new"]:
            out.append("| | Rule | Where | Finding |\n|---|---|---|---|\n")
            for f in d.findings["new"]:
                out.append(f"| {f['severity']} | {f['code']} {f['name']} | {inline(f['file'])}:{f['line']} "
                           f"| {inline(f['message'])} |\n")
            out.append("\n")
        if d.findings["fixed"]:
            out.append("Fixed:\n\n" + "".join(f"- ~~{f['code']} {inline(f['message'])}~~\n" for f in d.findings["fixed"]))
            out.append("\n")
    return "".join(out)


def _plain(value) -> str:
    return "—" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _pct(value) -> str:
    return "—" if value is None else f"{value:g}%"


def diff_git(rev: str, paths: list[Path]) -> ArchDiff:
    from .workspaces import load_many, snapshot

    with tempfile.TemporaryDirectory(prefix="archdsl-base-") as tmp:
        base = load_many(snapshot(rev, paths, Path(tmp)))
        return diff_workspaces(base, load_many(paths))
