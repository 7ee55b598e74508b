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
