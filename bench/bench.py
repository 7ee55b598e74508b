"""Benchmarks of the commands that run on every commit; prints medians and ratios.

    python bench/bench.py            # check specs/, check 1,000 and 5,000 components, start-up

Timings are wall-clock medians over several runs of the real command in a fresh
process, so imports and start-up are included, as a user meets them; the fastest and
slowest run follow each median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import synthetic_spec  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


SPREAD: dict[float, tuple[float, float]] = {}  # median -> (fastest, slowest) of its runs


def median_seconds(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    SPREAD[median] = (min(times), max(times))
    return median


def main() -> None:
    archdsl = [sys.executable, "-m", "archdsl"]
    rows = []
    startup = median_seconds([*archdsl, "--version"], 7)
    rows.append(("archdsl --version (start-up)", startup))
    rows.append(("check specs/", median_seconds([*archdsl, "check", "specs/"], 7)))
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("render specs/ --all (svg, 55 views)",
                      median_seconds([*archdsl, "render", "specs/", "--all", "-o", f"{tmp}/all"], 3)))
        big = Path(tmp) / "big-1000.arch"
        big.write_text(synthetic_spec(1000))
        full = ["--overview-threshold", "100000", "--timeout", "600"]
        dot_only = median_seconds([*archdsl, "render", str(big), "-o", f"{tmp}/big.dot", *full], 3)
        svg = median_seconds([*archdsl, "render", str(big), "-o", f"{tmp}/big.svg", *full], 3)
        rows.append(("render 1,000 components, DOT only", dot_only))
        rows.append(("render 1,000 components, full SVG layout", svg))
        rows.append(("render 1,000 components, overview SVG",
                     median_seconds([*archdsl, "render", str(big), "-o", f"{tmp}/overview.svg"], 3)))
        print(f"layout share of the 1,000-component SVG: {(svg - dot_only) / svg:.0%}")
        hundred = Path(tmp) / "decisions" / "spec.arch"
        hundred.parent.mkdir()
        hundred.write_text(synthetic_spec(200, decisions=100))
        rows.append(("site build specs/", median_seconds([*archdsl, "site", "build", "specs/", "-o", f"{tmp}/site1"], 3)))
        rows.append(("site build, 100 decisions (200 components)",
                     median_seconds([*archdsl, "site", "build", str(hundred.parent), "-o", f"{tmp}/site2"], 3)))
        sizes = (1000, 5000)
        for n in sizes:
            path = Path(tmp) / f"big-{n}.arch"
            path.write_text(synthetic_spec(n))
            rows.append((f"check {n:,} components", median_seconds([*archdsl, "check", str(path)], 3)))
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        fastest, slowest = SPREAD.get(seconds, (seconds, seconds))
        print(f"{name:<{width}}  {seconds * 1000:8.0f} ms  ({fastest * 1000:.0f}–{slowest * 1000:.0f})")
    small, large = rows[-2][1], rows[-1][1]
    print(f"5,000 / 1,000 components: {large / small:.2f}x time for 5x the spec "
          f"({(large - startup) / max(small - startup, 1e-9):.2f}x without start-up)")


if __name__ == "__main__":
    main()
