"""Walking the sets: "ready" starts or carries on a set, a set done rests or moves on.

Pure, like the rest of the state machine (`skill.coach.workout` dispatches to
these). A guided set and its rest are fitted into one reply with the request
locale's speech estimate (`event.estimate`); what does not fit waits for "ready".
"""

from __future__ import annotations

from skill.coach import lines, pacing, plan, programme
from skill.coach.events import Event, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Name, Segment, line
from skill.coach.respond import finish, move_on, say, touch
from skill.coach.starting import resume
from skill.coach.state import Phase, UserState

REPLY_BUDGET_SECONDS = 220.0  # Alexa allows 240 s of audio per reply; keep a margin for estimate error


def on_ready(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.phase is Phase.PAUSED:
        return resume(state, event)
    exercise = programme.exercise(workout.exercise_id)
    dose = plan.dose_for(exercise, state.profile)
    self_paced = state.profile.self_paced or dose.reps is None
    if workout.phase is Phase.IN_SET and self_paced:
        return after_set(state, event, ())
    if self_paced:
        state = touch(state, event, phase=Phase.IN_SET, part=0)
        return say(state, *pacing.self_paced_set(exercise, dose, workout.set_number, event.estimate).segments)
    chunks = pacing.guided_set(exercise, dose, workout.set_number, event.estimate)
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
    exercise = programme.exercise(workout.exercise_id)
    rest_seconds = plan.rest_seconds(exercise, state.profile)
    rest = pacing.rest(rest_seconds, event.estimate)
    moving_on = workout.set_number >= plan.total_sets(workout, state.profile) and not workout.is_last_exercise
    upcoming = programme.exercise(workout.plan[workout.exercise_index + 1]) if moving_on else None
    intro = lines.introduce(upcoming, state.profile) if upcoming else ()  # said in this reply too: budget it
    fits = said_seconds + event.estimate(intro) + rest.seconds <= REPLY_BUDGET_SECONDS
    if fits:
        rest_speech: tuple[Segment, ...] = rest.segments
    else:  # moving on, the introduction itself ends by asking for "ready"
        rest_speech = (line("rest_while_setting_up" if moving_on else "rest_self_timed", seconds=rest_seconds),)
    if workout.set_number < plan.total_sets(workout, state.profile):
        state = touch(state, event, set_number=workout.set_number + 1, phase=Phase.RESTING)
        return say(state, *said, *rest_speech, line("ready_for_set", number=workout.set_number + 1))
    done = line("exercise_done", name=Name(exercise.id, "short"))
    if workout.is_last_exercise:
        return finish(state, event, (*said, done))
    return move_on(state, event, (*said, done, *rest_speech))
