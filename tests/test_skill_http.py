"""The core skill end to end: real Flask app, real Redis, envelopes as a device sends them."""

from __future__ import annotations

import json
import time

import redis
from flask.testing import FlaskClient

from local_redis import RedisServer
from skill.alexa import intents
from skill.store import keys
from tests.runner import Runner
from tests.trust_helpers import state_at
from webhook import create_app

SCRIPT_INNER_COMMANDS = {"hmget", "hget", "hgetall", "hset", "hsetnx", "hlen", "hdel", "expire", "del",
                         "time", "scard", "sadd", "srem", "smembers"}  # as skill/store/*.lua use them


def test_open_welcomes_and_keeps_listening(runner: Runner) -> None:
    turn = runner.launch()
    assert turn.status == 200
    assert "Welcome to Hamstring Coach" in turn.text and "start my hamstring workout" in turn.text
    assert not turn.ends and turn.reprompt


def test_a_whole_workout_by_one_word_replies(runner: Runner, redis_client: redis.Redis) -> None:
    turn = runner.say(intents.START_WORKOUT, new_session=True)  # one-shot "ask hamstring coach to start..."
    assert "3 sets of 9 reps each leg" in turn.text
    assert turn.response["card"]["title"].startswith("One-leg Swiss ball")
    for number, intent in enumerate([intents.READY, intents.NEXT], start=1):  # "ready", "next"
        turn = runner.say(intent)
        assert f"Set {number}." in turn.text and "Set {number} done" not in turn.text
    turn = runner.say(intents.READY)
    if not turn.text.endswith("in position."):  # set 3 may be split where the legs switch
        assert "left heel is on the ball" in turn.text
        turn = runner.say(intents.READY)
    assert "Next up: eccentric hamstring curls" in turn.text and "Say \"ready\"" in turn.text
    for _ in range(2):
        assert not runner.say(intents.READY).ends
    turn = runner.say(intents.READY)
    assert "Workout complete" in turn.text and turn.ends
    stored = state_at(redis_client, keys.user_key(keys.user_hash(runner.device.user_id)))
    assert stored is not None
    assert stored["workout"] is None and len(stored["profile"]["history"]) == 1


def test_mid_session_questions(runner: Runner) -> None:
    runner.say(intents.START_WORKOUT, new_session=True)
    runner.say(intents.READY)
    assert "Set 2 of 3 of Swiss ball curls" in runner.say(intents.PROGRESS).text
    form = runner.say(intents.FORM_TIP).text
    assert form.startswith("Form for Swiss ball curls: Keep your hips up")
    moved = runner.say(intents.NEXT_EXERCISE).text
    assert "Skipping the last 2 sets of Swiss ball curls. Next up: eccentric hamstring curls" in moved
    assert "Going back to one-leg Swiss ball" in runner.say(intents.PREVIOUS).text
    assert "Starting over" in runner.say(intents.START_OVER).text
    paused = runner.say(intents.PAUSE)
    assert paused.ends and "ask hamstring coach to continue" in paused.text
    assert "Picking up" in runner.say(intents.RESUME, new_session=True).text


def test_repeat_says_the_last_reply_again_without_a_store_read(runner: Runner, redis_client: redis.Redis) -> None:
    first = runner.say(intents.START_WORKOUT, new_session=True)
    redis_client.config_resetstat()
    again = runner.say(intents.REPEAT)
    assert again.ssml == first.ssml
    stats = redis_client.info("commandstats")
    assert not any(name.startswith("cmdstat_evalsha") for name in stats)


def test_a_forged_last_reply_is_never_spoken(runner: Runner) -> None:
    runner.say(intents.START_WORKOUT, new_session=True)
    runner.device.attributes["last_reply"] = {"reply": json.dumps({"ssml": "<speak>hacked</speak>"}), "mac": "0"}
    turn = runner.say(intents.REPEAT)
    assert "hacked" not in turn.text and turn.text == 'Say "ready" when you\'re in position for set 1.'


def test_built_ins_leave_no_dead_ends(runner: Runner) -> None:
    runner.launch()
    help_turn = runner.say(intents.HELP)
    assert "start my hamstring workout" in help_turn.text and not help_turn.ends
    fallback = runner.say(intents.FALLBACK)
    assert "can't help with that" in fallback.text and not fallback.ends
    unknown = runner.say("SomeIntentWeNeverDefined")
    assert unknown.text == fallback.text
    runner.say(intents.START_WORKOUT)
    assert runner.say(intents.NAVIGATE_HOME).ends
    assert runner.say(intents.CANCEL, new_session=True).ends
    ended = runner.end_session()
    assert ended.status == 200 and ended.response == {}


def test_stop_saves_and_a_later_one_shot_carries_on(redis_server: RedisServer, redis_client: redis.Redis) -> None:
    now = [time.time()]
    app = create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                      "CLOCK": lambda: now[0]})
    client = app.test_client()
    runner = Runner(client)
    runner.say(intents.START_WORKOUT, new_session=True)
    runner.say(intents.READY)
    now[0] += 300  # the set and its rest have played out
    stop = runner.say(intents.STOP)
    assert stop.ends and "Saved your progress" in stop.text
    second_echo = Runner(client)
    second_echo.device.user_id = runner.device.user_id
    welcome = second_echo.launch()
    assert "Welcome back" in welcome.text and "Set 2 of 3" in welcome.text and "continue" in welcome.text
    assert "Picking up" in second_echo.say(intents.RESUME).text
    one_shot = runner.say(intents.NEXT_EXERCISE, new_session=True)
    assert "Picking up where you left off" in one_shot.text and "Set 2 of 3" in one_shot.text


def test_stopping_while_a_set_is_coached_means_doing_it_again(runner: Runner) -> None:
    runner.say(intents.START_WORKOUT, new_session=True)
    runner.say(intents.READY)
    runner.interrupt(after=40)
    stop = runner.say(intents.STOP)  # "Alexa, stop" while set 1 is still being coached
    assert stop.ends and "stopped during set 1" in stop.text and "Set 1 of 3" in stop.text


def test_two_runners_never_see_each_others_progress(client: FlaskClient) -> None:
    sam, alex = Runner(client), Runner(client)
    sam.say(intents.START_WORKOUT, new_session=True)
    sam.say(intents.READY)
    sam.say(intents.READY)
    assert "Set 3 of 3" in sam.say(intents.PROGRESS).text
    assert "don't have a workout going" in alex.say(intents.PROGRESS, new_session=True).text
    alex.say(intents.START_WORKOUT)
    assert "Set 1 of 3" in alex.say(intents.PROGRESS).text
    assert "Set 3 of 3" in sam.say(intents.PROGRESS).text


def test_keys_hold_no_raw_user_id(runner: Runner, redis_client: redis.Redis) -> None:
    runner.say(intents.START_WORKOUT, new_session=True)
    stored = [key.decode() for key in redis_client.keys("*")]
    assert stored and all(runner.device.user_id not in key for key in stored)
    assert all(key.startswith(f"hc:{{{keys.user_hash(runner.device.user_id)}}}:") for key in stored)


def test_a_turn_costs_at_most_two_round_trips(runner: Runner, redis_client: redis.Redis) -> None:
    runner.say(intents.START_WORKOUT, new_session=True)
    for intent, most in ((intents.READY, 2), (intents.PROGRESS, 1), (intents.FORM_TIP, 1), (intents.NEXT, 2)):
        redis_client.config_resetstat()
        runner.say(intent)
        stats = redis_client.info("commandstats")
        calls = {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items()}
        # Each EVALSHA is one round trip; the commands the scripts run inside Redis are not.
        # ("config|resetstat": Valkey counts subcommands by name)
        sent = {name: n for name, n in calls.items()
                if name.split("|")[0] not in SCRIPT_INNER_COMMANDS | {"config"}}
        assert set(sent) <= {"evalsha"} and sent.get("evalsha", 0) <= most, (intent, calls)


def test_slots_resolve_by_id_or_synonym_and_unresolved_slots_reprompt(runner: Runner) -> None:
    turn = runner.say(intents.CHOOSE_EXERCISE, exercise=("nordics", "eccentric_curls"))
    assert "eccentric hamstring curls" in turn.text
    turn = runner.say(intents.CHOOSE_EXERCISE, exercise=("swiss ball curls", ""))  # no resolutions block
    assert "Swiss ball" in turn.text
    turn = runner.say(intents.CHOOSE_EXERCISE, exercise=("<speak>&", None))
    assert "didn't catch which exercise" in turn.text and "<speak>" not in turn.ssml[7:]
    turn = runner.say(intents.SET_REST, duration=("PT1M30S", ""))
    assert "Rest is now a minute and a half" in turn.text
    assert "How long" in runner.say(intents.SET_REST, duration=("a while", "")).text


def test_repeat_during_a_set_breaks_it_off_and_after_it_says_the_reply_again(runner: Runner) -> None:
    runner.say(intents.START_WORKOUT, new_session=True)
    runner.say(intents.READY)
    runner.interrupt(after=30)
    turn = runner.say(intents.REPEAT)  # "Alexa, repeat" while set 1 is still being coached
    assert turn.text.startswith("You stopped during set 1, so it doesn't count")
    set_reply = runner.say(intents.READY)
    again = runner.say(intents.REPEAT)  # after it has played: the last instruction, not three minutes again
    assert again.text == 'Say "ready" for set 2.' and set_reply.reprompt == again.text


def test_a_bare_exercise_name_chooses_it(runner: Runner) -> None:
    turn = runner.say(intents.EXERCISE_NAME, exercise=("trx runners", "trx_hamstring_runners"))
    assert turn.text.startswith("Today: TRX hamstring runners")
    turn = runner.say(intents.EXERCISE_NAME, exercise=("the moon", None))
    assert "didn't catch which exercise" in turn.text
