"""A rendered reply (JSON text from `skill.voice.render`) -> an ask-sdk Response, and the sealed copy
the session keeps for "repeat".

The APL screen goes only to devices that list Alexa.Presentation.APL: a device
without a screen rejects the directive.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope, Response
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard, SimpleCard

from skill.voice import apl
from skill.voice.content import Content


def supports_apl(envelope: RequestEnvelope) -> bool:
    """True only when the request's device lists Alexa.Presentation.APL in supportedInterfaces."""
    system = envelope.context.system if envelope.context else None
    device = system.device if system else None
    interfaces = device.supported_interfaces if device else None
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"


def build(handler_input: HandlerInput, rendered: str, content: Content) -> Response:
    """The ask-sdk response for a rendered reply, with the APL screen on devices that have one.

    Quiet: nothing at all (the screen stays as it is, and so does the session). Hands-free: shouldEndSession
    left out, so on a screen the session stays open without the microphone.
    """
    data = json.loads(rendered)
    builder = handler_input.response_builder
    if data.get("quiet"):
        return builder.response
    builder.speak(data["ssml"])
    if data["reprompt"]:
        builder.ask(data["reprompt"])
    if not data.get("hands_free"):
        builder.set_should_end_session(bool(data["end"]))
    if data.get("ask_timer_permission"):
        builder.set_card(AskForPermissionsConsentCard(permissions=[TIMERS_SCOPE]))
    elif data["card"]:
        builder.set_card(SimpleCard(title=data["card"][0], content=data["card"][1]))
    if data.get("screen") and supports_apl(handler_input.request_envelope):
        builder.add_directive(RenderDocumentDirective(
            token=apl.TOKEN, document=apl.document(), datasources=apl.datasources(data["screen"], content)))
    return builder.response


REPEAT_MAX_SSML_CHARS = 2500  # a long reply is not repeated word for word: "repeat" then gives the prompt


def for_repeat(rendered: str) -> str:
    """What "repeat" should say again: the reply itself, or for a paced set (or anything long) the last
    instruction, its prompt: "repeat the set" is what coaches a set again.

    Keeps the session attribute (sent back and forth on every turn) small.
    """
    data = json.loads(rendered)
    if not data["reprompt"] or (len(data["ssml"]) <= REPEAT_MAX_SSML_CHARS and not data.get("until")):
        return rendered
    return json.dumps({**data, "ssml": data["reprompt"]}, separators=(",", ":"))


def timer_order(rendered: str) -> dict[str, object] | None:
    """The timer a rendered reply asks for ({"action", "seconds", "label", "announce"}), if any."""
    order = json.loads(rendered).get("timer")
    return order if isinstance(order, dict) else None


def is_quiet(rendered: str) -> bool:
    return bool(json.loads(rendered).get("quiet"))


def coaching_until(rendered: str) -> float:
    """When the set coached in a rendered reply ends (0 when it coaches none): "repeat" before then is a
    barge-in, for the workout to hear."""
    return float(json.loads(rendered).get("until") or 0.0)


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
