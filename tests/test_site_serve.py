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
    server = subprocess.Popen([sys.executable, "-m", "archdsl", "site", "serve", str(specs), "-a", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert wait_for(url, "First title"), "the site was not served"
        spec.write_text('system s "Second title" {\n  component a\n}\n')
        assert wait_for(url, "Second title"), "the site was not rebuilt after the spec changed"
    finally:
        server.terminate()
        server.wait(timeout=20)
