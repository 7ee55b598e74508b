"""Pure functions over the model and the graph: the decision matrix, latency paths,
composed availability, the stateless share and the checklist.

Each analysis reads the model and returns plain data; rules and renderers turn it
into findings, tables and pages.
"""
