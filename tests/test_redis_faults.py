"""Redis faults against real redis-server processes: unreachable at start, hung (SIGSTOP), restarted or
crashed mid-workout, damaged data. Every turn still answers 200 quickly (an apology that keeps the
session open and writes nothing), and the same app carries on when Redis is back, with nothing lost."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from local_redis import RedisServer, free_port
from simulator.echo import Clock as DeviceClock
from simulator.envelopes import Device
from skill.alexa import intents
from skill.store import keys
from tests.runner import Runner, Turn
from tests.trust_helpers import set_number, stored, wait_until, walk_to_set
from webhook import create_app

APOLOGY = "Sorry, I can't reach your workout right now."
TURN_BUDGET_S = 3.0  # Alexa waits about 8 s; a Redis fault must cost far less


def app_on(url: str) -> Flask:
    """The app as production builds it (default Redis timeouts), verification off, pytest keeping the logs."""
    return create_app({"REDIS_URL": url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                       "CLOCK": DeviceClock(time.time())})  # device time: each turn after the last has played


def timed(say: Callable[[], Turn]) -> tuple[Turn, float]:
    started = time.monotonic()
    return say(), time.monotonic() - started


def assert_apology(turn: Turn, seconds: float) -> None:
    assert turn.status == 200 and APOLOGY in turn.text, turn.text
    assert turn.reprompt and not turn.ends  # the session stays open: the runner can just say it again
    assert seconds < TURN_BUDGET_S


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own (append-only file on), so the session's server is never disturbed."""
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            os.kill(server.process.pid, signal.SIGCONT)  # in case the test stopped it
        server.stop()


@pytest.mark.parametrize("where", ["missing-socket", "closed-port"])
def test_unreachable_redis_at_start_the_webhook_still_serves(where: str) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"  # picked now: nothing listens there
    app = app_on("unix:///nonexistent/hamstring-coach/redis.sock" if where == "missing-socket" else closed)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["redis"] == "unreachable"
    runner = Runner(client)
    assert_apology(*timed(runner.launch))
    assert_apology(*timed(lambda: runner.say(intents.START_WORKOUT)))
    assert runner.end_session().status == 200
    disabled = runner.device._envelope({"type": "AlexaSkillEvent.SkillDisabled"})
    assert client.post("/alexa", json=disabled).status_code == 200


def test_redis_that_comes_up_later_is_used_without_restarting_the_app(tmp_path: Path) -> None:
    port = free_port()
    app = app_on(f"redis://127.0.0.1:{port}/0")
    runner = Runner(app.test_client())
    assert_apology(*timed(lambda: runner.say(intents.START_WORKOUT, new_session=True)))
    with RedisServer(tmp_path / "redis", unix_socket=False, port=port) as server:
        wait_until(lambda: app.test_client().get("/readyz").status_code == 200, 5, "/readyz to turn ready")
        assert "Today:" in runner.say(intents.START_WORKOUT, new_session=True).text
        assert set_number(redis.Redis.from_url(server.url), runner.device.user_id) == 1


def test_a_hung_redis_costs_a_turn_seconds_not_alexas_patience(own_redis: RedisServer) -> None:
    app = app_on(own_redis.url)
    runner, data = Runner(app.test_client()), redis.Redis.from_url(own_redis.url)
    walk_to_set(runner, data, 2)
    before = stored(data, runner.device.user_id)
    assert own_redis.process is not None
    os.kill(own_redis.process.pid, signal.SIGSTOP)
    try:
        assert_apology(*timed(lambda: runner.say(intents.READY)))
        assert_apology(*timed(lambda: runner.say(intents.PROGRESS)))
        started = time.monotonic()
        assert app.test_client().get("/readyz").status_code == 503
        assert time.monotonic() - started < TURN_BUDGET_S
    finally:
        os.kill(own_redis.process.pid, signal.SIGCONT)
    assert stored(data, runner.device.user_id) == before  # the failed "ready" wrote nothing...
    assert "Set 2" in runner.say(intents.READY).text  # ...so set 2 is not skipped; same app, same pool
    assert set_number(data, runner.device.user_id) == 3


@pytest.mark.parametrize("how", ["shutdown", "crash"])
def test_redis_restarted_mid_workout_loses_no_progress(how: str, own_redis: RedisServer) -> None:
    app = app_on(own_redis.url)
    runner = Runner(app.test_client())
    walk_to_set(runner, redis.Redis.from_url(own_redis.url), 2)
    before = stored(redis.Redis.from_url(own_redis.url), runner.device.user_id)
    assert own_redis.process is not None
    if how == "shutdown":  # as a service manager would stop it: SHUTDOWN flushes the append-only file
        redis.Redis.from_url(own_redis.url).shutdown()
    else:  # kill -9: what the append-only file has already been handed survives
        own_redis.process.kill()
    own_redis.process.wait(timeout=10)
    assert_apology(*timed(lambda: runner.say(intents.READY)))  # while Redis is down
    own_redis.start()
    data = redis.Redis.from_url(own_redis.url)
    assert stored(data, runner.device.user_id) == before
    assert "Set 2 of 3" in runner.say(intents.PROGRESS).text
    assert "Set 2" in runner.say(intents.READY).text
    assert set_number(data, runner.device.user_id) == 3


def test_damaged_state_starts_the_runner_afresh_instead_of_failing_every_turn(
    runner: Runner, redis_client: redis.Redis
) -> None:
    redis_client.hset(keys.user_key(keys.user_hash(runner.device.user_id)), mapping={"v": "3", "state": "{oops"})
    turn = runner.launch()
    assert turn.status == 200 and "Welcome to Hamstring Coach" in turn.text
    assert "Today:" in runner.say(intents.START_WORKOUT).text
    assert stored(redis_client, runner.device.user_id)[0] == 4


def test_a_key_of_the_wrong_type_is_an_apology_not_a_500(app: Flask, redis_client: redis.Redis) -> None:
    device = Device()
    redis_client.set(keys.user_key(keys.user_hash(device.user_id)), "not a hash")
    assert_apology(*timed(lambda: Runner(app.test_client(), device).launch()))
    assert redis_client.get(keys.user_key(keys.user_hash(device.user_id))) == b"not a hash"
