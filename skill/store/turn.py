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
from typing import Any

import redis
import redis.exceptions

from skill.coach import serial
from skill.coach.state import UserState
from skill.store import keys
from skill.store.calls import ScriptCalls
from skill.store.doubts import DoubtMarkers
from skill.store.errors import AlreadyApplied, StoreBusy, StoreUnavailable, error_kind
from skill.store.known import HistoryNotLoaded, Known, history_changed, known_from, state_of
from skill.store.limits import MAX_ATTEMPTS, MAX_UNCONFIRMED
from skill.store.values import Change, Household, Snapshot, Turned
from skill.store.writes import Committer, Durability, Timing, WriteArgs, Written, next_version

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
# How old a measure of Redis's clock may be for a write that skipped the read (which measures it) to set its
# deadline by: the two clocks drift by parts per million, a clock step is rare, and a write that still lands
# after we gave up is the in-doubt case the markers cover.
SERVER_CLOCK_FRESH_S = 60.0


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
        self._calls = ScriptCalls(client)
        self._committer = Committer(
            client, client.register_script(script("write")), client.register_script(ALLOW_OOM + script("write")),
            Durability(wait_replicas, wait_timeout_ms, wait_aof), call_timeout_s, self._observe, self._calls)
        self._doubts = DoubtMarkers(client.register_script(ALLOW_OOM + script("doubt")))
        self._server_clock: tuple[float, float] | None = None  # (Redis's clock - monotonic, when measured)

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
        return self._snapshot(self._read_raw(uid_hash, request_hash, unconfirmed, person), person)

    def _read_raw(self, uid_hash: str, request_hash: str, unconfirmed: Sequence[str], person: str | None) -> list[Any]:
        """read.lua's answer as it comes (its header names the fields); measures Redis's clock on the way."""
        args = [repr(self._clock()), request_hash, *unconfirmed[:MAX_UNCONFIRMED]]
        try:
            raw: list[Any] = self._calls(self._read, keys.turn_keys(uid_hash, person), args)
        except redis.exceptions.RedisError as error:
            raise self._unavailable(error) from error
        received = time.monotonic()
        self._server_clock = (int(raw[5]) + int(raw[6]) / 1e6 - received, received)
        return [*raw, received]

    def _snapshot(self, raw: list[Any], person: str | None) -> Snapshot:
        (version, state_raw, earlier, found, found_reply, seconds, micros, persons, account_version,
         account_raw, marked, history_raw, account_history_raw, received) = raw
        account = _decode(account_raw, account_history_raw)[0] if _claimable(raw, person) else None
        state, state_json = _decode(state_raw, history_raw)
        return Snapshot(state, _text(version) or "", _text(earlier), _text(found), _text(found_reply),
                        int(seconds) + int(micros) / 1e6, received, Household(int(persons), account),
                        _text(account_version) or "", bool(marked), state_json)

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
                turned, snap = self._from_known(uid_hash, request_hash, compute, person, known, deadline)
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
                return Turned(earlier, _known_read(turn_keys[0], snap))
            change = compute(snap.state, snap.household)
            if isinstance(change, str):
                return Turned(change, _known_read(turn_keys[0], snap))
            if change.forget_everyone:
                self.forget(uid_hash)
                return Turned(change.reply)
            moving = person is not None and change.account is not None and snap.household.account is not None
            account = change.account if moving else None
            args = WriteArgs(snap.version, _encode(change), request_hash, change.reply, self._clock(),
                             person or "", change.watch_account and person is not None,
                             snap.account_version or "" if account else "-", _json(account) if account else "",
                             _history(change.state, snap), _history(account) if account else "",
                             new_version=next_version(snap.version),
                             account_new_version=next_version(snap.account_version or "") if account else "")
            written = self._commit(uid_hash, turn_keys, args, (snap.server_time, snap.received), deadline, change)
            if written is not None:
                same_persons = person is None or (snap.version != "" and not moving)
                return Turned(written.reply, None if written.replayed or not same_persons
                              else _known_after(turn_keys[0], snap.household.persons, change, args))
            log.info("state moved on during the turn; retrying (attempt %d)", attempt + 1)
            self._observe("retry", "")
            snap = None
        raise StoreBusy(f"gave up after {MAX_ATTEMPTS} attempts")

    def _from_known(self, uid_hash: str, request_hash: str, compute: Compute, person: str | None, known: Known,
                    deadline: float) -> tuple[Turned | None, Snapshot | None]:
        """A turn computed from the session's copy: a change is one compare-and-set write; a turn that changes
        nothing still reads once, so that a second device's change is noticed. (None, the snapshot if one was
        read) when the copy will not do: it is stale or damaged, or the turn needs the history or the account."""
        state, offset = state_of(known), self._server_offset()
        if state is None or offset is None:
            return None, None
        try:
            change = compute(state, Household(known.persons))
        except HistoryNotLoaded:
            return None, None
        if isinstance(change, str):  # one read, decoded only if the state moved on since the copy was made
            raw = self._read_raw(uid_hash, request_hash, (), person)
            unmoved = (_text(raw[0]) or "", int(raw[7])) == (known.version, known.persons) and \
                raw[2] is None and raw[3] is None and not _claimable(raw, person)
            return (Turned(change, known), None) if unmoved else (None, self._snapshot(raw, person))
        if change.forget_everyone or change.account is not None:
            return None, None
        args = WriteArgs(known.version, _encode(change), request_hash, change.reply, self._clock(), person or "",
                         change.watch_account and person is not None, history_json=_history(change.state),
                         persons=str(known.persons), new_version=next_version(known.version))
        now = time.monotonic()
        try:  # one attempt, not chased: unanswered, the read that follows finds out whether it landed
            written = self._committer.commit(keys.turn_keys(uid_hash, person), args, (now + offset, now), deadline,
                                             change.essential, chase=False)
        except StoreUnavailable as error:
            if not error.in_doubt:
                raise
            raise _Unanswered(f"{known.key} {args.new_version}") from error
        if written is None or written.replayed:  # moved on (a second device, a reply lost) or a replay: read
            return None, None
        return Turned(written.reply, _known_after(known.key, known.persons, change, args)), None

    def _commit(self, uid_hash: str, turn_keys: tuple[str, ...], args: WriteArgs, timing: Timing, deadline: float,
                change: Change) -> Written | None:
        try:
            return self._committer.commit(turn_keys, args, timing, deadline, change.essential)
        except StoreUnavailable as error:
            if error.in_doubt:  # the runner's next turn must find out, whichever session it comes in
                self._doubts.note(uid_hash, args.request_hash, f"{turn_keys[0]} {args.new_version}")
            raise

    def _server_offset(self) -> float | None:
        """Redis's clock minus our monotonic one, as last measured, if recently (a write's deadline is set in
        Redis's clock); None: read first, which measures it."""
        measured = self._server_clock
        if measured is None or time.monotonic() - measured[1] > SERVER_CLOCK_FRESH_S:
            return None
        return measured[0]

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


def _claimable(raw: list[Any], person: str | None) -> bool:
    """Whether read.lua's answer holds the account's state: a voice profile's turn while it may claim it."""
    return person is not None and (raw[1] is None or raw[8] is not None)


class _Unanswered(Exception):
    """A write sent from the session's copy got no answer: `marker` is its in-doubt marker, should the read that
    follows fail too."""

    def __init__(self, marker: str) -> None:
        super().__init__(marker)
        self.marker = marker


def _known_read(key: str, snap: Snapshot) -> Known | None:
    """What Redis holds, for the session (None when it cannot travel: see Snapshot.state_json, or while a voice
    profile may claim the account's progress)."""
    if snap.state_json is None or snap.household.account is not None:
        return None
    return known_from(key, snap.version, snap.household.persons, snap.state_json, snap.state.profile.history)


def _known_after(key: str, persons: int, change: Change, args: WriteArgs) -> Known | None:
    """What a written turn leaves for the session, unless the next turn must read: the runner was deleted, or a
    voice profile may still claim the account's progress."""
    if change.forget or args.watch_account:
        return None
    return known_from(key, args.new_version, persons, args.state_json, change.state.profile.history)


def _encode(change: Change) -> str:
    return "" if change.forget else _json(change.state)


def _json(state: UserState) -> str:
    return json.dumps(serial.to_dict(state, with_history=False), separators=(",", ":"))


def _history(state: UserState, snap: Snapshot | None = None) -> str:
    """The history to write: '-' (keep Redis's) when the turn left it as Redis holds it."""
    history = state.profile.history
    if not history_changed(state) or (snap is not None and snap.state_json is not None
                                  and history is snap.state.profile.history):
        return "-"
    return json.dumps(serial.history_list(history), separators=(",", ":"))


def _text(value: bytes | str | None) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _decode(raw: bytes | str | None, history_raw: bytes | str | None) -> tuple[UserState, str | None]:
    """Stored JSON -> (state, the state's JSON as it can travel in a session, or None: see Snapshot.state_json).
    Damaged data starts the runner afresh rather than failing every turn."""
    if raw is None:
        return UserState(), ""
    try:
        data = json.loads(raw)
        history = serial.read_history(json.loads(history_raw)) if history_raw is not None else ()
        state = serial.from_dict(data, history)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("stored state unreadable (%s); starting fresh", type(error).__name__)
        return UserState(), None
    return state, (_text(raw) if "history" not in data["profile"] else None)
