"""What a turn left a runner's state at (`Known`), for the session to carry: the next turn in the same
session computes from it and sends only its compare-and-set write, one Redis round trip instead of two.

The copy holds the workout history's newest TAIL_ENTRIES entries and its length, not the history: that
grows for months (up to HISTORY_LIMIT entries, about 13 KB), and Alexa caps a response at 24 KB. A state
rebuilt from the copy holds a `TailHistory`: what a turn looks at from the newest end (the last workout, a
step-up's run of strong workouts) is there; anything that needs more raises `HistoryNotLoaded`, and the store
then reads the whole state from Redis. A turn that did not change the history writes none: Redis keeps its own.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from skill.coach import serial
from skill.coach.state import HistoryEntry, UserState

log = logging.getLogger(__name__)

TAIL_ENTRIES = 8  # about 1 KB of JSON: a step-up looks back two or three workouts with the exercise in


class HistoryNotLoaded(Exception):
    """The turn needs more of the workout history than the session's copy holds."""


class TailHistory:
    """A history of `length` entries of which only the newest are here (as JSON, decoded when first looked at).
    Read from the newest end (`reversed`, `[-1]`, `len`) within them; anything else raises HistoryNotLoaded
    unless every entry is here."""

    def __init__(self, tail_json: str, length: int) -> None:
        self.tail_json, self.length = tail_json, length
        self._entries: tuple[HistoryEntry, ...] | None = None

    def entries(self) -> tuple[HistoryEntry, ...]:
        if self._entries is None:
            try:
                self._entries = serial.read_history(json.loads(self.tail_json))
            except (ValueError, KeyError, TypeError) as error:  # never ours, but never a failed turn either
                raise HistoryNotLoaded from error
        return self._entries

    @property
    def complete(self) -> bool:
        return len(self.entries()) == self.length

    def __len__(self) -> int:
        return self.length

    def __bool__(self) -> bool:
        return self.length > 0

    def __getitem__(self, index: Any) -> Any:
        if self.complete or (isinstance(index, int) and -len(self.entries()) <= index < 0):
            return self.entries()[index]
        raise HistoryNotLoaded

    def __reversed__(self) -> Iterator[HistoryEntry]:
        yield from reversed(self.entries())
        if not self.complete:
            raise HistoryNotLoaded

    def __iter__(self) -> Iterator[HistoryEntry]:
        if not self.complete:
            raise HistoryNotLoaded
        return iter(self.entries())

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not self.complete:
            raise HistoryNotLoaded
        return self.entries() == other

    def __hash__(self) -> int:
        if not self.complete:
            raise HistoryNotLoaded
        return hash(self.entries())

    def __repr__(self) -> str:
        return f"TailHistory({self.length} entries)"


def tail_of(history: tuple[HistoryEntry, ...]) -> tuple[str, int]:
    """(the newest TAIL_ENTRIES entries as JSON, the history's length): what the session carries of it."""
    if isinstance(history, TailHistory):
        return history.tail_json, history.length
    return json.dumps(serial.history_list(history[-TAIL_ENTRIES:]), separators=(",", ":")), len(history)


@dataclass(frozen=True)
class Known:
    """The runner's key, its version in Redis, how many voice profiles the account had, the state without its
    history ('' = nothing stored yet), and the history's newest entries (JSON) and length, as of the end of the
    turn that made it."""

    key: str
    version: str
    persons: int
    state_json: str
    tail_json: str = "[]"
    history_length: int = 0


def known_from(key: str, version: str, persons: int, state_json: str, history: tuple[HistoryEntry, ...]) -> Known:
    return Known(key, version, persons, state_json, *tail_of(history))


def state_of(copy: Known) -> UserState | None:
    """The state the copy holds (its history a TailHistory), or None when it does not decode: the caller then
    reads Redis."""
    history = cast(tuple[HistoryEntry, ...], TailHistory(copy.tail_json, copy.history_length))
    if not copy.state_json:
        return UserState()
    try:
        return serial.from_dict(json.loads(copy.state_json), history=history)
    except (ValueError, KeyError, TypeError) as error:
        log.warning("session's copy of the state unreadable (%s); reading Redis", type(error).__name__)
        return None


def history_changed(state: UserState) -> bool:
    """False for a state rebuilt from a session's copy whose history the turn left as it was."""
    return not isinstance(state.profile.history, TailHistory)
