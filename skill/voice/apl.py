"""The screen on devices with APL: one document (skill/voice/apl/workout.json) and the data it binds.

The document is data, not code, so tests/test_apl.py checks every `${...}`
binding in it against `datasources` for every exercise, level and status; a
renamed field fails a test instead of showing a blank on an Echo Show.
`skill.alexa.responses` sends it, and only to a device that lists
Alexa.Presentation.APL: a device without a screen rejects the directive.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from skill.coach import history, lines, plan, programme, screens
from skill.coach.state import Level, Profile
from skill.voice import language, wording
from skill.voice.content import Content
from skill.voice.render import card_text

DOCUMENT_PATH = Path(__file__).with_name("apl") / "workout.json"
TOKEN = "workout"
DATASOURCE = "workout"
STATUSES = ("intro", "in_set", "resting", "paused")
HEARTBEAT_MS = round(screens.HEARTBEAT_SECONDS * 1000)  # every 20 s: Alexa keeps a screen's session about 30 s


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
    return {DATASOURCE: {**_card(title, card_lines, variant, number, total, status, content),
                         **_hands_free(screen, content)}}


def _card(title: str, card_lines: tuple[str, ...], variant: str | None, number: int, total: int, status: str,
          content: Content) -> dict[str, Any]:
    return {
        "exercise": title,
        "dose": card_lines[0],
        "steps": [*card_lines[1:], *([variant] if variant else [])],
        "set_number": number,
        "total_sets": total,
        "status": status,
        "status_text": _shown(content, f"screen_{status}", number=number),
        "progress": _shown(content, "screen_progress", number=number, total=total),
    }


def _hands_free(screen: Mapping[str, Any], content: Content) -> dict[str, Any]:
    """The buttons, the countdown, when to wake the skill and how many heartbeats keep the session open.

    A rest shows its full length while the reply speaks (`lead_ms`), then counts down to `wake_ms`, when the
    screen sends REST_OVER; heartbeats every HEARTBEAT_MS until `watch_ms`. 0 everywhere: none of it.
    """
    buttons = [str(b) for b in screen.get("buttons", ())]
    rest, wake_ms = int(screen.get("rest_seconds", 0)), int(screen.get("wake_ms", 0))
    watch_ms = int(screen.get("watch_ms", 0))
    return {
        "step": str(screen.get("step", "")),
        "buttons": [{"event": b, "label": _shown(content, f"button_{b}")} for b in buttons],
        "rest_seconds": rest,
        "countdown_label": _shown(content, "screen_countdown"),
        "lead_ms": max(0, wake_ms - rest * 1000) if rest else 0,
        "wake_ms": wake_ms,
        "heartbeats": math.ceil(watch_ms / HEARTBEAT_MS) if watch_ms else 0,
        "heartbeat_ms": HEARTBEAT_MS,
    }


PROGRESS_PATH = Path(__file__).with_name("apl") / "progress.json"
PROGRESS_TOKEN = "progress"
PROGRESS_DATASOURCE = "progress"
BAR_VH_PER_WORKOUT = 9   # a bar's height per workout that week (a week of four is 36vh of the 50vh row)
ON_PLAN_COLOR, OFF_PLAN_COLOR = "#7BD88F", "#5A6470"


@cache
def _progress_text() -> str:
    return PROGRESS_PATH.read_text(encoding="utf-8")


def progress_document() -> dict[str, Any]:
    """The "how am I doing?" screen: a bar a week. Its own document, so the workout screen stays as it is."""
    return json.loads(_progress_text())


def progress_datasources(chart: Mapping[str, Any], content: Content) -> dict[str, Any]:
    """`chart` is the rendered chart (`render.render`): [Monday ISO date, workouts] per week, what was said."""
    weeks = []
    for monday, count in chart["weeks"]:
        count = max(0, int(count))
        weeks.append({"label": language.short_date(content.locale, str(monday)), "count": count,
                      "height": f"{max(1, min(5, count) * BAR_VH_PER_WORKOUT)}vh",
                      "color": ON_PLAN_COLOR if count >= history.ON_PLAN.start else OFF_PLAN_COLOR})
    return {PROGRESS_DATASOURCE: {"title": _shown(content, "summary_title"), "weeks": weeks,
                                  "caption": " ".join(str(s) for s in chart.get("said", ()))}}
