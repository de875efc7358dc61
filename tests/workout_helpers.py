"""Helpers for driving the pure workout: a clock, a walker and readable text. No Redis, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field

from skill.coach.events import Event, Kind, Outcome
from skill.coach.reply import Reply
from skill.coach.state import UserState
from skill.coach.workout import step
from skill.voice.content import for_locale
from skill.voice.speech import estimator, render_text

REACTION_SECONDS = 3.0  # the runner answers a few seconds after a reply has played

PHRASES = for_locale("en-US")
ESTIMATE = estimator(PHRASES)
MONDAY_NOON = 1_796_040_000.0  # 2026-11-30 12:00 UTC, a Monday: week counts are predictable


def event(kind: Kind, now: float, new_session: bool = False, **details: object) -> Event:
    """An event timed with the en-US estimator, as an en-US request would carry."""
    return Event(kind, now, new_session, **details, estimate=ESTIMATE)  # type: ignore[arg-type]


def text(reply: Reply) -> str:
    return render_text(reply.speech, PHRASES)


def reprompt(reply: Reply) -> str:
    return render_text(reply.reprompt, PHRASES)


@dataclass
class Walker:
    """Applies events one after another in device time: each after the last reply has played and the
    runner has reacted (`interrupt(after)` barges in instead), keeping the last outcome."""

    state: UserState = field(default_factory=UserState)
    now: float = MONDAY_NOON
    last: Outcome | None = None
    reply_started: float = MONDAY_NOON

    def __call__(self, kind: Kind, **details: object) -> Outcome:
        self.last = step(self.state, event(kind, self.now, **details))
        self.state = self.last.state
        self.reply_started = self.now
        self.now += ESTIMATE(self.last.reply.speech) + REACTION_SECONDS
        return self.last

    def wait(self, seconds: float) -> None:
        self.now += seconds

    def interrupt(self, after: float) -> None:
        """The next event barges in `after` seconds into the last reply."""
        self.now = self.reply_started + after

    def said(self, kind: Kind, **details: object) -> str:
        return text(self(kind, **details).reply)

    def finish_workout(self, limit: int = 60) -> int:
        """Say "ready" until the workout ends; returns the number of turns it took."""
        for turn in range(1, limit + 1):
            if self(Kind.READY).state.workout is None:
                return turn
        raise AssertionError("workout did not finish")
