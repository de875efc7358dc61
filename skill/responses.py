"""A workout Reply -> a rendered reply (JSON text, cached for replays) -> an ask-sdk Response.

Rendering happens once per turn; the rendered form is what the store keeps
for a replayed request and what the session keeps for "repeat".
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill import apl, speech
from skill.phrases import PhraseBook, for_locale
from skill.reply import Reply


def render(reply: Reply, phrases: PhraseBook, variant: int) -> str:
    """SSML for speech and reprompt, card text, screen data; raises SpeechTooLong past Alexa's limits."""
    ssml = speech.render_checked(reply.speech, phrases, variant)
    rendered: dict[str, Any] = {
        "ssml": ssml,
        "reprompt": speech.render_ssml(reply.reprompt, phrases, variant) if reply.reprompt else None,
        "end": reply.end_session,
        "card": [reply.card.title, "\n".join(reply.card.lines)] if reply.card else None,
        "screen": vars(reply.screen) if reply.screen else None,
    }
    return json.dumps(rendered, separators=(",", ":"))


def build(handler_input: HandlerInput, rendered: str) -> Response:
    """The ask-sdk response; the APL screen goes only to devices that list APL (others reject it)."""
    data = json.loads(rendered)
    builder = handler_input.response_builder
    builder.speak(data["ssml"])
    if data["reprompt"]:
        builder.ask(data["reprompt"])
    builder.set_should_end_session(bool(data["end"]))
    if data["card"]:
        builder.set_card(SimpleCard(title=data["card"][0], content=data["card"][1]))
    envelope = handler_input.request_envelope
    if data.get("screen") and apl.supported(envelope):
        builder.add_directive(apl.directive(data["screen"], for_locale(envelope.request.locale)))
    return builder.response


REPEAT_MAX_SSML_CHARS = 2500  # a paced set is not repeated rep by rep: "repeat" then gives the prompt


def for_repeat(rendered: str) -> str:
    """What "repeat" should say again: the reply itself, or for a long paced set just its prompt.

    Keeps the session attribute (sent back and forth on every turn) small.
    """
    data = json.loads(rendered)
    if len(data["ssml"]) <= REPEAT_MAX_SSML_CHARS or not data["reprompt"]:
        return rendered
    return json.dumps({**data, "ssml": data["reprompt"]}, separators=(",", ":"))


def seal(rendered: str, key: bytes) -> dict[str, str]:
    """Wrap a rendered reply with an HMAC so it can travel in session attributes untampered."""
    return {"reply": rendered, "mac": hmac.new(key, rendered.encode("utf-8"), hashlib.sha256).hexdigest()}


def unseal(sealed: object, key: bytes) -> str | None:
    """The rendered reply if the seal is intact, else None (forged, damaged or absent)."""
    if not isinstance(sealed, dict):
        return None
    rendered, mac = sealed.get("reply"), sealed.get("mac")
    if not isinstance(rendered, str) or not isinstance(mac, str) or not mac.isascii():  # compare_digest: ASCII only
        return None
    # surrogatepass: a lone surrogate (legal in JSON) must fail the check, not raise
    expected = hmac.new(key, rendered.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return rendered if hmac.compare_digest(expected, mac) else None
