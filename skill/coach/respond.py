"""Building an Outcome (the reply plus the reprompt, card and screen that go with the state), and the
transitions that the workout, the settings and the questions can all cause: moving on and finishing."""

from __future__ import annotations

from skill.coach import lines, programme, progression
from skill.coach.events import Event, Outcome
from skill.coach.evolve import replace
from skill.coach.programme import Level
from skill.coach.reply import Count, Line, Names, Reply, Segment, line
from skill.coach.state import ExerciseDone, HistoryEntry, Phase, UserState, record

MIC_WINDOW_SECONDS = 16.0  # a device listens ~8 s after a reply, plays the reprompt, listens ~8 s more


def say(state: UserState, *speech: Segment, end: bool = False, card_for: str | None = None,
        away: float = 0.0) -> Outcome:
    """An open session is always reprompted with what the runner can say now (no dead ends)."""
    card = lines.card(programme.exercise(card_for), state.profile) if card_for else None
    reprompt = () if end else lines.prompt(state)
    reply = Reply(tuple(speech), reprompt, end, card, lines.screen(state.workout, state.profile), away)
    return Outcome(state, reply)


def touch(state: UserState, event: Event, **changes: object) -> UserState:
    """Change the workout and mark it used now (which keeps it from expiring).

    Any move forgets how to undo the last paced set: once the runner has moved on, a request during
    that set's coaching must not put them back (`skill.coach.sets.deliver` sets it again after a set).
    """
    assert state.workout is not None
    changes = {"coaching_until": 0.0, "before_set": None, "coaching_session": "", "own_until": 0.0, "timer_until": 0.0,
               **changes}
    return replace(state, workout=replace(state.workout, updated_at=event.now, **changes))


def leave_exercise(state: UserState, event: Event, **changes: object) -> UserState:
    """Move off the current exercise, keeping what was done of it for the history."""
    workout = state.workout
    assert workout is not None
    done = workout.done
    if workout.current_sets:
        level = state.profile.level(workout.exercise_id)
        done = (*done, ExerciseDone(workout.exercise_id, workout.current_sets, level, workout.pain))
    return touch(state, event, done=done, current_sets=0, pain=False, set_number=1, phase=Phase.INTRO, part=0,
                 paused_phase=None, **changes)


def move_on(state: UserState, event: Event, said: tuple[Segment, ...], *, rest: tuple[Segment, ...] = (),
            come_back: Line | None = None, away: float = 0.0) -> Outcome:
    """On to the next exercise: introduced, then `rest` (a countdown to set up in), then "say ready".

    With `come_back` the runner rests and sets up on their own time: the introduction ends by saying
    how to come back, and the session ends on purpose.
    """
    workout = state.workout
    assert workout is not None
    state = leave_exercise(state, event, exercise_index=workout.exercise_index + 1)
    upcoming = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
    intro = lines.introduce(upcoming, state.profile, lead="next", ready=False)
    if come_back is not None:
        return say(state, *said, *intro, come_back, end=True, card_for=upcoming.id, away=away)
    if progression.ready_to_step_up(state.profile, upcoming.id):  # asked after the rest, before its first set
        state, question = progression.offer(state, upcoming.id)
        return say(state, *said, *intro, *rest, question, card_for=upcoming.id)
    return say(state, *said, *intro, *rest, line("say_ready_to_start"), card_for=upcoming.id)


def finish(state: UserState, event: Event, said: tuple[Segment, ...], *, early: bool = False) -> Outcome:
    """Record the workout in the history (partial when ended early) and end the session on purpose: what was
    done, the week against the plan, and any exercise that hurt (it is a level easier next time)."""
    workout = state.workout
    assert workout is not None
    if not workout.sets_done:  # nothing was done: nothing to record
        state = replace(state, workout=None)
        return say(state, *said, line("workout_ended_nothing_done"), end=True)
    entry = record(workout, state.profile, event.now, partial=early)
    profile = state.profile.with_history(entry)
    state = replace(state, profile=profile, workout=None)
    key = "finished_early" if early else "finished_complete"
    return say(state, *said, line(key, sets=Count(entry.sets_done, "set")),
               lines.week_after_workout(profile, event.now), *_after_pain(entry), end=True)


def _after_pain(entry: HistoryEntry) -> tuple[Line, ...]:
    """What the deload rule does to the exercises that hurt: a level easier next time, or (at the easiest
    level already) a word to go gently."""
    hurt = [done for done in entry.log if done.pain]
    easier = tuple(dict.fromkeys(d.exercise for d in hurt if d.level is not Level.EASIER))
    gentle = tuple(dict.fromkeys(d.exercise for d in hurt if d.level is Level.EASIER))
    return ((line("easier_next_time", names=Names(easier, "short")),) if easier else ()) + (
        (line("gently_next_time", names=Names(gentle, "short")),) if gentle else ())
