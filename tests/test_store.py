"""The store against a real Redis: compare-and-set, bounded retry, replays, damaged data, forgetting."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import redis

from skill.coach import serial
from skill.coach.state import HistoryEntry, Profile, UserState
from skill.store import (
    MAX_ATTEMPTS,
    RECENT_IDS,
    RECENT_REPLIES,
    REPLAY_WINDOW_SECONDS,
    AlreadyApplied,
    Change,
    Household,
    Store,
    StoreBusy,
    keys,
)
from tests.test_workout_states import STATES
from tests.verification_helpers import NOW, Clock

USER = keys.user_hash("amzn1.ask.account.store-test")


def bump(state: UserState) -> UserState:
    return replace(state, profile=replace(state.profile, rotation=state.profile.rotation + 1))


def test_a_turn_writes_and_the_next_reads_it(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    assert store.turn(USER, "r1", lambda s, h: Change(bump(s), "one")) == "one"
    assert store.snapshot(USER).state.profile.rotation == 1
    first = int(store.snapshot(USER).version)
    assert store.turn(USER, "r2", lambda s, h: Change(bump(s), "two")) == "two"
    assert store.snapshot(USER).version == str(first + 1)


def test_a_write_in_between_makes_the_turn_recompute_on_fresh_state(redis_client: redis.Redis) -> None:
    store, other_device = Store(redis_client), Store(redis_client)
    seen: list[int] = []

    def compute(state: UserState, household: Household) -> Change:
        seen.append(state.profile.rotation)
        if len(seen) == 1:  # another device's turn lands while this one is computing
            other_device.turn(USER, "other", lambda s, h: Change(bump(s), "other"))
        return Change(bump(state), "mine")

    assert store.turn(USER, "mine", compute) == "mine"
    assert seen == [0, 1]
    assert store.snapshot(USER).state.profile.rotation == 2


def test_endless_contention_gives_up_and_writes_nothing_of_its_own(redis_client: redis.Redis) -> None:
    store, other_device = Store(redis_client), Store(redis_client)
    attempts = 0

    def compute(state: UserState, household: Household) -> Change:
        nonlocal attempts
        attempts += 1
        other_device.turn(USER, f"other-{attempts}", lambda s, h: Change(bump(s), "other"))
        return Change(replace(state, profile=Profile(rotation=99)), "mine")

    with pytest.raises(StoreBusy):
        store.turn(USER, "mine", compute)
    assert attempts == MAX_ATTEMPTS
    assert store.snapshot(USER).state.profile.rotation == MAX_ATTEMPTS


def test_a_replayed_request_gets_the_first_reply_and_changes_nothing(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    store.turn(USER, "same", lambda s, h: Change(bump(s), "first"))
    assert store.turn(USER, "same", lambda s, h: Change(bump(s), "second")) == "first"
    assert store.snapshot(USER).state.profile.rotation == 1
    assert 0 < redis_client.ttl(keys.recent_key(USER)) <= REPLAY_WINDOW_SECONDS


def test_unchanged_state_is_not_written(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    assert store.turn(USER, "read-only", lambda s, h: "just talk") == "just talk"
    assert redis_client.exists(*keys.user_keys(USER)) == 0


def test_damaged_state_starts_afresh_instead_of_failing(redis_client: redis.Redis) -> None:
    redis_client.hset(keys.user_key(USER), mapping={"v": "3", "state": "{not json"})
    snap = Store(redis_client).snapshot(USER)
    assert snap.state == UserState() and snap.version == "3"
    redis_client.hset(keys.user_key(USER), "state", '{"schema": 1, "profile": {"level": "extreme"}}')
    assert Store(redis_client).snapshot(USER).state == UserState()


def test_forgetting_removes_every_key_of_the_runner(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    store.turn(USER, "r1", lambda s, h: Change(bump(s), "one"))
    store.turn(USER, "r2", lambda s, h: Change(s, "bye", forget=True))
    assert redis_client.keys("*") == []


def test_state_survives_the_round_trip_through_redis(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    for number, state in enumerate(STATES.values()):
        user = keys.user_hash(f"round-trip-{number}")
        store.turn(user, "r", lambda _s, _h, state=state: Change(state, "ok"))
        assert store.snapshot(user).state == state


def test_what_is_remembered_is_bounded_per_runner_and_by_time(redis_client: redis.Redis) -> None:
    clock = Clock(NOW)
    store, user = Store(redis_client, clock=clock), keys.user_hash("amzn1.ask.account.bounded")
    for number in range(RECENT_IDS):
        store.turn(user, f"r{number}", lambda s, h: Change(bump(s), "reply " * 50))
    recent = redis_client.hgetall(keys.recent_key(user))
    assert len(recent) == RECENT_IDS + 1  # the ids, and their order
    replies = [value for field, value in recent.items() if field != b"_order" and len(value) > 100]
    assert len(replies) == RECENT_REPLIES  # only the newest keep their reply
    with pytest.raises(StoreBusy):  # more than any voice can say in the window: refused, not forgotten
        store.turn(user, "one-too-many", lambda s, h: Change(bump(s), "no"))
    with pytest.raises(AlreadyApplied):  # the oldest still counts as applied (its reply is no longer kept)
        store.turn(user, "r0", lambda s, h: Change(bump(s), "again"))
    clock.advance(REPLAY_WINDOW_SECONDS + 1)
    assert store.turn(user, "after", lambda s, h: Change(bump(s), "later")) == "later"
    assert len(redis_client.hgetall(keys.recent_key(user))) == 2  # expired ids are gone
    assert 0 < redis_client.ttl(keys.recent_key(user)) <= REPLAY_WINDOW_SECONDS
    assert store.turn(user, "r0", lambda s, h: Change(bump(s), "new")) == "new"  # past the window: a new request


def test_a_script_redis_lost_is_loaded_again(redis_client: redis.Redis) -> None:
    """A restarted or failed-over Redis has no scripts: the turn loads them and goes on (skill/store/calls.py)."""
    store = Store(redis_client)
    assert store.turn(USER, "s1", lambda s, h: Change(bump(s), "one")) == "one"
    redis_client.script_flush()
    assert store.turn(USER, "s2", lambda s, h: Change(bump(s), "two")) == "two"
    assert store.snapshot(USER).state.profile.rotation == 2


def test_a_state_stored_with_its_history_inside_is_read_and_split_by_its_next_write(
        redis_client: redis.Redis) -> None:
    """Before the history had a field of its own it lived inside `state`: read as it is, moved on the next write."""
    entry = HistoryEntry(1_000_000.0, ("eccentric_curls",), 3)
    legacy = serial.to_dict(replace(UserState(), profile=replace(Profile(), history=(entry,))))
    redis_client.hset(keys.user_key(USER), mapping={"v": "5", "state": json.dumps(legacy)})
    assert store_history(Store(redis_client)) == (entry,)
    assert Store(redis_client).turn(USER, "h1", lambda s, h: Change(bump(s), "one")) == "one"
    state, history = redis_client.hmget(keys.user_key(USER), ["state", "history"])
    assert "history" not in json.loads(state)["profile"] and len(json.loads(history)) == 1
    assert store_history(Store(redis_client)) == (entry,)


def store_history(store: Store) -> tuple[HistoryEntry, ...]:
    return store.snapshot(USER).state.profile.history
