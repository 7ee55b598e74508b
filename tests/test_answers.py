"""Kept answers (`archdsl.answers`): a check whose every input is unchanged answers with the last
report before anything else is loaded; any change of an input, and any damaged or forged answer,
gives exactly the report a check without the cache gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SPECS

# the program as the console script runs it, saying on stderr whether the command line was loaded
PROGRAM = ("import sys\n"
           "from archdsl.launch import run\n"
           "try:\n"
           "    run()\n"
           "finally:\n"
           "    sys.stderr.write('loaded: %s\\n' % ('archdsl.cli' in sys.modules))\n")


@pytest.fixture
def place(tmp_path, monkeypatch) -> Path:
    """A project with the real-world specs and a user cache folder of its own; the working folder."""
    shutil.copytree(SPECS / "real-world", tmp_path / "specs")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("ARCHDSL_NO_CACHE", raising=False)
    monkeypatch.delenv("ARCHDSL_CACHE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def archdsl(*args: str) -> tuple[int, str, bool]:
    """Exit status, standard output, and whether the command line was loaded (False: answered
    from a kept answer)."""
    done = subprocess.run([sys.executable, "-c", PROGRAM, *args], capture_output=True, text=True, timeout=300)
    *errors, last = done.stderr.splitlines()
    assert last in ("loaded: True", "loaded: False"), done.stderr
    return done.returncode, done.stdout, last == "loaded: True"


def answers(place: Path) -> list[Path]:
    folder = place / "user-cache" / "archdsl" / "answers"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def fresh(*args: str) -> tuple[int, str]:
    """What a check without any cache reports."""
    code, out, loaded = archdsl("check", "--no-cache", *args)
    assert loaded
    return code, out


def test_an_unchanged_check_is_answered_without_loading_anything(place):
    code, out, loaded = archdsl("check", "specs", "--format", "json")
    assert loaded and code == 1 and json.loads(out)["findings"]  # the real-world findings
    assert len(answers(place)) == 1
    again = archdsl("check", "specs", "--format", "json")
    assert again == (code, out, False)  # the same bytes and status, and click was never imported
    assert fresh("specs", "--format", "json") == (code, out)


@pytest.mark.parametrize("change", ["edit", "new file", "removed file", "settings above", "imported file",
                                    "baseline", "link moved"])
def test_a_changed_input_is_checked_again(place, change):
    specs = place / "specs"
    (specs / "shared.arch").write_text('system shared "Shared" {\n  component api "API" { state stateless }\n}\n')
    (specs / "uses.arch").write_text('import "shared.arch"\n'
                                     'system uses "Uses" {\n  component web "Web" { state stateless }\n}\n')
    (place / "other.arch").write_text('system other "Other" {\n  component x "X" { replicas 3 }\n}\n')
    (specs / "link.arch").symlink_to(specs / "chat.arch")
    base = place / "baseline.json"
    archdsl("check", "specs", "--write-baseline", str(base))
    args = ("specs", "--format", "json") + (("--baseline", str(base)) if change == "baseline" else ())
    first = archdsl("check", *args)
    assert first[2] and archdsl("check", *args) == (*first[:2], False)
    if change == "edit":
        text = (specs / "chat.arch").read_text()
        (specs / "chat.arch").write_text(text.replace("replication 3", "replication 1", 1))
    elif change == "new file":
        (specs / "extra.arch").write_text('system extra "Extra" {\n  component y "Y" { replicas 2 }\n}\n')
    elif change == "removed file":
        (specs / "sock-shop.arch").unlink()
    elif change == "settings above":
        (place / "pyproject.toml").write_text('[tool.archdsl]\nignore = ["AV"]\n')
    elif change == "imported file":
        (specs / "shared.arch").write_text('system shared "Shared" {\n  component api "API" { state stateful }\n}\n')
    elif change == "baseline":
        document = json.loads(base.read_text())
        base.write_text(json.dumps({**document, "findings": document["findings"][:1]}))
    elif change == "link moved":
        (specs / "link.arch").unlink()
        (specs / "link.arch").symlink_to(place / "other.arch")  # now outside the root: refused
    after = archdsl("check", *args)
    assert after[2], "a changed input must be checked again"
    assert after[:2] == fresh(*args)
    assert after[:2] != first[:2]  # the change made a difference, and the report shows it
    assert archdsl("check", *args) == (*after[:2], False)  # and the new answer is kept


def test_an_import_that_appears_is_read(place):
    specs = place / "specs"
    (specs / "chat.arch").write_text('import "later.arch"\n' + (specs / "chat.arch").read_text())
    first = archdsl("check", "specs/chat.arch")
    assert "AD110" in first[1]
    assert archdsl("check", "specs/chat.arch")[2] is False
    (specs / "later.arch").write_text('system later "Later" {\n  component z "Z" { state stateless }\n}\n')
    after = archdsl("check", "specs/chat.arch")
    assert after[2] and "AD110" not in after[1] and after[:2] == fresh("specs/chat.arch")


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "not json", "forged", "empty"])
def test_a_damaged_or_forged_answer_is_a_miss(place, damage):
    first = archdsl("check", "specs", "--format", "sarif")
    [entry] = answers(place)
    data = entry.read_bytes()
    if damage == "flipped byte":
        data = data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]
    elif damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "not json":
        data = b"\x00\xff" * 100
    elif damage == "forged":  # a well-formed answer with no probes and a clean report, sealed with another key
        payload = json.dumps({"probes": [], "out": "No findings.\n", "code": 0}).encode()
        data = b"0" * 64 + b"\n" + payload
    elif damage == "empty":
        data = b""
    entry.write_bytes(data)
    after = archdsl("check", "specs", "--format", "sarif")
    assert after == (*first[:2], True)


@pytest.mark.parametrize("args", [("--no-cache",), ("-o", "report.txt"), ("--select", "NOPE9"),
                                  ("--fail-on", "warning", "--exit-zero", "--write-baseline", "b.json")])
def test_only_plain_checks_that_ran_to_the_end_are_kept(place, args):
    archdsl("check", "specs", *args)
    archdsl("check", "specs", *args)
    assert answers(place) == []


def test_no_cache_in_the_environment_keeps_and_reads_nothing(place, monkeypatch):
    archdsl("check", "specs")
    monkeypatch.setenv("ARCHDSL_NO_CACHE", "1")
    assert archdsl("check", "specs")[2]


def test_another_working_folder_is_another_answer(place):
    first = archdsl("check", "specs")
    os.chdir(place / "specs")
    inside = archdsl("check", ".")
    assert inside[2] and "specs/" not in inside[1] and "specs/" in first[1]
    assert len(answers(place)) == 2


def test_clean_removes_the_kept_answers(place):
    archdsl("check", "specs")
    assert answers(place)
    code, _, _ = archdsl("clean", "specs")
    assert code == 0 and answers(place) == []
    assert archdsl("check", "specs")[2]


def test_a_reader_that_leaves_ends_a_kept_answer_quietly(place):
    archdsl("check", "specs", "--format", "json")
    reader = subprocess.Popen([sys.executable, "-c", PROGRAM, "check", "specs", "--format", "json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None
    reader.stdout.close()  # the reader is gone before a byte is written
    _, errors = reader.communicate(timeout=60)
    assert reader.returncode == 141
    assert b"Traceback" not in errors and b"loaded: False" in errors


def test_a_removed_working_folder_is_no_crash(place, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    spec = str(place / "specs" / "chat.arch")
    script = (f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
              f"sys.argv = ['archdsl', 'check', {spec!r}]; from archdsl.launch import run; run()")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and done.returncode in (1, 2)
    assert answers(place) == []  # nothing kept for a folder that is not there
