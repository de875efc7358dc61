"""Questions: each answers and changes nothing ("what set am I on", "how long is left", "which leg").

Every answer ends with what the runner can say next (the prompt), so the
workout carries on exactly where it was.
"""

from __future__ import annotations

from skill.coach import lines, pacing, plan, programme, timing
from skill.coach.events import Event, Handler, Kind, Outcome
from skill.coach.reply import Count, Name, Names, Segment, line
from skill.coach.respond import say
from skill.coach.state import Phase, UserState


def _answer(state: UserState, *speech: Segment) -> Outcome:
    return say(state, *speech, *lines.prompt(state))


def on_progress(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("no_workout"))
    return _answer(state, *lines.where(state.workout, state.profile))


def on_whats_next(state: UserState, event: Event) -> Outcome:
    """What comes next, without moving: the next set, or the next exercise, or the end."""
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    total = plan.total_sets(workout, state.profile)
    name = Name(workout.exercise_id, "short")
    if workout.current_phase is Phase.IN_SET:
        now = line("next_after_this_set", number=workout.set_number, name=name)
    else:
        now = line("next_set_of", number=workout.set_number, total=total, name=name)
    if not workout.is_last_exercise:
        later = line("next_then_exercise", name=Name(workout.plan[workout.exercise_index + 1], "short"))
    else:
        later = line("next_then_done")
    return _answer(state, now, later)


def on_how_long(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        today = plan.choose(state.profile).exercises
        minutes = timing.minutes(timing.plan_seconds(today, state.profile, event.estimate))
        return _answer(state, line("how_long_idle", minutes=Count(minutes, "minute")))
    left = timing.minutes(timing.remaining_seconds(workout, state.profile, event.estimate))
    return _answer(state, line("how_long", minutes=Count(left, "minute")))


def on_how_many(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return _answer(state, line("how_many_idle", names=Names(plan.choose(state.profile).exercises)))
    exercise = programme.exercise(workout.exercise_id)
    dose = plan.dose_for(exercise, state.profile)
    return _answer(state, lines.dose_line("how_many", dose, name=Name(exercise.id, "short"),
                                          number=workout.set_number))


def on_which_leg(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return _answer(state, line("which_leg_idle"))
    exercise = programme.exercise(workout.exercise_id)
    dose = plan.dose_for(exercise, state.profile)
    if pacing.one_leg_at_a_time(exercise, dose):
        second = workout.current_phase is Phase.IN_SET and workout.part > 0
        side = 1 if second else 0
        key = "which_leg_second" if second else "which_leg_first"
        return _answer(state, pacing.leg_line(exercise, key, side))
    if exercise.alternating:
        return _answer(state, line("which_leg_alternate"))
    return _answer(state, line("which_leg_both"))


def on_what_do_i_need(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    upcoming = workout.plan[workout.exercise_index:] if workout else plan.choose(state.profile).exercises
    return _answer(state, *lines.equipment_needed(upcoming))


def on_form_tip(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("form_no_workout"))
    exercise = programme.exercise(state.workout.exercise_id)
    return _answer(state, *lines.form_tips(exercise, state.profile))


def on_thanks(state: UserState, event: Event) -> Outcome:
    return _answer(state, line("you_are_welcome"))


def on_why(state: UserState, event: Event) -> Outcome:
    return _answer(state, line("why_hamstrings"))


def on_help(state: UserState, event: Event) -> Outcome:
    return _answer(state, line("help_in_workout" if state.workout else "help_idle"))


def on_unclear(state: UserState, event: Event) -> Outcome:
    keys = {"exercise": "unclear_exercise", "equipment": "unclear_equipment", "days": "unclear_days",
            "time": "unclear_time"}
    return _answer(state, line(keys.get(event.unclear or "", "unclear_duration")))


HANDLERS: dict[Kind, Handler] = {
    Kind.PROGRESS: on_progress, Kind.WHATS_NEXT: on_whats_next, Kind.HOW_LONG: on_how_long,
    Kind.HOW_MANY: on_how_many, Kind.WHICH_LEG: on_which_leg, Kind.WHAT_DO_I_NEED: on_what_do_i_need,
    Kind.FORM_TIP: on_form_tip, Kind.THANKS: on_thanks, Kind.WHY: on_why, Kind.HELP: on_help,
    Kind.UNCLEAR: on_unclear,
}


