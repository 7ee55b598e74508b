"""Attacks through what archdsl writes: special files, inputs as outputs, interrupted and concurrent builds."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time

SPEC = "system s {\n  component a\n}\n"


def run(*args, cwd, timeout=120, **kw):
    return subprocess.run([sys.executable, "-m", "archdsl", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, **kw)


def test_dev_stdout_is_written_in_place(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    done = run("check", "a.arch", "--format", "json", "-o", "/dev/stdout", cwd=tmp_path)
    assert done.returncode == 0 and '"findings": []' in done.stdout
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_device_stays_a_device(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    for device in ("/dev/null",):
        assert run("render", "a.arch", "-o", device, "--format", "dot", cwd=tmp_path).returncode == 0
        assert stat.S_ISCHR(os.stat(device).st_mode), f"{device} was replaced by a file"
    done = run("check", "a.arch", "-o", "/dev/full", cwd=tmp_path)
    assert done.returncode == 2 and "/dev/full" in done.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_to_its_reader(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    done = run("check", "a.arch", "--format", "json", "-o", str(fifo), cwd=tmp_path, timeout=30)
    reader.join(timeout=30)
    assert done.returncode == 0 and '"findings": []' in got[0]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_an_input_is_never_an_output(tmp_path):
    (tmp_path / "a.arch").write_text(SPEC)
    (tmp_path / "link.txt").symlink_to("a.arch")
    for args in (["check", "a.arch", "-o", "a.arch"], ["check", ".", "--write-baseline", "link.txt"],
                 ["render", "a.arch", "-o", "a.arch", "--format", "dot"]):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2 and "is one of the specs being read" in done.stderr, args
    assert (tmp_path / "a.arch").read_text() == SPEC


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name or ".old-" in p.name)


def test_sigterm_during_a_site_build_leaves_no_debris(tmp_path):
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.arch").write_text(SPEC)
    child = subprocess.Popen([sys.executable, "-m", "archdsl", "site", "build", "specs", "-o", "out"],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not _leftovers(tmp_path):
        time.sleep(0.05)
    assert _leftovers(tmp_path), "the build never started"
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130 and "Traceback" not in err
    assert _leftovers(tmp_path) == [] and not (tmp_path / "out").exists()


def test_concurrent_site_builds_leave_one_whole_site(tmp_path):
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.arch").write_text(SPEC)
    assert run("site", "build", "specs", "-o", "out", cwd=tmp_path).returncode == 0
    logs = [tmp_path / f"build-{n}.log" for n in range(3)]
    builds = []
    for log in logs:  # each into a file of its own, never a pipe nobody reads while it waits its turn
        with open(log, "wb") as output:
            builds.append(subprocess.Popen([sys.executable, "-m", "archdsl", "site", "build", "specs", "-o", "out"],
                                           cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT))
    deadline = time.monotonic() + 600  # they take turns: three builds, on a loaded machine
    try:
        for build in builds:
            build.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        for build in builds:
            build.kill()
        raise AssertionError("a build never ended: " + " | ".join(log.read_text() for log in logs)) from None
    assert [build.returncode for build in builds] == [0, 0, 0], [log.read_text() for log in logs]
    assert _leftovers(tmp_path) == []
    assert (tmp_path / "out" / "index.html").is_file() and (tmp_path / "out" / ".archdsl-site").is_file()


def test_site_title_and_init_folder_cannot_inject_markup(tmp_path):
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.arch").write_text(SPEC)
    title = '<script>alert(1)</script>": x'
    assert run("site", "build", "specs", "-o", "out", "--title", title, cwd=tmp_path).returncode == 0
    page = (tmp_path / "out" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    folder = tmp_path / 'x"y: <b>z'  # a name that breaks YAML and HTML alike
    done = run("init", str(folder), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    import yaml

    config = yaml.safe_load((folder / "mkdocs.yml").read_text())
    assert "<b>" not in config["site_name"] and "&lt;B&gt;" in config["site_name"]
    assert '"' not in config["site_name"]


def test_an_interrupt_inside_generated_code_still_exits_130(tmp_path):
    """CPython marks an interrupt that leaves exec()'d string code (a dataclass's generated
    __init__, a namedtuple) as unhandled even when archdsl handles it, and `python -m` then dies
    by SIGINT: the CI run that signalled a site build at that moment got -2, not 130."""
    (tmp_path / "interrupted.py").write_text(
        "from archdsl import cli\n\n"
        "@cli.main.command()\n"
        "def boom():\n"
        "    exec('raise KeyboardInterrupt')\n\n"
        "cli.run()\n")
    done = subprocess.run([sys.executable, "-m", "interrupted", "boom"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 130, done.stderr
    assert done.stderr == "archdsl: interrupted\n"
