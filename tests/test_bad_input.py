"""Requests that are not what they claim, or not Alexa envelopes at all: a clear HTTP answer, never a 500,
and Redis byte-for-byte untouched. Slots with odd values get a spoken re-prompt that echoes nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
import redis
from flask.testing import FlaskClient

from simulator.envelopes import Device, slot_payload
from skill.alexa import intents
from tests.runner import Runner
from tests.ssml_check import validate_response
from tests.trust_helpers import Snapshot, post, snapshot, walk_to_set

Envelope = dict[str, Any]
LIMIT = 256 * 1024


@pytest.fixture
def before(runner: Runner, redis_client: redis.Redis) -> Snapshot:
    """A runner mid-workout, so "Redis untouched" compares real data, not an empty database."""
    walk_to_set(runner, redis_client, 2)
    return snapshot(redis_client)


def body(envelope: Envelope) -> bytes:
    return json.dumps(envelope).encode("utf-8")


def edit(change: Callable[[Envelope], object], *, intent: bool = False) -> Callable[[Device], bytes]:
    """A body maker: a real launch (or intent) envelope from the device, changed in one place."""
    def make(device: Device) -> bytes:
        envelope = device.intent(intents.READY) if intent else device.launch()
        change(envelope)
        return body(envelope)
    return make


def _set(path: str, value: object) -> Callable[[Envelope], object]:
    *parents, last = path.split(".")

    def change(envelope: Envelope) -> None:
        node = envelope
        for name in parents:
            node = node[name]
        if value is _set:
            del node[last]
        else:
            node[last] = value
    return change


def drop(path: str) -> Callable[[Envelope], object]:
    return _set(path, _set)


BAD_BODIES: dict[str, Callable[[Device], bytes]] = {
    "empty": lambda d: b"",
    "not-json": lambda d: b"launch please",
    "not-utf8": lambda d: body(d.launch()).replace(b'"1.0"', b'"1.0\xff\xfe"'),
    "truncated": lambda d: body(d.launch())[:-7],
    "json-array": lambda d: b"[]",
    "json-null": lambda d: b"null",
    "json-string": lambda d: b'"LaunchRequest"',
    "deep-nesting": lambda d: b"[" * 100_000 + b"]" * 100_000,
    "huge-integer": lambda d: body(d.launch())[:-1] + b', "n": ' + b"7" * 5000 + b"}",
    "no-version": edit(drop("version")),
    "no-request": edit(drop("request")),
    "request-not-object": edit(_set("request", "LaunchRequest")),
    "type-not-string": edit(_set("request.type", 7)),
    "type-empty": edit(_set("request.type", "")),
    "no-request-id": edit(drop("request.requestId")),
    "request-id-too-long": edit(_set("request.requestId", "r" * 600)),
    "request-id-lone-surrogate": edit(_set("request.requestId", "amzn1.\ud800")),
    "no-timestamp": edit(drop("request.timestamp")),
    "locale-not-string": edit(_set("request.locale", ["en-US"])),
    "no-context": edit(drop("context")),
    "no-user-id": edit(drop("context.System.user.userId")),
    "user-id-number": edit(_set("context.System.user.userId", 12345)),
    "user-id-lone-surrogate": edit(_set("context.System.user.userId", "amzn1.ask.account.\udc00")),
    "no-application-id": edit(drop("context.System.application.applicationId")),
    "session-null": edit(_set("session", None)),
    "session-new-not-bool": edit(_set("session.new", "yes")),
    "session-attributes-list": edit(_set("session.attributes", ["last_reply"])),
    "intent-missing": edit(drop("request.intent"), intent=True),
    "intent-name-number": edit(_set("request.intent.name", 3), intent=True),
    "slots-list": edit(_set("request.intent.slots", ["exercise"]), intent=True),
    "slot-value-number": edit(_set("request.intent.slots", {"duration": {"name": "duration", "value": 90}}),
                              intent=True),
    "dialog-state-unknown": edit(_set("request.dialogState", "HALFWAY"), intent=True),
    "confirmation-unknown": edit(_set("request.intent.confirmationStatus", "PERHAPS"), intent=True),
}


@pytest.mark.parametrize("make", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_malformed_body_is_400_with_a_short_reason_and_touches_nothing(
    make: Callable[[Device], bytes], runner: Runner, client: FlaskClient, redis_client: redis.Redis,
    before: Snapshot,
) -> None:
    status, answer = post(client, make(runner.device))
    assert status == 400
    assert isinstance(answer.get("error"), str) and 0 < len(answer["error"]) <= 80
    assert runner.device.user_id not in answer["error"]
    assert snapshot(redis_client) == before


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_only_post_is_allowed(method: str, client: FlaskClient, redis_client: redis.Redis, before: Snapshot) -> None:
    assert client.open("/alexa", method=method).status_code == 405
    assert snapshot(redis_client) == before


class CountingStream(io.RawIOBase):
    """A body of `size` spaces that counts what the server reads of it (nothing, when it answers 413)."""

    def __init__(self, size: int) -> None:
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body by seeking to its end
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence] + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer: Any) -> int:
        count = max(0, min(len(buffer), self.size - self.position))
        buffer[:count] = b" " * count
        self.position += count
        self.read_bytes += count
        return count


def test_an_oversized_body_is_413_without_being_read(client: FlaskClient, redis_client: redis.Redis,
                                                     before: Snapshot) -> None:
    stream = CountingStream(10 * LIMIT)
    result = client.post("/alexa", input_stream=stream, content_type="application/json")
    assert result.status_code == 413
    assert stream.read_bytes == 0
    assert snapshot(redis_client) == before


def test_the_size_limit_is_256_kib(runner: Runner, client: FlaskClient) -> None:
    padded = body(runner.device.launch())[:-1] + b', "pad": "'
    just_under = padded + b"x" * (LIMIT - len(padded) - 2) + b'"}'
    assert len(just_under) == LIMIT and post(client, just_under)[0] == 200
    assert post(client, just_under[:-2] + b'x"}')[0] == 413


UNUSED_TYPES: dict[str, dict[str, Any]] = {
    "CanFulfillIntentRequest": {"intent": {"name": intents.START_WORKOUT, "slots": {}}},
    "Display.ElementSelected": {"token": "swiss_ball_curls"},
    "Connections.Response": {"name": "Buy", "status": {"code": "200", "message": "OK"}, "payload": {}},
    "System.ExceptionEncountered": {"error": {"type": "INVALID_RESPONSE", "message": "x"},
                                    "cause": {"requestId": "amzn1.echo-api.request.1"}},
    "AlexaSkillEvent.SkillEnabled": {"eventCreationTime": "2026-11-26T00:00:00Z"},
    "AlexaSkillEvent.SkillPermissionAccepted": {"body": {"acceptedPermissions": []}},
    "AlexaSkillEvent.SkillAccountLinked": {"body": {"accessToken": "token"}},
    "Messaging.MessageReceived": {"message": {"anything": 1}},
    "SessionEndedRequest": {"reason": "USER_INITIATED"},
}


@pytest.mark.parametrize("request_type", UNUSED_TYPES)
def test_request_types_that_need_no_speech_get_an_empty_200(request_type: str, runner: Runner, client: FlaskClient,
                                                     redis_client: redis.Redis, before: Snapshot) -> None:
    envelope = runner.device._envelope({"type": request_type, **UNUSED_TYPES[request_type]})
    status, answer = post(client, body(envelope))
    assert status == 200
    validate_response(answer, allow_empty=True)
    assert "outputSpeech" not in answer["response"]
    assert snapshot(redis_client) == before


@pytest.mark.parametrize("arguments", [["<speak>", "&"], ["done"], None, ["done", "1.1.intro.0.1", "more"],
                                       ["rest_over", "</speak>"], [["done"], "x"]])
def test_a_user_event_with_arguments_our_screen_never_sends_is_a_400(arguments: Any, runner: Runner,
                                                                      client: FlaskClient, redis_client: redis.Redis,
                                                                      before: Snapshot) -> None:
    envelope = runner.device._envelope({"type": "Alexa.Presentation.APL.UserEvent", "token": "workout",
                                        "arguments": arguments, "source": {}})
    status, answer = post(client, body(envelope))
    assert status == 400 and "user event" in answer["error"]
    assert snapshot(redis_client) == before


ODD_VALUES = ["<speak>", "&", "</speak><audio src='https://evil.example/x.mp3'/>", "🦵🏃‍♀️💪", "é" * 5000,
              "PT" + "9" * 400 + "S", "\u0000\u001f"]
SLOTTED = [(intents.CHOOSE_EXERCISE, intents.EXERCISE_SLOT, "didn't catch which exercise"),
           (intents.HAVE_EQUIPMENT, intents.EQUIPMENT_SLOT, "didn't catch which equipment"),
           (intents.MISSING_EQUIPMENT, intents.EQUIPMENT_SLOT, "didn't catch which equipment"),
           (intents.SET_REST, intents.DURATION_SLOT, "How long should you rest")]
RESOLUTIONS = {"no-match": None, "no-resolutions": "", "forged-id": "<audio src='https://evil.example'/>"}


@pytest.mark.parametrize(("intent", "slot", "phrase"), SLOTTED, ids=[s[0] for s in SLOTTED])
@pytest.mark.parametrize("resolved", RESOLUTIONS.values(), ids=RESOLUTIONS.keys())
@pytest.mark.parametrize("value", [*ODD_VALUES, None], ids=[*(f"odd{i}" for i in range(len(ODD_VALUES))), "missing"])
def test_an_odd_or_missing_slot_gets_a_spoken_reprompt_that_echoes_nothing(
    intent: str, slot: str, phrase: str, resolved: str | None, value: str | None,
    runner: Runner, redis_client: redis.Redis, before: Snapshot,
) -> None:
    slots = {} if value is None else {slot: slot_payload(slot, value, resolved)}
    turn = runner.send(runner.device.intent(intent, slots))  # validates the whole response
    assert turn.status == 200 and phrase in turn.text and not turn.ends and turn.reprompt
    raw = json.dumps(turn.payload, ensure_ascii=False)
    assert "evil" not in raw
    assert value is None or len(value) < 8 or value not in raw  # short ones ("&") are checked as SSML above
    assert snapshot(redis_client) == before


def test_made_up_session_attributes_are_not_carried_back(runner: Runner, redis_client: redis.Redis,
                                                         before: Snapshot) -> None:
    envelope = runner.device.intent(intents.PROGRESS)
    envelope["session"]["attributes"].update({"admin": True, "padding": "é" * 30_000})
    turn = runner.send(envelope)  # validates the size too: echoing the padding would break Alexa's 24 KB
    assert turn.status == 200 and "Set 2 of 3" in turn.text
    assert set(turn.payload["sessionAttributes"]) == {"last_reply", "state"}
