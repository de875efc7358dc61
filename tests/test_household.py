"""Voice profiles on one account, through the real app and Redis: each recognised person keeps their own
progress under the account's hash tag, is greeted by name, is asked once whether the account's progress is
theirs, and deletes only their own data; the account deletes everyone's, and so does disabling the skill."""

from __future__ import annotations

import json
import uuid

import pytest
import redis
from flask import Flask

from simulator.envelopes import Device
from skill.alexa import intents
from skill.store import keys
from tests.runner import Runner
from tests.test_skill_http import SCRIPT_INNER_COMMANDS
from tests.trust_helpers import post, runner_keys, state_at, walk_to_set

ACCOUNT = "amzn1.ask.account.household-4711"
SAM, ALEX = "amzn1.ask.person.SAM-voice-1", "amzn1.ask.person.ALEX-voice-2"


def member(app: Flask, person: str | None, user_id: str = ACCOUNT) -> Runner:
    return Runner(app.test_client(), Device(user_id=user_id, person_id=person))


def person_state(client: redis.Redis, person: str, user_id: str = ACCOUNT) -> dict[str, object] | None:
    return state_at(client, keys.person_key(keys.user_hash(user_id), keys.person_hash(person)))


def test_a_recognised_person_is_greeted_by_name_and_the_name_tag_is_never_stored(
        app: Flask, redis_client: redis.Redis) -> None:
    sam = member(app, SAM)
    turn = sam.launch()
    assert f'<alexa:name type="first" personId="{SAM}"/>' in turn.ssml
    assert "alexa:name" not in json.dumps(turn.response.get("reprompt"))
    for key in redis_client.scan_iter():  # neither the personId nor the userId, in any key or value
        dumped = json.dumps({k.decode(): v.decode() for k, v in redis_client.hgetall(key).items()}) \
            if redis_client.type(key) == b"hash" else str(redis_client.smembers(key))
        assert SAM not in key.decode() + dumped and ACCOUNT not in key.decode() + dumped
    assert redis_client.sismember(keys.persons_key(keys.user_hash(ACCOUNT)), keys.person_hash(SAM))


def test_two_persons_on_one_account_never_see_each_others_progress(app: Flask, redis_client: redis.Redis) -> None:
    sam, alex, account = member(app, SAM), member(app, ALEX), member(app, None)
    walk_to_set(sam, redis_client, 3)  # Sam is on set 3 of the first exercise
    assert "don't have a workout going" in alex.say(intents.PROGRESS, new_session=True).text
    assert "don't have a workout going" in account.say(intents.PROGRESS, new_session=True).text
    alex.say(intents.START_WORKOUT)
    assert "Set 1 of 3" in alex.say(intents.PROGRESS).text
    assert "Set 3 of 3" in sam.say(intents.PROGRESS).text
    assert person_state(redis_client, SAM) != person_state(redis_client, ALEX)
    assert redis_client.hget(keys.user_key(keys.user_hash(ACCOUNT)), "state") is None  # the account has nothing


def test_the_first_visit_asks_once_whether_the_accounts_progress_is_yours(app: Flask,
                                                                           redis_client: redis.Redis) -> None:
    account = member(app, None)
    walk_to_set(account, redis_client, 2)  # trained before voice profiles were set up
    sam = member(app, SAM)
    asked = sam.launch()
    assert "Is that progress yours?" in asked.text and "yes or no" in asked.reprompt and not asked.ends
    moved = sam.say(intents.YES)
    assert "that progress is yours now" in moved.text and "Set 2 of 3" in moved.text
    assert "Set 2 of 3" in sam.say(intents.PROGRESS).text
    assert "don't have a workout going" in account.say(intents.PROGRESS, new_session=True).text
    assert "Is that progress yours" not in member(app, SAM).launch().text  # asked once, never again
    alex = member(app, ALEX)  # the account has no progress left: nothing to ask Alex
    assert "Is that progress yours" not in alex.launch().text


def test_no_leaves_the_progress_with_the_account_and_something_else_drops_the_question(
        app: Flask, redis_client: redis.Redis) -> None:
    account = member(app, None)
    walk_to_set(account, redis_client, 2)
    sam = member(app, SAM)
    sam.launch()
    assert "start fresh" in sam.say(intents.NO).text
    assert "don't have a workout going" in sam.say(intents.PROGRESS).text
    assert "Set 2 of 3" in account.say(intents.PROGRESS, new_session=True).text
    alex = member(app, ALEX)
    alex.launch()
    alex.say(intents.PROGRESS)  # not an answer: the question is dropped, nothing moves
    assert "Okay." in alex.say(intents.YES).text and "Set 2 of 3" in account.say(intents.PROGRESS).text


def test_delete_my_data_from_a_person_deletes_only_theirs(app: Flask, redis_client: redis.Redis) -> None:
    sam, alex = member(app, SAM), member(app, ALEX)
    walk_to_set(sam, redis_client, 2)
    walk_to_set(alex, redis_client, 2)
    sam.say(intents.DELETE_DATA)
    assert "Everything I stored about you is deleted" in sam.say(intents.YES).text
    assert person_state(redis_client, SAM) is None and person_state(redis_client, ALEX) is not None
    assert redis_client.smembers(keys.persons_key(keys.user_hash(ACCOUNT))) == {keys.person_hash(ALEX).encode()}
    assert "Set 2 of 3" in alex.say(intents.PROGRESS).text


def test_delete_my_data_from_the_account_asks_about_everyone_and_deletes_every_key(
        app: Flask, redis_client: redis.Redis) -> None:
    walk_to_set(member(app, SAM), redis_client, 2)
    neighbour = member(app, None, user_id=f"amzn1.ask.account.{uuid.uuid4().hex}")
    walk_to_set(neighbour, redis_client, 2)
    kept = runner_keys(redis_client, neighbour.device.user_id)
    account = member(app, None)
    walk_to_set(account, redis_client, 2)
    asked = account.say(intents.DELETE_DATA)
    assert "everyone on this account" in asked.text and "yes or no" in asked.reprompt
    assert "everyone's, is deleted" in account.say(intents.YES).text
    assert runner_keys(redis_client, ACCOUNT) == []
    assert runner_keys(redis_client, neighbour.device.user_id) == kept


@pytest.mark.parametrize("persons", [0, 3])
def test_skill_disabled_deletes_every_person_of_the_account(app: Flask, redis_client: redis.Redis,
                                                           persons: int) -> None:
    for number in range(persons):
        walk_to_set(member(app, f"amzn1.ask.person.member-{number}"), redis_client, 2)
    account = member(app, None)
    walk_to_set(account, redis_client, 2)
    assert len(runner_keys(redis_client, ACCOUNT)) == 2 + (persons + 1 if persons else 0)
    event = account.device._envelope({"type": "AlexaSkillEvent.SkillDisabled",
                                      "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"}})
    del event["session"]
    assert post(app.test_client(), json.dumps(event).encode("utf-8"))[0] == 200
    assert runner_keys(redis_client, ACCOUNT) == []


def test_a_malformed_person_id_is_the_accounts_turn(app: Flask, redis_client: redis.Redis) -> None:
    odd = member(app, 'amzn1.ask.person.x"/><audio src="https://evil"/>')
    turn = odd.launch()
    assert "alexa:name" not in turn.ssml and "audio" not in turn.ssml
    assert redis_client.scard(keys.persons_key(keys.user_hash(ACCOUNT))) == 0


def test_a_persons_turn_costs_the_same_round_trips_as_the_accounts(app: Flask, redis_client: redis.Redis) -> None:
    walk_to_set(member(app, None), redis_client, 2)  # the account has progress: Sam's first visit asks
    sam = member(app, SAM)
    sam.launch()
    sam.say(intents.NO)
    sam.say(intents.START_WORKOUT)
    for intent, most in ((intents.READY, 2), (intents.PROGRESS, 1), (intents.FORM_TIP, 1)):
        redis_client.config_resetstat()
        sam.say(intent)
        calls = {name.removeprefix("cmdstat_"): int(v["calls"])
                 for name, v in redis_client.info("commandstats").items()}
        sent = {name: n for name, n in calls.items() if name.split("|")[0] not in SCRIPT_INNER_COMMANDS | {"config"}}
        assert set(sent) <= {"evalsha"} and sent.get("evalsha", 0) <= most, (intent, calls)
        assert calls.get("hmget", 0) <= 1  # the account's state is not read once the question is settled
