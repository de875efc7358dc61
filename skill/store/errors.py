"""How a store turn can fail, and a short name for each Redis error (for logs and metrics).

A failure says whether the turn's write may still have been applied (`in_doubt`): a
write that was sent and never answered (Redis stalled, the reply lost) might run, or
have run, after we gave up. The handler then tells the runner it could not reach the
workout and remembers the request id, so the next turn can find out what really happened.
"""

from __future__ import annotations

from collections.abc import Callable

import redis.exceptions

from skill.coach.state import UserState

# Refusals that surface as a ResponseError from inside the Lua scripts, told apart by their first word.
_REFUSALS = {"OOM": "oom", "READONLY": "readonly", "MISCONF": "misconf", "NOSCRIPT": "noscript",
             "BUSY": "busy", "LOADING": "loading", "MASTERDOWN": "masterdown", "CLUSTERDOWN": "clusterdown"}
REFUSAL_KINDS = frozenset(_REFUSALS.values())


# The refusals redis-py has classes for (it strips their first word from the message).
_CLASSES = {redis.exceptions.OutOfMemoryError: "oom", redis.exceptions.ReadOnlyError: "readonly",
            redis.exceptions.NoScriptError: "noscript", redis.exceptions.BusyLoadingError: "loading",
            redis.exceptions.MasterDownError: "masterdown", redis.exceptions.ClusterDownError: "clusterdown"}


def error_kind(error: BaseException) -> str:
    """"oom", "readonly", "misconf", ... for a Redis refusal, else the exception's class name."""
    for cls, kind in _CLASSES.items():
        if isinstance(error, cls):
            return kind
    if isinstance(error, redis.exceptions.ResponseError):
        words = str(error).split()
        for word in words[:1] + words[1:2]:  # "OOM ..." or, from some servers, "ERR OOM ..."
            if word in _REFUSALS:
                return _REFUSALS[word]
    return type(error).__name__


# Told about trouble as it happens, for metrics: ("retry", "") on a lost compare-and-set,
# ("redis_error", kind) on a failed Redis call (kind from error_kind). Must not raise.
StoreObserver = Callable[[str, str], None]


class StoreUnavailable(Exception):
    """Redis could not be reached in time or refused the write. `in_doubt`: the write may yet apply."""

    def __init__(self, kind: str, *, in_doubt: bool = False) -> None:
        super().__init__(f"{kind} (write in doubt)" if in_doubt else kind)
        self.kind = kind
        self.in_doubt = in_doubt


class StoreBusy(Exception):
    """Other turns for the same runner kept winning the race, or too many turns in the replay window;
    nothing was written."""


class AlreadyApplied(Exception):
    """This request (or one the runner never heard answered) was applied earlier and its reply is no
    longer kept: say where the runner is (`state`) and apply nothing."""

    def __init__(self, state: UserState) -> None:
        super().__init__("already applied; reply no longer kept")
        self.state = state


def unavailable(error: redis.exceptions.RedisError, observe: StoreObserver, *,
                in_doubt: bool = False) -> StoreUnavailable:
    """A failed Redis call, reported to the observer and turned into the store's error."""
    kind = error_kind(error)
    observe("redis_error", kind)
    return StoreUnavailable(kind, in_doubt=in_doubt)
