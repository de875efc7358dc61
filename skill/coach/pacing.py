"""Spoken pacing for a set and a rest, as segments with a time estimate.

A guided set is a list of chunks (one per leg for one-leg exercises) so that a
set too long for one Alexa reply can be split at a natural point. Tempo comes
from the programme: the eccentric curl's lowering is slow, the RDL hinge is
controlled. Form reminders are dropped in mid-set, varied by set number.
How long a chunk takes to say comes from the request locale's estimator, so
the same set is budgeted right in every language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skill.coach.plan import Dose
from skill.coach.programme import Exercise
from skill.coach.reply import Estimator, Line, Pause, Segment, Word, line

SLOW_PHASE_SECONDS = 4.0    # phases longer than this get a mid-phase "slowly" cue
SWITCH_SECONDS = 4.0        # time to change legs on a ball or in straps before the count restarts
RESET_SECONDS = 2.0         # between reps of a slow exercise: get back to the start position
COUNTDOWN_MARKS = (150, 120, 90, 60, 30, 10)
SIDES = ("right", "left")


@dataclass(frozen=True)
class Chunk:
    segments: tuple[Segment, ...]
    seconds: float


def chunk(estimate: Estimator, *segments: Segment) -> Chunk:
    return Chunk(tuple(segments), estimate(segments))


def reminders(exercise: Exercise, set_number: int) -> tuple[Line, Line]:
    """Two form cues for this set, the most useful one first on set one (the content picks cue n mod its count)."""
    return (line("exercise.cue", exercise=exercise.id, index=set_number - 1),
            line("exercise.cue", exercise=exercise.id, index=set_number))


def _tempo(exercise: Exercise) -> list[Segment]:
    segments: list[Segment] = []
    assert exercise.tempo is not None
    for phase, seconds in exercise.tempo.phases:
        segments.append(line("exercise.tempo", exercise=exercise.id, phase=phase))
        if seconds > SLOW_PHASE_SECONDS:
            segments += [Pause(seconds / 2), line("slower"), Pause(seconds / 2)]
        else:
            segments.append(Pause(seconds))
    return segments


def _reps(exercise: Exercise, reps: int, cues: tuple[Line, Line]) -> list[Segment]:
    segments: list[Segment] = []
    for rep in range(1, reps + 1):
        segments.append(line("rep", number=rep))
        if exercise.alternating:
            for alternate in SIDES:
                segments.append(line("side_short", side=Word(alternate)))
                segments += _tempo(exercise)
        else:
            segments += _tempo(exercise)
        if rep == max(1, reps // 2):
            segments.append(cues[0])
        elif rep == reps - 1 and reps > 3:
            segments.append(cues[1])
    return segments


@lru_cache(maxsize=256)
def guided_set(exercise: Exercise, dose: Dose, set_number: int, estimate: Estimator) -> tuple[Chunk, ...]:
    """The set, paced rep by rep: one chunk per leg for one-leg exercises, else one chunk.

    Cached: the same few sets are coached over and over, and building one is the costliest pure step.
    """
    assert dose.reps is not None and exercise.tempo is not None
    cues = reminders(exercise, set_number)
    if exercise.each_leg and not exercise.alternating:
        stance = "_standing" if exercise.standing_leg else ""  # RDL: the named leg is the one you stand on
        first = chunk(
            estimate,
            line(f"set_start_side{stance}", number=set_number, side=Word(SIDES[0])),
            *_reps(exercise, dose.reps, cues),
            line("switch_legs"),
            Pause(SWITCH_SECONDS),
        )
        second = chunk(
            estimate,
            line(f"side_start{stance}", side=Word(SIDES[1])),
            *_reps(exercise, dose.reps, cues),
            line("set_done", number=set_number),
        )
        return first, second
    return (
        chunk(
            estimate,
            line("set_start", number=set_number),
            *_reps(exercise, dose.reps, cues),
            line("set_done", number=set_number),
        ),
    )


def self_paced_set(exercise: Exercise, dose: Dose, set_number: int, estimate: Estimator) -> Chunk:
    """No counting: the cues, then the runner says "done"."""
    cue, _ = reminders(exercise, set_number)
    key = "set_start_distance" if exercise.by_distance else "set_start_self"
    return chunk(estimate, line(key, number=set_number, amount=dose.amount), cue)


@lru_cache(maxsize=64)
def rest(seconds: int, estimate: Estimator) -> Chunk:
    """'Rest' then a spoken countdown of chained pauses (rendering keeps each break <= 10 s)."""
    segments: list[Segment] = [line("rest_start", seconds=seconds)]
    remaining = seconds
    for mark in COUNTDOWN_MARKS:
        if mark < remaining:
            segments += [Pause(remaining - mark), line("seconds_left", seconds=mark)]
            remaining = mark
    if remaining > 3:
        segments.append(Pause(remaining - 3))
        remaining = 3
    for count in range(remaining, 0, -1):
        segments += [line("count", number=count), Pause(0.6)]
    return chunk(estimate, *segments)
