"""Reminders through the real app, Redis and a local stand-in for the Alexa Reminders API: asked first, then a
recurring SCHEDULED_ABSOLUTE trigger in the runner's zone; listed, cancelled and moved; without permission a
consent card; every API failure said honestly, with the workout carried on and nothing lost."""

from __future__ import annotations

import time

import pytest
import redis
from flask import Flask

from simulator.envelopes import Device
from skill.alexa import intents
from skill.alexa.identity import REMINDERS_SCOPE
from skill.alexa.reminders import BUDGET_SECONDS, PATH
from tests.alexa_api import AlexaApiStandIn
from tests.runner import Runner, Turn
from tests.trust_helpers import set_number, walk_to_set

GRANTED = {REMINDERS_SCOPE: "GRANTED"}
TUE_THU_7 = "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"


def runner_with(app: Flask, api: AlexaApiStandIn, permissions: dict[str, str] | None = None) -> Runner:
    device = Device(api_endpoint=api.url, api_access_token="tok-1", permissions=GRANTED if permissions is None
                    else permissions)
    api.answer("GET", f"/v2/devices/{device.device_id}/settings/System.timeZone", 200, "America/Los_Angeles")
    api.answer("GET", f"/v2/devices/{device.device_id}/settings/System.distanceUnits", 200, "IMPERIAL")
    api.answer("GET", PATH, 200, {"totalCount": "0", "alerts": []})
    api.answer("POST", PATH, 201, {"alertToken": "a-1", "status": "ON"})
    return Runner(app.test_client(), device)


def ask(runner: Runner, *days: str, time_value: str = "07:00", new_session: bool = False) -> Turn:
    slots = {name: (day.lower() + "s", day[:2].upper()) for name, day in zip(intents.DAY_SLOTS, days, strict=False)}
    slots[intents.TIME_SLOT] = (time_value, "")
    return runner.say(intents.SET_REMINDER, new_session=new_session, **slots)


def listed(*rules: str) -> dict[str, object]:
    alerts = [{"alertToken": f"a-{n}", "status": "ON",
               "trigger": {"type": "SCHEDULED_ABSOLUTE", "recurrence": {"recurrenceRules": [rule]}}}
              for n, rule in enumerate(rules, 1)]
    return {"totalCount": str(len(alerts)), "alerts": alerts}


def test_setting_a_reminder_asks_first_then_posts_a_weekly_rule_in_the_runners_zone(
        app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = runner_with(app, alexa_api)
    question = ask(runner, "Tuesday", "Thursday", new_session=True)
    assert "Tuesdays and Thursdays at 7:00 AM? Say yes or no." in question.text and not alexa_api.requests("POST")
    done = runner.say(intents.YES)
    assert "I'll remind you on Tuesdays and Thursdays at 7:00 AM" in done.text and not done.ends
    (posted,) = alexa_api.requests("POST", PATH)
    assert posted.headers["Authorization"] == "Bearer tok-1"
    trigger = posted.body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE" and trigger["timeZoneId"] == "America/Los_Angeles"
    assert trigger["recurrence"]["recurrenceRules"] == [TUE_THU_7]
    assert "Z" not in trigger["recurrence"]["startDateTime"]  # wall-clock time, no offset
    spoken = posted.body["alertInfo"]["spokenInfo"]["content"][0]
    assert spoken["locale"] == "en-US" and "Alexa, ask hamstring coach to start my hamstring workout" in spoken["text"]
    assert posted.body["pushNotification"] == {"status": "ENABLED"}


def test_no_leaves_nothing_set_and_a_retried_yes_sets_no_second_reminder(app: Flask,
                                                                          alexa_api: AlexaApiStandIn) -> None:
    runner = runner_with(app, alexa_api)
    ask(runner, "Saturday", time_value="18:30", new_session=True)
    assert "no reminder" in runner.say(intents.NO).text and not alexa_api.requests("POST")
    ask(runner, "Tuesday", "Thursday")
    alexa_api.answer("GET", PATH, 200, listed(TUE_THU_7))  # it is there already (an earlier "yes" got through)
    assert "I'll remind you" in runner.say(intents.YES).text and not alexa_api.requests("POST")


def test_without_the_permission_a_consent_card_and_no_call(app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = runner_with(app, alexa_api, permissions={})
    turn = ask(runner, "Tuesday", new_session=True)
    assert "I've sent a card to the Alexa app" in turn.text and not turn.ends
    assert turn.response["card"] == {"type": "AskForPermissionsConsent", "permissions": [REMINDERS_SCOPE]}
    assert not alexa_api.requests(path=PATH)


@pytest.mark.parametrize(("status", "said"), [(401, "I need your permission"), (403, "I need your permission"),
                                              (404, "couldn't reach your Alexa reminders"),
                                              (500, "couldn't reach your Alexa reminders"),
                                              (503, "couldn't reach your Alexa reminders")])
def test_api_errors_are_said_and_never_lose_the_workout(app: Flask, alexa_api: AlexaApiStandIn,
                                                        redis_client: redis.Redis, status: int, said: str) -> None:
    runner = runner_with(app, alexa_api)
    walk_to_set(runner, redis_client, 2)
    alexa_api.answer("POST", PATH, status, {"message": "no"})
    ask(runner, "Tuesday")
    turn = runner.say(intents.YES)
    assert said in turn.text and 'Say "ready" for set 2' in turn.text and not turn.ends
    assert set_number(redis_client, runner.device.user_id) == 2
    assert ("card" in turn.response) == (status in (401, 403))
    assert "Set 2 of 3" in runner.say(intents.PROGRESS).text


def test_a_slow_api_is_cut_off_within_the_budget(app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = runner_with(app, alexa_api)
    alexa_api.answer("GET", PATH, 200, {"alerts": []}, delay=BUDGET_SECONDS + 2)
    runner.launch()
    started = time.monotonic()
    turn = runner.say(intents.LIST_REMINDERS)
    assert "couldn't reach your Alexa reminders" in turn.text and time.monotonic() - started < BUDGET_SECONDS + 1


def test_list_cancel_and_move(app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = runner_with(app, alexa_api)
    assert "no reminders from me" in runner.say(intents.LIST_REMINDERS, new_session=True).text
    alexa_api.answer("GET", PATH, 200, listed(TUE_THU_7, "FREQ=WEEKLY;BYDAY=SA;BYHOUR=18;BYMINUTE=30;BYSECOND=0;"))
    text = runner.say(intents.LIST_REMINDERS).text
    assert "Tuesdays and Thursdays at 7:00 AM" in text and "Saturdays at 6:30 PM" in text
    alexa_api.answer("PUT", PATH, 200, {"alertToken": "a-1"})
    moved = runner.say(intents.MOVE_REMINDER, time=("08:00", "")).text
    assert "Tuesdays and Thursdays at 8:00 AM" in moved and "Saturdays at 8:00 AM" in moved
    puts = alexa_api.requests("PUT")
    assert [p.path for p in puts] == [f"{PATH}/a-1", f"{PATH}/a-2"]
    assert puts[0].body["trigger"]["recurrence"]["recurrenceRules"] == [TUE_THU_7.replace("BYHOUR=7", "BYHOUR=8")]
    alexa_api.answer("DELETE", PATH, 200)
    assert "cancelled" in runner.say(intents.CANCEL_REMINDERS).text
    assert [d.path for d in alexa_api.requests("DELETE")] == [f"{PATH}/a-1", f"{PATH}/a-2"]


def test_missing_days_or_time_are_asked_for(app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = runner_with(app, alexa_api)
    assert "Which days?" in runner.say(intents.SET_REMINDER, new_session=True).text
    assert "What time?" in ask(runner, "Tuesday", time_value="EV").text
    slot = {intents.DAY_SLOT: ("the moon", None), intents.TIME_SLOT: ("07:00", "")}
    assert "Which days?" in runner.say(intents.SET_REMINDER, **slot).text
    assert not alexa_api.requests(path=PATH)


def test_a_device_without_the_api_says_so(app: Flask) -> None:
    runner = Runner(app.test_client(), Device(permissions=GRANTED))  # no apiEndpoint in the request
    assert "aren't available on this device" in runner.say(intents.LIST_REMINDERS, new_session=True).text
