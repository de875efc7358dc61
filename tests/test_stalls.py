"""A Redis stall that starts after the turn's read (finding: "sorry" for a turn that was applied).

Through a fault proxy (tests/fault_proxy.py) that SIGSTOPs the test's own redis-server when the write
script arrives, or passes the write on and holds Redis's reply. Whatever the stall, what the runner
hears matches what is stored: a short stall is a wait; a long one is an apology with nothing applied,
or, when the write did run, the next turn gives the reply the runner missed instead of moving on: in the
same session (its attributes remember the request) or in a new one (the store's in-doubt marker in Redis,
written after the apology, in the background).
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from local_redis import RedisServer
from simulator.echo import Clock as DeviceClock
from skill.alexa import intents
from skill.store import Store, keys, script
from tests.fault_proxy import FaultProxy
from tests.runner import Runner
from tests.trust_helpers import set_number, stored, wait_until, walk_to_set
from webhook import create_app

APOLOGY = "Sorry, I can't reach your workout right now."
READ_SHA = hashlib.sha1(script("read").encode("utf-8")).hexdigest().encode("ascii")
BUDGET_S = 2.0  # the app's turn budget in these tests (production: 3.5 s)


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


_stores: list[Store] = []


@pytest.fixture(autouse=True)
def markers_settle(proxy: FaultProxy) -> Iterator[None]:
    """After each test (before its Redis goes): no in-doubt marker still being written in the background."""
    yield
    proxy.release()
    try:
        assert all(store.wait_for_markers(10) for store in _stores)
    finally:
        _stores.clear()


def runner_through(proxy: FaultProxy) -> Runner:
    app = create_app({"REDIS_URL": proxy.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                      "REDIS_TURN_BUDGET_SECONDS": BUDGET_S, "CLOCK": DeviceClock(time.time())})
    _stores.append(store_of(app.test_client().application))
    return Runner(app.test_client())  # in device time: each turn after the last reply has played


def store_of(app: Flask) -> Store:
    return app.extensions["store"]


def doubts(data: redis.Redis, runner: Runner) -> dict[bytes, bytes]:
    """The runner's in-doubt markers in Redis: request-id hash -> the version its write would make."""
    return data.hgetall(keys.doubt_key(keys.user_hash(runner.device.user_id)))


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
    # A session's first turn reads, then writes: the write is chased (later turns in a session are one write,
    # and a read on a second connection answers theirs: test_a_reply_lost_on_a_sessions_one_write_is_found_by_a_read)
    assert APOLOGY in runner.say(intents.READY, new_session=True).text
    proxy.release()
    assert set_number(data, runner.device.user_id) == 3  # set 2 was recorded, though the runner heard "sorry"
    again = runner.say(intents.READY)  # the runner says it again...
    assert "Set 2" in again.text and APOLOGY not in again.text  # ...and hears set 2, the one they missed
    assert set_number(data, runner.device.user_id) == 3  # not moved on to set 4: nothing skipped
    assert "Set 3" in runner.say(intents.READY).text


def test_a_reply_lost_on_a_sessions_one_write_is_found_by_a_read(proxy: FaultProxy,
                                                                 redis_own: RedisServer) -> None:
    """Mid-session a turn is only its write (from the session's copy of the state); when that write's reply is
    lost, a read on another connection finds it applied and the runner hears its reply: no apology, no set
    skipped, none done twice."""
    runner, data = runner_through(proxy), redis.Redis.from_url(redis_own.url)
    walk_to_set(runner, data, 2)
    version = stored(data, runner.device.user_id)[0]
    proxy.arm("hold", None)
    turn = runner.say(intents.READY)
    assert proxy.fired.is_set()
    assert APOLOGY not in turn.text and "Set 2" in turn.text
    proxy.release()
    assert set_number(data, runner.device.user_id) == 3 and stored(data, runner.device.user_id)[0] == version + 1
    assert "Set 3" in runner.say(intents.READY).text
    assert stored(data, runner.device.user_id)[0] == version + 2


def test_one_slow_read_does_not_make_the_sessions_next_writes_too_late(proxy: FaultProxy,
                                                                       redis_own: RedisServer) -> None:
    """A write sent from the session's copy sets its deadline by Redis's clock as reads measured it. A read
    whose answer came late measures it short by that delay: it must not make the next writes look late."""
    app = create_app({"REDIS_URL": proxy.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                      "REDIS_TURN_BUDGET_SECONDS": BUDGET_S, "REDIS_TIMEOUT_SECONDS": 5.0,
                      "CLOCK": DeviceClock(time.time())})
    _stores.append(store_of(app))
    runner, data = Runner(app.test_client()), redis.Redis.from_url(redis_own.url)
    walk_to_set(runner, data, 2)
    proxy.arm("hold", BUDGET_S + 0.5, marker=READ_SHA)  # a question's read, answered later than the budget
    assert "Set 2 of 3" in runner.say(intents.PROGRESS).text and proxy.fired.is_set()
    turn = runner.say(intents.READY)
    assert APOLOGY not in turn.text and "Set 2" in turn.text
    assert set_number(data, runner.device.user_id) == 3


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


def test_a_reply_lost_after_the_write_ran_is_given_in_a_new_session_too(proxy: FaultProxy,
                                                                       redis_own: RedisServer) -> None:
    runner, data = runner_through(proxy), redis.Redis.from_url(redis_own.url)
    store = store_of(runner.client.application)
    walk_to_set(runner, data, 2)
    proxy.arm("hold", None)  # the write runs; its reply (and every retry's) is held past the budget
    # A session's first turn reads, then writes: the write is chased (later turns in a session are one write,
    # and a read on a second connection answers theirs: test_a_reply_lost_on_a_sessions_one_write_is_found_by_a_read)
    assert APOLOGY in runner.say(intents.READY, new_session=True).text
    proxy.release()
    assert set_number(data, runner.device.user_id) == 3  # set 2 was recorded, though the runner heard "sorry"
    assert store.wait_for_markers(10)
    user = keys.user_hash(runner.device.user_id)
    marker = f"{keys.user_key(user)} {stored(data, runner.device.user_id)[0]}"  # the runner, the version made
    assert list(doubts(data, runner).values()) == [marker.encode()]
    runner.wait(60)  # the session closed; "Alexa, tell hamstring coach ready" opens a new one
    again = runner.say(intents.READY, new_session=True)
    assert "Set 2" in again.text and APOLOGY not in again.text  # the set they missed, not set 3
    assert set_number(data, runner.device.user_id) == 3  # nothing skipped
    assert store.wait_for_markers(10)
    version = stored(data, runner.device.user_id)[0]
    assert "Set 3" in runner.say(intents.READY, new_session=True).text  # given once, then on as normal
    assert stored(data, runner.device.user_id)[0] == version + 1
    assert doubts(data, runner) == {}  # the write cleared the marker


def test_a_marker_written_while_redis_is_still_stalled_is_retried_until_it_lands(
        proxy: FaultProxy, redis_own: RedisServer) -> None:
    runner, data = runner_through(proxy), redis.Redis.from_url(redis_own.url)
    store = store_of(runner.client.application)
    walk_to_set(runner, data, 2)
    proxy.arm("hold", None)  # the write runs, its reply is held...

    def stall_once_written() -> None:  # ...and then Redis stalls, before the turn gives up
        wait_until(lambda: set_number(data, runner.device.user_id) == 3, 5, "the held write to run")
        proxy.stall()

    stalling = threading.Thread(target=stall_once_written, daemon=True)
    stalling.start()
    assert APOLOGY in runner.say(intents.READY).text
    stalling.join(timeout=5)
    assert not store.wait_for_markers(1.5)  # Redis is stopped: the marker is still being tried
    proxy.release()
    assert store.wait_for_markers(10)  # ...and lands once Redis is back
    assert len(doubts(data, runner)) == 1
    again = runner.say(intents.READY, new_session=True)
    assert "Set 2" in again.text and APOLOGY not in again.text
    assert set_number(data, runner.device.user_id) == 3
    assert "Set 3" in runner.say(intents.READY).text


def test_a_marker_for_a_write_that_never_ran_changes_nothing(proxy: FaultProxy, redis_own: RedisServer) -> None:
    runner, data = runner_through(proxy), redis.Redis.from_url(redis_own.url)
    store = store_of(runner.client.application)
    walk_to_set(runner, data, 2)
    proxy.arm("stop", None)  # Redis stopped with the write (and every retry) waiting in its socket
    assert APOLOGY in runner.say(intents.READY).text
    proxy.release()
    assert store.wait_for_markers(10)
    assert len(doubts(data, runner)) == 1  # in doubt, as far as the app could tell...
    assert set_number(data, runner.device.user_id) == 2  # ...but the write came too late and wrote nothing
    runner.wait(60)
    assert "Set 2" in runner.say(intents.READY, new_session=True).text  # applied now, as any "ready"
    assert set_number(data, runner.device.user_id) == 3
    assert doubts(data, runner) == {}
    assert "Set 3" in runner.say(intents.READY).text
