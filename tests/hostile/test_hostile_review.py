"""Attacks through a pull request from a stranger, each as it was reproduced: outputs committed as
symlinks, git trees with `..` entries, markup in tags, file names that are workflow commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import archdsl
from archdsl.docsite import pages
from archdsl.docsite.plan import facts_for
from archdsl.rules import Context

SPEC = 'system s {\n  component a { tags "x" }\n}\n'


def run(*args, cwd, timeout=120):
    return subprocess.run([sys.executable, "-m", "archdsl", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def _victim(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "runner.sh"
    victim.write_text("#!/bin/sh\necho trusted\n")
    victim.chmod(0o755)
    return victim


def test_an_output_committed_as_a_symlink_out_of_its_folder_is_never_written_through(tmp_path):
    victim = _victim(tmp_path)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "a.arch").write_text(SPEC)
    for name, args in (("archdsl.sarif", ["check", "a.arch", "--format", "sarif", "-o", "archdsl.sarif"]),
                       ("known.json", ["check", "a.arch", "--write-baseline", "known.json"]),
                       ("a.svg", ["render", "a.arch", "-o", "a.svg"]),
                       ("a.dot", ["render", "a.arch", "-o", "a.dot"])):
        (checkout / name).symlink_to(victim)
        done = run(*args, cwd=checkout)
        assert done.returncode == 2, (args, done.stderr)
        assert "symbolic link" in done.stderr and "not written" in done.stderr and "Traceback" not in done.stderr
        assert victim.read_text() == "#!/bin/sh\necho trusted\n" and os.stat(victim).st_mode & 0o777 == 0o755
        assert (checkout / name).is_symlink()


def test_a_symlink_that_stays_in_its_folder_is_still_written_through(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    (tmp_path / "reports").mkdir()
    (tmp_path / "latest.json").symlink_to("reports/today.json")
    done = run("check", "a.arch", "--format", "json", "-o", "latest.json", cwd=tmp_path)
    assert done.returncode == 0 and '"findings"' in (tmp_path / "reports" / "today.json").read_text()


def test_render_all_never_writes_through_a_folder_link_out_of_its_output(tmp_path):
    victim = _victim(tmp_path)
    (tmp_path / "a.arch").write_text(SPEC)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "s").symlink_to(victim.parent)  # the system's folder, committed as a link
    done = run("render", "a.arch", "--all", "-o", "out", cwd=tmp_path)
    assert done.returncode == 2 and "outside" in done.stderr
    assert sorted(p.name for p in victim.parent.iterdir()) == ["runner.sh"]


def test_a_site_is_never_built_into_a_folder_a_symlink_leads_to(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.arch").write_text(SPEC)
    (tmp_path / "site").symlink_to(elsewhere)
    done = run("site", "build", "specs", "-o", "site", cwd=tmp_path)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]


def _git(repo: Path, *args: str, stdin: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="x", GIT_AUTHOR_EMAIL="x@example.org", GIT_COMMITTER_NAME="x",
               GIT_COMMITTER_EMAIL="x@example.org")
    return subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, text=True, check=True,
                          env=env).stdout.strip()


def test_a_branch_whose_tree_names_files_outside_it_is_refused(tmp_path):
    """git stores tree entries named `..` (it only refuses to check them out): a base branch
    built that way must not make `diff --git` or `check --new-only` write outside their folder."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "specs").mkdir()
    (repo / "specs" / "a.arch").write_text(SPEC)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "head")
    blob = _git(repo, "hash-object", "-w", "--stdin", stdin="system pwn { component x }\n")
    tree = _git(repo, "mktree", stdin=f"100644 blob {blob}\tpwned.arch\n")
    for _ in range(6):  # specs/../../../../../../pwned.arch
        tree = _git(repo, "mktree", stdin=f"040000 tree {tree}\t..\n")
    top = _git(repo, "mktree", stdin=f"040000 tree {tree}\tspecs\n")
    evil = _git(repo, "commit-tree", top, "-m", "evil")
    for args in (["diff", "--git", evil, "specs"], ["check", "specs", "--new-only", "--git", evil]):
        done = run(*args, cwd=repo)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "refusing to read" in done.stderr and "leaves its folder" in done.stderr
    assert not list(tmp_path.rglob("pwned.arch")) and not Path("/tmp/pwned.arch").exists()


def test_a_tag_cannot_close_its_code_and_make_a_link(tmp_path):
    text = ('system s {\n  component a { tags "x` [click](javascript:alert(1)) `y", "<b>bold</b>" }\n}\n')
    ws = archdsl.loads(text, filename="t.arch")
    ctx = Context(ws)
    facts = facts_for(ctx, ws.systems[0], [])
    page = pages.component_page(facts, ws.systems[0].components[0])
    import markdown

    html = markdown.markdown(page.split("---\n", 2)[2], extensions=["tables", "attr_list", "md_in_html"])
    assert "<a " not in html.split("Tags:")[1].split("</p>")[0]  # no link is made of a tag
    assert "[click](javascript:alert(1))" in html and "&lt;b&gt;bold&lt;/b&gt;" in html  # shown as written


def test_a_file_named_as_a_workflow_command_never_starts_a_line_of_the_report(tmp_path):
    (tmp_path / "::error title=forged::x.arch").write_text('system s {\n  component a { kindd cdn }\n}\n')
    (tmp_path / "##[error]old.arch").write_text('system t {\n  component b { kindd cdn }\n}\n')
    done = run("check", ".", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines() + done.stderr.splitlines()
    assert not [line for line in lines if line.startswith(("::", "##["))], lines
    assert "./::error title=forged::x.arch:2:" in done.stdout
    fmt = run("fmt", "--check", ".", cwd=tmp_path)
    assert not [line for line in fmt.stderr.splitlines() if line.startswith(("::", "##["))]
