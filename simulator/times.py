"""Spoken times of day -> "HH:MM", the way AMAZON.TIME fills a slot, in each language.

Only what a runner says about a reminder: "seven", "7", "seven am", "7:30 pm", "seven thirty",
"half past seven", "noon", "eight in the evening" (and "19 uhr", "7 heures et demie", "las 7 y media",
"alle 19", "às 7 e meia"), and Alexa's parts of the day ("morning" -> "MO", "afternoon" -> "AF",
"evening" -> "EV", "night" -> "NI"). A bare hour is taken as said (Alexa guesses too). Anything
else gives None, which the resolver reports as an unresolved slot. The words are the language's
[times] table (simulator/languages/<lang>.toml; en.toml says what each field is), numbers its
[durations.numbers]; how they combine is the same in every language.
"""

from __future__ import annotations

import re

from simulator.phrases import TimeWords, for_language

_CLOCK = re.compile(r"^(\d{1,2})(?:[:h](\d{2}))?$")


def _strip(text: str, phrases: tuple[str, ...], *, at_end: bool) -> tuple[str, str | None]:
    for phrase in sorted(phrases, key=len, reverse=True):
        if at_end and (text == phrase or text.endswith(" " + phrase)):
            return text[: -len(phrase)].strip(), phrase
        if not at_end and (text == phrase or text.startswith(phrase + " ")):
            return text[len(phrase):].strip(), phrase
    return text, None


def _number(words: list[str], numbers: dict[str, float]) -> int | None:
    """Digits, or number words added up ("twenty five", "vingt cinq")."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    values = [numbers.get(w) for w in words]
    if not values or None in values:
        return None
    return int(sum(v for v in values if v is not None))


def _hour_minute(text: str, words: TimeWords, numbers: dict[str, float]) -> tuple[int, int] | None:
    """ "7", "7:30", "seven", "seven thirty", "half past seven", "halb acht", "sept heures et quart"."""
    if text in words.noon:
        return 12, 0
    if text in words.midnight:
        return 0, 0
    text, half_before = _strip(text, words.half_before_next, at_end=False)  # German "halb acht": 7:30
    if half_before:
        hour = _hour_minute(text, words, numbers)
        return None if hour is None or hour[1] else ((hour[0] - 1) % 24, 30)
    for table in (words.past_before, words.past_after):
        for phrase, minutes in table.items():
            rest, found = _strip(text, (phrase,), at_end=table is words.past_after)
            if found:
                hour = _hour_minute(rest, words, numbers)
                return None if hour is None or hour[1] else (hour[0], minutes)
    tokens = [t for t in text.split() if t not in words.ignored]
    match = _CLOCK.match(" ".join(tokens))
    if match:
        return int(match.group(1)), int(match.group(2) or 0)
    tokens = [t for t in tokens if t not in words.joins]
    if not tokens or len(tokens) > 4:
        return None
    for split in range(1, len(tokens) + 1):  # the hour first, then the minutes ("seven thirty", "19 30")
        hour = _number(tokens[:split], numbers)
        minute = _number(tokens[split:], numbers) if tokens[split:] else 0
        if hour is not None and minute is not None and hour <= 24:
            return hour, minute
    return None


def parse_time(text: str, language: str = "en") -> str | None:
    """ "HH:MM" (or MO/AF/EV/NI for a part of the day) for normalised text, or None if it is not a time."""
    tables = for_language(language)
    words, numbers = tables.times, tables.durations.numbers
    text = " ".join(text.split())
    if text in words.parts_of_day:
        return words.parts_of_day[text]
    text, _ = _strip(text, words.leading, at_end=False)
    text, afternoon = _strip(text, words.pm, at_end=True)
    text, morning = (text, None) if afternoon else _strip(text, words.am, at_end=True)
    suffix = afternoon or morning
    found = _hour_minute(text, words, numbers)
    if found is None:
        return None
    hour, minute = found
    if not (0 <= hour <= 23 and 0 <= minute <= 59) or (suffix and not 1 <= hour <= 12):
        return None
    if afternoon and hour < 12:
        hour += 12
    elif morning and hour == 12:
        hour = 0
    return f"{hour:02}:{minute:02}"
