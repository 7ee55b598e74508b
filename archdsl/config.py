"""Settings from `[tool.archdsl]` in the nearest pyproject.toml, merged with the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import answers
from .diagnostics import LOAD_FAILURES, Severity, did_you_mean
from .errors import ConfigError
from .fsutil import nearest, read_text_file
from .vocabulary import DEFAULT_HOP_MS, FAIL_ON, duration_ms

ALWAYS_REPORTED = LOAD_FAILURES  # a file that does not load is reported whatever the filters say


@dataclass
class Settings:
    select: list[str] = field(default_factory=list)  # codes or prefixes; empty: every rule
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: str = "error"
    hop_latency: dict[str, float] = field(default_factory=dict)  # kind -> ms
    source: str = ""  # the file the settings came from

    def enabled(self, code: str) -> bool:
        """Whether findings of `code` may be reported (its rule runs). A file that does not
        load (AD100-AD110) is always reported: no filter may make a broken spec look clean.
        An entry `CODE:ID` (`CT:ui-not-data`, `CT901:ui-not-data`) names one team constraint."""
        if code in ALWAYS_REPORTED:
            return True
        if self.select and not any(code.startswith(p.partition(":")[0]) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore if ":" not in p)

    def reports(self, code: str, detail: str = "") -> bool:
        """Whether a finding of `code` with `detail` (a constraint's id, for CT findings) is
        reported: `enabled`, then the `CODE:ID` entries, which match a constraint's id in any case."""
        if code in ALWAYS_REPORTED:
            return True
        if not self.enabled(code):
            return False
        if self.select and not any(_names(p, code, detail) for p in self.select):
            return False
        return not any(_names(p, code, detail) for p in self.ignore if ":" in p)

    def graded(self, code: str, detail: str = "") -> Severity | None:
        """The severity the settings give a finding, if any: for its constraint (`CT901:ID` or
        `CT:ID`, the id in any case), else for its code."""
        if detail and code.startswith("CT"):
            for key, level in self.severity.items():
                if ":" in key and _names(key, code, detail):
                    return level
        return self.severity.get(code)

    def fails(self, severity: Severity) -> bool:
        if self.fail_on == "never":
            return False
        return severity.rank >= Severity(self.fail_on).rank


def _names(entry: str, code: str, detail: str) -> bool:
    """Whether a settings entry names a finding: a code or prefix (`SB`, `LT304`), or one
    constraint, `CODE:ID` (its id in any case: the command line upper-cases what it is given)."""
    prefix, named, ident = entry.partition(":")
    return code.startswith(prefix) and (not named or ident.lower() == detail.lower())


def resolve(path: Path, *, select: list[str] | None = None, ignore: list[str] | None = None,
            fail_on: str | None = None, base: Settings | None = None) -> Settings:
    """The settings for the specs at `path`: its own `[tool.archdsl]` (or `base`, settings read
    elsewhere: a pull request's base revision), then the command line's options on top
    (`--select` replaces, `--ignore` adds, `--fail-on` replaces)."""
    settings = load_settings(path) if base is None else base
    if select:
        settings.select = list(select)
    if ignore:
        settings.ignore = [*settings.ignore, *ignore]
    if fail_on:
        settings.fail_on = fail_on
    return settings


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` (whatever it is: a FIFO or a device is
    refused when read)."""
    found = nearest(start, "pyproject.toml")
    answers.note_nearest(start, "pyproject.toml", found)
    return found


def load_settings(start: Path) -> Settings:
    """Settings for specs at `start`: `[tool.archdsl]` of the nearest pyproject.toml, if any."""
    path = find_pyproject(start)
    if path is None:
        return Settings()
    text = read_text_file(path, "cannot read settings")
    answers.note_file(path, text.encode("utf-8", "surrogatepass"))
    return parse_settings(settings_table(text, str(path)), str(path))


def settings_table(text: str, source: str) -> dict:
    """The `[tool.archdsl]` table of a pyproject.toml's text (empty when it has none)."""
    import tomllib  # only when there is a file to read: a check without settings never pays it

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ConfigError(f"{source}: cannot read settings: {exc}") from None
    tool = data.get("tool", {})
    table = tool.get("archdsl", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.archdsl] must be a table")
    return table


_KEYS = ("select", "ignore", "severity", "fail-on", "hop-latency")


def parse_settings(table: dict, source: str = "") -> Settings:
    """Settings from a `[tool.archdsl]` table, every key and value checked but the rule codes:
    settings sit below the rules, so the codes are checked where the rules are known
    (`rules.check_settings`, called by the checker on the settings it is given)."""
    for key in table:
        if key not in _KEYS:
            raise ConfigError(f"{source}: unknown setting '{key}' in [tool.archdsl]; {did_you_mean(key, _KEYS)}")
    settings = Settings(source=source)
    for key in ("select", "ignore"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: '{key}' must be a list of rule codes")
        setattr(settings, key, [v.upper() for v in value])
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{source}: 'severity' must be a table such as {{ LT303 = \"warning\" }}")
    for code, level in severity.items():
        code = str(code).upper()
        try:
            settings.severity[code] = Severity(level)
        except (ValueError, TypeError):
            raise ConfigError(f"{source}: severity of {code} must be error, warning or info, not {level!r}") from None
    fail_on = table.get("fail-on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{source}: fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    settings.fail_on = fail_on
    hops = table.get("hop-latency", {})
    if not isinstance(hops, dict):
        raise ConfigError(f"{source}: 'hop-latency' must be a table such as {{ database = \"3ms\" }}")
    for kind, text in hops.items():
        if kind not in DEFAULT_HOP_MS:
            raise ConfigError(f"{source}: hop-latency has no kind '{kind}'; {did_you_mean(kind, DEFAULT_HOP_MS)}")
        settings.hop_latency[kind] = _duration_ms(text, source, kind)
    return settings


def _duration_ms(text, source: str, kind: str) -> float:
    ms = duration_ms(str(text))
    if ms is None:
        raise ConfigError(f"{source}: hop-latency.{kind} must be a duration such as \"5ms\", not {text!r}")
    return ms
