"""A coach a runner can follow on a real Echo (issue 10), defects 10-15: barge-ins, switching, partial
workouts, cues, wording and the resume question, at the pure level in device time."""

from __future__ import annotations

import pytest

from skill.coach.events import Kind
from skill.coach.programme import Level
from skill.coach.state import Profile
from tests.workout_helpers import MONDAY_NOON, Walker, reprompt, text


@pytest.mark.parametrize("kind", [Kind.PROGRESS, Kind.FORM_TIP, Kind.EASIER, Kind.HOW_LONG, Kind.REPEAT])
def test_10_any_request_during_a_set_stops_it_uncounted(kind: Kind) -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    walk.interrupt(after=45)
    said = walk.said(kind)
    workout = walk.state.workout
    assert said.startswith("You stopped during set 1, so it doesn't count")
    assert workout is not None and workout.sets_done == 0 and workout.set_number == 1


def test_10_done_during_a_set_counts_it_and_repeat_the_set_does_it_again() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    walk.interrupt(after=100)
    said = walk.said(Kind.DONE)  # finished early
    assert said.startswith("Rest 1 minute") or said.startswith("Good work. Rest 1 minute")
    assert walk.state.workout.sets_done == 1  # type: ignore[union-attr]
    said = walk.said(Kind.REPEAT_SET)
    assert said.startswith("Set 1.") and walk.state.workout.sets_done == 1  # type: ignore[union-attr]


def test_11_switching_replaces_the_current_exercise() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.CHOOSE, exercise="inchworms")
    walk(Kind.CHOOSE, exercise="eccentric_curls")
    assert walk.state.workout.plan == ("eccentric_curls",)  # type: ignore[union-attr]
    walk(Kind.CHOOSE, exercise="inchworms")
    assert len(walk.state.workout.plan) <= 2  # type: ignore[union-attr]


def test_12_partial_workouts_are_recorded_when_they_end_or_expire() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    said = walk.said(Kind.CANCEL)
    assert "Your progress is saved" in said and walk.state.workout is not None
    walk.wait(2 * 86_400)
    walk(Kind.LAUNCH, new_session=True)  # a day later: the abandoned workout is recorded, partial
    entry = walk.state.profile.history[-1]
    assert entry.partial and entry.sets_done == 1 and [d.sets for d in entry.log] == [1]


def test_13_cues_name_the_leg_give_time_and_call_the_last_reps() -> None:
    walk = Walker()
    walk(Kind.START)
    said = walk.said(Kind.READY)
    assert said.startswith("Set 1. Right heel on the ball, left leg up. [2 s] 1. Curl in [2.5 s]")
    assert "Switch legs: left heel on the ball, right leg up. [4 s]" in said
    assert said.count("Last two.") == 2 and said.count("Last one.") == 2
    second = walk.said(Kind.READY)
    heard = [said, second]
    while walk.state.workout:
        heard.append(walk.said(Kind.READY))
    assert sum(reply.count('You can say "longer rest"') for reply in heard) == 1  # said once, where it fits
    cues = [c for c in ("Keep your hips up", "Pull the ball", "Keep the lifted leg") if c in said.split("Switch")[0]]
    cues2 = [c for c in ("Keep your hips up", "Pull the ball", "Keep the lifted leg") if c in second.split("Switch")[0]]
    assert cues != cues2  # the cues vary from set to set


def test_14_wording_a_runner_can_follow() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    assert "stopped during" not in walk.said(Kind.STOP) and "continue" in text(walk.last.reply)  # type: ignore[union-attr]
    walk(Kind.RESUME, new_session=True)
    assert "continue" in walk.said(Kind.PAUSE)
    walk(Kind.RESUME, new_session=True)
    help_text = walk.said(Kind.HELP)
    for words in ('"make it easier"', '"harder"', "own pace", '"what do I need"', "how long"):
        assert words in help_text, words
    assert "Rest is now 2 minutes" in walk.said(Kind.SET_REST, seconds=120)


def test_15_the_resume_question_is_reprompted_and_next_exercise_moves_on() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    outcome = walk(Kind.LAUNCH, new_session=True)
    asked = reprompt(outcome.reply)
    assert '"continue"' in asked and '"start over"' in asked and "ready" not in asked  # the question, again
    said = walk.said(Kind.NEXT_EXERCISE)
    assert "Skipping the last 2 sets of Swiss ball curls. Next up: eccentric hamstring curls" in said


def test_a_stored_profile_from_before_keeps_its_level() -> None:
    from skill.coach import serial

    old = {"schema": 1, "profile": {"missing_equipment": [], "level": "harder", "self_paced": False,
                                    "rest_seconds": None, "rotation": 2, "history": [[MONDAY_NOON, ["inchworms"], 3]]},
           "workout": None, "pending": None}
    state = serial.from_dict(old)
    assert state.profile.level("swiss_ball_curls") is Level.HARDER and state.profile.rotation == 2
    assert serial.from_dict(serial.to_dict(state)) == state and isinstance(state.profile, Profile)
