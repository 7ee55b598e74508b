"""The `archdsl` program's first step: `archdsl --version` is answered here, before the command
line (click) and archdsl's modules are loaded; everything else goes to `cli.run`."""

from __future__ import annotations

import sys


def run() -> None:
    """The `archdsl` program (the console script, and `python -m archdsl`)."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from .version import __version__

        sys.stdout.write(f"archdsl, version {__version__}\n")  # as click's --version words it
        return
    from .cli import run as run_command

    run_command()
