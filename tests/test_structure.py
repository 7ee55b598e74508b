"""The house's structure holds: the pipeline's layers import one way, and the words the
highlighter knows are the words the parser accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archdsl.lexer import ArchLexer
from archdsl.parsing.build import ATTRS, CHILDREN
from pygments.token import Keyword, Name

REPO = Path(__file__).resolve().parent.parent


def test_layers_import_one_way():
    """import-linter's `layers` contract in pyproject.toml: a module imports only the layers below."""
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "The pipeline goes one way KEPT" in done.stdout


def test_every_keyword_of_the_parser_is_highlighted():
    words = {w for table in ATTRS.values() for w in table} | {w for ws in CHILDREN.values() for w in ws} - {"->"}
    lexer = ArchLexer()
    for word in sorted(words):
        [(token, text), *_] = [t for t in lexer.get_tokens(f"{word} x") if t[1].strip()]
        assert text == word and (token in Keyword or token is Name.Attribute), (word, token)
