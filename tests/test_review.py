"""The review workflow's pieces: the pre-commit hooks in a real git repository, the GitHub Action, init."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from archdsl.cli import main
from click.testing import CliRunner

from conftest import REPO, offline_pip

GOOD = 'system s "Shop" {\n  component api { state stateless }\n}\n'
UGLY = 'system s "Shop" {component api {state stateless}}\n'
BAD = 'system s "Shop" {\n  component api { kind nope }\n}\n'


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def readme_precommit_config(repo: Path, rev: str) -> str:
    """The README's pre-commit configuration, pointed at this working tree."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("With [pre-commit](https://pre-commit.com):", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "https://github.com/OWNER/archdsl" in block and "rev: v0.1.0" in block
    return block.replace("https://github.com/OWNER/archdsl", str(repo)).replace("v0.1.0", rev)


@pytest.fixture
def project(tmp_path, hook_repo):
    """A user's repository with the README's pre-commit configuration."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "specs").mkdir()
    (tmp_path / ".pre-commit-config.yaml").write_text(readme_precommit_config(*hook_repo))
    return tmp_path


@pytest.fixture
def hook(precommit_home, wheelhouse):
    """`pre-commit run HOOK --all-files` in a project, as its users run it: pre-commit builds the
    hooks' environment from the repository (once for the run, from the wheelhouse)."""
    def run(project: Path, hook_id: str) -> subprocess.CompletedProcess:
        pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or "pre-commit"
        env = dict(os.environ, PRE_COMMIT_HOME=str(precommit_home), **offline_pip(wheelhouse))
        return subprocess.run([pre_commit, "run", hook_id, "--all-files"], cwd=project, capture_output=True,
                              text=True, env=env, timeout=900)

    return run


def _add(project: Path, text: str) -> None:
    (project / "specs" / "shop.arch").write_text(text)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)


def test_check_hook_passes_and_fails(project, hook):
    _add(project, GOOD)
    ok = hook(project, "archdsl-check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "archdsl check" in ok.stdout and "Passed" in ok.stdout
    _add(project, BAD)
    failed = hook(project, "archdsl-check")
    assert failed.returncode == 1
    assert "AD108 unknown kind 'nope'" in failed.stdout


def test_fmt_hook_rewrites_the_file(project, hook):
    _add(project, UGLY)
    result = hook(project, "archdsl-fmt")
    assert result.returncode == 1 and "files were modified by this hook" in result.stdout
    assert (project / "specs" / "shop.arch").read_text() == (
        'system s "Shop" {\n  component api { state stateless }\n}\n')
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    assert hook(project, "archdsl-fmt").returncode == 0


def test_action_is_a_composite_that_runs_archdsl_safely():
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scripts = [s["run"] for s in steps if "run" in s]
    assert all("shell" in s for s in steps if "run" in s)
    joined = "\n".join(scripts)
    assert "--format github" in joined and "--format sarif" in joined
    assert "archdsl diff --git" in joined and "--new-only --git" in joined
    assert "${{" not in joined, "inputs reach scripts through env, never pasted into them"
    for command in ("check", "diff"):  # every option the action uses exists
        help_text = CliRunner().invoke(main, [command, "--help"]).output
        for option in ("--format", "--git") + (("--exit-zero", "--new-only", "--fail-on", "-o") if command == "check" else ()):
            assert option in help_text, (command, option)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)


def test_hooks_file_names_both_hooks():
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["archdsl-check"]["entry"] == "archdsl check" and hooks["archdsl-check"]["pass_filenames"] is False
    assert hooks["archdsl-fmt"]["entry"] == "archdsl fmt"


@pytest.mark.parametrize("template", ["hybrid", "elearning", "game", "saas"])
def test_init_writes_a_working_project(tmp_path, template):
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "proj"), "--template", template])
    assert result.exit_code == 0, result.output
    checked = runner.invoke(main, ["check", str(tmp_path / "proj" / "specs")])
    assert checked.exit_code == 0 and checked.output.startswith("No findings in 2 files"), checked.output
    # the starting policy holds for the spec: a relation it forbids is reported
    spec = tmp_path / "proj" / "specs" / f"{template}.arch"
    assert spec.read_text().startswith('import "policy.arch"')
    text = spec.read_text().rstrip().removesuffix("}")
    spec.write_text(text + '  component page "Page" { kind frontend }\n'
                           '  component store "Store" { kind database; replication 3 }\n'
                           '  page -> store "reads"\n}\n')
    broken = runner.invoke(main, ["check", str(tmp_path / "proj" / "specs"), "--select", "CT"])
    assert "CT901" in broken.output and "edge-not-data" in broken.output, broken.output
    config = yaml.safe_load((tmp_path / "proj" / "mkdocs.yml").read_text())
    assert {"archdsl": {"specs": ["specs"], "prefix": "architecture"}} in config["plugins"]
    again = runner.invoke(main, ["init", str(tmp_path / "proj"), "--template", template])
    assert again.exit_code == 2 and "refusing to overwrite" in again.output
