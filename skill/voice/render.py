"""A coach `Reply` -> the rendered reply: SSML, reprompt, card text and screen data, as JSON text.

Rendering happens once per turn; the rendered form is what the store keeps
for a replayed request and what the session keeps for "repeat", and
`skill.alexa.responses` turns it into an ask-sdk response.

Replies come from a bounded set (a paced set, a rest countdown and an introduction are the
same for every runner at the same point), so rendered replies are cached by value: the Reply,
the locale's content and the variant. The variant only picks among a phrase's variants, so it
is reduced to its period (the least common multiple of the variant counts: 2 for en) before
it becomes part of the key. The cache holds at most RENDER_CACHE_ENTRIES replies, per worker:
real replies cost about 3.3 KB an entry, key included, so a full cache holds about 1.7 MB
(tests/test_render_cache.py measures it; a crawl of the workout finds only about 250 distinct
replies for en-US). Were every entry a reply at Alexa's 8000-character limit (about 10 KB of
rendered JSON and a key of similar size), it would be about 10 MB.
"""

from __future__ import annotations

import json
import math
from functools import cache, lru_cache
from typing import Any

from skill.coach.evolve import replace
from skill.coach.reply import Card, Chart, Count, Day, Reply, Screen, Timer
from skill.voice import speech, wording
from skill.voice.content import Content


def card_text(card: Card, content: Content) -> tuple[str, tuple[str, ...]]:
    """(title, lines) of an exercise's card: its name, the dose, then its set-up steps."""
    words = content.exercises[card.exercise]
    title = words.name[:1].upper() + words.name[1:]
    return title, (wording.say(card.dose, content), *words.setup)


RENDER_CACHE_ENTRIES = 512
_NO_STEP = '"step":""'  # a screen's step in a cached reply (a key: inside a JSON string its quotes are escaped)


@cache
def variant_period(content: Content) -> int:
    """Variants v and v + period word every phrase alike (each phrase picks `v % its variant count`)."""
    return math.lcm(1, *(len(variants) for variants in content.phrases.values()))


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


def chart_text(chart: Chart, content: Content) -> tuple[str, tuple[str, ...]]:
    """(title, lines) of the "how am I doing?" card: a line a week, then what was said (moved up, on plan)."""
    weeks = tuple(wording.first_variant(content, "summary_card_week", day=Day(monday),
                                        workouts=Count(count, "workout")) for monday, count in chart.weeks)
    said = tuple(wording.say(line, content) for line in chart.summary)
    return wording.first_variant(content, "summary_title"), (*weeks, *said)


class Rendered(str):
    """A rendered reply fresh from `render`: its text, which also knows its parts.

    `body` is the cached part, shared by every runner at the same point (no screen step, no "until"); `step`
    and `until` are this turn's own. What `skill.alexa.responses` works out from a reply (its fields, its
    "repeat" form) it works out once per body, not once per turn. What is stored or sealed is its text: the
    parts are a shortcut, never the only copy. Made only by `finish`.
    """

    body: str
    step: str
    until: float


_PLAIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyz_.")  # a screen step's characters: JSON needs no escapes


def finish(body: str, step: str, until: float) -> Rendered:
    """A body (a cached part) with a turn's own screen step and "until" put in: the reply's whole text."""
    if step:
        quoted = f'"{step}"' if _PLAIN.issuperset(step) else json.dumps(step)
        body_text = body.replace(_NO_STEP, f'"step":{quoted}', 1)
    else:
        body_text = body
    # a finite float's repr is its JSON (json.dumps writes repr too); anything else takes json's spelling
    number = repr(until) if math.isfinite(until) else json.dumps(until)
    rendered = Rendered(f'{body_text[:-1]},"until":{number}}}')
    rendered.body, rendered.step, rendered.until = body, step, until
    return rendered


def render(reply: Reply, content: Content, variant: int, started_at: float = 0.0) -> Rendered | str:
    """SSML for speech and reprompt, card text, screen data, and until when it coaches a set (it starts playing
    at `started_at`); raises SpeechTooLong past Alexa's limits. `quiet` replies say nothing at all.

    "until" depends on the turn's time, so it is added after the cached part; a screen's wake-up and
    heartbeat are counted from `started_at` too, so only those replies key the cache by it. A quiet reply is
    the one plain text QUIET.
    """
    if reply.quiet:
        return QUIET
    screen = reply.screen
    timed = screen is not None and bool(screen.wake_at or screen.watch_until)
    step = screen.step if screen is not None else ""
    if step:  # names the runner's workout (when it started): spliced in after, or no screen reply would be shared
        reply = replace(reply, screen=replace(screen, step=""))
    body = _render(reply, content, variant % variant_period(content), started_at if timed else 0.0)
    return finish(body, step, started_at + reply.coaching if reply.coaching else 0.0)


QUIET = json.dumps({"quiet": True}, separators=(",", ":"))
PARSED_CACHE_ENTRIES = 256  # whole texts parsed (a replay's stored reply, the session's "repeat"): rare, apart


def fields(rendered: str) -> dict[str, Any]:
    """A rendered reply's fields. Shared between turns: read them, never change them.

    A reply fresh from `render` parses only its body (once per body: as many bodies are kept parsed as
    rendered) and adds its own step and "until"; text from elsewhere (a replay's stored reply, the session's
    "repeat") is parsed whole, in a cache of its own so that it never pushes a body out."""
    if not isinstance(rendered, Rendered):
        return _parsed_text(rendered)
    data: dict[str, Any] | None = vars(rendered).get("_fields")
    if data is None:
        data = {**body_fields(rendered.body), "until": rendered.until}
        if rendered.step:
            data["screen"] = {**data["screen"], "step": rendered.step}
        rendered._fields = data  # type: ignore[attr-defined]
    return data


@lru_cache(maxsize=RENDER_CACHE_ENTRIES)
def body_fields(body: str) -> dict[str, Any]:
    """A cached body's fields (`Rendered.body`), kept parsed as long as bodies are kept rendered."""
    return _parsed_text.__wrapped__(body)


@lru_cache(maxsize=PARSED_CACHE_ENTRIES)
def _parsed_text(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=RENDER_CACHE_ENTRIES)
def _render(reply: Reply, content: Content, variant: int, started_at: float) -> str:
    """`render` without "until", for a variant already reduced to its period (errors are not cached: they raise
    again)."""
    ssml = speech.render_checked(reply.speech, content, variant)
    card = card_text(reply.card, content) if reply.card else chart_text(reply.chart, content) if reply.chart else None
    rendered: dict[str, Any] = {
        "ssml": ssml,
        "reprompt": speech.render_ssml(reply.reprompt, content, variant) if reply.reprompt else None,
        "end": reply.end_session,
        "card": [card[0], "\n".join(card[1])] if card else None,
        "screen": screen_data(reply.screen, started_at) if reply.screen else None,
    }
    if reply.chart:  # the screen's chart: workouts per week, and what was said about them
        rendered["chart"] = {"weeks": [[monday, count] for monday, count in reply.chart.weeks],
                             "said": [wording.say(line, content) for line in reply.chart.summary]}
    if reply.ask_permission:
        rendered["permission"] = reply.ask_permission
    if reply.hands_free:
        rendered["hands_free"] = True
    if reply.timer:
        rendered["timer"] = timer_data(reply.timer, content)
    if reply.ask_timer_permission:
        rendered["ask_timer_permission"] = True
    return json.dumps(rendered, separators=(",", ":"))
