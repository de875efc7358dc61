"""How long a workout takes, from the same pacing and speech estimates the replies use.

The estimate a runner hears ("about 14 minutes") is the sum of every reply's
speaking time (introductions, paced sets, rest countdowns), the runner's own
time for self-paced sets, and a reaction allowance per reply: the time from a
reply ending to the runner's "ready" reaching us.
"""

from __future__ import annotations

from skill.coach import lines, pacing, plan, programme
from skill.coach.reply import Estimator
from skill.coach.state import Phase, Profile, Workout

REACTION_SECONDS = 3.0   # from the end of a reply to the runner's answer reaching the skill
COME_BACK_SECONDS = 4.0  # "Alexa, tell hamstring coach done" after the runner's own time


def _set_seconds(exercise: programme.Exercise, profile: Profile, number: int, estimate: Estimator) -> float:
    dose = plan.dose_for(exercise, profile)
    seconds = pacing.own_time(exercise, dose, number, estimate)
    if profile.self_paced:
        seconds += pacing.self_paced_set(exercise, dose, number, estimate).seconds + COME_BACK_SECONDS
    return seconds + REACTION_SECONDS


def exercise_seconds(exercise_id: str, profile: Profile, estimate: Estimator, *, from_set: int = 1,
                     introduced: bool = False, last: bool = False) -> float:
    """Seconds to coach an exercise from set `from_set`, its introduction too unless `introduced`."""
    exercise = programme.exercise(exercise_id)
    dose = plan.dose_for(exercise, profile)
    seconds = 0.0 if introduced else estimate(lines.introduce(exercise, profile)) + REACTION_SECONDS
    rest = pacing.rest(plan.rest_seconds(exercise, profile), estimate).seconds
    for number in range(from_set, dose.sets + 1):
        seconds += _set_seconds(exercise, profile, number, estimate)
        if number < dose.sets or not last:
            seconds += rest
    return seconds


def plan_seconds(exercises: tuple[str, ...], profile: Profile, estimate: Estimator) -> float:
    """A whole plan, from its first introduction to its last set."""
    return sum(exercise_seconds(e, profile, estimate, last=i == len(exercises) - 1) for i, e in enumerate(exercises))


def remaining_seconds(workout: Workout, profile: Profile, estimate: Estimator) -> float:
    """What is left of the workout from where the runner is."""
    phase = workout.current_phase
    started = phase is not Phase.INTRO or workout.set_number > 1
    seconds = exercise_seconds(workout.exercise_id, profile, estimate, from_set=workout.set_number,
                               introduced=started, last=workout.is_last_exercise)
    later = workout.plan[workout.exercise_index + 1:]
    return seconds + sum(exercise_seconds(e, profile, estimate, last=i == len(later) - 1) for i, e in enumerate(later))


def minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))
