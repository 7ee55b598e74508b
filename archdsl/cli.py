"""The `archdsl` command line: thin commands that parse options, call one function, exit.

Each command imports the work it does when it runs (lazy imports throughout this module), so
that `archdsl --version`, `explain` and `rules` start without loading the parser, the graph
library, Graphviz or MkDocs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import environment
from .errors import ExitCode
from .interchange import EXPORTS, IMPORTS
from .render import FORMATS as DIAGRAM_FORMATS
from .report import FORMATS as REPORT_FORMATS
from .safetext import visible
from .version import __version__
from .vocabulary import FAIL_ON, TEMPLATES

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = (
    ExitCode.CLEAN, ExitCode.FINDINGS, ExitCode.USAGE, ExitCode.INTERRUPTED)


def _not_an_input(output: Path, inputs) -> None:
    """Refuse an output that would overwrite one of the specs being read."""
    from .parsing.loader import discover

    try:
        target = output.resolve()
    except (OSError, RuntimeError):
        return
    for path in inputs:
        for spec in discover(Path(path))[1]:
            try:
                same = spec.resolve() == target
            except (OSError, RuntimeError):
                continue
            if same:
                raise click.BadParameter(f"'{output}' is one of the specs being read", param_hint="-o")


def _timeout(ctx, param, value):
    import math

    if value is not None and not (math.isfinite(value) and value > 0):
        raise click.BadParameter("must be a number of seconds above zero")
    return value


class _Group(click.Group):
    """Turns archdsl's own errors into exit codes, and crashes into exit 2 without a traceback."""

    def invoke(self, ctx):
        from .errors import ArchError
        from .memory import COLLECTOR

        try:
            try:
                with COLLECTOR.paused():  # the collector's one policy: memory.py
                    return super().invoke(ctx)
            finally:
                if not sys.stdout.closed:  # (the language server closes it when the editor leaves)
                    sys.stdout.flush()  # a reader that left fails here, inside, not at exit
        except ArchError as exc:
            click.echo(visible(f"archdsl: error: {exc}"), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:  # `archdsl check … | head`: the reader left; say nothing more and
            devnull = os.open(os.devnull, os.O_WRONLY)  # exit as a Unix tool killed by SIGPIPE does
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(ExitCode.BROKEN_PIPE)
        except KeyboardInterrupt:
            click.echo("archdsl: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as exc:  # an output that cannot be written: a full disk, no permission, no folder
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(visible(f"archdsl: error: {where}{exc.strerror or exc}"), err=True)
            ctx.exit(EXIT_USAGE)
        except RecursionError:
            click.echo("archdsl: error: the input is nested too deeply", err=True)
            ctx.exit(EXIT_USAGE)
        except Exception as exc:  # a bug in archdsl, not in the spec: still exit 2, not 1
            if environment.debug():
                raise
            click.echo(f"archdsl: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("Set ARCHDSL_DEBUG=1 for the traceback, and please report it.", err=True)
            ctx.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="archdsl")
def main() -> None:
    """Architecture as code for the stateless-versus-stateful decision."""
    import signal

    # SIGTERM (a CI job cancelled) unwinds like an interrupt, so that temporary files and
    # half-built sites are cleaned up on the way out
    signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt


def run() -> None:
    """The `archdsl` program (and `python -m archdsl`): the command is the whole process."""
    from .memory import COLLECTOR

    COLLECTOR.whole_process = True
    environment.use_parse_cache()  # the spec roots' parse caches (`--no-cache`, ARCHDSL_NO_CACHE=1: off)
    try:
        main()
    finally:
        # CPython marks an interrupt that leaves exec()'d text (a dataclass's generated __init__)
        # unhandled even when it was handled, and `python -m` then dies by SIGINT, not exit 130;
        # every interrupt that reaches here was handled, and one more exec() clears the mark
        exec("")


_paths = click.argument(
    "paths", nargs=-1, required=True,
    type=click.Path(exists=True, path_type=Path),
)


def _without_cache(ctx, param, value) -> None:
    if value:
        environment.use_parse_cache(False)


_no_cache = click.option("--no-cache", is_flag=True, expose_value=False, callback=_without_cache,
                         help="Parse every file; neither read nor write the parse cache (.archdsl_cache).")


def _codes(ctx, param, value) -> list[str]:
    from .errors import ConfigError
    from .rules import check_codes

    codes = [c.strip().upper() for v in value for c in v.split(",")]
    try:
        return check_codes(codes, f"--{param.name}")
    except ConfigError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[1]) from None


@main.command()
def lsp() -> None:
    """Run the language server on stdin and stdout (for editors: VS Code, Neovim, Helix…)."""
    from .lsp import serve

    serve()  # it collects garbage itself, when the editor is quiet


@main.command()
@_paths
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS),
              default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, callback=_codes, metavar="CODES",
              help="Only these rules (codes or prefixes, comma-separated: SB,LT304).")
@click.option("--ignore", multiple=True, callback=_codes, metavar="CODES",
              help="Leave out these rules (codes or prefixes).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Report only findings that are not in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the current findings to this baseline file.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option("--new-only", is_flag=True, help="Report only findings the change introduces (with --git).")
@click.option("--git", "rev", metavar="REV", help="With --new-only: the revision to compare with.")
@click.option("--settings-from", "settings_rev", metavar="REV",
              help="Take [tool.archdsl] from the nearest pyproject.toml as it was at this git revision "
                   "(a pull request's base), not from the files checked.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@_no_cache
def check(paths, fmt, select, ignore, fail_on, baseline, write_baseline, exit_zero, new_only, rev, settings_rev,
          output) -> None:
    """Check spec files or folders (every *.arch below them) and report findings."""
    from .checker import check_paths
    from .checker import write_baseline as save_baseline
    from .config import resolve
    from .report import render
    from .workspaces import settings_as_of

    def settings_for(path: Path):  # each spec root with its own pyproject.toml, options on top
        return resolve(path, select=select, ignore=ignore, fail_on=fail_on,
                       base=settings_as_of(settings_rev, path) if settings_rev else None)

    settings = settings_for(paths[0])
    known = None
    if new_only or rev:
        if not (new_only and rev):
            raise click.UsageError("--new-only and --git REV go together")
        from .checker import findings_at

        known = findings_at(rev, list(paths), settings)
    for out in (output, write_baseline):
        if out is not None:
            _not_an_input(out, paths)
    result = check_paths(list(paths), baseline=baseline, known=known, settings_for=settings_for)
    if write_baseline:
        save_baseline(write_baseline, result.findings)
        click.echo(f"Wrote {len(result.findings)} findings to {write_baseline}.", err=True)
    colour = output is None and sys.stdout.isatty() and environment.colour_allowed()
    report = render(fmt, result, colour=colour)
    if output:
        from .fsutil import atomic_write_text

        atomic_write_text(output, report)
    else:
        click.echo(report, nl=False)
    failing = result.failing() and not exit_zero and not write_baseline
    code = EXIT_FINDINGS if failing else EXIT_CLEAN
    if output is None:
        from .answers import keep

        keep(report, code)  # for the next run with the same inputs (when this one is recorded)
    sys.exit(code)


@main.command()
@_paths
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_no_cache
def recommend(paths, fmt) -> None:
    """Recommend stateless or stateful for each component, from its requirements alone."""
    from .recommend import recommend_paths, render_json, render_text

    rows, load_errors = recommend_paths(list(paths))
    click.echo(render_json(rows) if fmt == "json" else render_text(rows), nl=False)
    for finding in load_errors:
        click.echo(visible(f"{finding.span}: {finding.code} {finding.message}"), err=True)
    sys.exit(EXIT_FINDINGS if load_errors else EXIT_CLEAN)


@main.command()
@click.argument("name", metavar="CODE|ID")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def explain(name: str, paths) -> None:
    """Print the documentation of one rule, or of a constraint of the specs at PATHS."""
    from .catalog import explanation

    click.echo(explanation(name, list(paths)), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(paths, fmt) -> None:
    """List every rule (code, name, default severity, summary), and the constraints of PATHS."""
    from .catalog import listing

    click.echo(listing(list(paths), fmt), nl=False)


@main.command()
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The file to write; with --all, the folder.")
@click.option("--view", "view", default="system", show_default=True,
              help="system, state, layer:ID, decision:ID, migration:ID, landscape, or the id of a view block.")
@click.option("--format", "fmt", type=click.Choice(DIAGRAM_FORMATS),
              help="Output format (default: from the file's extension; svg with --all).")
@click.option("--all", "all_views", is_flag=True, help="Write every view of every system into the folder -o.")
@click.option("--system", "system_id", help="The system to draw, when the spec has several.")
@click.option("--timeout", type=float, default=120.0, show_default=True, callback=_timeout,
              help="Seconds a layout may take.")
@click.option("--overview-threshold", type=int, default=None,
              help="Components above which the system view becomes a per-layer overview (default 250).")
@click.option("--legend/--no-legend", default=True, show_default=True,
              help="Draw a legend of states and line styles below the diagram (svg, png, dot).")
@_no_cache
def render(spec, output, view, fmt, all_views, system_id, timeout, overview_threshold, legend) -> None:
    """Draw diagrams of a spec: the system, its state map, each layer, each decision, each view."""
    from .diagrams import render_all, render_one

    _not_an_input(output, [spec])
    if all_views:
        count, failed = render_all(spec, output, fmt or "svg", system_id, timeout, overview_threshold,
                                   progress=lambda text: click.echo(visible(text), err=True), legend=legend)
        click.echo(f"Wrote {count} diagrams to {output}.", err=True)
        for line in failed:  # every other view was drawn; these could not be, by any layout
            click.echo(visible(f"archdsl: error: {line}"), err=True)
        if failed:
            sys.exit(EXIT_FINDINGS)
    else:
        note = render_one(spec, output, view, fmt, system_id, timeout, overview_threshold, legend)
        if note:
            click.echo(visible(f"{output}: {note}"), err=True)


@main.group()
def site() -> None:
    """Publish specs as a documentation site (MkDocs with the Material theme)."""


@site.command("build")
@click.argument("specs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The folder of the site.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An mkdocs.yml that uses the archdsl plugin (default: a complete site for SPECS).")
@click.option("--title", default="Architecture", show_default=True, help="The site's name.")
def site_build(specs, output, config, title) -> None:
    """Build the site into a folder, replacing the previous one only when the build succeeds."""
    from .docsite.build import build_site

    if not specs and not config:
        raise click.UsageError("give the specs to publish, or --config with an mkdocs.yml that names them")
    import time

    started = time.perf_counter()
    failed = build_site(list(specs), output, config=config, title=title,
                        progress=lambda m: click.echo(visible(m), err=True))
    click.echo(f"Built the site in {output} ({time.perf_counter() - started:.1f}s).", err=True)
    for line in failed:  # published without these diagrams: their pages say why
        click.echo(visible(f"archdsl: error: {line}"), err=True)
    if failed:
        sys.exit(EXIT_FINDINGS)


@site.command("serve")
@click.argument("specs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An mkdocs.yml that uses the archdsl plugin (default: a complete site for SPECS).")
@click.option("-a", "--address", default="127.0.0.1:8000", show_default=True, help="HOST:PORT to serve on.")
@click.option("--title", default="Architecture", show_default=True, help="The site's name.")
def site_serve(specs, config, address, title) -> None:
    """Serve the site locally and rebuild it on every .arch change."""
    from .docsite.build import serve_site
    from .memory import COLLECTOR

    COLLECTOR.serving()  # it rebuilds the site on every edit, for as long as it runs
    if not specs and not config:
        raise click.UsageError("give the specs to publish, or --config with an mkdocs.yml that names them")
    serve_site(list(specs), config=config, address=address, title=title)
    # MkDocs' server runs until interrupted, and then returns: exit as an interrupted command does
    sys.exit(EXIT_INTERRUPTED)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--view", "view", default=None, metavar="ID",
              help="The view the page opens on: system, state, layer:ID, decision:ID, flow:ID, a view id.")
@click.option("--port", type=click.IntRange(0, 65535), default=8010, show_default=True,
              help="The port on 127.0.0.1 to serve on (0 takes a free one).")
@click.option("--system", "system_id", help="The system to show, when the spec has several.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
def preview(path, view, port, system_id, open_page) -> None:
    """Show a view in the browser, redrawn after every save of the spec or its imports."""
    from .memory import COLLECTOR
    from .preview import serve

    def ready(url: str) -> None:
        if open_page:
            import webbrowser

            webbrowser.open(url)

    COLLECTOR.serving()  # it reloads the spec on every save, for as long as it runs
    serve(path, view=view, port=port, system_id=system_id, ready=ready,
          say=lambda line: click.echo(visible(line), err=True))
    sys.exit(EXIT_INTERRUPTED)


@main.command()
@_paths
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when a file would change.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print the changes as a unified diff.")
def fmt(paths, check_only, show_diff) -> None:
    """Rewrite specs in the canonical layout, keeping every comment."""
    from .fmt import FormatReport, format_paths

    dry = check_only or show_diff
    report = FormatReport(dry=dry)
    for result in format_paths(list(paths), write=not dry, want_diff=show_diff):
        report.add(result)
        if result.error is not None:
            f = result.error
            click.echo(visible(f"{f.span}: {f.code} {f.message} (not formatted)"), err=True)
        elif result.changed and show_diff:
            click.echo(result.diff, nl=False)
        elif result.changed:
            click.echo(f"{'would reformat' if dry else 'reformatted'} {visible(result.path)}", err=True)
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_code())


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--git", "rev", metavar="REV", help="Compare PATHS with how they were at this git revision.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--svg", "svg", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw the head system with what was added, removed and changed marked.")
@click.option("--system", "system_id", help="The system to draw with --svg, when there are several.")
def diff(paths, rev, fmt, svg, system_id) -> None:
    """The architecture change between BASE and HEAD (files or folders), or since a git revision."""
    from .diff import diff_git, diff_workspaces, to_markdown
    from .workspaces import load_many

    if rev:
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise click.BadParameter(f"{missing[0]} does not exist", param_hint="PATHS")
        result = diff_git(rev, list(paths) or [Path(".")])
        head_paths = list(paths) or [Path(".")]
    else:
        if len(paths) != 2:
            raise click.UsageError("give BASE and HEAD, or --git REV [PATHS]")
        for p in paths:
            if not p.exists():
                raise click.BadParameter(f"{p} does not exist", param_hint="BASE/HEAD")
        result = diff_workspaces(load_many([paths[0]]), load_many([paths[1]]))
        head_paths = [paths[1]]
    click.echo(result.to_json() if fmt == "json" else to_markdown(result), nl=False)
    if svg:
        from .diagrams import render_diff

        render_diff(head_paths, result, svg, system_id)


@main.command()
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--template", type=click.Choice(tuple(TEMPLATES)), default="hybrid",
              show_default=True, help="The example to start from.")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def init(folder, template, force) -> None:
    """Start a project: a spec from a template, an mkdocs.yml and a docs page."""
    from .init import init_project

    for path in init_project(folder, template, force=force):
        click.echo(f"wrote {path}", err=True)
    click.echo(f"Next: archdsl check {folder / 'specs'}", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def clean(paths) -> None:
    """Remove the parse cache (.archdsl_cache) of each spec root (default: this folder), and the
    answers of checks kept for this user."""
    from .answers import forget
    from .parsing.cache import clear
    from .parsing.loader import discover

    for path in paths or (Path("."),):
        root = discover(path)[0]
        removed = clear(root)
        click.echo(visible(f"removed {removed}" if removed else f"no cache in {root}"), err=True)
    kept = forget()
    if kept is not None:
        click.echo(visible(f"removed {kept}"), err=True)


@main.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(IMPORTS))
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def import_model(fmt, source, output) -> None:
    """Write a spec from another tool's model (FORMAT: structurizr DSL, likec4 file or folder, calm JSON)."""
    from .interchange.commands import run_import

    click.echo(visible(run_import(fmt, source, output)), err=True)


@main.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORTS))
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_model(fmt, spec, output) -> None:
    """Write a spec as another tool's model (FORMAT: structurizr DSL, plantuml C4, calm 1.0 JSON)."""
    from .interchange.commands import run_export

    _not_an_input(output, [spec])
    click.echo(visible(run_export(fmt, spec, output)), err=True)


@main.command()
def schema() -> None:
    """Print the JSON schema of the model (for editors and other tools)."""
    import json

    from .model import Workspace

    document = Workspace.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "archdsl workspace"
    click.echo(json.dumps(document, indent=2, sort_keys=True))
