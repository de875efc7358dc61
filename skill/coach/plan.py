"""Choosing today's exercises and their dose: pure functions of the profile.

The article says "select 1-2 of these exercises per workout". We walk a fixed
rotation from where the last workout stopped, skipping exercises the runner
lacks equipment for, so that over three workouts all five come round.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from skill.coach import programme
from skill.coach.programme import Exercise, Level, Tempo
from skill.coach.reply import Count, Distance, Line, line
from skill.coach.state import Profile, Workout

ROTATION: tuple[str, ...] = (
    "swiss_ball_curls",
    "eccentric_curls",
    "dumbbell_rdl",
    "trx_hamstring_runners",
    "inchworms",
)
DEFAULT_EXERCISES_PER_WORKOUT = 2


@dataclass(frozen=True)
class Dose:
    """How much of an exercise at a level: what is counted, how it is paced, and how it is said."""

    level: Level
    sets: int
    reps: int | None           # reps paced per set (per leg where each_leg); None: by distance
    distance_yards: int | None
    walk_seconds: float
    each_leg: bool
    tempo: Tempo | None
    variant: bool              # say this level's variant (its words are content)
    amount: Line               # "9 reps each leg", "20 yards", "5 reps"
    units: str | None = None   # distances in "metric" | "imperial"; None: the locale's custom


@dataclass(frozen=True)
class Plan:
    exercises: tuple[str, ...]
    skipped: tuple[str, ...]   # rotation picks swapped out for missing equipment
    next_rotation: int


@cache  # five exercises x three levels x units; a turn asks several times
def dose(exercise: Exercise, level: Level, units: str | None = None) -> Dose:
    """The work at a level (`programme.Exercise.levels`), with the words' parameters for saying it."""
    work = exercise.work(level)
    if work.reps is None:
        assert work.distance_yards is not None
        amount = line("amount_distance", distance=Distance(work.distance_yards, units))
    else:
        amount = line("amount_reps_each_leg" if work.each_leg else "amount_reps", reps=Count(work.reps, "rep"))
    return Dose(level, work.sets, work.reps, work.distance_yards, work.walk_seconds, work.each_leg, work.tempo,
                work.variant, amount, units)


def dose_for(exercise: Exercise, profile: Profile) -> Dose:
    return dose(exercise, profile.level(exercise.id), profile.distance_units)


def total_sets(workout: Workout, profile: Profile) -> int:
    return dose_for(programme.exercise(workout.exercise_id), profile).sets


def rest_seconds(exercise: Exercise, profile: Profile) -> int:
    return profile.rest_seconds if profile.rest_seconds is not None else exercise.default_rest_seconds


def can_do(exercise: Exercise, profile: Profile) -> bool:
    return exercise.equipment is None or exercise.equipment not in profile.missing_equipment


def choose(profile: Profile, *, count: int = DEFAULT_EXERCISES_PER_WORKOUT, requested: str | None = None,
           avoid: frozenset[str] = frozenset()) -> Plan:
    """Today's exercises: the requested one first, then the rotation's next doable ones, leaving out `avoid`
    (an exercise whose soreness still lasts)."""
    picks: list[str] = [requested] if requested else []
    skipped: list[str] = []
    position = profile.rotation
    for step in range(len(ROTATION)):
        if len(picks) >= count:
            break
        candidate = ROTATION[(profile.rotation + step) % len(ROTATION)]
        position = profile.rotation + step + 1
        if candidate in picks or candidate in avoid:
            continue
        if can_do(programme.exercise(candidate), profile):
            picks.append(candidate)
        else:
            skipped.append(candidate)
    if not picks:  # every exercise needs something missing: inchworms need nothing, so unreachable
        picks.append("inchworms")
    return Plan(tuple(picks), tuple(skipped), position % len(ROTATION))


def substitute(plan: tuple[str, ...], from_index: int, profile: Profile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Replace planned exercises (from `from_index` on) the runner can no longer do.

    Returns (new plan, exercises swapped out). Substitutes come from the
    rotation and never repeat an exercise already in the plan.
    """
    new_plan = list(plan)
    swapped: list[str] = []
    for index in range(from_index, len(plan)):
        if can_do(programme.exercise(plan[index]), profile):
            continue
        swapped.append(plan[index])
        spare = [e for e in ROTATION if e not in new_plan and can_do(programme.exercise(e), profile)]
        new_plan[index] = spare[0] if spare else ""
    return tuple(e for e in new_plan if e), tuple(swapped)
