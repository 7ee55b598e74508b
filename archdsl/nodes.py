"""What every node of the model is (`Node`: a place in the source, and where each attribute is
set), and how the builder makes one from values it has already checked (`trusted`)."""

from __future__ import annotations

import copy
import functools
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .diagnostics import Span

M = TypeVar("M", bound=BaseModel)


def trusted(cls: type[M], **data: Any) -> M:
    """A model node from values the builder has already checked, each keyword and value against
    the vocabulary: not validated a second time. So `check` never builds pydantic's validators
    (`defer_build`), which were a third of its start-up; the tests build every spec both ways
    and compare.

    What `model_construct` does, with each class's defaults read once instead of asked of every
    field of every node (a third of building a model; the language server builds one on every edit).
    """
    values = {}
    for name, default, copied in _plan(cls):
        if name in data:
            values[name] = data[name]
        elif default is not _REQUIRED:
            values[name] = copy.deepcopy(default) if copied else default
    node = cls.__new__(cls)
    object.__setattr__(node, "__dict__", values)
    object.__setattr__(node, "__pydantic_fields_set__", set(data))
    object.__setattr__(node, "__pydantic_extra__", None)
    object.__setattr__(node, "__pydantic_private__", None)
    if cls.__pydantic_post_init__:
        node.model_post_init(None)  # private attributes get their defaults
    return node


_REQUIRED = object()


@functools.cache
def _plan(cls: type[BaseModel]) -> tuple[tuple[str, Any, bool], ...]:
    """(name, default, whether each node needs its own copy) of each field of a model class."""
    plan = []
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:
            raise TypeError(f"{cls.__name__}.{name}: trusted() takes plain defaults, not factories")
        default = _REQUIRED if info.is_required() else info.default
        plan.append((name, default, isinstance(default, (list, dict, set))))
    return tuple(plan)


class Node(BaseModel):
    """Base of every model node: no unknown fields, a span, per-attribute spans."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    span: Span
    spans: dict[str, Span] = Field({}, description="where each attribute is set")

    def span_of(self, attribute: str) -> Span:
        """The span of an attribute's statement, else of the node itself."""
        return self.spans.get(attribute, self.span)
