"""Shared pytest fixtures, by section. Add yours under the section it belongs to."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from local_redis import RedisServer
from simulator.echo import Clock as DeviceClock
from tests.alexa_api import AlexaApiStandIn, alexa_api_stand_in
from tests.runner import Runner
from tests.verification_helpers import Clock, FakeFetch, make_verifier
from webhook import create_app
from webhook.verification import RequestVerifier

# ---------------------------------------------------------------- Redis (ours, never the environment's)


@pytest.fixture(scope="session", autouse=True)
def _no_outside_redis() -> Iterator[None]:
    """Hide REDIS_URL so nothing under test can reach a Redis the tests did not start."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("REDIS_URL", raising=False)
        yield


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server the test session starts, owns and stops (unix socket, append-only file). fsync every
    second, not before every reply: on a busy CI disk an fsync can outlast the app's 0.5 s call timeout, and
    these tests are about the skill; durability has its own servers (tests/test_durability.py)."""
    with RedisServer(tmp_path_factory.mktemp("redis"), fsync="everysec") as server:
        yield server


@pytest.fixture
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """A client on our own server, emptied first so each test owns an empty Redis."""
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    yield client
    client.close()


# ---------------------------------------------------------------- app and client (the lead's)


@pytest.fixture
def device_clock() -> DeviceClock:
    """Device time: the app's clock, moved on by each reply's playing time (simulator/echo.py)."""
    return DeviceClock(time.time())


@pytest.fixture
def app(redis_server: RedisServer, redis_client: redis.Redis, device_clock: DeviceClock) -> Flask:
    """The real Flask app on our own, emptied Redis, in device time; verification off (tested on its own)."""
    # A 5 s call timeout, not production's 0.5 s: on a loaded 2-core CI box a read on this shared server
    # once took longer and a behavioural test heard "can't reach your workout". Timeouts and stalls are
    # tested with their own apps and servers (test_redis_faults, test_stalls).
    return create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                       "CLOCK": device_clock, "REDIS_TIMEOUT_SECONDS": 5.0})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(client: FlaskClient) -> Runner:
    """One runner on one device, talking to the app as Alexa would, each turn after the last has played."""
    return Runner(client)


# ---------------------------------------------------------------- request verification (offline)


@pytest.fixture
def fetch() -> FakeFetch:
    """The faked outside edge: Amazon's certificate download."""
    return FakeFetch()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def verifier(fetch: FakeFetch, clock: Clock) -> RequestVerifier:
    return make_verifier(fetch, clock)


# ---------------------------------------------------------------- the Alexa APIs (timers, reminders, settings)


@pytest.fixture
def alexa_api() -> Iterator[AlexaApiStandIn]:
    """A local stand-in for the Alexa APIs; put its `url` in a Device's `api_endpoint`."""
    with alexa_api_stand_in() as api:
        yield api
