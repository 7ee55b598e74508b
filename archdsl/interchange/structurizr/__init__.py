"""Structurizr DSL to a spec and back.

Reading (`reading.py`): the statements models use — `workspace`, `model`, `views`, people,
software systems, containers, components, groups, relationships (with `this` and implied
sources), `!identifiers hierarchical`, `!include` of files and folders inside the workspace's
folder, `!constant`/`!const`/`!var`, archetypes, `!ref`/`!extend`, properties, `!adrs` folders
(adr-tools' Markdown) and dynamic views. Deployment, styles, themes, other views, `!docs`,
perspectives and scripts or plugins (never run) have no place in the language: each is listed,
with its line, at the top of the spec. Writing (`writing.py`): a workspace with a system
landscape, each system's containers, relationships with technology, decisions as ADR documents,
and archdsl's facts as a property, which reading takes back.
"""
