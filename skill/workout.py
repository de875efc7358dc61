"""The workout as a pure state machine: `step(state, event) -> Outcome`.

No Flask, no Redis, no ask-sdk: state and event in, new state and a `Reply`
out. Starting and resuming live in `skill.starting`, profile-only events (rest,
pace, equipment, level, history) in `skill.settings`; this module walks the
workout itself and dispatches every event.
"""

from __future__ import annotations

from dataclasses import replace

from skill import catalogue, pacing, settings, talk
from skill.events import Event, Handler, Kind, Outcome
from skill.reply import Reply, Segment, line
from skill.respond import finish, move_on, say, touch
from skill.starting import begin, on_choose, on_launch, on_quick_start, on_start, resume
from skill.state import Pending, Phase, UserState

REPLY_BUDGET_SECONDS = 220.0  # Alexa allows 240 s of audio per reply; keep a margin for estimate error


# -- walking the sets ---------------------------------------------------------

def on_ready(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.phase is Phase.PAUSED:
        return resume(state, event)
    exercise = catalogue.exercise(workout.exercise_id)
    dose = talk.dose_for(exercise, state.profile)
    self_paced = state.profile.self_paced or dose.reps is None
    if workout.phase is Phase.IN_SET and self_paced:
        return after_set(state, event, ())
    if self_paced:
        state = touch(state, event, phase=Phase.IN_SET, part=0)
        return say(state, *pacing.self_paced_set(exercise, dose, workout.set_number).segments)
    chunks = pacing.guided_set(exercise, dose, workout.set_number)
    start = workout.part if workout.phase is Phase.IN_SET else 0
    return deliver(state, event, chunks, start)


def deliver(state: UserState, event: Event, chunks: tuple[pacing.Chunk, ...], start: int) -> Outcome:
    """Say as many chunks of the set as fit one reply; the rest waits for "ready"."""
    speech: list[Segment] = []
    seconds = 0.0
    index = start
    while index < len(chunks) and (not speech or seconds + chunks[index].seconds <= REPLY_BUDGET_SECONDS):
        speech += chunks[index].segments
        seconds += chunks[index].seconds
        index += 1
    if index < len(chunks):
        state = touch(state, event, phase=Phase.IN_SET, part=index)
        return say(state, *speech, line("say_ready_to_carry_on"))
    workout = state.workout
    assert workout is not None
    outcome = after_set(state, event, tuple(speech), seconds)
    after = outcome.state.workout
    if start == 0 and after is not None:  # the whole set in this reply: a stop while it plays undoes it
        before = (workout.exercise_index, workout.set_number, workout.phase)
        after = replace(after, coaching_until=event.now + seconds, before_set=before)
        outcome = replace(outcome, state=replace(outcome.state, workout=after))
    return outcome


def broken_off(state: UserState, event: Event) -> tuple[UserState, tuple[Segment, ...]]:
    """Stopped while a paced set was still being coached: put the runner back before that set."""
    workout = state.workout
    if workout is None or workout.before_set is None or event.now >= workout.coaching_until:
        return state, ()
    index, number, phase = workout.before_set
    workout = replace(workout, exercise_index=index, set_number=number, phase=phase, part=0, paused_phase=None,
                      sets_done=max(0, workout.sets_done - 1), before_set=None, coaching_until=0.0,
                      updated_at=event.now)
    return replace(state, workout=workout), (line("set_not_counted", number=number),)


def after_set(
    state: UserState, event: Event, said: tuple[Segment, ...], said_seconds: float = 0.0
) -> Outcome:
    """A set is done: rest and ask for the next set, or move on, or finish."""
    workout = state.workout
    assert workout is not None
    state = touch(state, event, sets_done=workout.sets_done + 1, part=0)
    workout = state.workout
    assert workout is not None
    exercise = catalogue.exercise(workout.exercise_id)
    rest_seconds = talk.rest_seconds(exercise, state.profile)
    rest = pacing.rest(rest_seconds)
    moving_on = workout.set_number >= talk.total_sets(workout, state.profile) and not workout.is_last_exercise
    upcoming = catalogue.exercise(workout.plan[workout.exercise_index + 1]) if moving_on else None
    intro = talk.introduce(upcoming, state.profile) if upcoming else ()  # said in this reply too: budget it
    fits = said_seconds + pacing.estimate(intro) + rest.seconds <= REPLY_BUDGET_SECONDS
    if fits:
        rest_speech: tuple[Segment, ...] = rest.segments
    else:  # moving on, the introduction itself ends by asking for "ready"
        rest_speech = (line("rest_while_setting_up" if moving_on else "rest_self_timed", seconds=rest_seconds),)
    if workout.set_number < talk.total_sets(workout, state.profile):
        state = touch(state, event, set_number=workout.set_number + 1, phase=Phase.RESTING)
        return say(state, *said, *rest_speech, line("ready_for_set", number=workout.set_number + 1))
    if workout.is_last_exercise:
        return finish(state, event, (*said, line("exercise_done", name=exercise.short_name)))
    return move_on(state, event, (*said, line("exercise_done", name=exercise.short_name), *rest_speech))


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
    return say(state, *talk.where(state.workout, state.profile), *talk.prompt(state.workout, state.profile))


def on_form_tip(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("form_no_workout"))
    exercise = catalogue.exercise(state.workout.exercise_id)
    return say(state, *talk.form_tips(exercise, state.profile), *talk.prompt(state.workout, state.profile))


def on_start_over(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return begin(state, event)
    state = touch(state, event, exercise_index=0, set_number=1, phase=Phase.INTRO, part=0, paused_phase=None)
    first = catalogue.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
    return say(state, line("starting_over"), *talk.introduce(first, state.profile), card_for=first.id)


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
        previous = catalogue.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
        return say(state, line("going_back"), *talk.introduce(previous, state.profile), card_for=previous.id)
    else:
        return say(state, line("at_the_start"), *talk.prompt(workout, state.profile))
    return say(state, line("going_back"), *talk.where(state.workout, state.profile),  # type: ignore[arg-type]
               *talk.prompt(state.workout, state.profile))


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
    return say(state, line("yes_without_question"), *talk.prompt(state.workout, state.profile))


def on_no(state: UserState, event: Event) -> Outcome:
    return say(state, line("no_without_question"), *talk.prompt(state.workout, state.profile))


def on_stop(state: UserState, event: Event) -> Outcome:
    state, note = broken_off(state, event)
    if state.workout is None:
        return say(state, line("goodbye"), end=True)
    return say(state, *note, line("stopped_saved"), *talk.where(state.workout, state.profile),
               line("how_to_come_back"), end=True)


def on_cancel(state: UserState, event: Event) -> Outcome:
    state, note = broken_off(state, event)
    return say(state, *note, line("goodbye"), end=True)


def on_help(state: UserState, event: Event) -> Outcome:
    key = "help_in_workout" if state.workout else "help_idle"
    return say(state, line(key), *talk.prompt(state.workout, state.profile))


def on_fallback(state: UserState, event: Event) -> Outcome:
    return say(state, line("fallback"), *talk.prompt(state.workout, state.profile))


def on_delete_data(state: UserState, event: Event) -> Outcome:
    state = replace(state, pending=Pending.DELETE_DATA)
    outcome = say(state, line("confirm_delete"))
    return Outcome(state, replace(outcome.reply, reprompt=(line("confirm_delete"),)))


def answer_pending(state: UserState, event: Event, pending: Pending) -> Outcome | None:
    """Yes/no answers to the question asked last turn; None when the event is something else."""
    if pending is Pending.DELETE_DATA and event.kind is Kind.YES:
        return Outcome(UserState(), Reply((line("data_deleted"),), end_session=True), forget_user=True)
    if pending is Pending.DELETE_DATA and event.kind is Kind.NO:
        return say(state, line("data_kept"), *talk.prompt(state.workout, state.profile))
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
