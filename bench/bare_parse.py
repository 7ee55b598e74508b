"""The floor the checker is measured against: Lark alone parsing a spec with archdsl's grammar.

    python bench/bare_parse.py SPEC.arch

Imports lark, builds the LALR parser from grammar/arch.lark (no cache) and builds the parse
tree: no model, no graph, no rules.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lark

GRAMMAR = Path(__file__).resolve().parent.parent / "grammar" / "arch.lark"

if __name__ == "__main__":
    parser = lark.Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr")
    parser.parse(Path(sys.argv[1]).read_text(encoding="utf-8"))
