"""POST /alexa: read the body, check it, verify it, invoke the skill, serialize.

Failures a client can cause become HTTP codes here and nowhere else:
verification or a malformed envelope -> 400, a body too large -> 413 (Flask),
anything else -> 405 (Flask). Nothing a client sends produces a 500.

The envelope is parsed once (webhook/envelope.py) and turned into ask-sdk models by
webhook/decode.py; anything that path does not map falls back to ask-sdk's DefaultSerializer.
The response goes out through webhook/encode.py and webhook/jsontext.py, not jsonify.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from webhook import decode, encode, envelope, jsontext
from webhook.verification import VerificationError

log = logging.getLogger(__name__)
bp = Blueprint("alexa", __name__)
serializer = DefaultSerializer()

# Request types the skill answers itself; any other type gets Alexa's empty response.
HANDLED_TYPES = frozenset(
    {"LaunchRequest", "IntentRequest", "SessionEndedRequest", "AlexaSkillEvent.SkillDisabled",
     "Alexa.Presentation.APL.UserEvent"}
)
EMPTY_RESPONSE: dict[str, Any] = {"version": "1.0", "response": {}}


def reject(status: int, reason: str) -> tuple[Response, int]:
    log.info("request rejected: %s", reason)
    g.setdefault("turn", {}).update(outcome="rejected", reason=reason)  # for webhook/metrics.py
    return jsonify({"error": reason}), status


def _body() -> bytes:
    """The raw body. A chunked one (no Content-Length) is read up to the limit and one byte more, so one
    past the limit is a 413 as documented, not a truncated body that fails as "not JSON"."""
    if request.content_length is not None or "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        return request.get_data(cache=False)
    limit = int(current_app.config["MAX_CONTENT_LENGTH"])
    body = request.environ["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        raise RequestEntityTooLarge()
    return bytes(body)


@bp.post("/alexa")
def alexa() -> Any:
    body = _body()
    try:
        data = envelope.parse(body)
    except envelope.BadEnvelope as error:
        return reject(400, error.reason)
    request_fields = data["request"]
    g.turn = {"request_id": request_fields["requestId"], "request_type": request_fields["type"],
              "intent": request_fields["intent"]["name"] if request_fields["type"] == "IntentRequest" else None}
    verifier = current_app.extensions["alexa_verifier"]
    if verifier is not None:
        try:
            verifier.verify(request.headers, body, data["request"]["timestamp"])
        except VerificationError as error:
            g.turn["verification_failure"] = error.reason
            return reject(400, f"verification failed: {error.reason}")
    try:
        _check_skill_id(data)
        return Response(jsontext.dumps(answer(data, body.decode("utf-8")), marked=True),
                        mimetype="application/json")
    except envelope.BadEnvelope as error:
        return reject(400, error.reason)


def _check_skill_id(data: dict[str, Any]) -> None:
    """With ALEXA_SKILL_ID set, an envelope naming any other skill is refused (BadEnvelope)."""
    skill_id = current_app.config["ALEXA_SKILL_ID"]
    if skill_id and _claimed_skill_ids(data) != {skill_id}:
        g.turn["verification_failure"] = "wrong_skill_id"
        raise envelope.BadEnvelope("wrong skill id")


def _claimed_skill_ids(data: dict[str, Any]) -> set[Any]:
    """Every skill id the envelope names: the context's, and the session's when it carries one."""
    claimed = {data["context"]["System"]["application"]["applicationId"]}
    application = data.get("session", {}).get("application")
    if isinstance(application, dict):
        claimed.add(application.get("applicationId"))
    return claimed


def answer(data: dict[str, Any], body: str) -> dict[str, Any]:
    """The skill's response to an envelope `envelope.parse` accepted (`body` is its text) and that is
    trusted or verified; shared with the simulator's turn route. BadEnvelope if ask-sdk can't read it."""
    if data["request"]["type"] not in HANDLED_TYPES:
        return EMPTY_RESPONSE
    response_envelope = current_app.extensions["alexa_skill"].invoke(request_envelope(data, body), None)
    return dict(encode.plain(response_envelope))


def request_envelope(data: dict[str, Any], body: str) -> RequestEnvelope:
    """ask-sdk's model of the envelope: decoded directly, or by DefaultSerializer when anything is unusual."""
    try:
        return decode.request_envelope(data)
    except decode.Unusual:
        pass
    try:
        return serializer.deserialize(body, RequestEnvelope)
    except (AskSdkException, ValueError, TypeError, AttributeError, KeyError) as error:
        raise envelope.BadEnvelope(f"envelope does not deserialize: {type(error).__name__}") from error
