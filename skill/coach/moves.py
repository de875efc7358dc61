"""Moving around the workout: next or skip an exercise, finish early, go back, start over, stop, pause.

Pure, like the rest of the state machine. Moving on with sets left says what
is skipped; the last exercise is finished only on purpose ("finish", "that's
enough for today"); stop, cancel and pause keep the workout for a day, and an
ended or abandoned workout is recorded with what was done.
"""

from __future__ import annotations

from skill.coach import lines, plan, programme
from skill.coach.events import Event, Kind, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Count, Name, Segment, line
from skill.coach.respond import finish, move_on, say, touch
from skill.coach.sets import on_ready
from skill.coach.starting import begin, resume
from skill.coach.state import Pending, Phase, UserState

BREAK_SECONDS = 120.0  # "hold on": the runner's own time, longer than the microphone stays open


def skipping(state: UserState) -> tuple[Segment, ...]:
    """What moving on now leaves out of the current exercise: nothing, some sets, or all of it."""
    workout = state.workout
    assert workout is not None
    name = Name(workout.exercise_id, "short")
    left = plan.total_sets(workout, state.profile) - workout.current_sets
    if workout.current_sets == 0:
        return (line("skipping_exercise", name=name),)
    return (line("skipping_sets", sets=Count(left, "last_sets"), name=name),) if left > 0 else ()


def on_next_exercise(state: UserState, event: Event) -> Outcome:
    """ "Next exercise" / "skip": on to the next one, saying what is skipped. On the last one the workout
    ends only on purpose: "skip" offers a swap, "next exercise" says how to finish."""
    workout = state.workout
    if workout is None:
        return begin(state, event, preface=(line("no_workout_starting"),))
    if event.new_session:  # "Alexa, ask hamstring coach for the next exercise" an hour later: carry on
        return resume(state, event)
    if not workout.is_last_exercise:
        return move_on(state, event, skipping(state))
    spare = [e for e in plan.ROTATION if e not in workout.plan and plan.can_do(programme.exercise(e), state.profile)]
    if event.kind is Kind.SKIP and spare:
        state = replace(state, pending=Pending.SWAP_OFFER, workout=replace(workout, offer=spare[0]))
        return say(state, line("swap_offer", name=Name(workout.exercise_id, "short"), other=Name(spare[0])))
    return say(state, line("last_exercise_finish_how"), *lines.prompt(state))


def on_next(state: UserState, event: Event) -> Outcome:
    """AMAZON.NextIntent: the next step. At an introduction that is the next exercise, else the next set."""
    workout = state.workout
    if workout is not None and workout.phase is Phase.INTRO and not event.new_session:
        return on_next_exercise(state, event)
    return on_ready(state, event) if workout else begin(state, event)


def on_finish(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("no_workout"))
    return finish(state, event, (line("finishing_early"),), early=True)


def on_repeat_set(state: UserState, event: Event) -> Outcome:
    """ "Repeat the set": the last set done is coached again (and counts once), or this one from its start."""
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.phase is Phase.RESTING and workout.current_sets and workout.set_number > 1:
        state = touch(state, event, set_number=workout.set_number - 1, sets_done=workout.sets_done - 1,
                      current_sets=workout.current_sets - 1, part=0)
    elif workout.phase is Phase.IN_SET:
        state = touch(state, event, phase=Phase.RESTING, part=0)
    else:
        return say(state, line("no_set_to_repeat"), *lines.prompt(state))
    return on_ready(state, event)


def on_start_over(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return begin(state, event)
    state = touch(state, event, exercise_index=0, set_number=1, phase=Phase.INTRO, part=0, paused_phase=None)
    first = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
    return say(state, *lines.introduce(first, state.profile, lead="over"), card_for=first.id)


def on_go_back(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.set_number > 1:  # the set before is done again, so it stops counting
        undo = 1 if workout.current_sets else 0
        state = touch(state, event, set_number=workout.set_number - 1, phase=Phase.RESTING, part=0,
                      paused_phase=None, sets_done=workout.sets_done - undo, current_sets=workout.current_sets - undo)
        return say(state, line("going_back"), *lines.where(state.workout, state.profile),  # type: ignore[arg-type]
                   *lines.prompt(state))
    if workout.exercise_index > 0:
        state = touch(state, event, exercise_index=workout.exercise_index - 1, set_number=1,
                      phase=Phase.INTRO, part=0, paused_phase=None)
        previous = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
        return say(state, *lines.introduce(previous, state.profile, lead="back"), card_for=previous.id)
    return say(state, line("at_the_start"), *lines.prompt(state))


def on_pause(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.phase is not Phase.PAUSED:
        state = touch(state, event, phase=Phase.PAUSED, paused_phase=workout.phase)
    return say(state, line("paused"), line("come_back_continue"), end=True)


def on_resume(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return begin(state, event, preface=(line("no_workout_starting"),))
    return resume(state, event)


def on_break(state: UserState, event: Event) -> Outcome:
    """ "Hold on": a short break that keeps the workout right here; the runner comes back when ready."""
    if state.workout is None:
        return say(state, line("no_workout"))
    return say(state, line("take_a_break"), line("come_back_ready"), end=True, away=BREAK_SECONDS)


def on_stop(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("goodbye"), end=True)
    return say(state, line("stopped_saved"), *lines.where(state.workout, state.profile), line("come_back_continue"),
               end=True)


def on_cancel(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("goodbye"), end=True)
    return say(state, line("cancelled_saved"), line("come_back_continue"), end=True)
