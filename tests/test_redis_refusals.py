"""A Redis that answers but refuses writes: full (maxmemory, noeviction), a read-only replica, or unable
to write its append-only file. /readyz says so (it means "a turn could be taken now"), each refusal has its
own kind in the logs and in hc_redis_errors_total, and "delete my data" still works when Redis is full."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask.testing import FlaskClient

from local_redis import RedisServer, free_port
from skill.alexa import intents
from tests.runner import Runner
from tests.test_metrics import change
from tests.trust_helpers import runner_keys, walk_to_set
from webhook import create_app

APOLOGY = "Sorry, I can't reach your workout right now."


def full(data: redis.Redis) -> None:
    data.config_set("maxmemory", "1")  # far below what it holds: every denyoom write is refused


def read_only(data: redis.Redis) -> None:
    data.replicaof("127.0.0.1", free_port())  # a replica of a master that is not there


REFUSALS: dict[str, tuple[Callable[[redis.Redis], None], str]] = {"oom": (full, "oom"),
                                                                 "readonly": (read_only, "readonly")}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path / "redis") as server:
        yield server


def client_on(url: str, **config: object) -> FlaskClient:
    return create_app({"REDIS_URL": url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True, **config}).test_client()


@pytest.mark.parametrize("name", REFUSALS)
def test_readyz_is_503_when_redis_answers_but_refuses_writes(name: str, server: RedisServer) -> None:
    client, data = client_on(server.url), redis.Redis.from_url(server.url)
    assert client.get("/readyz").status_code == 200
    refuse, kind = REFUSALS[name]
    refuse(data)
    assert data.ping()  # PING still works: what /readyz used to ask
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["redis"] == kind


@pytest.mark.parametrize("name", REFUSALS)
def test_each_refusal_is_an_apology_counted_by_its_own_kind(name: str, server: RedisServer) -> None:
    client, data = client_on(server.url), redis.Redis.from_url(server.url)
    runner = Runner(client)
    walk_to_set(runner, data, 2)
    refuse, kind = REFUSALS[name]
    refuse(data)
    delta = change(client, lambda: runner.say(intents.READY))
    assert delta("hc_redis_errors_total", kind=kind) >= 1
    assert delta("hc_redis_errors_total", kind="ResponseError") == 0


def test_a_failing_append_only_file_is_misconf(tmp_path: Path) -> None:
    with RedisServer(tmp_path / "redis", fsync="everysec", file_size_limit=24 * 1024) as server:
        client = client_on(server.url)
        runner = Runner(client)
        for number in range(200):  # until the append-only file can grow no more
            if APOLOGY in runner.say(intents.SET_REST, new_session=number == 0,
                                     duration=(f"PT{30 + number % 60}S", None)).text:
                break
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.get_json()["redis"] == "misconf"
        delta = change(client, lambda: runner.say(intents.SET_REST, duration=("PT40S", None)))
        assert delta("hc_redis_errors_total", kind="misconf") >= 1


def test_delete_my_data_works_by_voice_when_redis_is_full(server: RedisServer) -> None:
    client, data = client_on(server.url), redis.Redis.from_url(server.url)
    runner = Runner(client)
    walk_to_set(runner, data, 2)
    full(data)
    assert APOLOGY in runner.say(intents.READY).text  # an ordinary turn is refused...
    asked = runner.say(intents.DELETE_DATA)
    assert APOLOGY not in asked.text and asked.reprompt  # ...but "delete my data?" is asked
    assert runner.say(intents.YES).status == 200
    assert runner_keys(data, runner.device.user_id) == []
