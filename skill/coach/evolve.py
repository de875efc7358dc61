"""`replace` for the coach's frozen dataclasses: dataclasses.replace, minus its per-call introspection.

A turn makes several new states from old ones; the standard `dataclasses.replace` walks the
class's fields and their flags on every call, which cost more than the rest of a step's
arithmetic. Here the field names are looked up once per class. Same result: every init
field is copied unless changed, and the class's own __init__ (and __post_init__) runs.
None of the coach's dataclasses has an init=False field or an InitVar (tests/test_evolve.py).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _init_fields(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind) if field.init)


def replace(value: T, /, **changes: Any) -> T:
    """A copy of the dataclass `value` with `changes` applied (unknown names raise TypeError)."""
    fields = {name: getattr(value, name) for name in _init_fields(type(value))}
    fields.update(changes)
    return type(value)(**fields)
