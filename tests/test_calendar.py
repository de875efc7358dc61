"""Days and weeks in the runner's zone (skill.coach.calendar, skill.coach.history), daylight saving included,
and a voice profile's claim question answering every event validly (skill.coach.household)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from skill.coach import calendar, history, household
from skill.coach.events import Kind
from skill.coach.state import HistoryEntry, Pending, Profile, UserState, Workout
from skill.voice.speech import address, render_ssml
from tests.ssml_check import validate_ssml
from tests.workout_helpers import MONDAY_NOON, PHRASES, event

LA, BERLIN = "America/Los_Angeles", "Europe/Berlin"


def at(zone: str, *when: int) -> float:
    return datetime(*when, tzinfo=ZoneInfo(zone)).timestamp()  # type: ignore[misc]


def entries(*finished: float) -> tuple[HistoryEntry, ...]:
    return tuple(HistoryEntry(t, ("inchworms",), 3) for t in finished)


def test_late_evening_in_california_is_that_day_and_that_week() -> None:
    sunday_night = at(LA, 2026, 11, 29, 23, 30)  # 07:30 UTC on Monday 30 November
    assert calendar.day(sunday_night, LA) == date(2026, 11, 29) and calendar.day(sunday_night, None).day == 30
    monday = at(LA, 2026, 11, 30, 9, 0)
    assert history.this_week(entries(sunday_night), monday, LA) == 0
    assert history.this_week(entries(sunday_night), monday, None) == 1  # what UTC days got wrong
    assert history.days_since_last(entries(sunday_night), monday, LA) == 1


@pytest.mark.parametrize(("zone", "before", "after"), [
    (LA, (2026, 3, 7, 23, 30), (2026, 3, 8, 23, 30)),      # spring forward: a 23-hour Sunday
    (LA, (2026, 10, 31, 23, 30), (2026, 11, 1, 23, 30)),   # fall back: a 25-hour Sunday
    (BERLIN, (2026, 3, 28, 23, 30), (2026, 3, 29, 23, 30)),
    (BERLIN, (2026, 10, 24, 23, 30), (2026, 10, 25, 23, 30)),
])
def test_a_day_is_a_day_across_daylight_saving(zone: str, before: tuple[int, ...], after: tuple[int, ...]) -> None:
    first, second = at(zone, *before), at(zone, *after)
    assert second - first != 86_400  # the clocks really changed in between
    assert history.days_since_last(entries(first), second, zone) == 1
    assert history.days_since_last(entries(first), at(zone, *after[:3], 0, 10), zone) == 1  # just after midnight
    assert history.days_since_last(entries(first), first + 20 * 60, zone) == 0  # 23:50, the same evening
    assert calendar.day(second, zone) == date(*after[:3])  # each moment with the rules of its own date


def test_unknown_or_malformed_zones_are_utc() -> None:
    for name in (None, "", "Mars/Olympus", "../../etc/passwd", "x" * 300):
        assert calendar.zone(name) is calendar.zone(None)
    assert calendar.is_zone(LA) and calendar.is_zone("UTC") and not calendar.is_zone("Mars/Olympus")


def test_weeks_on_plan_count_weeks_not_days() -> None:
    week = 7 * 86_400.0
    two_a_week = entries(*(MONDAY_NOON - n * week + d * 86_400 for n in (3, 2, 1) for d in (0, 3)))
    assert history.weeks_on_plan(two_a_week, MONDAY_NOON) == 3  # this week may still get there
    daily = entries(*(MONDAY_NOON - week + d * 86_400 for d in range(7)))
    assert history.weeks_on_plan(daily, MONDAY_NOON) == 1  # seven days in a row is still one week
    assert history.weeks_on_plan(entries(MONDAY_NOON - week), MONDAY_NOON) == 0


def test_the_claim_question_answers_every_event_validly() -> None:
    account = UserState(profile=Profile(history=entries(MONDAY_NOON - 86_400)),
                        workout=Workout(plan=("inchworms",), started_at=MONDAY_NOON, updated_at=MONDAY_NOON))
    asked = replace(UserState(), pending=Pending.CLAIM_PROGRESS)
    for kind in Kind:
        details = {"days": ("TU",), "time": (7, 0)} if kind is Kind.REMIND else {}
        if kind in (Kind.CHOOSE, Kind.HAVE_EQUIPMENT, Kind.MISSING_EQUIPMENT, Kind.SET_REST, Kind.UNCLEAR):
            continue  # their slots are covered by the workout's own sweeps
        for state, home in ((asked, account), (UserState(), account), (asked, None)):
            outcome = household.step(state, event(kind, MONDAY_NOON, person=True, **details), home)
            ssml = address(render_ssml(outcome.reply.speech, PHRASES), "amzn1.ask.person.sam")
            validate_ssml(ssml)
            reply = outcome.reply  # a screen's heartbeat is answered quietly, its wake-up hands-free
            assert reply.end_session or reply.reprompt or reply.quiet or reply.hands_free
            if kind is Kind.YES and home is account and state is asked:
                assert outcome.account is not None and outcome.state.workout is not None  # it moved
            else:
                assert outcome.account is None
