"""The crawler in every language, and every reply of a language in each of its regional locales.

A language's crawl is the en-US crawl's twin (tests/crawl.py): the same seeds, events and checks,
with its own words and its own speech estimate, which moves when a set's coaching ends and so which
states exist. A regional locale (en-GB, fr-CA, es-MX ...) overrides a few words of its language, so
every distinct reply its language's crawl met is rendered in it and held to the same speech checks:
valid SSML within Alexa's limits, sentences that start with a capital, cards titled by the name.
Prints each locale's longest reply in characters and estimated seconds.
"""

from __future__ import annotations

import pytest

from skill.voice.content import for_locale
from skill.voice.render import card_text, variant_period
from skill.voice.speech import check_limits, estimate_seconds, render_ssml, render_text
from tests.crawl import crawl
from tests.crawl_checks import check_speech
from tests.locales import LANGUAGES, LOCALES, language_locale, sharing_its_crawl

MIN_STATES = 3_500  # as for en-US (tests/test_crawler.py)
REGIONAL = tuple(locale for locale in LOCALES if locale not in LANGUAGES)


@pytest.mark.parametrize("locale", sharing_its_crawl(tuple(locale for locale in LANGUAGES if locale != "en-US")))
def test_every_reachable_state_answers_every_event_in_each_language(locale: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    result = crawl(locale)  # raises at the first bad reply, naming the event and the state
    with capsys.disabled():
        print(f"\ncrawler {locale}: {len(result.paths)} states, {result.checks} replies checked; longest "
              f"{result.longest_chars[0]} chars, {result.longest_seconds[0]:.0f} s")
    assert len(result.paths) >= MIN_STATES and result.barge_ins > 0


@pytest.mark.parametrize("locale", sharing_its_crawl(REGIONAL))
def test_a_regional_locale_says_every_reply_of_its_language_within_the_limits(
        locale: str, capsys: pytest.CaptureFixture[str]) -> None:
    content, replies = for_locale(locale), crawl(language_locale(locale)).replies
    assert len(replies) > 1_000
    seen: set[str] = set()
    longest_chars, longest_seconds = 0, 0.0
    for reply in replies:
        for variant in range(variant_period(content)):
            ssml = render_ssml(reply.speech, content, variant)
            seconds = estimate_seconds(reply.speech, content, variant)
            check_limits(ssml, seconds)
            reprompt = [render_ssml(reply.reprompt, content, variant)] if reply.reprompt else []
            check_speech([ssml, *reprompt], seen, render_text(reply.speech, content, variant))
            longest_chars, longest_seconds = max(longest_chars, len(ssml)), max(longest_seconds, seconds)
        if reply.card:
            assert card_text(reply.card, content)[0].lower() == content.exercises[reply.card.exercise].name.lower()
    with capsys.disabled():
        print(f"\n{locale}: {len(replies)} replies of {language_locale(locale)}'s crawl; longest {longest_chars} "
              f"chars, {longest_seconds:.0f} s")
