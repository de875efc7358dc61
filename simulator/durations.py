"""Spoken English durations -> ISO 8601, the way AMAZON.DURATION fills a slot.

Only what a runner says about rest times: "ninety seconds", "90 seconds",
"two minutes", "a minute and a half", "one and a half minutes", "half a
minute", "one minute thirty seconds". Units keep the shape they were spoken
in (ninety seconds is PT90S, not PT1M30S), as Alexa does. Anything else gives
None, which the resolver reports as an unresolved slot.
"""

from __future__ import annotations

import re

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_TEENS = "sixteen seventeen eighteen nineteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS: dict[str, int] = {word: n for n, word in enumerate(f"{_ONES} {_TEENS}".split(" "))}
NUMBER_WORDS.update({word: 20 + 10 * n for n, word in enumerate(_TENS.split(" "))})

_UNIT_WORDS = {"S": "second seconds sec secs", "M": "minute minutes min mins", "H": "hour hours hr hrs"}
UNITS: dict[str, str] = {word: unit for unit, words in _UNIT_WORDS.items() for word in words.split(" ")}
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_AND_A_HALF = ["and", "a", "half"]


def _number(tokens: list[str], pos: int) -> tuple[float | None, int]:
    """Read one number ("ninety", "forty five", "a", "a hundred and twenty", "90") at `pos`."""
    if pos >= len(tokens):
        return None, pos
    if _DIGITS.fullmatch(tokens[pos]):
        return float(tokens[pos]), pos + 1
    value, start = 0, pos
    if tokens[pos] in ("a", "an"):
        if tokens[pos + 1 : pos + 2] != ["hundred"]:
            return 1.0, pos + 1
        value, pos = 1, pos + 1
    while pos < len(tokens):
        word = tokens[pos]
        if word in NUMBER_WORDS:
            value += NUMBER_WORDS[word]
        elif word == "hundred" and pos > start:
            value = max(value, 1) * 100
        elif not (word == "and" and tokens[pos - 1] == "hundred" and tokens[pos + 1 : pos + 2] != ["a"]):
            break  # an "and" is part of "one hundred and twenty", not of "and a half"
        pos += 1
    return (float(value), pos) if pos > start else (None, pos)


def _iso(totals: dict[str, float]) -> str:
    """Carry fractions down a unit (1.5 minutes -> 1M30S) and format as PT...H...M...S."""
    hours, minutes, seconds = totals["H"], totals["M"], totals["S"]
    minutes += (hours % 1) * 60
    seconds += (minutes % 1) * 60
    parts = [(int(hours), "H"), (int(minutes), "M"), (round(seconds), "S")]
    body = "".join(f"{n}{unit}" for n, unit in parts if n)
    return "PT" + (body or "0S")


def parse_duration(text: str) -> str | None:
    """ISO 8601 duration for normalised text (lowercase words), or None if it is not one."""
    tokens = text.split()
    totals = {"H": 0.0, "M": 0.0, "S": 0.0}
    pos, found = 0, False
    while pos < len(tokens):
        if found and tokens[pos] == "and":
            pos += 1
            continue
        if tokens[pos] == "half" and tokens[pos + 1 : pos + 2] in (["a"], ["an"]):
            unit = UNITS.get(tokens[pos + 2]) if pos + 2 < len(tokens) else None
            if unit is None:
                return None
            totals[unit] += 0.5
            pos, found = pos + 3, True
            continue
        quantity, pos = _number(tokens, pos)
        if quantity is None:
            return None
        if tokens[pos : pos + 3] == _AND_A_HALF:
            quantity, pos = quantity + 0.5, pos + 3
        unit = UNITS.get(tokens[pos]) if pos < len(tokens) else None
        if unit is None:
            return None
        pos += 1
        if tokens[pos : pos + 3] == _AND_A_HALF:
            quantity, pos = quantity + 0.5, pos + 3
        totals[unit] += quantity
        found = True
    return _iso(totals) if found else None
