"""Reusable pieces of what the coach says: introductions, prompts, where you are.

Pure: lines in, lines out, no words (the content turns each key into words).
The state machine in `skill.coach.workout` picks which of these to say.
"""

from __future__ import annotations

from skill.coach import plan, programme
from skill.coach.programme import Exercise
from skill.coach.reply import Card, Count, Line, Name, Screen, Segment, line
from skill.coach.state import Phase, Profile, Workout


def dose_line(key: str, dose: plan.Dose, **params: object) -> Line:
    """A phrase that says a dose: "{sets} sets of {amount}" and friends."""
    return line(key, sets=dose.spoken_sets, amount=dose.amount, **params)


def introduce(exercise: Exercise, profile: Profile, *, first: bool = False) -> tuple[Segment, ...]:
    """Name, equipment, dose as the article gives it, set-up steps, then the call to get ready.

    `first`: right after "Today: ..." has named it in full, the short name is enough.
    """
    dose = plan.dose_for(exercise, profile)
    equipment = Name(exercise.id, "equipment")
    segments: list[Segment] = [
        line("exercise_intro_first", name=Name(exercise.id, "short"), equipment=equipment)
        if first
        else line("exercise_intro", name=Name(exercise.id), equipment=equipment),
        dose_line("dose", dose),
        line("exercise.setup", exercise=exercise.id),
    ]
    if dose.harder_variant:
        segments.append(line("exercise.harder", exercise=exercise.id))
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
    total = plan.total_sets(workout, profile)
    segments: list[Segment] = [
        line("progress", number=workout.set_number, total=total, name=Name(workout.exercise_id, "short"))
    ]
    after = Count(total - workout.set_number, "more_set")  # sets after this one
    if workout.is_last_exercise:
        key = "last_set_of_workout" if after.number == 0 else "sets_after_this_last"
        segments.append(line(key, sets=after))
    else:
        upcoming = Name(workout.plan[workout.exercise_index + 1], "short")
        key = "last_set_then" if after.number == 0 else "sets_after_this_then"
        segments.append(line(key, sets=after, name=upcoming))
    return tuple(segments)


def form_tips(exercise: Exercise, profile: Profile) -> tuple[Segment, ...]:
    segments: list[Segment] = [line("form_intro", name=Name(exercise.id, "short")),
                               line("exercise.form_cues", exercise=exercise.id)]
    if plan.dose_for(exercise, profile).harder_variant:
        segments.append(line("exercise.harder", exercise=exercise.id))
    return tuple(segments)


def card(exercise: Exercise, profile: Profile) -> Card:
    return Card(exercise.id, dose_line("card_dose", plan.dose_for(exercise, profile)))


def screen(workout: Workout | None, profile: Profile) -> Screen | None:
    if workout is None:
        return None
    status = {Phase.INTRO: "intro", Phase.IN_SET: "in_set", Phase.RESTING: "resting", Phase.PAUSED: "paused"}
    return Screen(workout.exercise_id, workout.set_number, plan.total_sets(workout, profile), status[workout.phase],
                  profile.level.value)


def gear(exercise_id: str) -> str:
    """The equipment id an exercise needs (callers only ask for exercises that need some)."""
    equipment = programme.exercise(exercise_id).equipment
    assert equipment is not None
    return equipment
