"""Building an Outcome: the reply plus the reprompt, card and screen that go with the state."""

from __future__ import annotations

from dataclasses import replace

from skill import catalogue, talk
from skill.events import Event, Outcome
from skill.reply import Reply, Segment
from skill.state import UserState


def say(state: UserState, *speech: Segment, end: bool = False, card_for: str | None = None) -> Outcome:
    """An open session is always reprompted with what the runner can say now (no dead ends)."""
    card = talk.card(catalogue.exercise(card_for), state.profile) if card_for else None
    reprompt = () if end else talk.prompt(state.workout, state.profile)
    reply = Reply(tuple(speech), reprompt, end, card, talk.screen(state.workout, state.profile))
    return Outcome(state, reply)


def touch(state: UserState, event: Event, **changes: object) -> UserState:
    """Change the workout and mark it used now (which keeps it from expiring)."""
    assert state.workout is not None
    return replace(state, workout=replace(state.workout, updated_at=event.now, **changes))
