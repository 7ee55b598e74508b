"""The documentation site: pages as pure functions (the pages package, a module per kind of
page), the plan of a whole site with its diagrams (plan.py), the MkDocs plugin (plugin.py) and
the atomic `site build` (build.py)."""
