"""The session's copy of the state (skill/store/known.py, skill/alexa/session.py): inside a session a changing
turn is one compare-and-set write and a question one read; a second device's change is still noticed; the copy
holds no history, is bound to its runner, and cannot outlive "delete my data"."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable

import pytest
import redis
from flask import Flask

from simulator.envelopes import Device
from skill.alexa import intents
from skill.coach import serial
from skill.coach.state import HistoryEntry, UserState
from skill.store import keys
from skill.store.known import TAIL_ENTRIES, HistoryNotLoaded, TailHistory, tail_of
from tests.runner import Runner, Turn
from tests.test_skill_http import SCRIPT_INNER_COMMANDS
from tests.trust_helpers import set_number, stored, walk_to_set


def round_trips(redis_client: redis.Redis, say: Callable[[], Turn]) -> tuple[Turn, int]:
    """A turn, and the commands it sent Redis (each EVALSHA is one round trip; what scripts run inside is not)."""
    redis_client.config_resetstat()
    turn = say()
    stats = redis_client.info("commandstats")
    calls = {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items()}
    sent = {name: n for name, n in calls.items() if name.split("|")[0] not in SCRIPT_INNER_COMMANDS | {"config"}}
    assert set(sent) <= {"evalsha"}, calls
    return turn, sent.get("evalsha", 0)


def copy_of(turn: Turn) -> str:
    return turn.payload["sessionAttributes"]["state"]


def fields_of(copy: str) -> tuple[str, str, str, str]:
    """(MAC, version, state JSON, history tail JSON) of the session's copy."""
    mac, _, body = copy.partition(" ")
    header, state_json, tail_json = body.split("\n")
    return mac, header.split(" ")[0], state_json, tail_json


def test_inside_a_session_a_change_is_one_round_trip_and_so_is_a_question(app: Flask, runner: Runner,
                                                                          redis_client: redis.Redis) -> None:
    warm = Runner(app.test_client(), Device())  # the app's first turns load the scripts
    warm.say(intents.START_WORKOUT, new_session=True)
    warm.say(intents.READY)
    turn, sent = round_trips(redis_client, lambda: runner.say(intents.START_WORKOUT, new_session=True))
    assert sent == 2  # a session's first turn reads, then writes
    for intent in (intents.READY, intents.PROGRESS, intents.FORM_TIP, intents.READY, intents.NEXT, intents.READY):
        turn, sent = round_trips(redis_client, lambda intent=intent: runner.say(intent))
        assert turn.status == 200 and sent == 1, (intent, turn.text)


def test_the_copy_holds_no_history_and_a_finished_workout_is_kept_in_redis(runner: Runner,
                                                                           redis_client: redis.Redis) -> None:
    runner.say(intents.START_WORKOUT, new_session=True)
    turn = runner.say(intents.READY)
    while not turn.ends:
        turn = runner.say(intents.READY)
    state = stored(redis_client, runner.device.user_id)[1]
    assert state is not None and len(state["profile"]["history"]) == 1
    runner.say(intents.START_WORKOUT, new_session=True)
    turn = runner.say(intents.READY)
    sealed = json.loads(fields_of(copy_of(turn))[2])
    assert "history" not in sealed["profile"] and len(copy_of(turn)) < 1500
    week, sent = round_trips(redis_client, lambda: runner.say(intents.WEEK_COUNT))
    assert "1 workout" in week.text and sent == 1  # the history is in Redis: the question reads it
    assert len(stored(redis_client, runner.device.user_id)[1]["profile"]["history"]) == 1


def test_a_second_device_moving_on_is_noticed_by_the_session_it_left_behind(app: Flask, runner: Runner,
                                                                           redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    kitchen = Runner(app.test_client(), Device(user_id=runner.device.user_id))
    assert "Set 2" in kitchen.say(intents.READY, new_session=True).text  # the kitchen Echo did set 2
    version = stored(redis_client, runner.device.user_id)[0]
    assert "Set 3 of 3" in runner.say(intents.PROGRESS).text  # the first session's question sees it
    assert "Set 3" in runner.say(intents.READY).text  # and its change starts from set 3: none done twice
    assert stored(redis_client, runner.device.user_id)[0] == version + 1


def test_a_forged_or_borrowed_copy_is_ignored_and_not_carried_back(app: Flask, runner: Runner,
                                                                   redis_client: redis.Redis) -> None:
    walk_to_set(runner, redis_client, 2)
    genuine = runner.say(intents.PROGRESS)
    genuine_copy = copy_of(genuine)
    state_json = fields_of(genuine_copy)[2]
    sealed = json.loads(state_json)
    sealed["workout"]["set_number"] = 3  # skip a set
    forged = genuine_copy.replace(state_json, json.dumps(sealed, separators=(",", ":")))
    assert forged != genuine_copy
    envelope = runner.device.intent(intents.READY)
    envelope["session"]["attributes"]["state"] = forged
    turn, sent = round_trips(redis_client, lambda: runner.send(envelope))
    assert "Set 2" in turn.text and sent == 2  # read from Redis, as if there were no copy
    assert copy_of(turn) != forged
    # Another runner's session presenting this runner's (intact) copy: bound to this runner's key, so ignored.
    other = Runner(app.test_client(), Device())
    other.say(intents.START_WORKOUT, new_session=True)
    envelope = other.device.intent(intents.READY)
    envelope["session"]["attributes"]["state"] = copy_of(turn)
    borrowed = other.send(envelope)
    assert "Set 1" in borrowed.text and copy_of(borrowed) != copy_of(turn)
    assert set_number(redis_client, runner.device.user_id) == 3


def test_a_copy_from_before_delete_my_data_cannot_write_over_a_new_start(app: Flask, runner: Runner,
                                                                         redis_client: redis.Redis) -> None:
    """Versions of a runner made again start from the clock, so an old session's copy never matches."""
    walk_to_set(runner, redis_client, 2)
    old = runner.device.intent(intents.READY)  # a session on another Echo, from before the delete
    old_version = int(fields_of(old["session"]["attributes"]["state"])[1])
    kitchen = Runner(app.test_client(), Device(user_id=runner.device.user_id))
    kitchen.say(intents.DELETE_DATA, new_session=True)
    kitchen.say(intents.YES)
    assert redis_client.exists(keys.user_key(keys.user_hash(runner.device.user_id))) == 0
    assert "Today:" in kitchen.say(intents.START_WORKOUT, new_session=True).text
    assert stored(redis_client, runner.device.user_id)[0] > old_version  # no version of before comes again
    turn = runner.send(old)
    assert turn.status == 200 and "Set 1" in turn.text  # from what Redis holds now, not the copy (set 2)
    assert set_number(redis_client, runner.device.user_id) == 2


def test_a_tail_history_answers_from_its_newest_end_and_asks_for_the_rest() -> None:
    entries = tuple(HistoryEntry(float(day), ("eccentric_curls",), 3) for day in range(12))
    tail_json, length = tail_of(entries)
    tail = TailHistory(tail_json, length)
    assert len(tail) == 12 and tail and tail[-1] == entries[-1]
    assert list(itertools.islice(reversed(tail), TAIL_ENTRIES)) == list(reversed(entries))[:TAIL_ENTRIES]
    for look in (lambda: list(reversed(tail)), lambda: list(tail), lambda: tail[0], lambda: tail == entries,
                 lambda: (*tail, entries[0])):
        with pytest.raises(HistoryNotLoaded):
            look()
    short = TailHistory(*tail_of(entries[:3]))
    assert list(short) == list(entries[:3]) and short == entries[:3] and (*short, entries[5])[-1] == entries[5]


def test_a_long_history_stays_whole_in_redis_when_a_workout_ends_mid_session(runner: Runner,
                                                                             redis_client: redis.Redis) -> None:
    """A runner with more workouts behind them than the copy holds: mid-workout turns are one round trip, and
    the turn that records the workout reads the whole history first, so none of it is lost."""
    past = tuple(HistoryEntry(1_000_000.0 + day * 86_400, ("trx_runners",), 3) for day in range(3 * TAIL_ENTRIES))
    key = keys.user_key(keys.user_hash(runner.device.user_id))
    redis_client.hset(key, mapping={"v": "7", "state": json.dumps(serial.to_dict(UserState(), with_history=False)),
                                    "history": json.dumps(serial.history_list(past))})
    runner.say(intents.START_WORKOUT, new_session=True)
    assert len(json.loads(fields_of(copy_of(runner.say(intents.PROGRESS)))[3])) == TAIL_ENTRIES
    turn, sent = round_trips(redis_client, lambda: runner.say(intents.READY))
    assert sent == 1
    while not turn.ends:
        turn = runner.say(intents.READY)
    history = stored(redis_client, runner.device.user_id)[1]["profile"]["history"]
    assert len(history) == len(past) + 1 and history[0][0] == past[0].finished_at
