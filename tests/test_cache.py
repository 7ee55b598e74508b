"""The parse cache (`.archdsl_cache/` at the spec root): the same report with it, without it and
with every entry damaged or forged; plain data; safe when two processes write at once."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archdsl import environment
from archdsl.parsing import cache as parse_cache
from archdsl.parsing import parser
from archdsl.parsing.cache import FOLDER, ParseCache
from archdsl.workspaces import load

from conftest import SPECS


@pytest.fixture
def specs(tmp_path) -> Path:
    """The real-world specs, in a folder of their own."""
    folder = tmp_path / "specs"
    shutil.copytree(SPECS / "real-world", folder, ignore=shutil.ignore_patterns(".archdsl_cache"))
    return folder


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """This user's cache folder (where the secret is), a new one for the test."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("ARCHDSL_NO_CACHE", raising=False)
    return folder


def check(path: Path, *options: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archdsl", "check", "--format", "json", *options, str(path)],
                          capture_output=True, text=True, timeout=300, env=env or dict(os.environ))


def entries(root: Path) -> list[Path]:
    return sorted((root / FOLDER / "parse").iterdir())


def test_a_warm_check_reports_what_a_cold_one_does(specs, home):
    cold = check(specs, "--no-cache")
    assert not (specs / FOLDER).exists()  # --no-cache writes nothing
    first = check(specs)
    assert len(entries(specs)) == len(list(specs.rglob("*.arch")))  # one entry a file, the shared policy's too
    warm = check(specs)
    assert cold.returncode == first.returncode == warm.returncode == 1  # the real-world findings
    assert json.loads(cold.stdout) == json.loads(first.stdout) == json.loads(warm.stdout)
    assert warm.stderr == cold.stderr
    tag = (specs / FOLDER / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (specs / FOLDER / ".gitignore").read_text().splitlines()[-1] == "*"
    off = check(specs, env=dict(os.environ, ARCHDSL_NO_CACHE="1"))
    assert json.loads(off.stdout) == json.loads(cold.stdout)


def test_an_unchanged_file_is_not_parsed_again(specs, home, monkeypatch):
    monkeypatch.setattr(environment, "_PARSE_CACHE", [True])
    first = load(specs, strict=False)
    calls = []
    real = parser.parse
    monkeypatch.setattr("archdsl.parsing.loader.parse", lambda text, file: calls.append(file) or real(text, file))
    again = load(specs, strict=False)
    assert calls == []
    assert again.model_dump(mode="json") == first.model_dump(mode="json")
    edited = specs / "chat.arch"
    edited.write_text(edited.read_text() + "\n// edited\n")
    load(specs, strict=False)
    assert [Path(c).name for c in calls] == ["chat.arch"]  # only the file that changed


def test_entries_are_plain_data_and_verified(specs, home):
    check(specs)
    for entry in entries(specs):
        mac, _, payload = entry.read_bytes().partition(b"\n")
        assert len(mac) == 64 and isinstance(json.loads(payload), list)  # JSON lists: nothing that runs
    tree = ast.parse(Path(parse_cache.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names} | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                                            and node.module}
    assert not imported & {"pickle", "marshal", "shelve", "yaml", "dill"}, imported
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in ("eval", "exec")]


DAMAGES = {
    "emptied": lambda path: path.write_bytes(b""),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
    "a byte flipped": lambda path: path.write_bytes(_flip(path.read_bytes())),
    "not JSON": lambda path: path.write_bytes(path.read_bytes().split(b"\n")[0] + b"\n{not json"),
    "nested deep": lambda path: path.write_bytes(b"0" * 64 + b"\n" + b"[" * 100_000),
    "a folder": lambda path: (path.unlink(), path.mkdir()),
    "a link to a device": lambda path: (path.unlink(), path.symlink_to("/dev/zero")),
    "a link to a FIFO": lambda path: (path.unlink(), os.mkfifo(path.with_suffix(".fifo")),
                                      path.symlink_to(path.with_suffix(".fifo"))),
}


def _flip(data: bytes) -> bytes:
    middle = len(data) * 2 // 3
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_cache_is_a_miss_never_an_error_or_another_result(specs, home, damage):
    clean = check(specs, "--no-cache")
    check(specs)
    for entry in entries(specs):
        DAMAGES[damage](entry)
    damaged = check(specs)
    assert damaged.returncode == clean.returncode and damaged.stderr == clean.stderr
    assert json.loads(damaged.stdout) == json.loads(clean.stdout)


def test_a_cache_written_elsewhere_is_never_trusted(specs, tmp_path, home, monkeypatch):
    """A pull request can commit `.archdsl_cache/`: entries made with another user's secret, even
    well-formed ones that claim a file says something else, are misses."""
    honest = check(specs, "--no-cache")
    monkeypatch.setattr(environment, "_PARSE_CACHE", [True])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
    forger = ParseCache(specs)
    harmless = parser.parse('system chat "Chat" {\n  component a\n}\n', "chat.arch")
    for spec in specs.glob("*.arch"):  # every file "parses" to a harmless system, by the forger's key
        forger.put(spec.name, spec.read_text(), harmless)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    checked = check(specs)
    assert json.loads(checked.stdout) == json.loads(honest.stdout) and checked.returncode == 1


def test_a_cache_folder_that_is_a_link_or_a_file_is_not_used(specs, tmp_path, home):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (specs / FOLDER).symlink_to(elsewhere)
    assert check(specs).returncode == 1
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    (specs / FOLDER).unlink()
    (specs / FOLDER).write_text("not a folder")
    assert check(specs).returncode == 1 and (specs / FOLDER).read_text() == "not a folder"


def test_a_read_only_root_checks_as_without_a_cache(specs, home):
    if os.geteuid() == 0:
        os.chmod(specs, 0o555)  # root ignores the mode: make the cache folder unusable instead
        (specs / FOLDER).write_text("")
    else:
        os.chmod(specs, 0o555)
    try:
        done = check(specs)
        assert done.returncode == 1 and "error" not in done.stderr.lower()
        assert json.loads(done.stdout) == json.loads(check(specs, "--no-cache").stdout)
    finally:
        os.chmod(specs, 0o755)


def test_two_processes_filling_one_cache_at_once(specs, home):
    runs = [subprocess.Popen([sys.executable, "-m", "archdsl", "check", "--format", "json", str(specs)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    reference = json.loads(check(specs, "--no-cache").stdout)
    assert all(json.loads(out) == reference for out, _ in outputs)
    assert not [p for p in (specs / FOLDER / "parse").iterdir() if p.name.startswith(".tmp-")]
    assert json.loads(check(specs).stdout) == reference  # what they wrote verifies


def test_clean_removes_the_cache_and_only_it(specs, tmp_path, home):
    check(specs)
    done = subprocess.run([sys.executable, "-m", "archdsl", "clean", str(specs)], capture_output=True, text=True)
    assert done.returncode == 0 and f"removed {specs / FOLDER}" in done.stderr
    assert not (specs / FOLDER).exists() and len(list(specs.glob("*.arch"))) == 6
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "precious").write_text("x")
    (specs / FOLDER).symlink_to(kept)
    again = subprocess.run([sys.executable, "-m", "archdsl", "clean", str(specs)], capture_output=True, text=True)
    assert again.returncode == 0 and not (specs / FOLDER).is_symlink() and (kept / "precious").read_text() == "x"
    none = subprocess.run([sys.executable, "-m", "archdsl", "clean", str(specs)], capture_output=True, text=True)
    assert none.returncode == 0 and "no cache in" in none.stderr


def test_the_cache_can_live_outside_the_checkout(specs, tmp_path, home):
    """ARCHDSL_CACHE_DIR (the GitHub Action's $RUNNER_TEMP): nothing is written into the spec root."""
    elsewhere = tmp_path / "runner-temp" / "archdsl-cache"
    env = dict(os.environ, ARCHDSL_CACHE_DIR=str(elsewhere))
    cold = check(specs, env=env)
    warm = check(specs, env=env)
    assert json.loads(cold.stdout) == json.loads(warm.stdout) == json.loads(check(specs, "--no-cache").stdout)
    assert not (specs / FOLDER).exists()
    [answers] = [f for f in elsewhere.iterdir() if f.name == "answers"]  # the kept answers go with it
    [folder] = [f for f in elsewhere.iterdir() if f != answers]
    assert len(list((folder / "parse").iterdir())) == 7 and len(list(answers.iterdir())) == 1  # 6 specs, 1 policy
    done = subprocess.run([sys.executable, "-m", "archdsl", "clean", str(specs)], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0 and not folder.exists() and not answers.exists()
