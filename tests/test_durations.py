"""Rest times as a runner says them in each language (15 s to 5 min) reach the chat as AMAZON.DURATION would
fill the slot: "Pause neunzig Sekunden" is SetRestIntent with PT90S, not an unresolved slot.

Each case goes through the locale's real model and resolver, inside one of the locale's own SetRestIntent
samples (rotating, so every sample is used), so a word missing from simulator/languages/<lang>.toml's
[durations] table, or a sample the value cannot fill, fails here.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import cycle

import pytest

from simulator import Resolver
from simulator.durations import parse_duration
from simulator.phrases import for_language
from simulator.resolver import canonical
from skill.alexa import intents
from tests.locales import LOCALES
from tools.build_interaction_model import model_path

# Language -> (what the runner says, the ISO 8601 duration Alexa would send).
SAID: dict[str, list[tuple[str, str]]] = {
    "en": [("fifteen seconds", "PT15S"), ("thirty seconds", "PT30S"), ("forty-five seconds", "PT45S"),
           ("a minute", "PT1M"), ("ninety seconds", "PT90S"), ("a minute and a half", "PT1M30S"),
           ("two and a half minutes", "PT2M30S"), ("three minutes", "PT3M"), ("five minutes", "PT5M")],
    "de": [("fünfzehn Sekunden", "PT15S"), ("zwanzig Sekunden", "PT20S"), ("dreißig Sekunden", "PT30S"),
           ("fünfundvierzig Sekunden", "PT45S"), ("eine halbe Minute", "PT30S"), ("eine Minute", "PT1M"),
           ("neunzig Sekunden", "PT90S"), ("eineinhalb Minuten", "PT1M30S"), ("anderthalb Minuten", "PT1M30S"),
           ("eine Minute und dreißig Sekunden", "PT1M30S"), ("hundertzwanzig Sekunden", "PT120S"),
           ("zwei Minuten", "PT2M"), ("zweieinhalb Minuten", "PT2M30S"), ("drei Minuten", "PT3M"),
           ("fünf Minuten", "PT5M"), ("90 Sekunden", "PT90S")],
    "fr": [("quinze secondes", "PT15S"), ("trente secondes", "PT30S"), ("quarante-cinq secondes", "PT45S"),
           ("une demi-minute", "PT30S"), ("une minute", "PT1M"), ("soixante-quinze secondes", "PT75S"),
           ("quatre-vingt-dix secondes", "PT90S"), ("une minute et demie", "PT1M30S"),
           ("une minute trente secondes", "PT1M30S"), ("cent vingt secondes", "PT120S"), ("deux minutes", "PT2M"),
           ("deux minutes et demie", "PT2M30S"), ("trois minutes", "PT3M"), ("cinq minutes", "PT5M")],
    "es": [("quince segundos", "PT15S"), ("veinte segundos", "PT20S"), ("treinta segundos", "PT30S"),
           ("cuarenta y cinco segundos", "PT45S"), ("medio minuto", "PT30S"), ("un minuto", "PT1M"),
           ("noventa segundos", "PT90S"), ("un minuto y medio", "PT1M30S"), ("minuto y medio", "PT1M30S"),
           ("un minuto y treinta segundos", "PT1M30S"), ("ciento veinte segundos", "PT120S"),
           ("dos minutos", "PT2M"), ("dos minutos y medio", "PT2M30S"), ("tres minutos", "PT3M"),
           ("cinco minutos", "PT5M")],
    "it": [("quindici secondi", "PT15S"), ("venti secondi", "PT20S"), ("trenta secondi", "PT30S"),
           ("quarantacinque secondi", "PT45S"), ("mezzo minuto", "PT30S"), ("un minuto", "PT1M"),
           ("novanta secondi", "PT90S"), ("un minuto e mezzo", "PT1M30S"), ("minuto e mezzo", "PT1M30S"),
           ("un minuto e trenta secondi", "PT1M30S"), ("centoventi secondi", "PT120S"), ("due minuti", "PT2M"),
           ("due minuti e mezzo", "PT2M30S"), ("tre minuti", "PT3M"), ("cinque minuti", "PT5M")],
    "pt": [("quinze segundos", "PT15S"), ("vinte segundos", "PT20S"), ("trinta segundos", "PT30S"),
           ("quarenta e cinco segundos", "PT45S"), ("meio minuto", "PT30S"), ("um minuto", "PT1M"),
           ("noventa segundos", "PT90S"), ("um minuto e meio", "PT1M30S"), ("minuto e meio", "PT1M30S"),
           ("um minuto e trinta segundos", "PT1M30S"), ("cento e vinte segundos", "PT120S"),
           ("dois minutos", "PT2M"), ("dois minutos e meio", "PT2M30S"), ("três minutos", "PT3M"),
           ("cinco minutos", "PT5M")],
}  # fmt: skip
# What is no duration, in each language: vague amounts, and the rest time in another language.
NOT_A_DURATION: dict[str, list[str]] = {
    "en": ["a few seconds", "neunzig sekunden"],
    "de": ["ein paar Sekunden", "ninety seconds", "eine Minute dreißig"],
    "fr": ["quelques secondes", "ninety seconds", "une minute trente"],
    "es": ["unos segundos", "ninety seconds", "minuto"],
    "it": ["qualche secondo", "ninety seconds", "secondi"],
    "pt": ["alguns segundos", "ninety seconds", "minuto"],
}


@cache
def resolver(locale: str) -> Resolver:
    return Resolver.from_model_file(model_path(locale))


def _rest_samples(locale: str) -> list[str]:
    model = json.loads(model_path(locale).read_text(encoding="utf-8"))
    intent = next(i for i in model["interactionModel"]["languageModel"]["intents"] if i["name"] == intents.SET_REST)
    return list(intent["samples"])


def _cases() -> list[tuple[str, str, str]]:
    """(locale, utterance, ISO) for every published locale: each rest time in one of its samples."""
    cases = []
    for locale in LOCALES:
        said = SAID[locale.split("-")[0]]
        samples = _rest_samples(locale)
        rotation = cycle(samples)
        for index in range(max(len(said), len(samples))):
            words, iso = said[index % len(said)]
            cases.append((locale, next(rotation).replace("{duration}", words), iso))
    return cases


@pytest.mark.parametrize(("locale", "text", "iso"), _cases())
def test_a_rest_time_fills_the_duration_slot(locale: str, text: str, iso: str) -> None:
    resolution = resolver(locale).resolve(text)
    assert resolution.intent == intents.SET_REST, text
    slot = resolution.slots["duration"]
    assert (slot.resolved_id, slot.value) == (iso, iso), text


@pytest.mark.parametrize("language", sorted(SAID))
def test_the_language_table_parses_each_rest_time(language: str) -> None:
    heard = for_language(language)
    parsed = {said: parse_duration(canonical(said, heard), heard.durations) for said, _ in SAID[language]}
    assert parsed == dict(SAID[language])


@pytest.mark.parametrize(("language", "said"), [(lang, text) for lang, said in NOT_A_DURATION.items() for text in said])
def test_what_is_no_rest_time_leaves_the_slot_unresolved(language: str, said: str) -> None:
    locale = next(locale for locale in LOCALES if locale.startswith(f"{language}-"))
    sample = next(s for s in _rest_samples(locale) if s.endswith(" {duration}"))
    resolution = resolver(locale).resolve(sample.replace("{duration}", said))
    assert resolution.intent == intents.SET_REST
    slot = resolution.slots["duration"]
    assert slot.resolved_id is None and slot.value == slot.raw != ""


def test_without_a_language_the_parser_hears_english() -> None:
    assert parse_duration("ninety seconds") == "PT90S"
    assert parse_duration("neunzig sekunden") is None
    assert parse_duration("neunzig sekunden", for_language("de-DE").durations) == "PT90S"
