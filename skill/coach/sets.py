"""Walking the sets: "ready" starts or carries on a set, a set done rests or moves on.

Pure, like the rest of the state machine (`skill.coach.workout` dispatches to
these). A guided set and its rest countdown are fitted into one reply with the
request locale's speech estimate (`event.estimate`); a set too long for that is
split where the runner switches legs, so the second reply still counts the
rest. A self-paced set, or a rest that cannot be counted, is the runner's own
time: the reply says how to come back and ends the session on purpose.
"""

from __future__ import annotations

from skill.coach import lines, own_time, pacing, plan, programme
from skill.coach.events import Event, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Duration, Line, Name, Segment, line
from skill.coach.respond import finish, leave_exercise, move_on, say, touch
from skill.coach.starting import resume
from skill.coach.state import Phase, UserState

REPLY_BUDGET_SECONDS = 220.0  # our margin under the 240 s Alexa documents for audio in one reply
REST_TIP = "rest_adjustable"


def on_ready(state: UserState, event: Event) -> Outcome:
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.phase is Phase.PAUSED:
        return resume(state, event)
    exercise = programme.exercise(workout.exercise_id)
    dose = plan.dose_for(exercise, state.profile)
    if workout.phase is Phase.IN_SET and state.profile.self_paced:
        return after_set(state, event, ())
    if state.profile.self_paced:
        *said, come_back = pacing.self_paced_set(exercise, dose, workout.set_number, event.estimate).segments
        state = touch(state, event, phase=Phase.IN_SET, part=0)
        busy = pacing.own_time(exercise, dose, workout.set_number, event.estimate)
        assert isinstance(come_back, Line)
        return own_time.leave(state, event, tuple(said), seconds=busy, come_back=come_back,
                              on_screen=line("screen_tap_done"))
    chunks = pacing.guided_set(exercise, dose, workout.set_number, event.estimate)
    start = workout.part if workout.phase is Phase.IN_SET else 0
    return deliver(state, event, chunks, start)


def _following(state: UserState, event: Event, *, tip: bool) -> float:
    """Seconds of what follows the last set in the same reply: the rest countdown, and an introduction."""
    workout = state.workout
    assert workout is not None
    exercise = programme.exercise(workout.exercise_id)
    last_set = workout.set_number >= plan.total_sets(workout, state.profile)
    if last_set and workout.is_last_exercise:
        return 0.0
    opening = "rest_setting_up" if last_set else "rest_start"
    rest = plan.rest_seconds(exercise, state.profile)
    if event.device.screen:  # the screen counts the rest down: the reply only says so
        seconds = event.estimate((_on_screen(rest, last_set),))
    else:
        seconds = pacing.rest(rest, event.estimate, tip=tip, opening=opening).seconds
    if last_set:
        upcoming = programme.exercise(workout.plan[workout.exercise_index + 1])
        seconds += event.estimate(lines.introduce(upcoming, state.profile, lead="next"))
    return seconds


def deliver(state: UserState, event: Event, chunks: tuple[pacing.Chunk, ...], start: int) -> Outcome:
    """Say as many chunks of the set as fit one reply, leaving the last with room for the rest."""
    exercise = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
    switch = pacing.switch(exercise, event.estimate, carry_on=True)
    after = _following(state, event, tip=False)  # the one-time rest tip waits if it does not fit
    end = start + 1
    seconds = chunks[start].seconds
    while end < len(chunks) and seconds + switch.seconds + chunks[end].seconds <= REPLY_BUDGET_SECONDS:
        seconds += switch.seconds + chunks[end].seconds
        end += 1
    if end == len(chunks) and end - start > 1 and seconds + after > REPLY_BUDGET_SECONDS \
            and chunks[-1].seconds + after <= REPLY_BUDGET_SECONDS:
        end -= 1  # split at the switch, so the last leg and its rest countdown share a reply
        seconds -= switch.seconds + chunks[-1].seconds
    speech: list[Segment] = []
    for index in range(start, end):
        if index > start:
            speech += switch.segments
        speech += chunks[index].segments
    if end < len(chunks):
        state = touch(state, event, phase=Phase.IN_SET, part=end)
        return say(state, *speech, *pacing.switch(exercise, event.estimate, carry_on=False).segments)
    workout = state.workout
    assert workout is not None
    outcome = after_set(state, event, tuple(speech), seconds)
    following = outcome.state.workout
    if start == 0 and following is not None:  # the whole set in this reply: a request while it plays undoes it
        before = (workout.exercise_index, workout.set_number, workout.phase)
        following = replace(following, coaching_until=event.now + seconds, before_set=before,
                            coaching_session=event.session)
        outcome = Outcome(replace(outcome.state, workout=following), replace(outcome.reply, coaching=seconds))
    return outcome


def broken_off(state: UserState, event: Event) -> tuple[UserState, tuple[Segment, ...]]:
    """A request while a paced set was still being coached: put the runner back before that set."""
    workout = state.workout
    if workout is None or event.new_session or not workout.coaching(event.now, event.session):
        return state, ()
    assert workout.before_set is not None
    index, number, phase = workout.before_set
    workout = replace(workout, exercise_index=index, set_number=number, phase=phase, part=0, paused_phase=None,
                      sets_done=max(0, workout.sets_done - 1), current_sets=max(0, workout.current_sets - 1),
                      before_set=None, coaching_until=0.0, coaching_session="", updated_at=event.now)
    if index < state.workout.exercise_index and workout.done:  # type: ignore[union-attr]
        last = workout.done[-1]  # the set moved us on to the next exercise: come back to it
        workout = replace(workout, done=workout.done[:-1], current_sets=max(0, last.sets - 1), pain=last.pain)
    return replace(state, workout=workout), (line("set_not_counted", number=number),)


def _on_screen(rest: int, setting_up: bool) -> Line:
    return line("screen_setup" if setting_up else "screen_rest", duration=Duration(rest))


def _rest_alone(state: UserState, event: Event, said: tuple[Segment, ...], rest: int) -> Outcome:
    """A rest the reply does not count: on the screen, with a timer, or the runner's own."""
    come_back = line("come_back_after_rest", duration=Duration(rest))
    return own_time.leave(state, event, said, seconds=rest, come_back=come_back, on_screen=_on_screen(rest, False))


def _next_alone(state: UserState, event: Event, said: tuple[Segment, ...], rest: int) -> Outcome:
    """On to the next exercise, rested and set up on the screen's countdown, a timer's or the runner's own."""
    workout = state.workout
    assert workout is not None
    state = leave_exercise(state, event, exercise_index=workout.exercise_index + 1)
    upcoming = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
    return _set_up_alone(state, event, (*said, *lines.introduce(upcoming, state.profile, lead="next", ready=False)),
                         rest, upcoming.id)


def _set_up_alone(state: UserState, event: Event, said: tuple[Segment, ...], rest: int, upcoming: str) -> Outcome:
    come_back = line("come_back_after_setup", duration=Duration(rest))
    return own_time.leave(state, event, said, seconds=rest, card_for=upcoming, come_back=come_back,
                          on_screen=_on_screen(rest, True))


def finished_early(state: UserState, event: Event) -> Outcome:
    """ "Done" while the set was still being coached: it counts; now the rest (or what comes next)."""
    workout = state.workout
    assert workout is not None
    state = touch(state, event)
    if workout.phase is Phase.INTRO and workout.done:  # that set finished an exercise: rest, then the next
        previous = programme.exercise(workout.done[-1].exercise)
        if event.device.screen:
            seconds = plan.rest_seconds(previous, state.profile)
            upcoming = programme.exercise(workout.exercise_id)
            intro = lines.introduce(upcoming, state.profile, lead="next", ready=False)
            return _set_up_alone(state, event, (line("well_done"), *intro), seconds, upcoming.id)
        rest = pacing.rest(plan.rest_seconds(previous, state.profile), event.estimate, opening="rest_setting_up")
        upcoming = programme.exercise(workout.exercise_id)
        return say(state, line("well_done"), *lines.introduce(upcoming, state.profile, lead="next", ready=False),
                   *rest.segments, line("say_ready_to_start"), card_for=upcoming.id)
    exercise = programme.exercise(workout.exercise_id)
    if event.device.screen:
        return _rest_alone(state, event, (line("well_done"),), plan.rest_seconds(exercise, state.profile))
    rest = pacing.rest(plan.rest_seconds(exercise, state.profile), event.estimate)
    return say(state, *rest.segments, line("ready_for_set", number=workout.set_number))


def after_set(state: UserState, event: Event, said: tuple[Segment, ...], said_seconds: float = 0.0) -> Outcome:
    """A set is done: rest and ask for the next set, or move on, or finish."""
    workout = state.workout
    assert workout is not None
    state = touch(state, event, sets_done=workout.sets_done + 1, current_sets=workout.current_sets + 1, part=0)
    workout = state.workout
    assert workout is not None
    exercise = programme.exercise(workout.exercise_id)
    done = line("exercise_done", name=Name(exercise.id, "short"))
    last_set = workout.set_number >= plan.total_sets(workout, state.profile)
    if last_set and workout.is_last_exercise:  # "workout complete" says it all
        return finish(state, event, said)
    seconds = plan.rest_seconds(exercise, state.profile)
    room = REPLY_BUDGET_SECONDS - said_seconds
    screen = event.device.screen
    tip = not screen and REST_TIP not in state.profile.tips and _following(state, event, tip=True) <= room
    fits = not screen and (tip or _following(state, event, tip=False) <= room)
    if not fits:  # the screen counts the rest, or there is no room to: the runner's own time
        if not last_set:
            state = touch(state, event, set_number=workout.set_number + 1, phase=Phase.RESTING)
            return _rest_alone(state, event, said, seconds)
        return _next_alone(state, event, (*said, done), seconds)
    rest = pacing.rest(seconds, event.estimate, tip=tip, opening="rest_setting_up" if last_set else "rest_start")
    if tip:
        state = replace(state, profile=replace(state.profile, tips=state.profile.tips | {REST_TIP}))
    if not last_set:
        state = touch(state, event, set_number=workout.set_number + 1, phase=Phase.RESTING)
        return say(state, *said, *rest.segments, line("ready_for_set", number=workout.set_number + 1))
    return move_on(state, event, (*said, done), rest=rest.segments)
