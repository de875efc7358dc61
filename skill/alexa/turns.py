"""One spoken turn between the request and the store: the coach event, the Alexa API work the turn needs,
the pure step, and the Change to write.

`event_for` turns a request into a coach Event (who is speaking, whether the
reminders permission is granted). `Turn.compute` is what `Store.turn` runs on the
state it read: it refreshes the device's settings when due (`device_settings`),
does any reminder effect the coach names (`skill.alexa.reminders`), steps the
coach (a voice profile's turn through `skill.coach.household`), and renders the
reply. API calls are made at most once per request however often compute runs
(a lost compare-and-set recomputes on fresh state), and a failed call is only
ever a sentence in the reply: it never fails the turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ask_sdk_model import RequestEnvelope

from skill.alexa import device_settings, identity, reminders, requests
from skill.alexa.api import AlexaApi, ApiObserver
from skill.coach import household, workout
from skill.coach import reminders as coach_reminders
from skill.coach.events import Event, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Reply, line
from skill.coach.state import Pending, UserState
from skill.store import Change, Household
from skill.voice import wording
from skill.voice.content import Content

Render = Callable[[Reply], str]


def event_for(envelope: RequestEnvelope, now: float, content: Content) -> Event:
    """The coach event for a launch, an intent or a screen's event (`skill.alexa.requests`), with who is
    speaking and what they allowed."""
    event = requests.event_for(envelope, now, content)
    return replace(event, person=identity.person_id(envelope) is not None, can_remind=identity.can_remind(envelope))


@dataclass
class Turn:
    """One request's turn. `api` is None when the request carries no API endpoint (a test client, the chat)."""

    event: Event
    content: Content
    render: Render
    api: AlexaApi | None = None
    device: str = ""                 # the device's hash (its settings are remembered per device)
    device_id: str | None = None
    person: bool = False
    _done: dict[str, Any] = field(default_factory=dict)  # API answers, kept across recomputes
    computed: str | None = None      # the reply this request computed last (a replay's reply is not one)

    def step(self, state: UserState, home: Household) -> Outcome:
        """The pure step on `state`, after the API work the turn needs."""
        state = self._settings(state)
        event = replace(self.event, persons=home.persons)
        wanted = coach_reminders.effect(state, event)
        if wanted is not None:
            if "reminders" not in self._done:
                text = wording.say(line("reminder_text"), self.content)
                self._done["reminders"] = reminders.perform(wanted, self.api, text, self.content.locale, event.now)
            event = replace(event, api=self._done["reminders"])
        if self.person:
            return household.step(state, event, home.account)
        return workout.step(state, event)

    def _settings(self, state: UserState) -> UserState:
        profile = state.profile
        if self.api is None or not self.device_id or not device_settings.due(profile, self.device, self.event.now):
            return state
        if "settings" not in self._done:
            self._done["settings"] = device_settings.fetch(self.api, self.device_id)
        profile = device_settings.apply(profile, self._done["settings"], self.device, self.event.now)
        return replace(state, profile=profile)

    def compute(self, state: UserState, home: Household) -> Change | str:
        """What Store.turn runs: a Change to write, or just the reply when nothing changed."""
        outcome = self.step(state, home)
        rendered = self.render(outcome.reply)
        self.computed = rendered
        forget = outcome.forget_user or outcome.forget_everyone
        if outcome.state == state and not forget and outcome.account is None:
            return rendered  # nothing to write: one round trip
        # Asking "delete everything?" must work even when Redis is full, or the runner could not delete.
        essential = outcome.state.pending in (Pending.DELETE_DATA, Pending.DELETE_EVERYONE)
        return Change(outcome.state, rendered, outcome.forget_user, essential, outcome.account,
                      outcome.state.pending is Pending.CLAIM_PROGRESS, outcome.forget_everyone)


def for_request(envelope: RequestEnvelope, event: Event, content: Content, render: Render, pepper: bytes,
                observe: ApiObserver | None = None) -> Turn:
    return Turn(event, content, render, AlexaApi.for_request(envelope, observe),
                identity.device_hash(envelope, pepper), identity.device_id(envelope),
                identity.person_id(envelope) is not None)
