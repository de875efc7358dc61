"""Redis persistence: one read and one atomic conditional write per turn.

A turn reads the runner's state, its version and any reply already given for
this request id (one EVALSHA), computes the new state in pure Python, then
writes it only if the version is unchanged (a second EVALSHA). If another
device wrote in between, the turn is recomputed on the fresh state, a bounded
number of times. A request id seen in the last 150 s is answered with the
reply it got the first time, so a retried "next" never skips a set.

What can go wrong: Redis unreachable or slow -> StoreUnavailable (callers
answer with a spoken apology); too much contention -> StoreBusy. Neither
writes anything.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import redis
import redis.exceptions
from redis.cluster import RedisCluster

from skill.coach import serial
from skill.coach.state import UserState
from skill.store import keys

log = logging.getLogger(__name__)

REPLAY_WINDOW_SECONDS = 150          # Alexa's timestamp tolerance: older retries are rejected anyway
USER_TTL_SECONDS = 400 * 24 * 3600   # a runner unseen for 400 days is forgotten
RECENT_LIMIT = 8                     # replies kept for replay; beyond this the oldest are dropped
MAX_ATTEMPTS = 6                     # compare-and-set attempts before giving up with StoreBusy

# Told about trouble as it happens, for metrics: ("retry", "") on a lost compare-and-set,
# ("redis_error", exception class name) on a failed Redis call. Must not raise.
StoreObserver = Callable[[str, str], None]
SCRIPTS_DIR = Path(__file__).resolve().parent


@cache
def script(name: str) -> str:
    """A Lua script's text (read.lua, write.lua: each file's header names its KEYS and ARGV)."""
    return (SCRIPTS_DIR / f"{name}.lua").read_text(encoding="utf-8")



class StoreUnavailable(Exception):
    """Redis could not be reached in time; nothing was written."""


class StoreBusy(Exception):
    """Other turns for the same runner kept winning the race; nothing was written."""


@dataclass(frozen=True)
class Change:
    """What a turn wants stored, and the reply (already rendered) to give and remember."""

    state: UserState
    reply: str
    forget: bool = False


@dataclass(frozen=True)
class Snapshot:
    state: UserState
    version: str
    earlier_reply: str | None


class Store:
    def __init__(self, client: redis.Redis, *, wait_replicas: int = 0, wait_timeout_ms: int = 200,
                 observer: StoreObserver | None = None) -> None:
        self._client = client
        self._observe: StoreObserver = observer or (lambda event, detail: None)
        self._read = client.register_script(script("read"))
        self._write = client.register_script(script("write"))
        self._wait_replicas = wait_replicas
        self._wait_timeout_ms = wait_timeout_ms

    def ping(self) -> bool:
        try:
            return bool(self._client.ping())
        except redis.exceptions.RedisError as error:
            self._observe("redis_error", type(error).__name__)
            return False

    def snapshot(self, uid_hash: str, request_hash: str = "") -> Snapshot:
        try:
            version, raw, earlier = self._read(keys=keys.user_keys(uid_hash), args=[request_hash])
        except redis.exceptions.RedisError as error:
            raise self._unavailable(error) from error
        return Snapshot(_decode(raw), _text(version) or "", _text(earlier))

    def turn(self, uid_hash: str, request_id: str, compute: Callable[[UserState], Change | str]) -> str:
        """Run one turn: compute() returns a Change to write, or just a reply when nothing changed."""
        request_hash = keys.request_hash(request_id)
        for attempt in range(MAX_ATTEMPTS):
            snap = self.snapshot(uid_hash, request_hash)
            if snap.earlier_reply is not None:
                log.info("replayed request answered from cache")
                return snap.earlier_reply
            change = compute(snap.state)
            if isinstance(change, str):
                return change
            if self._commit(uid_hash, snap.version, change, request_hash):
                return change.reply
            log.info("state moved on during the turn; retrying (attempt %d)", attempt + 1)
            self._observe("retry", "")
        raise StoreBusy(f"gave up after {MAX_ATTEMPTS} attempts")

    def forget(self, uid_hash: str) -> None:
        """Delete everything stored for a runner (skill disabled)."""
        try:
            self._client.delete(*keys.user_keys(uid_hash))
        except redis.exceptions.RedisError as error:
            raise self._unavailable(error) from error

    def _unavailable(self, error: redis.exceptions.RedisError) -> StoreUnavailable:
        self._observe("redis_error", type(error).__name__)
        return StoreUnavailable(type(error).__name__)

    def _commit(self, uid_hash: str, version: str, change: Change, request_hash: str) -> bool:
        state_json = "" if change.forget else json.dumps(serial.to_dict(change.state), separators=(",", ":"))
        args = [version, state_json, request_hash, change.reply, REPLAY_WINDOW_SECONDS, USER_TTL_SECONDS,
                RECENT_LIMIT]
        user_keys = keys.user_keys(uid_hash)
        try:
            if self._wait_replicas:
                return self._write_and_wait(user_keys, args)
            return bool(self._write(keys=user_keys, args=args) == 1)
        except redis.exceptions.RedisError as error:
            raise self._unavailable(error) from error

    def _write_and_wait(self, user_keys: tuple[str, str], args: list[str | int]) -> bool:
        """The write and a WAIT for replicas, pipelined on one connection: still one round trip.

        WAIT counts only the writes of the connection it is sent on, so it cannot take any
        pooled connection; a cluster would send it to every node, so it is pinned to the key's
        node. Fewer replicas than asked still answers the turn: the write is done, and an
        apology would make the runner say again a step that already happened.
        """
        route = {"target_nodes": self._client.get_node_from_key(user_keys[0])} \
            if isinstance(self._client, RedisCluster) else {}
        for _ in range(2):  # a second pass only after loading the script into a server without it
            pipe = self._client.pipeline(transaction=False)
            pipe.execute_command("EVALSHA", self._write.sha, len(user_keys), *user_keys, *args)
            pipe.execute_command("WAIT", self._wait_replicas, self._wait_timeout_ms, **route)
            written, acked = pipe.execute(raise_on_error=False)
            if isinstance(written, redis.exceptions.NoScriptError):
                self._client.script_load(script("write"))
                continue
            if isinstance(written, Exception):
                raise written
            if written == 1 and (isinstance(acked, Exception) or acked < self._wait_replicas):
                log.warning("turn written; %s of %d replicas confirmed it", acked, self._wait_replicas)
            return bool(written == 1)
        raise redis.exceptions.NoScriptError("the write script would not load")


def _text(value: bytes | str | None) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _decode(raw: bytes | str | None) -> UserState:
    """Stored JSON -> state. Damaged data starts the runner afresh rather than failing every turn."""
    if raw is None:
        return UserState()
    try:
        return serial.from_dict(json.loads(raw))
    except (ValueError, KeyError, TypeError) as error:
        log.warning("stored state unreadable (%s); starting fresh", type(error).__name__)
        return UserState()
