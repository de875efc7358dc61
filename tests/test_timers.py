"""An Echo Dot runner brought back by a timer: consent asked once, the real client against the API stand-in.

The stand-in (tests/alexa_api.py) is the outside edge: the skill's own client sends its requests there, and
each failure mode (401, 403, 5xx, a timeout) must leave the workout exactly where the runner heard it.
"""

from __future__ import annotations

from typing import Any

import pytest
import redis
from flask.testing import FlaskClient

from simulator.envelopes import Device
from skill.alexa import intents
from skill.alexa.device import TIMERS_SCOPE
from skill.store import keys
from tests.alexa_api import AlexaApiStandIn
from tests.runner import Runner
from tests.trust_helpers import state_at
from webhook import metrics

PATH = "/v1/alerts/timers"


def dot(alexa_api: AlexaApiStandIn, *, granted: bool = True) -> Device:
    return Device(api_endpoint=alexa_api.url, api_access_token="token-abc",
                  permissions={TIMERS_SCOPE: "GRANTED"} if granted else {})


def workout_of(redis_client: redis.Redis, runner: Runner) -> dict[str, Any]:
    state = state_at(redis_client, keys.user_key(keys.user_hash(runner.device.user_id)))
    assert state is not None
    return state


def to_a_self_paced_set(runner: Runner) -> None:
    runner.say(intents.SELF_PACED)
    runner.say(intents.START_WORKOUT)


def failures(kind: str) -> float:
    return metrics.API_FAILURES.labels(api="timers", kind=kind)._value.get()


def test_consent_is_asked_once_then_a_timer_is_set_with_the_token_and_an_announcement(
        client: FlaskClient, alexa_api: AlexaApiStandIn, redis_client: redis.Redis) -> None:
    alexa_api.answer("POST", PATH, 200, {"id": "t-1", "status": "ON"})
    runner = Runner(client, dot(alexa_api))
    to_a_self_paced_set(runner)
    offer = runner.say(intents.READY)
    assert "Shall I set a timer" in offer.text and not offer.ends and "yes or no" in offer.reprompt
    assert alexa_api.requests(path=PATH) == []  # nothing set before the runner says yes
    yes = runner.say(intents.YES)
    assert "I've set a" in yes.text and "Alexa, tell hamstring coach done" in yes.text and yes.ends
    (created,) = alexa_api.requests("POST", PATH)
    assert created.headers["Authorization"] == "Bearer token-abc"
    body = created.body
    assert body["timerLabel"] == "hamstring workout"
    assert body["duration"].startswith("PT") and body["duration"][-1] == "S"
    assert int(body["duration"][2:-1]) > 16  # longer than the microphone stays open
    operation = body["triggeringBehavior"]["operation"]
    assert operation["type"] == "ANNOUNCE" and operation["textToAnnounce"][0]["locale"] == "en-US"
    assert "Alexa, tell hamstring coach done" in operation["textToAnnounce"][0]["text"]
    assert workout_of(redis_client, runner)["profile"]["timers"] is True
    runner.wait(int(body["duration"][2:-1]))  # the timer goes off; the runner comes back
    rest = runner.say(intents.DONE, new_session=True)
    assert "Rest" in rest.text and alexa_api.requests("DELETE") == []  # it has gone off: nothing to cancel
    nxt = runner.say(intents.READY)
    assert "Shall I set a timer" not in nxt.text and "I've set a" in nxt.text  # asked once, remembered
    assert len(alexa_api.requests("POST", PATH)) == 2


def test_no_means_no_timers_and_the_come_back_phrase(client: FlaskClient, alexa_api: AlexaApiStandIn,
                                                     redis_client: redis.Redis) -> None:
    runner = Runner(client, dot(alexa_api))
    to_a_self_paced_set(runner)
    runner.say(intents.READY)
    no = runner.say(intents.NO)
    assert "no timers" in no.text and "Alexa, tell hamstring coach done" in no.text and no.ends
    runner.say(intents.DONE, new_session=True)
    later = runner.say(intents.READY)
    assert "timer" not in later.text.lower() and alexa_api.requests(path=PATH) == []


def test_without_the_permission_the_card_is_sent_once(client: FlaskClient, alexa_api: AlexaApiStandIn) -> None:
    runner = Runner(client, dot(alexa_api, granted=False))
    to_a_self_paced_set(runner)
    runner.say(intents.READY)
    yes = runner.say(intents.YES)
    assert yes.response["card"] == {"type": "AskForPermissionsConsent", "permissions": [TIMERS_SCOPE]}
    assert "Alexa, tell hamstring coach done" in yes.text and yes.ends
    runner.say(intents.DONE, new_session=True)
    again = runner.say(intents.READY)
    assert "card" not in again.response and "Alexa, tell hamstring coach done" in again.text
    assert alexa_api.requests(path=PATH) == []  # no permission: the API is never called


def test_coming_back_early_stopping_and_pausing_cancel_the_timer(client: FlaskClient,
                                                                  alexa_api: AlexaApiStandIn) -> None:
    alexa_api.answer("POST", PATH, 200, {"id": "t-1"})
    alexa_api.answer("DELETE", PATH, 200)
    runner = Runner(client, dot(alexa_api))
    to_a_self_paced_set(runner)
    runner.say(intents.READY)
    runner.say(intents.YES)
    runner.say(intents.DONE, new_session=True)  # back before the timer: it would ring mid-rest
    assert len(alexa_api.requests("DELETE", PATH)) == 1
    runner.say(intents.READY)  # the next set: a timer again, no question
    assert len(alexa_api.requests("POST", PATH)) == 2
    runner.say(intents.STOP, new_session=True)
    assert len(alexa_api.requests("DELETE", PATH)) == 2


@pytest.mark.parametrize(("status", "delay", "kind"), [(401, 0.0, "unauthorized"), (403, 0.0, "forbidden"),
                                                       (500, 0.0, "server"), (503, 0.0, "server"),
                                                       (200, 2.5, "timeout")])
def test_an_api_failure_never_costs_the_runner_a_turn(client: FlaskClient, alexa_api: AlexaApiStandIn,
                                                      redis_client: redis.Redis, status: int, delay: float,
                                                      kind: str) -> None:
    alexa_api.answer("POST", PATH, status, {"message": "no"}, delay=delay)
    alexa_api.answer("DELETE", PATH, status, delay=delay)
    runner = Runner(client, dot(alexa_api))
    to_a_self_paced_set(runner)
    runner.say(intents.READY)
    counted = failures(kind)
    yes = runner.say(intents.YES)
    assert yes.status == 200 and yes.ends and "Alexa, tell hamstring coach done" in yes.text
    assert failures(kind) == counted + 1 and len(alexa_api.requests("POST", PATH)) == 1
    assert workout_of(redis_client, runner)["workout"]["phase"] == "in_set"  # the set goes on
    rest = runner.say(intents.DONE, new_session=True)  # cancelling fails too: the rest goes on all the same
    assert rest.status == 200 and "Rest" in rest.text
    assert workout_of(redis_client, runner)["workout"]["sets_done"] == 1


def test_a_whole_workout_with_timers_on_a_screenless_device(client: FlaskClient, alexa_api: AlexaApiStandIn,
                                                            redis_client: redis.Redis) -> None:
    alexa_api.answer("POST", PATH, 200, {"id": "t"})
    alexa_api.answer("DELETE", PATH, 200)
    runner = Runner(client, dot(alexa_api))
    to_a_self_paced_set(runner)
    turn = runner.say(intents.READY)
    for _ in range(40):
        if turn.ends and "Workout complete" in turn.text:
            break
        if "Shall I set a timer" in turn.text:
            turn = runner.say(intents.YES)
        elif turn.ends:
            timers = alexa_api.requests("POST", PATH)
            runner.wait(int(timers[-1].body["duration"][2:-1]))  # the runner waits for the timer
            turn = runner.say(intents.DONE, new_session=True)
        else:
            turn = runner.say(intents.READY)
    assert "Workout complete" in turn.text
    history = workout_of(redis_client, runner)["profile"]["history"]
    assert len(history) == 1 and history[0][2] >= 5
    assert len(alexa_api.requests("POST", PATH)) == history[0][2]  # a timer for every set done on their own
