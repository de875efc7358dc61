"""In-doubt markers in Redis (skill/store/doubts.py, doubt.lua), at the store: a turn whose write was in
doubt is found out on the runner's next turn in any session, its missed reply given once, and a marker
that is late, stale or about a write that never ran changes nothing."""

from __future__ import annotations

import json
from dataclasses import replace

import redis

from skill.coach import serial
from skill.coach.state import UserState
from skill.store import Change, Store, keys, script
from skill.store.limits import DOUBT_TTL_SECONDS, MAX_DOUBTS

USER = keys.user_hash("amzn1.ask.account.doubt-test")


def bump(state: UserState) -> UserState:
    return replace(state, profile=replace(state.profile, rotation=state.profile.rotation + 1))


def mark(client: redis.Redis, request_id: str, version: str) -> None:
    """What the background thread writes once a turn's write was in doubt (here: arriving when we say): the
    runner's key and the version its write would make."""
    value = version if version == "heard" else f"{keys.user_key(USER)} {version}"
    client.register_script(script("doubt"))(keys=[keys.doubt_key(USER)],
                                            args=[keys.request_hash(request_id), value, DOUBT_TTL_SECONDS,
                                                  MAX_DOUBTS])


def step(store: Store, request_id: str) -> str:
    return store.turn(USER, request_id, lambda s, _household: Change(bump(s), request_id))


def version(store: Store, ahead: int = 0) -> str:
    """The runner's version now, or the one `ahead` writes on (a runner's first version is from the clock)."""
    return str(int(store.snapshot(USER).version) + ahead)


def test_a_marked_write_that_ran_is_answered_with_its_reply_once(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    assert step(store, "r1") == "r1"  # applied; say the runner heard "sorry" instead
    made = version(store)
    mark(redis_client, "r1", made)
    assert step(store, "r2") == "r1"  # a new session: no unconfirmed list, the marker says it
    assert version(store) == made  # and nothing new applied
    assert store.wait_for_markers(5)
    assert redis_client.hget(keys.doubt_key(USER), keys.request_hash("r1")) == b"heard"
    assert step(store, "r3") == "r3"  # never given twice
    assert version(store) == str(int(made) + 1)
    assert redis_client.exists(keys.doubt_key(USER)) == 0  # the write cleared it


def test_a_marker_that_lands_after_a_later_write_changes_nothing(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    step(store, "r1")
    made = version(store)
    step(store, "r2")  # the runner went on (another device, say) before r1's marker arrived
    mark(redis_client, "r1", made)
    assert step(store, "r3") == "r3"
    assert version(store) == str(int(made) + 2)


def test_a_marker_for_a_write_that_never_ran_changes_nothing(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    step(store, "r1")
    made = version(store, ahead=1)
    mark(redis_client, "lost", made)  # its write reached Redis too late, or never
    assert step(store, "r2") == "r2"
    assert version(store) == made


def test_a_marker_arriving_after_its_reply_was_given_changes_nothing(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    step(store, "r1")
    # The same session gave r1's reply (its unconfirmed list) before the background marker landed.
    assert store.turn(USER, "r2", lambda s: Change(bump(s), "r2"), unconfirmed=[keys.request_hash("r1")]) == "r1"
    mark(redis_client, "r1", version(store))  # late: "heard" is already there, and a marker never overwrites
    assert step(store, "r3") == "r3"


def test_a_runners_markers_are_bounded_and_deleted_with_their_data(redis_client: redis.Redis) -> None:
    store = Store(redis_client)
    step(store, "r1")
    for number in range(3 * MAX_DOUBTS):
        mark(redis_client, f"lost-{number}", "9")
    assert 0 < redis_client.hlen(keys.doubt_key(USER)) <= MAX_DOUBTS
    assert 0 < redis_client.ttl(keys.doubt_key(USER)) <= DOUBT_TTL_SECONDS
    store.forget(USER)
    assert redis_client.exists(*keys.user_keys(USER)) == 0


def test_a_voice_profiles_marker_is_never_the_accounts(redis_client: redis.Redis) -> None:
    """Markers are per account (one hash tag) but name the runner: the account's turn at the same version
    never gets a voice profile's missed reply, and the profile's own next turn does."""
    store, person = Store(redis_client), keys.person_hash("amzn1.ask.person.doubt-test")
    assert store.turn(USER, "p1", lambda s, _household: Change(bump(s), "p1"), person=person) == "p1"
    made = store.snapshot(USER, person=person).version
    value = f"{keys.person_key(USER, person)} {made}"  # as the background thread writes it for the profile's turn
    redis_client.register_script(script("doubt"))(keys=[keys.doubt_key(USER)],
                                                  args=[keys.request_hash("p1"), value, DOUBT_TTL_SECONDS, MAX_DOUBTS])
    fresh = json.dumps(serial.to_dict(UserState()))
    redis_client.hset(keys.user_key(USER), mapping={"v": str(int(made) - 1), "state": fresh})
    assert step(store, "a1") == "a1"  # the account is at the profile's version now too, and hears its own turn
    assert store.snapshot(USER).version == made
    assert store.turn(USER, "p2", lambda s, _household: Change(bump(s), "p2"), person=person) == "p1"
