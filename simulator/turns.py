"""One simulated conversation: typed text -> a real request envelope -> the skill -> a readable reply.

Shared by the terminal chat and the browser simulator so both hear the skill
the same way. How an envelope reaches the skill is a `Transport` (in-process
test client, HTTP, or the simulator page's direct call); everything shown to
the runner is read back out of the Alexa response itself (speech, reprompt,
card, and the screen data the skill keeps in the `last_reply` session
attribute), so a remote webhook over --url shows exactly what a local one does.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from simulator.echo import play_seconds
from simulator.envelopes import Device, slot_payload
from simulator.resolver import Resolution, Resolver
from skill.coach import programme
from skill.voice.content import for_locale, supported_locale

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"
DEFAULT_USER = "runner"
LAST_REPLY_ATTRIBUTE = "last_reply"  # where skill.handlers keeps the rendered reply (card and screen)

Transport = Callable[[dict[str, Any]], dict[str, Any]]
_BREAKS = re.compile(r'(?:\s*<break\s+time="(\d+(?:\.\d+)?)(ms|s)"\s*/>)+\s*')
_ONE_BREAK = re.compile(r'time="(\d+(?:\.\d+)?)(ms|s)"')
_NAME_TAG = re.compile(r"\s*<alexa:name\b[^>]*/>")
_TAG = re.compile(r"<[^>]*>")
_SESSION_ID = re.compile(r"amzn1\.echo-api\.session\.[0-9a-f-]{36}")
_DEVICE_ID = re.compile(r"amzn1\.ask\.device\.[0-9a-f]{32}")
_EXERCISE_IDS = frozenset(programme.exercise_ids())


class TransportError(RuntimeError):
    """The skill could not be reached, or answered with something other than an Alexa response."""


@cache
def default_resolver(locale: str = "en-US") -> Resolver:
    """A locale's model, read once per process (it is what a device in that locale resolves against)."""
    return Resolver.from_model_file(MODELS_DIR / f"{supported_locale(locale)}.json")


def user_id_for(name: str) -> str:
    """A stable Alexa user id per runner name, so a later session (or process) resumes their workout.

    The "local-" marker keeps simulated runners apart from real Alexa accounts.
    """
    digest = hashlib.sha256(name.strip().lower().encode("utf-8")).hexdigest()[:24]
    return f"amzn1.ask.account.local-{digest}"


def _pause_label(match: re.Match[str]) -> str:
    """A run of chained <break/> tags as one "[pause 25 s]" (the skill splits pauses over 10 s)."""
    ms = 0.0
    for amount, unit in _ONE_BREAK.findall(match.group(0)):
        ms += float(amount) * (1 if unit == "ms" else 1000)
    seconds = f"{ms / 1000:.3f}".rstrip("0").rstrip(".")
    return f" [pause {seconds} s] "


def ssml_to_text(ssml: str | None) -> str:
    """SSML -> readable text with pauses shown as "[pause X s]", a recognised speaker's name (which Alexa says)
    as "⟨name⟩"; other tags dropped, entities decoded."""
    text = _NAME_TAG.sub(" \u27e8name\u27e9", _BREAKS.sub(_pause_label, ssml or ""))
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


@dataclass(frozen=True)
class ReplyView:
    """What the runner sees of one turn; `as_json()` is the browser simulator's turn answer."""

    heard: dict[str, Any]  # {"intent": name or request type, "slots": {slot: value}}
    text: str
    reprompt: str | None
    ended: bool
    card: dict[str, str] | None  # the Alexa card: {"title", "content"}
    screen: dict[str, Any] | None  # {"exercise_id", "set_number", "total_sets", "status"}
    exercise: dict[str, Any] | None  # screen + name, dose, steps: what the page's exercise card shows
    seconds: float = 0.0             # how long the reply plays on a device
    reprompt_seconds: float = 0.0
    display: dict[str, Any] | None = None  # the APL screen's data (countdown, wake-up, buttons), when one was sent

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def heard(resolution: Resolution) -> dict[str, Any]:
    """What the device "heard", for display: the intent (or request type) and the slot values."""
    names = {"launch": "LaunchRequest", "session_end": "SessionEndedRequest"}
    slots = {name: slot.resolved_id or slot.value for name, slot in resolution.slots.items()}
    return {"intent": names.get(resolution.kind, resolution.intent), "slots": slots}


def envelope_for(resolution: Resolution, device: Device, resolver: Resolver) -> dict[str, Any]:
    """The request a device sends for `resolution`; every declared slot is listed, filled or not."""
    if resolution.kind == "launch":
        return device.launch()
    if resolution.kind == "session_end":
        return device.session_ended()
    assert resolution.intent is not None
    slots: dict[str, dict[str, Any]] = {
        name: {"name": name, "confirmationStatus": "NONE"} for name in resolver.declared_slots(resolution.intent)
    }
    for name, slot in resolution.slots.items():
        built_in = (slot.slot_type or "").startswith("AMAZON.")  # no entity resolution block on a device
        slots[name] = slot_payload(name, slot.value, "" if built_in else slot.resolved_id or None, slot.resolved_name)
    return device.intent(resolution.intent, slots, new_session=resolution.new_session)


def _rendered_reply(response: dict[str, Any]) -> dict[str, Any]:
    """The skill's rendered reply from the session attributes ({} if absent or unreadable)."""
    sealed = (response.get("sessionAttributes") or {}).get(LAST_REPLY_ATTRIBUTE)
    try:
        rendered = json.loads(sealed["reply"]) if isinstance(sealed, dict) else {}
    except (TypeError, ValueError):
        return {}
    return rendered if isinstance(rendered, dict) else {}


def _screen(value: object) -> dict[str, Any] | None:
    """Screen data with the shape skill.reply.Screen gives it, else None."""
    if not isinstance(value, dict):
        return None
    screen = {key: value.get(key) for key in ("exercise_id", "set_number", "total_sets", "status")}
    numbers = all(isinstance(screen[key], int) for key in ("set_number", "total_sets"))
    words = all(isinstance(screen[key], str) for key in ("exercise_id", "status"))
    return screen if numbers and words else None


def _exercise_for_title(title: str, locale: str) -> str | None:
    """The programme id of the exercise a card is about (cards are titled with the exercise name)."""
    names = {words.name.lower(): exercise_id for exercise_id, words in for_locale(locale).exercises.items()}
    return names.get(title.strip().lower())


def _display(body: dict[str, Any]) -> dict[str, Any] | None:
    """The APL document's data in a response (what an Echo Show would count down and show buttons for)."""
    shown = [d for d in body.get("directives") or [] if d.get("type") == "Alexa.Presentation.APL.RenderDocument"]
    workout = (shown[0].get("datasources") or {}).get("workout") if shown else None
    return workout if isinstance(workout, dict) else None


class Conversation:
    """One runner on one simulated device; `say()` is one spoken turn."""

    def __init__(self, send: Transport, *, device: Device | None = None, resolver: Resolver | None = None) -> None:
        self.send = send
        self.device = device or Device(user_id=user_id_for(DEFAULT_USER))
        self.resolver = resolver or default_resolver(self.device.locale)
        self.screen: dict[str, Any] | None = None
        self.cards: dict[str, dict[str, str]] = {}  # exercise id -> the last card the skill showed for it

    def state(self) -> dict[str, Any]:
        """What a later request needs to carry on (the browser page holds it between turns)."""
        device = self.device
        return {"session_id": device.session_id, "attributes": device.attributes, "device_id": device.device_id,
                "screen": self.screen, "cards": self.cards}

    def restore(self, state: object) -> None:
        """Carry on from `state()`; anything malformed is dropped, leaving a fresh session."""
        if not isinstance(state, dict):
            return
        session_id, attributes = state.get("session_id"), state.get("attributes")
        if isinstance(session_id, str) and _SESSION_ID.fullmatch(session_id) and isinstance(attributes, dict):
            self.device.session_id, self.device.attributes = session_id, attributes
        if isinstance(state.get("device_id"), str) and _DEVICE_ID.fullmatch(state["device_id"]):
            self.device.device_id = state["device_id"]
        self.screen = _screen(state.get("screen"))
        cards = state.get("cards")
        if isinstance(cards, dict):
            self.cards = {
                key: {"title": card["title"], "content": card["content"]}
                for key, card in cards.items()
                if key in _EXERCISE_IDS and isinstance(card, dict)
                and isinstance(card.get("title"), str) and isinstance(card.get("content"), str)
            }

    def time_out(self) -> None:
        """Nobody answered the reprompt: the device closes the session and tells the skill so."""
        if self.device.session_id is not None:
            self.send(self.device.session_ended("EXCEEDED_MAX_REPROMPTS"))

    def say(self, text: str) -> ReplyView:
        """Resolve, send, carry the session forward; raises TransportError if the skill can't answer."""
        resolution = self.resolver.resolve(text)
        if resolution.kind == "session_end" and self.device.session_id is None:
            return ReplyView(heard(resolution), "", None, True, None, self.screen, self._exercise())
        response = self.send(envelope_for(resolution, self.device, self.resolver))
        if not isinstance(response, dict) or not isinstance(response.get("response"), dict):
            raise TransportError("the skill's answer is not an Alexa response")
        self.device.absorb(response)
        return self._view(resolution, response)

    def screen_event(self, kind: str, step: str) -> ReplyView:
        """The screen sends a UserEvent (a tap, its countdown's end); a quiet answer leaves everything as it was."""
        response = self.send(self.device.user_event(kind, step))
        if not isinstance(response, dict) or not isinstance(response.get("response"), dict):
            raise TransportError("the skill's answer is not an Alexa response")
        self.device.absorb(response)
        resolution = Resolution(kind="intent", intent=f"UserEvent {kind}")
        return self._view(resolution, response)

    def _view(self, resolution: Resolution, response: dict[str, Any]) -> ReplyView:
        body = response["response"]
        rendered = _rendered_reply(response)
        if "screen" in rendered:  # a reply without one (a session-end ack) leaves the screen as it was
            self.screen = _screen(rendered["screen"])
        card = body.get("card")
        card = {"title": str(card.get("title", "")), "content": str(card.get("content", ""))} if card else None
        if card and (exercise_id := _exercise_for_title(card["title"], self.device.locale)):
            self.cards[exercise_id] = card
        reprompt = (body.get("reprompt") or {}).get("outputSpeech", {}).get("ssml")
        speech = (body.get("outputSpeech") or {}).get("ssml")
        return ReplyView(
            heard=heard(resolution),
            text=ssml_to_text(speech),
            reprompt=ssml_to_text(reprompt) or None,
            ended=self.device.session_id is None,
            card=card,
            screen=self.screen,
            exercise=self._exercise(),
            seconds=play_seconds(speech),
            reprompt_seconds=play_seconds(reprompt),
            display=_display(body),
        )

    def _exercise(self) -> dict[str, Any] | None:
        """The current exercise for a screen: the skill's own card text when it showed one, else the content."""
        if not self.screen:
            return None
        exercise_id = str(self.screen.get("exercise_id", ""))
        card = self.cards.get(exercise_id)
        known = for_locale(self.device.locale).exercises.get(exercise_id)
        if card:
            name, (dose, *steps) = card["title"], card["content"].split("\n")
        elif known:
            name, dose, steps = known.name[0].upper() + known.name[1:], None, list(known.setup)
        else:
            name, dose, steps = exercise_id, None, []
        return {**self.screen, "name": name, "dose": dose, "steps": steps}
