"""The GitHub Action, run step by step as a runner runs it (read from action.yml, never copied):
a repository with a bare origin, a base and a head commit, the token of a pull request from a
fork (a stand-in `gh` that fails as GitHub does), and pull requests that attack it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
GH_FORK = """#!/bin/sh
echo "GraphQL: Resource not accessible by integration (addComment)" >&2
exit 1
"""
SPEC = """system shop "Shop" {
  layer api "API" {
    kind compute
    component web "Web" { connection request-response; scaling autoscale }
    component legacy "Legacy" { scaling autoscale; keeps "uploads" in local-disk }
  }
}
"""
BASE_SETTINGS = '[tool.archdsl]\nignore = ["CK"]\n'


def _git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="dev", GIT_AUTHOR_EMAIL="dev@example.org", GIT_COMMITTER_NAME="dev",
               GIT_COMMITTER_EMAIL="dev@example.org")
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout.strip()


class Runner:
    """One job of the action on a pull request: the checkout, $RUNNER_TEMP, the steps run."""

    def __init__(self, tmp: Path, inputs: dict[str, str] | None = None):
        self.tmp = tmp
        self.origin = tmp / "origin.git"
        self.checkout = tmp / "work" / "repo"
        self.temp = tmp / "runner-temp"
        self.bin = tmp / "bin"
        for folder in (self.checkout, self.temp, self.bin):
            folder.mkdir(parents=True)
        (self.bin / "gh").write_text(GH_FORK)
        (self.bin / "gh").chmod(0o755)
        self.inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        self.inputs.update(inputs or {})
        self.outputs: dict[str, dict[str, str]] = {}
        self.results: dict[str, subprocess.CompletedProcess] = {}

    def base(self, files: dict[str, str]) -> None:
        _git(self.tmp, "init", "-q", "--bare", str(self.origin))
        _git(self.checkout, "init", "-q", "-b", "main")
        self.write(files)
        _git(self.checkout, "add", "-A")
        _git(self.checkout, "commit", "-q", "-m", "base")
        _git(self.checkout, "remote", "add", "origin", str(self.origin))
        _git(self.checkout, "push", "-q", "origin", "main")
        _git(self.checkout, "checkout", "-q", "-b", "pull")

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.checkout / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def head(self, files: dict[str, str], links: dict[str, Path] | None = None) -> None:
        self.write(files)
        for name, target in (links or {}).items():
            (self.checkout / name).symlink_to(target)
        _git(self.checkout, "add", "-A")
        _git(self.checkout, "commit", "-q", "-m", "the pull request")

    def _value(self, expression: str) -> str:
        context = {"inputs": self.inputs, "steps": {k: {"outputs": v} for k, v in self.outputs.items()},
                   "github": {"event_name": "pull_request", "base_ref": "main", "action_path": str(REPO),
                              "event": {"pull_request": {"number": "7"}}, "token": "read-only-fork-token"}}
        value: object = context
        for part in expression.strip().split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return str(value)

    def _expand(self, text: str) -> str:
        return re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: self._value(m.group(1)), str(text))

    def _runs(self, condition: str | None, failed: bool) -> bool:
        if not condition:
            return not failed
        if condition.strip() == "always()":
            return True
        left, op, right = re.fullmatch(r"\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*", condition).groups()
        holds = (self._value(left) == right) == (op == "==")
        return holds and not failed

    def run(self) -> None:
        files = self.temp / "_runner_file_commands"  # where a runner keeps these files
        files.mkdir()
        summary = files / "step_summary"
        summary.touch()
        exported = files / "env"  # GITHUB_ENV: what a step sets for the steps after it
        exported.touch()
        failed = False
        for number, step in enumerate(ACTION["runs"]["steps"]):
            if "run" not in step or step["name"] == "Install archdsl":  # archdsl is installed already
                continue
            if not self._runs(step.get("if"), failed):
                continue
            output = files / f"output_{number}"
            output.touch()
            later = dict(line.split("=", 1) for line in exported.read_text().splitlines() if "=" in line)
            env = {**os.environ, **later, **{k: self._expand(v) for k, v in step.get("env", {}).items()},
                   "RUNNER_TEMP": str(self.temp), "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
                   "GITHUB_ENV": str(exported),
                   "PATH": f"{self.bin}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                  cwd=self.checkout, env=env, capture_output=True, text=True, timeout=600)
            self.results[step["name"]] = done
            if step.get("id"):
                self.outputs[step["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
            failed = failed or done.returncode != 0
        self.summary = summary.read_text()

    def said(self, name: str) -> str:
        done = self.results[name]
        return done.stdout + done.stderr


def _tree(root: Path, skip: Path) -> dict[str, str]:
    """Every file under `root` (but `skip` and git's own) with a digest of what it holds."""
    found = {}
    for path in sorted(root.rglob("*")):
        if skip in path.parents or path == skip or ".git" in path.relative_to(root).parts:
            continue
        if path.is_symlink():
            found[str(path)] = "link:" + os.readlink(path)
        elif path.is_file():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def runner(tmp_path):
    return Runner(tmp_path)


def test_a_pull_request_is_annotated_with_what_it_introduces_and_the_gate_says_so(runner):
    runner.base({"specs/shop.arch": SPEC, "pyproject.toml": BASE_SETTINGS})
    runner.head({"specs/shop.arch": SPEC.replace('keeps "uploads" in local-disk',
                                                  'keeps "uploads" in local-disk\n      keeps "carts" in local-memory')})
    runner.run()
    annotations = [line for line in runner.said("Annotate the pull request").splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and "carts" in annotations[0] and "SB201" in annotations[0]  # not the old one
    sarif = json.loads((runner.temp / "archdsl" / "archdsl.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["SB201"]
    assert runner.results["Check"].returncode == 1  # the gate fails on the new error
    assert "## Architecture diff" in runner.summary and "```mermaid" in runner.summary
    shown = runner.said("Show the architecture diff")
    assert runner.results["Show the architecture diff"].returncode == 0  # a fork's read-only token: a notice
    assert "::notice::archdsl could not post the diff as a comment" in shown


def test_a_clean_pull_request_passes_the_gate_and_still_shows_its_diff(runner):
    runner.base({"specs/shop.arch": SPEC, "pyproject.toml": BASE_SETTINGS})
    runner.head({"specs/shop.arch": SPEC.replace('component web "Web"', 'component web "Web front"')})
    runner.run()
    assert runner.results["Check"].returncode == 0, runner.said("Check")
    assert "Web front" in runner.summary


def test_a_hostile_pull_request_writes_nothing_outside_runner_temp_and_cannot_lower_the_bar(runner):
    """Outputs committed as symlinks to a runner script, settings that ignore every rule, a
    baseline that accepts the new finding: none of it takes effect, and the diff names it."""
    victim = runner.tmp / "work" / "runner.sh"
    victim.write_text("#!/bin/sh\necho trusted\n")
    runner.inputs["baseline"] = "specs/baseline.json"
    runner.base({"specs/shop.arch": SPEC, "pyproject.toml": BASE_SETTINGS,
                 "specs/baseline.json": '{"version": 1, "findings": []}\n'})
    bad = SPEC.replace('keeps "uploads" in local-disk', 'keeps "uploads" in local-disk\n      keeps "carts" in local-memory')
    subprocess.run([sys.executable, "-m", "archdsl", "check", "specs", "--write-baseline", "specs/baseline.json"],
                   cwd=runner.checkout, capture_output=True)  # the base's own baseline, written properly
    _git(runner.checkout, "checkout", "-q", "main")
    _git(runner.checkout, "add", "-A")
    _git(runner.checkout, "commit", "-q", "-m", "the base's baseline")
    _git(runner.checkout, "push", "-q", "origin", "main")
    _git(runner.checkout, "checkout", "-q", "pull")
    _git(runner.checkout, "reset", "-q", "--hard", "main")
    runner.write({"specs/shop.arch": bad, "pyproject.toml": '[tool.archdsl]\nignore = ["SB", "AV", "LT", "DM", "CK"]\n'})
    subprocess.run([sys.executable, "-m", "archdsl", "check", "specs", "--write-baseline", "specs/baseline.json"],
                   cwd=runner.checkout, capture_output=True, check=False)  # a baseline that accepts it
    runner.head({}, links={"archdsl.sarif": victim, "archdsl-diff.md": victim, "diff.md": victim})
    before_outside = _tree(runner.tmp, runner.temp)
    runner.run()
    assert _tree(runner.tmp, runner.temp) == before_outside, "nothing written outside $RUNNER_TEMP"
    assert list((runner.temp / "archdsl-cache").glob("*/parse/*")), "the parse cache, under $RUNNER_TEMP"
    assert victim.read_text() == "#!/bin/sh\necho trusted\n"
    assert runner.results["Check"].returncode == 1, runner.said("Check")  # judged by the base's settings
    assert "SB201" in runner.said("Check")
    assert "How this change is checked" in runner.summary and "[tool.archdsl]" in runner.summary
    assert "changes the baseline" in runner.summary


def test_the_gate_runs_even_when_a_step_before_it_fails_and_fails_closed(runner):
    """The base cannot be fetched: nothing can be compared, so the gate checks everything."""
    runner.base({"specs/shop.arch": SPEC})
    runner.head({"specs/shop.arch": SPEC + "// a comment\n"})
    (runner.bin / "git").write_text(f"#!/bin/sh\ncase \"$1\" in fetch) exit 3;; esac\nexec {shutil.which('git')} \"$@\"\n")
    (runner.bin / "git").chmod(0o755)
    runner.run()
    assert runner.results["Prepare"].returncode != 0
    assert "Annotate the pull request" not in runner.results
    assert runner.results["Check"].returncode == 1 and "SB201" in runner.said("Check")
