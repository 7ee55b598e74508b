"""DM501: a declared state contradicts the decision matrix."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.matrix import explain
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class MatrixDisagreement(Rule):
    """The declared state contradicts what the decision matrix recommends.

    **What it does**
    Scores the component's requirements on the framework's eight-row decision matrix
    (connection, latency, data access, scale, team, deployment, failure handling,
    sessions; see `archdsl recommend`) and reports a declared `state stateless` or
    `state stateful` that disagrees with the result. Components whose requirements give
    the matrix nothing to go on are left alone; a `justification` is published beside the
    finding but does not silence it (use `allow DM501 "…"`).

    **Why is this bad?**
    The matrix brings every criterion together into one recommendation (framework § The
    decision matrix). A declaration against it is either a missing requirement in the spec
    or a decision that needs its reasons written down.

    **Example**
    ```arch
    system game {
      component match {
        state stateless
        connection udp
        latency 5ms
      }
    }
    ```

    **Use instead**
    ```arch
    system game {
      component match {
        state stateful
        connection udp
        latency 5ms
      }
    }
    ```
    """

    code = "DM501"
    name = "matrix-disagreement"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            if c.state not in ("stateless", "stateful"):
                continue
            rec = ctx.recommendations[c.qid]
            if rec.informed and rec.recommended != c.state:
                yield self.finding(
                    c,
                    f"'{c.id}' is declared {c.state}, but the decision matrix recommends"
                    f" {rec.recommended}: {explain(rec)}",
                    f"declare it {rec.recommended}, correct its requirements, or record why"
                    f" with `allow DM501 \"…\"`",
                    span=c.span_of("state"),
                )
