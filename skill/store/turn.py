"""Redis persistence: a turn is one atomic conditional write, after one read when the session has no copy.

`Store.run(uid_hash, request_id, compute, unconfirmed=(), person=None, known=None)`:
- **No copy** (`known`): read the runner's state, its version and what is known of this request id (`reads`: EVALSHA
  `read.lua`), compute the new state in pure Python (`compute(state, household)`), then write it only if
  the version is unchanged (EVALSHA `write.lua`). A second device writing in between makes the turn
  compute again on the fresh state, a bounded number of times.
- **The session's copy** (`skill.store.known`): compute on it and send only the write; a question reads
  once, to notice a second device. Anything the copy cannot answer falls back to the above
  (docs/one-round-trip.md).

Voice profiles (`person`) keep their own key under the account's hash tag; `household` says how many
there are and, while one may claim the account's progress, the account's state (then written in the same
atomic step). Replays: every applied request id is remembered for REPLAY_WINDOW_SECONDS by the app's
clock (the newest RECENT_REPLIES with their reply; an older one raises AlreadyApplied). A write sent and
not answered is chased (`writes.Committer`) until the budget; after that the turn is in doubt
(StoreUnavailable `in_doubt`): the session's `unconfirmed` list and the in-doubt markers
(`doubts.DoubtMarkers`) let the runner's next turn find out, and hear the reply it missed.

What can go wrong: Redis unreachable, slow or refusing writes -> StoreUnavailable; too much contention ->
StoreBusy. Neither writes anything, unless `in_doubt` says it may have.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import redis
import redis.exceptions

from skill.coach.state import UserState
from skill.store import keys, reads
from skill.store.calls import ScriptCalls
from skill.store.doubts import DoubtMarkers
from skill.store.errors import AlreadyApplied, StoreBusy, StoreObserver, StoreUnavailable, error_kind, unavailable
from skill.store.known import HistoryNotLoaded, Known, state_of
from skill.store.limits import MAX_ATTEMPTS
from skill.store.reads import Reader
from skill.store.stored import encode, history_json, known_after, known_read, state_json, text
from skill.store.values import Change, Household, Snapshot, Turned
from skill.store.writes import Committer, Durability, Timing, WriteArgs, Written, next_version

log = logging.getLogger(__name__)

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
        self._forget = client.register_script(ALLOW_OOM + script("forget"))
        self._clock = clock
        self._budget = turn_budget_s
        self._calls = ScriptCalls(client)
        self._reader = Reader(client.register_script(script("read")), self._calls, clock, self._observe)
        self._committer = Committer(
            client, client.register_script(script("write")), client.register_script(ALLOW_OOM + script("write")),
            Durability(wait_replicas, wait_timeout_ms, wait_aof), call_timeout_s, self._observe, self._calls)
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
        return reads.snapshot(*self._reader.raw(uid_hash, request_hash, unconfirmed, person), person)

    def wait_for_markers(self, timeout: float) -> bool:
        """True once every in-doubt marker this process noted has been written to Redis (or given up on)."""
        return self._doubts.wait(timeout)

    def turn(self, uid_hash: str, request_id: str, compute: Compute, *, unconfirmed: Sequence[str] = (),
             person: str | None = None, known: Known | None = None) -> str:
        """`run`'s reply."""
        return self.run(uid_hash, request_id, compute, unconfirmed=unconfirmed, person=person, known=known).reply

    def run(self, uid_hash: str, request_id: str, compute: Compute, *, unconfirmed: Sequence[str] = (),
            person: str | None = None, known: Known | None = None) -> Turned:
        """Run one turn: compute(state, household) returns a Change to write, or just a reply when nothing
        changed.

        `unconfirmed`: hashes (keys.request_hash) of this runner's requests that were answered with
        StoreUnavailable(in_doubt=True), newest first. `person`: the voice profile whose turn it is.
        `known`: the session's copy of the state (from the last turn's `Turned.known`): a changing turn is then
        only its compare-and-set write.
        """
        deadline = time.monotonic() + self._budget
        request_hash = keys.request_hash(request_id)
        turn_keys = keys.turn_keys(uid_hash, person)
        snap: Snapshot | None = None
        sent: str | None = None  # the doubt marker of a write sent from the session's copy and not answered
        if known is not None and known.key == turn_keys[0] and not unconfirmed:
            try:
                turned, snap = self._from_known(uid_hash, turn_keys, request_hash, compute, person, known, deadline)
            except _Unanswered as unanswered:
                turned, sent = None, unanswered.marker
            if turned is not None:
                return turned
        for attempt in range(MAX_ATTEMPTS):
            try:
                snap = snap or self.snapshot(uid_hash, request_hash, unconfirmed, person)
            except StoreUnavailable as error:
                if sent is None:
                    raise
                self._doubts.note(uid_hash, request_hash, sent)  # the write may have landed: the next turn asks
                raise StoreUnavailable(error.kind, in_doubt=True) from error
            sent = None
            earlier = self._earlier(uid_hash, turn_keys, snap, request_hash, deadline)
            if earlier is not None:
                return Turned(earlier, known_read(turn_keys[0], snap))
            change = compute(snap.state, snap.household)
            if isinstance(change, str):
                return Turned(change, known_read(turn_keys[0], snap))
            if change.forget_everyone:
                self.forget(uid_hash)
                return Turned(change.reply)
            moving = person is not None and change.account is not None and snap.household.account is not None
            account = change.account if moving else None
            args = WriteArgs(snap.version, encode(change), request_hash, change.reply, self._clock(),
                             person or "", change.watch_account and person is not None,
                             snap.account_version or "" if account else "-", state_json(account) if account else "",
                             history_json(change.state, snap), history_json(account) if account else "",
                             new_version=next_version(snap.version),
                             account_new_version=next_version(snap.account_version or "") if account else "")
            written = self._commit(uid_hash, turn_keys, args, (snap.server_time, snap.received), deadline, change)
            if written is not None:
                same_persons = person is None or (snap.version != "" and not moving)
                return Turned(written.reply, None if written.replayed or not same_persons
                              else known_after(turn_keys[0], snap.household.persons, change, args))
            log.info("state moved on during the turn; retrying (attempt %d)", attempt + 1)
            self._observe("retry", "")
            snap = None
        raise StoreBusy(f"gave up after {MAX_ATTEMPTS} attempts")

    def _from_known(self, uid_hash: str, turn_keys: tuple[str, ...], request_hash: str, compute: Compute,
                    person: str | None, known: Known, deadline: float) -> tuple[Turned | None, Snapshot | None]:
        """A turn computed from the session's copy: a change is one compare-and-set write; a turn that changes
        nothing still reads once, so that a second device's change is noticed. (None, the snapshot if one was
        read) when the copy will not do: it is stale or damaged, or the turn needs the history or the account."""
        state, offset = state_of(known), self._reader.server_offset()
        if state is None or offset is None:
            return None, None
        try:
            change = compute(state, Household(known.persons))
        except HistoryNotLoaded:
            return None, None
        if isinstance(change, str):  # one read, decoded only if the state moved on since the copy was made
            raw, received = self._reader.raw(uid_hash, request_hash, (), person)
            if reads.unmoved(raw, known, person):
                return Turned(change, known), None
            return None, reads.snapshot(raw, received, person)
        if change.forget_everyone or change.account is not None:
            return None, None
        args = WriteArgs(known.version, encode(change), request_hash, change.reply, self._clock(), person or "",
                         change.watch_account and person is not None, history_json=history_json(change.state),
                         persons=str(known.persons), new_version=next_version(known.version))
        now = time.monotonic()
        try:  # one attempt, not chased: unanswered, the read that follows finds out whether it landed
            written = self._committer.commit(turn_keys, args, (now + offset, now), deadline,
                                             change.essential, chase=False)
        except StoreUnavailable as error:
            if not error.in_doubt:  # nothing written (too late by our clock's reckoning, or refused): read
                return None, None
            raise _Unanswered(f"{known.key} {args.new_version}") from error
        if written is None or written.replayed:  # moved on (a second device, a reply lost) or a replay: read
            return None, None
        return Turned(written.reply, known_after(known.key, known.persons, change, args)), None

    def _commit(self, uid_hash: str, turn_keys: tuple[str, ...], args: WriteArgs, timing: Timing, deadline: float,
                change: Change) -> Written | None:
        try:
            return self._committer.commit(turn_keys, args, timing, deadline, change.essential)
        except StoreUnavailable as error:
            if error.in_doubt:  # the runner's next turn must find out, whichever session it comes in
                self._doubts.note(uid_hash, args.request_hash, f"{turn_keys[0]} {args.new_version}")
            raise

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
                persons = tuple(sorted(text(p) or "" for p in self._client.smembers(keys.persons_key(uid_hash))))
                if self._forget(keys=keys.account_keys(uid_hash, persons), args=list(persons)):
                    return
        except redis.exceptions.RedisError as error:
            raise unavailable(error, self._observe) from error
        raise StoreBusy("voice profiles kept appearing while the account was deleted")

class _Unanswered(Exception):
    """A write sent from the session's copy got no answer: `marker` is its in-doubt marker, should the read that
    follows fail too."""

    def __init__(self, marker: str) -> None:
        super().__init__(marker)
        self.marker = marker
