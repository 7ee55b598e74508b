"""Bad input and bad surroundings give a clear error (exit 2, no traceback), never 'internal error'."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

SPEC = "system s {\n  component a\n}\n"


def run(*args, cwd, timeout=60, stdin=None):
    return subprocess.run([sys.executable, "-m", "archdsl", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, input=stdin)


def clear_error(done, *words):
    assert done.returncode == 2, (done.returncode, done.stdout[-500:], done.stderr[-500:])
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


# ---------------------------------------------------------------- filters never hide a broken spec

@pytest.fixture
def broken(tmp_path):
    (tmp_path / "good.arch").write_text(SPEC)
    (tmp_path / "syntax.arch").write_text("system s2 {\n  component {\n")
    (tmp_path / "binary.arch").write_bytes(b"\x00\x01\x02")
    (tmp_path / "escape.arch").symlink_to("/etc/hostname")
    return tmp_path


@pytest.mark.parametrize("args", [["--select", "SB,LT"], ["--ignore", "AD"], ["--select", "CK801"]])
def test_filters_never_hide_files_that_do_not_load(broken, args):
    done = run("check", ".", "--format", "json", *args, cwd=broken)
    codes = {(f["file"], f["code"]) for f in json.loads(done.stdout)["findings"]}
    assert {("syntax.arch", "AD100"), ("binary.arch", "AD109"), ("escape.arch", "AD104")} <= codes
    assert done.returncode == 1


@pytest.mark.parametrize("args, words", [
    (["--select", "ZZ"], ["'ZZ' is no rule code or prefix"]),
    (["--ignore", "SB201,"], ["an empty code"]),
    (["--select", "SB2O1"], ["did you mean 'SB201'?"]),
])
def test_unknown_codes_on_the_command_line_are_usage_errors(broken, args, words):
    clear_error(run("check", ".", *args, cwd=broken), *words)


@pytest.mark.parametrize("toml, words", [
    ('[tool.archdsl]\nselect = ["ZZ999"]\n', ["'ZZ999' is no rule code"]),
    ('[tool.archdsl]\nignore = [""]\n', ["an empty code"]),
    ('[tool.archdsl]\nhop-latency = { databse = "3ms" }\n', ["no kind 'databse'", "did you mean 'database'?"]),
    ('tool = "x"\n', ["[tool.archdsl] must be a table"]),
    ('[tool.archdsl]\nseverity = "error"\n', ["'severity' must be a table"]),
    ('[tool.archdsl]\nhop-latency = "5ms"\n', ["'hop-latency' must be a table"]),
    ('[tool.archdsl]\nseverity = { SB201 = 3 }\n', ["severity of SB201 must be error, warning or info"]),
    ('[tool.archdsl]\nselect = "SB"\n', ["'select' must be a list of rule codes"]),
])
def test_bad_settings_are_usage_errors(tmp_path, toml, words):
    (tmp_path / "a.arch").write_text(SPEC)
    (tmp_path / "pyproject.toml").write_text(toml)
    clear_error(run("check", "a.arch", cwd=tmp_path), *words)


# ---------------------------------------------------------------- odd input

def test_an_import_name_too_long_for_the_file_system(tmp_path):
    (tmp_path / "a.arch").write_text(f'import "{"x" * 300}.arch"\n' + SPEC)
    done = run("check", "a.arch", "--format", "json", cwd=tmp_path)
    [f] = json.loads(done.stdout)["findings"]
    assert f["code"] in ("AD109", "AD110") and f["line"] == 1
    assert "internal error" not in done.stderr


def test_a_number_of_five_thousand_digits(tmp_path):
    (tmp_path / "a.arch").write_text("system s {\n  component a { replicas " + "9" * 5000 + " }\n}\n")
    done = run("check", "a.arch", "--format", "json", cwd=tmp_path)
    [f] = json.loads(done.stdout)["findings"]
    assert f["code"] == "AD108" and len(f["message"]) < 300
    assert "internal error" not in done.stderr


def test_deeply_nested_blocks(tmp_path):
    depth = 450
    (tmp_path / "a.arch").write_text("system s {\n" + "component a {\n" * depth + "}\n" * depth + "}\n")
    for command in (["check", "a.arch"], ["fmt", "--check", "a.arch"]):
        done = run(*command, cwd=tmp_path)
        assert done.returncode in (1, 2) and "internal error" not in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_a_baseline_nested_a_hundred_thousand_deep(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    clear_error(run("check", "a.arch", "--baseline", "deep.json", cwd=tmp_path), "not a baseline")


def test_one_failing_file_never_stops_the_others(tmp_path):
    (tmp_path / "a.arch").write_text("system a {\n  component x { kind nah }\n}\n")
    (tmp_path / "b.arch").write_bytes(b"\xff\xfe")
    (tmp_path / "c.arch").write_text("system c {\n  component y { state stateless; latency 500us }\n}\n")
    doc = json.loads(run("check", ".", "--format", "json", cwd=tmp_path).stdout)
    assert {f["file"] for f in doc["findings"]} == {"a.arch", "b.arch", "c.arch"}


# ---------------------------------------------------------------- odd surroundings

def test_diff_with_a_path_outside_the_repository(tmp_path):
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "specs" / "a.arch").write_text(SPEC)
    for args in (["init", "-q"], ["add", "."], ["-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    (tmp_path / "outside").mkdir()
    clear_error(run("diff", "--git", "HEAD", "specs", str(tmp_path / "outside"), cwd=repo),
                "outside the git repository")


@pytest.mark.parametrize("args, words", [
    (["render", "a.arch", "-o", "missing/dir/x.svg"], ["missing/dir/x.svg"]),
    (["render", "a.arch", "-o", "x.svg", "--timeout", "nan"], ["--timeout"]),
    (["render", "a.arch", "-o", "x.svg", "--timeout", "-1"], ["--timeout"]),
    (["render", "a.arch", "--all", "-o", "afile"], ["afile"]),
    (["check", "a.arch", "-o", "a.arch"], ["is one of the specs"]),
])
def test_outputs_that_cannot_be_written(tmp_path, args, words):
    (tmp_path / "a.arch").write_text(SPEC)
    (tmp_path / "afile").write_text("not a folder")
    clear_error(run(*args, cwd=tmp_path), *words)
    assert (tmp_path / "a.arch").read_text() == SPEC


def test_a_full_disk(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    done = run("check", "a.arch", "--format", "json", "-o", "/dev/full", cwd=tmp_path)
    clear_error(done, "/dev/full")


def test_interrupt_exits_130(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    child = subprocess.Popen([sys.executable, "-m", "archdsl", "site", "serve", "a.arch", "-a", "127.0.0.1:0"],
                             cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    said = []
    for line in child.stderr:  # the interrupt arrives once it serves, however loaded the machine
        said.append(line)
        if "Serving on" in line:
            break
    assert said and "Serving on" in said[-1], "".join(said)
    child.send_signal(signal.SIGINT)
    _, rest = child.communicate(timeout=300)  # a guard against a hang, not a measure
    err = "".join(said) + rest
    assert child.returncode == 130, err
    assert "Traceback" not in err
