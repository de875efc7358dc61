"""The workout as a pure state machine: `step(state, event) -> Outcome`.

No Flask, no Redis, no ask-sdk and no words: state and event in, new state and
a `Reply` of keyed lines out. Starting and resuming live in
`skill.coach.starting`, walking the sets in `skill.coach.sets`, profile-only
events (rest, pace, equipment, level, history) in `skill.coach.settings`; this
module moves around the workout and dispatches every event.
"""

from __future__ import annotations

from dataclasses import replace

from skill.coach import lines, programme, settings
from skill.coach.events import Event, Handler, Kind, Outcome
from skill.coach.reply import Reply, line
from skill.coach.respond import finish, move_on, say, touch
from skill.coach.sets import broken_off, on_ready
from skill.coach.starting import begin, on_choose, on_launch, on_quick_start, on_start, resume
from skill.coach.state import Pending, Phase, UserState


def on_next_exercise(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return begin(state, event, preface=(line("no_workout_starting"),))
    if event.new_session:
        return resume(state, event)
    if workout.is_last_exercise:
        return finish(state, event, (line("that_was_the_last"),))
    return move_on(state, event, ())


def on_progress(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("no_workout"))
    return say(state, *lines.where(state.workout, state.profile), *lines.prompt(state.workout, state.profile))


def on_form_tip(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("form_no_workout"))
    exercise = programme.exercise(state.workout.exercise_id)
    return say(state, *lines.form_tips(exercise, state.profile), *lines.prompt(state.workout, state.profile))


def on_start_over(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return begin(state, event)
    state = touch(state, event, exercise_index=0, set_number=1, phase=Phase.INTRO, part=0, paused_phase=None)
    first = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
    return say(state, line("starting_over"), *lines.introduce(first, state.profile), card_for=first.id)


def on_go_back(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.set_number > 1:
        state = touch(state, event, set_number=workout.set_number - 1, phase=Phase.RESTING, part=0,
                      paused_phase=None)
    elif workout.exercise_index > 0:
        state = touch(state, event, exercise_index=workout.exercise_index - 1, set_number=1,
                      phase=Phase.INTRO, part=0, paused_phase=None)
        previous = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
        return say(state, line("going_back"), *lines.introduce(previous, state.profile), card_for=previous.id)
    else:
        return say(state, line("at_the_start"), *lines.prompt(workout, state.profile))
    return say(state, line("going_back"), *lines.where(state.workout, state.profile),  # type: ignore[arg-type]
               *lines.prompt(state.workout, state.profile))


def on_pause(state: UserState, event: Event) -> Outcome:
    state, note = broken_off(state, event)
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.phase is not Phase.PAUSED:
        state = touch(state, event, phase=Phase.PAUSED, paused_phase=workout.phase)
    return say(state, *note, line("paused"), end=True)


def on_resume(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return begin(state, event, preface=(line("no_workout_starting"),))
    return resume(state, event)


def on_repeat(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("nothing_to_repeat"))
    return resume(state, event)


def on_yes(state: UserState, event: Event) -> Outcome:
    if state.workout and state.workout.phase is not Phase.PAUSED:
        return on_ready(state, event)
    return say(state, line("yes_without_question"), *lines.prompt(state.workout, state.profile))


def on_no(state: UserState, event: Event) -> Outcome:
    return say(state, line("no_without_question"), *lines.prompt(state.workout, state.profile))


def on_stop(state: UserState, event: Event) -> Outcome:
    state, note = broken_off(state, event)
    if state.workout is None:
        return say(state, line("goodbye"), end=True)
    return say(state, *note, line("stopped_saved"), *lines.where(state.workout, state.profile),
               line("how_to_come_back"), end=True)


def on_cancel(state: UserState, event: Event) -> Outcome:
    state, note = broken_off(state, event)
    return say(state, *note, line("goodbye"), end=True)


def on_help(state: UserState, event: Event) -> Outcome:
    key = "help_in_workout" if state.workout else "help_idle"
    return say(state, line(key), *lines.prompt(state.workout, state.profile))


def on_fallback(state: UserState, event: Event) -> Outcome:
    return say(state, line("fallback"), *lines.prompt(state.workout, state.profile))


def on_delete_data(state: UserState, event: Event) -> Outcome:
    state = replace(state, pending=Pending.DELETE_DATA)
    outcome = say(state, line("confirm_delete"))
    return Outcome(state, replace(outcome.reply, reprompt=(line("confirm_delete"),)))


def answer_pending(state: UserState, event: Event, pending: Pending) -> Outcome | None:
    """Yes/no answers to the question asked last turn; None when the event is something else."""
    if pending is Pending.DELETE_DATA and event.kind is Kind.YES:
        return Outcome(UserState(), Reply((line("data_deleted"),), end_session=True), forget_user=True)
    if pending is Pending.DELETE_DATA and event.kind is Kind.NO:
        return say(state, line("data_kept"), *lines.prompt(state.workout, state.profile))
    if pending is Pending.RESUME_CHOICE and state.workout:
        if event.kind in (Kind.YES, Kind.READY, Kind.RESUME, Kind.NEXT_EXERCISE):
            return resume(state, event)
        if event.kind is Kind.NO:
            return begin(replace(state, workout=None), event, preface=(line("fresh_start"),))
    return None


HANDLERS: dict[Kind, Handler] = {
    Kind.LAUNCH: on_launch, Kind.START: on_start, Kind.QUICK_START: on_quick_start, Kind.CHOOSE: on_choose,
    Kind.READY: on_ready, Kind.NEXT_EXERCISE: on_next_exercise, Kind.PROGRESS: on_progress,
    Kind.FORM_TIP: on_form_tip, Kind.REPEAT: on_repeat, Kind.START_OVER: on_start_over,
    Kind.GO_BACK: on_go_back, Kind.PAUSE: on_pause, Kind.RESUME: on_resume, Kind.HELP: on_help,
    Kind.STOP: on_stop, Kind.NAVIGATE_HOME: on_stop, Kind.CANCEL: on_cancel, Kind.FALLBACK: on_fallback,
    Kind.DELETE_DATA: on_delete_data, Kind.YES: on_yes, Kind.NO: on_no,
    **settings.HANDLERS,
}


def step(state: UserState, event: Event) -> Outcome:
    """Apply one event. Any pending question is answered or dropped by the next event."""
    state = state.expired(event.now)
    pending = state.pending
    state = replace(state, pending=None)
    if pending and (answered := answer_pending(state, event, pending)):
        return answered
    return HANDLERS[event.kind](state, event)
