"""What a store turn reads (`Snapshot`, `Household`) and what it is asked to write (`Change`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from skill.coach.state import UserState
from skill.store.known import Known


@dataclass(frozen=True)
class Household:
    """What a turn knows of the account beyond the runner's own state: how many voice profiles keep progress
    on it, and, on a voice profile's turn while it may still claim the account's progress (its first visit,
    or the question is open), the account's state."""

    persons: int = 0
    account: UserState | None = None


@dataclass(frozen=True)
class Change:
    """What a turn wants stored, and the reply (already rendered) to give and remember.

    `account`: the account's new state, written in the same atomic step (a voice profile took its progress);
    `watch_account`: read the account's state again on this profile's next turn (a claim question is open);
    `forget_everyone`: delete the account and every voice profile on it (nothing else is written).
    """

    state: UserState
    reply: str
    forget: bool = False
    essential: bool = False  # written even when Redis is at maxmemory (asking to delete everything)
    account: UserState | None = None
    watch_account: bool = False
    forget_everyone: bool = False


@dataclass(frozen=True)
class Snapshot:
    state: UserState
    version: str
    earlier_reply: str | None              # this request was applied ('' = its reply is no longer kept)
    unconfirmed: str | None = None         # the hash of an unanswered request that was applied after all
    unconfirmed_reply: str | None = None
    server_time: float = 0.0               # Redis's clock when it read, and ours (monotonic) on receipt
    received: float = 0.0
    household: Household = field(default_factory=Household)
    account_version: str | None = None     # the account's version, read with `household.account`
    marked: bool = False                   # this request (applied) is itself in doubt in Redis, not yet heard
    # The state as stored, without its history ('' = none stored); None when it cannot travel as it is (stored
    # before the history had a field of its own, or unreadable): the next write then writes the history too.
    state_json: str | None = ""


@dataclass(frozen=True)
class Turned:
    """A turn's reply, and what it left the runner's state at for the session to carry (None: read next time)."""

    reply: str
    known: Known | None = None
