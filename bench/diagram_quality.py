"""How readable the diagrams are, read from the SVG geometry Graphviz wrote.

    python bench/diagram_quality.py [--why] [SPEC_OR_FOLDER …]   # default: specs/ (real-world/ in it)

For every view of every system it prints, per diagram:
- overlaps: pairs of text boxes (node and edge labels) that overlap;
- crossed: labels that a line crosses (an edge other than the label's own);
- far: edge labels whose centre lies more than 40 px from their own line;
- width × height in pixels.

The geometry is read by archdsl.render.labels (which also slides clashing edge labels clear as
every SVG is drawn): text boxes are estimated from the font size and the number of characters
(Helvetica averages about 0.5 em a character), lines are the edges' Bézier curves sampled at 12
points each. An estimate: it counts what a reader would see as clashes, give or take a near miss.
`--why` names each clash on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(paths: list[str], why: bool = False) -> None:
    sys.path.insert(0, str(REPO))
    import archdsl
    from archdsl.errors import SpecError
    from archdsl.render import render
    from archdsl.render.labels import Quality, measure, problems
    from archdsl.render.views import view_names

    specs = []
    for path in paths or [str(REPO / "specs")]:
        found = Path(path)
        specs += sorted(found.rglob("*.arch")) if found.is_dir() else [found]
    rows = []
    totals = Quality(0, 0, 0, 0, 0)
    for spec in specs:
        try:
            workspace = archdsl.load(spec)
        except SpecError:
            continue
        for system in workspace.systems:
            if system.file != workspace.files[0] and len(workspace.files) > 1 and spec.name not in system.file:
                continue  # an imported system is measured with its own file
            for view in view_names(system):
                svg = render(workspace, system, view, "svg")
                q = measure(svg)
                if why:
                    for problem in problems(svg):
                        print(f"{spec.name} {view}: {problem}", file=sys.stderr)
                rows.append((f"{spec.relative_to(REPO) if spec.is_relative_to(REPO) else spec}", view, q))
                totals.overlaps += q.overlaps
                totals.crossed += q.crossed
                totals.far += q.far
    print("| spec | view | overlapping labels | crossed labels | labels far from their line | size (px) |")
    print("|---|---|---|---|---|---|")
    for spec, view, q in rows:
        print(f"| {spec} | {view} | {q.overlaps} | {q.crossed} | {q.far} | {q.width:.0f} × {q.height:.0f} |")
    widest = max((q.width for _, _, q in rows), default=0)
    print(f"\n{len(rows)} diagrams: {totals.overlaps} overlapping label pairs, {totals.crossed} crossed labels, "
          f"{totals.far} labels far from their line; widest {widest:.0f} px.")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main([a for a in arguments if a != "--why"], why="--why" in arguments)
