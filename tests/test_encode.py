"""webhook/encode.py turns a ResponseEnvelope into exactly what DefaultSerializer.serialize makes of it.

The envelopes are the real skill's replies (a whole workout on a device with a screen, so cards
and APL directives come too, every intent, a session end, a store outage), plus model objects
holding every kind of value the serializer has a rule for.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import Intent, IntentRequest, RequestEnvelope, ResponseEnvelope, SessionEndedReason
from flask import Flask

from simulator.envelopes import Device
from skill.alexa import intents
from webhook import create_app, encode, jsontext

SERIALIZER = DefaultSerializer()


def replies(app: Flask, device: Device, names: list[str]) -> list[ResponseEnvelope]:
    """The skill's ResponseEnvelopes for one device saying `names` in turn (session carried along)."""
    skill, found = app.extensions["alexa_skill"], []
    for name in names:
        body = json.dumps(device.launch() if name == "launch" else device.intent(name))
        with app.test_request_context("/alexa", method="POST"):
            response = skill.invoke(SERIALIZER.deserialize(body, RequestEnvelope), None)
        found.append(response)
        device.absorb(SERIALIZER.serialize(response))
    return found


def test_every_reply_of_a_workout_encodes_as_the_serializer_does(app: Flask) -> None:
    names = ["launch", intents.START_WORKOUT, *[intents.READY] * 12, intents.FORM_TIP, intents.PROGRESS,
             intents.REPEAT, intents.NEXT_EXERCISE, *[intents.READY] * 8, intents.STOP]
    found = replies(app, Device(apl=True), names)
    found += replies(app, Device(), [name for name in (*intents.CUSTOM, *intents.BUILT_INS)])
    directives = [r for r in found if r.response.directives]
    assert len(found) == len(names) + len(intents.CUSTOM) + len(intents.BUILT_INS) and directives
    for response in found:
        assert encode.plain(response) == SERIALIZER.serialize(response)


def test_store_trouble_and_a_quiet_session_end_encode_alike(redis_client: Any) -> None:
    app = create_app({"REDIS_URL": "redis://127.0.0.1:1/0", "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                      "REDIS_TIMEOUT_SECONDS": 0.2})  # nothing listens on port 1: the store is unavailable
    device = Device()
    (apology,) = replies(app, device, [intents.READY])
    assert "reach" in apology.response.output_speech.ssml
    ended = SERIALIZER.deserialize(json.dumps(device.session_ended()), RequestEnvelope)
    with app.test_request_context("/alexa", method="POST"):
        quiet = app.extensions["alexa_skill"].invoke(ended, None)
    for response in (apology, quiet):
        assert encode.plain(response) == SERIALIZER.serialize(response)


def test_every_kind_of_value_follows_the_serializer_rules() -> None:
    when = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
    request = IntentRequest(request_id="r", timestamp=when, locale="en-US", intent=Intent(name="X", slots={}))
    odd: dict[str, Any] = {"n": decimal.Decimal("2"), "f": decimal.Decimal("2.5"), "t": (1, "a"),
                           "d": dt.date(2024, 1, 2), "e": SessionEndedReason.ERROR,
                           "nested": [{"x": None}, request], "b": b"raw", "half": 0.5}
    envelope = ResponseEnvelope(version="1.0", session_attributes=odd, user_agent=None)
    assert encode.plain(envelope) == SERIALIZER.serialize(envelope)
    assert encode.plain(envelope)["sessionAttributes"]["nested"][1]["timestamp"] == "2024-05-01T10:00:00+00:00"
    assert "userAgent" not in encode.plain(envelope)  # None fields are left out


def test_nan_and_infinity_are_marked_so_they_are_written_as_json_writes_them() -> None:
    envelope = ResponseEnvelope(version="1.0", session_attributes={"x": [float("nan"), float("-inf"), 1.5]})
    data = encode.plain(envelope)
    assert json.dumps(data) == json.dumps(SERIALIZER.serialize(envelope))
    assert all(isinstance(v, jsontext.NonFinite) for v in data["sessionAttributes"]["x"][:2])
    assert jsontext.dumps(data, marked=True) == b'{"version":"1.0","sessionAttributes":{"x":[NaN,-Infinity,1.5]}}'
