"""Small inputs that used to cost large time or memory: each bounded now (times are generous
ceilings against a hang or a quadratic walk, not benchmarks; bench/ measures)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import archdsl
from archdsl.checker import check_workspace
from archdsl.render.views import build_scene


def run_measured(code: str, cwd, timeout=120) -> dict:
    """Python `code` in a child that prints its peak memory (MB) and what `result` holds, as JSON.

    The peak is the child's own (VmHWM): Linux carries `ru_maxrss` over from the parent at fork,
    so a test process that has grown to 300 MB would make every child look at least that big."""
    wrapper = textwrap.dedent("""
        import json, resource
        result = None
        {code}
        try:
            with open("/proc/self/status") as status:
                peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
        except OSError:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({{"peak_mb": peak, "result": result}}))
    """).format(code=textwrap.indent(textwrap.dedent(code), "").strip())
    done = subprocess.run([sys.executable, "-c", wrapper], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_two_megabyte_string_costs_under_300_mb(tmp_path):
    (tmp_path / "big.arch").write_text('system s {\n  component a { description "' + "x\\\"y" * 500_000
                                       + '" }\n}\n')
    got = run_measured("""
        import archdsl
        ws = archdsl.load("big.arch")
        result = len(ws.systems[0].components[0].description)
    """, tmp_path)
    assert got["result"] == 1_500_000
    assert got["peak_mb"] < 300, got


def test_thousands_of_unknown_references_take_linear_time(tmp_path):
    n = 6000
    lines = ["system s {"] + [f"component c{i}" for i in range(n)] + [f"c{i} -> missing{i}" for i in range(n)] + ["}"]
    (tmp_path / "u.arch").write_text("\n".join(lines))
    got = run_measured("""
        import time, archdsl
        started = time.perf_counter()
        ws = archdsl.load("u.arch", strict=False)
        result = [len(ws.findings), time.perf_counter() - started]
    """, tmp_path)
    count, seconds = got["result"]
    assert count == 6000 and seconds < 30  # quadratic hints took minutes here


def test_a_complete_graph_gives_one_cycle_finding_and_short_messages():
    n = 60
    text = "system s {\n" + "".join(f"component c{i}\n" for i in range(n)) + "".join(
        f"c{i} -> c{j}\n" for i in range(n) for j in range(n) if i != j) + "latency 10ms\nactor u\nu -> c0\n}\n"
    findings, _ = check_workspace(archdsl.loads(text))
    lt304 = [f for f in findings if f.code == "LT304"]
    assert len(lt304) == 1 and lt304[0].detail == "cycle"
    assert max(len(f.message) for f in findings) < 400


def test_an_actor_fanning_out_to_a_long_chain_is_checked_once(tmp_path):
    n = 3000
    lines = ["system s {", "latency 50ms", "actor u"] + [f"component c{i}" for i in range(n)]
    lines += [f"c{i} -> c{i + 1} {{ latency 1ms }}" for i in range(n - 1)] + [f"u -> c{i}" for i in range(n)] + ["}"]
    (tmp_path / "fan.arch").write_text("\n".join(lines))
    done = subprocess.run([sys.executable, "-m", "archdsl", "check", "fan.arch", "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    doc = json.loads(done.stdout)
    assert len(done.stdout) < 2_000_000, "findings stay proportional to the problems"
    assert all(len(f["message"]) < 400 for f in doc["findings"])
    over = [f for f in doc["findings"] if f["code"] == "LT304"]
    assert len(over) == n - 51  # every entry point more than 50 hops from the end, each named once


def test_the_overview_collapses_components_outside_layers():
    n = 300
    text = "system s {\n" + "".join(f"component c{i}\n" for i in range(n)) + "".join(
        f"c{i} -> c{(i + 1) % n}\n" for i in range(n)) + "}\n"
    ws = archdsl.loads(text)
    scene = build_scene(ws, ws.systems[0], "system")
    assert scene.overview and scene.nodes == ["lone:"]
    assert "Outside layers" in archdsl.draw(ws, "system", "dot").decode()


def test_a_layout_past_its_memory_limit_is_a_clear_error(tmp_path, monkeypatch):
    hog = tmp_path / "hog"
    hog.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.read()\nx = bytearray(2 << 30)\nprint('<svg/>')\n")
    hog.chmod(0o755)
    (tmp_path / "a.arch").write_text("system s { component a }\n")
    done = subprocess.run([sys.executable, "-m", "archdsl", "render", "a.arch", "-o", "a.svg"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "ARCHDSL_DOT": str(hog), "ARCHDSL_LAYOUT_MEMORY_MB": "512"})
    assert done.returncode == 2 and "512 MiB memory limit" in done.stderr, done.stderr
    assert not (tmp_path / "a.svg").exists()
