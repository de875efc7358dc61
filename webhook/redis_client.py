"""One Redis client for the process, from configuration: single node, Cluster or Sentinel.

Short socket timeouts and a small bounded retry: a Redis blip costs a turn a
spoken apology, never Alexa's whole 8 s. Clients reconnect by themselves
when Redis comes back.
"""

from __future__ import annotations

from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.cluster import RedisCluster
from redis.retry import Retry
from redis.sentinel import Sentinel


def _retry() -> Retry:
    return Retry(ExponentialBackoff(cap=0.05, base=0.01), retries=1)


def connect(config: dict[str, Any]) -> redis.Redis:
    """Build (not connect: that happens on first use) the client the store will use."""
    timeout = float(config["REDIS_TIMEOUT_SECONDS"])
    common: dict[str, Any] = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": _retry(),
        "health_check_interval": 30,
    }
    if config["REDIS_SENTINELS"]:
        sentinels = [
            (host, int(port))
            for host, _, port in (item.strip().rpartition(":") for item in config["REDIS_SENTINELS"].split(","))
        ]
        sentinel = Sentinel(sentinels, socket_timeout=timeout, socket_connect_timeout=timeout)
        return sentinel.master_for(config["REDIS_SENTINEL_MASTER"], **common)
    if config["REDIS_CLUSTER"]:
        return RedisCluster.from_url(config["REDIS_URL"], **common)  # type: ignore[return-value]
    return redis.Redis.from_url(config["REDIS_URL"], **common)
