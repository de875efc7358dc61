"""What the browser simulator offers to say in each locale: the locale's own first samples and the come-back
phrase its coach teaches, so a tester who does not speak the language can still walk a workout."""

from __future__ import annotations

import re
from functools import cache

from simulator.phrases import for_language
from skill.alexa import intents
from skill.voice.content import for_locale, published

SUGGESTED = (intents.START_WORKOUT, intents.READY, intents.PROGRESS, intents.FORM_TIP, intents.NEXT_EXERCISE)
_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|«\s*([^»]+?)\s*»|„([^“”]+)[“”]')


@cache
def suggestions(locale: str) -> tuple[str, ...]:
    """A few things to say in `locale` (a published one): samples, "stop", then the way back to the workout."""
    content, language = for_locale(locale), for_language(locale)
    said = [content.samples[intent][0] for intent in SUGGESTED if content.samples.get(intent)]
    said += [phrase for phrase, intent in language.built_in_phrases.items() if intent == intents.STOP][:1]
    come_back = _QUOTED.search(content.phrases["come_back_continue"][0])
    if come_back:
        said.append(next(group for group in come_back.groups() if group))
    return tuple(said)


def locales() -> list[dict[str, object]]:
    """Every published locale with its suggestions, for the page's picker."""
    return [{"locale": locale, "suggestions": list(suggestions(locale))} for locale in published()]
