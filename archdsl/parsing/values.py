"""Reading the values of one statement: each reader returns a Python value or raises `Invalid`
with the message, the place and how to fix it."""

from __future__ import annotations

import datetime
import re
from typing import Any, Callable

from .. import model
from ..diagnostics import Span, did_you_mean
from .parser import Stmt, Value


class Invalid(Exception):
    """A bad value: message, where, and how to fix it."""

    def __init__(self, message: str, span: Span, hint: str = ""):
        super().__init__(message)
        self.message, self.span, self.hint = message, span, hint


Reader = Callable[[Stmt], Any]


def single(stmt: Stmt, what: str, kinds: tuple[str, ...]) -> Value:
    if not stmt.values:
        raise Invalid(f"'{stmt.keyword}' needs {what}", stmt.span, f"write: {stmt.keyword} {_example(kinds)}")
    if len(stmt.values) > 1:
        extra = stmt.values[1]
        first = stmt.values[0]
        if first.kind == "number" and extra.kind == "name" and extra.value in _UNITS:
            raise Invalid(f"'{first.text} {extra.text}' has a space inside the value", first.span,
                          f"write: {stmt.keyword} {first.text}{extra.text}")
        raise Invalid(
            f"'{stmt.keyword}' takes one value, found {len(stmt.values)}",
            extra.span,
            "put one statement on each line, or separate them with ';'",
        )
    value = stmt.values[0]
    if value.kind not in kinds:
        raise Invalid(
            f"'{stmt.keyword}' needs {what}, not '{value.text}'", value.span,
            f"write: {stmt.keyword} {_example(kinds)}",
        )
    return value


_EXAMPLES = {
    "string": '"text"', "mlstring": '"text"', "percent": "99.9%", "duration": "200ms",
    "number": "3", "range": "2..20", "growth": "10x", "date": "2026-11-20", "name": "NAME",
}


_UNITS = ("us", "ms", "min", "s", "m", "h", "d", "x")


def short(text: str, limit: int = 40) -> str:
    """A value as a message quotes it: long ones cut, so a 5,000-digit number stays readable."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _example(kinds: tuple[str, ...]) -> str:
    return _EXAMPLES.get(kinds[0], "…")


def text(stmt: Stmt) -> str:
    return single(stmt, "a string", ("string", "mlstring")).value


def url(stmt: Stmt) -> str:
    value = single(stmt, "a link", ("string",))
    if not re.match(r"^https?://[^\s<>\"']+$", value.value):
        raise Invalid(f"link '{value.value}' is not an http(s) address", value.span,
                      'write: link "https://…"')
    return value.value


def enum(choices: tuple[str, ...]) -> Reader:
    def read(stmt: Stmt) -> str:
        value = single(stmt, "one of " + ", ".join(choices), ("name", "string"))
        word = value.value
        if word not in choices:
            raise Invalid(f"unknown {stmt.keyword} '{word}'", value.span, did_you_mean(word, choices))
        return word

    read.choices = choices  # type: ignore[attr-defined]
    return read


def percent(stmt: Stmt) -> float:
    value = single(stmt, "a percentage", ("percent",))
    if not 0 <= value.value <= 100:
        raise Invalid(f"percentage {value.text} is outside 0%..100%", value.span)
    return value.value


def duration(stmt: Stmt) -> float:
    value = single(stmt, "a duration", ("duration",))
    if value.value <= 0:
        raise Invalid(f"duration {value.text} must be above zero", value.span)
    return value.value


def count(stmt: Stmt) -> int:
    value = single(stmt, "a whole number", ("number",))
    if not isinstance(value.value, int) or value.value < 1:
        raise Invalid(f"'{stmt.keyword}' must be a whole number of at least 1, not {short(value.text)}",
                      value.span)
    return value.value


def replicas(stmt: Stmt) -> model.Replicas:
    value = single(stmt, "a count or a range", ("number", "range"))
    low, high = (value.value, value.value) if value.kind == "number" else value.value
    if not isinstance(low, int) or not isinstance(high, int):
        raise Invalid(f"replicas must be a whole number, not {short(value.text)}", value.span,
                      "write: replicas 3, or replicas 2..20")
    if low < 1:
        raise Invalid(f"replicas must be at least 1, not {short(value.text)}", value.span,
                      "write: replicas 3, or replicas 2..20")
    if high < low:
        raise Invalid(f"range {value.text} ends below its start", value.span,
                      f"write: replicas {high}..{low}")
    return model.trusted(model.Replicas, min=low, max=high)


def growth(stmt: Stmt) -> float | str:
    value = single(stmt, "a growth factor or 'fixed'", ("growth", "name"))
    if value.kind == "name":
        if value.value != "fixed":
            raise Invalid(f"unknown growth '{value.value}'", value.span, "write: growth 10x, or growth fixed")
        return "fixed"
    if value.value <= 0:
        raise Invalid(f"growth {value.text} must be above zero", value.span)
    return value.value


def date(stmt: Stmt) -> str:
    value = single(stmt, "a date", ("date",))
    try:
        datetime.date.fromisoformat(value.value)
    except ValueError:
        raise Invalid(f"'{value.text}' is not a calendar date", value.span, "write: date 2026-11-20") from None
    return value.value


def ref(stmt: Stmt) -> Value:
    return single(stmt, "an id", ("name",))


def word(stmt: Stmt) -> str:
    return single(stmt, "a name", ("name", "string")).value


def flag(stmt: Stmt) -> bool:
    if stmt.values:
        raise Invalid(f"'{stmt.keyword}' takes no value", stmt.values[0].span,
                      f"write '{stmt.keyword}' alone on its line")
    return True


def items(stmt: Stmt, kinds=("name", "string", "scoped")) -> list[Value]:
    """A comma-separated list (or one item) of names or strings."""
    if not stmt.values:
        raise Invalid(f"'{stmt.keyword}' needs at least one item", stmt.span)
    if len(stmt.values) > 1:
        raise Invalid(f"'{stmt.keyword}' items are separated by commas", stmt.values[1].span,
                      f"write: {stmt.keyword} a, b, c")
    value = stmt.values[0]
    found = value.value if value.kind == "list" else [value]
    for item in found:
        if item.kind not in kinds:
            raise Invalid(f"'{item.text}' cannot be an item of '{stmt.keyword}'", item.span)
    return found


def strings(stmt: Stmt) -> list[str]:
    return [item.value for item in items(stmt, ("name", "string"))]


def enums(choices: tuple[str, ...]) -> Reader:
    """A comma-separated list of words from `choices`, each checked, none twice."""

    def read(stmt: Stmt) -> list[str]:
        found: list[str] = []
        for item in items(stmt, ("name", "string")):
            if item.value not in choices:
                raise Invalid(f"unknown {stmt.keyword} '{item.value}'", item.span,
                              did_you_mean(item.value, choices))
            if item.value in found:
                raise Invalid(f"'{item.value}' is listed twice", item.span, "list each value once")
            found.append(item.value)
        return found

    read.choices = choices  # type: ignore[attr-defined]
    return read
