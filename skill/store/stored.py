"""The runner's state as Redis stores it (the state and its history in two fields, JSON) and what a turn
leaves for the session's copy (`Known`): the encoding half of `turn.Store`."""

from __future__ import annotations

import json
import logging

from skill.coach import serial
from skill.coach.state import UserState
from skill.store.known import Known, history_changed, known_from
from skill.store.values import Change, Snapshot
from skill.store.writes import WriteArgs

log = logging.getLogger(__name__)


def known_read(key: str, snap: Snapshot) -> Known | None:
    """What Redis holds, for the session (None when it cannot travel: see Snapshot.state_json, or while a voice
    profile may claim the account's progress)."""
    if snap.state_json is None or snap.household.account is not None:
        return None
    return known_from(key, snap.version, snap.household.persons, snap.state_json, snap.state.profile.history)


def known_after(key: str, persons: int, change: Change, args: WriteArgs) -> Known | None:
    """What a written turn leaves for the session, unless the next turn must read: the runner was deleted, or a
    voice profile may still claim the account's progress."""
    if change.forget or args.watch_account:
        return None
    return known_from(key, args.new_version, persons, args.state_json, change.state.profile.history)


def encode(change: Change) -> str:
    return "" if change.forget else state_json(change.state)


def state_json(state: UserState) -> str:
    return json.dumps(serial.to_dict(state, with_history=False), separators=(",", ":"))


def history_json(state: UserState, snap: Snapshot | None = None) -> str:
    """The history to write: '-' (keep Redis's) when the turn left it as Redis holds it."""
    history = state.profile.history
    if not history_changed(state) or (snap is not None and snap.state_json is not None
                                  and history is snap.state.profile.history):
        return "-"
    return json.dumps(serial.history_list(history), separators=(",", ":"))


def text(value: bytes | str | None) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def decode(raw: bytes | str | None, history_raw: bytes | str | None) -> tuple[UserState, str | None]:
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
    return state, (text(raw) if "history" not in data["profile"] else None)
