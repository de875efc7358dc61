"""Building an Outcome (the reply plus the reprompt, card and screen that go with the state), and the
two transitions that both the workout and the settings can cause: moving on, and finishing."""

from __future__ import annotations

from skill.coach import history, lines, programme
from skill.coach.events import Event, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Count, Reply, Segment, line
from skill.coach.state import HistoryEntry, Phase, UserState


def say(state: UserState, *speech: Segment, end: bool = False, card_for: str | None = None) -> Outcome:
    """An open session is always reprompted with what the runner can say now (no dead ends)."""
    card = lines.card(programme.exercise(card_for), state.profile) if card_for else None
    reprompt = () if end else lines.prompt(state.workout, state.profile)
    reply = Reply(tuple(speech), reprompt, end, card, lines.screen(state.workout, state.profile))
    return Outcome(state, reply)


def touch(state: UserState, event: Event, **changes: object) -> UserState:
    """Change the workout and mark it used now (which keeps it from expiring).

    Any move forgets how to undo the last paced set: once the runner has moved on, a "stop" must
    not put them back (`skill.coach.workout.deliver` sets it again after a set).
    """
    assert state.workout is not None
    changes = {"coaching_until": 0.0, "before_set": None, **changes}
    return replace(state, workout=replace(state.workout, updated_at=event.now, **changes))


def move_on(state: UserState, event: Event, said: tuple[Segment, ...]) -> Outcome:
    workout = state.workout
    assert workout is not None
    state = touch(state, event, exercise_index=workout.exercise_index + 1, set_number=1,
                  phase=Phase.INTRO, part=0, paused_phase=None)
    upcoming = programme.exercise(state.workout.exercise_id)  # type: ignore[union-attr]
    return say(state, *said, line("next_up"), *lines.introduce(upcoming, state.profile), card_for=upcoming.id)


def finish(state: UserState, event: Event, said: tuple[Segment, ...]) -> Outcome:
    """Record the workout in the history and end the session on purpose."""
    workout = state.workout
    assert workout is not None
    entry = HistoryEntry(event.now, workout.plan[: workout.exercise_index + 1], workout.sets_done)
    profile = state.profile.with_history(entry)
    count = history.this_week(profile.history, event.now)
    state = replace(state, profile=profile, workout=None)
    return say(state, *said, line("workout_complete", workouts=Count(count, "workout")), end=True)
