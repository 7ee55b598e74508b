"""`archdsl site build` and `site serve`: a complete MkDocs site for specs, replaced atomically.

The site is built into a temporary folder beside the output and moved into place only when
the build succeeded: a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from .. import environment
from ..errors import ArchError, ConfigError, ExitCode
from ..fsutil import read_text_file, swap_folder
from ..markup import title as safe_title
from ..workspaces import load

MARKER = ".archdsl-site"  # written into every site, so that only sites are ever replaced

THEME = {
    "name": "material",
    "font": False,  # no web fonts: the site makes no request to another host
    "features": ["navigation.sections", "navigation.indexes", "navigation.top", "search.highlight",
                 "search.suggest", "content.code.copy", "toc.follow"],
    "palette": [
        {"scheme": "default", "primary": "indigo", "accent": "deep orange",
         "toggle": {"icon": "material/weather-night", "name": "Dark mode"}},
        {"scheme": "slate", "primary": "indigo", "accent": "deep orange",
         "toggle": {"icon": "material/weather-sunny", "name": "Light mode"}},
    ],
}
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", {"toc": {"permalink": True}},
              "pymdownx.highlight", "pymdownx.superfences", "pymdownx.details"]


SITE_PACKAGES = ("mkdocs", "material", "markdown_it", "pygments")  # what `archdsl[site]` adds


def require_site_tools() -> None:
    """A core install has no MkDocs: say in one line how to get it (exit 2), before any work."""
    missing = [name for name in SITE_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError("the site needs MkDocs and its theme, which the core install leaves out "
                          f"(missing: {', '.join(missing)}): pip install 'archdsl[site]'")


def check_output(output: Path, specs: list[Path]) -> None:
    """Refuse output folders whose replacement would destroy something: exit 2."""
    if output.is_symlink():  # the site replaces what it names: never a folder a link leads to
        raise ConfigError(f"refusing to build the site into {output}: it is a symbolic link "
                          f"(to {os.path.realpath(output)}); give the folder itself")
    target = output.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor) or target == home:
        raise ConfigError(f"refusing to build the site into {output}: choose a folder of its own")
    for spec in specs:
        folder = spec.resolve() if spec.is_dir() else spec.resolve().parent
        if target == folder or folder.is_relative_to(target):
            raise ConfigError(f"refusing to build the site into {output}: it holds the specs in {spec}")
    if (target / ".git").exists():
        raise ConfigError(f"refusing to build the site into {output}: it is a git repository")
    if target.exists() and not target.is_dir():
        raise ConfigError(f"{output} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise ConfigError(f"refusing to replace {output}: it is not empty and not a site archdsl built")


def _load_all(specs: list[Path]):
    return [load(spec) for spec in specs]  # SpecError when one cannot be loaded


def write_project(folder: Path, specs: list[Path], title: str) -> Path:
    """A throwaway MkDocs project that publishes `specs` with the plugin; returns its mkdocs.yml."""
    docs = folder / "docs"
    docs.mkdir(parents=True)

    config = {
        "site_name": safe_title(title),  # Material prints the site name raw into every page
        "docs_dir": str(docs),
        "theme": THEME,
        "plugins": ["search", {"archdsl": {"specs": [str(s.resolve()) for s in specs], "prefix": "",
                                           "title": title}}],
        "markdown_extensions": EXTENSIONS,
    }
    path = folder / "mkdocs.yml"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")  # JSON is YAML
    return path


def build_site(specs: list[Path], output: Path, *, config: Path | None = None, title: str = "Architecture",
               progress=None) -> list[str]:
    """Build the site and move it into `output`. Returns one line for each diagram no layout
    could draw: its page says so, and every other page and diagram is published."""
    require_site_tools()
    check_output(output, specs)
    if config is not None:
        read_text_file(config, "not an MkDocs configuration")  # a small regular file, or a clear error
    if specs:
        _load_all(specs)  # fail before any work, with the findings, when a spec cannot be loaded
    parent = output.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent):  # one build at a time swaps sites in this folder
        check_output(output, specs)
        made: list[Path] = []
        try:
            with _signals_held():  # an interrupt now would leave a folder made but not yet known
                staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=parent))
                made.append(staging)
                scratch = Path(tempfile.mkdtemp(prefix="archdsl-site-"))
                made.append(scratch)
            config_file = config or write_project(scratch, specs, title)
            failed = _mkdocs_build(config_file, staging / "site", progress)
            (staging / "site" / MARKER).write_text("built by archdsl site build\n", encoding="utf-8")
            swap_folder(staging / "site", output.resolve())
        finally:
            for folder in made:
                shutil.rmtree(folder, ignore_errors=True)
    return failed


class _signals_held:
    """SIGINT and SIGTERM wait (the kernel keeps them pending) while a block runs, and arrive
    as soon as it ends: a temporary folder is made and recorded for clean-up, or neither.

    Where signals cannot be held (Windows has no `pthread_sigmask`) the block runs as it is:
    an interrupt there arrives between two statements, and the clean-up still sees what was
    recorded."""

    held = {signal.SIGINT, signal.SIGTERM}

    def __enter__(self):
        mask = getattr(signal, "pthread_sigmask", None)
        self.before = mask(signal.SIG_BLOCK, self.held) if mask else None
        return self

    def __exit__(self, *exc):
        if self.before is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.before)


def _locked(folder: Path):
    """An exclusive lock for building into `folder`, held while a build makes its site and swaps
    it in, through `filelock` (flock on POSIX, msvcrt on Windows).

    The lock file is kept in archdsl's cache folder, named by the folder it guards, so nothing is
    ever left beside the site."""
    from filelock import FileLock  # lazy: only a site build takes turns

    key = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:24]
    locks = Path(environment.cache_home()) / "archdsl" / "locks"
    try:
        locks.mkdir(parents=True, exist_ok=True)
    except OSError:  # no writable cache (a read-only home in a container): the system's temp folder
        locks = Path(tempfile.gettempdir())
    return FileLock(str(locks / f"site-{key}.lock"))


def _mkdocs_build(config_file: Path, site_dir: Path, progress) -> list[str]:
    """Build with MkDocs; returns the lines of the diagrams the archdsl plugin could not draw."""
    # lazy: MkDocs (and Jinja) load only to build a site
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from .plugin import ArchPlugin

    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.setLevel(logging.WARNING)
    if progress:
        _forward_progress(progress)
    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    collector = Collect()
    mkdocs_log.addHandler(collector)
    try:
        cfg = load_config(config_file=str(config_file), site_dir=str(site_dir))
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        return [line for plugin in cfg.plugins.values() if isinstance(plugin, ArchPlugin)
                for line in plugin.plan.failed]
    except (PluginError, ConfigurationError, Abort) as exc:
        raise SiteError("\n".join(errors) or str(exc)) from None
    finally:
        mkdocs_log.removeHandler(collector)


class SiteError(ArchError):
    """MkDocs could not build the site."""

    exit_code = ExitCode.FINDINGS


def _forward_progress(progress) -> None:
    class Forward(logging.Handler):
        def emit(self, record):
            progress(record.getMessage())

    logger = logging.getLogger("mkdocs.plugins.archdsl")
    logger.setLevel(logging.INFO)
    if not any(isinstance(h, Forward) for h in logger.handlers):
        logger.addHandler(Forward())
        logger.propagate = False


def serve_site(specs: list[Path], *, config: Path | None = None, address: str = "127.0.0.1:8000",
               title: str = "Architecture") -> None:
    """Serve the site and rebuild it whenever a spec (or a page) changes."""
    # lazy: MkDocs (and Jinja) load only to serve a site
    require_site_tools()
    from mkdocs.commands.serve import serve

    if specs:
        _load_all(specs)
    # what MkDocs says while it serves (where, each rebuild, each error) reaches the terminal
    said = logging.StreamHandler()
    said.setFormatter(logging.Formatter("%(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.setLevel(logging.INFO)
    mkdocs_log.addHandler(said)
    scratch = Path(tempfile.mkdtemp(prefix="archdsl-serve-"))
    threading.excepthook, before = _quiet_server_stop(threading.excepthook), threading.excepthook
    stopping = _stop_within(STOP_SECONDS, scratch)
    signals = {sig: signal.signal(sig, stopping) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        config_file = config or write_project(scratch, specs, title)
        serve(config_file=str(config_file), dev_addr=address, livereload=True)
    finally:
        for sig, handler in signals.items():
            signal.signal(sig, handler)
        threading.excepthook = before
        mkdocs_log.removeHandler(said)
        shutil.rmtree(scratch, ignore_errors=True)


STOP_SECONDS = 20.0  # how long MkDocs' server may take to stop once interrupted


def _stop_within(seconds: float, scratch: Path):
    """A handler for SIGINT and SIGTERM that interrupts the server, and ends the process if it has
    not stopped `seconds` later: MkDocs' shutdown can wait forever for a server thread that an
    interrupt at start-up left half-started (seen once, on a loaded machine)."""

    def stop(signum, frame) -> None:
        def exit_if_stuck() -> None:
            threading.Event().wait(seconds)
            print(f"archdsl: the server did not stop within {seconds:g} s: exiting", file=sys.stderr, flush=True)
            shutil.rmtree(scratch, ignore_errors=True)
            os._exit(ExitCode.INTERRUPTED)

        threading.Thread(target=exit_if_stuck, name="archdsl-stop", daemon=True).start()
        raise KeyboardInterrupt

    return stop


def _quiet_server_stop(hook):
    """An exception hook that keeps quiet about one thing: MkDocs' server thread finding its
    socket already closed when an interrupt stops it the moment it starts (a race in MkDocs:
    its traceback is no news to someone who pressed Ctrl+C). Anything else is reported."""

    def quiet(args) -> None:
        stack = traceback.extract_tb(args.exc_traceback) if args.exc_traceback else []
        if isinstance(args.exc_value, (ValueError, OSError)) and any(
                frame.name == "serve_forever" and frame.filename.endswith("socketserver.py") for frame in stack):
            return
        hook(args)

    return quiet
