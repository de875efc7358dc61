"""The programme over weeks, at the pure level: a simulated month of workouts in device time.

Two or three workouts a week are "on plan" (weeks on plan, never days in a row);
the day after eccentric curls is lighter; an exercise done in full twice without
pain is offered its next level, per exercise; pain steps it down next time and
says so; "how am I doing?" sums the weeks up.
"""

from __future__ import annotations

from dataclasses import replace

from skill.coach import programme
from skill.coach.events import Kind, Outcome
from skill.coach.programme import LEVELS, Level
from skill.coach.reply import Line
from skill.coach.state import HistoryEntry, Pending, UserState
from tests.workout_helpers import MONDAY_NOON, Walker, text

DAY = 86_400.0


def keys(outcome: Outcome) -> list[str]:
    return [s.key for s in outcome.reply.speech if isinstance(s, Line)]


def workout(walk: Walker, *, accept: bool = True, pain_in: str | None = None) -> list[Outcome]:
    """Start, then "ready" to the end; "yes" to a step-up offer (or "ready", keeping the level); with
    `pain_in`, "my knee hurts" during that exercise's second set, then skip it."""
    outcomes = [walk(Kind.START)]
    hurt = False
    for _ in range(80):
        state = walk.state
        if state.workout is None:
            return outcomes
        if state.pending is Pending.STEP_UP and accept:
            outcomes.append(walk(Kind.YES))
        elif pain_in and not hurt and state.workout.exercise_id == pain_in and state.workout.current_sets == 1:
            hurt = True
            outcomes.append(walk(Kind.PAIN))
            outcomes.append(walk(Kind.SKIP))
        else:
            outcomes.append(walk(Kind.READY))
    raise AssertionError("the workout did not finish")


def strong(entry: HistoryEntry, exercise: str, level: Level) -> bool:
    done = [d for d in entry.log if d.exercise == exercise]
    full = programme.exercise(exercise).work(level).sets
    return bool(done) and all(d.level is level and not d.pain for d in done) and sum(d.sets for d in done) >= full


def test_a_month_of_three_workouts_a_week_steps_each_exercise_up_on_its_own() -> None:
    walk = Walker(now=MONDAY_NOON - 3 * 3600)  # Monday 09:00 UTC
    offers: list[tuple[str, Level]] = []
    for week in range(4):
        for day in (0, 2, 4):  # Monday, Wednesday, Friday
            walk.now = MONDAY_NOON - 3 * 3600 + (7 * week + day) * DAY
            before = walk.state.profile
            for outcome in workout(walk):
                if "step_up_offer" in keys(outcome):
                    exercise = outcome.state.workout.offer  # type: ignore[union-attr]
                    level = before.level(exercise)
                    offers.append((exercise, level))
                    earlier = [e for e in before.history if any(d.exercise == exercise for d in e.log)]
                    assert level is not Level.HARDER
                    assert all(strong(e, exercise, level) for e in earlier[-2:]) and len(earlier) >= 2, exercise
            if week == 0 and day == 0:
                assert not offers  # nobody is offered more on their first day
    profile = walk.state.profile
    assert offers and len({exercise for exercise, _ in offers}) >= 3  # per exercise, not all at once
    assert len({profile.level(e) for e in programme.exercise_ids()}) > 1 or len(offers) >= 5
    assert all(profile.level(e) is LEVELS[LEVELS.index(level) + 1] or LEVELS.index(profile.level(e)) > 0
               for e, level in offers)
    said = walk.said(Kind.STREAK)
    assert "on plan 4 weeks in a row" in said and "days" not in said
    summary = walk(Kind.HOW_AM_I_DOING)
    assert "In the last 4 weeks: 12 workouts, about 3 a week, on plan in 4 of them." in text(summary.reply)
    assert summary.reply.chart is not None and [c for _, c in summary.reply.chart.weeks] == [3, 3, 3, 3]
    assert "moved up a level" in text(summary.reply)


def test_training_every_day_earns_no_more_than_the_plan() -> None:
    walk = Walker()
    for day in range(7):
        walk.now = MONDAY_NOON + day * DAY
        finish = workout(walk)[-1]
        if day >= 3:
            assert "More than the plan" in text(finish.reply) and "rest days" in text(finish.reply)
    assert "on plan 1 week in a row" in walk.said(Kind.STREAK)


def test_the_day_after_eccentric_curls_is_lighter() -> None:
    walk = Walker()
    workout(walk)  # swiss ball curls and eccentric curls
    assert "eccentric_curls" in walk.state.profile.history[-1].exercises
    walk.now = MONDAY_NOON + DAY
    start = walk(Kind.START)
    assert keys(start)[0] == "recovery_lighter" and "yesterday" in text(start.reply)
    assert len(start.state.workout.plan) == 1 and "eccentric_curls" not in start.state.workout.plan  # type: ignore
    walk(Kind.STOP)
    walk.wait(60)
    walk(Kind.FINISH)
    chosen = walk(Kind.CHOOSE, exercise="eccentric_curls")  # asked for by name: a word about recovery instead
    assert "recovery_gently" in keys(chosen) and chosen.state.workout.exercise_id == "eccentric_curls"  # type: ignore
    walk.now = MONDAY_NOON + 3 * DAY
    walk(Kind.FINISH)
    assert "recovery_lighter" not in keys(walk(Kind.START))  # two days on: a full plan again


def test_pain_steps_that_exercise_down_next_time_and_says_so() -> None:
    walk = Walker()
    finish = workout(walk, pain_in="swiss_ball_curls")[-1]
    assert "Swiss ball curls hurt today, so next time I'll make them a level easier." in text(finish.reply)
    profile = walk.state.profile
    assert profile.level("swiss_ball_curls") is Level.EASIER and profile.level("eccentric_curls") is Level.STANDARD
    walk.now = MONDAY_NOON + 2 * DAY
    walk.state = UserState(profile=replace(profile, rotation=0))
    start = walk(Kind.START)
    assert "After last time's pain, Swiss ball curls are a level easier today." in text(start.reply)
    assert "3 sets of 10 reps." in text(start.reply)  # the easier level: both legs on the ball
    walk.now += 2 * DAY
    walk.state = UserState(profile=replace(walk.state.profile, rotation=0))
    assert "level easier today" not in text(walk(Kind.START).reply)  # said once


def test_declining_a_step_up_waits_for_two_more_strong_workouts() -> None:
    walk = Walker()
    for day in range(0, 12, 2):
        walk.now = MONDAY_NOON + day * DAY
        walk.state = UserState(profile=replace(walk.state.profile, rotation=4))  # inchworms first
        offered = [o for o in workout(walk, accept=False) if "step_up_offer" in keys(o)
                   and o.state.workout and o.state.workout.offer == "inchworms"]
        assert len(offered) == (1 if day in (4, 8) else 0), day  # after two strong ones, then two more
    assert walk.state.profile.level("inchworms") is Level.STANDARD
