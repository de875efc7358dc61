"""Events that change the runner's profile: rest length, pace, equipment, level.

Every answer ends with what the runner can say next, so the workout carries on
where it was. Losing equipment mid-exercise swaps now (or, for the partner,
offers an anchor); getting it back brings exercises back into the rotation.
"""

from __future__ import annotations

from skill.coach import lines, plan, programme
from skill.coach.events import Event, Handler, Kind, Outcome
from skill.coach.evolve import replace
from skill.coach.programme import LEVELS
from skill.coach.reply import Distance, Duration, Gear, Name, Names, Segment, line
from skill.coach.respond import finish, move_on, say
from skill.coach.starting import switch_to
from skill.coach.state import REST_MAX_SECONDS, REST_MIN_SECONDS, Pending, Phase, UserState

REST_STEP_SECONDS = 15


def _answer(state: UserState, *speech: Segment) -> Outcome:
    return say(state, *speech, *lines.prompt(state))


def _current_rest(state: UserState) -> int:
    if state.workout is None:
        return state.profile.rest_seconds or 60
    return plan.rest_seconds(programme.exercise(state.workout.exercise_id), state.profile)


def _set_rest(state: UserState, seconds: int) -> Outcome:
    limit = "rest_longest" if seconds > REST_MAX_SECONDS else "rest_shortest" if seconds < REST_MIN_SECONDS else None
    seconds = max(REST_MIN_SECONDS, min(REST_MAX_SECONDS, seconds))
    state = replace(state, profile=replace(state.profile, rest_seconds=seconds))
    said = (line(limit, duration=Duration(seconds)),) if limit else ()
    return _answer(state, *said, line("rest_now", duration=Duration(seconds)))


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
    was_missing = event.equipment in state.profile.missing_equipment
    missing = state.profile.missing_equipment - {event.equipment}
    state = replace(state, profile=replace(state.profile, missing_equipment=missing))
    back = tuple(e.id for e in programme.EXERCISES if e.equipment == event.equipment)
    if was_missing and back:
        return _answer(state, line("equipment_back", equipment=Gear(event.equipment), names=Names(back)))
    return _answer(state, line("equipment_have", equipment=Gear(event.equipment)))


def on_missing_equipment(state: UserState, event: Event) -> Outcome:
    """Remember it, and swap any planned exercise that needs it, the current one now (saying why).

    Without a partner the eccentric curl still works against a fixed anchor: offered first.
    """
    assert event.equipment is not None
    workout = state.workout
    current_needs_it = workout is not None and lines.gear_of(workout.exercise_id) == event.equipment
    if current_needs_it and event.equipment == programme.ANCHOR_FOR:
        state = replace(state, pending=Pending.ANCHOR_OFFER)
        return say(state, line("anchor_offer_intro"), line("anchor_offer"))
    return lose_equipment(state, event, event.equipment)


def lose_equipment(state: UserState, event: Event, equipment: str) -> Outcome:
    missing = state.profile.missing_equipment | {equipment}
    state = replace(state, profile=replace(state.profile, missing_equipment=missing))
    speech: list[Segment] = [line("equipment_missing", equipment=Gear(equipment))]
    workout = state.workout
    if workout is None:
        return _answer(state, *speech)
    index = workout.exercise_index
    new_plan, swapped = plan.substitute(workout.plan, index + 1, state.profile)
    speech += [lines.swap_note(e) for e in swapped]
    state = replace(state, workout=replace(workout, plan=new_plan))
    if lines.gear_of(workout.exercise_id) != equipment:
        return _answer(state, *speech)
    spare = [e for e in plan.ROTATION if e not in new_plan and plan.can_do(programme.exercise(e), state.profile)]
    if not spare:  # nothing left that the runner can do today
        return finish(state, event, tuple(speech), early=True)
    return switch_to(state, event, spare[0], *speech)


def _change_level(state: UserState, event: Event, step: int) -> Outcome:
    """Per exercise: the current one in a workout, every exercise outside one."""
    workout = state.workout
    targets = (workout.exercise_id,) if workout else programme.exercise_ids()
    now = state.profile.level(targets[0])
    position = LEVELS.index(now) + step
    if not 0 <= position < len(LEVELS):
        edge = "level_already_easiest" if step < 0 else "level_already_hardest"
        return _answer(state, line(edge, name=Name(targets[0], "short")) if workout else line(f"{edge}_all"))
    level = LEVELS[position]
    profile = state.profile
    for exercise_id in targets:
        profile = profile.with_level(exercise_id, level)
    state = replace(state, profile=profile)
    if workout is None:
        return _answer(state, line(f"level_{level.value}_all"))
    # the dose changes under the runner: no undoing a set coached at the old level, and a set split
    # where the legs switch starts again at the new level
    again: dict[str, object] = {}
    if workout.current_phase is Phase.IN_SET:
        restart = Phase.RESTING if workout.set_number > 1 else Phase.INTRO
        again = {"paused_phase" if workout.phase is Phase.PAUSED else "phase": restart, "part": 0}
    state = replace(state, workout=replace(workout, coaching_until=0.0, before_set=None, **again))
    exercise = programme.exercise(workout.exercise_id)
    dose = plan.dose_for(exercise, state.profile)
    speech: list[Segment] = [line(f"level_{level.value}"),
                             lines.dose_line("dose_now", dose, name=Name(exercise.id, "short")),
                             *lines.variant(exercise, dose)]
    if workout.set_number > dose.sets:  # those were all its sets now
        if workout.phase is Phase.RESTING:
            speech.append(line("exercise_done", name=Name(exercise.id, "short")))
            return finish(state, event, tuple(speech)) if workout.is_last_exercise else move_on(
                state, event, tuple(speech))
        state = replace(state, workout=replace(state.workout, set_number=dose.sets))  # type: ignore[arg-type]
    return _answer(state, *speech)


def _use_units(state: UserState, units: str) -> Outcome:
    """ "Use metres" / "use yards": beats the device's setting from now on, and says a distance in it."""
    state = replace(state, profile=replace(state.profile, units_choice=units))
    return _answer(state, line(f"units_{units}", distance=Distance(programme.TYPICAL_WALK_YARDS, units)))


def on_use_metric(state: UserState, event: Event) -> Outcome:
    return _use_units(state, "metric")


def on_use_imperial(state: UserState, event: Event) -> Outcome:
    return _use_units(state, "imperial")


def on_harder(state: UserState, event: Event) -> Outcome:
    return _change_level(state, event, +1)


def on_easier(state: UserState, event: Event) -> Outcome:
    return _change_level(state, event, -1)


HANDLERS: dict[Kind, Handler] = {
    Kind.SET_REST: on_set_rest, Kind.SHORTER_REST: on_shorter_rest, Kind.LONGER_REST: on_longer_rest,
    Kind.SELF_PACED: on_self_paced, Kind.GUIDED: on_guided, Kind.HAVE_EQUIPMENT: on_have_equipment,
    Kind.MISSING_EQUIPMENT: on_missing_equipment, Kind.HARDER: on_harder, Kind.EASIER: on_easier,
    Kind.USE_METRIC: on_use_metric, Kind.USE_IMPERIAL: on_use_imperial,
}
