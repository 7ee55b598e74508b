"""Shared helpers: write specs into temporary folders and load or check them."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import archdsl

FIXTURES = Path(__file__).parent / "fixtures"
# Debian's chromium, driven by Playwright (scripts/test installs it), as every browser test runs it
CHROMIUM = os.environ.get("ARCHDSL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
REPO = Path(__file__).parent.parent
SPECS = REPO / "specs"


@pytest.fixture
def write(tmp_path, monkeypatch):
    """Write dedented files under a temporary spec root; return the root."""
    monkeypatch.chdir(tmp_path)

    def _write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return tmp_path

    return _write


def findings_of(text: str, filename: str = "spec.arch"):
    """Load-time findings of one spec text, as (code, line, column, message, hint) tuples."""
    ws = archdsl.loads(textwrap.dedent(text), filename=filename, strict=False)
    return [(f.code, f.span.line, f.span.column, f.message, f.hint) for f in ws.findings]


def _layout_engines() -> list[tuple[str, str]]:
    """Every layout engine on this machine: Debian's Graphviz `dot` when installed (scripts/test
    installs it) and the graphviz-pure wheel, which archdsl always brings."""
    import shutil

    from archdsl.render.engine import _graphviz_pure

    found = [("graphviz-pure", _graphviz_pure())]
    system_dot = shutil.which("dot")
    if system_dot:
        found.append(("dot", system_dot))
    return found


@pytest.fixture(params=_layout_engines(), ids=lambda engine: engine[0])
def engine(request, monkeypatch):
    """Runs a test once with each layout engine (ARCHDSL_DOT), so both draw every diagram."""
    monkeypatch.setenv("ARCHDSL_DOT", request.param[1])
    return request.param[0]


# A spec whose every text tries to run script or inject markup: the shared site publishes it
# beside specs/, and the browser tests hold it to being shown, never run.
HOSTILE_SPEC = r'''
system hostile "</title><script>window.__pwned = 1</script>" {
  description "{{ config.site_name }} <b>not bold</b>"
  component api "<img src=x onerror=window.__pwned=2>" {
    state stateless
    keeps "hot lookups" in local-memory ttl 60min
  }
  decision adr-x "<svg onload=window.__pwned=3>" {
    affects api
    decision """Chose **tokens** over `server sessions`. They scale out."""
    context """
      <script>window.__pwned = 4</script>
      [click](javascript:window.__pwned=5) and **real markdown**
    """
  }
}
'''


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the tests of one module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site of specs/ and the hostile spec, built once for every test that reads a site."""
    from click.testing import CliRunner

    from archdsl.cli import main

    tmp = tmp_path_factory.mktemp("shared-site")
    (tmp / "hostile").mkdir()
    (tmp / "hostile" / "hostile.arch").write_text(HOSTILE_SPEC)
    out = tmp / "site"
    result = CliRunner().invoke(main, ["site", "build", str(SPECS), str(tmp / "hostile"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _git(*args: str, cwd: Path) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    """archdsl's wheel and the wheels a core install and a pre-commit hook need (hatchling to
    build from source included), made once per run, so that installs in tests need no index."""
    folder = tmp_path_factory.mktemp("wheelhouse")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check",
                           "--wheel-dir", str(folder), str(REPO), "hatchling"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return folder


def offline_pip(wheelhouse: Path) -> dict[str, str]:
    """Environment variables that make pip install from the wheelhouse only."""
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.fixture(scope="session")
def core_env(tmp_path_factory, wheelhouse) -> Path:
    """A virtual environment with `pip install archdsl` and nothing more: no site, no test tools."""
    env = tmp_path_factory.mktemp("core-install") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, timeout=300)
    python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "archdsl"], capture_output=True, text=True,
                          timeout=900, env=dict(os.environ, **offline_pip(wheelhouse)))
    assert done.returncode == 0, done.stderr[-3000:]
    return env


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """The working tree as pre-commit fetches a hook repository: a git repository at one commit
    (so pre-commit builds the hooks' environment once for the whole run)."""
    repo = tmp_path_factory.mktemp("hook-repo")
    names = _git("ls-files", "-co", "--exclude-standard", "-z", cwd=REPO).split("\0")
    for name in filter(None, names):
        source = REPO / name
        if source.is_file():
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "the working tree", cwd=repo)
    return repo, _git("rev-parse", "HEAD", cwd=repo).strip()


def choosy_engine(folder: Path, fails_when: str, error: str, *, holding: bool = True) -> str:
    """A layout engine that fails as Graphviz does (`error`) on DOT holding `fails_when` (or, with
    `holding=False`, on DOT without it), and otherwise hands the DOT to the real engine of the
    test (`ARCHDSL_DOT`, else Graphviz's `dot`, else graphviz-pure)."""
    from archdsl.render.engine import find_engine

    real = find_engine()[0]
    script = folder / "choosy-dot"
    script.write_text(f"""#!{sys.executable}
import subprocess, sys
source = sys.stdin.buffer.read()
if ({fails_when.encode()!r} in source) == {holding!r}:
    sys.stderr.write({error!r} + "\\n")
    sys.exit(1)
sys.exit(subprocess.run([{real!r}, *sys.argv[1:]], input=source).returncode)
""")
    script.chmod(0o755)
    return str(script)


def dense_spec(seed: int = 3) -> str:
    """Shaped like a public system whose ranked layouts failed in both engines: 46 components,
    76 relations, 40 of them between the 30 services of one layer."""
    rng = random.Random(seed)
    services = [f"svc{i}" for i in range(30)]
    stores = [f"db{i}" for i in range(12)]
    lines = ['system dense "Dense services" {', "  sla 99.9%", '  actor user "User"',
             '  layer edge "Edge" { kind edge; component web "Web" { kind frontend }; '
             'component lb "Load balancer" { kind load-balancer } }',
             '  layer services "Services" {', "    kind compute",
             *[f'    component {s} "Service {i}" {{ replicas 2 }}' for i, s in enumerate(services)], "  }",
             '  layer data "Data" {', "    kind data",
             *[f'    component {d} "Store {i}" {{ kind database; replication 2 }}' for i, d in enumerate(stores)],
             "  }", '  component mq "Queue" { kind queue; replication 2 }', '  component ext "Payments" { kind external }']
    relations = {("user", "web"), ("web", "lb"), *(("lb", s) for s in services[:8]),
                 *zip(services[:12], stores)}
    while sum(1 for a, b in relations if a in services and b in services) < 40:
        relations.add(tuple(rng.sample(services, 2)))
    while len(relations) < 76:
        relations.add((rng.choice(services), rng.choice(stores + ["mq", "ext"])))
    lines += [f'  {a} -> {b} "calls {b}" {{ protocol grpc }}' for a, b in sorted(relations)]
    return "\n".join(lines) + "\n}\n"




def archdsl_run(*args, cwd=None) -> subprocess.CompletedProcess:
    """`python -m archdsl ARGS`, its output captured."""
    return subprocess.run([sys.executable, "-m", "archdsl", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def imported(fmt: str, source: Path, out: Path):
    """Import `source` as `fmt` into `out`; the run, the spec's text and its workspace, having
    checked what every import must be: laid out as fmt lays it out, and free of AD errors."""
    from archdsl.checker import check_workspace
    from archdsl.fmt import format_source

    done = archdsl_run("import", fmt, source, "-o", out)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert format_source(text) == text
    workspace = archdsl.load(out)
    assert not [f for f in check_workspace(workspace)[0] if f.code.startswith("AD")]
    return done, text, workspace


def reported(path: Path) -> list[tuple[str, str]]:
    """The codes and messages `archdsl check` reports for `path` (with the settings it would
    read), sorted."""
    from archdsl.checker import check_paths

    return sorted((f.code, f.message) for f in check_paths([path]).findings)
