"""Redis: every key name (`keys`) and the atomic turn (`turn.Store`: one read, one compare-and-set write).

The store knows the coach's state type to encode and decode it, and nothing of
words, ask-sdk or HTTP.
"""

from skill.store.turn import (
    MAX_ATTEMPTS,
    REPLAY_WINDOW_SECONDS,
    Change,
    Snapshot,
    Store,
    StoreBusy,
    StoreObserver,
    StoreUnavailable,
    script,
)

__all__ = [
    "MAX_ATTEMPTS", "REPLAY_WINDOW_SECONDS", "Change", "Snapshot", "Store", "StoreBusy", "StoreObserver",
    "StoreUnavailable", "script",
]
