"""Attacks through what archdsl reads: symlinks out of the root, FIFOs, devices, huge files.

Every command applies the loader's rules (regular files inside the root, at most 10 MB), and
reporters quote only text the loader read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SECRET = "archdsl-test-secret-7f3a"
SPEC = "system s {\n  component a\n}\n"


def run(*args, cwd, timeout=60, env=None):
    """archdsl in a child process, as CI runs it: bounded in time, with a secret in its environment."""
    environment = {**os.environ, "ARCHDSL_TEST_SECRET": SECRET, **(env or {})}
    return subprocess.run([sys.executable, "-m", "archdsl", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=environment)


@pytest.fixture
def hostile(tmp_path):
    """A spec folder full of traps beside one honest spec."""
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a.arch").write_text(SPEC)
    outside = tmp_path / "outside.arch"
    outside.write_text('system x {\n  component b   // outside the root\n}\n')
    (specs / "env.arch").symlink_to("/proc/self/environ")
    (specs / "zero.arch").symlink_to("/dev/zero")
    (specs / "out.arch").symlink_to(outside)
    os.mkfifo(specs / "fifo.arch")
    (specs / "loop").mkdir()
    (specs / "loop" / "again").symlink_to("..")
    (specs / "self.arch").symlink_to("self.arch")
    (specs / "folder.arch").mkdir()
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_check_reports_every_trap_and_prints_nothing_it_refused(hostile, fmt):
    done = run("check", "specs", "--format", fmt, cwd=hostile)
    assert done.returncode == 1, done.stderr
    assert SECRET not in done.stdout and SECRET not in done.stderr
    assert "outside the root" not in done.stdout, "the text of a file outside the root is never quoted"
    for name in ("env.arch", "zero.arch", "out.arch", "fifo.arch", "self.arch"):
        assert f"specs/{name}" in done.stdout, name
    assert "internal error" not in done.stderr


def test_each_trap_gets_its_own_clear_finding(hostile):
    doc = json.loads(run("check", "specs", "--format", "json", cwd=hostile).stdout)
    found = {f["file"]: (f["code"], f["message"]) for f in doc["findings"]}
    assert found["specs/env.arch"] == ("AD104", "'specs/env.arch' resolves outside the spec root")
    assert found["specs/out.arch"][0] == "AD104"
    assert found["specs/fifo.arch"] == ("AD104", "'specs/fifo.arch' is not a regular file")
    assert found["specs/self.arch"][0] == "AD109" and "cannot be resolved" in found["specs/self.arch"][1]
    assert "specs/folder.arch" not in found, "a folder is not a spec, and not an error either"


@pytest.mark.parametrize("command", [
    ["recommend", "specs"], ["render", "specs/a.arch", "-o", "x.svg"], ["diff", "specs", "specs"],
])
def test_other_commands_apply_the_same_rules(hostile, command):
    done = run(*command, cwd=hostile)
    assert SECRET not in done.stdout + done.stderr
    assert "internal error" not in done.stderr


def test_fmt_never_reads_or_writes_outside_the_root(hostile):
    before = (hostile / "outside.arch").read_bytes()
    done = run("fmt", "specs", cwd=hostile)
    assert (hostile / "outside.arch").read_bytes() == before
    assert SECRET not in done.stdout + done.stderr
    assert "specs/out.arch:1:1: AD104 'specs/out.arch' resolves outside the spec root (not formatted)" in done.stderr
    assert "specs/fifo.arch:1:1: AD104 'specs/fifo.arch' is not a regular file (not formatted)" in done.stderr
    assert done.returncode == 1


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    big = tmp_path / "big.arch"
    with open(big, "wb") as handle:  # sparse: 1 GB on paper, nothing on disk
        handle.truncate(1 << 30)
    done = run("check", str(big), "--format", "json", cwd=tmp_path, timeout=30)
    [f] = json.loads(done.stdout)["findings"]
    assert (f["code"], f["message"]) == ("AD109", "the file is 1024.0 MB, over the 10 MB limit")


def test_baseline_and_settings_must_be_small_regular_files(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    os.mkfifo(tmp_path / "fifo.json")
    done = run("check", "a.arch", "--baseline", "fifo.json", cwd=tmp_path, timeout=30)
    assert done.returncode == 2 and "not a regular file" in done.stderr
    (tmp_path / "pyproject.toml").symlink_to("/dev/zero")
    done = run("check", "a.arch", cwd=tmp_path, timeout=30)
    assert done.returncode == 2 and "cannot read settings: not a regular file" in done.stderr
