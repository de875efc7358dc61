"""Redis: every key name (`keys`) and the atomic turn (`turn.Store`: one read, one compare-and-set write).

The store knows the coach's state type to encode and decode it, and nothing of
words, ask-sdk or HTTP.
"""

from skill.store.errors import AlreadyApplied, StoreBusy, StoreObserver, StoreUnavailable, error_kind
from skill.store.limits import MAX_ATTEMPTS, RECENT_IDS, RECENT_REPLIES, REPLAY_WINDOW_SECONDS
from skill.store.turn import Compute, Store, script
from skill.store.values import Change, Household, Snapshot

__all__ = [
    "MAX_ATTEMPTS", "RECENT_IDS", "RECENT_REPLIES", "REPLAY_WINDOW_SECONDS", "AlreadyApplied", "Change", "Compute",
    "Household", "Snapshot", "Store", "StoreBusy", "StoreObserver", "StoreUnavailable", "error_kind", "script",
]
