"""An Echo Show runs the workout by itself: through the real app, in device time, driven by the screen's UserEvents.

The screen's countdown ends (REST_OVER), taps (Done, Ready), heartbeats: each is a real
Alexa.Presentation.APL.UserEvent through Flask, the store's compare-and-set and replay protection. A stale
position, a foreign token or a double tap changes nothing; arguments the screen never sends are a 400.
"""

from __future__ import annotations

from typing import Any

import redis
from flask.testing import FlaskClient

from simulator.envelopes import Device
from skill.alexa import intents
from skill.coach.screens import WALK_AWAY_SECONDS
from skill.store import keys
from tests.runner import Runner, Turn
from tests.trust_helpers import state_at


def screen_of(turn: Turn) -> dict[str, Any]:
    (directive,) = [d for d in turn.response.get("directives", []) if d["type"].endswith("RenderDocument")]
    assert directive["token"] == "workout"
    return directive["datasources"]["workout"]


def stored(redis_client: redis.Redis, runner: Runner) -> dict[str, Any]:
    state = state_at(redis_client, keys.user_key(keys.user_hash(runner.device.user_id)))
    assert state is not None
    return state


def on_with_the_screen(runner: Runner, turn: Turn) -> Turn:
    """What the screen does next by itself or with one tap: wake at the rest's end, or Done, or Ready."""
    shown = screen_of(turn)
    if shown["wake_ms"]:
        runner.clock.now = runner.reply_started + shown["wake_ms"] / 1000  # type: ignore[union-attr]
        return runner.tap("rest_over", shown["step"])
    tap = "done" if shown["status"] == "in_set" else "ready"
    assert tap in [b["event"] for b in shown["buttons"]], shown["buttons"]
    return runner.tap(tap, shown["step"])


def walk_on_the_screen(runner: Runner, first: Turn, limit: int = 40) -> list[Turn]:
    turns, turn = [], first
    for _ in range(limit):
        if turn.ends:
            return turns
        assert "shouldEndSession" not in turn.response and "reprompt" not in turn.response, turn.response
        turn = on_with_the_screen(runner, turn)
        assert turn.status == 200 and turn.ssml, turn.payload
        turns.append(turn)
    raise AssertionError("the screen did not finish the workout")


def test_a_whole_workout_runs_on_the_screen_with_no_words_after_ready(client: FlaskClient,
                                                                     redis_client: redis.Redis) -> None:
    runner = Runner(client, Device(apl=True))
    runner.say(intents.START_WORKOUT)
    turns = walk_on_the_screen(runner, runner.say(intents.READY))
    assert "Workout complete" in turns[-1].text and turns[-1].ends
    assert sum("Set 3" in t.text and "done" in t.text for t in turns) == 2  # both exercises' last sets, unspoken for
    history = stored(redis_client, runner)["profile"]["history"]
    assert len(history) == 1 and history[0][2] >= 5  # every set of both exercises, none of them spoken for
    rests = [t for t in turns if "The screen counts it down" in t.text]
    assert len(rests) >= 4 and all(screen_of(t)["wake_ms"] > screen_of(t)["rest_seconds"] * 1000 for t in rests)


def test_a_self_paced_workout_on_the_screen_is_taps_only(client: FlaskClient, redis_client: redis.Redis) -> None:
    runner = Runner(client, Device(apl=True))
    runner.say(intents.SELF_PACED)
    runner.say(intents.START_WORKOUT)
    first = runner.say(intents.READY)
    assert 'Tap "Done"' in first.text and screen_of(first)["buttons"][0] == {"event": "done", "label": "Done"}
    turns = walk_on_the_screen(runner, first)
    assert turns[-1].ends and "Workout complete" in turns[-1].text
    assert len(stored(redis_client, runner)["profile"]["history"]) == 1


def test_a_double_tapped_done_counts_once(client: FlaskClient, redis_client: redis.Redis) -> None:
    runner = Runner(client, Device(apl=True))
    runner.say(intents.SELF_PACED)
    runner.say(intents.START_WORKOUT)
    step = screen_of(runner.say(intents.READY))["step"]
    first = runner.tap("done", step)
    assert "The screen counts it down" in first.text
    before = stored(redis_client, runner)
    second = runner.tap("done", step)  # the same screen, tapped again a moment later
    assert second.status == 200 and second.response == {} and stored(redis_client, runner) == before
    assert before["workout"]["sets_done"] == 1


def test_stale_and_foreign_screen_events_change_nothing(client: FlaskClient, redis_client: redis.Redis) -> None:
    runner = Runner(client, Device(apl=True))
    runner.say(intents.START_WORKOUT)
    shown = screen_of(runner.say(intents.READY))
    before = stored(redis_client, runner)
    for arguments, token in ((("rest_over", "0.1.intro.0.1"), "workout"), (("rest_over", shown["step"]), "other"),
                             (("heartbeat", shown["step"]), "workout")):
        turn = runner.tap(*arguments, token=token)
        assert turn.status == 200 and turn.response == {}, turn.payload
    assert stored(redis_client, runner) == before
    runner.clock.now = runner.reply_started + shown["wake_ms"] / 1000  # type: ignore[union-attr]
    assert "Set 2" in runner.tap("rest_over", shown["step"]).text  # the real one still works


def test_arguments_the_screen_never_sends_are_refused_and_change_nothing(client: FlaskClient,
                                                                         redis_client: redis.Redis) -> None:
    runner = Runner(client, Device(apl=True))
    runner.say(intents.START_WORKOUT)
    step = screen_of(runner.say(intents.READY))["step"]
    before = stored(redis_client, runner)
    for arguments in ([], ["rest_over"], ["rest_over", step, "x"], ["delete_data", step], ["rest_over", 7],
                      ["rest_over", "<speak>"], [{"a": 1}, step], "rest_over"):
        envelope = runner.device.user_event(*([] if isinstance(arguments, str) else arguments))
        envelope["request"]["arguments"] = arguments
        assert client.post("/alexa", json=envelope).status_code == 400, arguments
    assert stored(redis_client, runner) == before


def test_voice_works_during_a_screen_rest_and_keeps_the_countdown(client: FlaskClient) -> None:
    runner = Runner(client, Device(apl=True))
    runner.say(intents.START_WORKOUT)
    rest = screen_of(runner.say(intents.READY))
    tip = runner.say(intents.FORM_TIP)  # "Alexa, form tip" mid-rest
    shown = screen_of(tip)
    assert "shouldEndSession" not in tip.response and shown["step"] == rest["step"]
    assert 0 < shown["rest_seconds"] <= rest["rest_seconds"] and 0 < shown["wake_ms"] < rest["wake_ms"]
    runner.clock.now = runner.reply_started + shown["wake_ms"] / 1000  # type: ignore[union-attr]
    assert "Set 2" in runner.tap("rest_over", shown["step"]).text
    assert "Set 1 of 3" not in runner.say(intents.PROGRESS).text


def test_a_runner_who_walks_away_is_let_go_with_progress_saved(client: FlaskClient, redis_client: redis.Redis) -> None:
    runner = Runner(client, Device(apl=True))
    runner.say(intents.SELF_PACED)
    runner.say(intents.START_WORKOUT)
    waiting = screen_of(runner.say(intents.READY))
    assert waiting["heartbeats"] >= (WALK_AWAY_SECONDS / 20) and waiting["wake_ms"] == 0
    for _ in range(3):  # heartbeats while the runner does the set: nothing said, the session kept
        runner.wait(20)
        assert runner.tap("heartbeat", waiting["step"]).response == {}
    before = stored(redis_client, runner)
    runner.wait(waiting["heartbeats"] * 20)  # the last heartbeats, nobody tapping
    gone = runner.tap("heartbeat", waiting["step"])
    assert gone.ends and "Alexa, ask hamstring coach to continue" in gone.text
    assert stored(redis_client, runner)["workout"] == before["workout"]  # where they were, kept
    assert "Set 1 of 3" in runner.say(intents.PROGRESS, new_session=True).text


def test_a_device_without_a_screen_is_never_left_hands_free(client: FlaskClient) -> None:
    runner = Runner(client, Device(apl=False))
    runner.say(intents.SELF_PACED)
    runner.say(intents.START_WORKOUT)
    for intent in (intents.READY, intents.DONE, intents.READY):
        turn = runner.say(intent, new_session=True)
        assert "shouldEndSession" in turn.response and not turn.response.get("directives")
