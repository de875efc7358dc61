"""Spoken pacing for a set and a rest, as segments with a time estimate.

A guided set is a list of chunks (one per leg for one-leg exercises) so that a
set too long for one Alexa reply can be split at a natural point. Tempo comes
from the catalogue: the eccentric curl's lowering is slow, the RDL hinge is
controlled. Form reminders are dropped in mid-set, varied by set number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skill import phrases, speech
from skill.catalogue import Exercise
from skill.plan import Dose
from skill.reply import Pause, Segment, Text, line

SLOW_PHASE_SECONDS = 4.0    # phases longer than this get a mid-phase "slowly" cue
SWITCH_SECONDS = 4.0        # time to change legs on a ball or in straps before the count restarts
RESET_SECONDS = 2.0         # between reps of a slow exercise: get back to the start position
COUNTDOWN_MARKS = (150, 120, 90, 60, 30, 10)
SIDES = ("right", "left")


@dataclass(frozen=True)
class Chunk:
    segments: tuple[Segment, ...]
    seconds: float


def estimate(segments: tuple[Segment, ...]) -> float:
    """Speaking time, timed with the en-US phrases: other locales' phrases run about as long."""
    return speech.estimate_seconds(segments, phrases.for_locale(phrases.DEFAULT_LOCALE))


def chunk(*segments: Segment) -> Chunk:
    return Chunk(tuple(segments), estimate(tuple(segments)))


def reminders(exercise: Exercise, set_number: int) -> tuple[str, str]:
    """Two form cues for this set, the most useful one first on set one."""
    cues = exercise.form_cues
    return cues[(set_number - 1) % len(cues)], cues[set_number % len(cues)]


def _tempo(exercise: Exercise) -> list[Segment]:
    segments: list[Segment] = []
    assert exercise.tempo is not None
    for cue, seconds in exercise.tempo.phases:
        segments.append(Text(cue))
        if seconds > SLOW_PHASE_SECONDS:
            segments += [Pause(seconds / 2), line("slower"), Pause(seconds / 2)]
        else:
            segments.append(Pause(seconds))
    return segments


def _reps(exercise: Exercise, reps: int, cues: tuple[str, str]) -> list[Segment]:
    segments: list[Segment] = []
    for rep in range(1, reps + 1):
        segments.append(line("rep", number=rep))
        if exercise.alternating:
            for alternate in SIDES:
                segments.append(line("side_short", side=alternate.capitalize()))
                segments += _tempo(exercise)
        else:
            segments += _tempo(exercise)
        if rep == max(1, reps // 2):
            segments.append(Text(cues[0]))
        elif rep == reps - 1 and reps > 3:
            segments.append(Text(cues[1]))
    return segments


@lru_cache(maxsize=256)
def guided_set(exercise: Exercise, dose: Dose, set_number: int) -> tuple[Chunk, ...]:
    """The set, paced rep by rep: one chunk per leg for one-leg exercises, else one chunk.

    Cached: the same few sets are coached over and over, and building one is the costliest pure step.
    """
    assert dose.reps is not None and exercise.tempo is not None
    cues = reminders(exercise, set_number)
    if exercise.each_leg and not exercise.alternating:
        stance = "_standing" if exercise.standing_leg else ""  # RDL: the named leg is the one you stand on
        first = chunk(
            line(f"set_start_side{stance}", number=set_number, side=SIDES[0] if stance else SIDES[0].capitalize()),
            *_reps(exercise, dose.reps, cues),
            line("switch_legs"),
            Pause(SWITCH_SECONDS),
        )
        second = chunk(
            line(f"side_start{stance}", side=SIDES[1] if stance else SIDES[1].capitalize()),
            *_reps(exercise, dose.reps, cues),
            line("set_done", number=set_number),
        )
        return first, second
    return (
        chunk(
            line("set_start", number=set_number),
            *_reps(exercise, dose.reps, cues),
            line("set_done", number=set_number),
        ),
    )


def self_paced_set(exercise: Exercise, dose: Dose, set_number: int) -> Chunk:
    """No counting: the cues, then the runner says "done"."""
    cue, _ = reminders(exercise, set_number)
    if exercise.by_distance:
        return chunk(line("set_start_distance", number=set_number, amount=dose.spoken_amount), Text(cue))
    return chunk(line("set_start_self", number=set_number, amount=dose.spoken_amount), Text(cue))


@lru_cache(maxsize=64)
def rest(seconds: int) -> Chunk:
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
    return chunk(*segments)
