"""In-doubt markers: a turn answered "can't reach your workout" while its write was sent and never answered
is remembered in Redis (`keys.doubt_key`, `doubt.lua`), so the runner's next turn finds out whether it was
applied even when it comes in a new session (the session's own `unconfirmed` list is gone by then).

The marker can't be written in the turn: Redis is stalled, or its replies are held, right then. So it is
written after the answer, by one background thread per process, retried for DOUBT_RETRY_SECONDS. Writing it
late is still right: the write it is about carries a deadline in Redis's clock, so by the time the runner
hears the apology that write has either run or never will, and the read acts on a marker only while the
runner's version is still the one that write made. Once the missed reply has been given, the marker is
marked "heard" the same way (in the background: the turn waits for nothing), so it is never given twice.

No round trip is added to a turn: the read script looks at the marker key as it reads the rest.
"""

from __future__ import annotations

import logging
import threading
import time

import redis.exceptions
from redis.commands.core import Script

from skill.store import keys
from skill.store.limits import DOUBT_RETRY_SECONDS, DOUBT_TTL_SECONDS, MAX_DOUBTS

log = logging.getLogger(__name__)

HEARD = "heard"
MAX_PENDING = 1000     # markers waiting to be written in one process (a long outage drops the oldest)
FIRST_PAUSE_S = 0.05   # between attempts while Redis is unreachable, doubling up to MAX_PAUSE_S
MAX_PAUSE_S = 0.5


class DoubtMarkers:
    """Writes in-doubt markers in the background; `wait(timeout)` lets a test (or a shutdown) see them land."""

    def __init__(self, mark: Script, retry_for_s: float = DOUBT_RETRY_SECONDS) -> None:
        self._mark = mark
        self._retry_for_s = retry_for_s
        # (runner's hash, request hash) -> (version its write would make, or HEARD; monotonic give-up time)
        self._pending: dict[tuple[str, str], tuple[str, float]] = {}
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def note(self, uid_hash: str, request_hash: str, version: str) -> None:
        """This request's write (which would make `version`) is in doubt: remember it in Redis, soon."""
        self._queue(uid_hash, request_hash, version)

    def heard(self, uid_hash: str, request_hash: str) -> None:
        """The reply of this in-doubt request is being given now: a marker for it must not give it again.

        Written at once (the runner's next turn may follow at once), in the background if Redis fails it.
        Only the rare turn that gives a missed reply pays this round trip.
        """
        with self._changed:
            self._pending.pop((uid_hash, request_hash), None)  # a marker not yet written need not be
            self._changed.notify_all()
        if not self._write(uid_hash, request_hash, HEARD):
            self._queue(uid_hash, request_hash, HEARD)

    def wait(self, timeout: float) -> bool:
        """True once every marker noted so far has been written or given up on; False after `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def _queue(self, uid_hash: str, request_hash: str, value: str) -> None:
        with self._changed:
            self._pending.pop((uid_hash, request_hash), None)
            while len(self._pending) >= MAX_PENDING:
                dropped = next(iter(self._pending))
                del self._pending[dropped]
                log.warning("too many in-doubt markers waiting for Redis; one dropped")
            self._pending[(uid_hash, request_hash)] = (value, time.monotonic() + self._retry_for_s)
            if self._thread is None or not self._thread.is_alive():  # first use, or after a fork
                self._thread = threading.Thread(target=self._run, name="in-doubt-markers", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def _run(self) -> None:
        pause = FIRST_PAUSE_S
        while True:
            with self._changed:
                while not self._pending:
                    self._changed.wait()
                batch = list(self._pending.items())
            for (uid_hash, request_hash), (value, give_up) in batch:
                if self._write(uid_hash, request_hash, value):
                    self._done(uid_hash, request_hash, value)
                    pause = FIRST_PAUSE_S
                elif time.monotonic() >= give_up:
                    log.warning("gave up writing an in-doubt marker after %.0f s: Redis unreachable",
                                self._retry_for_s)
                    self._done(uid_hash, request_hash, value)
                else:
                    time.sleep(pause)  # Redis is still away: try the rest later, not one after another now
                    pause = min(2 * pause, MAX_PAUSE_S)
                    break

    def _done(self, uid_hash: str, request_hash: str, value: str) -> None:
        with self._changed:
            if self._pending.get((uid_hash, request_hash), (None,))[0] == value:
                del self._pending[(uid_hash, request_hash)]
            self._changed.notify_all()

    def _write(self, uid_hash: str, request_hash: str, value: str) -> bool:
        try:
            self._mark(keys=[keys.doubt_key(uid_hash)], args=[request_hash, value, DOUBT_TTL_SECONDS, MAX_DOUBTS])
        except redis.exceptions.RedisError as error:
            log.debug("in-doubt marker not written yet (%s); retrying", type(error).__name__)
            return False
        return True
