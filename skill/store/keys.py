"""Every Redis key name, built here and nowhere else.

A runner's keys carry an HMAC of their Alexa userId, never the raw id, inside
a hash tag `{...}` so that in Redis Cluster all of one runner's keys live on
one slot and a turn's atomic write (a Lua script over them) is legal. Voice
profiles (household members Alexa recognises) keep their own state under the
same account's tag, keyed by an HMAC of their personId: deleting an account,
or a turn that moves the account's progress to a profile, stays one slot.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

PREFIX = "hc"
DEFAULT_PEPPER = b"hamstring-coach"
HASH_CACHE_ENTRIES = 4096  # ids up to 512 characters (envelope.MAX_ID_LENGTH): at most about 3 MB a worker


@lru_cache(maxsize=HASH_CACHE_ENTRIES)  # a turn needs it twice (its keys, the session's copy); runners come back
def user_hash(user_id: str, pepper: bytes = DEFAULT_PEPPER) -> str:
    """Stable, non-reversible id for a runner (set USER_ID_PEPPER in production to keep it secret)."""
    return hmac.new(pepper, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


@lru_cache(maxsize=HASH_CACHE_ENTRIES)
def person_hash(person_id: str, pepper: bytes = DEFAULT_PEPPER) -> str:
    """Stable, non-reversible id for a voice profile (domain-separated from user ids)."""
    return hmac.new(pepper, b"person:" + person_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def request_hash(request_id: str) -> str:
    return hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:24]


def user_key(uid_hash: str) -> str:
    """Hash: `v` (version for compare-and-set) and `state` (JSON). Kept; expires after a year unused."""
    return f"{PREFIX}:{{{uid_hash}}}:user"


def recent_key(uid_hash: str) -> str:
    """Hash: request-id hash -> "<expiry> <reply>" (replays). Expires 300 s after the last turn."""
    return f"{PREFIX}:{{{uid_hash}}}:recent"


def doubt_key(uid_hash: str) -> str:
    """Hash: request-id hash -> "<runner's key> <the version its write would make>", or "heard": turns of the
    account or any of its voice profiles answered "can't reach your workout" while their write was in doubt
    (doubt.lua). Expires DOUBT_TTL_SECONDS after the last one."""
    return f"{PREFIX}:{{{uid_hash}}}:doubt"


def user_keys(uid_hash: str) -> tuple[str, str, str]:
    """The account's own state, its replay record and its in-doubt turns (a turn without a voice profile
    reads and writes these)."""
    return user_key(uid_hash), recent_key(uid_hash), doubt_key(uid_hash)


def person_key(uid_hash: str, person: str) -> str:
    """Hash: `v`, `state` (JSON) of one voice profile, and `ask` while it may claim the account's progress.
    Kept; expires after a year unused."""
    return f"{PREFIX}:{{{uid_hash}}}:person:{person}"


def persons_key(uid_hash: str) -> str:
    """Set: the voice profiles (person hashes) with state on this account: what deleting the account removes."""
    return f"{PREFIX}:{{{uid_hash}}}:persons"


def runner_key(uid_hash: str, person: str | None = None) -> str:
    """The hash holding the state of whoever is speaking: the account's, or a voice profile's."""
    return user_key(uid_hash) if person is None else person_key(uid_hash, person)


def turn_keys(uid_hash: str, person: str | None = None) -> tuple[str, ...]:
    """What one turn's scripts touch: the runner's state (the account's or the profile's), the replay record,
    the set of voice profiles, the in-doubt turns, and on a profile's turn the account's state (to claim it)."""
    account = () if person is None else (user_key(uid_hash),)
    return runner_key(uid_hash, person), recent_key(uid_hash), persons_key(uid_hash), doubt_key(uid_hash), *account


def account_keys(uid_hash: str, persons: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every key of an account, its voice profiles' too (what disabling the skill removes)."""
    return (user_key(uid_hash), recent_key(uid_hash), persons_key(uid_hash), doubt_key(uid_hash),
            *(person_key(uid_hash, p) for p in persons))


def readiness_key() -> str:
    """String written by /readyz (expires in a minute): proof that a write would be accepted now."""
    return f"{PREFIX}:readyz"


def cert_urls_key() -> str:
    """Set: Alexa certificate URLs whose chain verified (any worker); their downloads get their own lane."""
    return f"{PREFIX}:alexa-cert-urls"
