"""Every word the skill says or shows, per locale, loaded from the TOML files in content/.

A language's base lives in content/<language>/; content/<locale>/ may override
any of its files key by key (a region's spelling, words or help examples), after
a regional layer several locales share, if locales.toml names one (es-419 for
es-MX and es-US), and content/locales.toml lists the locales we publish. A translator edits only
TOML. What can go wrong: a malformed file raises when the locale is first
loaded (tests load every locale, so that is in `make test`, not on a device).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FILES = ("phrases", "exercises", "samples", "skill")
DEFAULT_LOCALE = "en-US"


@dataclass(frozen=True)
class ExerciseWords:
    """An exercise's words (see the header of content/<language>/exercises.toml)."""

    name: str
    short: str
    equipment: str
    synonyms: tuple[str, ...]
    setup: tuple[str, ...]
    form_cues: tuple[str, ...]
    tempo: Mapping[str, str]
    variants: Mapping[str, str]   # level -> the level's own variant
    sources: Mapping[str, str]    # level -> "article" or "coach": whose variant it is


@dataclass(frozen=True)
class EquipmentWords:
    name: str
    synonyms: tuple[str, ...]  # the first is the slot value


@dataclass(frozen=True, eq=False)  # one instance per locale: compared and hashed by identity (cache keys)
class Content:
    locale: str
    phrases: Mapping[str, tuple[str, ...]]        # key -> variants (format templates)
    words: Mapping[str, str] = field(default_factory=dict)
    counts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # noun -> CLDR category -> template
    weekdays: Mapping[str, str] = field(default_factory=dict)  # iCalendar day code -> "Tuesdays"
    exercises: Mapping[str, ExerciseWords] = field(default_factory=dict)
    equipment: Mapping[str, EquipmentWords] = field(default_factory=dict)
    invocation: str = ""
    samples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # intent -> sample utterances
    weekday_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # day code -> what a runner says
    store: Mapping[str, Any] = field(default_factory=dict)               # skill.toml: the store page


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """A deep merge: tables merge key by key, anything else in `override` replaces the base's."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _read(folder: Path, name: str) -> dict[str, Any]:
    path = folder / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@cache
def _listing() -> dict[str, Any]:
    return tomllib.loads((CONTENT_DIR / "locales.toml").read_text(encoding="utf-8"))


def published() -> dict[str, str]:
    """Locale -> its language, as content/locales.toml lists them (the first is the default per language)."""
    return dict(_listing()["locales"])


def layers(locale: str) -> tuple[Path, ...]:
    """The folders a published locale's content is merged from, base first: language, shared region, locale."""
    shared = _listing().get("shared", {}).get(locale)
    names = (published()[locale], *([shared] if shared else ()), locale)
    return tuple(CONTENT_DIR / name for name in names)


def supported_locale(locale: str | None) -> str:
    """The published locale closest to `locale`: itself, else its language's first locale, else en-US."""
    locales = published()
    if locale in locales:
        return locale
    language = (locale or "").replace("_", "-").split("-")[0].lower()
    return next((known for known, lang in locales.items() if lang == language), DEFAULT_LOCALE)


def _exercise(words: Mapping[str, Any]) -> ExerciseWords:
    return ExerciseWords(
        name=words["name"], short=words["short"], equipment=words["equipment"],
        synonyms=tuple(words.get("synonyms", ())), setup=tuple(words["setup"]),
        form_cues=tuple(words["form_cues"]), tempo=dict(words.get("tempo", {})),
        variants={level: v["text"] for level, v in words.get("variants", {}).items()},
        sources={level: v["source"] for level, v in words.get("variants", {}).items()},
    )


@cache
def for_locale(locale: str | None) -> Content:
    """The content for a request's locale (the closest published one), loaded once per process."""
    locale = supported_locale(locale)
    data: dict[str, dict[str, Any]] = {name: {} for name in FILES}
    for folder in layers(locale):
        data = {name: _merge(data[name], _read(folder, name)) for name in FILES}
    phrases, exercises, samples = data["phrases"], data["exercises"], data["samples"]
    return Content(
        locale=locale,
        phrases={key: tuple(variants) for key, variants in phrases["phrases"].items()},
        words=dict(phrases.get("words", {})),
        counts={noun: dict(forms) for noun, forms in phrases.get("counts", {}).items()},
        weekdays=dict(phrases.get("weekdays", {})),
        exercises={key: _exercise(words) for key, words in exercises.get("exercises", {}).items()},
        equipment={key: EquipmentWords(words["name"], tuple(words["synonyms"]))
                   for key, words in exercises.get("equipment", {}).items()},
        invocation=samples.get("invocation", ""),
        samples={intent: tuple(said) for intent, said in samples.get("samples", {}).items()},
        weekday_names={code: tuple(said) for code, said in samples.get("weekday_names", {}).items()},
        store=data["skill"],
    )
