"""JSON in and out with orjson where it gives the same result as the standard library, else with `json`.

orjson parses and writes a turn's JSON in a few microseconds, the standard library in tens, but
the two differ at the edges. Parsing: orjson refuses NaN, Infinity, lone surrogates ("\\ud800"
is legal JSON) and numbers that overflow a double, and reads integers past 64 bits as floats;
writing: it refuses lone surrogates and integers past 64 bits, and writes NaN and Infinity as
null. Every such case goes to `json` instead, so callers see exactly the standard library's
result (or its error), only faster (tests/test_jsontext.py checks both ways).
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

# 19 digits in a row may be an integer past 64 bits (-9223372036854775809): orjson would make it a float.
# Found by mapping every digit to "0" and everything else to " " (bytes.translate: a regex is 10x slower).
_DIGITS_ONLY = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_NUMBER = b"0" * 19


def _may_hold_a_huge_integer(text: str) -> bool:
    return _LONG_NUMBER in text.encode("utf-8", "surrogatepass").translate(_DIGITS_ONLY)


def loads(text: str) -> Any:
    """json.loads(text), via orjson when that is certain to agree; raises what json.loads raises."""
    if not _may_hold_a_huge_integer(text):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # NaN, a lone surrogate, too deep, or simply not JSON: the standard library decides
    return json.loads(text)


class NonFinite(float):
    """A NaN or an Infinity, marked: orjson refuses float subclasses, so data holding one goes to `json`."""


def dumps(data: Any, *, marked: bool = False) -> bytes:
    """Compact JSON (UTF-8) of plain data; NaN and Infinity come out as `json` writes them.

    marked=True: the caller vouches that every NaN and Infinity in `data` is a NonFinite
    (webhook/encode.py marks them as it walks a response), so they need not be looked for.
    """
    try:
        text = orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate, a huge integer, a NonFinite, a non-str key
        return _standard(data)
    if not marked and b"null" in text and _has_non_finite(data):  # orjson wrote NaN or Infinity as null
        return _standard(data)
    return text


def _standard(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def _has_non_finite(data: Any) -> bool:
    if isinstance(data, float):
        return not math.isfinite(data)
    if isinstance(data, dict):
        return any(_has_non_finite(value) for value in data.values())
    if isinstance(data, list | tuple):
        return any(_has_non_finite(value) for value in data)
    return False
