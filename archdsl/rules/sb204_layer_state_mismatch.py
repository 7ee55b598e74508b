"""SB204: a component's declared state contradicts its layer."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from .base import Context, Rule


class LayerStateMismatch(Rule):
    """A component declares a state that contradicts its layer's.

    **What it does**
    Reports a stateful component in a stateless layer (edge, gateway, compute, or any
    layer with `state stateless`), and a stateless one in a stateful layer.

    **Why is this bad?**
    The hybrid template keeps state in its own layers so that the rest can scale freely
    (framework § The hybrid default). A stateful component hidden in a stateless layer gets
    the stateless layer's deployment, scaling and load balancing, and breaks under it.

    **Example**
    ```arch
    system shop {
      layer api { kind compute
        component carts { state stateful; connection websocket; justification "live cart" }
      }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      layer realtime { kind realtime
        component carts { state stateful; connection websocket; justification "live cart" }
      }
    }
    ```
    """

    code = "SB204"
    name = "layer-state-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            layers = {layer.id: layer for layer in system.layers}
            for c in system.components:
                layer = layers.get(c.layer or "")
                if layer is None or c.state is None:
                    continue
                expected = layer.default_state
                if {c.state, expected} == {"stateful", "stateless"}:
                    yield self.finding(
                        c,
                        f"'{c.id}' is {c.state} in layer '{layer.id}', whose components are {expected}",
                        f"move it to a {c.state} layer, or change the layer's state",
                        span=c.span_of("state"),
                    )
