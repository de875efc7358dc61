"""Reusable pieces of what the coach says: introductions, prompts, where you are.

Pure: segments in, segments out. The state machine in `skill.workout` picks
which of these to say; the phrase texts live in `skill.phrases`.
"""

from __future__ import annotations

from skill import catalogue, plan
from skill.catalogue import Exercise
from skill.reply import Card, Screen, Segment, Text, line
from skill.state import Phase, Profile, Workout


def dose_for(exercise: Exercise, profile: Profile) -> plan.Dose:
    return plan.dose(exercise, profile.level)


def total_sets(workout: Workout, profile: Profile) -> int:
    return dose_for(catalogue.exercise(workout.exercise_id), profile).sets


def rest_seconds(exercise: Exercise, profile: Profile) -> int:
    return profile.rest_seconds if profile.rest_seconds is not None else exercise.default_rest_seconds


def plural(count: int, noun: str) -> str:
    """'1 set', '2 sets': phrase templates take the counted noun ready-made."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def names(exercise_ids: tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B and C' — how a list is said aloud."""
    spoken = [catalogue.exercise(e).name for e in exercise_ids]
    return spoken[0] if len(spoken) == 1 else ", ".join(spoken[:-1]) + " and " + spoken[-1]


def introduce(exercise: Exercise, profile: Profile, *, first: bool = False) -> tuple[Segment, ...]:
    """Name, equipment, dose as the article gives it, set-up steps, then the call to get ready.

    `first`: right after "Today: ..." has named it in full, the short name is enough.
    """
    dose = dose_for(exercise, profile)
    segments: list[Segment] = [
        line("exercise_intro_first", name=exercise.short_name, equipment=exercise.equipment_phrase)
        if first
        else line("exercise_intro", name=exercise.name, equipment=exercise.equipment_phrase),
        line("dose", sets=dose.spoken_sets, amount=dose.spoken_amount),
        *(Text(step) for step in exercise.setup),
    ]
    if dose.harder_variant:
        segments.append(Text(dose.harder_variant))
    segments.append(line("say_ready_to_start"))
    return tuple(segments)


def prompt(workout: Workout | None, profile: Profile) -> tuple[Segment, ...]:
    """What the runner can say now to keep going: used as the reprompt of every open reply."""
    if workout is None:
        return (line("prompt_start"),)
    phase = workout.paused_phase if workout.phase is Phase.PAUSED else workout.phase
    if workout.phase is Phase.PAUSED:
        return (line("prompt_resume"),)
    if phase is Phase.IN_SET:
        return (line("prompt_carry_on"),)
    return (line("prompt_ready_for_set", number=workout.set_number),)


def where(workout: Workout, profile: Profile) -> tuple[Segment, ...]:
    """'Set 2 of 3 of Swiss ball curls', then what is left."""
    exercise = catalogue.exercise(workout.exercise_id)
    total = total_sets(workout, profile)
    segments: list[Segment] = [
        line("progress", number=workout.set_number, total=total, name=exercise.short_name)
    ]
    after = total - workout.set_number  # sets after this one
    if workout.is_last_exercise:
        key = "last_set_of_workout" if after == 0 else "sets_after_this_last"
        segments.append(line(key, sets=plural(after, "more set")))
    else:
        upcoming = catalogue.exercise(workout.plan[workout.exercise_index + 1]).short_name
        key = "last_set_then" if after == 0 else "sets_after_this_then"
        segments.append(line(key, sets=plural(after, "more set"), name=upcoming))
    return tuple(segments)


def form_tips(exercise: Exercise, profile: Profile) -> tuple[Segment, ...]:
    segments: list[Segment] = [line("form_intro", name=exercise.short_name)]
    segments += [Text(cue) for cue in exercise.form_cues]
    variant = dose_for(exercise, profile).harder_variant
    if variant:
        segments.append(Text(variant))
    return tuple(segments)


def card(exercise: Exercise, profile: Profile) -> Card:
    dose = dose_for(exercise, profile)
    title = exercise.name[0].upper() + exercise.name[1:]
    return Card(title, (f"{dose.spoken_sets} sets of {dose.spoken_amount}", *exercise.setup))


def screen(workout: Workout | None, profile: Profile) -> Screen | None:
    if workout is None:
        return None
    status = {Phase.INTRO: "intro", Phase.IN_SET: "in_set", Phase.RESTING: "resting", Phase.PAUSED: "paused"}
    return Screen(workout.exercise_id, workout.set_number, total_sets(workout, profile), status[workout.phase],
                  profile.level.value)
