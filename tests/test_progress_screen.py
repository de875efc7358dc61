"""'How am I doing?' on a card and a screen: the progress document's bindings all resolve, each week's bar is
data the document uses, and the real app sends the chart (to APL devices) and the card (to every device)."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from simulator.echo import Clock
from simulator.envelopes import Device
from skill.alexa import intents
from skill.coach.events import Kind
from skill.coach.progress import summary
from skill.coach.reply import Reply, line
from skill.coach.state import ExerciseDone, HistoryEntry, Level, Profile, UserState
from skill.coach.workout import step
from skill.voice import apl, render
from tests.crawl import PHRASES, SCREEN, after_reply, ev
from tests.runner import Runner
from tests.test_apl import bindings, components, problems
from tests.workout_helpers import MONDAY_NOON

DAY = 86_400.0


def history(*days: float) -> tuple[HistoryEntry, ...]:
    return tuple(HistoryEntry(MONDAY_NOON + d * DAY, ("inchworms",), 3, False,
                              (ExerciseDone("inchworms", 3, Level.STANDARD),)) for d in days)


@pytest.mark.parametrize("days", [(), (0.0,), (-21.0, -20.0, -14.0, -12.0, -10.0, -9.0, -8.0, -1.0, 0.0)])
def test_every_binding_of_the_progress_screen_resolves(days: tuple[float, ...]) -> None:
    profile = Profile(history=history(*days), levels=(("inchworms", Level.HARDER),))
    rendered = json.loads(render.render(render_reply(profile), PHRASES, 0))
    sources = apl.progress_datasources(rendered["chart"], PHRASES)
    document = apl.progress_document()
    assert problems(document, sources) == []
    used = {name.split(".", 1)[1] for name, in_data, _ in bindings(document["mainTemplate"]) if in_data}
    weeks = sources[apl.PROGRESS_DATASOURCE]["weeks"]
    assert len(weeks) == 4 and all(set(week) >= used for week in weeks)
    assert {c["type"] for c in components(document["mainTemplate"])} == {"Container", "Text", "Frame"}
    assert [w["count"] for w in weeks] == [sum(1 for d in days if -7 * (3 - n) <= d < -7 * (2 - n))
                                           for n in range(4)]


def render_reply(profile: Profile) -> Reply:
    """The reply "how am I doing?" gives for `profile`, a moment after Monday noon."""
    chart = summary(profile, MONDAY_NOON + 3600)
    return Reply((*chart.summary,), (line("prompt_start"),), chart=chart)


def test_the_app_sends_the_chart_to_a_screen_and_a_card_to_every_device(app: Flask, device_clock: Clock) -> None:
    show = Runner(app.test_client(), Device(apl=True))
    device_clock.now = MONDAY_NOON
    show.say(intents.QUICK_WORKOUT, new_session=True)
    show.say(intents.READY)
    show.say(intents.FINISH)
    turn = show.say(intents.HOW_AM_I_DOING, new_session=True)
    assert "In the last 4 weeks: 1 workout. The plan is two or three a week." in turn.text
    (directive,) = [d for d in turn.response["directives"] if d["type"] == "Alexa.Presentation.APL.RenderDocument"]
    assert directive["token"] == apl.PROGRESS_TOKEN
    assert [w["count"] for w in directive["datasources"]["progress"]["weeks"]] == [0, 0, 0, 1]
    card = turn.response["card"]
    assert card["type"] == "Simple" and card["title"] == "How you're doing"
    assert card["content"].splitlines()[-3:][0].startswith("Week of Nov 30: 1 workout")
    plain = Runner(app.test_client(), Device(user_id=show.device.user_id))
    turn = plain.say(intents.HOW_AM_I_DOING, new_session=True)
    assert "directives" not in turn.response or not turn.response["directives"]
    assert turn.response["card"]["title"] == "How you're doing"


def test_how_am_i_doing_during_a_rest_on_a_screen_keeps_the_microphone_open() -> None:
    """The chart takes the screen, so no countdown wakes the skill: the reply listens (a reprompt) instead of
    going hands-free, and the next "ready" carries on."""
    state, now = UserState(profile=Profile(history=history(-9.0, -8.0, -2.0))), MONDAY_NOON
    for kind in (Kind.START, Kind.READY):
        outcome = step(state, ev(kind, now, device=SCREEN))
        state, now = outcome.state, after_reply(now, outcome.reply.speech)
    assert state.workout is not None and state.workout.own_until > 0  # a rest the screen counts down
    asked = step(state, ev(Kind.HOW_AM_I_DOING, now, device=SCREEN))
    assert asked.reply.chart is not None and not asked.reply.hands_free and asked.reply.reprompt
    assert asked.state == state.expired(now)
