"""A Redis stall that starts after the turn's read (finding: "sorry" for a turn that was applied).

Through a fault proxy (tests/fault_proxy.py) that SIGSTOPs the test's own redis-server when the write
script arrives, or passes the write on and holds Redis's reply. Whatever the stall, what the runner
hears matches what is stored: a short stall is a wait; a long one is an apology with nothing applied,
or, when the write did run, the next turn gives the reply the runner missed instead of moving on.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from local_redis import RedisServer
from simulator.echo import Clock as DeviceClock
from skill.alexa import intents
from tests.fault_proxy import FaultProxy
from tests.runner import Runner
from tests.trust_helpers import set_number, walk_to_set
from webhook import create_app

APOLOGY = "Sorry, I can't reach your workout right now."
BUDGET_S = 2.0  # the app's turn budget in these tests (production: 4 s)


@pytest.fixture
def redis_own(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            os.kill(server.process.pid, signal.SIGCONT)
        server.stop()


@pytest.fixture
def proxy(redis_own: RedisServer) -> Iterator[FaultProxy]:
    assert redis_own.process is not None
    proxy = FaultProxy(redis_own.socket_path, redis_own.process.pid)
    yield proxy
    proxy.close()


def runner_through(proxy: FaultProxy) -> Runner:
    app = create_app({"REDIS_URL": proxy.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                      "REDIS_TURN_BUDGET_SECONDS": BUDGET_S, "CLOCK": DeviceClock(time.time())})
    return Runner(app.test_client())  # in device time: each turn after the last reply has played


def test_a_stall_shorter_than_the_budget_is_a_wait_not_an_apology(proxy: FaultProxy, redis_own: RedisServer) -> None:
    runner, data = runner_through(proxy), redis.Redis.from_url(redis_own.url)
    walk_to_set(runner, data, 2)
    proxy.arm("stop", 1.2)  # longer than a Redis call's timeout and its retry (0.5 s each)
    turn = runner.say(intents.READY)
    assert proxy.fired.is_set()
    assert APOLOGY not in turn.text and "Set 2" in turn.text
    assert set_number(data, runner.device.user_id) == 3


def test_a_reply_lost_after_the_write_ran_is_given_on_the_next_turn(proxy: FaultProxy,
                                                                   redis_own: RedisServer) -> None:
    runner, data = runner_through(proxy), redis.Redis.from_url(redis_own.url)
    walk_to_set(runner, data, 2)
    proxy.arm("hold", None)  # the write runs; its reply (and every retry's) is held past the budget
    assert APOLOGY in runner.say(intents.READY).text
    proxy.release()
    assert set_number(data, runner.device.user_id) == 3  # set 2 was recorded, though the runner heard "sorry"
    again = runner.say(intents.READY)  # the runner says it again...
    assert "Set 2" in again.text and APOLOGY not in again.text  # ...and hears set 2, the one they missed
    assert set_number(data, runner.device.user_id) == 3  # not moved on to set 4: nothing skipped
    assert "Set 3" in runner.say(intents.READY).text


def test_a_write_that_reaches_redis_after_the_turn_gave_up_writes_nothing(proxy: FaultProxy,
                                                                         redis_own: RedisServer) -> None:
    runner, data = runner_through(proxy), redis.Redis.from_url(redis_own.url)
    walk_to_set(runner, data, 2)
    proxy.arm("stop", None)  # Redis stopped with the write (and every retry) waiting in its socket
    assert APOLOGY in runner.say(intents.READY).text
    proxy.release()
    assert data.ping()  # answered after the queued writes, which arrived first
    assert set_number(data, runner.device.user_id) == 2  # they came too late and wrote nothing
    assert "Set 2" in runner.say(intents.READY).text
    assert set_number(data, runner.device.user_id) == 3
