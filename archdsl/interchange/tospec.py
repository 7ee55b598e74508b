"""A model read from another tool (`foreign.Model`) written as a spec.

- A software system with containers is a system; its containers and their components are its
  components (a component keeps its container as a `part-of:` tag), its groups its layers.
- A model of software systems only (a landscape) is one system whose components are those
  software systems, its groups the layers.
- Otherwise a software system with no containers is an outside party: an actor of kind `system`
  in each system that talks to it; people are actors of the systems they use.
- A relationship drawn to a whole system that has parts is kept as a comment naming it (its
  parts carry the relations); one between two outside parties too.
- Decision records are decisions of the system they belong to (affecting the element they were
  declared in); dynamic views flows, each step over a relation the spec has (a reply, which goes
  back along a relation, is a comment).
- What the source cannot know is a TODO: each component's state, each system's targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..vocabulary import DECISION_STATUSES
from .facts import (
    component_lines,
    kind_of,
    latency_lines,
    layer_of,
    layers,
    relation_parts,
    step_parts,
    system_lines,
)
from .foreign import (
    PERSON,
    SYSTEM,
    Element,
    Imported,
    Link,
    Model,
    Picture,
    Record,
    Story,
)
from .spectext import comment, ident, quoted

# words in an element's tags, technology or kind that say what archdsl kind it is, first match wins
KIND_WORDS = (
    ("cache", r"\b(cache|redis|memcached?|hazelcast|varnish)\b"),
    ("stream", r"\b(kafka|kinesis|event ?hub|stream|topic|pulsar)\b"),
    ("queue", r"\b(queue|rabbit ?mq|sqs|activemq|service ?bus|message ?broker|nats)\b"),
    ("search", r"\b(elastic ?search|open ?search|solr|search index)\b"),
    ("object-store", r"\b(s3|blob|bucket|object ?store|file ?store)\b"),
    ("database", r"\b(database|db|datastore|data ?store|sql|postgres(ql)?|mysql|oracle|mongo(db)?|"
                 r"cassandra|dynamo(db)?|cosmos ?db|mariadb|sqlite|schema|storage)\b"),
    ("frontend", r"\b(web ?browser|single.page|spa|mobile|web ?app|webapp|frontend|front.end|angular|react|"
                 r"vue|xamarin|ios|android|browser)\b"),
    ("cdn", r"\b(cdn|cloud ?front)\b"),
    ("load-balancer", r"\b(load ?balancer|elb|alb|haproxy)\b"),
    ("gateway", r"\b(api ?gateway|gateway)\b"),
    ("identity", r"\b(identity|keycloak|ldap|active ?directory|oauth|auth0|okta)\b"),
    ("function", r"\b(lambda|azure functions?|cloud functions?|serverless function)\b"),
    ("scheduler", r"\b(scheduler|cron)\b"),
    ("worker", r"\b(worker|consumer|batch job)\b"),
)
PROTOCOLS = (("grpc", r"\bgrpc\b"), ("websocket", r"\bweb ?sockets?\b"), ("https", r"\bhttps\b"),
             ("http", r"\bhttp\b"), ("sql", r"\b(sql|jdbc|odbc)\b"), ("amqp", r"\bamqp\b"),
             ("kafka", r"\bkafka\b"), ("smtp", r"\bsmtp\b"), ("tcp", r"\btcp\b"))
OUTSIDE_WORDS = re.compile(r"\b(external|existing|third.party|outside|legacy)\b", re.I)
# the tags a Structurizr export gives a kind (it draws a "Database" as a cylinder); it says so in
# the fact `drawn_as`, and an import drops that tag again
KIND_TAGS = {"database": "Database", "object-store": "Database", "queue": "Queue", "stream": "Queue",
             "frontend": "Web Browser"}
PLAIN_TAGS = {"element", "person", "software system", "container", "component", "relationship", "group"}


def guess_kind(element: Element) -> str:
    """The archdsl kind the source's tags, kind word and technology say, else `service`."""
    words = " ".join([*element.tags, element.kind, element.technology, element.name]).lower()
    for kind, pattern in KIND_WORDS:
        if re.search(pattern, words):
            return kind
    return "service"


def protocol_of(technology: str) -> str:
    low = technology.lower()
    return next((name for name, pattern in PROTOCOLS if re.search(pattern, low)), "")


@dataclass
class _Place:
    """Where an element of the model went: a component of a system, an actor, or a system."""

    what: str  # "component", "actor", "system"
    id: str
    system: _System | None = None


@dataclass
class _System:
    id: str
    name: str
    element: Element | None
    components: list[Element] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)  # model keys, in order of first use
    actor_keys: set[str] = field(default_factory=set)
    relations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    edges: set[tuple[str, str]] = field(default_factory=set)  # (source ref, target ref) written here
    taken: set[str] = field(default_factory=set)  # the ids of its components, decisions and flows

    def admit(self, key: str) -> None:
        """An actor stands in this system (once, in order of first use)."""
        if key not in self.actor_keys:
            self.actor_keys.add(key)
            self.actors.append(key)


class SpecWriter:
    def __init__(self, model: Model):
        self.model = model
        self.system_ids: set[str] = set()
        self.places: dict[str, _Place] = {}
        self.systems: list[_System] = []
        self.counts = {"components": 0, "relations": 0, "states": 0, "targets": 0}

    def spec(self) -> Imported:
        self._place()
        for link in self.model.links:
            self._link(link)
        for record in self.model.records:
            self._record(record)
        for story in self.model.stories:
            self._story(story)
        for picture in self.model.pictures:
            self._picture(picture)
        used = {key for system in self.systems for key in system.actor_keys}
        for key, place in self.places.items():  # an outside party no relation names: still kept
            if place.what == "actor" and key not in used:
                self.systems[0].admit(key)
        body = [self._system(s) for s in self.systems]
        c, m = self.counts, self.model
        head = [f"// Imported from {m.tool} ({m.source}): {c['components']} components, {c['relations']} relations; "
                f"{c['states']} states and {c['targets']} system targets to fill in (TODO comments)."]
        if m.skipped:
            head.append(f"// Not imported ({len(m.skipped)}: no place in the language):")
            head += [comment(f"- {line}") for line in m.skipped]
        text = "\n".join([*head, "", *body]) + "\n"
        # lazy: the formatter writes the spec as every other spec is written
        from ..fmt import format_source

        return Imported(format_source(text, "import.arch"), c["components"], c["relations"], c["states"],
                        c["targets"], len(m.skipped), m.read)

    # -- where each element goes

    def _place(self) -> None:
        elements = list(self.model.elements.values())
        holders = [e for e in elements if e.level == SYSTEM and self.model.children(e.key)]
        if holders:
            for holder in holders:
                system = self._new_system(holder.key, holder.name, holder)
                self.places[holder.key] = _Place("system", system.id, system)
                for part in self._parts(holder.key):
                    self._component(system, part)
        else:  # a landscape: one system of software systems
            name = self.model.name or Path(self.model.source).stem
            system = self._new_system(name.lower(), name, None)
            for e in elements:
                if e.level != PERSON:
                    self._component(system, e)
        # an actor may stand in any system: its id is none of any system's components
        taken = {place.id for place in self.places.values() if place.what == "component"}
        for e in elements:
            if e.key not in self.places:
                self.places[e.key] = _Place("actor", ident(_local(e.key), taken))

    def _parts(self, key: str) -> list[Element]:
        out = []
        for child in self.model.children(key):
            out.append(child)
            out += self._parts(child.key)
        return out

    def _new_system(self, key: str, name: str, element: Element | None) -> _System:
        system = _System(ident(_local(key), self.system_ids), name, element)
        self.systems.append(system)
        return system

    def _component(self, system: _System, element: Element) -> None:
        self.places[element.key] = _Place("component", ident(_local(element.key), system.taken), system)
        system.components.append(element)

    # -- relations

    def _end(self, key: str, system: _System) -> str:
        """How an element is named from inside `system`, an actor standing in it from then on."""
        if self.places[key].what == "actor":
            system.admit(key)
        return self._ref(key, system)

    def _link(self, link: Link) -> None:
        source, target = self.places.get(link.source), self.places.get(link.target)
        words = f'{link.source} -> {link.target}{f" {quoted(link.description)}" if link.description else ""}'
        if source is None or target is None:
            self.systems[0].notes.append(f"{link.where}: {words}: an end that is not an element")
            return
        whole = next((p for p in (target, source) if p.what == "system"), None)
        if whole is not None:
            home = next((p.system for p in (source, target) if p.system is not None), whole.system)
            home.notes.append(f"{link.where}: {words}: drawn to the whole system {whole.id} "  # type: ignore[union-attr]
                              "(the relations of its parts are kept)")
            return
        home = source.system or target.system
        if home is None:
            self.systems[0].notes.append(f"{link.where}: {words}: between two outside parties")
            return
        ref_source, ref_target = self._end(link.source, home), self._end(link.target, home)
        if ref_source == ref_target:
            home.notes.append(f"{link.where}: {words}: an element to itself")
            return
        home.edges.add((ref_source, ref_target))
        self.counts["relations"] += 1
        home.relations.append(self._relation(link, ref_source, ref_target))

    def _relation(self, link: Link, source: str, target: str) -> str:
        label = f" {quoted(link.description)}" if link.description else ""
        inner = relation_parts(link.facts)
        if not link.facts:  # an archdsl export says its protocol and tech in its facts
            protocol = protocol_of(link.technology)
            inner += [f"protocol {protocol}"] if protocol else []
            inner += [f"tech {quoted(link.technology)}"] if link.technology else []
            said = {t.lower() for t in link.tags}
            inner += [word for word in ("async", "optional", "background")
                      if word in said or (word == "async" and "asynchronous" in said)]
        tags = [t for t in link.tags if t.lower() not in PLAIN_TAGS and not (link.facts and t == "Asynchronous")]
        if tags:
            inner.append("tags " + ", ".join(quoted(t) for t in tags))
        block = f" {{ {'; '.join(inner)} }}" if inner else ""
        return f"{source} -> {target}{label}{block}"

    # -- decisions and flows

    def _home(self, *keys: str | None) -> _System:
        """The system of the first of `keys` that stands in one, else the first system."""
        for key in keys:
            place = self.places.get(key) if key else None
            if place is not None and place.system is not None:
                return place.system
        return self.systems[0]

    def _record(self, record: Record) -> None:
        home = self._home(record.scope)
        place = self.places.get(record.scope) if record.scope else None
        out = [f"decision {ident(record.key, home.taken)} {quoted(record.title)} {{"]
        status = record.status.split()[0].lower() if record.status else ""
        if status in DECISION_STATUSES:
            out.append(f"  status {status}")
        elif record.status:
            out.append(f"  {comment(f'status {record.status}')}")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", record.date):
            out.append(f"  date {record.date}")
        known = {self.places[k].id for k in (*home.actors, *(c.key for c in home.components))}
        affected = [a for a in record.affects if a in known]
        if place is not None and place.what == "component" and place.id not in affected:
            affected.insert(0, place.id)
        if affected:
            out.append(f"  affects {', '.join(affected)}")
        for key in record.supersedes:
            out.append(f"  supersedes {key}")
        for part in ("context", "decision", "consequences"):
            text = getattr(record, part).strip()
            if text:
                out.append(f"  {part} {_markdown(text)}")
        out.append(f"  {comment(f'from {record.source}')}")
        out.append("}")
        home.decisions.append("\n".join(out))

    def _story(self, story: Story) -> None:
        # its system: its scope's, else that of the first component a step names (a flow an
        # actor starts is scoped by that actor in LikeC4)
        home = self._home(story.scope, *(key for step in story.steps for key in step[:2]))
        facts = story.facts if isinstance(story.facts, dict) else {}
        raw = facts.get("steps")
        step_facts = raw if isinstance(raw, list) and len(raw) == len(story.steps) else [{}] * len(story.steps)
        steps: list[str | list[str]] = []
        notes: list[str] = []
        groups: dict[int, list[str]] = {}
        for step, found in zip(story.steps, step_facts):
            written = self._step(step, found if isinstance(found, dict) else {}, home)
            group = found.get("group") if isinstance(found, dict) else None
            if written.startswith("//"):
                notes.append(written)
            elif isinstance(group, int):  # a parallel group, filled in as it goes
                if group not in groups:
                    groups[group] = []
                    steps.append(groups[group])
                groups[group].append(written)
            else:
                steps.append(written)
        if not steps:
            home.notes.append(f"line {story.line}: dynamic view {quoted(story.title)}: no step over a relation")
            return
        home.flows.append(self._flow(story, facts, steps, notes, home))

    def _picture(self, picture: Picture) -> None:
        """A view of the elements of one system, named one by one (the way an export writes an
        archdsl view); anything else is said in a comment."""
        places = [self.places.get(key) for key in picture.include]
        systems = {p.system.id for p in places if p is not None and p.system is not None}
        home = self._home(picture.scope)
        if None in places or len(systems) > 1 or (systems and home.id not in systems):
            home.notes.append(f"line {picture.line}: view {quoted(picture.title)}: its elements are in no one system")
            return
        names = ", ".join(dict.fromkeys(self._end(key, home) for key in picture.include))
        view_id = ident(picture.key.removeprefix(f"{home.id}-"), home.taken)
        home.views.append(f"view {view_id} {quoted(picture.title)} {{ include {names} }}")

    def _step(self, step: tuple[str, str, str, int], found: dict, home: _System) -> str:
        """A step over a relation the spec has, or a comment saying why it is none."""
        source, target, words, line = step
        ends = [self.places.get(source), self.places.get(target)]
        refs = (self._ref(source, home), self._ref(target, home)) if all(ends) else None
        label = f" {quoted(words)}" if words else ""
        if refs is None or refs not in home.edges:
            why = "a reply, along a relation the other way" if refs and refs[::-1] in home.edges else \
                "over no relation of the spec"
            return comment(f"line {line}: {source} -> {target}{label}: {why}")
        inner = step_parts(found)
        return f"step {refs[0]} -> {refs[1]}{label}" + (f" {{ {'; '.join(inner)} }}" if inner else "")

    def _flow(self, story: Story, facts: dict, steps: list[str | list[str]], notes: list[str], home: _System) -> str:
        first = steps[0] if isinstance(steps[0], str) else steps[0][0]
        named = facts.get("from")
        known = {place.id for place in self.places.values()}
        start = named if isinstance(named, str) and named in known else first.split()[1]
        out = [f"flow {ident(story.key, home.taken)} {quoted(story.title)} {{", f"  from {start}"]
        out += [f"  {line}" for line in latency_lines(facts)]
        for item in steps:
            out += [f"  {item}"] if isinstance(item, str) else ["  parallel {", *(f"    {one}" for one in item), "  }"]
        out += [f"  {line}" for line in notes]
        out.append("}")
        return "\n".join(out)

    def _ref(self, key: str, system: _System) -> str:
        """How an element is named from inside `system`: another system's component qualified."""
        place = self.places[key]
        if place.what != "component" or place.system is system:
            return place.id
        return f"{place.system.id}.{place.id}"  # type: ignore[union-attr]

    # -- writing

    def _system(self, system: _System) -> str:
        e = system.element
        facts = e.facts if e else {}
        out = [f"system {system.id} {quoted(system.name)} {{"]
        description = e.description if e else self.model.description
        if description:
            out.append(f"  description {quoted(description)}")
        out += [f"  {line}" for line in system_lines(facts)]
        if not facts:
            out.append("  // TODO(sla, latency): the availability and latency its users are promised")
            self.counts["targets"] += 1
        if e is not None:
            out += self._described(e, "  ", _grouped(e))
        out += [f"  {comment(n)}" for n in system.notes]
        for key in system.actors:
            out.append(self._actor(self.model.elements[key]))
        out += self._layers(system, facts)
        out += [f"  {line}" for line in system.relations]
        out += [f"  {view}" for view in system.views]
        out += ["\n".join("  " + line for line in text.splitlines()) for text in system.decisions + system.flows]
        out.append("}")
        return "\n".join(out)

    def _layers(self, system: _System, facts: dict) -> list[str]:
        """Its components, in their layers (an export's layer, else the group they were in)."""
        by_layer: dict[str, list[Element]] = {}
        for element in system.components:
            by_layer.setdefault(layer_of(element.facts) or element.group, []).append(element)
        known = layers(facts)
        out = []
        for layer, members in by_layer.items():
            inner = [self._element(m, system) for m in members]
            if not layer:
                out += inner
                continue
            kind, title, state = known.get(layer, ("custom", layer, None))
            layer_id = layer if layer in known else ident(layer.lower(), set())  # a group's name made an id
            out.append(f"  layer {layer_id} {quoted(title)} {{\n    kind {kind}" + (f"\n    state {state}" if state else ""))
            out += ["\n".join("  " + line for line in text.splitlines()) for text in inner]
            out.append("  }")
        return out

    def _actor(self, e: Element) -> str:
        kind = "person" if e.level == PERSON else "system"
        inner = [f"kind {kind}"] + [line.strip() for line in self._described(e, "", _grouped(e))]
        if e.description:
            inner.insert(1, f"description {quoted(e.description)}")
        return f"  actor {self.places[e.key].id} {quoted(e.name)} {{\n" + "\n".join(
            f"    {line}" for line in inner) + "\n  }"

    def _element(self, e: Element, system: _System) -> str:
        self.counts["components"] += 1
        kind = kind_of(e.facts) or self._kind(e)
        out = [f"  component {self.places[e.key].id} {quoted(e.name)} {{", f"    kind {kind}"]
        if e.description:
            out.append(f"    description {quoted(e.description)}")
        if e.technology and not e.facts:  # an archdsl export says its tech in its facts
            out.append(f"    tech {quoted(e.technology)}")
        out += [f"    {line}" for line in component_lines(e.facts)]
        if not e.facts:  # (an archdsl export's facts say the state where the spec said it)
            out.append("    // TODO(state): stateless or stateful? what does it keep, and where?")
            self.counts["states"] += 1
        parent = self.places.get(e.parent) if e.parent else None
        part_of = [f"part-of:{parent.id}"] if parent is not None and parent.what == "component" else []
        out += self._described(e, "    ", part_of)
        out.append("  }")
        return "\n".join(out)

    def _kind(self, e: Element) -> str:
        if e.level == SYSTEM and OUTSIDE_WORDS.search(" ".join(e.tags)):
            return "external"
        return guess_kind(e)

    def _described(self, e: Element, indent: str, extra: list[str] | None = None) -> list[str]:
        out = []
        if e.link.startswith(("http://", "https://")):
            out.append(f"{indent}link {quoted(e.link)}")
        added = e.facts.get("drawn_as")  # the tag a Structurizr export added to draw its kind
        tags = [t for t in e.tags if t.lower() not in PLAIN_TAGS and t != added] + [
            f"{k}={v}" for k, v in e.properties.items()] + (extra or [])
        if tags:
            out.append(f"{indent}tags " + ", ".join(quoted(t) for t in dict.fromkeys(tags)))
        out += [f"{indent}{comment(n)}" for n in e.notes]
        return out


def _grouped(e: Element) -> list[str]:
    """The group of an element that is no component (which has a layer for it), as a tag."""
    return [f"group:{e.group}"] if e.group else []


def _local(key: str) -> str:
    """The last part of a hierarchical key (`system.api` is `api`)."""
    return key.rsplit(".", 1)[-1]


def _markdown(text: str) -> str:
    """Markdown as a multi-line string of the language (no text can end it early)."""
    if '"""' in text or "\\" in text:
        return quoted(text)
    return '"""\n' + text + '\n"""'


def write_spec(model: Model) -> Imported:
    """The spec of a model read from another tool."""
    return SpecWriter(model).spec()

