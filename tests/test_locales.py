"""Every published locale has all of en-US's words and no more, fills the same parameters, and speaks its
own language: no English word in a reply outside a short allow-list (brands, exercise names, cognates).

A locale's content is its language's base (skill/voice/content/<language>/) with its own folder's
overrides; the checks here run on what a request in that locale gets.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.coach import programme
from skill.coach.reply import (
    ClockTime,
    Count,
    Day,
    Distance,
    Duration,
    Gear,
    Line,
    Name,
    Names,
    PersonName,
    Weekdays,
    Word,
    line,
)
from skill.voice import language
from skill.voice.content import Content, for_locale, layers, published, supported_locale
from skill.voice.speech import render_text
from skill.voice.wording import EXACTLY_ZERO, say

LOCALES = tuple(published())
OTHER_LANGUAGES = tuple(locale for locale in LOCALES if not locale.startswith("en-"))
REFERENCE = for_locale("en-US")
ALLOWED_DIR = Path(__file__).resolve().parent / "allowed_english"
# Words a non-English reply may share with English: brands and names people say in English in any gym.
# Each language adds its own short, reviewed list in tests/allowed_english/<language>.txt (one word a
# line, # comments): cognates that are simply the same word in that language.
ALLOWED_EVERYWHERE = frozenset({"alexa", "hamstring", "coach", "trx", "swiss", "ball", "nordic", "nordics"})


def allowed(language_code: str) -> frozenset[str]:
    path = ALLOWED_DIR / f"{language_code}.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return ALLOWED_EVERYWHERE | {line.split("#")[0].strip().lower() for line in lines if line.split("#")[0].strip()}


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
SAMPLE_PARAMS = {
    "number": 2, "total": 3, "minutes": 14, "seconds": 45, "index": 1, "level": "harder",
    "name": Name("swiss_ball_curls"), "other": Name("eccentric_curls", "short"), "equipment": Gear("partner"),
    "names": Names(("inchworms", "dumbbell_rdl")), "sets": Count(2, "set"),
    "amount": line("amount_reps", reps=Count(9, "rep")),
    "workouts": Count(2, "workout"), "days": Count(3, "day"), "reps": Count(9, "rep"), "duration": Duration(90),
    "distance": Distance(20), "side": Word("right"), "when": line("yesterday"),
    # over the weeks (issue 13)
    "person": PersonName(), "left": Count(1, "more_workout"), "status": line("week_on_plan"),
    "weeks": Count(4, "week"), "per_week": 3, "on_plan": 4, "day": Day("2026-11-30"),
    "time": ClockTime(7, 0),
}  # fmt: skip
KEY_PARAMS = {"reminder_when": {"days": Weekdays(("TU", "TH"))}}  # {days} there are weekdays, not a count


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def english_words() -> frozenset[str]:
    """Every word en-US says or shows, lowercase: what a translated reply must not contain."""
    texts = [v for variants in REFERENCE.phrases.values() for v in variants]
    for words in REFERENCE.exercises.values():
        texts += [words.name, words.short, words.equipment, *words.setup, *words.form_cues, *words.tempo.values(),
                  *words.variants.values()]
    texts += [words.name for words in REFERENCE.equipment.values()]
    return frozenset(w.lower() for text in texts for w in _WORD.findall(text) if len(w) > 2)


def replies(content: Content) -> Iterator[str]:
    """Every phrase variant and every exercise's words, worded as the locale words them."""
    for key, variants in content.phrases.items():
        wanted = set().union(*(fields(v) for v in variants))
        for variant in range(len(variants)):
            params = SAMPLE_PARAMS | KEY_PARAMS.get(key, {})
            yield say(Line(key, tuple(sorted((k, v) for k, v in params.items() if k in wanted))), content, variant)
    for exercise in programme.exercise_ids():
        for key in ("exercise.setup", "exercise.form_cues"):
            yield say(line(key, exercise=exercise), content)
        yield " ".join(content.exercises[exercise].variants.values())


@pytest.mark.parametrize("locale", LOCALES)
def test_a_locale_has_exactly_the_words_en_us_has(locale: str) -> None:
    content = for_locale(locale)
    assert set(content.phrases) == set(REFERENCE.phrases), locale
    assert set(content.words) == set(REFERENCE.words) and set(content.counts) == set(REFERENCE.counts)
    for noun, forms in content.counts.items():
        assert {"one", "other"} <= set(forms), (locale, noun)
        assert set(forms) <= language.babel_locale(locale).plural_form.tags | {"other", EXACTLY_ZERO}, (locale, noun)
        assert all(fields(form) == {"count"} or fields(form) == set() for form in forms.values()), (locale, noun)
    assert set(content.exercises) == set(REFERENCE.exercises) and set(content.equipment) == set(REFERENCE.equipment)
    for exercise, words in content.exercises.items():
        reference = REFERENCE.exercises[exercise]
        assert set(words.tempo) == set(reference.tempo) and set(words.variants) == set(reference.variants)
        assert words.sources == reference.sources, exercise
        assert words.name and words.short and words.setup and words.form_cues and words.synonyms, exercise
    assert set(content.samples) == set(REFERENCE.samples) and content.invocation
    store = content.store["store"]
    assert store["name"] and store["summary"] and len(store["examplePhrases"]) == 3, locale


@pytest.mark.parametrize("locale", LOCALES)
def test_every_template_fills_the_parameters_en_us_fills(locale: str) -> None:
    content = for_locale(locale)
    for key, variants in content.phrases.items():
        expected = set().union(*(fields(v) for v in REFERENCE.phrases[key]))
        for variant in variants:
            assert fields(variant) <= expected, (locale, key, variant)
        assert set().union(*(fields(v) for v in variants)) == expected, (locale, key)


@pytest.mark.parametrize("locale", OTHER_LANGUAGES)
def test_no_english_word_in_a_reply(locale: str) -> None:
    content = for_locale(locale)
    english = english_words() - allowed(locale.split("-")[0])
    found = sorted({word for text in replies(content) for word in _WORD.findall(text.lower()) if word in english})
    assert found == [], f"{locale} says English words: {found}"


def test_every_phrase_renders_in_every_locale() -> None:
    for locale in LOCALES:
        content = for_locale(locale)
        assert all(text is not None for text in replies(content))
        assert render_text([line("dose", sets=Count(3, "set"), amount=line("amount_distance", distance=Distance(20)))],
                           content)


@pytest.mark.parametrize(("asked", "expected"), [
    ("en-NZ", "en-US"), ("de-AT", "de-DE"), ("fr-BE", "fr-FR"), ("es-AR", "es-ES"), ("pt-PT", "pt-BR"),
    ("ja-JP", "en-US"), ("", "en-US"), (None, "en-US"), ("en_GB", "en-US"),
])  # fmt: skip
def test_an_unsupported_locale_gets_the_closest_language(asked: str | None, expected: str) -> None:
    """Alexa sends only the locales in the package, but a test client may send any: never a 500."""
    language_of = (asked or "").replace("_", "-").split("-")[0]
    fallback = expected if expected in LOCALES else next(
        (locale for locale in LOCALES if locale.startswith(f"{language_of}-")), "en-US")
    assert supported_locale(asked) == fallback


@pytest.mark.parametrize("locale", LOCALES)
def test_distances_follow_the_locale_custom(locale: str) -> None:
    said = language.distance(locale, 20)
    metric = locale not in language.IMPERIAL_LOCALES
    assert ("18" in said) == metric and ("20" in said) == (not metric), (locale, said)



def test_an_explicit_zero_form_wins_over_the_cldr_category() -> None:
    """CLDR puts 0 in Portuguese "one" ("0 treino"); the "=0" form says "0 treinos"."""
    content = for_locale("pt-BR")
    assert say(line("week_count", workouts=Count(0, "workout")), content) == "Você fez 0 treinos nesta semana."
    assert say(line("week_count", workouts=Count(1, "workout")), content) == "Você fez 1 treino nesta semana."


def test_a_word_two_regions_share_is_written_once() -> None:
    """es-MX and es-US read content/es-419/ between the base and their own folder: no override of one says
    exactly what the other's does (that belongs in the shared layer), and each still has its own words."""
    assert [folder.name for folder in layers("es-MX")] == ["es", "es-419", "es-MX"]
    own = {locale: tomllib.loads((layers(locale)[-1] / "phrases.toml").read_text(encoding="utf-8"))["phrases"]
           for locale in ("es-MX", "es-US")}
    assert not {key for key, said in own["es-MX"].items() if own["es-US"].get(key) == said}
    assert for_locale("es-MX").phrases["button_ready"] == for_locale("es-US").phrases["button_ready"] == ("Listo",)
    assert for_locale("es-MX").phrases["pain_advice"] != for_locale("es-US").phrases["pain_advice"]
