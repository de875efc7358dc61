"""The device's time zone and units from the Alexa Settings API, through the real app, Redis and a local
stand-in for the API: what is asked (paths, token), at most once a day per device, every failure falling
back without costing the turn, units in what is said, "use metres" / "use yards", and days counted in the
runner's zone (UTC-8 at 23:30 local; daylight saving)."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from simulator.echo import Clock
from simulator.envelopes import Device
from skill.alexa import intents
from skill.alexa.device_settings import DEADLINE_SECONDS
from tests.alexa_api import AlexaApiStandIn
from tests.runner import Runner
from tests.test_metrics import change
from tests.trust_helpers import stored

LA = ZoneInfo("America/Los_Angeles")
INCHWORMS = ("inchworms", "inchworms")


def settings_path(device: Device, name: str) -> str:
    return f"/v2/devices/{device.device_id}/settings/System.{name}"


def on_device(app: Flask, api: AlexaApiStandIn, zone: object = "America/Los_Angeles", units: object = "METRIC",
              status: int = 200, **device: object) -> Runner:
    """A runner whose device's settings the stand-in answers (`status` for both calls)."""
    runner = Runner(app.test_client(), Device(api_endpoint=api.url, api_access_token="token-xyz", **device))
    api.answer("GET", settings_path(runner.device, "timeZone"), status, zone)
    api.answer("GET", settings_path(runner.device, "distanceUnits"), status, units)
    return runner


def profile(runner: Runner) -> dict[str, object]:
    state = stored(runner.client.application.extensions["store"]._client, runner.device.user_id)[1]
    assert state is not None
    return state["profile"]  # type: ignore[no-any-return]


def test_the_first_turn_asks_the_device_for_its_zone_and_units_and_speaks_in_them(
        app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = on_device(app, alexa_api)
    turn = runner.say(intents.CHOOSE_EXERCISE, exercise=INCHWORMS, new_session=True)
    assert "3 sets of 18 meters" in turn.text  # 20 yards, said in the device's metric units
    asked = alexa_api.requests("GET")
    assert [s.path for s in asked] == [settings_path(runner.device, "timeZone"),
                                       settings_path(runner.device, "distanceUnits")]
    assert all(s.headers["Authorization"] == "Bearer token-xyz" for s in asked)
    assert (profile(runner)["zone"], profile(runner)["units"]) == ("America/Los_Angeles", "metric")


def test_at_most_once_a_day_per_device(app: Flask, alexa_api: AlexaApiStandIn, device_clock: Clock) -> None:
    kitchen = on_device(app, alexa_api)
    kitchen.launch()
    kitchen.say(intents.START_WORKOUT)
    kitchen.say(intents.PROGRESS)
    assert len(alexa_api.requests("GET")) == 2
    device_clock.advance(20 * 3600)
    kitchen.launch()
    assert len(alexa_api.requests("GET")) == 2  # still within the day
    phone = on_device(app, alexa_api, user_id=kitchen.device.user_id)  # the runner's other device
    phone.launch()
    assert len(alexa_api.requests("GET", settings_path(phone.device, ""))) == 2
    device_clock.advance(5 * 3600)  # more than a day since the kitchen was asked
    kitchen.launch()
    assert len(alexa_api.requests("GET", settings_path(kitchen.device, ""))) == 4


@pytest.mark.parametrize("status", [401, 403, 404, 500, 503])
def test_an_api_error_falls_back_to_the_locales_custom_and_costs_nothing(
        app: Flask, alexa_api: AlexaApiStandIn, status: int) -> None:
    runner = on_device(app, alexa_api, status=status)
    turn = runner.say(intents.CHOOSE_EXERCISE, exercise=INCHWORMS, new_session=True)
    assert "3 sets of 20 yards" in turn.text and "Sorry" not in turn.text  # en-US: yards
    assert len(alexa_api.requests("GET")) == 1  # the zone failed: the units are not asked either
    assert (profile(runner)["zone"], profile(runner)["units"]) == (None, None)
    runner.say(intents.PROGRESS)
    assert len(alexa_api.requests("GET")) == 1  # and not again today


def test_a_slow_api_is_cut_off_at_its_deadline(app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = on_device(app, alexa_api)
    alexa_api.answer("GET", settings_path(runner.device, "timeZone"), 200, "Europe/Paris", delay=3.0)
    started = time.monotonic()
    turn = runner.say(intents.CHOOSE_EXERCISE, exercise=INCHWORMS, new_session=True)
    took = time.monotonic() - started
    assert turn.status == 200 and "20 yards" in turn.text and took < DEADLINE_SECONDS + 1.0, took
    assert profile(runner)["zone"] is None


def test_no_value_set_and_nonsense_are_ignored(app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = on_device(app, alexa_api, zone=None, units="FURLONGS", status=204)
    runner.launch()
    runner.say(intents.START_WORKOUT)
    assert (profile(runner)["zone"], profile(runner)["units"]) == (None, None)
    odd = on_device(app, alexa_api, zone="../../etc/passwd", units="IMPERIAL", locale="en-GB")
    assert "20 yards" in odd.say(intents.CHOOSE_EXERCISE, exercise=INCHWORMS, new_session=True).text
    assert (profile(odd)["zone"], profile(odd)["units"]) == (None, "imperial")


def test_use_metres_and_use_yards_beat_the_device(app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = on_device(app, alexa_api, units="IMPERIAL")
    assert "18 meters" in runner.say(intents.USE_METRIC, new_session=True).text
    assert "3 sets of 18 meters" in runner.say(intents.CHOOSE_EXERCISE, exercise=INCHWORMS).text
    assert "20 yards" in runner.say(intents.USE_IMPERIAL).text
    assert profile(runner)["units_choice"] == "imperial"


def local(*when: int) -> float:
    return datetime(*when, tzinfo=LA).timestamp()  # type: ignore[misc]


def finish_one_set_at(runner: Runner, clock: Clock, when: float) -> None:
    clock.now = when
    runner.say(intents.QUICK_WORKOUT, new_session=True)
    runner.say(intents.READY)
    assert "Saved as a partial workout" in runner.say(intents.FINISH).text


def test_utc_minus_8_at_23_30_counts_on_that_day_and_week(app: Flask, alexa_api: AlexaApiStandIn,
                                                          device_clock: Clock) -> None:
    runner = on_device(app, alexa_api)
    finish_one_set_at(runner, device_clock, local(2026, 11, 29, 23, 25))  # Sunday night: 07:3x UTC on Monday
    device_clock.now = local(2026, 11, 30, 9, 0)  # Monday morning in California
    assert "0 workouts this week" in runner.say(intents.WEEK_COUNT, new_session=True).text
    assert "yesterday" in runner.say(intents.LAST_WORKOUT).text


def test_days_follow_daylight_saving_changes(app: Flask, alexa_api: AlexaApiStandIn, device_clock: Clock) -> None:
    """Clocks go back on 1 November 2026: Sunday 23:25 is then UTC-8, 07:25 UTC on Monday. Counted with the
    zone's rules, not an offset seen earlier (a PDT offset would put it on Monday, in the new week)."""
    runner = on_device(app, alexa_api)
    finish_one_set_at(runner, device_clock, local(2026, 10, 31, 12, 0))  # Saturday, still PDT (UTC-7)
    finish_one_set_at(runner, device_clock, local(2026, 11, 1, 23, 25))  # Sunday night, PST (UTC-8)
    assert "2 workouts this week" in runner.say(intents.WEEK_COUNT).text
    device_clock.now = local(2026, 11, 2, 9, 0)  # Monday morning
    assert "0 workouts this week" in runner.say(intents.WEEK_COUNT, new_session=True).text
    assert "yesterday" in runner.say(intents.LAST_WORKOUT).text
    assert "on plan 1 week in a row" in runner.say(intents.STREAK).text  # last week had two


def test_failed_calls_are_counted_by_api_and_kind(app: Flask, alexa_api: AlexaApiStandIn) -> None:
    runner = on_device(app, alexa_api, status=503)
    counted = change(runner.client, runner.launch)
    assert counted("hc_alexa_api_failures_total", api="settings", kind="server") == 1
