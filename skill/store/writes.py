"""The write half of a turn: send `write.lua`, with WAIT / WAITAOF behind it when asked, and chase
an unanswered write until the turn's budget runs out.

Sending the write again is safe: it carries the request id (a copy that finds its id already
recorded writes nothing and answers with the reply recorded), and a deadline in Redis's own
clock (a copy that runs after we gave up writes nothing). So a stall or a lost reply costs the
runner a wait, not a skipped set.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import redis
import redis.exceptions
from redis.cluster import RedisCluster
from redis.commands.core import Script

from skill.store.calls import ScriptCalls
from skill.store.errors import StoreBusy, StoreObserver, StoreUnavailable, error_kind, unavailable
from skill.store.limits import RECENT_IDS, RECENT_REPLIES, REPLAY_WINDOW_SECONDS, USER_TTL_SECONDS

log = logging.getLogger(__name__)

DEADLINE_MARGIN_S = 0.25   # a copy that runs this close to our giving up writes nothing
WAITAOF_TIMEOUT_MS = 1500  # appendfsync everysec fsyncs at least once a second
RETRY_PAUSE_S = 0.05       # between attempts, so a refused connection is not hammered

# (Redis's clock when the turn's read ran, our monotonic clock when its answer arrived)
Timing = tuple[float, float]


@dataclass(frozen=True)
class Durability:
    """What an acknowledged turn must have reached: `replicas` replicas (WAIT), the local disk (WAITAOF)."""

    replicas: int = 0
    replicas_timeout_ms: int = 200
    aof: bool = False


@dataclass(frozen=True)
class WriteArgs:
    version: str
    state_json: str   # '' = forget the runner
    request_hash: str
    reply: str
    now: float        # the app's clock: replay records expire by it, as verification does
    person: str = ""  # the voice profile's hash ('' = the account's turn)
    watch_account: bool = False  # keep reading the account's state on this profile's turns (a claim is open)
    account_version: str = "-"   # the account's expected version when its state is written too ('-' = not)
    account_json: str = ""
    history_json: str = "-"      # the runner's history ('-' = unchanged, not written)
    account_history_json: str = ""
    persons: str = ""            # the number of voice profiles the turn was computed for ('' = not checked)
    new_version: str = ""
    account_new_version: str = ""


def next_version(current: str) -> str:
    """The version a write makes: one up; a runner's first from the clock (microseconds), so a runner deleted
    and started again never repeats a version that a session from before may still carry."""
    return str(int(current) + 1) if current else str(time.time_ns() // 1000)


@dataclass(frozen=True)
class Written:
    reply: str
    replayed: bool  # this request had been applied already: `reply` is the one recorded then


class Committer:
    def __init__(self, client: redis.Redis, write: Script, write_when_full: Script, durability: Durability,
                 call_timeout_s: float, observe: StoreObserver, calls: ScriptCalls) -> None:
        self._client, self._write, self._durability, self._observe = client, write, durability, observe
        self._calls = calls
        self._write_when_full = write_when_full
        # One attempt, with redis-py's single retry inside it, takes at most this long: the last one may
        # end this long after the budget.
        self.attempt_s = 2 * call_timeout_s + 0.1

    def commit(self, user_keys: tuple[str, ...], args: WriteArgs, timing: Timing, deadline: float,
               essential: bool = False, chase: bool = True) -> Written | None:
        """The reply to give once written (or found already written); None if a version moved on.
        `essential`: written even when Redis is full (the allow-oom copy of the script). `chase=False`: one
        attempt; unanswered, it raises StoreUnavailable in doubt at once (the caller reads to find out)."""
        argv = [args.version, args.state_json, args.request_hash, args.reply, repr(args.now), REPLAY_WINDOW_SECONDS,
                USER_TTL_SECONDS, RECENT_REPLIES, RECENT_IDS, repr(_server_deadline(timing, deadline)),
                "1" if self._durability.aof else "0", args.person, "1" if args.watch_account else "0",
                args.account_version, args.account_json, args.history_json, args.account_history_json, args.persons,
                args.new_version, args.account_new_version]
        write = self._write_when_full if essential else self._write
        code, recorded = self._chase(user_keys, argv, deadline if chase else 0.0, write)
        if code == 1:
            return Written(args.reply, False)
        if code == 2:
            return Written(recorded, True)
        if code == -2:
            raise StoreBusy("too many requests in the replay window")
        return None

    def confirm(self, user_keys: tuple[str, ...], request_hash: str, now: float, timing: Timing,
                deadline: float) -> None:
        """Before an earlier reply is given again: with WAITAOF on, make sure its write is on disk."""
        if not self._durability.aof:
            return
        argv = ["", "", request_hash, "", repr(now), 0, 0, 0, 0, repr(_server_deadline(timing, deadline)), "1"]
        self._chase(user_keys, argv, deadline, self._write)

    def _chase(self, user_keys: tuple[str, ...], argv: list[Any], deadline: float, write: Script) -> tuple[int, str]:
        """Send the write until it is answered (and durable as asked) or the budget is spent."""
        maybe_sent = False
        while True:
            try:
                code, recorded, durable = self._send(user_keys, argv, write)
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
                self._observe("redis_error", error_kind(error))
                maybe_sent, kind = True, error_kind(error)
            except redis.exceptions.RedisError as error:  # a refusal (OOM, READONLY, MISCONF...): not written
                raise unavailable(error, self._observe, in_doubt=maybe_sent) from error
            else:
                if code == -1:  # ran after its deadline, so wrote nothing; an earlier copy may have
                    raise StoreUnavailable("TimeoutError", in_doubt=maybe_sent)
                if durable or code in (0, -2):
                    return code, recorded
                log.warning("turn written but not yet confirmed on disk; asking again")
                maybe_sent, kind = True, "aof_unconfirmed"
            if time.monotonic() >= deadline:  # so we give up no sooner than the copies' own deadline
                log.warning("gave up on a write after the turn budget (%s); it may yet be applied", kind)
                raise StoreUnavailable(kind, in_doubt=maybe_sent)
            time.sleep(RETRY_PAUSE_S)

    def _send(self, user_keys: tuple[str, ...], argv: list[Any], write: Script) -> tuple[int, str, bool]:
        """(code, recorded reply, durable as asked): one EVALSHA, with WAITAOF / WAIT pipelined behind it.

        WAIT and WAITAOF count only the writes of the connection they are sent on, so they cannot take
        any pooled connection; a cluster would send them to every node, so they are pinned to the key's
        node. Fewer replicas than asked still answers the turn (the write is done; an apology would make
        the runner say again a step that already happened); a write not on disk does not.
        """
        if not (self._durability.aof or self._durability.replicas):
            return (*_parse(self._calls(write, user_keys, argv)), True)
        route = {"target_nodes": self._client.get_node_from_key(user_keys[0])} \
            if isinstance(self._client, RedisCluster) else {}
        for _ in range(2):  # a second pass only after loading the script into a server without it
            pipe = self._client.pipeline(transaction=False)
            pipe.execute_command("EVALSHA", write.sha, len(user_keys), *user_keys, *argv)
            if self._durability.aof:
                pipe.execute_command("WAITAOF", 1, 0, WAITAOF_TIMEOUT_MS, **route)
            if self._durability.replicas:
                pipe.execute_command("WAIT", self._durability.replicas, self._durability.replicas_timeout_ms, **route)
            written, *waited = pipe.execute(raise_on_error=False)
            if isinstance(written, redis.exceptions.NoScriptError):
                self._client.script_load(write.script)
                continue
            if isinstance(written, Exception):
                raise written
            code, recorded = _parse(written)
            durable = True
            if self._durability.aof:
                synced = waited.pop(0)
                durable = not isinstance(synced, Exception) and synced[0] >= 1
            if self._durability.replicas and code == 1:
                acked = waited.pop(0)
                if isinstance(acked, Exception) or acked < self._durability.replicas:
                    log.warning("turn written; %s of %d replicas confirmed it", acked, self._durability.replicas)
            return code, recorded, durable or code in (0, -1, -2)
        raise redis.exceptions.NoScriptError("the write script would not load")


def _parse(result: Any) -> tuple[int, str]:
    code = int(result[0])
    recorded = result[1] if len(result) > 1 else b""
    return code, recorded.decode("utf-8") if isinstance(recorded, bytes) else str(recorded)


def _server_deadline(timing: Timing, deadline: float) -> float:
    """Our deadline on Redis's clock, measured from the read (so the two clocks need not agree)."""
    server_time, received = timing
    return server_time + (deadline - received) - DEADLINE_MARGIN_S
