"""JSON logs: the formatter, its idempotent setup, and the one line per turn that never names the runner."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from local_redis import RedisServer
from simulator.envelopes import slot_payload
from skill.alexa import intents
from tests.runner import Runner
from webhook import create_app, logs


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger without a JSON handler (an earlier create_app may have left one), restored after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root.handlers[:] = [h for h in handlers if not isinstance(h.formatter, logs.JsonFormatter)]
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def formatted(record: logging.LogRecord) -> dict[str, Any]:
    line = logs.JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_record_becomes_one_json_object_with_its_extra_fields() -> None:
    record = logging.LogRecord("webhook.turn", logging.INFO, __file__, 1, "turn %s", ("done",), None)
    record.__dict__.update(request_id="amzn1.echo-api.request.1", latency_ms=3.5, odd={1, 2})
    entry = formatted(record)
    assert entry["level"] == "INFO" and entry["logger"] == "webhook.turn" and entry["msg"] == "turn done"
    assert entry["ts"].endswith("+00:00") and "T" in entry["ts"]
    assert entry["request_id"] == "amzn1.echo-api.request.1" and entry["latency_ms"] == 3.5
    assert entry["odd"] == "{1, 2}"  # not JSON: written as its str(), never a crash
    assert not {"args", "levelno", "pathname", "exc_info"} & entry.keys()


def test_an_exception_goes_in_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("skill", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    entry = formatted(record)
    assert "ValueError: boom" in entry["exc"] and "Traceback" in entry["exc"]


def test_configure_logging_is_idempotent(root_logger: logging.Logger) -> None:
    first = logs.configure_logging("debug")
    second = logs.configure_logging("WARNING")
    assert first is second and root_logger.level == logging.WARNING
    ours = [h for h in root_logger.handlers if isinstance(h.formatter, logs.JsonFormatter)]
    assert ours == [first]


def test_the_handler_writes_json_to_the_current_stderr(
    root_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure_logging("INFO")
    logging.getLogger("webhook.test").info("hello", extra={"outcome": "ok"})
    (line,) = capsys.readouterr().err.splitlines()
    assert json.loads(line)["msg"] == "hello" and json.loads(line)["outcome"] == "ok"


def test_create_app_sets_up_json_logs_outside_tests(root_logger: logging.Logger, redis_server: RedisServer) -> None:
    create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True})
    assert not any(isinstance(h.formatter, logs.JsonFormatter) for h in root_logger.handlers)
    create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": False, "LOG_LEVEL": "INFO"})
    assert any(isinstance(h.formatter, logs.JsonFormatter) for h in root_logger.handlers)
    assert root_logger.level == logging.INFO


def turn_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [formatted(r) for r in caplog.records if r.name == "webhook.turn"]


def test_one_line_per_turn_with_what_an_operator_needs(caplog: pytest.LogCaptureFixture, runner: Runner) -> None:
    with caplog.at_level(logging.INFO):
        envelope = runner.device.launch()
        runner.send(envelope)
        runner.say(intents.PROGRESS)
    lines = turn_lines(caplog)
    assert len(lines) == 2
    first = lines[0]
    assert first["request_id"] == envelope["request"]["requestId"]
    assert (first["request_type"], first["intent"], first["outcome"], first["status"]) == (
        "LaunchRequest", "none", "ok", 200)
    assert isinstance(first["latency_ms"], float) and first["latency_ms"] >= 0
    assert lines[1]["intent"] == intents.PROGRESS


def test_a_rejected_request_says_why(caplog: pytest.LogCaptureFixture, client: FlaskClient) -> None:
    with caplog.at_level(logging.INFO):
        client.post("/alexa", data=b"{}")
    (line,) = turn_lines(caplog)
    assert line["outcome"] == "rejected" and line["status"] == 400 and "envelope.version" in line["reason"]


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
def test_no_log_line_names_the_runner_or_repeats_what_they_said(
    caplog: pytest.LogCaptureFixture, runner: Runner, level: int
) -> None:
    """Every record of a few turns, as JSON: no user id, no slot value, not even at DEBUG."""
    spoken = "the xyzzy plugh exercise"
    with caplog.at_level(level):
        runner.launch()
        runner.say(intents.CHOOSE_EXERCISE, exercise=(spoken, None))
        runner.send(runner.device.intent(intents.SET_REST, {"duration": slot_payload("duration", "PT77S")}))
        runner.end_session()
    text = "\n".join(logs.JsonFormatter().format(record) for record in caplog.records)
    assert len(turn_lines(caplog)) == 4
    for secret in (runner.device.user_id, "xyzzy", "PT77S", runner.device.device_id):
        assert secret not in text, secret
