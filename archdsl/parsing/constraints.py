"""`constraint` blocks to the policy model (`archdsl.policy`), every part checked: an unknown
statement, selector kind, attribute or operator, or a value of the wrong type, is a finding with
its place and a "did you mean", never a constraint that is silently true.

    forbid A -> B        only A -> B        require A { ATTR [OP VALUE]; … }
    max fan-out N for A  max fan-in N for A  no cycles among A

A selector is terms joined by `&` (and) and `,` (or), then optionally `unless` and another
selector: `layer:gateway, kind:cdn unless tag:legacy`.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import nodes, policy, vocabulary
from ..diagnostics import Span, did_you_mean
from .parser import Stmt, Value
from .statements import COMPONENT, CONSTRAINT
from .values import Invalid, count, duration, percent, replicas

# Values a selector term may take, where the language has a closed set.
TERM_VALUES = {
    "kind": tuple(sorted(set(vocabulary.COMPONENT_KINDS) | set(vocabulary.ACTOR_KINDS))),
    "state": vocabulary.STATES,
}
ORDERED = (count, percent, duration, replicas)  # attributes that `>=`, `<=`, `>`, `<` compare
NUMBERED = {"replicas": "the fewest instances it runs"}  # how a range is compared


class ConstraintBuilder:
    """Builds the constraints of one file, reporting through `report(code, message, span, hint)`."""

    def __init__(self, file: str, report: Callable[..., None]):
        self.file = file
        self.report = report

    def constraint(self, stmt: Stmt, system: str | None, header) -> policy.Constraint | None:
        cid, title, ok = header(stmt)
        if not ok:
            return None
        fields: dict = {}
        spans: dict = {"id": stmt.values[0].span}
        clauses, wrong = [], False
        for child in stmt.block or []:
            attr = CONSTRAINT.get(child.keyword)
            if attr is not None:
                wrong = not self._attribute(child, attr, fields, spans) or wrong
                continue
            try:
                clauses.append(self.clause(child))
            except Invalid as exc:
                self.report("AD108", exc.message, exc.span, exc.hint)
                wrong = True
        if not clauses and not wrong:
            self.report("AD108", f"constraint '{cid}' says nothing", stmt.span,
                        "add a statement: forbid A -> B, only A -> B, require A { … }, "
                        "max fan-out N for A, no cycles among A")
        return nodes.trusted(policy.Constraint, id=cid, title=title, file=self.file, system=system, span=stmt.span,
                       spans=spans, clauses=clauses, applies_to=[system] if system else [], **fields)

    def _attribute(self, stmt: Stmt, attr, fields: dict, spans: dict) -> bool:
        """Set one attribute (severity, description); False when it was reported instead."""
        try:
            value = attr.read(stmt)
        except Invalid as exc:
            self.report("AD108", exc.message, exc.span, exc.hint)
            return False
        if attr.field in fields:
            self.report("AD108", f"'{stmt.keyword}' is set twice (first on line {spans[attr.field].line})",
                        stmt.span, "keep one of them", related=(spans[attr.field],))
            return False
        fields[attr.field], spans[attr.field] = value, stmt.span
        return True

    # -- statements

    def clause(self, stmt: Stmt) -> policy.Clause:
        text = _written(stmt)
        verb = stmt.keyword
        if verb in ("forbid", "only"):
            left, right = self._sides(stmt)
            if stmt.block is not None:
                raise Invalid(f"'{verb}' takes no block", stmt.block_span or stmt.span, "remove the { … }")
            return self._make(stmt, verb, self.selector(left, stmt), target=self.selector(right, stmt), text=text)
        if verb == "require":
            if stmt.block is None:
                raise Invalid("'require' needs a block of attributes", stmt.span,
                              "write: require kind:database { replication >= 2; owner }")
            requirements = [self.requirement(s) for s in stmt.block]
            text = f"require {' '.join(v.text for v in stmt.values)} {{ {'; '.join(r.text for r in requirements)} }}"
            return self._make(stmt, verb, self.selector(stmt.values, stmt), text=text, requirements=requirements)
        if verb == "max":
            return self._fan(stmt, text)
        if verb == "no":
            words = stmt.values[:2]
            if [v.value for v in words if v.kind == "name"] != ["cycles", "among"]:
                raise Invalid("write 'no cycles among' and a selector", stmt.span,
                              "write: no cycles among layer:services")
            return self._make(stmt, "cycles", self.selector(stmt.values[2:], stmt), text=text)
        raise Invalid(f"unknown statement '{verb}' in a constraint", stmt.keyword_span,
                      did_you_mean(verb, [*policy.VERBS, *CONSTRAINT]))

    def _make(self, stmt: Stmt, verb: str, subject: policy.Selector, **data) -> policy.Clause:
        return nodes.trusted(policy.Clause, verb=verb, subject=subject, span=stmt.span, **data)

    def _sides(self, stmt: Stmt) -> tuple[list[Value], list[Value]]:
        """The selectors left and right of the arrow."""
        if stmt.source is not None and stmt.target is not None:  # `forbid web -> db`
            return [stmt.source], [stmt.target, *stmt.values]
        arrows = [i for i, v in enumerate(stmt.values) if v.kind == "op" and v.value == "->"]
        if len(arrows) != 1:
            raise Invalid(f"'{stmt.keyword}' needs one '->' between two selectors", stmt.span,
                          f"write: {stmt.keyword} layer:edge -> layer:data")
        return stmt.values[: arrows[0]], stmt.values[arrows[0] + 1:]

    def _fan(self, stmt: Stmt, text: str) -> policy.Clause:
        values = stmt.values
        shape_ok = (len(values) >= 4 and values[0].kind == "name" and values[0].value in ("fan-out", "fan-in")
                    and values[2].kind == "name" and values[2].value == "for")
        if not shape_ok:
            raise Invalid("write 'max fan-out N for' or 'max fan-in N for' and a selector", stmt.span,
                          "write: max fan-out 8 for layer:services")
        if values[1].kind != "number" or not isinstance(values[1].value, int) or values[1].value < 0:
            raise Invalid(f"the most a fan may be is a whole number, not '{values[1].text}'", values[1].span,
                          f"write: max {values[0].value} 8 for …")
        return self._make(stmt, values[0].value, self.selector(values[3:], stmt), limit=values[1].value,
                          text=text)

    # -- selectors

    def selector(self, values: list[Value], stmt: Stmt) -> policy.Selector:
        """`a & b, c unless d`: groups of terms, then what `unless` takes away."""
        if not values:
            raise Invalid(f"'{stmt.keyword}' needs a selector", stmt.span,
                          "a selector is an id, layer:ID, kind:K, tag:T, state:S, system:ID, actor or *")
        cut = next((i for i, v in enumerate(values) if v.kind == "name" and v.value == "unless"), None)
        own, rest = (values, []) if cut is None else (values[:cut], values[cut + 1:])
        if cut is not None and not rest:
            raise Invalid("'unless' needs a selector after it", values[cut].span, "write: … unless tag:legacy")
        if not own:
            raise Invalid("a selector comes before 'unless'", values[0].span, "write: * unless tag:legacy")
        groups: list[list[policy.Term]] = [[]]
        expect_term = True
        for value in _flattened(own):
            if value is None:  # a comma: a new group
                groups.append([])
                expect_term = True
            elif value.kind == "op" and value.value == "&":
                if expect_term:
                    raise Invalid("'&' joins two terms", value.span, "write: layer:api & tag:pci")
                expect_term = True
            else:
                if not expect_term:
                    raise Invalid(f"'{value.text}' follows a term without '&' or ','", value.span,
                                  "join terms with '&' (both) or ',' (either): layer:api & tag:pci")
                groups[-1].append(self.term(value))
                expect_term = False
        if expect_term:
            raise Invalid("a selector ends with '&'", own[-1].span, "write: layer:api & tag:pci")
        span = Span(own[0].span.file, own[0].span.line, own[0].span.column,
                    values[-1].span.end_line, values[-1].span.end_column)
        return nodes.trusted(policy.Selector, groups=groups, unless=self.selector(rest, stmt) if rest else None,
                       text=" ".join(v.text for v in values), span=span)

    def term(self, value: Value) -> policy.Term:
        if value.kind == "op" and value.value == "*":
            return nodes.trusted(policy.Term, kind="any", span=value.span)
        if value.kind == "name":
            if value.value == "actor":
                return nodes.trusted(policy.Term, kind="actor", span=value.span)
            return nodes.trusted(policy.Term, kind="id", value=value.value, span=value.span)
        if value.kind == "scoped":
            scope, word = value.value
            if scope not in policy.SCOPES:
                raise Invalid(f"unknown selector '{scope}:'", value.span, did_you_mean(scope, policy.SCOPES))
            choices = TERM_VALUES.get(scope)
            if choices is not None and word not in choices:
                raise Invalid(f"unknown {scope} '{word}'", value.span, did_you_mean(word, choices))
            return nodes.trusted(policy.Term, kind=scope, value=word, span=value.span)
        raise Invalid(f"'{value.text}' is no selector", value.span,
                      "a selector is an id, layer:ID, kind:K, tag:T, state:S, system:ID, actor or *")

    # -- require

    def requirement(self, stmt: Stmt) -> policy.Requirement:
        attr = COMPONENT.get(stmt.keyword)
        if attr is None:
            raise Invalid(f"unknown attribute '{stmt.keyword}' in a require block", stmt.keyword_span,
                          did_you_mean(stmt.keyword, COMPONENT))
        text = _written(stmt)
        if stmt.block is not None or stmt.source is not None:
            raise Invalid(f"write '{stmt.keyword}' alone, or with an operator and a value", stmt.span,
                          f"write: {stmt.keyword}, or {stmt.keyword} >= 2")
        if not stmt.values:  # is set
            return nodes.trusted(policy.Requirement, attribute=stmt.keyword, field=attr.field, text=text, span=stmt.span)
        op = stmt.values[0]
        if op.kind != "op" or op.value not in policy.COMPARISONS:
            raise Invalid(f"'{stmt.keyword}' is compared with an operator: {', '.join(policy.COMPARISONS)}",
                          op.span, f"write: {stmt.keyword} >= …, or {stmt.keyword} alone (it is set)")
        if op.value not in ("=", "!=") and attr.read not in ORDERED:
            raise Invalid(f"'{op.value}' does not apply to {stmt.keyword}, which is not a number", op.span,
                          f"write: {stmt.keyword} = …, or {stmt.keyword} != …")
        single_value = Stmt(keyword=stmt.keyword, keyword_span=stmt.keyword_span, values=stmt.values[1:],
                            span=stmt.span)
        value = attr.read(single_value)  # the attribute's own reader: the same types, the same errors
        if attr.read is replicas:
            value = value.min
        return nodes.trusted(policy.Requirement, attribute=stmt.keyword, field=attr.field, op=op.value, value=value,
                       text=text, span=stmt.span)


def _flattened(values: list[Value]) -> list[Value | None]:
    """Values with each list opened into its items, None where a comma stood."""
    out: list[Value | None] = []
    for value in values:
        if value.kind == "list":
            for index, item in enumerate(value.value):
                if index:
                    out.append(None)
                out.append(item)
        else:
            out.append(value)
    return out


def _written(stmt: Stmt) -> str:
    """A statement as it reads on one line (for hints): `forbid layer:edge -> layer:data`."""
    if stmt.source is not None and stmt.target is not None:
        parts = [stmt.keyword, stmt.source.text, "->", stmt.target.text, *(v.text for v in stmt.values)]
    else:
        parts = [stmt.keyword, *(v.text for v in stmt.values)]
    return " ".join(parts) + (" { … }" if stmt.block is not None else "")


# -- references, once every file is loaded


def check_constraints(shared: list[policy.Constraint], systems: list, report: Callable[..., None]) -> None:
    """Report what a system's constraint names that does not exist (an element id, a layer, a
    system), and two constraints with one id in one place: a selector that can never match would
    make its constraint silently true. Nothing is indexed for a spec without constraints."""
    every = [*shared, *(c for s in systems for c in s.constraints)]
    if not every:
        return
    by_id = {s.id: s for s in systems}
    elements = {e.qid for s in systems for e in (*s.components, *s.actors)}
    seen: dict[tuple, policy.Constraint] = {}
    for constraint in every:
        place = (constraint.system or "", constraint.file if constraint.system is None else "")
        first = seen.setdefault((*place, constraint.id), constraint)
        if first is not constraint:
            report("AD102", f"duplicate constraint id '{constraint.id}' (first at {first.span_of('id')})",
                   constraint.span_of("id"), "give each constraint its own id", related=(first.span_of("id"),))
        if constraint.system is None or constraint.system not in by_id:
            # a shared policy covers systems of different shapes: a layer one of them lacks is
            # no mistake there (its kinds, states and statements were checked as it was built)
            continue
        for term in _terms(constraint):
            _check_term(term, constraint, by_id[constraint.system], by_id, elements, report)


def _terms(constraint: policy.Constraint):
    for clause in constraint.clauses:
        for selector in (clause.subject, clause.target):
            while selector is not None:
                for group in selector.groups:
                    yield from group
                selector = selector.unless


def _check_term(term: policy.Term, constraint, system, by_id, elements, report) -> None:
    """Report a term of `system`'s own constraint that names nothing in the workspace."""
    where = f"in constraint '{constraint.id}'"
    if term.kind == "id":
        if system.qualify(term.value) not in elements:
            known = {e.id for e in (*system.components, *system.actors)}
            report("AD101", f"unknown element '{term.value}' {where}", term.span, did_you_mean(term.value, known))
    elif term.kind == "layer":
        if system.layer(term.value) is None:
            report("AD101", f"no layer '{term.value}' in '{system.id}' {where}", term.span,
                   did_you_mean(term.value, {layer.id for layer in system.layers}))
    elif term.kind == "system" and term.value not in by_id:
        report("AD101", f"unknown system '{term.value}' {where}", term.span, did_you_mean(term.value, by_id))
