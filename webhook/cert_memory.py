"""The certificate URLs that have verified, shared by every worker and instance through Redis.

A worker that boots (or refreshes its hourly cache) during a flood of made-up certificate URLs
still fetches the genuine one at once, on the lane for known URLs (webhook/verification/fetching.py).
Only a chain that verified adds a URL, so an attacker cannot put one here. Kept 30 days.
"""

from __future__ import annotations

import redis

from skill.store import keys

KEEP_S = 30 * 24 * 3600


class RedisCertUrls:
    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def contains(self, url: str) -> bool:
        return bool(self._client.sismember(keys.cert_urls_key(), url))

    def add(self, url: str) -> None:
        try:
            pipe = self._client.pipeline(transaction=False)
            pipe.sadd(keys.cert_urls_key(), url)
            pipe.expire(keys.cert_urls_key(), KEEP_S)
            pipe.execute()
        except redis.exceptions.RedisError:
            pass  # a help, not a need: this worker remembers it anyway
