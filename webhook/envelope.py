"""Checks that a request body is an Alexa envelope before anything trusts it.

ask-sdk's deserializer is lenient (`[]` deserializes to an envelope with no
request), so the shape the skill relies on is checked here; any failure is a
BadEnvelope with a short reason, answered with HTTP 400.
"""

from __future__ import annotations

import re
from typing import Any

from skill.coach.events import SCREEN_KINDS
from webhook import jsontext

MAX_ID_LENGTH = 512
MAX_DEPTH = 400  # ask-sdk deep-copies session attributes; about 490 levels of nesting crash it
USER_EVENT = "Alexa.Presentation.APL.UserEvent"
SCREEN_EVENTS = frozenset(kind.value for kind in SCREEN_KINDS)
_STEP = re.compile(r"[0-9a-z_.]{1,64}")  # skill.coach.screens.position: what our SendEvents carry


class BadEnvelope(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _field(parent: dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = parent.get(name)
    if not isinstance(value, kind) or (kind is str and not (0 < len(value) <= MAX_ID_LENGTH)):
        raise BadEnvelope(f"{where}.{name} missing or not a {kind.__name__}")
    if kind is str and not _is_text(value):
        raise BadEnvelope(f"{where}.{name} is not valid Unicode")
    return value


def _is_text(value: str) -> bool:
    """False for a lone surrogate ("\\ud800" is legal JSON, but hashing or speaking it would fail later)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and objects nest more than `limit` levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if level + 1 > limit:
                    return True
                stack.append((child, level + 1))
    return False


def loads(text: str) -> Any:
    """json.loads, with nesting past MAX_DEPTH refused (BadEnvelope) before anything deep-copies it."""
    try:
        data = jsontext.loads(text)
    except (ValueError, RecursionError) as error:  # ValueError: also an integer past Python's 4300 digits
        raise BadEnvelope("body is not JSON") from error
    if text.count("{") + text.count("[") > MAX_DEPTH and too_deep(data):  # fewer brackets cannot nest deeper
        raise BadEnvelope(f"body nests more than {MAX_DEPTH} levels")
    return data


def parse(body: bytes) -> dict[str, Any]:
    """Decode and check the envelope; returns the parsed JSON (a dict)."""
    if not body:
        raise BadEnvelope("empty body")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadEnvelope("body is not UTF-8") from error
    data = loads(text)
    if not isinstance(data, dict):
        raise BadEnvelope("body is not a JSON object")
    _field(data, "version", str, "envelope")
    request = _field(data, "request", dict, "envelope")
    _field(request, "type", str, "request")
    _field(request, "requestId", str, "request")
    _field(request, "timestamp", str, "request")
    if "locale" in request and not isinstance(request["locale"], str):
        raise BadEnvelope("request.locale not a string")
    system = _field(_field(data, "context", dict, "envelope"), "System", dict, "context")
    _field(_field(system, "application", dict, "System"), "applicationId", str, "application")
    _field(_field(system, "user", dict, "System"), "userId", str, "user")
    if "session" in data:
        session = _field(data, "session", dict, "envelope")
        _field(session, "new", bool, "session")
        _field(session, "sessionId", str, "session")
        if session.get("attributes") is not None and not isinstance(session["attributes"], dict):
            raise BadEnvelope("session.attributes not an object")
    if request["type"] == "IntentRequest":
        _check_intent(_field(request, "intent", dict, "request"))
    if request["type"] == USER_EVENT:
        _check_user_event(request)
    return data


def _check_user_event(request: dict[str, Any]) -> None:
    """Our screen sends exactly [event, position]: anything else was not sent by it (400, nothing changes)."""
    arguments = request.get("arguments")
    if not isinstance(arguments, list) or len(arguments) != 2 or not all(isinstance(a, str) for a in arguments):
        raise BadEnvelope("user event arguments are not [event, position]")
    if arguments[0] not in SCREEN_EVENTS or not _STEP.fullmatch(arguments[1]):
        raise BadEnvelope("user event arguments are not ones our screen sends")
    if not isinstance(request.get("token", ""), str):
        raise BadEnvelope("user event token not a string")


def _check_intent(intent: dict[str, Any]) -> None:
    _field(intent, "name", str, "intent")
    slots = intent.get("slots")
    if slots is None:
        return
    if not isinstance(slots, dict):
        raise BadEnvelope("intent.slots not an object")
    for slot in slots.values():
        if not isinstance(slot, dict) or not isinstance(slot.get("name"), str):
            raise BadEnvelope("slot not an object with a name")
        if slot.get("value") is not None and not isinstance(slot["value"], str):
            raise BadEnvelope("slot value not a string")
        if slot.get("resolutions") is not None and not isinstance(slot["resolutions"], dict):
            raise BadEnvelope("slot resolutions not an object")
