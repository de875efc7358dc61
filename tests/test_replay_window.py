"""Signed replays over the whole window: an applied request id is refused for as long as its timestamp
can pass verification (150 s either side of our clock, so up to 300 s), however many other turns the
runner took meanwhile; and what is remembered stays bounded, per runner and in time."""

from __future__ import annotations

import json
from typing import Any

import pytest
import redis
from flask import Flask

from local_redis import RedisServer
from simulator.echo import REACTION_SECONDS, play_seconds
from simulator.envelopes import slot_payload
from skill.alexa import intents
from skill.store import REPLAY_WINDOW_SECONDS, keys
from tests import throwaway_ca as ca
from tests.runner import Runner
from tests.trust_helpers import let_redis_time_pass, post, set_number, stored, walk_to_set
from tests.verification_helpers import NOW, Clock, FakeFetch, iso, make_verifier
from webhook import create_app

URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


def other_turns(runner: Runner, count: int) -> None:
    """`count` turns that each change something (the rest time) without moving through the sets, sent as
    fast as a script can: all of them well inside the replay window."""
    with runner.quickly():
        for number in range(count):
            seconds = 30 + number % 60
            turn = runner.say(intents.SET_REST, duration=(f"PT{seconds}S", None))
            assert turn.status == 200 and "Rest is now" in turn.text, turn.text


@pytest.mark.parametrize("others", [8, 50, 200])
def test_a_replay_after_many_other_turns_is_not_applied_again(others: int, runner: Runner,
                                                              redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    ready = runner.device.intent(intents.READY)
    assert "Set 2" in runner.send(ready).text
    other_turns(runner, others)
    before = stored(redis_client, runner.device.user_id)
    again = runner.send(ready)
    assert again.status == 200 and not again.text.startswith("Set 3.")  # not coached: told where they are
    assert stored(redis_client, runner.device.user_id) == before  # nothing applied: still waiting for set 3
    assert set_number(redis_client, runner.device.user_id) == 3


def signed_app(server: RedisServer, clock: Clock) -> Flask:
    return create_app({"REDIS_URL": server.url, "ALEXA_VERIFY_REQUESTS": True, "TESTING": True, "CLOCK": clock,
                       "VERIFIER": make_verifier(FakeFetch(), clock), "USER_ID_PEPPER": "test-pepper"})


def signed_post(app: Flask, envelope: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    body = json.dumps(envelope).encode("utf-8")
    headers = {"SignatureCertChainUrl": URL, "Signature-256": ca.sign(body, ca.make_chain().leaf_key)}
    return post(app.test_client(), body, **headers)


SKEWS = {"stamped-100s-ahead-replayed-151s-later": (100, 151), "140s-ahead-290s-later": (140, 290),
         "140s-behind-10s-later": (-140, 10)}


@pytest.mark.parametrize(("skew", "later"), SKEWS.values(), ids=SKEWS.keys())
def test_a_signed_replay_is_refused_while_its_timestamp_still_passes(
    skew: int, later: int, redis_server: RedisServer, redis_client: redis.Redis
) -> None:
    clock = Clock(NOW)
    app = signed_app(redis_server, clock)
    runner = Runner(app.test_client())  # walks unsigned-looking envelopes through a signed post below
    device = runner.device

    def say(intent: str, new_session: bool = False) -> dict[str, Any]:
        envelope = device.intent(intent, new_session=new_session)
        envelope["request"]["timestamp"] = iso(clock.now)
        status, payload = signed_post(app, envelope)
        assert status == 200, payload
        device.absorb(payload)
        played = play_seconds(payload["response"]["outputSpeech"]["ssml"])
        clock.advance(round(played + REACTION_SECONDS))  # device time, in whole seconds like the timestamps
        return envelope

    say(intents.START_WORKOUT, new_session=True)
    say(intents.READY)  # set 1
    user = keys.user_hash(device.user_id, b"test-pepper")
    ready = device.intent(intents.READY)
    ready["request"]["timestamp"] = iso(clock.now + skew)
    status, first = signed_post(app, ready)
    assert status == 200 and "Set 2" in first["response"]["outputSpeech"]["ssml"]
    version = redis_client.hget(keys.user_key(user), "v")
    clock.advance(later)
    let_redis_time_pass(redis_client, later)
    status, again = signed_post(app, ready)
    assert status == 200, again  # it still passes verification...
    assert redis_client.hget(keys.user_key(user), "v") == version  # ...and is not applied again
    clock.advance(REPLAY_WINDOW_SECONDS + 150 - later)  # now it would fail verification anyway
    assert signed_post(app, ready)[0] == 400


def test_the_rest_duration_slot_is_used(runner: Runner) -> None:
    """other_turns relies on it: a resolved duration sets the rest (guards the helper, not the store)."""
    turn = runner.say(intents.SET_REST, duration=("PT45S", None))
    assert "Rest is now 45 seconds" in turn.text
    assert slot_payload("duration", "PT45S", None)["value"] == "PT45S"


def test_ids_recorded_before_the_order_held_expiries_are_still_refused(runner: Runner,
                                                                        redis_client: redis.Redis) -> None:
    """'_order' lists '<id>:<expiry>' now, so the window is trimmed without reading the entries; one written
    before lists bare ids, and those are still read (from their entries), kept, and listed the new way."""
    walk_to_set(runner, redis_client, 2)
    ready = runner.device.intent(intents.READY)
    assert "Set 2" in runner.send(ready).text
    recent = keys.recent_key(keys.user_hash(runner.device.user_id))
    listed = redis_client.hget(recent, "_order").decode()
    assert listed and all(":" in token for token in listed.split())
    tokens = listed.split()  # the "ready" last: listed bare, as before, and every other one before it too
    mixed = [token.split(":")[0] if (len(tokens) - 1 - index) % 2 == 0 else token for index, token in enumerate(tokens)]
    redis_client.hset(recent, "_order", " ".join(mixed))
    other_turns(runner, 3)
    relisted = redis_client.hget(recent, "_order").decode().split()
    assert tokens[-1] in relisted  # the "ready" again, with the expiry its entry holds; then the 3 turns since
    assert len(relisted) >= 4 and all(":" in token for token in relisted)
    for token in relisted:  # each listed expiry is its entry's
        request, expiry = token.split(":")
        assert redis_client.hget(recent, request).decode().split(" ")[0] == expiry
    before = stored(redis_client, runner.device.user_id)
    again = runner.send(ready)
    assert again.status == 200 and not again.text.startswith("Set 3.")
    assert stored(redis_client, runner.device.user_id) == before
