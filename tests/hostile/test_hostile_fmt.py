"""fmt never loses what it did not write: a concurrent edit, a read-only file, hard links."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from archdsl.fsutil import Unreadable, replace_unchanged
from archdsl.lexer import ArchLexer

import pytest

UGLY = "system s {\ncomponent a\n  component b\n}\n"
PRETTY = "system s {\n  component a\n  component b\n}\n"


def fmt(*args, cwd):
    return subprocess.run([sys.executable, "-m", "archdsl", "fmt", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_a_line_appended_while_formatting_is_never_lost(tmp_path):
    spec = tmp_path / "a.arch"
    spec.write_text(UGLY)
    before = spec.read_bytes()
    with open(spec, "a") as handle:  # someone saves the file after fmt read it ...
        handle.write("// appended meanwhile\n")
    with pytest.raises(Unreadable, match="changed while it was formatted"):
        replace_unchanged(spec, before, PRETTY.encode())  # ... so fmt refuses to write its version
    assert spec.read_text().endswith("// appended meanwhile\n")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_read_only_file_is_refused(tmp_path):
    spec = tmp_path / "a.arch"
    spec.write_text(UGLY)
    spec.chmod(0o444)
    done = fmt("a.arch", cwd=tmp_path)
    assert done.returncode == 1 and "the file is read-only: not formatted" in done.stderr
    assert spec.read_text() == UGLY and (spec.stat().st_mode & 0o777) == 0o444


def test_hard_links_are_written_in_place(tmp_path):
    spec = tmp_path / "a.arch"
    spec.write_text(UGLY)
    os.link(spec, tmp_path / "b.arch.bak")
    done = fmt("a.arch", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert spec.read_text() == PRETTY and (tmp_path / "b.arch.bak").read_text() == PRETTY
    assert spec.stat().st_ino == (tmp_path / "b.arch.bak").stat().st_ino


def test_a_sparse_import_is_refused_unread(tmp_path):
    (tmp_path / "a.arch").write_text('import "huge.arch"\nsystem s { component a }\n')
    with open(tmp_path / "huge.arch", "wb") as handle:
        handle.truncate(1 << 30)
    done = subprocess.run([sys.executable, "-m", "archdsl", "check", "a.arch"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert "AD109 the file is 1024.0 MB, over the 10 MB limit" in done.stdout


@pytest.mark.parametrize("run", ["/* ", '""" '])
def test_the_pygments_lexer_is_linear_on_unterminated_runs(run):
    started = time.perf_counter()
    tokens = list(ArchLexer().get_tokens(run * 50_000))
    assert time.perf_counter() - started < 10  # quadratic took minutes
    assert "".join(value for _, value in tokens) == run * 50_000 + "\n"
