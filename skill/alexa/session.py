"""What the skill keeps in Alexa's session attributes, each value sealed with an HMAC (so a forged
session can neither make us speak its own SSML nor claim turns it did not send):

- `last_reply`: the last reply of this session, for "repeat" without a Redis read;
- `unconfirmed`: request-id hashes answered "can't reach your workout" while their write was in
  doubt (sent, never answered). The next turn asks the store whether one was applied after all,
  so a runner who heard an apology for a step that did happen is told, not moved on past it.
"""

from __future__ import annotations

import json

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa import responses
from skill.store import keys

LAST_REPLY_ATTRIBUTE = "last_reply"
UNCONFIRMED_ATTRIBUTE = "unconfirmed"
MAX_UNCONFIRMED = 4
_OURS = (LAST_REPLY_ATTRIBUTE, UNCONFIRMED_ATTRIBUTE)


def _attributes(handler_input: HandlerInput) -> dict[str, object] | None:
    if handler_input.request_envelope.session is None:  # ask-sdk raises on session attributes then
        return None
    return handler_input.attributes_manager.session_attributes


def keep_only_ours(handler_input: HandlerInput, pepper: bytes) -> None:
    """Drop every attribute that is not ours and intact: they come back in every response."""
    attributes = _attributes(handler_input)
    if attributes is None:
        return
    sealed = {name: attributes.get(name) for name in _OURS}
    attributes.clear()
    for name, value in sealed.items():
        if responses.unseal(value, pepper) is not None:
            attributes[name] = value


def last_reply(handler_input: HandlerInput, pepper: bytes) -> str | None:
    attributes = _attributes(handler_input)
    return None if attributes is None else responses.unseal(attributes.get(LAST_REPLY_ATTRIBUTE), pepper)


def remember_reply(handler_input: HandlerInput, rendered: str, pepper: bytes) -> None:
    """The turn was answered for sure: keep its reply for "repeat"; nothing is in doubt any more."""
    attributes = _attributes(handler_input)
    if attributes is not None:
        if not responses.is_quiet(rendered):  # a heartbeat said nothing: "repeat" still says the last words
            attributes[LAST_REPLY_ATTRIBUTE] = responses.seal(responses.for_repeat(rendered), pepper)
        attributes.pop(UNCONFIRMED_ATTRIBUTE, None)


def unconfirmed(handler_input: HandlerInput, pepper: bytes) -> list[str]:
    """Hashes of this session's requests whose write is in doubt, newest first."""
    attributes = _attributes(handler_input)
    raw = None if attributes is None else responses.unseal(attributes.get(UNCONFIRMED_ATTRIBUTE), pepper)
    if raw is None:
        return []
    hashes = json.loads(raw)
    return [value for value in hashes if isinstance(value, str) and value.isalnum()][:MAX_UNCONFIRMED]


def add_unconfirmed(handler_input: HandlerInput, pepper: bytes) -> None:
    """This request's write was sent and never answered: ask about it on the next turn."""
    attributes = _attributes(handler_input)
    if attributes is None:
        return
    request_hash = keys.request_hash(handler_input.request_envelope.request.request_id or "")
    hashes = [request_hash, *(h for h in unconfirmed(handler_input, pepper) if h != request_hash)]
    attributes[UNCONFIRMED_ATTRIBUTE] = responses.seal(json.dumps(hashes[:MAX_UNCONFIRMED]), pepper)
