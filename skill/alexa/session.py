"""What the skill keeps in Alexa's session attributes, each value sealed with an HMAC (so a forged
session can neither make us speak its own SSML nor claim turns it did not send):

- `last_reply`: the last reply of this session, for "repeat" without a Redis read;
- `unconfirmed`: request-id hashes answered "can't reach your workout" while their write was in
  doubt (sent, never answered). The next turn asks the store whether one was applied after all,
  so a runner who heard an apology for a step that did happen is told, not moved on past it;
- `state`: the runner's state as the last turn left it, without its history (`skill.store.known`), so the
  next changing turn is one Redis round trip. Its MAC binds the runner's key: a copy made for one runner
  (or voice profile) does not check out for another.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa import identity, responses
from skill.store import keys
from skill.store.known import Known

LAST_REPLY_ATTRIBUTE = "last_reply"
UNCONFIRMED_ATTRIBUTE = "unconfirmed"
STATE_ATTRIBUTE = "state"
KNOWN_REQUEST_ATTRIBUTE = "known"  # request attribute: the session's copy of the state, checked once
MAX_UNCONFIRMED = 4
MAX_STATE_CHARS = 8000  # the state and its history's tail: about 2 KB; bounds what a forged copy makes us hash
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
    copy = attributes.get(STATE_ATTRIBUTE)
    attributes.clear()
    for name, value in sealed.items():
        if responses.unseal(value, pepper) is not None:
            attributes[name] = value
    if copy is None:
        return
    envelope = handler_input.request_envelope
    known = _unseal_state(copy, keys.runner_key(identity.account_hash(envelope, pepper),
                                                identity.person_hash(envelope, pepper)), pepper)
    if known is not None:
        attributes[STATE_ATTRIBUTE] = copy
        handler_input.attributes_manager.request_attributes[KNOWN_REQUEST_ATTRIBUTE] = known


def known_state(handler_input: HandlerInput) -> Known | None:
    """The session's copy of the runner's state, checked by `keep_only_ours` (None: the turn reads Redis)."""
    return handler_input.attributes_manager.request_attributes.get(KNOWN_REQUEST_ATTRIBUTE)


def remember_state(handler_input: HandlerInput, known: Known | None, pepper: bytes) -> None:
    """Carry what this turn left the state at to the next turn in the session (or nothing: it reads Redis)."""
    attributes = _attributes(handler_input)
    if attributes is None:
        return
    body = "" if known is None else \
        f"{known.version} {known.persons} {known.history_length}\n{known.state_json}\n{known.tail_json}"
    sealed = f"{_state_mac(known.key, body, pepper)} {body}" if known is not None and body.isascii() else ""
    if sealed and len(sealed) <= MAX_STATE_CHARS:  # what _unseal_state accepts, checked on what it will get
        attributes[STATE_ATTRIBUTE] = sealed
    else:
        attributes.pop(STATE_ATTRIBUTE, None)


def _unseal_state(value: object, key: str, pepper: bytes) -> Known | None:
    """One string, "<mac> <version> <profiles> <history length>\n<state JSON>\n<history tail JSON>" (a string:
    ask-sdk deep-copies the session attributes, and a string is copied whole)."""
    if not isinstance(value, str) or len(value) > MAX_STATE_CHARS or not value.isascii():
        return None  # ascii: the JSON inside is ASCII-escaped, and compare_digest takes only ASCII
    mac, _, body = value.partition(" ")
    parts = body.split("\n")
    header = parts[0].split(" ")
    if len(parts) != 3 or len(header) != 3 or not all(field.isdigit() for field in header[1:]):
        return None
    if not hmac.compare_digest(_state_mac(key, body, pepper), mac):
        return None
    return Known(key, header[0], int(header[1]), parts[1], parts[2], int(header[2]))


def _state_mac(key: str, body: str, pepper: bytes) -> str:
    # keyed BLAKE2b: a MAC like HMAC, at half its cost
    return hashlib.blake2b(f"{key}\n{body}".encode("ascii"), key=_state_key(pepper), digest_size=16).hexdigest()


@lru_cache(maxsize=4)
def _state_key(pepper: bytes) -> bytes:
    """The pepper, domain-separated for this MAC (and fitted to BLAKE2b's 64-byte key)."""
    return hashlib.blake2b(b"session-state:" + pepper, digest_size=32).digest()


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
