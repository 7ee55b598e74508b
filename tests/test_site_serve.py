"""`archdsl site serve` serves the site and rebuilds it when a spec changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_on_spec_change(tmp_path):
    specs = tmp_path / "specs"
    specs.mkdir()
    spec = specs / "a.arch"
    spec.write_text('system s "First title" {\n  component a\n}\n')
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:  # a file, never a pipe nobody reads: the server cannot block on it
        server = subprocess.Popen([sys.executable, "-m", "archdsl", "site", "serve", str(specs), "-a",
                                   f"127.0.0.1:{port}"], stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert wait_for(url, "First title"), f"the site was not served: {log.read_text()[-2000:]}"
        spec.write_text('system s "Second title" {\n  component a\n}\n')
        assert wait_for(url, "Second title"), f"not rebuilt after the spec changed: {log.read_text()[-2000:]}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)
    assert server.returncode == 130, log.read_text()[-2000:]  # SIGTERM: stopped cleanly, as interrupted
    assert "Traceback" not in log.read_text() and "internal error" not in log.read_text()


def test_an_interrupt_the_moment_the_server_starts_prints_no_traceback_of_its_thread():
    """MkDocs' server thread can find its socket closed when Ctrl+C stops it the moment it
    starts; that one exception is not shown, any other exception of a thread still is."""
    import threading
    from types import SimpleNamespace

    from archdsl.docsite.build import _quiet_server_stop

    shown = []
    quiet = _quiet_server_stop(shown.append)
    namespace: dict = {}
    exec(compile("def serve_forever():\n    raise ValueError('file descriptor cannot be a negative integer (-1)')\n",
                 "/usr/lib/python3/socketserver.py", "exec"), namespace)

    def happened(call):
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - the exception a thread would have raised
            return SimpleNamespace(exc_type=type(exc), exc_value=exc, exc_traceback=exc.__traceback__,
                                   thread=threading.current_thread())

    quiet(happened(namespace["serve_forever"]))
    assert shown == []
    other = happened(lambda: 1 / 0)
    quiet(other)
    assert shown == [other]


def test_an_interrupted_server_that_does_not_stop_is_ended(tmp_path):
    """MkDocs' shutdown can wait forever for a half-started server thread: once interrupted, the
    process ends within its bound all the same, says why, exits 130 and leaves no scratch folder."""
    scratch = tmp_path / "archdsl-serve-x"
    scratch.mkdir()
    script = f"""
import os, signal, threading
from pathlib import Path
from archdsl.docsite.build import _stop_within
signal.signal(signal.SIGINT, _stop_within(0.5, Path({str(scratch)!r})))
try:
    os.kill(os.getpid(), signal.SIGINT)
    threading.Event().wait(60)
except KeyboardInterrupt:
    threading.Event().wait(60)  # a shutdown that never returns
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130 and "did not stop within 0.5 s" in done.stderr
    assert not scratch.exists()
