"""Configuration: defaults, then the environment, then test overrides (flaskr's order)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

DEFAULTS: dict[str, Any] = {
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "REDIS_CLUSTER": False,
    "REDIS_SENTINELS": "",            # "host:port,host:port"
    "REDIS_SENTINEL_MASTER": "mymaster",
    "REDIS_TIMEOUT_SECONDS": 0.5,     # per Redis call: a hung Redis must not eat Alexa's 8 s
    "REDIS_WAIT_REPLICAS": 0,         # >0: WAIT for that many replicas before answering a turn
    "REDIS_WAIT_AOF": False,          # WAITAOF: answer a turn only once Redis has fsynced it (Redis 7.2+)
    "REDIS_TURN_BUDGET_SECONDS": 3.5,  # how long a sent write is chased before the turn is in doubt
    "ALEXA_VERIFY_REQUESTS": True,
    "ALEXA_SKILL_ID": "",
    "USER_ID_PEPPER": "",
    "MAX_CONTENT_LENGTH": 256 * 1024,  # Flask answers 413 past this without reading the body
    "LOG_LEVEL": "INFO",              # JSON logs on stderr (webhook/logs.py); DEBUG for more
}
_BOOLEANS = {"REDIS_CLUSTER", "REDIS_WAIT_AOF", "ALEXA_VERIFY_REQUESTS"}
_NUMBERS = {"REDIS_TIMEOUT_SECONDS": float, "REDIS_WAIT_REPLICAS": int, "REDIS_TURN_BUDGET_SECONDS": float,
            "MAX_CONTENT_LENGTH": int}


def parse_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load(environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    config = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        if name not in environ:
            continue
        raw = environ[name]
        if name in _BOOLEANS:
            config[name] = parse_bool(raw)
        elif name in _NUMBERS:
            config[name] = _NUMBERS[name](raw)
        else:
            config[name] = raw if isinstance(default, str) else default
    config.update(overrides or {})
    return config


def from_environment(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return load(os.environ, overrides)
