"""Reasoning over the model and the graph, one module an idea:

- `states`: each component's effective state (declared, its layer's, else recommended), set on
  the systems while they are loaded, before the workspace that holds them exists;
- `matrix`: the decision matrix's recommendation for a component, and why;
- `copies`: where user data and sessions live, and which stores hold the only copy;
- `latency`: the slowest synchronous path from each entry point, and call cycles;
- `availability`: the composed availability of each entry point's worst route;
- `ratio`: the stateless share of a system;
- `checklist`: the framework's checklist answered for a system.

All but `states` are pure: they read the model and return plain data, computed once per check
(`rules.Context`); rules and renderers turn it into findings, tables and pages.
"""
