"""Redis persistence: one read and one atomic conditional write per changing turn.

`Store.turn(uid_hash, request_id, compute, unconfirmed=(), person=None)` reads the runner's
state, its version and what is known about this request id (one EVALSHA, `read.lua`), computes
the new state in pure Python (`compute(state, household)`), then writes it only if the version is
unchanged (a second EVALSHA, `write.lua`). If another device wrote in between, the turn is
recomputed on the fresh state, a bounded number of times.

Voice profiles (issue 13): with `person` (keys.person_hash of the request's personId) the turn is
that profile's, on its own key under the account's hash tag. `household` tells compute how many
profiles keep progress on the account and, while a profile may still claim the account's progress,
the account's state; a Change may then write the account's new state in the same atomic step
(compare-and-set on both versions). `Store.forget` deletes the account with every profile on it.

Replays: every applied request id is remembered for REPLAY_WINDOW_SECONDS (300 s: a timestamp
can pass verification 150 s either side of our clock) by the app's clock, bounded by time, not
count; the newest RECENT_REPLIES keep their reply, older ones only their id (a replay of one of
those raises AlreadyApplied: say where the runner is, apply nothing). At most RECENT_IDS per
runner in the window, so memory is bounded per runner; the key expires with the window.

A write that was sent but not answered is chased (`writes.Committer`): it carries the request
id, so sending it again cannot apply it twice, and a deadline, so a copy that reaches Redis after
we have given up writes nothing. Only when the budget (`turn_budget_s`, well inside Alexa's 8 s)
runs out with the write still unanswered is the turn's outcome in doubt: StoreUnavailable with
`in_doubt`. The caller then passes that request id as `unconfirmed` on the runner's next turn in
the same session; and the store itself remembers it in Redis (`doubts.DoubtMarkers`, written in the
background once the turn has been answered), for a next turn in a new session. Either way, if it was
applied after all, that turn is answered with its reply (the one the runner never heard) and nothing
new is applied.

What can go wrong: Redis unreachable, slow or refusing writes -> StoreUnavailable; too much
contention -> StoreBusy. Neither writes anything, unless `in_doubt` says it may have.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import redis
import redis.exceptions

from skill.coach import serial
from skill.coach.state import UserState
from skill.store import keys
from skill.store.doubts import DoubtMarkers
from skill.store.errors import AlreadyApplied, StoreBusy, StoreUnavailable, error_kind
from skill.store.limits import MAX_ATTEMPTS, MAX_UNCONFIRMED
from skill.store.values import Change, Household, Snapshot
from skill.store.writes import Committer, Durability, WriteArgs

log = logging.getLogger(__name__)

# Told about trouble as it happens, for metrics: ("retry", "") on a lost compare-and-set,
# ("redis_error", kind) on a failed Redis call (kind from errors.error_kind). Must not raise.
StoreObserver = Callable[[str, str], None]
# One turn's work on what was read: a Change to write, or just the reply when nothing changed.
Compute = Callable[[UserState, Household], "Change | str"]
SCRIPTS_DIR = Path(__file__).resolve().parent
# The same write, allowed to run when Redis is full (noeviction refuses other writes): a runner must be
# able to delete their data by voice even then, and the "are you sure?" step is a write too.
ALLOW_OOM = "#!lua flags=allow-oom\n"


@cache
def script(name: str) -> str:
    """A Lua script's text (read.lua, write.lua: each file's header names its KEYS and ARGV)."""
    return (SCRIPTS_DIR / f"{name}.lua").read_text(encoding="utf-8")


class Store:
    def __init__(self, client: redis.Redis, *, wait_replicas: int = 0, wait_timeout_ms: int = 200,
                 wait_aof: bool = False, turn_budget_s: float = 3.5, call_timeout_s: float = 0.5,
                 clock: Callable[[], float] = time.time, observer: StoreObserver | None = None) -> None:
        self._client = client
        self._observe: StoreObserver = observer or (lambda event, detail: None)
        self._read = client.register_script(script("read"))
        self._forget = client.register_script(ALLOW_OOM + script("forget"))
        self._clock = clock
        self._budget = turn_budget_s
        self._committer = Committer(
            client, client.register_script(script("write")), client.register_script(ALLOW_OOM + script("write")),
            Durability(wait_replicas, wait_timeout_ms, wait_aof), call_timeout_s, self._observe)
        self._doubts = DoubtMarkers(client.register_script(ALLOW_OOM + script("doubt")))

    def ping(self) -> bool:
        try:
            return bool(self._client.ping())
        except redis.exceptions.RedisError as error:
            self._observe("redis_error", error_kind(error))
            return False

    def ready(self) -> str | None:
        """None when a turn could be taken now (a write is accepted), else a short reason."""
        try:
            self._client.set(keys.readiness_key(), "1", ex=60)
        except redis.exceptions.RedisError as error:
            kind = error_kind(error)
            self._observe("redis_error", kind)
            unreachable = isinstance(error, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError)
            return "unreachable" if unreachable else kind
        return None

    def snapshot(self, uid_hash: str, request_hash: str = "", unconfirmed: Sequence[str] = (),
                 person: str | None = None) -> Snapshot:
        args = [repr(self._clock()), request_hash, *unconfirmed[:MAX_UNCONFIRMED]]
        try:
            (version, raw, earlier, found, found_reply, seconds, micros, persons, account_version,
             account_raw, marked) = self._read(keys=keys.turn_keys(uid_hash, person), args=args)
        except redis.exceptions.RedisError as error:
            raise self._unavailable(error) from error
        account = _decode(account_raw) if person is not None and (raw is None or account_version is not None) \
            else None
        return Snapshot(_decode(raw), _text(version) or "", _text(earlier), _text(found), _text(found_reply),
                        int(seconds) + int(micros) / 1e6, time.monotonic(), Household(int(persons), account),
                        _text(account_version) or "", bool(marked))

    def wait_for_markers(self, timeout: float) -> bool:
        """True once every in-doubt marker this process noted has been written to Redis (or given up on)."""
        return self._doubts.wait(timeout)

    def turn(self, uid_hash: str, request_id: str, compute: Compute, *, unconfirmed: Sequence[str] = (),
             person: str | None = None) -> str:
        """Run one turn: compute(state, household) returns a Change to write, or just a reply when nothing
        changed.

        `unconfirmed`: hashes (keys.request_hash) of this runner's requests that were answered with
        StoreUnavailable(in_doubt=True), newest first. `person`: the voice profile whose turn it is.
        """
        deadline = time.monotonic() + self._budget
        request_hash = keys.request_hash(request_id)
        turn_keys = keys.turn_keys(uid_hash, person)
        for attempt in range(MAX_ATTEMPTS):
            snap = self.snapshot(uid_hash, request_hash, unconfirmed, person)
            earlier = self._earlier(uid_hash, turn_keys, snap, request_hash, deadline)
            if earlier is not None:
                return earlier
            change = compute(snap.state, snap.household)
            if isinstance(change, str):
                return change
            if change.forget_everyone:
                self.forget(uid_hash)
                return change.reply
            moving = person is not None and change.account is not None and snap.household.account is not None
            args = WriteArgs(snap.version, _encode(change), request_hash, change.reply, self._clock(),
                             person or "", change.watch_account and person is not None,
                             snap.account_version or "" if moving else "-",
                             _json(change.account) if moving and change.account else "")
            timing = (snap.server_time, snap.received)
            try:
                written = self._committer.commit(turn_keys, args, timing, deadline, change.essential)
            except StoreUnavailable as error:
                if error.in_doubt:  # the runner's next turn must find out, whichever session it comes in
                    self._doubts.note(uid_hash, request_hash, f"{turn_keys[0]} {int(snap.version or 0) + 1}")
                raise
            if written is not None:
                return written
            log.info("state moved on during the turn; retrying (attempt %d)", attempt + 1)
            self._observe("retry", "")
        raise StoreBusy(f"gave up after {MAX_ATTEMPTS} attempts")

    def _earlier(self, uid_hash: str, turn_keys: tuple[str, ...], snap: Snapshot, request_hash: str,
                 deadline: float) -> str | None:
        """The reply already given for this request, or for an unanswered one that was applied after all."""
        if snap.earlier_reply is not None:
            log.info("replayed request answered from the replay record")
            found, reply, was_in_doubt = request_hash, snap.earlier_reply, snap.marked
        elif snap.unconfirmed is not None and snap.unconfirmed_reply is not None:
            log.info("a turn the runner never heard answered was applied after all; answering with its reply")
            found, reply, was_in_doubt = snap.unconfirmed, snap.unconfirmed_reply, True
        else:
            return None
        self._committer.confirm(turn_keys, found, self._clock(), (snap.server_time, snap.received), deadline)
        if was_in_doubt:  # its reply is given now: a marker for it (stored, or on its way) must not give it again
            self._doubts.heard(uid_hash, found)
        if reply == "":
            raise AlreadyApplied(snap.state)
        return reply

    def forget(self, uid_hash: str) -> None:
        """Delete everything stored for an account, every voice profile on it too (skill disabled, or "delete
        everyone's"), in one atomic script; retried if a profile appeared meanwhile. Runs when Redis is full."""
        try:
            for _ in range(MAX_ATTEMPTS):
                persons = tuple(sorted(_text(p) or "" for p in self._client.smembers(keys.persons_key(uid_hash))))
                if self._forget(keys=keys.account_keys(uid_hash, persons), args=list(persons)):
                    return
        except redis.exceptions.RedisError as error:
            raise self._unavailable(error) from error
        raise StoreBusy("voice profiles kept appearing while the account was deleted")

    def _unavailable(self, error: redis.exceptions.RedisError) -> StoreUnavailable:
        kind = error_kind(error)
        self._observe("redis_error", kind)
        return StoreUnavailable(kind)


def _encode(change: Change) -> str:
    return "" if change.forget else _json(change.state)


def _json(state: UserState) -> str:
    return json.dumps(serial.to_dict(state), separators=(",", ":"))


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
