"""The screen on devices with APL: one document (skill/apl/workout.json) and the data it binds.

The document is data, not code, so tests/test_apl.py checks every `${...}`
binding in it against `datasources` for every exercise, level and status; a
renamed field fails a test instead of showing a blank on an Echo Show. Only
`responses.build` sends it, and only to a device that lists
Alexa.Presentation.APL: a device without a screen rejects the directive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ask_sdk_model import RequestEnvelope
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

from skill import catalogue, talk
from skill.speech import PhraseBook
from skill.state import Level, Profile

DOCUMENT_PATH = Path(__file__).with_name("apl") / "workout.json"
TOKEN = "workout"
DATASOURCE = "workout"
STATUSES = ("intro", "in_set", "resting", "paused")


@cache
def _document_text() -> str:
    return DOCUMENT_PATH.read_text(encoding="utf-8")


def document() -> dict[str, Any]:
    """A fresh copy per call, so nothing downstream can change the cached text's meaning."""
    return json.loads(_document_text())


def supported(envelope: RequestEnvelope) -> bool:
    """True only when the request's device lists Alexa.Presentation.APL in supportedInterfaces."""
    system = envelope.context.system if envelope.context else None
    device = system.device if system else None
    interfaces = device.supported_interfaces if device else None
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


def _shown(phrases: PhraseBook, key: str, **params: object) -> str:
    """Screen text comes from the phrase book like speech does, always its first variant (no flicker)."""
    return phrases[key][0].format(**params) if key in phrases else ""


def datasources(screen: Mapping[str, Any], phrases: PhraseBook) -> dict[str, Any]:
    """The exercise as its card shows it (same name, dose and steps), plus where the runner is.

    `screen` is the rendered form of `skill.reply.Screen` (what `responses.render` caches);
    a cached reply from before `level` existed shows the standard dose.
    """
    exercise = catalogue.exercise(str(screen["exercise_id"]))
    level = Level(screen.get("level", Level.STANDARD.value))
    card = talk.card(exercise, Profile(level=level))
    variant = talk.dose_for(exercise, Profile(level=level)).harder_variant
    number, total, status = int(screen["set_number"]), int(screen["total_sets"]), str(screen["status"])
    return {
        DATASOURCE: {
            "exercise": card.title,
            "dose": card.lines[0],
            "steps": [*card.lines[1:], *([variant] if variant else [])],
            "set_number": number,
            "total_sets": total,
            "status": status,
            "status_text": _shown(phrases, f"screen_{status}", number=number),
            "progress": _shown(phrases, "screen_progress", number=number, total=total),
        }
    }


def directive(screen: Mapping[str, Any], phrases: PhraseBook) -> RenderDocumentDirective:
    """Alexa.Presentation.APL.RenderDocument with the workout document and this turn's data."""
    return RenderDocumentDirective(token=TOKEN, document=document(), datasources=datasources(screen, phrases))
