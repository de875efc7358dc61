"""A turn the runner heard is on disk: kill -9 after every acknowledged turn loses none of them, with a
healthy disk and with one that fills up (RLIMIT_FSIZE on redis-server: its append-only file writes come up
short, as on a full disk, with no root needed).

Two durable modes: the shipped deploy/redis.conf's appendfsync (always: Redis fsyncs before it replies,
and exits rather than answer when it cannot write), and everysec with the webhook waiting on WAITAOF
(REDIS_WAIT_AOF=true). Before, deploy/ shipped everysec alone, and the turn whose write came up short was
answered and then lost.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from local_redis import RedisServer
from skill.alexa import intents
from tests.runner import Runner
from tests.trust_helpers import stored
from webhook import create_app

ROOT = Path(__file__).resolve().parent.parent
DEPLOYED_FSYNC = next(line.split()[1] for line in (ROOT / "deploy" / "redis.conf").read_text().splitlines()
                      if line.startswith("appendfsync "))
FULL_AT = 48 * 1024  # bytes a file may reach: a dozen turns, then the disk is "full"
MODES = {"deploy-redis-conf": (DEPLOYED_FSYNC, False), "everysec-and-waitaof": ("everysec", True)}


def acknowledged_then_present(data_dir: Path, fsync: str, wait_aof: bool, limit: int | None,
                              turns: int) -> tuple[int, int, int]:
    """(turns acknowledged, the version they reached, the version present after kill -9 and a restart)."""
    server = RedisServer(data_dir, fsync=fsync, file_size_limit=limit).start()
    app = create_app({"REDIS_URL": server.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                      "REDIS_WAIT_AOF": wait_aof, "REDIS_TURN_BUDGET_SECONDS": 1.0})
    runner = Runner(app.test_client())
    data = redis.Redis.from_url(server.url)
    acknowledged, version = 0, 0
    try:
        assert "Today:" in runner.say(intents.START_WORKOUT, new_session=True).text
        version = stored(data, runner.device.user_id)[0]
        for number in range(turns):
            turn = runner.say(intents.SET_REST, duration=(f"PT{30 + number % 60}S", None))
            if "Rest is now" not in turn.text:  # an apology: not acknowledged
                break
            acknowledged, version = acknowledged + 1, version + 1
        assert server.process is not None
        server.process.kill()  # kill -9: only what reached the disk survives
        server.process.wait(timeout=10)
        server.process = None
    finally:
        server.stop()
    with RedisServer(data_dir, fsync=fsync) as restarted:
        present = stored(redis.Redis.from_url(restarted.url), runner.device.user_id)[0]
    return acknowledged, version, present


@pytest.mark.parametrize(("fsync", "wait_aof"), MODES.values(), ids=MODES.keys())
def test_kill_9_loses_no_acknowledged_turn_on_a_healthy_disk(fsync: str, wait_aof: bool, tmp_path: Path) -> None:
    acknowledged, version, present = acknowledged_then_present(tmp_path, fsync, wait_aof, None, 20)
    assert acknowledged == 20 and present == version


@pytest.mark.parametrize(("fsync", "wait_aof"), MODES.values(), ids=MODES.keys())
def test_kill_9_loses_no_acknowledged_turn_when_the_disk_fills(fsync: str, wait_aof: bool, tmp_path: Path) -> None:
    acknowledged, version, present = acknowledged_then_present(tmp_path, fsync, wait_aof, FULL_AT, 200)
    assert 3 <= acknowledged < 200  # some turns were written, then the disk was full
    assert present >= version  # every acknowledged turn is there (an unacknowledged one may be too)
