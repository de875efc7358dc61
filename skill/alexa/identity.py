"""Who a request is from, as the store keys it: the account (HMAC of the userId), the recognised voice
profile if any (HMAC of context.System.person.personId), the device (HMAC of its deviceId).

Raw ids never leave this module but for the Alexa APIs that need them (the device's
settings) and the name tag Alexa fills in (`skill.voice.speech.address`). A personId
that is not shaped like one is treated as no person: the account's turn.
"""

from __future__ import annotations

import hashlib
import hmac

from ask_sdk_model import RequestEnvelope

from skill.store import keys
from skill.voice.speech import PERSON_ID

DEVICE_HASH_CHARS = 16


def _system(envelope: RequestEnvelope) -> object | None:
    return envelope.context.system if envelope.context else None


def user_id(envelope: RequestEnvelope) -> str:
    system = _system(envelope)
    user = getattr(system, "user", None)
    return getattr(user, "user_id", None) or ""


def person_id(envelope: RequestEnvelope) -> str | None:
    """The recognised speaker's personId, when there is one and it looks like one."""
    person = getattr(_system(envelope), "person", None)
    found = getattr(person, "person_id", None)
    return found if isinstance(found, str) and PERSON_ID.fullmatch(found) else None


def device_id(envelope: RequestEnvelope) -> str | None:
    device = getattr(_system(envelope), "device", None)
    found = getattr(device, "device_id", None)
    return found if isinstance(found, str) and 0 < len(found) <= 512 else None


def account_hash(envelope: RequestEnvelope, pepper: bytes) -> str:
    return keys.user_hash(user_id(envelope), pepper)


def person_hash(envelope: RequestEnvelope, pepper: bytes) -> str | None:
    found = person_id(envelope)
    return None if found is None else keys.person_hash(found, pepper)


def device_hash(envelope: RequestEnvelope, pepper: bytes) -> str:
    """A short HMAC of the deviceId: which device's settings the profile remembers asking for."""
    found = device_id(envelope) or ""
    return hmac.new(pepper, b"device:" + found.encode("utf-8"), hashlib.sha256).hexdigest()[:DEVICE_HASH_CHARS]


def can_remind(envelope: RequestEnvelope) -> bool:
    """The runner granted the reminders permission (the scope's status, or a consent token on old requests)."""
    permissions = getattr(getattr(_system(envelope), "user", None), "permissions", None)
    if permissions is None:
        return False
    scopes = getattr(permissions, "scopes", None) or {}
    scope = scopes.get(REMINDERS_SCOPE)
    if scope is not None:
        status = getattr(getattr(scope, "status", None), "value", None)
        return status == "GRANTED"
    return bool(getattr(permissions, "consent_token", None))


REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
