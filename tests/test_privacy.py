"""Privacy: "delete my data" (confirmed) and disabling the skill delete every key of the runner, and
INFO logs never carry a user id (raw or hashed), a device or session id, a slot value or a body."""

from __future__ import annotations

import json
import logging

import pytest
import redis
from flask import Flask

from simulator.envelopes import Device
from skill.alexa import intents
from skill.store import keys
from tests.runner import Runner
from tests.trust_helpers import post, runner_keys, stored, walk_to_set
from webhook.logs import JsonFormatter


@pytest.fixture
def neighbour(app: Flask, redis_client: redis.Redis) -> Runner:
    """Another runner on the same Redis, whose data must survive our runner's deletion."""
    other = Runner(app.test_client())
    walk_to_set(other, redis_client, 2)
    return other


def test_delete_my_data_confirmed_with_yes_removes_every_key(runner: Runner, neighbour: Runner,
                                                             redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    kept = runner_keys(redis_client, neighbour.device.user_id)
    assert len(runner_keys(redis_client, runner.device.user_id)) == 2  # state and recent replies
    question = runner.say(intents.DELETE_DATA)
    assert "Say yes or no" in question.text and "yes or no" in question.reprompt and not question.ends
    yes = runner.device.intent(intents.YES)
    turn = runner.send(yes)
    assert "Everything I stored about you is deleted" in turn.text and turn.ends
    assert runner_keys(redis_client, runner.device.user_id) == []
    runner.send(yes)  # Alexa retrying the "yes" recreates nothing
    assert "Welcome to Hamstring Coach" in runner.launch().text  # a stranger now, and still nothing stored
    assert runner_keys(redis_client, runner.device.user_id) == []
    assert runner_keys(redis_client, neighbour.device.user_id) == kept


def test_delete_my_data_answered_no_keeps_everything(runner: Runner, redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    before = stored(redis_client, runner.device.user_id)[1]
    runner.say(intents.DELETE_DATA)
    turn = runner.say(intents.NO)
    assert "nothing deleted" in turn.text and not turn.ends
    assert stored(redis_client, runner.device.user_id)[1] == before
    assert "Set 2 of 3" in runner.say(intents.PROGRESS).text


def test_something_else_than_yes_does_not_delete(runner: Runner, redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    runner.say(intents.DELETE_DATA)
    runner.say(intents.PROGRESS)  # the question is dropped, not taken as a yes
    runner.say(intents.YES)
    assert stored(redis_client, runner.device.user_id)[1] is not None


def test_disabling_the_skill_removes_every_key(app: Flask, runner: Runner, neighbour: Runner,
                                               redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    kept = runner_keys(redis_client, neighbour.device.user_id)
    event = runner.device._envelope({"type": "AlexaSkillEvent.SkillDisabled",
                                     "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"}})
    del event["session"]  # skill events come outside any session
    status, _ = post(app.test_client(), json.dumps(event).encode("utf-8"))
    assert status == 200
    assert runner_keys(redis_client, runner.device.user_id) == []
    assert runner_keys(redis_client, neighbour.device.user_id) == kept


def test_info_logs_carry_no_user_id_slot_values_or_bodies(app: Flask, redis_client: redis.Redis,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    device = Device(user_id="amzn1.ask.account.PRIVATE-user-4711", device_id="amzn1.ask.device.PRIVATE-dev")
    runner = Runner(app.test_client(), device)
    caplog.set_level(logging.INFO)
    runner.launch()
    walk_to_set(runner, redis_client, 2)
    runner.say(intents.CHOOSE_EXERCISE, exercise=("zanzibar squats", None))
    runner.say(intents.HAVE_EQUIPMENT, equipment=("my grandmothers kettlebell", None))
    runner.say(intents.SET_REST, duration=("PT97S", ""))
    runner.say(intents.REPEAT)
    session_id = device.session_id
    bad = device.intent(intents.READY)
    bad["request"]["timestamp"] = 5
    assert post(app.test_client(), json.dumps(bad).encode("utf-8"))[0] == 400
    runner.say(intents.STOP)
    runner.end_session()
    runner.say(intents.DELETE_DATA, new_session=True)
    runner.say(intents.YES)
    secrets = [device.user_id, "PRIVATE", keys.user_hash(device.user_id), device.device_id, str(session_id),
               "zanzibar", "grandmother", "PT97S", '"userId"', '"request":', "<speak>"]
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records if record.levelno >= logging.INFO]
    assert any("turn" in line for line in lines)  # the per-turn log line exists and was checked
    leaks = [(secret, line) for line in lines for secret in secrets if secret in line]
    assert leaks == []
