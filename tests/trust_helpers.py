"""Helpers shared by the trust tests (bad input, fuzz, replay, Redis faults, concurrency, privacy).

Everything here reads Redis the tests started (never the environment's) and the
real app's answers; nothing is mocked.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import redis
from flask.testing import FlaskClient

from skill.alexa import intents
from skill.coach import serial
from skill.store import keys
from tests.runner import Runner

Snapshot = dict[bytes, tuple[bytes, object]]


def snapshot(client: redis.Redis) -> Snapshot:
    """Every key with its type and exact contents: equal snapshots mean an untouched Redis.

    Hashes are compared as sorted field/value pairs, not DUMP bytes: a large hash's DUMP follows its
    hash-table order, which can differ for the same contents (after a RESTORE, or a rehash).
    """
    found: Snapshot = {}
    for key in sorted(client.scan_iter(count=1000)):
        kind = client.type(key)
        found[key] = (kind, sorted(client.hgetall(key).items()) if kind == b"hash" else client.dump(key))
    return found


def runner_keys(client: redis.Redis, user_id: str) -> list[bytes]:
    """Every key that holds anything about this runner (they all share the `hc:{hash}` prefix)."""
    return sorted(client.scan_iter(match=f"{keys.PREFIX}:{{{keys.user_hash(user_id)}}}*", count=1000))


def stored(client: redis.Redis, user_id: str, person_id: str | None = None) -> tuple[int, dict[str, Any] | None]:
    """(version, state as a dict) of a runner (a voice profile's with `person_id`); (0, None) when nothing is
    stored."""
    uid = keys.user_hash(user_id)
    key = keys.runner_key(uid, None if person_id is None else keys.person_hash(person_id))
    version = client.hget(key, "v")
    return int(version or 0), state_at(client, key)


def state_at(client: redis.Redis, key: str) -> dict[str, Any] | None:
    """The state stored at `key` as one dict, its history (kept in a field of its own) put back in its profile."""
    raw, history = client.hmget(key, ["state", "history"])
    if raw is None:
        return None
    state = json.loads(raw)
    state["profile"].setdefault("history", json.loads(history) if history else [])
    return state


def set_number(client: redis.Redis, user_id: str, person_id: str | None = None) -> int | None:
    """The set the runner is on, from Redis (None without a workout)."""
    raw = stored(client, user_id, person_id)[1]
    workout = serial.from_dict(raw).workout if raw else None
    return workout.set_number if workout else None


def walk_to_set(runner: Runner, client: redis.Redis, number: int) -> None:
    """Start a workout and say "ready" until the first exercise waits for set `number`."""
    turn = runner.say(intents.START_WORKOUT, new_session=True)
    assert turn.status == 200 and "Say \"ready\"" in turn.text, turn.text
    for _ in range(3 * number):
        if set_number(client, runner.device.user_id, runner.device.person_id) == number:
            return
        assert runner.say(intents.READY).status == 200
    raise AssertionError(f"never reached set {number}")


def post(client: FlaskClient, body: bytes, **headers: str) -> tuple[int, dict[str, Any]]:
    """POST raw bytes to /alexa as JSON; (status, parsed JSON or {})."""
    result = client.post("/alexa", data=body, content_type="application/json", headers=headers)
    return result.status_code, result.get_json(silent=True) or {}


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `check` until it is true; fail naming `what` after `timeout` seconds (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def let_redis_time_pass(client: redis.Redis, seconds: float) -> None:
    """What `seconds` more of Redis's clock would do to key expiry: keys due by then are gone, the rest
    have that much less to live. (With the app's clock moved on by hand, Redis's must seem to move too.)"""
    for key in list(client.scan_iter(count=1000)):
        ttl = client.pttl(key)
        if ttl < 0:
            continue
        if ttl <= seconds * 1000:
            client.delete(key)
        else:
            client.pexpire(key, int(ttl - seconds * 1000))
