"""Replays: Alexa retries a request with the same id; the retry gets the first reply and changes nothing,
so a retried "ready" or "next" never skips a set."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis
from flask import Flask

from simulator.envelopes import Device, slot_payload
from skill.alexa import intents
from skill.store import REPLAY_WINDOW_SECONDS, keys
from tests.runner import Runner
from tests.trust_helpers import post, set_number, stored, walk_to_set


def heard(payload: dict[str, Any]) -> dict[str, Any]:
    """A reply without the session's copy of the state: a retry's copy is the state as it is now, which may have
    moved on since the first answer (a second device), and the retry's next turn must start from that."""
    attributes = {name: value for name, value in payload["sessionAttributes"].items() if name != "state"}
    return {**payload, "sessionAttributes": attributes}


@pytest.mark.parametrize("intent", [intents.READY, intents.NEXT])  # "ready", and "next" (set by set)
def test_the_same_request_twice_gets_the_same_reply_and_advances_once(intent: str, runner: Runner,
                                                                      redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    version = stored(redis_client, runner.device.user_id)[0]
    ready = runner.device.intent(intent)
    first, again = runner.send(ready), runner.send(ready)
    assert first.status == again.status == 200 and "Set 2" in first.text
    assert again.payload == first.payload
    assert stored(redis_client, runner.device.user_id)[0] == version + 1
    assert set_number(redis_client, runner.device.user_id) == 3


def test_a_retry_after_another_device_moved_on_is_still_answered_from_the_first_time(
    app: Flask, runner: Runner, redis_client: redis.Redis
) -> None:
    walk_to_set(runner, redis_client, 2)
    ready = runner.device.intent(intents.READY)
    kitchen = Runner(app.test_client(), Device(user_id=runner.device.user_id))
    with runner.quickly(), kitchen.quickly():  # Alexa retries within seconds, while the kitchen Echo is used
        first = runner.send(ready)
        assert "Set 3" in kitchen.say(intents.READY, new_session=True).text
        version = stored(redis_client, runner.device.user_id)[0]
        assert heard(runner.send(ready).payload) == heard(first.payload)
    assert stored(redis_client, runner.device.user_id)[0] == version


def test_every_recent_state_change_is_remembered_not_only_the_last_few(runner: Runner,
                                                                       redis_client: redis.Redis) -> None:
    """Nine changes in a row (more than the store keeps): retries of the last eight all change nothing."""
    walk_to_set(runner, redis_client, 2)
    sent: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for seconds in range(30, 39):
        envelope = runner.device.intent(intents.SET_REST, {"duration": slot_payload("duration", f"PT{seconds}S", "")})
        turn = runner.send(envelope)
        assert f"Rest is now {seconds} seconds" in turn.text
        sent.append((envelope, turn.payload))
    version, state = stored(redis_client, runner.device.user_id)
    for envelope, payload in sent[1:]:
        assert heard(runner.send(envelope).payload) == heard(payload)
    assert stored(redis_client, runner.device.user_id) == (version, state)


def test_concurrent_duplicates_are_applied_once(app: Flask, runner: Runner, redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    version = stored(redis_client, runner.device.user_id)[0]
    body = json.dumps(runner.device.intent(intents.READY)).encode("utf-8")
    copies = 8
    start = threading.Barrier(copies)

    def retry(_: int) -> tuple[int, dict[str, Any]]:
        client = app.test_client()
        start.wait(timeout=10)
        return post(client, body)

    with ThreadPoolExecutor(copies) as pool:
        answers = list(pool.map(retry, range(copies)))
    assert {status for status, _ in answers} == {200}
    speech = [payload["response"]["outputSpeech"]["ssml"] for _, payload in answers]
    applied = [s for s in speech if "Set 2" in s]
    assert applied and len(set(applied)) == 1  # one reply, given to every copy that got through
    assert all("Set 2" in s or "missed that" in s for s in speech)  # the rest: "say it again", nothing done
    assert stored(redis_client, runner.device.user_id)[0] == version + 1
    assert set_number(redis_client, runner.device.user_id) == 3


def test_a_request_id_is_only_a_replay_for_the_same_runner(app: Flask, runner: Runner,
                                                           redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    ready = runner.device.intent(intents.READY)
    mine = runner.send(ready)
    stranger = Device()
    theirs = stranger.intent(intents.READY)
    theirs["request"]["requestId"] = ready["request"]["requestId"]
    status, payload = post(app.test_client(), json.dumps(theirs).encode("utf-8"))
    assert status == 200 and payload["response"] != mine.response
    assert "don't have a workout" in payload["response"]["outputSpeech"]["ssml"]


def test_replies_are_kept_only_for_the_replay_window(runner: Runner, redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    recent = keys.recent_key(keys.user_hash(runner.device.user_id))
    assert 0 < redis_client.ttl(recent) <= REPLAY_WINDOW_SECONDS == 300
