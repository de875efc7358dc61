"""How Alexa hears a language, for the resolver: word tables per language, from simulator/languages/*.toml.

Kept apart from the matching logic so adding a phrasing (or a language) never touches the algorithm.
Every phrase is in canonical form (see `canonical` in `resolver`): lowercase, contractions contracted.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES_DIR = Path(__file__).resolve().parent / "languages"
Phrase = tuple[str, ...]  # words in a row, matched token by token


@dataclass(frozen=True, eq=False)  # one per language (for_language is cached): hashed by identity
class DurationWords:
    """A language's words for rest times, for simulator.durations (the [durations] table; en.toml
    says what each field is). Only words here: how they combine is the same in every language."""

    numbers: dict[str, float]            # word, or words ("quatre vingt"), -> value
    compound_parts: dict[str, float]     # pieces only found inside one-word numbers ("vent" in "ventuno")
    compounds: bool                      # numbers are written as one word ("fünfundvierzig")
    articles: frozenset[str]             # "a": one, said alone, unless a multiplier follows
    multipliers: dict[str, int]          # "hundred": multiplies the number said before it
    joins: frozenset[str]                # "and" inside a number, and between its parts
    joins_after: frozenset[str]          # inside a number, only after these (empty: after any number)
    half_after: tuple[Phrase, ...]       # "and a half", after a number or its unit
    half_before: tuple[Phrase, ...]      # "half a", before a unit
    unit_alone_with_half: bool           # "minuto y medio": a unit with no number, then its half
    units: dict[str, str]                # word -> "H", "M" or "S"


def _duration_words(table: dict[str, Any]) -> DurationWords:
    """The [durations] table, read once; a form a language does not have is simply left out of it."""

    def values(key: str) -> dict[str, float]:
        return {word: float(value) for value, words in table.get(key, {}).items() for word in words}

    def phrases(key: str) -> tuple[Phrase, ...]:
        return tuple(tuple(phrase.split()) for phrase in table.get(key, ()))

    return DurationWords(
        numbers=values("numbers"),
        compound_parts=values("compound_parts"),
        compounds=bool(table.get("compounds", False)),
        articles=frozenset(table.get("articles", ())),
        multipliers=dict(table.get("multipliers", {})),
        joins=frozenset(table.get("joins", ())),
        joins_after=frozenset(table.get("joins_after", ())),
        half_after=phrases("half_after"),
        half_before=phrases("half_before"),
        unit_alone_with_half=bool(table.get("unit_alone_with_half", False)),
        units={word: unit for unit, words in table["units"].items() for word in words},
    )


@dataclass(frozen=True, eq=False)
class TimeWords:
    """A language's words for times of day, for simulator.times (the [times] table; en.toml says what each
    field is)."""

    parts_of_day: dict[str, str]         # phrase -> "MO" | "AF" | "EV" | "NI"
    am: tuple[str, ...]                  # after the time: the morning ("am", "du matin")
    pm: tuple[str, ...]                  # after the time: afternoon or evening ("pm", "de la tarde")
    noon: frozenset[str]
    midnight: frozenset[str]
    leading: tuple[str, ...]             # before the time, saying nothing ("at", "um", "las", "às")
    ignored: frozenset[str]              # words anywhere in it that say nothing ("o'clock", "uhr", "heures")
    joins: frozenset[str]                # between the hour and its minutes ("sept heures et quinze")
    past_before: dict[str, int]          # before the hour: its minutes ("half past" 30, "quarter past" 15)
    past_after: dict[str, int]           # after the hour: its minutes ("y media" 30, "et quart" 15)
    half_before_next: tuple[str, ...]    # before the next hour: half an hour earlier (German "halb acht" 7:30)


def _time_words(table: dict[str, Any]) -> TimeWords:
    def phrases(key: str) -> tuple[str, ...]:
        return tuple(table.get(key, ()))

    return TimeWords(
        parts_of_day={phrase: code for code, said in table.get("parts_of_day", {}).items() for phrase in said},
        am=phrases("am"), pm=phrases("pm"), noon=frozenset(phrases("noon")), midnight=frozenset(phrases("midnight")),
        leading=phrases("leading"), ignored=frozenset(phrases("ignored")), joins=frozenset(phrases("joins")),
        past_before=dict(table.get("past_before", {})), past_after=dict(table.get("past_after", {})),
        half_before_next=phrases("half_before_next"),
    )


@dataclass(frozen=True)
class Language:
    code: str
    contractions: dict[str, str]         # variant -> canonical form
    built_in_phrases: dict[str, str]     # phrase -> built-in intent
    session_end: frozenset[str]
    launch_verbs: tuple[str, ...]
    connectors: frozenset[str]
    suffix_connectors: tuple[str, ...]
    leading_articles: frozenset[str]
    value_prefixes: tuple[str, ...]
    fillers: frozenset[str]
    wake_word: str
    opens: str                           # "alexa open {invocation}"
    one_shots: tuple[str, ...]           # "alexa ask {invocation} to "
    durations: DurationWords
    times: TimeWords


@cache
def for_language(code: str) -> Language:
    """The tables for a language ("en", "de", ...), or a locale's language ("de-DE"); English if unknown."""
    path = LANGUAGES_DIR / f"{code.split('-')[0]}.toml"
    data = tomllib.loads((path if path.exists() else LANGUAGES_DIR / "en.toml").read_text(encoding="utf-8"))
    speech, examples = data["speech"], data["example_phrases"]
    return Language(
        code=path.stem if path.exists() else "en",
        contractions={variant: form for form, variants in data.get("contractions", {}).items()
                      for variant in variants},
        built_in_phrases={phrase: intent for intent, said in data["built_ins"].items() for phrase in said},
        session_end=frozenset(speech["session_end"]),
        launch_verbs=tuple(speech["launch_verbs"]),
        connectors=frozenset(speech["connectors"]),
        suffix_connectors=tuple(speech.get("suffix_connectors", ())),
        leading_articles=frozenset(speech["leading_articles"]),
        value_prefixes=tuple(speech["value_prefixes"]),
        fillers=frozenset(speech["fillers"]),
        wake_word=speech["wake_word"],
        opens=examples["opens"],
        one_shots=tuple(examples["one_shots"]),
        durations=_duration_words(data["durations"]),
        times=_time_words(data.get("times", {})),
    )
