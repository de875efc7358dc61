"""`replace` for the coach's frozen dataclasses: dataclasses.replace without its per-call cost.

A turn makes several new states from old ones (seven copies for a "ready"), and the standard
`dataclasses.replace` walks the class's fields and their flags, then runs the generated frozen
__init__ (one object.__setattr__ per field), on every call: more than the rest of a step's
arithmetic. The coach's dataclasses are plain: every field is an init field, none has slots,
an InitVar or a converting __init__ (tests/test_evolve.py checks), so a copy of the instance's
fields with the changes applied is the same value. A __post_init__ (Reply's checks) still runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _shape(kind: type) -> tuple[frozenset[str], Callable[[Any], None] | None]:
    """The class's field names, and its __post_init__ if it has one."""
    return frozenset(field.name for field in dataclasses.fields(kind)), getattr(kind, "__post_init__", None)


def replace(value: T, /, **changes: Any) -> T:
    """A copy of the dataclass `value` with `changes` applied (a name it lacks raises TypeError)."""
    names, post_init = _shape(type(value))
    if not names.issuperset(changes):
        raise TypeError(f"{type(value).__name__} has no field {sorted(set(changes) - names)}")
    copy = object.__new__(type(value))
    copy.__dict__.update(value.__dict__)
    copy.__dict__.update(changes)
    if post_init is not None:
        post_init(copy)
    return copy
