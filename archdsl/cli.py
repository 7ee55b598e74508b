"""The `archdsl` command line: thin commands that parse options, call one function, exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    """Turns archdsl's own errors into exit codes, and crashes into exit 2 without a traceback."""

    def invoke(self, ctx):
        from .errors import ArchError

        try:
            return super().invoke(ctx)
        except ArchError as exc:
            click.echo(f"archdsl: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # a bug in archdsl, not in the spec: still exit 2, not 1
            if os.environ.get("ARCHDSL_DEBUG"):
                raise
            click.echo(f"archdsl: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("Set ARCHDSL_DEBUG=1 for the traceback, and please report it.", err=True)
            ctx.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="archdsl")
def main() -> None:
    """Architecture as code for the stateless-versus-stateful decision."""


_paths = click.argument(
    "paths", nargs=-1, required=True,
    type=click.Path(exists=True, path_type=Path),
)


@main.command()
@_paths
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def check(paths: tuple[Path, ...], fmt: str) -> None:
    """Check spec files or folders (every *.arch below them) and report findings."""
    from .checker import check_paths

    result = check_paths(list(paths))
    if fmt == "json":
        from .report import jsonfmt

        click.echo(jsonfmt.render(result.findings, result.files), nl=False)
    else:
        from .report import text

        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        click.echo(text.render(result.findings, result.files, colour=colour), nl=False)
    worst = result.worst()
    sys.exit(EXIT_FINDINGS if worst is not None and worst.value == "error" else EXIT_CLEAN)


@main.command()
def schema() -> None:
    """Print the JSON schema of the model (for editors and other tools)."""
    import json

    from .model import Workspace

    document = Workspace.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "archdsl workspace"
    click.echo(json.dumps(document, indent=2, sort_keys=True))
