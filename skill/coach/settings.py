"""Events that change or read the runner's profile rather than walk the workout.

Rest length, pace, equipment, level, history questions and "why hamstrings".
Every answer ends with what the runner can say next, so the workout carries
on where it was.
"""

from __future__ import annotations

from skill.coach import history, lines, plan, programme
from skill.coach.events import Event, Handler, Kind, Outcome
from skill.coach.evolve import replace
from skill.coach.programme import Exercise
from skill.coach.reply import Count, Gear, Line, Name, Names, Segment, line
from skill.coach.respond import finish, move_on, say
from skill.coach.state import REST_MAX_SECONDS, REST_MIN_SECONDS, Level, Phase, UserState

REST_STEP_SECONDS = 15
LEVELS = (Level.EASIER, Level.STANDARD, Level.HARDER)


def swap_note(exercise_id: str) -> Line:
    return line("swapped_out", name=Name(exercise_id), equipment=Gear(lines.gear(exercise_id)))


def need_equipment(exercise: Exercise) -> Line:
    return line("needs_equipment", name=Name(exercise.id), equipment=Gear(lines.gear(exercise.id)))


def _answer(state: UserState, *speech: Segment) -> Outcome:
    return say(state, *speech, *lines.prompt(state.workout, state.profile))


def _current_rest(state: UserState) -> int:
    if state.workout is None:
        return state.profile.rest_seconds or 60
    return plan.rest_seconds(programme.exercise(state.workout.exercise_id), state.profile)


def _set_rest(state: UserState, seconds: int) -> Outcome:
    seconds = max(REST_MIN_SECONDS, min(REST_MAX_SECONDS, seconds))
    state = replace(state, profile=replace(state.profile, rest_seconds=seconds))
    return _answer(state, line("rest_now", seconds=seconds))


def on_set_rest(state: UserState, event: Event) -> Outcome:
    if event.seconds is None or event.seconds <= 0:
        return _answer(state, line("unclear_duration"))
    return _set_rest(state, event.seconds)


def on_shorter_rest(state: UserState, event: Event) -> Outcome:
    return _set_rest(state, _current_rest(state) - REST_STEP_SECONDS)


def on_longer_rest(state: UserState, event: Event) -> Outcome:
    return _set_rest(state, _current_rest(state) + REST_STEP_SECONDS)


def on_self_paced(state: UserState, event: Event) -> Outcome:
    state = replace(state, profile=replace(state.profile, self_paced=True))
    return _answer(state, line("pace_self"))


def on_guided(state: UserState, event: Event) -> Outcome:
    state = replace(state, profile=replace(state.profile, self_paced=False))
    return _answer(state, line("pace_guided"))


def on_have_equipment(state: UserState, event: Event) -> Outcome:
    assert event.equipment is not None
    missing = state.profile.missing_equipment - {event.equipment}
    state = replace(state, profile=replace(state.profile, missing_equipment=missing))
    return _answer(state, line("equipment_have", equipment=Gear(event.equipment)))


def on_missing_equipment(state: UserState, event: Event) -> Outcome:
    """Remember it, and swap any planned exercise that needs it (saying why)."""
    assert event.equipment is not None
    missing = state.profile.missing_equipment | {event.equipment}
    state = replace(state, profile=replace(state.profile, missing_equipment=missing))
    speech: list[Segment] = [line("equipment_missing", equipment=Gear(event.equipment))]
    workout = state.workout
    if workout is None:
        return _answer(state, *speech)
    started = workout.phase is not Phase.INTRO or workout.set_number > 1
    keep = workout.exercise_index + (1 if started else 0)
    new_plan, swapped = plan.substitute(workout.plan, keep, state.profile)
    speech += [swap_note(e) for e in swapped]
    if not swapped:
        return _answer(state, *speech)
    if workout.exercise_index >= len(new_plan):  # nothing left that the runner can do today
        return finish(state, event, tuple(speech))
    index = workout.exercise_index
    current_changed = not started and new_plan[index] != workout.exercise_id
    state = replace(state, workout=replace(workout, plan=new_plan, exercise_index=index, updated_at=event.now,
                                           coaching_until=0.0, before_set=None))
    if current_changed:
        exercise = programme.exercise(new_plan[index])
        return say(state, *speech, *lines.introduce(exercise, state.profile), card_for=exercise.id)
    return _answer(state, *speech)


def _change_level(state: UserState, event: Event, step: int) -> Outcome:
    level = LEVELS[max(0, min(len(LEVELS) - 1, LEVELS.index(state.profile.level) + step))]
    state = replace(state, profile=replace(state.profile, level=level))
    speech: list[Segment] = [line(f"level_{level.value}")]
    if state.workout:  # the dose changes under the runner: no undoing a set coached at the old level
        state = replace(state, workout=replace(state.workout, coaching_until=0.0, before_set=None))
        exercise = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
        dose = plan.dose_for(exercise, state.profile)
        speech.append(lines.dose_line("dose_now", dose, name=Name(exercise.id, "short")))
        if dose.harder_variant:
            speech.append(line("exercise.harder", exercise=exercise.id))
        workout = state.workout
        if workout.set_number > dose.sets and workout.phase is Phase.RESTING:  # those were all its sets now
            speech.append(line("exercise_done", name=Name(exercise.id, "short")))
            return finish(state, event, tuple(speech)) if workout.is_last_exercise else move_on(
                state, event, tuple(speech))
        if workout.set_number > dose.sets:
            state = replace(state, workout=replace(workout, set_number=dose.sets))
    return _answer(state, *speech)


def on_harder(state: UserState, event: Event) -> Outcome:
    return _change_level(state, event, +1)


def on_easier(state: UserState, event: Event) -> Outcome:
    return _change_level(state, event, -1)


def on_week_count(state: UserState, event: Event) -> Outcome:
    count = history.this_week(state.profile.history, event.now)
    return _answer(state, line("week_count", workouts=Count(count, "workout")))


def on_last_workout(state: UserState, event: Event) -> Outcome:
    days = history.days_since_last(state.profile.history, event.now)
    if days is None:
        return _answer(state, line("no_history"))
    last = state.profile.history[-1]
    when = line("today") if days == 0 else line("yesterday") if days == 1 else line("days_ago", days=Count(days, "day"))
    sets = Count(last.sets_done, "set")
    return _answer(state, line("last_workout", when=when, names=Names(last.exercises), sets=sets))


def on_streak(state: UserState, event: Event) -> Outcome:
    return _answer(state, line("streak", days=Count(history.streak(state.profile.history, event.now), "day")))


def on_why(state: UserState, event: Event) -> Outcome:
    return _answer(state, line("why_hamstrings"))


def on_unclear(state: UserState, event: Event) -> Outcome:
    keys = {"exercise": "unclear_exercise", "equipment": "unclear_equipment"}
    key = keys.get(event.unclear or "", "unclear_duration")
    return _answer(state, line(key))


HANDLERS: dict[Kind, Handler] = {
    Kind.SET_REST: on_set_rest, Kind.SHORTER_REST: on_shorter_rest, Kind.LONGER_REST: on_longer_rest,
    Kind.SELF_PACED: on_self_paced, Kind.GUIDED: on_guided, Kind.HAVE_EQUIPMENT: on_have_equipment,
    Kind.MISSING_EQUIPMENT: on_missing_equipment, Kind.HARDER: on_harder, Kind.EASIER: on_easier,
    Kind.WEEK_COUNT: on_week_count, Kind.LAST_WORKOUT: on_last_workout, Kind.STREAK: on_streak,
    Kind.WHY: on_why, Kind.UNCLEAR: on_unclear,
}
