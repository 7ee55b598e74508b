"""The VS Code extension's TextMate grammar (editors/vscode), tokenized as VS Code does it:
vscode-textmate with vscode-oniguruma from npm (scripts/test installs them)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, SPECS
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String

import archdsl
from archdsl.lexer import ArchLexer, main, textmate_grammar

EXTENSION = REPO / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "arch.tmLanguage.json"


def tokenize(files: list[Path]) -> dict[Path, list[tuple[int, int, int, list[str]]]]:
    """TextMate tokens of each file: (line, start, end, scopes), from the real vscode-textmate."""
    node = shutil.which("node")
    assert node, "the editor tests need Node.js (scripts/test installs it)"
    assert (EXTENSION / "node_modules" / "vscode-textmate").is_dir(), \
        "run `npm ci --prefix editors/vscode` (scripts/test does)"
    done = subprocess.run([node, "test/tokenize.js", str(GRAMMAR), *map(str, files)], cwd=EXTENSION,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {Path(name): [tuple(token) for token in tokens] for name, tokens in json.loads(done.stdout).items()}


def scopes_of(text: str, tmp_path: Path) -> dict[str, list[str]]:
    """The scopes (outermost `source.arch` left out) of each token of `text`, by its text
    without the spaces around it (the first token of each text)."""
    path = tmp_path / "snippet.arch"
    path.write_text(text)
    lines = text.split("\n")
    found: dict[str, list[str]] = {}
    for line, start, end, scopes in tokenize([path])[path]:
        if lines[line][start:end].strip():
            found.setdefault(lines[line][start:end].strip(), scopes[1:])
    return found


def test_the_shipped_grammar_is_the_one_the_parser_tables_make(tmp_path):
    """editors/vscode is generated from the parser's keyword tables and terminals: a keyword
    added to the language and not regenerated (`python -m archdsl.lexer FILE`) fails here."""
    assert main([str(tmp_path / "fresh.json")]) == 0
    assert (tmp_path / "fresh.json").read_bytes() == GRAMMAR.read_bytes()
    assert json.loads(GRAMMAR.read_text()) == textmate_grammar()


def test_keywords_strings_comments_and_literals_get_their_scopes(tmp_path):
    text = ('import "shared/stores.arch"  # shared stores\n'
            'system shop "Shop \\"one\\"" {\n'
            '  /* a comment\n'
            '     over lines */\n'
            '  component orders-db { kind database; latency 5ms; sla 99.95%; replicas 2..20 }\n'
            '  allow AD101 """why,\n'
            '    over two lines"""\n'
            '  web -> shop.orders-db "reads" { protocol https }\n'
            '  growth 3x\n'
            '  date 2026-01-31\n'
            '}\n')
    scopes = scopes_of(text, tmp_path)
    assert scopes["import"] == ["keyword.declaration.arch"]
    assert scopes["system"] == ["keyword.declaration.arch"]
    assert scopes["component"] == ["keyword.declaration.arch"]
    assert scopes["allow"] == ["keyword.other.arch"]
    assert scopes["kind"] == scopes["latency"] == scopes["protocol"] == ["support.type.property-name.arch"]
    assert scopes['"shared/stores.arch"'] == ["string.quoted.double.arch"]
    assert scopes["\\\""] == ["string.quoted.double.arch", "constant.character.escape.arch"]
    assert scopes["# shared stores"] == ["comment.line.arch"]
    assert scopes["a comment"] == scopes["over lines"] == ["comment.block.arch"]
    assert scopes["why,"] == scopes["over two lines"] == ["string.quoted.triple.arch"]
    assert scopes["5ms"] == ["constant.numeric.duration.arch"]
    assert scopes["99.95%"] == ["constant.numeric.percentage.arch"]
    assert scopes["2..20"] == ["constant.numeric.range.arch"]
    assert scopes["3x"] == ["constant.numeric.growth.arch"]
    assert scopes["2026-01-31"] == ["constant.numeric.date.arch"]
    assert scopes["AD101"] == ["constant.other.rule-code.arch"]
    assert scopes["->"] == ["keyword.operator.arrow.arch"]
    # an id with a hyphen is one name, never the keyword `database` or a number; a system prefix
    assert scopes["orders-db"] == ["variable.other.arch"]
    assert scopes["shop"] == ["variable.other.arch"]
    assert scopes["database"] == ["variable.other.arch"]


def _family(token) -> str:
    for family, kinds in (("comment", (Comment,)), ("string", (String,)), ("number", (Number,)),
                          ("code", (Name.Exception,)), ("keyword", (Keyword,)), ("attribute", (Name.Attribute,)),
                          ("operator", (Operator,)), ("name", (Name,)), ("punctuation", (Punctuation,))):
        if any(token in kind for kind in kinds):
            return family
    return "other"


def _scope_family(scopes: list[str]) -> str:
    innermost = " ".join(scopes)
    for prefix, family in (("comment.", "comment"), ("string.", "string"), ("constant.numeric.", "number"),
                           ("constant.other.rule-code", "code"), ("keyword.operator", "operator"),
                           ("keyword.", "keyword"), ("support.type.property-name", "attribute"),
                           ("punctuation.accessor", "punctuation"), ("entity.name.namespace", "name"),
                           ("variable.other", "name"), ("punctuation.", "punctuation")):
        if re.search(rf"(^| ){re.escape(prefix)}", innermost):
            return family
    return "other"


def test_editors_and_the_docs_site_highlight_every_shipped_spec_alike():
    """Every character of every spec in specs/ gets the same kind of colour from the TextMate
    grammar (VS Code) as from the Pygments lexer (the docs site): the two are made from one
    source and must not drift apart."""
    files = sorted(SPECS.rglob("*.arch"))
    assert len(files) >= 10
    tokens = tokenize(files)
    differences = []
    for path in files:
        text = path.read_text()
        lines = text.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        expected = []
        for _, token, value in ArchLexer().get_tokens_unprocessed(text):
            expected += [_family(token)] * len(value)
        for line, start, end, scopes in tokens[path]:
            for column in range(start, end):
                if lines[line][column].isspace():
                    continue
                want, got = expected[offsets[line] + column], _scope_family(scopes)
                if want != got:
                    differences.append(f"{path.relative_to(REPO)}:{line + 1}:{column + 1} "
                                       f"{lines[line][start:end]!r}: Pygments {want}, TextMate {got}")
    assert not differences, "\n".join(differences[:20])


def test_the_extension_manifest_names_real_files_and_the_version_of_archdsl():
    manifest = json.loads((EXTENSION / "package.json").read_text())
    assert manifest["version"] == archdsl.__version__
    assert (EXTENSION / manifest["main"]).is_file()
    [language] = manifest["contributes"]["languages"]
    assert language["extensions"] == [".arch"]
    configuration = json.loads((EXTENSION / language["configuration"]).read_text())
    assert configuration["comments"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}
    word = re.compile(configuration["wordPattern"])
    # a double-click selects an id with its hyphens (rename and hover act on the whole id)
    assert word.match("orders-db").group() == "orders-db" and word.match("a->b").group() == "a"
    [grammar] = manifest["contributes"]["grammars"]
    assert grammar["language"] == language["id"]
    assert json.loads((EXTENSION / grammar["path"]).read_text())["scopeName"] == grammar["scopeName"]
    assert "archdsl.path" in manifest["contributes"]["configuration"]["properties"]


def _activate(tmp_path, **scenario) -> dict:
    """The extension activated with stand-ins for VS Code: what it asked and what it started."""
    done = subprocess.run([shutil.which("node"), "test/activate.js", json.dumps(scenario)], cwd=EXTENSION,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_extension_asks_before_running_a_program_the_workspace_chose(tmp_path):
    """A committed `.venv/bin/archdsl` or an `archdsl.path` in the workspace's settings is a program
    whoever wrote the repository chose: it starts only once the user says so (remembered), and
    the extension always says which program it runs."""
    venv = tmp_path / ".venv" / "bin" / "archdsl"
    venv.parent.mkdir(parents=True)
    venv.write_text("#!/bin/sh\n")
    agreed = _activate(tmp_path, folder=str(tmp_path), answer="Run it")
    [question] = agreed["asked"]
    assert question["modal"] and str(venv) in question["message"] and "trust" in question["message"]
    assert agreed["started"] == [{"command": str(venv), "args": ["lsp"]}]
    assert any(str(venv) in line and ".venv" in line for line in agreed["logged"])
    refused = _activate(tmp_path, folder=str(tmp_path), answer="Use archdsl from the PATH")
    assert refused["started"] == [{"command": "archdsl", "args": ["lsp"]}]
    assert refused["remembered"] == {f"archdsl.allowed:{venv}": False}
    again = _activate(tmp_path, folder=str(tmp_path), remembered={f"archdsl.allowed:{venv}": False})
    assert again["asked"] == [] and again["started"][0]["command"] == "archdsl"  # asked once
    settings = _activate(tmp_path, folder=str(tmp_path), workspacePath="/opt/evil/archdsl", answer=None)
    assert "workspace's settings" in settings["asked"][0]["message"]
    assert settings["started"][0]["command"] == "archdsl"  # no answer: not run


def test_the_extension_runs_the_users_own_choice_without_asking(tmp_path):
    own = _activate(tmp_path, folder=str(tmp_path), globalPath="/usr/local/bin/archdsl")
    assert own["asked"] == [] and own["started"] == [{"command": "/usr/local/bin/archdsl", "args": ["lsp"]}]
    assert any("your settings" in line for line in own["logged"])
    plain = _activate(tmp_path, folder=str(tmp_path))
    assert plain["asked"] == [] and plain["started"][0]["command"] == "archdsl"
