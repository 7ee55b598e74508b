"""The structural findings (AD1xx), reported while a spec loads; documented here."""

from __future__ import annotations

from ..diagnostics import STRUCTURE, Severity
from .base import Rule


class _Structural(Rule):
    loader = True
    severity = Severity.ERROR


class SyntaxError_(_Structural):
    """The text is not valid `.arch`.

    **What it does**
    Reports the first place where the text cannot be read: an unterminated string, an
    unmatched brace, a value that is not one of the value forms, a block opened on the
    next line.

    **Why is this bad?**
    Nothing after a syntax error can be checked, drawn or published.

    **Example**
    ```arch
    system shop {
      component api "API" {
        tech "Go
      }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api "API" {
        tech "Go"
      }
    }
    ```
    """

    code = "AD100"
    name = STRUCTURE[code]


class UnknownReference(_Structural):
    """A relation, `keeps`, migration or view names an element that does not exist.

    **What it does**
    Resolves every reference (`a`, or `system.a` for another system) and reports the
    ones that name nothing, with the closest existing id as a hint.

    **Why is this bad?**
    A relation to nothing silently drops out of every diagram and every analysis: latency
    paths and composed availability would be computed without it.

    **Example**
    ```arch
    system shop {
      component api
      component db { kind database }
      api -> dbb "reads"
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api
      component db { kind database }
      api -> db "reads"
    }
    ```
    """

    code = "AD101"
    name = STRUCTURE[code]


class DuplicateId(_Structural):
    """Two elements of the same namespace share an id.

    **What it does**
    Components and actors share one namespace per system; layers, decisions, migrations
    and views each have their own; system ids are unique in the workspace. Both places
    are shown.

    **Why is this bad?**
    A reference to a duplicated id is ambiguous, and one of the two elements would vanish
    from the graph.

    **Example**
    ```arch
    system shop {
      component api "Public API"
      component api "Admin API"
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api "Public API"
      component admin-api "Admin API"
    }
    ```
    """

    code = "AD102"
    name = STRUCTURE[code]


class ImportCycle(_Structural):
    """Files import each other in a circle.

    **What it does**
    Reports each cycle once, at the import that closes it, with the whole chain.

    **Why is this bad?**
    A cycle means no file can be read first; it usually shows that two files should share
    a third.

    **Example**
    ```arch
    import "example.arch"   // this file imports itself
    system shop { component api }
    ```

    **Use instead**
    ```arch
    system shop { component api }
    ```
    """

    code = "AD103"
    name = STRUCTURE[code]


class ImportOutsideRoot(_Structural):
    """An import or a spec file leaves the spec root, or is not a regular `.arch` file.

    **What it does**
    The spec root is the folder given on the command line (or the folder of the file
    given). An import that resolves outside it, through `..` or a symlink, is refused and
    never read; so is one that names a folder or a file that is not `.arch`.

    **Why is this bad?**
    Specs are checked in pull requests and published on sites: reading files from outside
    the repository would leak them.

    **Example**
    ```arch
    import "../../etc/passwords.arch"
    system shop { component api }
    ```

    **Use instead**
    ```arch
    system shop { component api }
    ```
    """

    code = "AD104"
    name = STRUCTURE[code]


class SelfRelation(_Structural):
    """A relation from an element to itself.

    **What it does**
    Reports `a -> a`.

    **Why is this bad?**
    A component's calls to itself are internal; as a relation they would put a cycle on
    every latency path through it.

    **Example**
    ```arch
    system shop {
      component api
      api -> api "calls itself"
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api
      component db { kind database }
      api -> db "reads"
    }
    ```
    """

    code = "AD105"
    name = STRUCTURE[code]


class NoSystem(_Structural):
    """A file that describes no system and imports nothing.

    **What it does**
    Reports a spec file with only comments in it.

    **Why is this bad?**
    It is most likely a file whose content was lost, or a leftover.

    **Example**
    ```arch
    // the shop, to be written
    ```

    **Use instead**
    ```arch
    system shop { component api }
    ```
    """

    code = "AD106"
    name = STRUCTURE[code]


class UnknownAttribute(_Structural):
    """A keyword that does not belong where it stands.

    **What it does**
    Every block accepts a known set of attributes; anything else is reported with the
    closest known one, or the block where it belongs.

    **Why is this bad?**
    A misspelt attribute silently ignored would be a requirement the checker never sees.

    **Example**
    ```arch
    system shop {
      component api { latncy 100ms }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api { latency 100ms }
    }
    ```
    """

    code = "AD107"
    name = STRUCTURE[code]


class InvalidValue(_Structural):
    """A value of the wrong kind, outside its range, or set twice.

    **What it does**
    Checks each value: enumerations against their words, percentages within 0–100 %,
    replicas at least one, ranges that do not end below their start, calendar dates,
    http(s) links, `allow` with a reason.

    **Why is this bad?**
    An impossible requirement makes every analysis built on it meaningless.

    **Example**
    ```arch
    system shop {
      component api { replicas 20..2; sla 100.5% }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api { replicas 2..20; sla 99.95% }
    }
    ```
    """

    code = "AD108"
    name = STRUCTURE[code]


class UnreadableFile(_Structural):
    """An empty file, a file with a NUL byte, or text that is not UTF-8.

    **What it does**
    Reports the file (and the position of the first bad byte) instead of failing.

    **Why is this bad?**
    An empty or binary spec is usually a mistake: a truncated save or the wrong file.

    **Example**
    ```arch
    ```

    **Use instead**
    ```arch
    system shop { component api }
    ```
    """

    code = "AD109"
    name = STRUCTURE[code]


class MissingImport(_Structural):
    """An import names a file that does not exist.

    **What it does**
    Imports are relative to the importing file.

    **Why is this bad?**
    Everything the missing file describes would be missing from the checks.

    **Example**
    ```arch
    import "shared/not-there.arch"
    system shop { component api }
    ```

    **Use instead**
    ```arch
    system shop { component api }
    ```
    """

    code = "AD110"
    name = STRUCTURE[code]


class EmptySystem(_Structural):
    """A system with no components.

    **What it does**
    Reports a system block that holds no component.

    **Why is this bad?**
    There is nothing to check or draw; the components were probably forgotten.

    **Example**
    ```arch
    system shop "Shop" {
      description "Coming soon"
    }
    ```

    **Use instead**
    ```arch
    system shop "Shop" {
      component api
    }
    ```
    """

    code = "AD111"
    name = STRUCTURE[code]
    severity = Severity.WARNING


class UnusedAllow(_Structural):
    """An `allow` that silences nothing, or names no rule.

    **What it does**
    After the check, every `allow CODE "reason"` that suppressed no finding is reported.

    **Why is this bad?**
    A stale suppression hides the next real finding of that rule on the element, and
    publishes a reason that no longer applies.

    **Example**
    ```arch
    system shop {
      component api { allow SB201 "the cache is tiny" }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api
    }
    ```
    """

    code = "AD112"
    name = STRUCTURE[code]
    severity = Severity.WARNING
    loader = False


class StepWithoutRelation(_Structural):
    """A step of a flow follows no relation of the system.

    **What it does**
    Reports each `step a -> b` of a `flow` when the system has no relation `a -> b`
    (its ends resolved as any reference is).

    **Why is this bad?**
    A flow says in which order the calls the design already has are made for one request;
    a step with no relation is a call the diagrams, the latency budget and the availability
    composition know nothing of, so the flow and the design would disagree.

    **Example**
    ```arch
    system shop {
      component web
      component orders
      flow checkout { step web -> orders "places the order" }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component web
      component orders
      web -> orders
      flow checkout { step web -> orders "places the order" }
    }
    ```
    """

    code = "AD113"
    name = STRUCTURE[code]
