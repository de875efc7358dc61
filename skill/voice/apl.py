"""The screen on devices with APL: one document (skill/voice/apl/workout.json) and the data it binds.

The document is data, not code, so tests/test_apl.py checks every `${...}`
binding in it against `datasources` for every exercise, level and status; a
renamed field fails a test instead of showing a blank on an Echo Show.
`skill.alexa.responses` sends it, and only to a device that lists
Alexa.Presentation.APL: a device without a screen rejects the directive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from skill.coach import lines, plan, programme
from skill.coach.state import Level, Profile
from skill.voice import wording
from skill.voice.content import Content
from skill.voice.render import card_text

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


def _shown(content: Content, key: str, **params: object) -> str:
    """Screen text comes from the content like speech does, always its first variant (no flicker)."""
    return wording.first_variant(content, key, **params) if key in content.phrases else ""


def datasources(screen: Mapping[str, Any], content: Content) -> dict[str, Any]:
    """The exercise as its card shows it (same name, dose and steps), plus where the runner is.

    `screen` is the rendered form of `skill.coach.reply.Screen` (what `render.render` caches);
    a cached reply from before `level` existed shows the standard dose.
    """
    exercise = programme.exercise(str(screen["exercise_id"]))
    units = screen.get("units") if screen.get("units") in ("metric", "imperial") else None
    profile = Profile(units_choice=units).with_level(exercise.id, Level(screen.get("level", "standard")))
    title, card_lines = card_text(lines.card(exercise, profile), content)
    dose = plan.dose_for(exercise, profile)
    variant = content.exercises[exercise.id].variants[dose.level.value] if dose.variant else None
    number, total, status = int(screen["set_number"]), int(screen["total_sets"]), str(screen["status"])
    return {
        DATASOURCE: {
            "exercise": title,
            "dose": card_lines[0],
            "steps": [*card_lines[1:], *([variant] if variant else [])],
            "set_number": number,
            "total_sets": total,
            "status": status,
            "status_text": _shown(content, f"screen_{status}", number=number),
            "progress": _shown(content, "screen_progress", number=number, total=total),
        }
    }
