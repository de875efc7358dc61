"""webhook/jsontext.py gives exactly what the standard library's json gives, both ways, only faster.

Values are compared through `json.dumps(..., sort_keys=True)`, which tells 1 from 1.0 and writes
NaN (which is not equal to itself) as NaN.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from webhook import jsontext

ODD_NUMBERS = st.sampled_from([2**64, -(2**63) - 1, 2**63, 10**30, -(10**19), float("nan"), float("inf"),
                               -float("inf"), -0.0, 1e308, 5e-324])
ODD_TEXT = st.sampled_from(["\ud800", "a\udfff", "\u0000", "\ufeff", "🦵", "\u2028", "null", ""])
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ODD_NUMBERS | st.text() | ODD_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text() | ODD_TEXT, inner, max_size=4),
    max_leaves=12,
)
texts = st.one_of(
    values.map(json.dumps),
    st.sampled_from(['{"a":1,"a":2}', "[1e400]", "[NaN]", '"\\ud800"', "\ufeff{}", "[" * 2000 + "]" * 2000,
                     "-9223372036854775809", "18446744073709551615", "1E5", "-0", "[1,]", "{} x", " \t\n\r{}"]),
    st.text(max_size=30),
)


def standard(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def outcome(call: Any, text: str) -> tuple[str, str]:
    try:
        return "ok", standard(call(text))
    except ValueError as error:  # json.JSONDecodeError, and the 4300-digit integer limit
        return "error", type(error).__name__
    except RecursionError:
        return "error", "RecursionError"


@settings(max_examples=600, deadline=None, database=None)
@given(texts)
def test_loads_agrees_with_json_loads(text: str) -> None:
    assert outcome(jsontext.loads, text) == outcome(json.loads, text)


@settings(max_examples=600, deadline=None, database=None)
@given(values)
def test_dumps_writes_what_json_dumps_means(value: Any) -> None:
    written = jsontext.dumps(value)
    assert isinstance(written, bytes) and b"\n" not in written
    assert standard(json.loads(written)) == standard(json.loads(json.dumps(value)))


def test_the_fast_path_is_taken_for_ordinary_json_and_left_for_the_edges() -> None:
    ordinary = {"version": "1.0", "response": {"outputSpeech": {"ssml": "<speak>é</speak>"}}, "n": [1, 2.5]}
    assert jsontext.dumps(ordinary) == orjson.dumps(ordinary)
    assert jsontext.dumps([float("nan"), None]) == b"[NaN,null]"  # orjson alone would write null, null
    assert jsontext.dumps({"a": "\ud800"}) == b'{"a":"\\ud800"}'
    assert jsontext.loads("[18446744073709551616]") == [2**64]  # orjson alone would make it a float
