"""The house's structure holds: the pipeline's layers import one way, and the words the
highlighter knows are the words the parser accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archdsl.lexer import ArchLexer
from archdsl.parsing.statements import ATTRS, CHILDREN
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


def test_mypy_finds_nothing():
    """The package is typed (py.typed) and mypy, with the settings in pyproject.toml, agrees."""
    mypy = Path(sys.executable).parent / "mypy"
    done = subprocess.run([str(mypy)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "Success: no issues found" in done.stdout
    assert (REPO / "archdsl" / "py.typed").is_file()


def test_a_reader_that_leaves_ends_the_command_as_sigpipe_would(tmp_path):
    (tmp_path / "a.arch").write_text("system s {\n" + "".join(
        f"  component c{i} {{ state stateless; latency 500us }}\n" for i in range(3000)) + "}\n")
    child = subprocess.Popen([sys.executable, "-m", "archdsl", "check", "a.arch"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    child.stdout.close()  # the reader leaves before the report is written (`… | head -c 10`)
    err = child.stderr.read()
    assert child.wait(timeout=120) == 141, err
    assert "Traceback" not in err and "internal error" not in err


def test_one_name_for_each_structure_code():
    from archdsl.diagnostics import STRUCTURE
    from archdsl.rules import all_rules

    documented = {r.code: r.name for r in all_rules() if r.code.startswith("AD")}
    assert documented == STRUCTURE
