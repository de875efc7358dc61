"""/simulator: the browser simulator's page and its turn route, mounted only when SIMULATOR is on.

The turn route resolves typed (or dictated) text with the same resolver and
envelope builder as `make chat`, and hands the envelope straight to the skill
through `alexa.answer`, skipping signature checks: the envelope is built here,
for a "local-" runner id, and never leaves this process. /alexa keeps its own
verification settings.

No conversation state lives on the server: the page keeps it (session id,
session attributes, screen) and sends it back with each turn, so any gunicorn
worker can answer any turn and nothing grows without bound. The state is only
what a device would send anyway, and the skill already distrusts session
attributes (its `last_reply` is sealed). JSON bodies only, so another site's
form cannot post a turn.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from simulator.envelopes import DEFAULT_SKILL_ID, Device
from simulator.suggestions import locales
from simulator.turns import DEFAULT_USER, Conversation, TransportError, user_id_for
from skill.voice.content import DEFAULT_LOCALE, published
from webhook import alexa, envelope

bp = Blueprint("simulator", __name__, url_prefix="/simulator", static_folder="simulator_assets",
               static_url_path="/assets")
MAX_TEXT_CHARS = 500
MAX_USER_CHARS = 64


def _send(data: dict[str, Any]) -> dict[str, Any]:
    """One envelope through the same checks and skill call as /alexa, minus verification."""
    body = json.dumps(data)
    return alexa.answer(envelope.parse(body.encode("utf-8")), body)


class BadTurn(Exception):
    """A turn the page cannot send: answered with `status` and the reason, nothing sent to the skill."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


@bp.errorhandler(BadTurn)
def _bad(error: BadTurn) -> tuple[Response, int]:
    return jsonify({"error": error.reason}), error.status


@bp.get("/", strict_slashes=False)
def page() -> Response:
    return bp.send_static_file("index.html")


def _screen_event(value: object) -> tuple[str, str] | None:
    """A screen event the page sends: [event, position] (the webhook's own check applies to the envelope too)."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) for v in value):
        raise BadTurn("event must be [event, position]")
    return value[0], value[1]


@bp.get("/locales")
def locale_list() -> Response:
    """The published locales, each with a few things to say in it: the page's locale picker."""
    return jsonify(locales())


@bp.post("/turn")
def turn() -> Any:
    """{text | event, user?, locale?, conversation?} -> {heard, text, reprompt, ended, card, screen, exercise,
    display, conversation}. The page is an Echo Show in `locale` (a published one; en-US by default): `event`
    is what its screen sends (a tap, a countdown's end)."""
    if not request.is_json:
        raise BadTurn("send JSON (Content-Type: application/json)", 415)
    try:  # not request.get_json: deep nesting must be a 400, never a RecursionError or a deepcopy crash
        payload = envelope.loads(request.get_data(as_text=True))
    except envelope.BadEnvelope as error:
        raise BadTurn(error.reason) from error
    if not isinstance(payload, dict):
        raise BadTurn("body is not a JSON object")
    text, user = payload.get("text"), payload.get("user") or DEFAULT_USER
    screen_event = _screen_event(payload.get("event"))
    if screen_event is None and (not isinstance(text, str) or not 0 < len(text.strip()) <= MAX_TEXT_CHARS):
        raise BadTurn(f"text must be 1 to {MAX_TEXT_CHARS} characters")
    if not isinstance(user, str) or not 0 < len(user.strip()) <= MAX_USER_CHARS:
        raise BadTurn(f"user must be 1 to {MAX_USER_CHARS} characters")
    locale = payload.get("locale") or DEFAULT_LOCALE
    if not isinstance(locale, str) or locale not in published():
        raise BadTurn("locale must be one the skill is published in (GET /simulator/locales)")
    skill_id = current_app.config["ALEXA_SKILL_ID"] or DEFAULT_SKILL_ID
    device = Device(user_id=user_id_for(user), skill_id=skill_id, locale=locale, apl=True)
    conversation = Conversation(_send, device=device)
    conversation.restore(payload.get("conversation"))
    try:
        view = conversation.screen_event(*screen_event) if screen_event else conversation.say(str(text))
    except (envelope.BadEnvelope, TransportError) as error:
        raise BadTurn(f"the skill could not take that turn: {error}") from error
    return jsonify({**view.as_json(), "conversation": conversation.state()})
