"""Property-based: 10,000 generated and mutated envelopes through the real app and a real Redis.

Each starts from a real envelope built by simulator.envelopes.Device for a runner mid-workout, then
drops keys, changes types, puts odd strings in slots, attributes and ids, or mangles the bytes.
Whatever arrives: no 5xx; every 200 is a valid Alexa response (SSML well-formed, a reprompt when the
session stays open, speech for every launch and intent); every rejection leaves Redis byte-for-byte
as it was. Redis is put back to the same mid-workout state before each example, so runs repeat.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import redis
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.envelopes import Device, slot_payload
from skill.alexa import intents
from skill.coach import programme
from tests.runner import Runner
from tests.ssml_check import validate_response
from tests.trust_helpers import Snapshot, post, snapshot, walk_to_set

USER, DEVICE = "amzn1.ask.account.fuzz-runner", "amzn1.ask.device.fuzz-device"
MUTATED, BYTES, ODD = 5_000, 1_500, 3_500  # 10,000 envelopes in all
SPEAKING_TYPES = {"LaunchRequest", "IntentRequest"}
# Weighted towards the turns that reach the workout; "" stands for a made-up type or intent name.
REQUEST_TYPES = ["IntentRequest"] * 12 + ["LaunchRequest"] * 3 + [
    "SessionEndedRequest", "AlexaSkillEvent.SkillDisabled", "AlexaSkillEvent.SkillEnabled", "CanFulfillIntentRequest",
    "Display.ElementSelected", "Connections.Response", "System.ExceptionEncountered",
    "Alexa.Presentation.APL.UserEvent", "Messaging.MessageReceived", ""]
NEVER_SAID = ("something went wrong", "can't reach your workout", "missed that")  # bugs, faults, contention
WORDS = ["swiss ball curls", "nordics", "inchworms", "dumbbells", "a TRX", "PT90S", "PT1M30S", "PT0S", "P1D",
         *programme.exercise_ids(), *programme.EQUIPMENT]
ODD_STRINGS = ["<speak>", "</speak>", "&", "&amp;", "]]>", "\u0000", "\u202e", "🦵💪", "\ud800", "a\udfff",
               "PT" + "9" * 400 + "S", "é" * 5000, " ", ""]

printable = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60)
odd_text = st.one_of(st.text(max_size=40), st.sampled_from(ODD_STRINGS), st.sampled_from(WORDS))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | odd_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=5,
)
slots = st.dictionaries(
    st.sampled_from([intents.EXERCISE_SLOT, intents.EQUIPMENT_SLOT, intents.DURATION_SLOT, "other"]),
    st.tuples(odd_text, st.one_of(st.none(), st.just(""), st.sampled_from(WORDS), odd_text)),
    max_size=3,
)
intent_names = st.sampled_from([*intents.CUSTOM, *intents.BUILT_INS, ""])
request_kinds = st.sampled_from(REQUEST_TYPES)
forged_attributes = st.one_of(
    st.just({}), st.dictionaries(odd_text, json_values, max_size=3),
    st.fixed_dictionaries({"last_reply": st.fixed_dictionaries({"reply": odd_text, "mac": odd_text})}),
)
id_fields = st.sampled_from([None, None, "user", "locale", "request"])  # None: ids stay as the device made them
cuts = st.sampled_from(["truncate", "insert", "overwrite"])
inserts = st.binary(min_size=1, max_size=8) | st.sampled_from([b'"', b"{", b"\\u", b"\xff"])


@st.composite
def envelopes(draw: st.DrawFn, attributes: st.SearchStrategy[Any], ids: st.SearchStrategy[str]) -> dict[str, Any]:
    """A real envelope of a drawn type for the fuzz runner; slots, session attributes and ids drawn too."""
    device = Device(user_id=USER, device_id=DEVICE)
    kind = draw(request_kinds) or draw(printable)
    if kind == "IntentRequest":
        drawn = draw(slots)
        payload = {name: slot_payload(name, value, resolved) for name, (value, resolved) in drawn.items()}
        envelope = device.intent(draw(intent_names) or draw(printable), payload)
    else:
        envelope = device._envelope({"type": kind})
    envelope["request"]["requestId"] = f"amzn1.echo-api.request.{draw(st.uuids())}"
    envelope["session"]["new"] = draw(st.booleans())
    envelope["session"]["sessionId"] = f"amzn1.echo-api.session.{draw(st.uuids())}"
    envelope["session"]["attributes"] = copy.deepcopy(draw(attributes))  # drawn values may be shared objects
    where = draw(id_fields)
    if where == "user":
        envelope["context"]["System"]["user"]["userId"] = draw(ids)
    elif where == "locale":
        envelope["request"]["locale"] = draw(ids)
    elif where == "request":
        envelope["request"]["requestId"] = draw(ids)
    return envelope


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    found: list[tuple[Any, ...]] = []
    for key, child in children:
        found += [(*prefix, key), *paths(child, (*prefix, key))]
    return found


@st.composite
def mutated(draw: st.DrawFn, real: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """A real envelope with 1-3 keys dropped or values replaced (by another type, or an odd string)."""
    envelope = draw(real)
    for _ in range(draw(st.integers(1, 3))):
        found = paths(envelope)
        path = found[draw(st.integers(0, len(found) - 1))]
        parent = envelope
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(draw(json_values))
    return envelope


@st.composite
def mangled(draw: st.DrawFn, real: st.SearchStrategy[dict[str, Any]]) -> bytes:
    """A real envelope's bytes, truncated, with bytes inserted or overwritten."""
    data = bytearray(json.dumps(draw(real)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        cut = draw(cuts)
        if cut == "truncate":
            del data[at:]
        elif cut == "insert":
            data[at:at] = draw(inserts)
        elif at < len(data):
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


class Fuzzer:
    """Sends one body, checks the answer, and puts Redis back to the mid-workout baseline."""

    def __init__(self, client: FlaskClient, data: redis.Redis) -> None:
        self.client, self.data, self.sent = client, data, 0
        runner = Runner(client, Device(user_id=USER, device_id=DEVICE))
        walk_to_set(runner, data, 2)
        sealed = dict(runner.device.attributes)  # a genuine "repeat" cache, so RepeatHandler runs too
        self.baseline: Snapshot = snapshot(data)
        self.dumps = {key: data.dump(key) for key in self.baseline}
        assert sealed and len(self.baseline) == 2
        attributes = st.one_of(st.just(sealed), forged_attributes)
        self.real = envelopes(attributes, ids=printable)  # well-formed: must always be answered
        self.loose = envelopes(attributes, ids=odd_text)  # ids may be empty, too long or not text

    def send(self, body: bytes, *, must_answer: bool = False) -> None:
        self.sent += 1
        try:
            self._check(body, must_answer)
        finally:  # even after a failed check, so one failure cannot cascade into the next examples
            if snapshot(self.data) != self.baseline:
                self.data.flushall()
                for key, dumped in self.dumps.items():
                    self.data.restore(key, 0, dumped, replace=True)

    def _check(self, body: bytes, must_answer: bool) -> None:
        status, payload = post(self.client, body)
        # a screen's event with arguments our screen never sends is refused (400), however well-formed the rest
        screen = must_answer and _request_type(body) == "Alexa.Presentation.APL.UserEvent"
        assert status in ({200} if must_answer and not screen else {200, 400, 405, 413}), (status, payload)
        if status == 200:
            speaks = _request_type(body) in SPEAKING_TYPES
            validate_response(payload, allow_empty=not speaks)
            speech = json.dumps(payload.get("response", {}).get("outputSpeech"))
            assert not any(phrase in speech for phrase in NEVER_SAID), speech
        else:
            assert snapshot(self.data) == self.baseline, f"a rejected request ({status}) changed Redis"


def _request_type(body: bytes) -> Any:
    return json.loads(body)["request"]["type"]


def run(fuzzer: Fuzzer, examples: int, strategy: st.SearchStrategy[Any], check: Callable[[Any], None]) -> None:
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(strategy)
    def prop(example: Any) -> None:
        check(example)

    prop()
    assert fuzzer.sent >= examples


def test_mutated_envelopes_never_5xx_and_rejections_touch_nothing(client: FlaskClient,
                                                                  redis_client: redis.Redis) -> None:
    fuzzer = Fuzzer(client, redis_client)
    run(fuzzer, MUTATED, mutated(fuzzer.loose), lambda envelope: fuzzer.send(json.dumps(envelope).encode()))


def test_mangled_bytes_never_5xx_and_rejections_touch_nothing(client: FlaskClient,
                                                              redis_client: redis.Redis) -> None:
    fuzzer = Fuzzer(client, redis_client)
    run(fuzzer, BYTES, mangled(fuzzer.loose), fuzzer.send)


def test_well_formed_envelopes_with_odd_values_are_always_answered(client: FlaskClient,
                                                                   redis_client: redis.Redis) -> None:
    fuzzer = Fuzzer(client, redis_client)
    run(fuzzer, ODD, fuzzer.real,
        lambda envelope: fuzzer.send(json.dumps(envelope).encode(), must_answer=True))
