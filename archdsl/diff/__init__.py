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

from ..analysis.ratio import stateless_share
from ..checker import allow_index, baseline_key, check_workspace, partition_known
from ..config import find_pyproject, settings_table
from ..diagnostics import Finding
from ..fsutil import read_text_file
from ..markup import code, defused
from ..model import format_ms
from ..wording import plural
from ..workspaces import load_many, settings_at, snapshot
from .picture import KEY, Picture, change_picture
from .policy import constraint_changes

FIELDS = (
    ("effective_state", "state"), ("kind", "kind"), ("layer", "layer"), ("connection", "connection"),
    ("latency_ms", "latency"), ("sla", "sla"), ("scaling", "scaling"), ("replicas", "replicas"),
    ("replication", "replication"), ("failover", "failover"), ("session", "session"), ("access", "access"),
    ("growth", "growth"), ("keeps", "keeps"), ("title", "title"), ("tech", "tech"), ("calls", "calls"),
    ("storage", "storage"), ("peers", "peers"),
)
# What a relation is, beyond its two ends: a change to any of these is a changed relation.
RELATION_FIELDS = ("label", "protocol", "latency_ms", "is_async", "optional", "background", "tech")


@dataclass(frozen=True)
class ComponentEntry:
    """A component added or removed."""

    id: str
    title: str
    state: str | None

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "state": self.state}


@dataclass(frozen=True)
class Change:
    """One field of a component, relation or decision that changed; `id` names which."""

    id: str
    field: str
    before: object
    after: object

    def to_dict(self, key: str = "id") -> dict:
        return {key: self.id, "field": self.field, "from": self.before, "to": self.after}


@dataclass(frozen=True)
class DecisionEntry:
    id: str
    title: str
    status: str

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "status": self.status}


@dataclass(frozen=True)
class ShareChange:
    """A system's stateless share before and after, in percent, and its industry benchmark."""

    before: float | None
    after: float | None
    benchmark: float | None

    def to_dict(self) -> dict:
        return {"before": self.before, "after": self.after, "benchmark": self.benchmark}


@dataclass
class ArchDiff:
    added: list[ComponentEntry] = field(default_factory=list)
    removed: list[ComponentEntry] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    relations_added: list[str] = field(default_factory=list)
    relations_removed: list[str] = field(default_factory=list)
    relations_changed: list[Change] = field(default_factory=list)  # id: `a -> b`
    decisions_added: list[DecisionEntry] = field(default_factory=list)
    decisions_removed: list[DecisionEntry] = field(default_factory=list)
    decisions_changed: list[Change] = field(default_factory=list)
    flows_added: list[str] = field(default_factory=list)  # qualified ids
    flows_removed: list[str] = field(default_factory=list)
    flows_changed: list[Change] = field(default_factory=list)  # field: step added, step removed, latency, from
    new_findings: list[Finding] = field(default_factory=list)
    fixed_findings: list[Finding] = field(default_factory=list)
    shares: dict[str, ShareChange] = field(default_factory=dict)
    picture: Picture = field(default_factory=Picture)  # the change as a Mermaid flowchart
    # what a change does to how it is checked: `allow`s (element, code, reason), and settings
    allows_added: list[tuple[str, str, str]] = field(default_factory=list)
    allows_removed: list[tuple[str, str, str]] = field(default_factory=list)
    settings: list[tuple[str, dict, dict]] = field(default_factory=list)  # (file, before, after)
    constraints_added: list[str] = field(default_factory=list)  # `system/id: title` (diff.policy)
    constraints_removed: list[str] = field(default_factory=list)
    constraints_changed: list[Change] = field(default_factory=list)

    @property
    def relations_moved(self) -> bool:
        return bool(self.relations_added or self.relations_removed or self.relations_changed)

    @property
    def decisions_moved(self) -> bool:
        return bool(self.decisions_added or self.decisions_removed or self.decisions_changed)

    @property
    def flows_moved(self) -> bool:
        return bool(self.flows_added or self.flows_removed or self.flows_changed)

    @property
    def checks_moved(self) -> bool:
        """Whether the change alters how it is checked: suppressions, settings, constraints."""
        return bool(self.allows_added or self.allows_removed or self.settings or self.constraints_added
                    or self.constraints_removed or self.constraints_changed)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.relations_moved or self.decisions_moved
                    or self.flows_moved or self.new_findings or self.fixed_findings or self.checks_moved)

    def to_json(self) -> str:
        document = {
            "added": [c.to_dict() for c in self.added],
            "removed": [c.to_dict() for c in self.removed],
            "changed": [c.to_dict() for c in self.changed],
            "relations": {"added": self.relations_added, "removed": self.relations_removed,
                          "changed": [c.to_dict("relation") for c in self.relations_changed]},
            "decisions": {"added": [d.to_dict() for d in self.decisions_added],
                          "removed": [d.to_dict() for d in self.decisions_removed],
                          "changed": [c.to_dict() for c in self.decisions_changed]},
            "flows": {"added": self.flows_added, "removed": self.flows_removed,
                      "changed": [c.to_dict("flow") for c in self.flows_changed]},
            "findings": {"new": [f.to_dict() for f in self.new_findings],
                         "fixed": [f.to_dict() for f in self.fixed_findings]},
            "stateless_share": {system: share.to_dict() for system, share in self.shares.items()},
            "allows": {"added": [{"element": e, "code": c, "reason": r} for e, c, r in self.allows_added],
                       "removed": [{"element": e, "code": c, "reason": r} for e, c, r in self.allows_removed]},
            "settings": [{"file": f, "from": before, "to": after} for f, before, after in self.settings],
            "constraints": {"added": self.constraints_added, "removed": self.constraints_removed,
                            "changed": [c.to_dict("constraint") for c in self.constraints_changed]},
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _detail(peer) -> str:
    shown = [peer.protocol, format_ms(peer.latency_ms) if peer.latency_ms is not None else ""]
    return f" ({', '.join(p for p in shown if p)})" if any(shown) else ""


_SHOWN = {  # how a changed field is written in the diff (latency_ms and sla keep the unit a person reads)
    "replicas": lambda v: f"{v.min}..{v.max}" if v.min != v.max else str(v.min),
    "latency_ms": format_ms,
    "sla": lambda v: f"{v:g}%",
    "keeps": lambda v: "; ".join(k.statement() for k in v) or None,
    "connection": lambda v: ", ".join(v) or None,
    "peers": lambda v: "; ".join((p.label or "peers") + _detail(p) for p in v) or None,  # `gossip (tcp, 2ms)`
}


def _show(field_name: str, component) -> object:
    value = getattr(component, field_name)
    if field_name == "growth":
        return "fixed" if component.growth_fixed else (f"{value:g}x" if value is not None else None)
    if field_name in _SHOWN and value is not None:
        return _SHOWN[field_name](value)
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


def _step_line(step) -> str:
    """A step as the spec says it, ids without their system: `web -> orders "pay" (writes
    payments, atomic)` (what the diff compares and shows)."""
    said = [*(f"reads {w}" for w in step.reads), *(f"writes {w}" for w in step.writes),
            *(word for word, on in (("atomic", step.atomic), ("async", step.is_async),
                                    ("optional", step.optional)) if on),
            *([f"compensate {step.compensate}"] if step.compensate else []),
            *([f"latency {format_ms(step.latency_ms)}"] if step.latency_ms is not None else [])]
    label = f' "{step.label}"' if step.label else ""
    return f"{step.arrow}{label}" + (f" ({', '.join(said)})" if said else "")


def _flow_changes(base, head) -> tuple[list[str], list[str], list[Change]]:
    """Flows added, removed, and for those in both, the steps added and removed (in order) and
    a changed target or start."""
    before = {f.qid: f for s in base.systems for f in s.flows}
    after = {f.qid: f for s in head.systems for f in s.flows}
    changed = []
    for qid in sorted(before.keys() & after.keys()):
        old, new = before[qid], after[qid]
        for name, field_name in (("latency", "latency_ms"), ("from", "start")):
            was, now = getattr(old, field_name), getattr(new, field_name)
            if was != now:
                show = format_ms if name == "latency" else str
                changed.append(Change(qid, name, None if was is None else show(was), None if now is None else show(now)))
        old_lines, new_lines = [_step_line(s) for s in old.steps], [_step_line(s) for s in new.steps]
        changed += [Change(qid, "step removed", line, None) for line in old_lines if line not in new_lines]
        changed += [Change(qid, "step added", None, line) for line in new_lines if line not in old_lines]
    return sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys()), changed


def diff_workspaces(base, head) -> ArchDiff:
    """The architectural change from `base` to `head` (loaded workspaces)."""
    out = ArchDiff()
    before, after = _components(base), _components(head)
    for qid in sorted(after.keys() - before.keys()):
        c = after[qid]
        out.added.append(ComponentEntry(qid, c.label, c.effective_state))
    for qid in sorted(before.keys() - after.keys()):
        c = before[qid]
        out.removed.append(ComponentEntry(qid, c.label, c.effective_state))
    for qid in sorted(before.keys() & after.keys()):
        for attr, name in FIELDS:
            old, new = _show(attr, before[qid]), _show(attr, after[qid])
            if old != new:
                out.changed.append(Change(qid, name, old, new))
    rel_before, rel_after = _relations(base), _relations(head)
    out.relations_added = sorted(_relation_line(k, rel_after[k]) for k in rel_after.keys() - rel_before.keys())
    out.relations_removed = sorted(_relation_line(k, rel_before[k]) for k in rel_before.keys() - rel_after.keys())
    for key in sorted(rel_before.keys() & rel_after.keys()):
        for name in RELATION_FIELDS:
            old, new = _relation_value(rel_before[key], name), _relation_value(rel_after[key], name)
            if old != new:
                out.relations_changed.append(Change(key, name.removesuffix("_ms").removeprefix("is_"), old, new))
    dec_before, dec_after = _decisions(base), _decisions(head)
    out.decisions_added = [DecisionEntry(q, dec_after[q].title, dec_after[q].status)
                           for q in sorted(dec_after.keys() - dec_before.keys())]
    out.decisions_removed = [DecisionEntry(q, dec_before[q].title, dec_before[q].status)
                             for q in sorted(dec_before.keys() - dec_after.keys())]
    out.decisions_changed = [Change(q, "status", dec_before[q].status, dec_after[q].status)
                             for q in sorted(dec_before.keys() & dec_after.keys())
                             if dec_before[q].status != dec_after[q].status]
    out.flows_added, out.flows_removed, out.flows_changed = _flow_changes(base, head)
    old_findings, _ = check_workspace(base)
    new_findings, _ = check_workspace(head)
    old_keys = Counter(baseline_key(f) for f in old_findings)
    new_keys = Counter(baseline_key(f) for f in new_findings)
    fresh, gone = new_keys - old_keys, old_keys - new_keys
    out.new_findings = partition_known(new_findings, fresh)[0]
    out.fixed_findings = partition_known(old_findings, gone)[0]
    out.picture = change_picture(out, base, head, rel_before, rel_after)
    out.constraints_added, out.constraints_removed, out.constraints_changed = constraint_changes(base, head, Change)
    allows_before, allows_after = _allows(base), _allows(head)
    out.allows_added = sorted(allows_after - allows_before)
    out.allows_removed = sorted(allows_before - allows_after)
    for system in head.systems:
        old_system = base.system(system.id)
        share = stateless_share(system)
        old_share = stateless_share(old_system) if old_system else None
        out.shares[system.id] = ShareChange(None if old_share is None else _round(old_share.percent),
                                            _round(share.percent), share.benchmark)
    return out


def _allows(workspace) -> set[tuple[str, str, str]]:
    return {(key, a.code, a.reason) for key, allows in allow_index(workspace).items() for a in allows}


def _round(value):
    return None if value is None else round(value, 1)


# ---------------------------------------------------------------- Markdown


def to_markdown(d: ArchDiff) -> str:
    """The diff as Markdown for a pull-request comment: spec text `defused` (no mentions, no
    autolinks) besides escaped."""
    if d.empty:
        return "## Architecture diff\n\nNo architectural change.\n"
    sections = (_md_state_changes, _md_shares, _md_picture, _md_components, _md_relations, _md_decisions,
                _md_flows, _md_checks, _md_findings)
    return "".join(["## Architecture diff\n\n", "**" + " · ".join(_md_summary(d)) + "**\n\n",
                    *(section(d) for section in sections)])


def _md_summary(d: ArchDiff) -> list[str]:
    parts = []
    if d.added or d.removed or d.changed:
        states = sum(1 for ch in d.changed if ch.field == "state")
        parts.append(f"{plural(len(d.added), 'component')} added, {len(d.removed)} removed, "
                     f"{len({ch.id for ch in d.changed})} changed" + (f" ({states} changed state)" if states else ""))
    if d.relations_moved:
        parts.append(f"{plural(len(d.relations_added), 'relation')} added, "
                     f"{len(d.relations_removed)} removed, {len({c.id for c in d.relations_changed})} changed")
    if d.decisions_moved:
        parts.append(f"{plural(len(d.decisions_added), 'decision')} added, "
                     f"{len(d.decisions_changed)} changed status")
    if d.flows_moved:
        parts.append(f"{plural(len(d.flows_added), 'flow')} added, {len(d.flows_removed)} removed, "
                     f"{len({c.id for c in d.flows_changed})} changed")
    if d.constraints_added or d.constraints_removed or d.constraints_changed:
        parts.append(f"{plural(len(d.constraints_added), 'constraint')} added, {len(d.constraints_removed)} "
                     f"removed, {len({c.id for c in d.constraints_changed})} changed")
    parts.append(f"{plural(len(d.new_findings), 'new finding')}, {len(d.fixed_findings)} fixed")
    return parts


def _md_state_changes(d: ArchDiff) -> str:
    changes = [ch for ch in d.changed if ch.field == "state"]
    if not changes:
        return ""
    rows = "".join(f"| {code(ch.id)} | {ch.before or 'unknown'} | **{ch.after or 'unknown'}** |\n" for ch in changes)
    return "### ⚠️ State changes\n\n| Component | Before | After |\n|---|---|---|\n" + rows + "\n"


def _md_shares(d: ArchDiff) -> str:
    moved = {s: v for s, v in d.shares.items() if v.before != v.after}
    if not moved:
        return ""
    return "Stateless share: " + "; ".join(
        f"{code(s)} {_pct(v.before)} → **{_pct(v.after)}**"
        + (f" (benchmark ~{v.benchmark}%)" if v.benchmark is not None else "")
        for s, v in sorted(moved.items())) + "\n\n"


def _md_picture(d: ArchDiff) -> str:
    if not d.picture.source:
        return ""
    left_out = (" " + d.picture.left_out) if d.picture.left_out else ""
    return (f"### The change\n\n```mermaid\n{d.picture.source}```\n\n<sub>{KEY}.{left_out}</sub>\n\n")


def _md_components(d: ArchDiff) -> str:
    if not (d.added or d.removed or d.changed):
        return ""
    out = ["### Components\n\n| | Component | Change |\n|---|---|---|\n"]
    out += [f"| added | {code(e.id)} {defused(e.title)} | {e.state or 'unknown'} |\n" for e in d.added]
    out += [f"| removed | {code(e.id)} {defused(e.title)} | was {e.state or 'unknown'} |\n" for e in d.removed]
    out += [f"| changed | {code(ch.id)} | {ch.field}: {defused(_plain(ch.before))} → {defused(_plain(ch.after))} |\n"
            for ch in d.changed if ch.field != "state"]
    return "".join(out) + "\n"


def _md_relations(d: ArchDiff) -> str:
    if not d.relations_moved:
        return ""
    out = ["### Relations\n\n"]
    out += [f"- added {code(r)}\n" for r in d.relations_added]
    out += [f"- removed {code(r)}\n" for r in d.relations_removed]
    out += [f"- changed {code(c.id)}: {c.field} {defused(_plain(c.before))} → {defused(_plain(c.after))}\n"
            for c in d.relations_changed]
    return "".join(out) + "\n"


def _md_decisions(d: ArchDiff) -> str:
    if not d.decisions_moved:
        return ""
    out = ["### Decisions\n\n"]
    out += [f"- added {code(x.id)} {defused(x.title)} ({x.status})\n" for x in d.decisions_added]
    out += [f"- removed {code(x.id)} {defused(x.title)}\n" for x in d.decisions_removed]
    out += [f"- {code(x.id)}: {x.before} → **{x.after}**\n" for x in d.decisions_changed]
    return "".join(out) + "\n"


def _md_flows(d: ArchDiff) -> str:
    if not d.flows_moved:
        return ""
    out = ["### Flows\n\n"]
    out += [f"- added {code(q)}\n" for q in d.flows_added]
    out += [f"- removed {code(q)}\n" for q in d.flows_removed]
    for c in d.flows_changed:
        if c.field in ("step added", "step removed"):
            out.append(f"- {code(c.id)}: {c.field} {code(str(c.after if c.after is not None else c.before))}\n")
        else:
            out.append(f"- {code(c.id)}: {c.field} {defused(_plain(c.before))} → {defused(_plain(c.after))}\n")
    return "".join(out) + "\n"


def _md_checks(d: ArchDiff) -> str:
    if not d.checks_moved:
        return ""
    out = ["### ⚙️ How this change is checked\n\n"
           "This change alters what is reported: read these before its findings.\n\n"]
    out += [f"- adds {code('allow ' + c)} on {code(e)}: {defused(r)}\n" for e, c, r in d.allows_added]
    out += [f"- removes {code('allow ' + c)} on {code(e)}: {defused(r)}\n" for e, c, r in d.allows_removed]
    out += [f"- changes `[tool.archdsl]` of {code(f)}: {code(json.dumps(b, sort_keys=True))} → "
            f"{code(json.dumps(a, sort_keys=True))}\n" for f, b, a in d.settings]
    out += [f"- adds constraint {code(c.split(': ', 1)[0])}: {defused(c.split(': ', 1)[1])}\n" for c in d.constraints_added]
    out += [f"- removes constraint {code(c.split(': ', 1)[0])}: {defused(c.split(': ', 1)[1])}\n"
            for c in d.constraints_removed]
    for c in d.constraints_changed:
        what = code(str(c.after if c.after is not None else c.before)) if c.field.startswith(
            ("statement", "now", "no longer")) else f"{defused(_plain(c.before))} → {defused(_plain(c.after))}"
        out.append(f"- constraint {code(c.id)}: {c.field} {what}\n")
    return "".join(out) + "\n"


def _md_findings(d: ArchDiff) -> str:
    if not (d.new_findings or d.fixed_findings):
        return ""
    out = ["### Findings\n\n"]
    if d.new_findings:
        out.append("| | Rule | Where | Finding |\n|---|---|---|---|\n")
        out += [f"| {f.severity.value} | {f.code} {f.name} | {defused(f.span.file)}:{f.span.line} "
                f"| {defused(f.message)} |\n" for f in d.new_findings]
        out.append("\n")
    if d.fixed_findings:
        out.append("Fixed:\n\n" + "".join(f"- ~~{f.code} {defused(f.message)}~~\n" for f in d.fixed_findings))
        out.append("\n")
    return "".join(out)


def _plain(value) -> str:
    return "—" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _pct(value) -> str:
    return "—" if value is None else f"{value:g}%"


def diff_git(rev: str, paths: list[Path]) -> ArchDiff:
    with tempfile.TemporaryDirectory(prefix="archdsl-base-") as tmp:
        base = load_many(snapshot(rev, paths, Path(tmp)))
        out = diff_workspaces(base, load_many(paths))
    out.settings = _settings_changes(rev, paths)
    return out


def _settings_changes(rev: str, paths: list[Path]) -> list[tuple[str, dict, dict]]:
    """Each pyproject.toml whose `[tool.archdsl]` the change makes different from `rev`'s."""
    changes = []
    for path in dict.fromkeys(paths):
        found = settings_at(rev, path)
        before = settings_table(found[1], found[0]) if found else {}
        here = find_pyproject(path)
        after = settings_table(read_text_file(here, "cannot read settings"), str(here)) if here else {}
        if before != after:
            where = str(here) if here else (found[0].split(":", 1)[1] if found else "pyproject.toml")
            changes.append((where, before, after))
    return changes
