"""Deeply nested JSON: refused with a 400 when the envelope is parsed (more than 400 levels), on /alexa and
on the simulator's turn route, before ask-sdk's deepcopy of the session attributes can crash (a 500 and a
166 KB traceback for a 3 KB request, from about 490 levels)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask

from local_redis import RedisServer
from simulator.envelopes import Device
from skill.alexa import intents
from tests.test_simulator_page import simulator_app
from webhook.envelope import MAX_DEPTH

DEPTHS = [10, MAX_DEPTH - 1, MAX_DEPTH + 1, 490, 985, 5000, 40_000]  # 40,000: just under the 256 KiB cap


def nested(depth: int) -> str:
    """JSON text of `depth` levels: the attributes object itself and depth - 1 more."""
    return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)


def envelope_with_attributes(depth: int) -> bytes:
    """An intent request whose session attributes nest so that the whole envelope is `depth` levels deep."""
    envelope = Device().intent(intents.READY)
    envelope["session"]["attributes"] = {"x": "PLACEHOLDER"}
    text = json.dumps(envelope)
    return text.replace('"PLACEHOLDER"', nested(depth - 3)).encode("utf-8")  # envelope > session > attributes


@pytest.mark.parametrize("depth", DEPTHS)
def test_alexa_refuses_nesting_past_the_limit_with_a_400(depth: int, app: Flask,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        reply = app.test_client().post("/alexa", data=envelope_with_attributes(depth), content_type="application/json")
    if depth <= MAX_DEPTH:
        assert reply.status_code == 200
    else:
        assert reply.status_code == 400 and reply.get_json()["error"] in (
            f"body nests more than {MAX_DEPTH} levels", "body is not JSON")
    assert not any(record.exc_info for record in caplog.records)  # no traceback in the logs
    assert sum(len(record.getMessage()) for record in caplog.records) < 5000


@pytest.mark.parametrize("depth", DEPTHS)
def test_the_simulator_refuses_nesting_past_the_limit_with_a_400(depth: int, redis_server: RedisServer,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    client = simulator_app(redis_server, ALEXA_VERIFY_REQUESTS=True).test_client()
    start = client.post("/simulator/turn", json={"text": "start my hamstring workout"}).get_json()
    conversation: dict[str, Any] = start["conversation"]
    conversation["attributes"] = {"x": "PLACEHOLDER"}
    body = json.dumps({"text": "ready", "conversation": conversation}).replace('"PLACEHOLDER"', nested(depth))
    with caplog.at_level(logging.INFO):
        reply = client.post("/simulator/turn", data=body, content_type="application/json")
    assert reply.status_code == (200 if depth + 3 <= MAX_DEPTH else 400), reply.get_data(as_text=True)[:200]
    assert not any(record.exc_info for record in caplog.records)
