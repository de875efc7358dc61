"""One Line -> its words in a locale: the phrase's variant, its parameters worded, the template filled.

The coach says `line("progress", number=2, total=3, name=Name("swiss_ball_curls", "short"))`;
this module looks the template up in the content, words each typed parameter
(names, equipment, counts with the locale's plural rules, lists, ranges,
distances, nested lines) and formats. Keys starting "exercise." are an
exercise's own words (set-up steps, form cues, tempo words). What can go
wrong is a programming or content error: a missing key or parameter raises
KeyError, a phrase that is not a list of variants raises ValueError.
"""

from __future__ import annotations

import string
import zlib
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from skill.coach.reply import (
    ClockTime,
    Count,
    Day,
    Distance,
    Duration,
    Gear,
    Gears,
    Line,
    Name,
    Names,
    PersonName,
    Span,
    Weekdays,
    Word,
)
from skill.voice import language
from skill.voice.content import Content, ExerciseWords

# Where the recognised speaker's name goes: a private-use character that `skill.voice.speech` turns into
# Alexa's <alexa:name> tag (speech only); plain text shows NAME_SHOWN.
PERSON_MARK = "\ue000"
NAME_SHOWN = "\u27e8name\u27e9"


def stable_hash(key: str) -> int:
    """A hash that is the same in every process (str hash() is salted per process)."""
    return zlib.crc32(key.encode("utf-8"))


class _Formatter(string.Formatter):
    """str.format plus one spec for translators: `{side:capital}` capitalises the first letter."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "capital":
            text = str(value)
            return text[:1].upper() + text[1:]
        return str(format(value, format_spec))


_FORMATTER = _Formatter()


def _fill(template: str, params: dict[str, Any]) -> str:
    if ":capital}" in template:
        return _FORMATTER.vformat(template, (), params)
    return template.format_map(params)


_EXERCISE_TEXTS: dict[str, Callable[[ExerciseWords, dict[str, Any]], str]] = {
    "exercise.setup": lambda words, params: " ".join(words.setup),
    "exercise.form_cues": lambda words, params: " ".join(words.form_cues),
    "exercise.cue": lambda words, params: words.form_cues[int(params["index"]) % len(words.form_cues)],
    "exercise.tempo": lambda words, params: words.tempo[str(params["phase"])],
    "exercise.variant": lambda words, params: words.variants[str(params["level"])],
}


EXACTLY_ZERO = "=0"  # ICU's explicit form: CLDR puts 0 in "one" for French and Portuguese, where "0 treino" is wrong


def _count(content: Content, number: int, noun: str) -> str:
    """The noun's form for `number`: an explicit "=0" form first, else the locale's CLDR plural category."""
    forms = content.counts[noun]
    if number == 0 and EXACTLY_ZERO in forms:
        return forms[EXACTLY_ZERO].format(count=number)
    return forms.get(language.plural_category(content.locale, number), forms["other"]).format(count=number)


def duration(content: Content, seconds: int) -> str:
    """Seconds under a minute, whole minutes, "a minute and a half", else minutes and seconds."""
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return _count(content, seconds, "second")
    if rest == 0:
        return _count(content, minutes, "minute")
    if rest == 30:
        return _count(content, minutes, "minutes_and_a_half")
    return content.words["minutes_seconds"].format(minutes=_count(content, minutes, "minute"),
                                                   seconds=_count(content, rest, "second"))


def _word(value: Any, content: Content, variant: int) -> Any:
    """A typed parameter in words; plain numbers and strings pass through."""
    match value:
        case Line():
            return say(value, content, variant)
        case Name(exercise, form):
            return getattr(content.exercises[exercise], form)
        case Gear(equipment):
            return content.equipment[equipment].name
        case Names(exercises, form):
            return language.spoken_list(content.locale, tuple(getattr(content.exercises[e], form) for e in exercises))
        case Gears(equipment):
            return language.spoken_list(content.locale, tuple(content.equipment[e].name for e in equipment))
        case Count(number, noun):
            return _count(content, number, noun)
        case Duration(seconds):
            return duration(content, seconds)
        case Span(low, high):
            return str(low) if low == high else content.words["range"].format(low=low, high=high)
        case Distance(yards, units):
            return language.distance(content.locale, yards, units)
        case Word(key):
            return content.words[key]
        case Weekdays(days):
            return language.spoken_list(content.locale, tuple(content.weekdays[d] for d in days))
        case ClockTime(hour, minute):
            return language.clock_time(content.locale, hour, minute)
        case Day(iso):
            return language.short_date(content.locale, iso)
        case PersonName():
            return PERSON_MARK
    return value


@lru_cache(maxsize=8192)
def say(line: Line, content: Content, variant: int = 0) -> str:
    """The words of one line; `variant` picks among the phrase's variants (stable per key)."""
    if line.key in _EXERCISE_TEXTS:
        params = line.params
        return _EXERCISE_TEXTS[line.key](content.exercises[str(params["exercise"])], params)
    if line.key not in content.phrases:
        raise KeyError(line.key)
    variants = content.phrases[line.key]
    if isinstance(variants, str) or not variants:  # a bare str would be "variants" of one letter each
        raise ValueError(f"phrase {line.key!r} needs a non-empty sequence of variants")
    template = variants[(variant + stable_hash(line.key)) % len(variants)]
    return _fill(template, {name: _word(value, content, variant) for name, value in line.args})


def first_variant(content: Content, key: str, **params: Any) -> str:
    """A phrase as a screen shows it: always its first variant, so the text does not flicker."""
    return _fill(content.phrases[key][0], {name: _word(value, content, 0) for name, value in params.items()})
