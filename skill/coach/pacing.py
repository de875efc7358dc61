"""Spoken pacing for a set and a rest, as segments with a time estimate.

A guided set is a list of chunks, one per leg for one-leg exercises, so a set
too long for one Alexa reply can be split where the runner switches legs.
Tempo comes from the programme (the eccentric curl's lowering is slow). Each
leg is named before it starts, with time to get into position; form reminders
fall at a third and two thirds of the reps, varied by set and leg; the last
two reps are called. A walk by distance (inchworms) is paced by time. How long
a chunk takes to say comes from the request locale's estimator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skill.coach.plan import Dose
from skill.coach.programme import Exercise, Tempo
from skill.coach.reply import Count, Distance, Duration, Estimator, Line, Pause, Segment, Word, line

SLOW_PHASE_SECONDS = 4.0    # phases longer than this get a mid-phase "slower" cue
GET_SET_SECONDS = 2.0       # after a leg is named, before rep 1: lift the other leg, find balance
SWITCH_SECONDS = 4.0        # time to change legs on a ball or in straps before the count restarts
COUNTDOWN_MARKS = (150, 120, 90, 60, 30, 10)
SIDES = ("right", "left")


@dataclass(frozen=True)
class Chunk:
    segments: tuple[Segment, ...]
    seconds: float


def chunk(estimate: Estimator, *segments: Segment) -> Chunk:
    return Chunk(tuple(segments), estimate(segments))


def cue(exercise: Exercise, index: int) -> Line:
    """Form cue number `index` (the content picks cue index mod how many it has)."""
    return line("exercise.cue", exercise=exercise.id, index=index)


def _tempo(exercise: Exercise, tempo: Tempo) -> list[Segment]:
    segments: list[Segment] = []
    for number, (phase, seconds) in enumerate(tempo.phases, start=1):
        segments.append(line("exercise.tempo", exercise=exercise.id, phase=phase))
        last = tempo.reset if number == len(tempo.phases) else 0.0  # the reset is silence after the last phase
        if seconds > SLOW_PHASE_SECONDS:
            segments += [Pause(seconds / 2), line("slower"), Pause(seconds / 2 + last)]
        else:
            segments.append(Pause(seconds + last))
    return segments


def _reps(exercise: Exercise, dose: Dose, first_cue: int) -> list[Segment]:
    """The reps of one leg (or of both legs together): counted, paced, cued."""
    assert dose.reps is not None and dose.tempo is not None
    reps = dose.reps
    cue_at = {max(1, reps // 3): first_cue, max(2, (2 * reps) // 3): first_cue + 1}
    segments: list[Segment] = []
    for rep in range(1, reps + 1):
        key = "rep_last" if rep == reps else "rep_last_two" if rep == reps - 1 and reps > 3 else "rep"
        segments.append(line(key, number=rep))
        sides = SIDES if exercise.alternating else (None,)
        for side in sides:
            if side:
                segments.append(line("side_short", side=Word(side)))
            segments += _tempo(exercise, dose.tempo)
        if rep in cue_at and rep < reps - 1:
            segments.append(cue(exercise, cue_at[rep]))
    return segments


def leg_line(exercise: Exercise, key: str, side: int, **params: object) -> Line:
    """A line naming the working leg: "right heel on the ball, left leg up" or "stand on your right leg"."""
    return line(f"{key}_{exercise.leg_on}", side=Word(SIDES[side]), other=Word(SIDES[1 - side]), **params)


def one_leg_at_a_time(exercise: Exercise, dose: Dose) -> bool:
    return dose.each_leg and not exercise.alternating


@lru_cache(maxsize=512)
def guided_set(exercise: Exercise, dose: Dose, set_number: int, estimate: Estimator) -> tuple[Chunk, ...]:
    """The set, paced rep by rep: one chunk per leg for one-leg exercises, else one chunk.

    The switch between the legs is not in the chunks: `switch` says it, because it differs when the
    reply is split there (the runner says "ready") from when it carries straight on.
    Cached: the same few sets are coached over and over, and building one is the costliest pure step.
    """
    if dose.reps is None:
        return (walk(exercise, dose, set_number, estimate),)
    first_cue = 2 * (set_number - 1)
    if one_leg_at_a_time(exercise, dose):
        first = chunk(estimate, leg_line(exercise, "set_start", 0, number=set_number), Pause(GET_SET_SECONDS),
                      *_reps(exercise, dose, first_cue))
        second = chunk(estimate, *_reps(exercise, dose, first_cue + 1), line("set_done", number=set_number))
        return first, second
    start = "set_start_alternating" if exercise.alternating else "set_start"
    return (chunk(estimate, line(start, number=set_number), *_reps(exercise, dose, first_cue),
                  line("set_done", number=set_number)),)


def switch(exercise: Exercise, estimate: Estimator, *, carry_on: bool) -> Chunk:
    """Change legs: name the new one, give time to get there, then go (or wait for "ready")."""
    if carry_on:
        return chunk(estimate, leg_line(exercise, "switch", 1), Pause(SWITCH_SECONDS), line("go"))
    return chunk(estimate, leg_line(exercise, "switch", 1), leg_line(exercise, "ready_for_leg", 1))


def walk(exercise: Exercise, dose: Dose, set_number: int, estimate: Estimator) -> Chunk:
    """A walk by distance, paced by time: go, cues a third and two thirds in, the last few, done."""
    assert dose.distance_yards is not None
    third = dose.walk_seconds / 3
    first_cue = 2 * (set_number - 1)
    return chunk(estimate, line("walk_start", number=set_number, distance=Distance(dose.distance_yards, dose.units)),
                 Pause(third), cue(exercise, first_cue), Pause(third), cue(exercise, first_cue + 1),
                 Pause(third - 3), line("walk_last"), Pause(3), line("set_done", number=set_number))


def self_paced_set(exercise: Exercise, dose: Dose, set_number: int, estimate: Estimator) -> Chunk:
    """No counting: which leg first and when to switch, one cue, and how to come back when done."""
    segments: list[Segment] = [line("set_start_self", number=set_number, amount=dose.amount)]
    if one_leg_at_a_time(exercise, dose):
        segments.append(leg_line(exercise, "self_legs", 0, reps=Count(dose.reps or 0, "rep")))
    elif exercise.alternating:
        segments.append(line("self_alternate"))
    segments += [cue(exercise, 2 * (set_number - 1)), line("come_back_done")]
    return chunk(estimate, *segments)


def own_time(exercise: Exercise, dose: Dose, set_number: int, estimate: Estimator) -> float:
    """How long the runner is busy doing the set on their own: as long as it takes to coach it."""
    sets = guided_set(exercise, dose, set_number, estimate)
    extra = SWITCH_SECONDS if len(sets) > 1 else 0.0
    return sum(part.seconds for part in sets) + extra


@lru_cache(maxsize=128)
def rest(seconds: int, estimate: Estimator, *, tip: bool = False, opening: str = "rest_start") -> Chunk:
    """'Rest' then a spoken countdown of chained pauses (rendering keeps each break <= 10 s).

    `tip`: the first time a runner rests, say once that the rest can be changed. `opening` is the
    phrase that starts it ("rest_setting_up" between exercises).
    """
    segments: list[Segment] = [line(opening, duration=Duration(seconds))]
    if tip:
        segments.append(line("rest_tip"))
    remaining = seconds
    for mark in COUNTDOWN_MARKS:
        if mark < remaining:
            segments += [Pause(remaining - mark), line("time_left", duration=Duration(mark))]
            remaining = mark
    if remaining > 3:
        segments.append(Pause(remaining - 3))
        remaining = 3
    for count in range(remaining, 0, -1):
        segments += [line("count", number=count), Pause(0.6)]
    return chunk(estimate, *segments)
