"""A coach `Reply` -> the rendered reply: SSML, reprompt, card text and screen data, as JSON text.

Rendering happens once per turn; the rendered form is what the store keeps
for a replayed request and what the session keeps for "repeat", and
`skill.alexa.responses` turns it into an ask-sdk response.
"""

from __future__ import annotations

import json
from typing import Any

from skill.coach.reply import Card, Chart, Count, Day, Reply
from skill.voice import speech, wording
from skill.voice.content import Content


def card_text(card: Card, content: Content) -> tuple[str, tuple[str, ...]]:
    """(title, lines) of an exercise's card: its name, the dose, then its set-up steps."""
    words = content.exercises[card.exercise]
    title = words.name[:1].upper() + words.name[1:]
    return title, (wording.say(card.dose, content), *words.setup)


def chart_text(chart: Chart, content: Content) -> tuple[str, tuple[str, ...]]:
    """(title, lines) of the "how am I doing?" card: a line a week, then what was said (moved up, on plan)."""
    weeks = tuple(wording.first_variant(content, "summary_card_week", day=Day(monday),
                                        workouts=Count(count, "workout")) for monday, count in chart.weeks)
    said = tuple(wording.say(line, content) for line in chart.summary)
    return wording.first_variant(content, "summary_title"), (*weeks, *said)


def render(reply: Reply, content: Content, variant: int, started_at: float = 0.0) -> str:
    """SSML for speech and reprompt, card text, screen data, and until when it coaches a set (it starts playing
    at `started_at`); raises SpeechTooLong past Alexa's limits."""
    ssml = speech.render_checked(reply.speech, content, variant)
    card = card_text(reply.card, content) if reply.card else chart_text(reply.chart, content) if reply.chart else None
    rendered: dict[str, Any] = {
        "ssml": ssml,
        "reprompt": speech.render_ssml(reply.reprompt, content, variant) if reply.reprompt else None,
        "end": reply.end_session,
        "card": [card[0], "\n".join(card[1])] if card else None,
        "screen": vars(reply.screen) if reply.screen else None,
        "until": started_at + reply.coaching if reply.coaching else 0.0,
    }
    if reply.chart:  # the screen's chart: workouts per week, and what was said about them
        rendered["chart"] = {"weeks": [[monday, count] for monday, count in reply.chart.weeks],
                             "said": [wording.say(line, content) for line in reply.chart.summary]}
    if reply.ask_permission:
        rendered["permission"] = reply.ask_permission
    return json.dumps(rendered, separators=(",", ":"))
