"""archdsl runs where its users are: a platform without POSIX-only modules (Windows), a core
install without the documentation toolchain, and every Python it claims (old `re` engines
included)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

import archdsl
from archdsl.parsing.parser import terminal_patterns

from conftest import REPO, SPECS

# What Windows lacks that a POSIX Python has: modules, signals and os functions. A child process
# starts with them gone, as a Windows user's Python would be, and runs archdsl's commands.
WITHOUT_POSIX = textwrap.dedent("""
    import os, signal, sys
    BLOCKED = ("fcntl", "resource", "termios", "tty", "pty", "grp", "pwd")
    for name in BLOCKED:  # (coverage, measuring this child, may have loaded one already)
        sys.modules[name] = None  # `import fcntl` now fails as it does on Windows
    for name in ("pthread_sigmask", "pthread_kill", "sigwait", "SIGPIPE", "SIGKILL", "SIGHUP",
                 "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGCHLD", "alarm", "setitimer"):
        if hasattr(signal, name):
            delattr(signal, name)
    for name in ("fork", "forkpty", "setsid", "killpg", "getuid", "geteuid"):
        if hasattr(os, name):
            delattr(os, name)
""")
# os's POSIX-only names: the standard library's own POSIX code paths use some of them (shutil.rmtree
# reads os.O_NONBLOCK on 3.13), so archdsl's code is read for them instead of the child losing them.
POSIX_ONLY_OS = {"O_NONBLOCK", "O_NOFOLLOW", "O_NOCTTY", "O_DIRECTORY", "O_CLOEXEC", "fork", "forkpty",
                 "setsid", "killpg", "getpgid", "getuid", "geteuid", "getgid", "mkfifo", "mknod", "fchmod",
                 "fchown", "chown", "lchown", "sync", "statvfs", "uname", "pipe2", "openpty", "nice",
                 "WNOHANG", "getloadavg", "sysconf"}


def test_check_render_and_site_build_run_without_posix_only_modules(tmp_path):
    script = WITHOUT_POSIX + textwrap.dedent(f"""
        import json
        from archdsl.cli import main
        from archdsl.render.engine import _cap_memory

        codes = {{}}
        for name, args in (
            ("check", ["check", {str(SPECS)!r}, "--baseline", {str(SPECS / "baseline.json")!r}]),
            ("render", ["render", {str(SPECS)!r}, "--all", "-o", "diagrams"]),
            ("site", ["site", "build", {str(SPECS / "scenarios")!r}, "-o", "site"]),
        ):
            try:
                main(args)
            except SystemExit as exit:
                codes[name] = exit.code
        codes["capped"] = _cap_memory(512) is not None
        codes["blocked"] = all(sys.modules[name] is None for name in BLOCKED)
        print(json.dumps(codes))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    codes = json.loads(done.stdout.strip().splitlines()[-1])
    assert codes == {"check": 0, "render": 0, "site": 0, "capped": False, "blocked": True}, done.stderr[-3000:]
    assert "internal error" not in done.stderr
    assert len(list((tmp_path / "diagrams").rglob("*.svg"))) > 20
    assert (tmp_path / "site" / "systems" / "elearning" / "index.html").is_file()


def test_archdsl_reads_no_posix_only_name_of_os_directly():
    """`os.O_NONBLOCK` is an AttributeError on Windows: such names are read with getattr(…, 0)."""
    import ast

    found = []
    for path in sorted((REPO / "archdsl").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" \
                    and node.attr in POSIX_ONLY_OS:
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: os.{node.attr}")
    assert not found, found


def test_the_layout_memory_cap_applies_where_the_platform_has_one():
    from archdsl.render.engine import _cap_memory

    assert _cap_memory(512) is not None  # this Linux has `resource`: the cap is applied there


# -------------------------------------------------------------------------------- a core install

def _run(env, *args, cwd=None):
    binary = env / ("Scripts" if os.name == "nt" else "bin") / "archdsl"
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_a_core_install_has_no_documentation_toolchain(core_env):
    python = core_env / ("Scripts" if os.name == "nt" else "bin") / "python"
    probe = "import importlib.util as u; print([n for n in ('mkdocs', 'material', 'babel', 'markdown_it', " \
            "'pygments', 'jinja2') if u.find_spec(n)])"
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_core_install_checks_draws_formats_and_diffs(core_env, tmp_path):
    check = _run(core_env, "check", SPECS, "--baseline", SPECS / "baseline.json")
    assert check.returncode == 0 and check.stdout.startswith(f"No findings in {len(list(SPECS.rglob('*.arch')))} files"), check.stdout + check.stderr
    drawn = _run(core_env, "render", SPECS / "scenarios" / "elearning.arch", "-o", tmp_path / "e.svg")
    assert drawn.returncode == 0, drawn.stderr
    assert "<svg" in (tmp_path / "e.svg").read_text()
    assert _run(core_env, "fmt", "--check", SPECS).returncode == 0
    diff = _run(core_env, "diff", SPECS / "anti-patterns", SPECS / "anti-patterns", "--format", "json")
    assert diff.returncode == 0 and json.loads(diff.stdout)["added"] == []
    for command in (["recommend", SPECS / "scenarios"], ["explain", "SB201"], ["schema"], ["rules"]):
        assert _run(core_env, *command).returncode == 0, command
    made = _run(core_env, "init", tmp_path / "project")
    assert made.returncode == 0 and (tmp_path / "project" / "mkdocs.yml").is_file()


@pytest.mark.parametrize("command", [["site", "build", str(SPECS), "-o", "out"], ["site", "serve", str(SPECS)]])
def test_a_core_install_says_how_to_get_the_site(core_env, tmp_path, command):
    done = _run(core_env, *command, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr  # one line
    assert "pip install 'archdsl[site]'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------- strings on every Python

def _reference_string(text: str, triple: bool) -> int | None:
    """Where a string that starts `text` ends, read by hand: escapes take the next character; a
    plain string ends at the first unescaped quote (and cannot hold a newline), a triple-quoted
    one at the first unescaped three quotes. None when it never ends."""
    quote = '"""' if triple else '"'
    at = len(quote)
    while at < len(text):
        if text[at] == "\\":
            if at + 1 >= len(text) or (not triple and text[at + 1] == "\n"):
                return None
            at += 2
        elif text.startswith(quote, at):
            return at + len(quote)
        elif text[at] == "\n" and not triple:
            return None
        else:
            at += 1
    return None


pieces = st.lists(st.sampled_from(['"', '\\', 'a', ' ', '\n', '""', '\\"', '\\\\', 'é', '"""']), max_size=14)


@given(pieces)
def test_string_terminals_match_what_the_language_defines(parts):
    """The grammar's string patterns end a string exactly where the language says, on whatever
    `re` engine runs them (CPython 3.11.0-3.11.4 mismatched the possessive patterns used before)."""
    body = "".join(parts)
    for name, triple in (("STRING", False), ("MLSTRING", True)):
        text = ('"""' if triple else '"') + body
        found = re.compile(terminal_patterns()[name]).match(text)
        assert (found.end() if found else None) == _reference_string(text, triple), (name, text)


def test_no_terminal_uses_a_construct_old_3_11_engines_mismatch():
    for name, pattern in terminal_patterns().items():
        assert not re.search(r"[*+?}]\+|\(\?>", pattern), f"{name} uses a possessive quantifier or atomic group"


def test_a_triple_quoted_string_is_one_value():
    ws = archdsl.loads('system s {\n  decision d "D" {\n    context """a "b" c\n  d \\""" e"""\n  }\n}\n')
    assert ws.systems[0].decisions[0].context == 'a "b" c\nd """ e'
