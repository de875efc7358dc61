"""What a runner experiences, at the pure level: plans, sets, moving around, resuming, finishing."""

from __future__ import annotations

from skill.coach import programme
from skill.coach.events import Kind
from skill.coach.state import Pending, Phase, Profile, UserState, Workout
from tests.workout_helpers import MONDAY_NOON, Walker, reprompt, text


def test_start_introduces_todays_first_exercise_with_the_articles_dose() -> None:
    walk = Walker()
    said = walk.said(Kind.START)
    workout = walk.state.workout
    assert workout is not None and len(workout.plan) == 2
    assert workout.plan[0] == "swiss_ball_curls"
    assert "one-leg Swiss ball hamstring curls" in said
    assert "3 sets of 9 reps each leg" in said  # standard counts inside the article's 8 to 10
    assert "You'll need a stability ball and a partner." in said  # the whole workout's equipment, up front
    assert "heels on the ball" in said
    assert 'Say "ready"' in said
    assert walk.last is not None and walk.last.reply.card is not None


def test_inchworms_are_dosed_by_distance_and_the_walk_is_paced_by_time() -> None:
    walk = Walker()
    said = walk.said(Kind.CHOOSE, exercise="inchworms")
    assert "3 sets of 20 yards" in said and "reps" not in said.split("20 yards")[0]
    outcome = walk(Kind.READY)
    said = text(outcome.reply)
    assert said.startswith("Set 1: 20 yards. Walk it out. [20 s]") and "Last few walkouts" in said
    assert outcome.reply.seconds_of_pause() >= 60 and not outcome.reply.end_session
    assert "Rest 45 seconds" in said and walk.state.workout.set_number == 2  # type: ignore[union-attr]


def test_rotation_brings_all_five_round_in_three_workouts() -> None:
    walk, seen = Walker(), set()
    for _ in range(3):  # a week on plan: Monday, Wednesday, Friday
        walk(Kind.START)
        seen.update(walk.state.workout.plan)  # type: ignore[union-attr]
        walk.finish_workout()
        walk.wait(2 * 86_400)
    assert seen == set(programme.exercise_ids())
    assert len(walk.state.profile.history) == 3


def test_ready_walks_every_set_then_the_next_exercise_then_completes() -> None:
    walk = Walker()
    walk(Kind.START)
    said = walk.said(Kind.READY)
    assert "Set 1. Right heel on the ball, left leg up. [2 s] 1. Curl in" in said
    assert "Switch legs: left heel on the ball, right leg up. [4 s] Go. 1. Curl in" in said
    assert "Rest 1 minute. [30 s] 30 seconds." in said
    assert 'Say "ready" for set 2' in said
    walk(Kind.READY)
    while walk.state.workout and walk.state.workout.exercise_index == 0:  # set 3 may split at the legs
        said = walk.said(Kind.READY)
    assert "Swiss ball curls: finished" in said and "Next up: eccentric hamstring curls" in said
    workout = walk.state.workout
    assert workout is not None and workout.exercise_index == 1 and workout.set_number == 1
    for _ in range(2):
        walk(Kind.READY)
    said = walk.said(Kind.READY)
    assert "Workout complete" in said and "1 workout this week" in said
    assert walk.last is not None and walk.last.reply.end_session
    entry = walk.state.profile.history[-1]
    assert walk.state.workout is None and entry.sets_done == 6 and not entry.partial
    assert [(done.exercise, done.sets) for done in entry.log] == [("swiss_ball_curls", 3), ("eccentric_curls", 3)]


def test_eccentric_lowering_is_slow_and_cued() -> None:
    walk = Walker()
    walk(Kind.CHOOSE, exercise="eccentric_curls")
    reply = walk(Kind.READY).reply
    said = text(reply)
    assert said.count("Lower slowly") == 5
    assert said.count("Slower.") + said.count("Slowly.") == 5  # a mid-lowering cue on every rep
    assert said.count("And push back up [4 s]") == 5  # one cue for the push back, then the reset
    assert "Take as long as possible on the way down." in said


def test_mid_session_moves() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    assert "Set 2 of 3 of Swiss ball curls" in walk.said(Kind.PROGRESS)
    assert "After this one, 1 more set, then eccentric curls" in walk.said(Kind.PROGRESS)
    assert walk.said(Kind.FORM_TIP).startswith("Form for Swiss ball curls: Keep your hips up")
    said = walk.said(Kind.NEXT_EXERCISE)
    assert "eccentric hamstring curls" in said and walk.state.workout.exercise_index == 1  # type: ignore[union-attr]
    walk.said(Kind.GO_BACK)
    assert walk.state.workout.exercise_index == 0  # type: ignore[union-attr]
    walk(Kind.READY)
    walk(Kind.GO_BACK)
    assert walk.state.workout.set_number == 1  # type: ignore[union-attr]
    walk(Kind.READY)
    walk(Kind.READY)
    walk(Kind.START_OVER)
    workout = walk.state.workout
    assert workout is not None and (workout.exercise_index, workout.set_number) == (0, 1)


def test_pause_saves_and_ends_then_resume_picks_up() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    outcome = walk(Kind.PAUSE)
    assert outcome.reply.end_session and outcome.state.workout.phase is Phase.PAUSED  # type: ignore[union-attr]
    said = walk.said(Kind.RESUME, new_session=True)
    assert "Picking up" in said and "Set 2 of 3" in said
    assert walk.state.workout.phase is Phase.RESTING  # type: ignore[union-attr]


def test_stopping_then_a_one_shot_next_exercise_continues_the_saved_workout() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.NEXT_EXERCISE)
    assert "Saved your progress" in walk.said(Kind.STOP)
    said = walk.said(Kind.NEXT_EXERCISE, new_session=True)
    assert "Picking up where you left off. Back to eccentric curls." in said
    assert walk.state.workout.exercise_index == 1  # type: ignore[union-attr]


def test_reopening_offers_continue_or_start_over() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    said = walk.said(Kind.LAUNCH, new_session=True)
    assert "Welcome back" in said and "set 2 of 3".lower() in said.lower() and "continue" in said
    assert walk.state.pending is Pending.RESUME_CHOICE
    assert "Picking up" in walk.said(Kind.YES)
    walk(Kind.LAUNCH, new_session=True)
    walk(Kind.NO)
    workout = walk.state.workout
    assert workout is not None and workout.set_number == 1 and workout.plan[0] == "dumbbell_rdl"


def test_an_abandoned_workout_expires_after_a_day_but_history_stays() -> None:
    walk = Walker()
    walk(Kind.START)
    walk.finish_workout()
    walk(Kind.START)
    walk.now += 25 * 3600
    said = walk.said(Kind.LAUNCH)
    assert "start my hamstring workout" in said and "continue" not in said
    assert walk.state.workout is None and len(walk.state.profile.history) == 1


def test_delete_my_data_needs_a_yes() -> None:
    walk = Walker()
    walk(Kind.START)
    assert "Say yes or no" in walk.said(Kind.DELETE_DATA)
    outcome = walk(Kind.NO)
    assert not outcome.forget_user and outcome.state.workout is not None
    walk(Kind.DELETE_DATA)
    outcome = walk(Kind.YES)
    assert outcome.forget_user and outcome.state == UserState() and outcome.reply.end_session


def test_a_set_too_long_for_one_reply_is_split_where_the_legs_switch() -> None:
    from skill.coach import pacing, sets
    from skill.coach.reply import Pause
    from tests.workout_helpers import ESTIMATE, event

    walk = Walker()
    walk(Kind.START)
    long_leg = pacing.chunk(ESTIMATE, Pause(170))
    outcome = sets.deliver(walk.state, event(Kind.READY, walk.now), (long_leg, long_leg), 0)
    assert outcome.state.workout.phase is Phase.IN_SET and outcome.state.workout.part == 1  # type: ignore[union-attr]
    said = text(outcome.reply)
    assert outcome.reply.seconds_of_pause() == 170 and 'Say "ready" when your left heel is on the ball' in said
    assert not outcome.reply.end_session and "left heel" in reprompt(outcome.reply)
    finished = sets.deliver(outcome.state, event(Kind.READY, walk.now + 200), (long_leg, long_leg), 1)
    assert finished.state.workout.set_number == 2  # type: ignore[union-attr]
    said = text(finished.reply)  # no room left for a countdown: the runner rests on their own time
    assert 'Rest 1 minute, then say "Alexa, tell hamstring coach ready"' in said and finished.reply.end_session


def test_easier_during_the_last_rest_moves_on_instead_of_repeating_a_set() -> None:
    walk = Walker()
    walk(Kind.CHOOSE, exercise="eccentric_curls")  # standard: 3 sets; easier: 2
    walk(Kind.READY)
    walk(Kind.READY)
    said = walk.said(Kind.EASIER)
    workout = walk.state.workout
    assert "eccentric curls: finished" in said.lower() and "Set 3" not in said
    assert workout is not None and workout.exercise_index == 1 and workout.set_number == 1


def test_losing_equipment_with_nothing_left_to_swap_in_finishes_the_workout() -> None:
    missing = frozenset({"trx", "partner", "dumbbells"})
    on_the_ball = Workout(plan=("inchworms", "swiss_ball_curls"), started_at=0, updated_at=MONDAY_NOON,
                          exercise_index=1, sets_done=3)
    walk = Walker(state=UserState(profile=Profile(missing_equipment=missing), workout=on_the_ball))
    outcome = walk(Kind.MISSING_EQUIPMENT, equipment="stability_ball")
    assert outcome.state.workout is None and outcome.reply.end_session
    assert "Saved as a partial workout, 3 sets done" in text(outcome.reply)
    assert len(outcome.state.profile.history) == 1 and outcome.state.profile.history[0].partial


def test_stopping_while_a_set_is_still_being_coached_means_doing_it_again() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)  # set 1 coached: about three minutes of reply; the runner stops a minute in
    walk.interrupt(after=60)
    said = walk.said(Kind.STOP)
    workout = walk.state.workout
    assert "stopped during set 1" in said and "Set 1 of 3" in said
    assert workout is not None and (workout.set_number, workout.phase, workout.sets_done) == (1, Phase.INTRO, 0)
    walk(Kind.READY)
    walk(Kind.READY)  # set 2, then pause mid-set
    walk.interrupt(after=30)
    assert "stopped during set 2" in walk.said(Kind.PAUSE)
    assert "Set 2 of 3" in walk.said(Kind.RESUME, new_session=True)


def test_stopping_after_the_set_was_coached_keeps_it() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    said = walk.said(Kind.STOP)
    assert "stopped during" not in said and "Set 2 of 3" in said
