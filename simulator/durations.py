"""Spoken durations -> ISO 8601, the way AMAZON.DURATION fills a slot, in any of our languages.

Only what a runner says about rest times: "ninety seconds", "90 seconds", "two minutes", "a minute
and a half", "one and a half minutes", "half a minute", "one minute thirty seconds"; and so
"fünfundvierzig Sekunden", "deux minutes et demie", "minuto y medio", "mezzo minuto". The words are
each language's (`DurationWords`, the [durations] table of simulator/languages/<lang>.toml); the
way they combine is here, the same for all. Units keep the shape they were spoken in (ninety
seconds is PT90S, not PT1M30S), as Alexa does. Anything else gives None, which the resolver
reports as an unresolved slot.
"""

from __future__ import annotations

import re
from functools import cache

from simulator.phrases import DurationWords, Phrase, for_language

_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _starts(tokens: list[str], pos: int, forms: tuple[Phrase, ...]) -> int:
    """Length of the first of `forms` that `tokens` hold at `pos` (0: none)."""
    return next((len(form) for form in forms if tuple(tokens[pos : pos + len(form)]) == form), 0)


@cache
def _pieces(words: DurationWords) -> tuple[str, ...]:
    """What a one-word number is made of, longest first: numbers, their compound-only parts, joins."""
    found = {*words.numbers, *words.compound_parts, *words.multipliers, *words.joins}
    return tuple(sorted((piece for piece in found if " " not in piece), key=len, reverse=True))


def _split(token: str, pieces: tuple[str, ...]) -> list[str] | None:
    """"fünfundvierzig" -> ["fünf", "und", "vierzig"], "quarantacinque" -> ["quaranta", "cinque"]; None if
    `token` is not made of pieces. From the end, one step per letter, so any typed word is quick."""
    first_piece: dict[int, str] = {len(token): ""}  # where a split of token[i:] can start -> its first piece
    for start in range(len(token) - 1, -1, -1):
        piece = next((p for p in pieces if token.startswith(p, start) and start + len(p) in first_piece), None)
        if piece is not None:
            first_piece[start] = piece
    if 0 not in first_piece or not token:
        return None
    parts, pos = [], 0
    while pos < len(token):
        parts.append(first_piece[pos])
        pos += len(first_piece[pos])
    return parts


def _tokens(text: str, words: DurationWords) -> list[str]:
    """Words of `text`, one-word numbers split (if the language writes them so), and number phrases
    ("quatre vingt") joined into one token, longest first."""
    tokens: list[str] = []
    for token in text.split():
        known = token in words.numbers or token in words.units or token in words.articles
        parts = None if known or not words.compounds else _split(token, _pieces(words))
        tokens += parts if parts and len(parts) > 1 else [token]
    longest = max((len(key.split()) for key in words.numbers), default=1)
    joined, pos = [], 0
    while pos < len(tokens):
        size = next((n for n in range(min(longest, len(tokens) - pos), 1, -1)
                     if " ".join(tokens[pos : pos + n]) in words.numbers), 1)
        joined.append(" ".join(tokens[pos : pos + size]))
        pos += size
    return joined


def _value(words: DurationWords, word: str) -> float | None:
    """A number word's value; a compound's part ("vent") counts as its number when typed apart."""
    return words.numbers.get(word, words.compound_parts.get(word))


def _joins_here(tokens: list[str], pos: int, start: int, words: DurationWords) -> bool:
    """Is tokens[pos] a join inside the number ("a hundred and twenty", "cuarenta y cinco"), rather
    than its end ("and a half", "y medio")?"""
    if pos == start or tokens[pos] not in words.joins or _starts(tokens, pos, words.half_after):
        return False
    before = tokens[pos - 1]
    after_ok = before in words.joins_after if words.joins_after else _value(words, before) is not None
    return after_ok and (tokens[pos + 1] if pos + 1 < len(tokens) else "") not in words.articles


def _number(tokens: list[str], pos: int, words: DurationWords) -> tuple[float | None, int]:
    """Read one number ("ninety", "forty five", "a", "a hundred and twenty", "90") at `pos`."""
    if pos >= len(tokens):
        return None, pos
    if _DIGITS.fullmatch(tokens[pos]):
        return float(tokens[pos]), pos + 1
    value, start = 0.0, pos
    if tokens[pos] in words.articles:
        if (tokens[pos + 1] if pos + 1 < len(tokens) else "") not in words.multipliers:
            return 1.0, pos + 1
        value, pos = 1.0, pos + 1
    while pos < len(tokens):
        word = tokens[pos]
        if word in words.multipliers and pos > start:
            value = max(value, 1) * words.multipliers[word]
        elif (number := _value(words, word)) is not None:
            value += number
        elif not _joins_here(tokens, pos, start, words):
            break
        pos += 1
    return (value, pos) if pos > start else (None, pos)


def _iso(totals: dict[str, float]) -> str:
    """Carry fractions down a unit (1.5 minutes -> 1M30S) and format as PT...H...M...S."""
    hours, minutes, seconds = totals["H"], totals["M"], totals["S"]
    minutes += (hours % 1) * 60
    seconds += (minutes % 1) * 60
    parts = [(int(hours), "H"), (int(minutes), "M"), (round(seconds), "S")]
    body = "".join(f"{n}{unit}" for n, unit in parts if n)
    return "PT" + (body or "0S")


def parse_duration(text: str, words: DurationWords | None = None) -> str | None:
    """ISO 8601 duration for normalised text (lowercase words) in a language (English by default),
    or None if it is not one."""
    words = words or for_language("en").durations
    tokens = _tokens(text, words)
    totals = {"H": 0.0, "M": 0.0, "S": 0.0}
    pos, found = 0, False
    while pos < len(tokens):
        if found and tokens[pos] in words.joins:
            pos += 1
            continue
        if half := _starts(tokens, pos, words.half_before):
            unit = words.units.get(tokens[pos + half]) if pos + half < len(tokens) else None
            if unit is None:
                return None
            totals[unit] += 0.5
            pos, found = pos + half + 1, True
            continue
        if words.unit_alone_with_half and tokens[pos] in words.units and (half := _starts(
                tokens, pos + 1, words.half_after)):
            totals[words.units[tokens[pos]]] += 1.5
            pos, found = pos + 1 + half, True
            continue
        quantity, pos = _number(tokens, pos, words)
        if quantity is None:
            return None
        if half := _starts(tokens, pos, words.half_after):
            quantity, pos = quantity + 0.5, pos + half
        unit = words.units.get(tokens[pos]) if pos < len(tokens) else None
        if unit is None:
            return None
        pos += 1
        if half := _starts(tokens, pos, words.half_after):
            quantity, pos = quantity + 0.5, pos + half
        totals[unit] += quantity
        found = True
    return _iso(totals) if found else None
