"""Generic statements to typed models, validating every attribute and value.

The grammar accepts any `keyword values… { block }`; this module decides what
each keyword means where it stands.  Every problem becomes a finding (AD107 for
an unknown attribute, AD108 for a bad value) and building goes on, so a user
sees all of a file's mistakes at once.
"""

from __future__ import annotations

import re

from .. import model
from ..diagnostics import Finding, Span, did_you_mean, structure_finding
from .constraints import ConstraintBuilder
from .parser import Stmt
from .statements import ATTRS, CHILDREN
from .values import (
    Invalid,
    items,
    ref,
    single,
)

_CODE = re.compile(r"^[A-Z]{2}[0-9]{3}$")


# ---------------------------------------------------------------- the builder


class Builder:
    """Builds the systems of one file; collects findings instead of stopping."""

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []
        self.imports: list[tuple[str, Span]] = []
        self.policies: list = []  # constraints at the top of the file: shared with the files importing it
        self.constraints = ConstraintBuilder(file, self.report)

    # -- reporting

    def report(self, code: str, message: str, span: Span, hint: str = "", **extra) -> None:
        self.findings.append(structure_finding(code, message, span, hint, **extra))

    def invalid(self, exc: Invalid) -> None:
        self.report("AD108", exc.message, exc.span, exc.hint)

    def unknown(self, stmt: Stmt, context: str) -> None:
        known = set(ATTRS[context]) | set(CHILDREN[context])
        known.discard("->")
        homes = sorted(c for c in ATTRS if stmt.keyword in ATTRS[c] or stmt.keyword in CHILDREN[c])
        where = "at the top of a file" if context == "file" else f"in a {context}"
        if stmt.keyword == "->":
            self.report("AD107", f"a relation cannot stand {where}", stmt.span,
                        "write relations in the system block")
            return
        hint = did_you_mean(stmt.keyword, known)
        if homes and not hint.startswith("did you mean"):
            hint = f"'{stmt.keyword}' belongs in a {' or '.join(homes)} block"
        self.report("AD107", f"unknown attribute '{stmt.keyword}' {where}", stmt.keyword_span, hint)

    # -- generic helpers

    def header(self, stmt: Stmt, *, needs_title: bool = False) -> tuple[str, str, bool]:
        """`KEYWORD id ["Title"]`: the id, the title, and whether it was well formed."""
        values = stmt.values
        if not values or values[0].kind != "name" or "." in values[0].value:
            span = values[0].span if values else stmt.span
            self.report("AD108", f"'{stmt.keyword}' needs an id", span,
                        f'write: {stmt.keyword} my-id "Title" {{ … }}')
            return "", "", False
        title = ""
        if len(values) > 1:
            if values[1].kind not in ("string",) or len(values) > 2:
                bad = values[1] if values[1].kind != "string" else values[2]
                self.report("AD108", f"unexpected '{bad.text}' after the {stmt.keyword} id", bad.span,
                            f'write: {stmt.keyword} {values[0].value} "Title" {{ … }}')
            else:
                title = values[1].value
        return values[0].value, title, True

    def named_header(self, stmt: Stmt) -> str | None:
        """`option "name" { … }`, `phase "name" { … }`."""
        if len(stmt.values) != 1 or stmt.values[0].kind != "string":
            span = stmt.values[0].span if stmt.values else stmt.span
            self.report("AD108", f"'{stmt.keyword}' needs a name in quotes", span,
                        f'write: {stmt.keyword} "name" {{ … }}')
            return None
        return stmt.values[0].value

    def fill(self, context: str, stmt: Stmt, fields: dict, spans: dict) -> bool:
        """Apply an attribute statement to `fields`; False when it is not an attribute here."""
        attr = ATTRS[context].get(stmt.keyword)
        if attr is None:
            return False
        if stmt.block is not None:
            self.report("AD107", f"'{stmt.keyword}' takes no block", stmt.block_span or stmt.span,
                        "remove the { … }")
            return True
        try:
            value = attr.read(stmt)
        except Invalid as exc:
            self.invalid(exc)
            return True
        if attr.repeat:
            fields.setdefault(attr.field, []).extend(value)
        elif attr.field in fields:
            first = spans[attr.field]
            self.report("AD108", f"'{stmt.keyword}' is set twice (first on line {first.line})",
                        stmt.span, "keep one of them", related=(first,))
            return True
        elif stmt.keyword == "growth" and value == "fixed":
            fields["growth_fixed"] = True
        else:
            fields[attr.field] = value
        spans.setdefault(attr.field, stmt.span)
        return True

    def allow(self, stmt: Stmt) -> model.Allow | None:
        values = stmt.values
        if not values or values[0].kind != "name" or not _CODE.match(values[0].value):
            span = values[0].span if values else stmt.span
            self.report("AD108", "'allow' needs a rule code", span, 'write: allow SB201 "reason"')
            return None
        if len(values) < 2 or values[1].kind not in ("string", "mlstring") or not values[1].value.strip():
            self.report("AD108", f"'allow {values[0].value}' needs a reason", stmt.span,
                        f'write: allow {values[0].value} "why this is acceptable here"')
            return None
        return model.trusted(model.Allow, code=values[0].value, reason=values[1].value, span=stmt.span)

    def walk(self, context: str, stmts: list[Stmt], fields: dict, spans: dict, child) -> None:
        """Attributes into `fields`; other statements to `child(stmt)`, which says if it knew them."""
        for stmt in stmts:
            if self.fill(context, stmt, fields, spans):
                continue
            if stmt.keyword == "allow" and "allow" in CHILDREN[context]:
                found = self.allow(stmt)
                if found:
                    fields.setdefault("allows", []).append(found)
                continue
            if stmt.keyword in CHILDREN[context] and child(stmt):
                continue
            self.unknown(stmt, context)

    def make(self, cls, **data):
        return model.trusted(cls, **data)

    # -- the file

    def file_body(self, stmts: list[Stmt]) -> list[model.System]:
        systems = []
        for stmt in stmts:
            if stmt.keyword == "import":
                try:
                    path = single(stmt, "a path in quotes", ("string",))
                    self.imports.append((path.value, path.span))
                except Invalid as exc:
                    self.invalid(exc)
            elif stmt.keyword == "system":
                system = self.system(stmt)
                if system:
                    systems.append(system)
            elif stmt.keyword == "constraint":
                self._append(self.policies, self.constraints.constraint(stmt, None, self.header))
            else:
                self.unknown(stmt, "file")
        return systems

    # -- blocks

    def system(self, stmt: Stmt) -> model.System | None:
        sid, title, ok = self.header(stmt)
        if not ok:
            return None
        fields: dict = {}
        spans: dict = {"id": stmt.values[0].span}
        parts: dict[str, list] = {k: [] for k in ("actors", "layers", "components", "relations",
                                                  "decisions", "migrations", "views", "flows", "constraints")}

        def child(s: Stmt) -> bool:
            if s.keyword == "actor":
                self._append(parts["actors"], self.actor(s, sid))
            elif s.keyword == "layer":
                layer = self.layer(s, sid, parts)
                self._append(parts["layers"], layer)
            elif s.keyword == "component":
                self._append(parts["components"], self.component(s, sid, None))
            elif s.keyword == "->":
                self._append(parts["relations"], self.relation(s, sid))
            elif s.keyword == "decision":
                self._append(parts["decisions"], self.decision(s, sid))
            elif s.keyword == "migration":
                self._append(parts["migrations"], self.migration(s, sid))
            elif s.keyword == "view":
                self._append(parts["views"], self.view(s, sid))
            elif s.keyword == "flow":
                self._append(parts["flows"], self.flow(s, sid))
            elif s.keyword == "constraint":
                self._append(parts["constraints"], self.constraints.constraint(s, sid, self.header))
            return True

        self.walk("system", stmt.block or [], fields, spans, child)
        return self.make(
            model.System, id=sid, qid=sid, system=sid, title=title, file=self.file, span=stmt.span,
            spans=spans, **fields, **parts,
        )

    @staticmethod
    def _append(target: list, item) -> None:
        if item is not None:
            target.append(item)

    def _element(self, cls, context: str, stmt: Stmt, system: str, child=None, **extra):
        eid, title, ok = self.header(stmt)
        if not ok:
            return None
        fields: dict = {}
        spans: dict = {"id": stmt.values[0].span}
        self.walk(context, stmt.block or [], fields, spans, child or (lambda s: False))
        return self.make(
            cls, id=eid, qid=f"{system}.{eid}", system=system, title=title, span=stmt.span,
            spans=spans, **fields, **extra,
        )

    def actor(self, stmt: Stmt, system: str) -> model.Actor | None:
        return self._element(model.Actor, "actor", stmt, system)

    def layer(self, stmt: Stmt, system: str, parts: dict) -> model.Layer | None:
        members: list[str] = []
        layer_id = stmt.values[0].value if stmt.values and stmt.values[0].kind == "name" else None

        def child(s: Stmt) -> bool:
            if s.keyword == "component":
                component = self.component(s, system, layer_id)
                if component:
                    parts["components"].append(component)
                    members.append(component.qid)
            elif s.keyword == "->":
                self._append(parts["relations"], self.relation(s, system))
            return True

        return self._element(model.Layer, "layer", stmt, system, child, components=members)

    def component(self, stmt: Stmt, system: str, layer: str | None) -> model.Component | None:
        keeps: list[model.Keep] = []
        peers: list[model.Peer] = []

        def child(s: Stmt) -> bool:
            if s.keyword == "peers":
                self._append(peers, self.peer(s))
            else:
                self._append(keeps, self.keep(s))
            return True

        return self._element(model.Component, "component", stmt, system, child, layer=layer, keeps=keeps,
                             peers=peers)

    def peer(self, stmt: Stmt) -> model.Peer | None:
        """`peers ["LABEL"] { protocol P; latency D; description "…" }`."""
        values = stmt.values
        if len(values) > 1 or (values and values[0].kind != "string"):
            bad = values[0] if values[0].kind != "string" else values[1]
            self.report("AD108", f"unexpected '{bad.text}' in 'peers'", bad.span,
                        'write: peers "gossip" { protocol tcp; latency 2ms }')
            return None
        fields: dict = {}
        spans: dict = {}
        self.walk("peers", stmt.block or [], fields, spans, lambda s: False)
        return self.make(model.Peer, label=values[0].value if values else "", span=stmt.span, spans=spans,
                         **fields)

    def keep(self, stmt: Stmt) -> model.Keep | None:
        """`keeps "WHAT" [as KIND] in WHERE [ttl D]`."""
        v = list(stmt.values)
        kind = None
        if len(v) >= 3 and v[1].kind == "name" and v[1].value == "as":
            kind = v[2]
            del v[1:3]
        if not _keeps_shape(v):
            self.report("AD108", "malformed 'keeps'", stmt.span,
                        'write: keeps "WHAT" [as KIND] in WHERE [ttl DURATION], WHERE being local-memory,'
                        ' local-disk or a component')
            return None
        if kind is not None and (kind.kind != "name" or kind.value not in model.KEEP_KINDS):
            self.report("AD108", f"unknown kind of state '{kind.text}'", kind.span,
                        did_you_mean(str(kind.value), model.KEEP_KINDS))
            return None
        ttl = v[4].value if len(v) == 5 else None
        if ttl is not None and ttl <= 0:
            self.report("AD108", f"ttl {v[4].text} must be above zero", v[4].span)
            return None
        spans = {"where": v[2].span}
        if kind is not None:
            spans["kind"] = kind.span
        # Without `as`: a ttl says it is derived and expires (a cache); otherwise assume the
        # costly case, data users gave us (the language reference, "keeps").
        kind_name = kind.value if kind is not None else ("cache" if ttl is not None else "user-data")
        return model.trusted(model.Keep, what=v[0].value, kind=kind_name, where=v[2].value, ttl_ms=ttl, span=stmt.span,
                         spans=spans)

    def label(self, stmt: Stmt, what: str, hint: str) -> str:
        """The one string after `a -> b` (a relation's or a step's label); anything else there is
        reported and the label left empty."""
        if not stmt.values:
            return ""
        first = stmt.values[0]
        if first.kind == "string" and len(stmt.values) == 1:
            return first.value
        bad = first if first.kind != "string" else stmt.values[1]
        self.report("AD108", f"unexpected '{bad.text}' in {what}", bad.span, hint)
        return ""

    def relation(self, stmt: Stmt, system: str) -> model.Relation | None:
        label = self.label(stmt, "a relation", 'write: a -> b "label" { protocol https; latency 5ms }')
        fields: dict = {}
        spans: dict = {}
        self.walk("relation", stmt.block or [], fields, spans, lambda s: False)
        assert stmt.source and stmt.target
        return self.make(
            model.Relation, system=system, source=stmt.source.value, target=stmt.target.value,
            source_span=stmt.source.span, target_span=stmt.target.span, label=label,
            span=stmt.span, spans=spans, **fields,
        )

    def decision(self, stmt: Stmt, system: str) -> model.Decision | None:
        affects: list[str] = []
        affects_spans: list[Span] = []
        options: list[model.Option] = []
        extra: dict = {}

        def child(s: Stmt) -> bool:
            try:
                if s.keyword == "affects":
                    for item in items(s, ("name",)):
                        affects.append(item.value)
                        affects_spans.append(item.span)
                elif s.keyword == "supersedes":
                    value = ref(s)
                    extra["supersedes"] = value.value
                    extra["supersedes_span"] = value.span
                elif s.keyword == "option":
                    self._append(options, self.option(s))
            except Invalid as exc:
                self.invalid(exc)
            return True

        decision = self._element(model.Decision, "decision", stmt, system, child, affects=affects,
                                 affects_spans=affects_spans, options=options)
        if decision and "supersedes" in extra:
            decision.supersedes = extra["supersedes"]
            decision.spans["supersedes"] = extra["supersedes_span"]
        return decision

    def option(self, stmt: Stmt) -> model.Option | None:
        name = self.named_header(stmt)
        if name is None:
            return None
        fields: dict = {}
        spans: dict = {}
        self.walk("option", stmt.block or [], fields, spans, lambda s: False)
        return self.make(model.Option, name=name, span=stmt.span, spans=spans, **fields)

    def migration(self, stmt: Stmt, system: str) -> model.Migration | None:
        phases: list[model.Phase] = []
        ends: dict = {}

        def child(s: Stmt) -> bool:
            if s.keyword == "phase":
                self._append(phases, self.phase(s))
                return True
            try:
                value = ref(s)
            except Invalid as exc:
                self.invalid(exc)
                return True
            if s.keyword in ends:
                self.report("AD108", f"'{s.keyword}' is set twice", s.span, "keep one of them")
            ends[s.keyword] = value
            return True

        migration = self._element(model.Migration, "migration", stmt, system, child, phases=phases)
        if migration:
            for key, attr in (("from", "source"), ("to", "target")):
                if key in ends:
                    setattr(migration, attr, ends[key].value)
                    migration.spans[attr] = ends[key].span
        return migration

    def phase(self, stmt: Stmt) -> model.Phase | None:
        name = self.named_header(stmt)
        if name is None:
            return None
        fields: dict = {}
        spans: dict = {}
        self.walk("phase", stmt.block or [], fields, spans, lambda s: False)
        return self.make(model.Phase, name=name, span=stmt.span, spans=spans, **fields)

    def flow(self, stmt: Stmt, system: str) -> model.Flow | None:
        """`flow ID "title" { from A; latency D; step a -> b …; parallel { step …; step … } }`."""
        steps: list[model.Step] = []
        start: list = []
        groups = [0]

        def child(s: Stmt) -> bool:
            if s.keyword == "step":
                self._append(steps, self.step(s, None))
            elif s.keyword == "parallel":
                self._parallel(s, steps, groups)
            else:  # from
                try:
                    value = ref(s)
                except Invalid as exc:
                    self.invalid(exc)
                    return True
                if start:
                    self.report("AD108", "'from' is set twice", s.span, "a flow starts in one place: keep one")
                else:
                    start.append(value)
            return True

        flow = self._element(model.Flow, "flow", stmt, system, child, steps=steps)
        if flow is not None:
            if start:
                flow.start, flow.spans["start"] = start[0].value, start[0].span
            if not steps:
                self.report("AD108", f"flow '{flow.id}' has no steps", flow.span_of("id"),
                            'write its calls in order: step web -> orders "places the order"')
        return flow

    def _parallel(self, stmt: Stmt, steps: list[model.Step], groups: list[int]) -> None:
        """`parallel { step …; step … }`: steps that overlap, numbered as one group."""
        if stmt.values:
            self.report("AD108", f"unexpected '{stmt.values[0].text}' after 'parallel'", stmt.values[0].span,
                        "write: parallel { step a -> b; step a -> c }")
        group = groups[0]
        inner: list[model.Step] = []
        groups[0] += 1

        def child(s: Stmt) -> bool:
            self._append(inner, self.step(s, group))
            return True

        self.walk("parallel", stmt.block or [], {}, {}, child)
        if len(inner) < 2:
            self.report("AD108", "a parallel group needs two steps or more", stmt.span,
                        "steps that do not overlap are written one after the other, outside 'parallel'")
        steps.extend(inner)

    def step(self, stmt: Stmt, group: int | None) -> model.Step | None:
        """`step a -> b ["label"] { reads …; writes …; atomic; compensate "…"; async; … }`."""
        if stmt.source is None or stmt.target is None:
            self.report("AD108", "a step follows a relation: write its two ends", stmt.span,
                        'write: step web -> orders "places the order"')
            return None
        label = self.label(stmt, "a step", 'write: step a -> b "label" { writes "orders" }')
        fields: dict = {}
        spans: dict = {}
        self.walk("step", stmt.block or [], fields, spans, lambda s: False)
        return self.make(model.Step, source=stmt.source.value, target=stmt.target.value,
                         source_span=stmt.source.span, target_span=stmt.target.span, label=label, group=group,
                         span=stmt.span, spans=spans, **fields)

    def view(self, stmt: Stmt, system: str) -> model.View | None:
        lists: dict[str, list[str]] = {"include": [], "exclude": []}
        spans: dict[str, Span] = {}

        def child(s: Stmt) -> bool:
            try:
                for item in items(s, ("name", "scoped")):
                    if item.kind == "scoped" and item.value[0] != "layer":
                        raise Invalid(f"unknown scope '{item.value[0]}'", item.span,
                                      "write: layer:ID to name every component of a layer")
                    lists[s.keyword].append(item.text)
                    spans[f"{s.keyword}:{item.text}"] = item.span
            except Invalid as exc:
                self.invalid(exc)
            return True

        view = self._element(model.View, "view", stmt, system, child, **lists)
        if view:
            view.spans.update(spans)
        return view


def _keeps_shape(v: list) -> bool:
    """Whether the values of a `keeps` (its `as KIND` taken out) read `"WHAT" in WHERE [ttl D]`."""
    def word(value, expected: str) -> bool:
        return value.kind == "name" and value.value == expected

    if len(v) not in (3, 5) or v[0].kind not in ("string", "mlstring") or not word(v[1], "in") or v[2].kind != "name":
        return False
    return len(v) == 3 or (word(v[3], "ttl") and v[4].kind == "duration")
