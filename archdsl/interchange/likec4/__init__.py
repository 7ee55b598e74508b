"""LikeC4 to a spec and back.

Reading (`reading.py`): a `.c4` file or a project folder (every `.c4` and `.likec4` file in it,
inside it only): the `specification` (element kinds, their notation and shape, tags,
relationship kinds), the `model` (elements in both forms, `name = kind 'title'` and `kind name`,
nested elements, `title`/`description`/`summary`/`technology` with or without `:`, `#tags`,
`link`, `metadata`, relationships `->`, `-[kind]->` and `.kind` with their title, description,
technology and tags, implied sources inside an element, `this`/`it`, `extend`) and dynamic
views. What an element is comes from its kind's name, notation and shape: people (`shape
person`), groupings (an `enterprise`, a `boundary`, a `group`: their names become groups),
software systems (the top level, or a kind named like one), then containers and components
below. Deployment, other views, styles, `global` and imports have no place in the language: each
is listed, with its file and line, at the top of the spec. Writing (`writing.py`): a
specification of the kinds the spec uses, the model (components nested where `part-of:` says),
a view per system, per `view` block and per flow, and archdsl's facts as metadata."""
