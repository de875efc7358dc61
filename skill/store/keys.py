"""Every Redis key name, built here and nowhere else.

A runner's keys carry an HMAC of their Alexa userId, never the raw id, inside
a hash tag `{...}` so that in Redis Cluster all of one runner's keys live on
one slot and a turn's atomic write (a Lua script over them) is legal.
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "hc"
DEFAULT_PEPPER = b"hamstring-coach"


def user_hash(user_id: str, pepper: bytes = DEFAULT_PEPPER) -> str:
    """Stable, non-reversible id for a runner (set USER_ID_PEPPER in production to keep it secret)."""
    return hmac.new(pepper, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def request_hash(request_id: str) -> str:
    return hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:24]


def user_key(uid_hash: str) -> str:
    """Hash: `v` (version for compare-and-set) and `state` (JSON). Kept; expires after a year unused."""
    return f"{PREFIX}:{{{uid_hash}}}:user"


def recent_key(uid_hash: str) -> str:
    """Hash: request-id hash -> "<expiry> <reply>" (replays). Expires 300 s after the last turn."""
    return f"{PREFIX}:{{{uid_hash}}}:recent"


def doubt_key(uid_hash: str) -> str:
    """Hash: request-id hash -> the version its write would make, or "heard": turns answered "can't reach
    your workout" while their write was in doubt (doubt.lua). Expires DOUBT_TTL_SECONDS after the last one."""
    return f"{PREFIX}:{{{uid_hash}}}:doubt"


def user_keys(uid_hash: str) -> tuple[str, str, str]:
    """All keys that hold anything about one runner (what "delete my data" removes; the turn's scripts
    take them in this order)."""
    return user_key(uid_hash), recent_key(uid_hash), doubt_key(uid_hash)


def readiness_key() -> str:
    """String written by /readyz (expires in a minute): proof that a write would be accepted now."""
    return f"{PREFIX}:readyz"


def cert_urls_key() -> str:
    """Set: Alexa certificate URLs whose chain verified (any worker); their downloads get their own lane."""
    return f"{PREFIX}:alexa-cert-urls"
