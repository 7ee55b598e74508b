"""The `archdsl` program's first step: `archdsl --version`, and a check whose kept answer still
holds (`answers`), are answered here, before the command line (click) and archdsl's modules are
loaded; everything else goes to `cli.run`."""

from __future__ import annotations

import os
import sys


def run() -> None:
    """The `archdsl` program (the console script, and `python -m archdsl`)."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from .version import __version__

        sys.stdout.write(f"archdsl, version {__version__}\n")  # as click's --version words it
        return
    if sys.argv[1:2] == ["check"]:
        from .answers import answer

        try:
            code = answer(sys.argv[1:])
        except BrokenPipeError:  # `archdsl check … | head`: the reader left, as cli.run says it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        if code is not None:
            sys.exit(code)
    from .cli import run as run_command

    run_command()
