"""What a change does to the team's own constraints: added, removed, and for those in both, a
new title or severity, statements added or removed, and systems it now holds for or no longer."""

from __future__ import annotations


def constraint_key(constraint) -> str:
    """A constraint as a change names it: `system/id`, or `file/id` for a shared policy."""
    return f"{constraint.system or constraint.file}/{constraint.id}"


def constraint_changes(base, head, change) -> tuple[list[str], list[str], list]:
    """(added, removed, changed) between two workspaces; `change(id, field, before, after)`
    makes each entry of `changed`."""
    before = {constraint_key(c): c for c in base.constraints()}
    after = {constraint_key(c): c for c in head.constraints()}
    added = [f"{k}: {after[k].title or after[k].id}" for k in sorted(after.keys() - before.keys())]
    removed = [f"{k}: {before[k].title or before[k].id}" for k in sorted(before.keys() - after.keys())]
    changed = []
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        for name in ("title", "severity"):
            if getattr(old, name) != getattr(new, name):
                changed.append(change(key, name, getattr(old, name), getattr(new, name)))
        old_lines, new_lines = [c.text for c in old.clauses], [c.text for c in new.clauses]
        changed += [change(key, "statement removed", line, None) for line in old_lines if line not in new_lines]
        changed += [change(key, "statement added", None, line) for line in new_lines if line not in old_lines]
        for sid in sorted(set(new.applies_to) - set(old.applies_to)):
            changed.append(change(key, "now holds for", None, sid))
        for sid in sorted(set(old.applies_to) - set(new.applies_to)):
            changed.append(change(key, "no longer holds for", sid, None))
    return added, removed, changed
