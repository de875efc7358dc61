"""Replaying crawl paths through the real app, with the pure workout running alongside as the oracle.

Each request is built from the interaction model's intents and slot values,
sent through Flask, Redis and ask-sdk, and its response compared with what
`skill.coach.workout.step` + `skill.voice.render.render` say for the same event and
the same phrase variant (the request id picks it). A difference means the
HTTP path (intent mapping, store round trip, repeat cache, APL wiring) does
not do what the pure workout decided.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from simulator.envelopes import slot_payload
from skill.alexa import intents, turns
from skill.alexa.identity import REMINDERS_SCOPE
from skill.alexa.requests import INTENT_EVENTS
from skill.alexa.session import LAST_REPLY_ATTRIBUTE
from skill.coach import screens
from skill.coach.events import TIMERS_GRANTED, TIMERS_NONE, Event, Kind
from skill.coach.reply import Reply
from skill.coach.state import UserState
from skill.store import Household, keys
from skill.voice import apl, render
from skill.voice.content import Content, for_locale
from skill.voice.wording import stable_hash
from tests.crawl import PHRASES, STALE
from tests.runner import Runner, Turn

MODELS = Path(__file__).resolve().parent.parent / "interaction_models"
DURATIONS = ("PT90S", "PT1M30S", "PT5S", "PT10M", "soon")  # the last one is not ISO 8601: "unclear"
TIMES = ("07:00", "18:30", "EV", "25:00")  # AMAZON.TIME: a part of the day ("EV") or nonsense is asked again
Slots = dict[str, tuple[str, str | None]]
_serializer = DefaultSerializer()
_INTENT_FOR: dict[Kind, str] = {kind: name for name, kind in reversed(INTENT_EVENTS.items())}  # first wins


def model_intents(locale: str = "en-US") -> Iterator[tuple[str, Slots]]:
    """Every intent the locale's model defines, once per slot value (plus one value entity resolution misses)."""
    model = MODELS / f"{locale}.json"
    language = json.loads(model.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    types = {t["name"]: t["values"] for t in language.get("types", [])}
    for intent in language["intents"]:
        slots = intent.get("slots", [])
        if not slots:
            yield intent["name"], {}
        for slot in slots:
            if slot["type"] == "AMAZON.DURATION":
                values: list[tuple[str, str | None]] = [(d, "") for d in DURATIONS]
            elif slot["type"] == "AMAZON.TIME":
                values = [(t, "") for t in TIMES]
            else:
                values = [(v["name"]["value"], v["id"]) for v in types[slot["type"]]] + [("the moon", None)]
            for spoken, resolved in values:
                yield intent["name"], {slot["name"]: (spoken, resolved)}


def intent_for(event: Event, content: Content = PHRASES) -> tuple[str, Slots]:
    """The intent (and slot) a device in `content`'s locale sends for a crawl event."""
    if event.kind is Kind.UNCLEAR:
        unclear = {"exercise": (intents.CHOOSE_EXERCISE, intents.EXERCISE_SLOT, "the moon"),
                   "equipment": (intents.HAVE_EQUIPMENT, intents.EQUIPMENT_SLOT, "the moon"),
                   "duration": (intents.SET_REST, intents.DURATION_SLOT, "soon"),
                   "days": (intents.SET_REMINDER, intents.DAY_SLOT, "the moon"),
                   "time": (intents.MOVE_REMINDER, intents.TIME_SLOT, "EV")}
        name, slot, spoken = unclear[event.unclear or "duration"]
        return name, {slot: (spoken, "" if slot in (intents.DURATION_SLOT, intents.TIME_SLOT) else None)}
    name = _INTENT_FOR[event.kind]
    if event.time:  # a reminder: its days by their codes, its time as AMAZON.TIME writes it
        slots: Slots = {intents.TIME_SLOT: (f"{event.time[0]:02}:{event.time[1]:02}", "")}
        for slot_name, day in zip(intents.DAY_SLOTS, event.days, strict=False):
            slots[slot_name] = (content.weekday_names[day][0], day)
        return name, slots
    if event.exercise:
        return name, {intents.EXERCISE_SLOT: (content.exercises[event.exercise].short, event.exercise)}
    if event.equipment:
        return name, {intents.EQUIPMENT_SLOT: (content.equipment[event.equipment].synonyms[0], event.equipment)}
    if event.seconds is not None:
        return name, {intents.DURATION_SLOT: (f"PT{event.seconds}S", "")}
    return name, {}


@dataclass
class Replayer:
    """One device talking to the app while the pure workout predicts every response."""

    runner: Runner
    state: UserState = field(default_factory=UserState)
    turns: int = 0
    directives: int = 0
    screen_events: int = 0
    last_at: float = 0.0  # the crawl's time of the last event: a long gap before a heartbeat means nobody tapped

    @property
    def content(self) -> Content:
        """What the app speaks for the device's locale (the closest published one)."""
        return for_locale(self.runner.device.locale)

    def launch(self) -> Turn:
        return self._send(self.runner.device.launch())

    def say(self, intent: str, slots: Slots, *, new_session: bool = False) -> Turn:
        payload = {name: slot_payload(name, spoken, resolved) for name, (spoken, resolved) in slots.items()}
        return self._send(self.runner.device.intent(intent, payload, new_session=new_session))

    def event(self, event: Event) -> Turn:
        """The crawl's event from this device: its kind of device, and a screen's event at its position now."""
        gap, self.last_at = event.now - self.last_at, event.now
        self._as_device(event)
        if event.kind is Kind.LAUNCH:
            return self.launch()
        if event.step:
            return self._screen_event(event, gap)
        name, slots = intent_for(event, self.content)
        return self.say(name, slots, new_session=event.new_session)

    def _as_device(self, event: Event) -> None:
        device = self.runner.device
        device.apl = device.apl or event.device.screen
        if event.device.timers != TIMERS_NONE:  # the API on a closed loopback port: every call fails at once
            device.api_endpoint = "http://127.0.0.1:9"
            device.permissions = {"alexa::alerts:timers:skill:readwrite": "GRANTED"} \
                if event.device.timers == TIMERS_GRANTED else {}

    def _screen_event(self, event: Event, gap: float) -> Turn:
        """The position the screen would show now (the crawl's clock differs from the device's), when it comes."""
        workout, clock = self.state.workout, self.runner.clock
        self.screen_events += 1
        step = event.step if event.step == STALE or workout is None else screens.position(workout)
        if workout is not None and clock is not None:
            if event.kind is Kind.REST_OVER:
                clock.now = max(clock.now, workout.own_until)
            elif event.kind is Kind.HEARTBEAT and gap > screens.WALK_AWAY_SECONDS:
                clock.now = max(clock.now, workout.own_until, workout.updated_at) + screens.WALK_AWAY_SECONDS + 1
        return self._send(self.runner.device.user_event(event.kind.value, step))

    def _send(self, envelope: dict[str, Any]) -> Turn:
        cached = envelope["session"]["attributes"].get(LAST_REPLY_ATTRIBUTE)
        request = _serializer.deserialize(json.dumps(envelope), RequestEnvelope)
        now = self.runner.clock() if self.runner.clock else time.time()  # what the app's clock says
        user_event = envelope["request"]["type"].endswith("UserEvent")
        turn = self.runner.send(envelope, allow_empty=user_event)  # a valid Alexa response with no dead end
        self.turns += 1
        assert turn.status == 200, turn.payload
        repeat = request.request.object_type == "IntentRequest" and request.request.intent.name == intents.REPEAT
        if repeat and cached and now >= (json.loads(cached["reply"]).get("until") or 0):
            expected = json.loads(cached["reply"])  # "repeat that": the session's last reply, state untouched
        else:  # the app's own turn (skill.alexa.turns) on the pure state, the Alexa APIs as the device has them
            event = turns.event_for(request, now, self.content)
            variant = stable_hash(request.request.request_id)
            def rendered(reply: Reply, variant: int = variant) -> str:
                return render.render(reply, self.content, variant, now)

            turn_ = turns.for_request(request, event, self.content, rendered, keys.DEFAULT_PEPPER)
            outcome = turn_.step(self.state, Household())
            self.state = outcome.state
            expected = json.loads(rendered(outcome.reply))
        self._compare(turn, expected)
        return turn

    def _compare(self, turn: Turn, expected: dict[str, Any]) -> None:
        response = turn.response
        if expected.get("quiet"):
            assert response == {}, response
            return
        assert ("shouldEndSession" not in response) == bool(expected.get("hands_free") and self.runner.device.apl)
        if turn.ssml != expected["ssml"]:
            at = next((i for i, (a, b) in enumerate(zip(turn.ssml, expected["ssml"], strict=False)) if a != b), 0)
            raise AssertionError(f"app said {turn.ssml[at:at + 80]!r}, workout says {expected['ssml'][at:at + 80]!r}")
        assert turn.ends == (expected["end"] and not expected.get("hands_free"))
        card = response.get("card")
        if expected.get("permission"):  # the Alexa app's consent card, instead of any card of ours
            assert card == {"type": "AskForPermissionsConsent", "permissions": [REMINDERS_SCOPE]}, card
            card = None
        elif expected.get("ask_timer_permission"):  # the permission card, once, in place of any exercise card
            assert card == {"type": "AskForPermissionsConsent", "permissions": ["alexa::alerts:timers:skill:readwrite"]}
            card = None
        else:
            assert (card is not None) == (expected["card"] is not None)
        if card:
            assert card["type"] == "Simple" and [card["title"], card["content"]] == expected["card"]
        directives = [d for d in response.get("directives", []) if d["type"].startswith("Alexa.Presentation")]
        chart = expected.get("chart")
        wanted = self.runner.device.apl and (expected["screen"] is not None or chart is not None)
        assert len(directives) == (1 if wanted else 0), (self.runner.device.apl, expected["screen"], directives)
        if directives:
            self.directives += 1
            assert directives[0]["type"] == "Alexa.Presentation.APL.RenderDocument"
            if chart is not None:  # "how am I doing?": the progress screen
                assert directives[0]["token"] == apl.PROGRESS_TOKEN
                assert directives[0]["datasources"] == apl.progress_datasources(chart, self.content)
                return
            assert directives[0]["token"] == apl.TOKEN
            assert directives[0]["datasources"] == apl.datasources(expected["screen"], self.content)
