"""webhook/decode.py builds the same RequestEnvelope as ask-sdk's DefaultSerializer, or says Unusual.

ask-sdk models compare by their fields, recursively, so "the same handler input" is checked whole:
every envelope the fast path accepts must deserialize with DefaultSerializer too, and to an equal
envelope. The corpus is the fuzz test's (tests/test_fuzz.py): real envelopes for every request
type, intent, slot and session attribute it draws, then mutated (keys dropped, values swapped for
other types and odd strings). Envelopes with something the fast path does not map must still be
answered through the app, as before.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.envelopes import Device, slot_payload
from skill.alexa import intents
from skill.alexa.identity import REMINDERS_SCOPE
from tests.runner import Runner
from tests.test_fuzz import envelopes, forged_attributes, mutated, odd_text, printable
from webhook import decode, envelope

SEALED = {"last_reply": {"reply": '{"ssml":"<speak>Hi.</speak>"}', "mac": "0" * 64}}
ATTRIBUTES = st.one_of(st.just(SEALED), forged_attributes)
SERIALIZER = DefaultSerializer()


def compare(body: bytes) -> str:
    """'rejected', 'fallback' or 'fast'; fails if the fast path disagrees with DefaultSerializer."""
    try:
        data = envelope.parse(body)
    except envelope.BadEnvelope:
        return "rejected"
    try:
        fast = decode.request_envelope(copy.deepcopy(data))
    except decode.Unusual:
        return "fallback"
    try:
        slow = SERIALIZER.deserialize(body.decode("utf-8"), RequestEnvelope)
    except (AskSdkException, ValueError, TypeError, AttributeError, KeyError) as error:
        raise AssertionError(f"the fast path accepted what DefaultSerializer refuses: {error!r}") from error
    assert fast == slow
    assert type(fast.request) is type(slow.request)
    if fast.session is not None and fast.session.attributes is not None:  # ask-sdk deep-copies them every turn
        copied = copy.deepcopy(fast.session.attributes)
        assert copied == copy.deepcopy(slow.session.attributes) and type(copied) is dict
        assert not shared_containers(copied, fast.session.attributes)
    return "fast"


def shared_containers(copied: Any, original: Any) -> bool:
    """True when a dict or list of `copied` is the very object in `original` (a shallow copy somewhere)."""
    pending = [(copied, original)]
    while pending:  # walked without recursion: the attributes may nest as deep as the envelope allows
        mine, theirs = pending.pop()
        if not isinstance(mine, dict | list):
            continue
        if mine is theirs:
            return True
        if isinstance(mine, dict):
            assert list(mine) == list(theirs)  # the same keys, in the same order
            pending += zip(mine.values(), theirs.values(), strict=True)
        else:
            pending += zip(mine, theirs, strict=True)
    return False


def run(strategy: st.SearchStrategy[Any], examples: int) -> dict[str, int]:
    seen = {"rejected": 0, "fallback": 0, "fast": 0}

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(strategy)
    def prop(example: dict[str, Any]) -> None:
        seen[compare(json.dumps(example).encode("utf-8"))] += 1

    prop()
    return seen


def _not_a_screen_event(envelope: dict[str, Any]) -> bool:
    """A drawn UserEvent has no arguments our screen sends, so it is refused before decoding (test_fuzz)."""
    return envelope["request"]["type"] != "Alexa.Presentation.APL.UserEvent"


def test_well_formed_envelopes_decode_to_what_the_serializer_makes() -> None:
    seen = run(envelopes(ATTRIBUTES, ids=printable).filter(_not_a_screen_event), 1000)
    assert seen["rejected"] == 0
    assert seen["fast"] >= 150, seen  # launches, intents without resolutions, session ends (about a third)


def test_mutated_envelopes_decode_alike_or_fall_back() -> None:
    seen = run(mutated(envelopes(ATTRIBUTES, ids=odd_text)), 2000)
    assert seen["fast"] >= 40 and seen["fallback"] >= 40, seen  # both paths exercised (about 4% and 14%)


def test_session_attributes_deep_copy_alike_at_the_deepest_nesting_the_envelope_allows() -> None:
    nested: Any = "leaf"
    for level in range(envelope.MAX_DEPTH - 4):  # the envelope, its session and attributes are levels too
        nested = [nested] if level % 2 else {"k": nested, "n": [1, 2.5, None, True]}
    body = json.dumps({**Device().intent(intents.READY), "session": {**Device().intent(intents.READY)["session"],
                                                                    "attributes": {"deep": nested}}}).encode()
    assert compare(body) == "fast"


def test_every_device_turn_takes_the_fast_path() -> None:
    """What the skill's own devices send (the bench's and the tests' turns) is all mapped: voice profiles,
    granted permissions and the API endpoint too."""
    device = Device(apl=True)
    bodies = [device.launch(), *(device.intent(name) for name in (*intents.CUSTOM, *intents.BUILT_INS)),
              device.intent(intents.SET_REST, {"duration": slot_payload("duration", "PT90S", "")}),
              *(device.session_ended(reason) for reason in ("USER_INITIATED", "EXCEEDED_MAX_REPROMPTS"))]
    one_shot = device.launch()
    del one_shot["session"]  # as for a request with no session (AlexaSkillEvent, some one-shots)
    bodies.append(one_shot)
    # A recognised voice on an Echo with the Alexa APIs, who granted reminders and refused timers (issue 13)
    voice = Device(apl=True, person_id="amzn1.ask.person.LOCAL1", api_endpoint="http://127.0.0.1:9",
                   permissions={REMINDERS_SCOPE: "GRANTED", "alexa::alerts:timers:skill:readwrite": "DENIED"})
    bodies += [voice.launch(), voice.intent(intents.HOW_AM_I_DOING),
               voice.intent(intents.MOVE_REMINDER, {intents.TIME_SLOT: slot_payload(intents.TIME_SLOT, "08:00", "")})]
    for body in bodies:
        assert compare(json.dumps(body).encode("utf-8")) == "fast", body["request"]


ALEXA_EXTRAS: dict[str, Any] = {
    "context.Viewport": ("context", "Viewport", {"experiences": [{"canRotate": False, "canResize": False}],
                                                 "shape": "RECTANGLE", "pixelWidth": 1024, "pixelHeight": 600}),
    "context.System.unit": ("context.System", "unit", {"unitId": "amzn1.ask.unit.x", "persistentUnitId": "y"}),
    "session.user.permissions": ("session.user", "permissions", {"consentToken": "token"}),
    "request.task": ("request", "task", {"name": "AMAZON.PrintPDFRequest", "version": "1"}),
    "a key nobody knows": ("request", "shouldLinkResultBeReturned", False),
    "a timestamp with an offset": ("request", "timestamp", "2024-05-01T10:00:00+00:00"),
}


@pytest.mark.parametrize("extra", sorted(ALEXA_EXTRAS))
def test_what_the_fast_path_does_not_map_falls_back_and_is_answered_the_same(client: FlaskClient,
                                                                           extra: str) -> None:
    """Two new runners, the same request id (so the same phrase variants): one plain, one with more."""
    where, key, value = ALEXA_EXTRAS[extra]
    plain_runner, other_runner = Runner(client), Runner(client)
    plain, other = plain_runner.device.launch(), other_runner.device.launch()
    other["request"]["requestId"] = plain["request"]["requestId"]
    parent = other
    for part in where.split("."):
        parent = parent[part]
    parent[key] = value
    assert compare(json.dumps(other).encode("utf-8")) == "fallback"
    expected, got = plain_runner.send(plain), other_runner.send(other)
    assert got.status == 200 and got.response == expected.response


def test_slot_resolutions_fall_back_and_still_resolve(runner: Runner) -> None:
    runner.say(intents.START_WORKOUT, new_session=True)
    slot = slot_payload(intents.EXERCISE_SLOT, "the ball ones", "swiss_ball_curls", "Swiss ball curls")
    body = runner.device.intent(intents.CHOOSE_EXERCISE, {intents.EXERCISE_SLOT: slot})
    assert compare(json.dumps(body).encode("utf-8")) == "fallback"
    assert "Swiss ball" in runner.send(body).text
