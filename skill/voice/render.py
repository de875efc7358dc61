"""A coach `Reply` -> the rendered reply: SSML, reprompt, card text and screen data, as JSON text.

Rendering happens once per turn; the rendered form is what the store keeps
for a replayed request and what the session keeps for "repeat", and
`skill.alexa.responses` turns it into an ask-sdk response.
"""

from __future__ import annotations

import json
from typing import Any

from skill.coach.reply import Card, Reply, Screen, Timer
from skill.voice import speech, wording
from skill.voice.content import Content


def card_text(card: Card, content: Content) -> tuple[str, tuple[str, ...]]:
    """(title, lines) of an exercise's card: its name, the dose, then its set-up steps."""
    words = content.exercises[card.exercise]
    title = words.name[:1].upper() + words.name[1:]
    return title, (wording.say(card.dose, content), *words.setup)


def _ms_from(at: float, started_at: float) -> int:
    return max(0, round((at - started_at) * 1000)) if at else 0


def screen_data(screen: Screen, started_at: float) -> dict[str, Any]:
    """The screen as data, its wake-up and heartbeat times counted from when the reply starts (`started_at`)."""
    return {**vars(screen), "buttons": list(screen.buttons), "wake_ms": _ms_from(screen.wake_at, started_at),
            "watch_ms": _ms_from(screen.watch_until, started_at)}


def timer_data(timer: Timer, content: Content) -> dict[str, Any]:
    """A timer order with its words: what it announces and the label it shows."""
    words = {"announce": wording.first_variant(content, timer.announce)} if timer.announce else {}
    return {"action": timer.action, "seconds": timer.seconds, "label": wording.first_variant(content, "timer_label"),
            **words}


def render(reply: Reply, content: Content, variant: int, started_at: float = 0.0) -> str:
    """SSML for speech and reprompt, card text, screen data, and until when it coaches a set (it starts playing
    at `started_at`); raises SpeechTooLong past Alexa's limits. `quiet` replies say nothing at all."""
    if reply.quiet:
        return json.dumps({"quiet": True}, separators=(",", ":"))
    ssml = speech.render_checked(reply.speech, content, variant)
    card = card_text(reply.card, content) if reply.card else None
    rendered: dict[str, Any] = {
        "ssml": ssml,
        "reprompt": speech.render_ssml(reply.reprompt, content, variant) if reply.reprompt else None,
        "end": reply.end_session,
        "card": [card[0], "\n".join(card[1])] if card else None,
        "screen": screen_data(reply.screen, started_at) if reply.screen else None,
        "until": started_at + reply.coaching if reply.coaching else 0.0,
    }
    if reply.hands_free:
        rendered["hands_free"] = True
    if reply.timer:
        rendered["timer"] = timer_data(reply.timer, content)
    if reply.ask_timer_permission:
        rendered["ask_timer_permission"] = True
    return json.dumps(rendered, separators=(",", ":"))
