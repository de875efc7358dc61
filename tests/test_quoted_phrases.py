"""Every phrase the coach tells a runner to say ("Alexa, tell hamstring coach ready", « c'est parti ») reaches
the skill in that locale, as the same request the English phrase makes: the same intent, or the launch.

Quoted words are found in every variant of every phrase; each is resolved against the locale's own
model by the simulator's resolver (the one `make chat` uses), then compared, quote by quote, with what
en-US's quote in the same phrase resolves to. A button label quoted for a tap ("Tap "Done"") counts too:
said aloud, it must do what the tap does.
"""

from __future__ import annotations

import re

import pytest

from simulator.resolver import Resolution
from simulator.turns import default_resolver
from skill.alexa import intents
from skill.voice.content import for_locale
from tests.locales import LOCALES

QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|«\s*([^»]+?)\s*»|„([^“”]+)[“”]')


def quotes(locale: str) -> dict[tuple[str, int], list[str]]:
    """(phrase key, variant) -> the words quoted in it, in order (none with a {parameter})."""
    found = {}
    for key, variants in for_locale(locale).phrases.items():
        for index, template in enumerate(variants):
            said = [next(group for group in match.groups() if group) for match in QUOTED.finditer(template)]
            if said := [words for words in said if "{" not in words]:
                found[key, index] = said
    return found


def request(resolution: Resolution) -> str:
    """The request a resolution makes; "yes" is "ready" (with nothing asked, the coach hears it so: es-ES
    teaches «vale», which Alexa hears as AMAZON.YesIntent)."""
    if resolution.kind == "launch":
        return "launch"
    return intents.READY if resolution.intent == intents.YES else str(resolution.intent)


ENGLISH = {key: [request(default_resolver("en-US").resolve(words)) for words in said]
           for key, said in quotes("en-US").items()}


def test_english_quotes_every_phrase_a_runner_needs() -> None:
    assert len(ENGLISH) >= 30 and intents.FALLBACK not in {r for said in ENGLISH.values() for r in said}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_quoted_phrase_makes_the_request_it_makes_in_english(locale: str) -> None:
    resolver = default_resolver(locale)
    heard = {key: [request(resolver.resolve(words)) for words in said] for key, said in quotes(locale).items()}
    by_key = {key: said for (key, _), said in heard.items()}
    for (key, variant), said in heard.items():
        assert intents.FALLBACK not in said and "None" not in said, (locale, key, quotes(locale)[key, variant])
    for (key, variant), english in ENGLISH.items():
        if key in by_key and len(by_key[key]) == len(english):
            assert by_key[key] == english, (locale, key, quotes(locale).get((key, variant)))
