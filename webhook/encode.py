"""ask-sdk's ResponseEnvelope -> plain JSON-ready data, as `DefaultSerializer.serialize` makes it, faster.

The serializer rebuilds each model class's field map (attribute_map merged with
deserialized_types) for every object of every turn; here it is built once per class. The rules
are the serializer's, in its order: None stays None, str/int/float/bool/bytes pass through, lists
and tuples and dicts are walked, dates become ISO text, enums their value, Decimals an int or a
float, and a model a dict of its non-None fields under their JSON names. A NaN or an Infinity
comes out as a jsontext.NonFinite (a float, equal to the serializer's), so `jsontext.dumps(...,
marked=True)` writes it as `json` would without searching the reply for one.
tests/test_encode.py checks the output equals the serializer's on every reply the skill gives.
"""

from __future__ import annotations

import decimal
import math
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from webhook.jsontext import NonFinite

_PRIMITIVE = (float, bool, bytes, str, int)  # DefaultSerializer.PRIMITIVE_TYPES


@cache
def _fields(kind: type) -> tuple[tuple[str, str], ...]:
    """(attribute, JSON name) of a model class, in deserialized_types order (the serializer's)."""
    names: dict[str, str] = dict(getattr(kind, "attribute_map", {}))
    return tuple((attribute, names.get(attribute, attribute)) for attribute in kind.deserialized_types)


def plain(value: Any) -> Any:
    """What DefaultSerializer().serialize(value) returns."""
    if type(value) is float and not math.isfinite(value):
        return NonFinite(value)
    if value is None or isinstance(value, _PRIMITIVE):
        return value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return plain(int(value) if value % 1 == 0 else float(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    found = {}
    for attribute, name in _fields(type(value)):
        item = getattr(value, attribute)
        if item is not None:
            found[name] = plain(item)
    return found
