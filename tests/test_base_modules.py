"""The base modules on their own: environment, settings, safe files, the layout engine's choice."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
from archdsl import environment
from archdsl.config import load_settings, parse_settings
from archdsl.diagnostics import Severity
from archdsl.errors import ConfigError
from archdsl.fsutil import Unreadable, atomic_write_bytes, atomic_write_text, read_regular, read_text_file
from archdsl.render import engine
from archdsl.rules import check_settings


def test_environment(monkeypatch):
    monkeypatch.delenv("ARCHDSL_DEBUG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not environment.debug() and environment.colour_allowed()
    monkeypatch.setenv("ARCHDSL_DEBUG", "1")
    monkeypatch.setenv("NO_COLOR", "")
    assert environment.debug() and not environment.colour_allowed()
    monkeypatch.setenv("ARCHDSL_LAYOUT_MEMORY_MB", "lots")
    assert environment.layout_memory_mb() == environment.DEFAULT_LAYOUT_MEMORY_MB
    monkeypatch.setenv("ARCHDSL_LAYOUT_MEMORY_MB", "10")
    assert environment.layout_memory_mb() == 256, "never below 256 MiB"
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert environment.cache_home() == "/somewhere"


@pytest.mark.parametrize("toml, words", [
    ("[tool.archdsl\n", "cannot read settings"),
    ('[tool.archdsl]\nfail-on = "sometimes"\n', "fail-on must be one of"),
    ('[tool.archdsl]\nhop-latency = { database = "fast" }\n', 'hop-latency.database must be a duration'),
    ('[tool.archdsl]\nhop-latency = { database = 3 }\n', 'hop-latency.database must be a duration'),
])
def test_bad_settings_files(tmp_path, toml, words):
    (tmp_path / "pyproject.toml").write_text(toml)
    with pytest.raises(ConfigError, match=words):
        load_settings(tmp_path)


def test_settings_read_every_duration_unit_and_leave_the_codes_to_the_rules():
    """Settings sit below the rules: they keep codes as written (upper-cased), and the registry
    refuses the unknown ones, naming the file and the key."""
    settings = parse_settings({"hop-latency": {"database": "2min", "cache": "250us"}, "select": ["zz"],
                               "severity": {"lt303": "info"}}, "x.toml")
    assert settings.hop_latency == {"database": 120_000, "cache": 0.25}
    assert settings.select == ["ZZ"] and list(settings.severity) == ["LT303"]
    with pytest.raises(ConfigError, match="x.toml: 'select': 'ZZ' is no rule code or prefix"):
        check_settings(settings)
    settings.select = ["SB", "LT304"]
    assert check_settings(settings) is settings
    settings.severity = {"LT": Severity.INFO}
    with pytest.raises(ConfigError, match="x.toml: 'severity': 'LT' is no rule code;"):
        check_settings(settings)  # a severity names one rule, never a prefix


def test_read_regular_refuses_and_reads(tmp_path):
    with pytest.raises(Unreadable, match="cannot read the file"):
        read_regular(tmp_path / "missing.arch")
    with pytest.raises(Unreadable, match="not a regular file"):
        read_regular(tmp_path)
    (tmp_path / "a.txt").write_bytes(b"x" * 100)
    assert read_regular(tmp_path / "a.txt", limit=100) == b"x" * 100
    with pytest.raises(Unreadable, match="over the"):
        read_regular(tmp_path / "a.txt", limit=99)
    (tmp_path / "bad.json").write_bytes(b"\xff")
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        read_text_file(tmp_path / "bad.json", "not a baseline")


def test_atomic_writes_keep_mode_and_newlines_and_clean_up(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write_text(target, "a\nb\n", newline="\r\n")
    assert target.read_bytes() == b"a\r\nb\r\n" and stat.S_IMODE(target.stat().st_mode) == 0o640
    with pytest.raises(OSError) as failure:
        atomic_write_bytes(tmp_path / "no" / "such" / "x.txt", b"x")
    assert failure.value.filename == str(tmp_path / "no" / "such" / "x.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"], "no temporary file is left"


def test_engine_choice(monkeypatch, tmp_path):
    monkeypatch.setenv("ARCHDSL_DOT", "no-such-engine-anywhere")
    with pytest.raises(engine.LayoutError, match="is not an executable"):
        engine.find_engine()
    monkeypatch.delenv("ARCHDSL_DOT")
    system_dot = shutil.which("dot")
    assert engine.find_engine() == [system_dot or engine._graphviz_pure()]
    assert os.access(engine._graphviz_pure(), os.X_OK), "the wheel's engine is always there"
    broken = tmp_path / "broken-dot"
    broken.write_text("#!/no/such/interpreter\n")
    broken.chmod(0o755)
    monkeypatch.setenv("ARCHDSL_DOT", str(broken))
    with pytest.raises(engine.LayoutError, match="view 'v': cannot run"):
        engine.layout("digraph { a }", "svg", view="v")


def test_engine_fallbacks_when_things_are_missing(monkeypatch, tmp_path):
    """No `dot`: graphviz-pure; graphviz-pure found beside the interpreter, then on PATH, then not."""
    real = engine._graphviz_pure()
    monkeypatch.delenv("ARCHDSL_DOT", raising=False)
    monkeypatch.setattr(engine.shutil, "which", lambda name: None)
    assert engine.find_engine() == [real]
    monkeypatch.setattr(engine.sysconfig, "get_path", lambda name: str(tmp_path / "nowhere"))
    assert engine._graphviz_pure() == str(os.path.join(os.path.dirname(engine.sys.executable), "graphviz-pure"))
    monkeypatch.setattr(engine.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(engine.shutil, "which", lambda name: "/on/path/" + name)
    assert engine._graphviz_pure() == "/on/path/graphviz-pure"
    monkeypatch.setattr(engine.shutil, "which", lambda name: None)
    with pytest.raises(engine.LayoutError, match="no layout engine"):
        engine._graphviz_pure()


def test_the_collector_is_paused_for_a_command_and_frozen_only_when_archdsl_is_the_process(tmp_path):
    """One policy (memory.COLLECTOR): a command runs without cyclic collections; when the command
    is the `archdsl` program, what it made is frozen before collections resume (they would walk
    it once more, for nothing, on the way out); a caller in the same process is never frozen."""
    import gc
    import subprocess
    import sys

    from click.testing import CliRunner

    from archdsl.cli import main

    (tmp_path / "a.arch").write_text("system s {\n  component a\n}\n")
    before = gc.get_freeze_count()
    assert CliRunner().invoke(main, ["check", str(tmp_path / "a.arch")]).exit_code == 0
    assert gc.get_freeze_count() == before and gc.isenabled()  # a test is not the process
    probe = ("import gc, sys\nfrom archdsl.cli import run\nsys.argv = ['archdsl', 'check', 'a.arch']\n"
             "try:\n    run()\nexcept SystemExit as exit:\n    print(exit.code, gc.get_freeze_count() > 0, gc.isenabled())")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.stdout.split()[-3:] == ["0", "True", "True"], done.stdout + done.stderr
