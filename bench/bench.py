"""Benchmarks of archdsl: medians of the real commands in fresh processes, as a user meets them.

    python bench/bench.py                # the commands that run on every commit
    python bench/bench.py --scale        # check at 10 … 5,000 components against the bare Lark parse,
                                         # growth, memory at 20,000, start-up against the bare imports
    python bench/bench.py --scale --peers  # … and against LikeC4 1.46 `validate` and D2 `validate`
    python bench/bench.py --views        # every view of 1,000 components with both layout engines,
                                         # the full system view of 5,000
    python bench/bench.py --site         # site build at 1,000 and 5,000 components
    python bench/bench.py --everything   # all of the above, peers included

Each figure is the median of several runs, with the fastest and slowest in brackets; runs of
the things compared are interleaved (archdsl, bare parse, LikeC4, D2, archdsl, …) so that a
busy moment of a shared machine falls on all of them alike. Tables print as Markdown, ready
for docs/performance.md. Peers install into ~/.cache/archdsl-bench (see peers.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import peers  # noqa: E402
from synth import d2_spec, likec4_spec, synthetic_policy, synthetic_spec  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
ARCHDSL = [sys.executable, "-m", "archdsl"]
# as installed: modules compiled once, not at every start (a development shell may say otherwise)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
GRAPHVIZ_PURE = str(Path(sys.executable).parent / "graphviz-pure")


class Timing:
    """The runs of one command: median, fastest, slowest, in seconds."""

    def __init__(self, times: list[float]):
        self.times = times
        self.median = statistics.median(times)

    def __str__(self) -> str:
        return f"{_s(self.median)} ({_s(min(self.times))}–{_s(max(self.times))})"


def _s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def run_once(args: list[str], env: dict | None = None, timeout: float = 900) -> float:
    """Wall time of one run. The wait blocks in waitpid: `subprocess.run(timeout=…)` polls
    with sleeps of up to 50 ms instead, which rounded every figure up to the next poll."""
    started = time.perf_counter()
    with subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env=env or ENV) as child:
        watchdog = threading.Timer(timeout, child.kill)
        watchdog.start()
        try:
            child.wait()
        finally:
            watchdog.cancel()
    return time.perf_counter() - started


def interleaved(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, Timing]:
    """Each command `runs` times, taking turns; one warm-up run each first."""
    for args in commands.values():
        run_once(args, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            times[name].append(run_once(args, env))
    return {name: Timing(t) for name, t in times.items()}


def peak_memory_mb(args: list[str]) -> float:
    """The peak resident memory of a command, in MB (measured by a fresh process around it)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, *args], cwd=REPO, env=ENV, capture_output=True, text=True)
    return int(done.stdout.strip()) / 1024


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    dot = shutil.which("dot")
    dot_version = ""
    if dot:
        said = subprocess.run([dot, "-V"], capture_output=True, text=True).stderr.strip()
        dot_version = f"; {said}"
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}{dot_version}")


# ---------------------------------------------------------------- every commit


def every_commit(tmp: Path, runs: int) -> None:
    rows = []
    rows.append(["archdsl --version (start-up)", str(interleaved({"v": [*ARCHDSL, "--version"]}, runs)["v"])])
    rows.append(["check specs/", str(interleaved({"c": [*ARCHDSL, "check", "specs/"]}, runs)["c"])])
    rows.append(["render specs/ --all", str(interleaved(
        {"r": [*ARCHDSL, "render", "specs/", "--all", "-o", str(tmp / "all")]}, max(3, runs // 2))["r"])])
    rows.append(["site build specs/", str(interleaved(
        {"s": [*ARCHDSL, "site", "build", "specs/", "-o", str(tmp / "site")]}, max(3, runs // 2))["s"])])
    print("## Every commit\n")
    print(table(["command", "median (fastest–slowest)"], rows))
    print()


# ---------------------------------------------------------------- scale


SIZES = (10, 100, 1000, 5000)


def scale(tmp: Path, runs: int, with_peers: bool) -> None:
    rows = []
    medians: dict[int, float] = {}
    for n in SIZES:
        spec = tmp / f"big-{n}.arch"
        spec.write_text(synthetic_spec(n))
        settings = tmp / f"settings-{n}" / "pyproject.toml"
        settings.parent.mkdir(exist_ok=True)
        settings.write_text("[tool.archdsl]\n")
        shutil.copy(spec, settings.parent / spec.name)
        # cold: no cache at all; warm: nothing changed since the last run, so the kept answer;
        # parsed: a settings file changed (a line appended each run), so the check runs again but
        # every spec file comes from the parse cache
        commands = {"archdsl": [*ARCHDSL, "check", "--no-cache", str(spec)],
                    "warm": [*ARCHDSL, "check", str(spec)],
                    "parsed": ["sh", "-c", f'echo "# run" >> "{settings}" && exec "$0" "$@"', *ARCHDSL, "check",
                               str(settings.parent / spec.name)],
                    "bare": [sys.executable, str(HERE / "bare_parse.py"), str(spec)]}
        run_once(commands["warm"])  # the answer kept
        run_once(commands["parsed"])  # the parse cache filled
        if with_peers:
            folder = tmp / f"likec4-{n}"
            folder.mkdir(exist_ok=True)
            (folder / "model.c4").write_text(likec4_spec(n))
            d2_file = tmp / f"big-{n}.d2"
            d2_file.write_text(d2_spec(n))
            commands["likec4"] = peers.likec4_validate(folder)
            commands["d2"] = peers.d2_validate(d2_file)
            peers.valid(commands["likec4"])
            peers.valid(commands["d2"])
        print(f"check at {n:,} components…", file=sys.stderr)
        got = interleaved(commands, runs if n < 5000 else max(3, runs // 2))
        medians[n] = got["archdsl"].median
        row = [f"{n:,}", str(got["archdsl"]), str(got["warm"]), f"{got['warm'].median / got['archdsl'].median:.2f}",
               str(got["parsed"]), f"{got['parsed'].median / got['archdsl'].median:.2f}",
               str(got["bare"]), f"{got['archdsl'].median / got['bare'].median:.2f}"]
        if with_peers:
            row += [str(got["likec4"]), f"{got['archdsl'].median / got['likec4'].median:.2f}",
                    f"{got['warm'].median / got['likec4'].median:.2f}", str(got["d2"])]
        rows.append(row)
    header = ["components", "`archdsl check --no-cache` (cold)", "`archdsl check` (warm: kept answer)",
              "warm ÷ cold", "settings changed (parse cache)", "÷ cold",
              "bare Lark parse", "cold ÷ the parse"]
    if with_peers:
        header += ["LikeC4 1.46 `validate`", "cold ÷ LikeC4", "warm ÷ LikeC4", "D2 `validate`"]
    print("## Check at scale\n")
    print(table(header, rows))
    print(f"\nGrowth from 1,000 to 5,000 components: {medians[5000] / medians[1000]:.2f}× the time for 5× the spec.")
    constraints(tmp, runs)
    big = tmp / "big-20000.arch"
    big.write_text(synthetic_spec(20000))
    print(f"Peak memory of `check --no-cache` at 20,000 components: "
          f"{peak_memory_mb([*ARCHDSL, 'check', '--no-cache', str(big)]):.0f} MB.")
    start = interleaved({"check": [*ARCHDSL, "check", "--no-cache", str(tmp / "big-10.arch")],
                         "imports": [sys.executable, "-c", "import lark, networkx, pydantic, click"],
                         "version": [*ARCHDSL, "--version"]}, max(runs, 15))
    print(f"Start-up: `check` on 10 components {start['check']}, the bare `import lark, networkx, pydantic, "
          f"click` {start['imports']}: {start['check'].median / start['imports'].median:.2f}×; "
          f"`archdsl --version` {start['version']}.\n")


def constraints(tmp: Path, runs: int) -> None:
    """A check of 5,000 components with and without a policy of 100 shared constraints."""
    folder = tmp / "policy-5000"
    folder.mkdir(exist_ok=True)
    (folder / "policy.arch").write_text(synthetic_policy(100))
    (folder / "with.arch").write_text('import "policy.arch"\n' + synthetic_spec(5000))
    (tmp / "without-5000.arch").write_text(synthetic_spec(5000))
    got = interleaved({"with": [*ARCHDSL, "check", "--no-cache", str(folder / "with.arch")],
                       "without": [*ARCHDSL, "check", "--no-cache", str(tmp / "without-5000.arch")]},
                      max(3, runs // 2))
    print(f"100 constraints over 5,000 components: `check --no-cache` {got['with']} against {got['without']} "
          f"without them ({got['with'].median / got['without'].median:.2f}×).")


# ---------------------------------------------------------------- views


def views(tmp: Path, runs: int) -> None:
    spec = tmp / "views-1000.arch"
    spec.write_text(synthetic_spec(1000))
    full = ["--overview-threshold", "100000", "--timeout", "600"]
    names = ["system", "state", *[f"layer:{layer}" for layer in ("edge", "gateway", "api", "realtime", "data")]]
    rows = []
    engines = {"Debian dot": shutil.which("dot"), "graphviz-pure": GRAPHVIZ_PURE}
    for engine, command in engines.items():
        if not command or not Path(command).exists():
            continue
        env = dict(ENV, ARCHDSL_DOT=command)
        print(f"views of 1,000 components with {engine}…", file=sys.stderr)
        got = interleaved({name: [*ARCHDSL, "render", str(spec), "--view", name, "-o", str(tmp / "v.svg"), *full]
                           for name in names}, max(3, runs // 2), env)
        total = sum(t.median for t in got.values())
        every = interleaved({"all": [*ARCHDSL, "render", str(spec), "--all", "-o", str(tmp / "all"), *full]},
                            max(3, runs // 2), env)["all"]
        rows.append([engine, *[_s(got[name].median) for name in names], _s(total), str(every)])
    print("## Diagrams of 1,000 components (full layouts, no overview)\n")
    print(table(["engine", *names, "these views, one by one", "`render --all` (12 views, side by side)"], rows))
    huge = tmp / "views-5000.arch"
    huge.write_text(synthetic_spec(5000))
    print("system view of 5,000 components…", file=sys.stderr)
    once = run_once([*ARCHDSL, "render", str(huge), "-o", str(tmp / "huge.svg"), *full])
    print(f"\nThe full system view of 5,000 components (Debian dot): {_s(once)}.\n")


# ---------------------------------------------------------------- site


def site(tmp: Path, runs: int, with_peers: bool, sizes=(1000, 5000)) -> None:
    """`site build` at 1,000 and 5,000 components; with peers, beside LikeC4's `build` of the same
    model at 1,000 (runs taking turns, ratio archdsl / LikeC4)."""
    rows = []
    for n in sizes:
        folder = tmp / f"site-spec-{n}"
        folder.mkdir(exist_ok=True)
        (folder / "spec.arch").write_text(synthetic_spec(n))
        commands = {"site": [*ARCHDSL, "site", "build", str(folder), "-o", str(tmp / f"site-{n}")]}
        if with_peers and n == 1000:
            c4 = tmp / f"site-likec4-{n}"
            c4.mkdir(exist_ok=True)
            (c4 / "model.c4").write_text(likec4_spec(n))
            peers.valid(peers.likec4_validate(c4))
            commands["likec4"] = [*peers.likec4(), "build", "-o", str(tmp / f"likec4-site-{n}"), str(c4)]
        print(f"site build at {n:,} components…", file=sys.stderr)
        got = interleaved(commands, max(1, runs // 4) if n == 5000 else max(3, runs // 2))
        pages = sum(1 for _ in (tmp / f"site-{n}").rglob("index.html"))
        peer = f"{got['likec4']} ({got['site'].median / got['likec4'].median:.2f}×)" if "likec4" in got else "—"
        rows.append([f"{n:,}", str(got["site"]), str(pages), peer])
    print("## Site\n")
    print(table(["components", "`archdsl site build`", "pages", f"LikeC4 {peers.LIKEC4_VERSION} `build` (archdsl ÷ LikeC4)"],
                rows))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", action="store_true")
    parser.add_argument("--peers", action="store_true")
    parser.add_argument("--views", action="store_true")
    parser.add_argument("--site", action="store_true")
    parser.add_argument("--site-sizes", default="1000,5000", help="components of the site builds (comma-separated)")
    parser.add_argument("--everything", action="store_true")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.everything:
        args.scale = args.peers = args.views = args.site = True
    print(f"Machine: {machine()}\n")
    with tempfile.TemporaryDirectory(prefix="archdsl-bench-") as name:
        tmp = Path(name)
        if not (args.scale or args.views or args.site):
            every_commit(tmp, args.runs)
        if args.scale:
            scale(tmp, args.runs, args.peers)
        if args.views:
            views(tmp, args.runs)
        if args.site:
            site(tmp, args.runs, args.peers, tuple(int(n) for n in args.site_sizes.split(",")))


if __name__ == "__main__":
    main()
