"""Settings from `[tool.archdsl]` in the nearest pyproject.toml, merged with the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Severity
from .errors import ConfigError

FAIL_ON = ("error", "warning", "info", "never")


@dataclass
class Settings:
    select: list[str] = field(default_factory=list)  # codes or prefixes; empty: every rule
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: str = "error"
    hop_latency: dict[str, float] = field(default_factory=dict)  # kind -> ms
    source: str = ""  # the file the settings came from

    def enabled(self, code: str) -> bool:
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)

    def fails(self, severity: Severity) -> bool:
        if self.fail_on == "never":
            return False
        return severity.rank >= Severity(self.fail_on).rank


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(start: Path) -> Settings:
    """Settings for specs at `start`: `[tool.archdsl]` of the nearest pyproject.toml, if any."""
    path = find_pyproject(start)
    if path is None:
        return Settings()
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc}") from None
    table = data.get("tool", {}).get("archdsl", {})
    return parse_settings(table, str(path))


_KEYS = ("select", "ignore", "severity", "fail-on", "hop-latency")


def parse_settings(table: dict, source: str = "") -> Settings:
    from .diagnostics import did_you_mean

    for key in table:
        if key not in _KEYS:
            raise ConfigError(f"{source}: unknown setting '{key}' in [tool.archdsl]; {did_you_mean(key, _KEYS)}")
    settings = Settings(source=source)
    for key in ("select", "ignore"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: '{key}' must be a list of rule codes")
        setattr(settings, key, [v.upper() for v in value])
    for code, level in table.get("severity", {}).items():
        try:
            settings.severity[code.upper()] = Severity(level)
        except ValueError:
            raise ConfigError(f"{source}: severity of {code} must be error, warning or info, not {level!r}") from None
    fail_on = table.get("fail-on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{source}: fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    settings.fail_on = fail_on
    for kind, text in table.get("hop-latency", {}).items():
        settings.hop_latency[kind] = _duration_ms(text, source, kind)
    return settings


def _duration_ms(text, source: str, kind: str) -> float:
    import re

    from .parsing.parser import DURATION_MS

    match = re.fullmatch(r"(\d+(?:\.\d+)?)(" + "|".join(DURATION_MS) + ")", str(text))
    if not match:
        raise ConfigError(f"{source}: hop-latency.{kind} must be a duration such as \"5ms\", not {text!r}")
    return float(match.group(1)) * DURATION_MS[match.group(2)]
