"""A rendered reply (JSON text from `skill.voice.render`) -> an ask-sdk Response, and the sealed copy
the session keeps for "repeat".

The APL screen goes only to devices that list Alexa.Presentation.APL: a device
without a screen rejects the directive.

Rendered replies come from a bounded set (skill.voice.render caches them), so what is
worked out from one here (its fields, its "repeat" form) is worked out once per cached body
(`render.fields`; `_repeat_body`, at most REPLY_CACHE_ENTRIES, a few hundred KB) and only this
turn's step and "until" are added. The seal covers those too, so it is made for each reply's
text; it is cached by that text (REPLY_CACHE_ENTRIES), because the session brings the reply it
sealed back with its next turn, often to the same worker.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope, Response
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard, SimpleCard

from skill.alexa.identity import REMINDERS_SCOPE
from skill.voice import apl, render, speech
from skill.voice.content import Content

PERMISSION_SCOPES = {"reminders": REMINDERS_SCOPE}  # Reply.ask_permission -> the scope Alexa's card asks for


def supports_apl(envelope: RequestEnvelope) -> bool:
    """True only when the request's device lists Alexa.Presentation.APL in supportedInterfaces."""
    system = envelope.context.system if envelope.context else None
    device = system.device if system else None
    interfaces = device.supported_interfaces if device else None
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


REPLY_CACHE_ENTRIES = 256
TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"


def build(handler_input: HandlerInput, rendered: str, content: Content, person_id: str | None = None) -> Response:
    """The ask-sdk response for a rendered reply, with the APL screen on devices that have one.

    Quiet: nothing at all (the screen stays as it is, and so does the session). Hands-free: shouldEndSession
    left out, so on a screen the session stays open without the microphone. `person_id`: the recognised
    speaker, named in the speech (never in the reprompt) by Alexa; the rendered reply (cached, shared between
    runners) only holds a placeholder. A reply that asks for a permission carries the Alexa app's consent
    card instead of its own card (the reminders one first: the runner asked for it this turn).
    """
    data = render.fields(rendered)
    builder = handler_input.response_builder
    if data.get("quiet"):
        return builder.response
    builder.speak(speech.address(data["ssml"], person_id))
    if data["reprompt"]:
        builder.ask(speech.address(data["reprompt"], None))
    if not data.get("hands_free"):
        builder.set_should_end_session(bool(data["end"]))
    if data.get("permission") in PERMISSION_SCOPES:
        builder.set_card(AskForPermissionsConsentCard(permissions=[PERMISSION_SCOPES[data["permission"]]]))
    elif data.get("ask_timer_permission"):
        builder.set_card(AskForPermissionsConsentCard(permissions=[TIMERS_SCOPE]))
    elif data["card"]:
        builder.set_card(SimpleCard(title=data["card"][0], content=data["card"][1]))
    if supports_apl(handler_input.request_envelope):
        if data.get("chart"):
            builder.add_directive(RenderDocumentDirective(
                token=apl.PROGRESS_TOKEN, document=apl.progress_document(),
                datasources=apl.progress_datasources(data["chart"], content)))
        elif data.get("screen"):
            builder.add_directive(RenderDocumentDirective(
                token=apl.TOKEN, document=apl.document(), datasources=apl.datasources(data["screen"], content)))
    return builder.response


REPEAT_MAX_SSML_CHARS = 2500  # a long reply is not repeated word for word: "repeat" then gives the prompt


def for_repeat(rendered: str) -> str:
    """What "repeat" should say again: the reply itself, or for a paced set (or anything long) the last
    instruction, its prompt: "repeat the set" is what coaches a set again.

    Keeps the session attribute (sent back and forth on every turn) small.
    """
    data = render.fields(rendered)
    if not data["reprompt"] or (len(data["ssml"]) <= REPEAT_MAX_SSML_CHARS and not data.get("until")):
        return rendered
    if isinstance(rendered, render.Rendered):  # the body's repeat form, worked out once, with this turn's parts
        return render.finish(_repeat_body(rendered.body), rendered.step, rendered.until)
    return _as_repeat(data)


@lru_cache(maxsize=REPLY_CACHE_ENTRIES)
def _repeat_body(body: str) -> str:
    return _as_repeat(render.body_fields(body))


def _as_repeat(data: dict[str, Any]) -> str:
    return json.dumps({**data, "ssml": data["reprompt"]}, separators=(",", ":"))


def timer_order(rendered: str) -> dict[str, object] | None:
    """The timer a rendered reply asks for ({"action", "seconds", "label", "announce"}), if any."""
    order = render.fields(rendered).get("timer")
    return order if isinstance(order, dict) else None


def is_quiet(rendered: str) -> bool:
    return bool(render.fields(rendered).get("quiet"))


def coaching_until(rendered: str) -> float:
    """When the set coached in a rendered reply ends (0 when it coaches none): "repeat" before then is a
    barge-in, for the workout to hear."""
    return float(render.fields(rendered).get("until") or 0.0)


@lru_cache(maxsize=REPLY_CACHE_ENTRIES)
def _mac(rendered: str, key: bytes) -> str:
    # surrogatepass: a lone surrogate (legal in JSON, so possible in a forged attribute) must fail the
    # check, not raise; our own replies never hold one, so for them this is plain UTF-8. Cached: the reply
    # sealed for "repeat" comes back with the session's next turn, often to the same worker
    mac = _keyed(key).copy()
    mac.update(rendered.encode("utf-8", "surrogatepass"))
    return mac.hexdigest()


@lru_cache(maxsize=4)
def _keyed(key: bytes) -> hmac.HMAC:
    """HMAC-SHA256 with the key already taken in: a copy of it costs less than a new one (or hmac.digest,
    which looks the digest up in OpenSSL on every call)."""
    return hmac.new(key, digestmod=hashlib.sha256)


def seal(rendered: str, key: bytes) -> dict[str, str]:
    """Wrap a rendered reply with an HMAC so it can travel in session attributes untampered."""
    return {"reply": rendered, "mac": _mac(rendered, key)}


def unseal(sealed: object, key: bytes) -> str | None:
    """The rendered reply if the seal is intact, else None (forged, damaged or absent)."""
    if not isinstance(sealed, dict):
        return None
    rendered, mac = sealed.get("reply"), sealed.get("mac")
    if not isinstance(rendered, str) or not isinstance(mac, str) or not mac.isascii():  # compare_digest: ASCII only
        return None
    return rendered if hmac.compare_digest(_mac(rendered, key), mac) else None
