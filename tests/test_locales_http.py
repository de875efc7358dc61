"""The behavioural suite through the real app in every published locale, the pure workout as the oracle.

Each request goes through Flask, Redis and ask-sdk with the device's locale, and each response must be
exactly what the workout and the locale's words predict (tests/crawl_http.py's Replayer): sampled paths
of the language's crawl, every intent and slot value of the locale's own model, a whole workout on
one-word replies, a workout stopped and resumed from another Echo, odd slots, and requests in
locales we do not publish.
"""

from __future__ import annotations

import pytest
import redis
from flask.testing import FlaskClient

from simulator.envelopes import Device
from skill.alexa import intents
from skill.coach.events import Kind
from skill.coach.state import Pending, Phase, UserState
from skill.store import keys
from skill.voice.content import supported_locale
from tests.crawl import crawl
from tests.crawl_http import Replayer, model_intents
from tests.locales import LOCALES, language_locale, sharing_its_crawl
from tests.runner import Runner
from tests.trust_helpers import snapshot, state_at

SAMPLED_PATHS = 24


def replayer(client: FlaskClient, locale: str, *, apl: bool = False, user_id: str | None = None,
             state: UserState | None = None) -> Replayer:
    device = Device(locale=locale, apl=apl) if user_id is None else Device(locale=locale, apl=apl, user_id=user_id)
    return Replayer(Runner(client, device), state or UserState())


def onwards(state: UserState) -> Kind:
    """What a runner says to get on: "done" in a set of their own, "yes" to a question, else "ready"."""
    if state.workout is None:
        return Kind.START
    if state.pending is not None:
        return Kind.NO if state.pending is Pending.DELETE_DATA else Kind.YES
    return Kind.DONE if state.workout.phase is Phase.IN_SET and state.profile.self_paced else Kind.READY


@pytest.mark.parametrize("locale", sharing_its_crawl(LOCALES))
def test_sampled_paths_of_the_language_answer_as_the_workout_predicts(client: FlaskClient, locale: str) -> None:
    paths = sorted(crawl(language_locale(locale)).paths.values(), key=lambda p: (len(p), [e.kind.value for e in p]))
    turns = directives = 0
    for index, path in enumerate([*paths[:: len(paths) // SAMPLED_PATHS], max(paths, key=len)]):
        replay = replayer(client, locale, apl=index % 2 == 0)
        for event in path:
            replay.event(event)
        turns, directives = turns + replay.turns, directives + replay.directives
    assert turns >= 100 and directives > 0, (turns, directives)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_and_slot_value_of_the_locales_model(client: FlaskClient, locale: str) -> None:
    """Mid-workout, in a live session: each answers as predicted (a slot value the model lacks: a re-prompt)."""
    sent = 0
    for index, (name, slots) in enumerate(model_intents(locale)):
        replay = replayer(client, locale, apl=index % 2 == 1)
        replay.say(intents.START_WORKOUT, {}, new_session=True)
        replay.say(intents.READY, {})
        replay.say(name, slots)
        sent += 1
    assert sent >= 50


@pytest.mark.parametrize("locale", LOCALES)
def test_a_whole_workout_on_one_word_replies(client: FlaskClient, redis_client: redis.Redis, locale: str) -> None:
    replay = replayer(client, locale)
    replay.launch()
    kind, turns = Kind.START, 0
    while not (turns and replay.state.workout is None):
        name = intents.START_WORKOUT if kind is Kind.START else {
            Kind.READY: intents.READY, Kind.DONE: intents.DONE, Kind.YES: intents.YES, Kind.NO: intents.NO}[kind]
        turn = replay.say(name, {})
        kind, turns = onwards(replay.state), turns + 1
        assert turns < 40 and turn.status == 200
    assert turn.ends
    stored = state_at(redis_client, keys.user_key(keys.user_hash(replay.runner.device.user_id)))
    assert stored is not None
    assert stored["workout"] is None and len(stored["profile"]["history"]) == 1


@pytest.mark.parametrize("locale", LOCALES)
def test_stopped_on_one_echo_and_carried_on_from_another(client: FlaskClient, locale: str) -> None:
    first = replayer(client, locale)
    first.say(intents.START_WORKOUT, {}, new_session=True)
    for _ in range(3):  # set 1, which a locale with longer words splits where the legs switch
        first.say(intents.READY, {})
        if first.state.workout is not None and first.state.workout.set_number == 2:
            break
    first.runner.wait(300)  # the set and its rest have played out
    assert first.say(intents.STOP, {}).ends
    second = replayer(client, locale, user_id=first.runner.device.user_id, state=first.state)
    second.launch()  # "welcome back", offering to carry on where the first Echo stopped
    second.say(intents.RESUME, {})
    assert second.state.workout is not None and second.state.workout.set_number == 2
    one_shot = replayer(client, locale, user_id=first.runner.device.user_id, state=second.state)
    one_shot.say(intents.NEXT_EXERCISE, {}, new_session=True)  # "ask hamstring coach for the next exercise"
    workout = one_shot.state.workout  # a one-shot an hour later picks up where the runner was, not past it
    assert workout is not None and (workout.exercise_index, workout.set_number) == (0, 2)


ODD_VALUES = ("<speak>", "&", "🦵🏃‍♀️💪", "é" * 5000)
SLOTTED = ((intents.CHOOSE_EXERCISE, intents.EXERCISE_SLOT), (intents.MISSING_EQUIPMENT, intents.EQUIPMENT_SLOT),
           (intents.SET_REST, intents.DURATION_SLOT))


@pytest.mark.parametrize("locale", LOCALES)
def test_an_odd_or_missing_slot_is_asked_again_in_the_locales_words_and_changes_nothing(
        client: FlaskClient, redis_client: redis.Redis, locale: str) -> None:
    replay = replayer(client, locale)
    replay.say(intents.START_WORKOUT, {}, new_session=True)
    before = snapshot(redis_client)
    for name, slot in SLOTTED:
        for value in (*ODD_VALUES, None):
            turn = replay.say(name, {} if value is None else {slot: (value, None)})
            assert not turn.ends and turn.reprompt and "<speak>" not in turn.text
            assert snapshot(redis_client) == before, (name, value)


@pytest.mark.parametrize("asked", ["de-AT", "fr-BE", "es-AR", "pt-PT", "en-NZ", "zz-ZZ", "", "EN_gb", "x" * 300])
def test_a_locale_we_do_not_publish_gets_the_closest_language(client: FlaskClient, asked: str) -> None:
    replay = replayer(client, asked)
    assert replay.content.locale == supported_locale(asked)
    turn = replay.launch()
    assert turn.status == 200 and not turn.ends
    replay.say(intents.START_WORKOUT, {})
