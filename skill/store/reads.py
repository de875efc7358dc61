"""A turn's read (EVALSHA read.lua) and what it tells: the runner's snapshot, and Redis's clock.

The read runs before a turn computes when the session has no copy of the state, and after one that
changed nothing when it has (to notice a second device: `unmoved`). Each read also measures Redis's
clock, which a write from the session's copy, sent without a read first, sets its deadline by.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import redis.exceptions
from redis.commands.core import Script

from skill.store import keys
from skill.store.calls import ScriptCalls
from skill.store.errors import StoreObserver, unavailable
from skill.store.known import Known
from skill.store.limits import MAX_UNCONFIRMED
from skill.store.stored import decode, text
from skill.store.values import Household, Snapshot

# How old a measure of Redis's clock may be for a write that skipped the read (which measures it) to set its
# deadline by: the two clocks drift by parts per million, a clock step is rare, a write refused as too late
# is sent again after a read, and one that still lands after we gave up is the in-doubt case the markers cover.
SERVER_CLOCK_FRESH_S = 60.0


class Reader:
    def __init__(self, read: Script, calls: ScriptCalls, clock: Callable[[], float], observe: StoreObserver) -> None:
        self._read, self._calls, self._clock, self._observe = read, calls, clock, observe
        self._server_clock: tuple[float, float] | None = None  # (Redis's clock - monotonic, when measured)

    def raw(self, uid_hash: str, request_hash: str, unconfirmed: Sequence[str],
            person: str | None) -> tuple[list[Any], float]:
        """read.lua's answer as it comes (its header names the fields), and when it arrived (monotonic);
        measures Redis's clock on the way."""
        args = [repr(self._clock()), request_hash, *unconfirmed[:MAX_UNCONFIRMED]]
        try:
            raw: list[Any] = self._calls(self._read, keys.turn_keys(uid_hash, person), args)
        except redis.exceptions.RedisError as error:
            raise unavailable(error, self._observe) from error
        received = time.monotonic()
        # Redis's clock when the script ran, less ours when its answer arrived: never more than the true offset,
        # and less by however long the answer took. So keep the largest of the recent ones: one slow answer
        # must not move every write's deadline earlier for a minute.
        offset, measured = int(raw[5]) + int(raw[6]) / 1e6 - received, self._server_clock
        if measured is None or offset >= measured[0] or received - measured[1] > SERVER_CLOCK_FRESH_S:
            self._server_clock = (offset, received)
        return raw, received

    def server_offset(self) -> float | None:
        """Redis's clock minus our monotonic one, as last measured, if recently (a write's deadline is set in
        Redis's clock); None: read first, which measures it."""
        measured = self._server_clock
        if measured is None or time.monotonic() - measured[1] > SERVER_CLOCK_FRESH_S:
            return None
        return measured[0]


def snapshot(raw: list[Any], received: float, person: str | None) -> Snapshot:
    """read.lua's answer decoded."""
    (version, state_raw, earlier, found, found_reply, seconds, micros, persons, account_version,
     account_raw, marked, history_raw, account_history_raw) = raw
    account = decode(account_raw, account_history_raw)[0] if claimable(raw, person) else None
    state, state_json = decode(state_raw, history_raw)
    return Snapshot(state, text(version) or "", text(earlier), text(found), text(found_reply),
                    int(seconds) + int(micros) / 1e6, received, Household(int(persons), account),
                    text(account_version) or "", bool(marked), state_json)


def unmoved(raw: list[Any], known: Known, person: str | None) -> bool:
    """Whether read.lua's answer says nothing the session's copy does not: the same version and voice profiles,
    no earlier reply for this request, no account state to claim (so it need not even be decoded)."""
    return (text(raw[0]) or "", int(raw[7])) == (known.version, known.persons) and \
        raw[2] is None and raw[3] is None and not claimable(raw, person)


def claimable(raw: list[Any], person: str | None) -> bool:
    """Whether read.lua's answer holds the account's state: a voice profile's turn while it may claim it."""
    return person is not None and (raw[1] is None or raw[8] is not None)
