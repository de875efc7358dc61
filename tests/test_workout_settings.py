"""What a runner changes about the workout, at the pure level: equipment, level, rest, pace, history."""

from __future__ import annotations

from skill.coach import plan
from skill.coach.events import Kind
from skill.coach.state import Profile, UserState
from tests.workout_helpers import Walker, text


def test_missing_equipment_swaps_the_exercise_and_says_why() -> None:
    walk = Walker()
    walk(Kind.START)
    said = walk.said(Kind.MISSING_EQUIPMENT, equipment="stability_ball")
    assert "don't have a stability ball. Switching to two-arm, one-leg dumbbell Romanian deadlifts." in said
    assert "swiss_ball_curls" not in walk.state.workout.plan  # type: ignore[union-attr]
    walk.finish_workout()
    walk(Kind.START)
    assert "swiss_ball_curls" not in walk.state.workout.plan  # type: ignore[union-attr]
    said = walk.said(Kind.CHOOSE, exercise="swiss_ball_curls")
    assert "you need a stability ball" in said
    walk(Kind.HAVE_EQUIPMENT, equipment="stability_ball")
    assert "Switching to" in walk.said(Kind.CHOOSE, exercise="swiss_ball_curls")


def test_plans_skip_exercises_without_equipment_and_say_so() -> None:
    profile = Profile(missing_equipment=frozenset({"stability_ball", "partner", "dumbbells", "trx"}))
    chosen = plan.choose(profile)
    assert chosen.exercises == ("inchworms",)
    walk = Walker(state=UserState(profile=profile))
    said = walk.said(Kind.START)
    assert "because you don't have a partner" in said


def test_levels_change_the_dose_and_add_the_harder_variant() -> None:
    walk = Walker()
    walk(Kind.START)
    said = walk.said(Kind.HARDER)
    assert "3 sets of 10 reps each leg" in said and "arms above your chest" in said
    assert walk.said(Kind.HARDER).startswith("Swiss ball curls: already at the hardest level.")
    walk(Kind.EASIER)
    said = walk.said(Kind.EASIER)
    assert "3 sets of 10 reps." in said and "both heels on the ball" in said  # a two-leg ball curl
    assert walk.said(Kind.EASIER).startswith("Swiss ball curls: already at the easiest level.")
    said = walk.said(Kind.READY)
    assert said.count("Curl in") == 10 and "heel on the ball" not in said  # both legs together: no switch
    assert walk.state.profile.level("eccentric_curls").value == "standard"  # the level is per exercise


def test_rest_can_be_set_shortened_and_is_spoken_as_a_countdown() -> None:
    walk = Walker()
    walk(Kind.START)
    assert "Rest is now a minute and a half" in walk.said(Kind.SET_REST, seconds=90)
    assert "Rest is now 1 minute 15 seconds" in walk.said(Kind.SHORTER_REST)
    said = walk.said(Kind.SET_REST, seconds=900)
    assert "The longest rest I do is 3 minutes. Rest is now 3 minutes" in said
    assert "shortest rest I do is 15 seconds" in walk.said(Kind.SET_REST, seconds=5)
    walk(Kind.SET_REST, seconds=30)
    said = walk.said(Kind.READY)
    assert "Rest 30 seconds" in said and "10 seconds." in said and "3. [0.6 s] 2. [0.6 s] 1." in said


def test_self_paced_mode_is_remembered() -> None:
    walk = Walker()
    walk(Kind.SELF_PACED)
    walk(Kind.START)
    outcome = walk(Kind.READY)
    said = text(outcome.reply)
    assert "at your own pace" in said and "Curl in" not in said and outcome.reply.end_session
    assert "right heel on the ball, and switch legs after 9 reps" in said
    assert said.endswith('When you finish, say "Alexa, tell hamstring coach done".')
    walk.finish_workout()
    walk(Kind.START)
    assert "Curl in" not in walk.said(Kind.READY)
    walk(Kind.GUIDED)
    walk(Kind.DONE)
    said = walk.said(Kind.READY)
    assert "own pace" not in said and "Switch legs: stand on your left leg" in said


def test_quick_workout_is_one_exercise() -> None:
    walk = Walker()
    walk(Kind.QUICK_START)
    assert len(walk.state.workout.plan) == 1  # type: ignore[union-attr]


def test_history_answers() -> None:
    walk = Walker()
    assert "haven't finished a workout" in walk.said(Kind.LAST_WORKOUT)
    for _ in range(2):
        walk(Kind.START)
        walk.finish_workout()
        walk.now += 86_400
    assert "2 workouts this week" in walk.said(Kind.WEEK_COUNT)
    assert "on plan 1 week in a row" in walk.said(Kind.STREAK)  # weeks on plan, never days in a row
    assert "yesterday" in walk.said(Kind.LAST_WORKOUT)
    assert "most powerful leg muscles" in walk.said(Kind.WHY)


def test_unclear_slots_reprompt_without_changing_anything() -> None:
    walk = Walker()
    walk(Kind.START)
    before = walk.state
    said = walk.said(Kind.UNCLEAR, unclear="exercise")
    assert "didn't catch which exercise" in said and walk.state == before
