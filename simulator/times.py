"""Spoken English times of day -> "HH:MM", the way AMAZON.TIME fills a slot.

Only what a runner says about a reminder: "seven", "7", "seven am", "7:30 pm",
"seven thirty", "half past seven", "noon", "eight in the evening", and Alexa's
parts of the day ("morning" -> "MO", "afternoon" -> "AF", "evening" -> "EV",
"night" -> "NI"). A bare hour is taken as said (Alexa guesses too). Anything
else gives None, which the resolver reports as an unresolved slot.
"""

from __future__ import annotations

import re

from simulator.durations import NUMBER_WORDS

PARTS_OF_DAY = {"morning": "MO", "the morning": "MO", "afternoon": "AF", "the afternoon": "AF",
                "evening": "EV", "the evening": "EV", "night": "NI", "tonight": "NI"}
_PM = ("pm", "p m", "in the evening", "in the afternoon", "at night", "tonight")
_AM = ("am", "a m", "in the morning")
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


def _hour_minute(words: list[str]) -> tuple[int, int] | None:
    """ "7", "7:30", "seven", "seven thirty", "seven fifteen", "half past seven", "noon"."""
    text = " ".join(words)
    if text in ("noon", "midday"):
        return 12, 0
    if text == "midnight":
        return 0, 0
    if len(words) >= 3 and words[1] == "past" and words[0] in ("half", "quarter"):
        hour = _hour_minute(words[2:])
        return None if hour is None else (hour[0], 30 if words[0] == "half" else 15)
    match = _CLOCK.match(text)
    if match:
        return int(match.group(1)), int(match.group(2) or 0)
    numbers = [int(w) if w.isdigit() else NUMBER_WORDS.get(w) for w in words if w != "o'clock"]
    if not numbers or None in numbers or len(numbers) > 3:
        return None
    hour, *minutes = numbers
    return hour, sum(m for m in minutes if m is not None)


def parse_time(text: str) -> str | None:
    """ "HH:MM" (or MO/AF/EV/NI for a part of the day) for normalised text, or None if it is not a time."""
    text = " ".join(text.split())
    if text in PARTS_OF_DAY:
        return PARTS_OF_DAY[text]
    afternoon = next((s for s in _PM if text.endswith(" " + s)), None)
    morning = next((s for s in _AM if text.endswith(" " + s)), None)
    suffix = afternoon or morning
    if suffix:
        text = text[: -len(suffix)].strip()
    found = _hour_minute(text.split())
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
