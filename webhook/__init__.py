"""The HTTP face of Hamstring Coach: `create_app()` for gunicorn ('webhook:create_app()').

This is the production app: /alexa, health and metrics, never the browser simulator (that is
`webhook.local`, what `make run` serves). With verification on it refuses to start without
USER_ID_PEPPER: the default key is public, so anyone could forge a sealed "last reply".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import redis
from flask import Flask

from skill.alexa.handlers import Context, build_skill
from skill.store import Store, keys
from webhook import alexa, config, health, logs, metrics, redis_client
from webhook.cert_memory import RedisCertUrls
from webhook.verification import RequestVerifier

log = logging.getLogger(__name__)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Defaults, then the environment, then `test_config` (which may also pass STORE, VERIFIER, CLOCK)."""
    app = Flask(__name__)
    app.config.update(config.from_environment(test_config))
    if not app.config.get("TESTING"):  # tests keep pytest's log capture
        logs.configure_logging(app.config["LOG_LEVEL"])
    _refuse_a_public_pepper(app)
    clock = app.config.get("CLOCK") or time.time  # tests may pass a clock they can move on
    client = None if app.config.get("STORE") else redis_client.connect(app.config)
    app.extensions["alexa_verifier"] = _verifier(app, client)
    store = app.config.get("STORE") or Store(
        client, wait_replicas=int(app.config["REDIS_WAIT_REPLICAS"]),
        wait_aof=bool(app.config["REDIS_WAIT_AOF"]), turn_budget_s=float(app.config["REDIS_TURN_BUDGET_SECONDS"]),
        call_timeout_s=float(app.config["REDIS_TIMEOUT_SECONDS"]), clock=clock, observer=metrics.observe_store,
    )
    pepper = app.config["USER_ID_PEPPER"].encode("utf-8") or keys.DEFAULT_PEPPER
    app.extensions["store"] = store
    app.extensions["alexa_skill"] = build_skill(
        Context(store=store, clock=clock, pepper=pepper, observe=metrics.observe_outcome,
                observe_api=metrics.observe_api))
    app.register_blueprint(alexa.bp)
    app.register_blueprint(health.bp)
    metrics.init_app(app)
    return app


def _refuse_a_public_pepper(app: Flask) -> None:
    if app.config["ALEXA_VERIFY_REQUESTS"] and not app.config["USER_ID_PEPPER"]:
        raise RuntimeError("USER_ID_PEPPER is not set: with ALEXA_VERIFY_REQUESTS on, refusing to start on a public "
                           "key (set it to a long random secret, e.g. `openssl rand -hex 32`, and keep it forever)")


def _verifier(app: Flask, client: redis.Redis | None) -> RequestVerifier | None:
    if not app.config["ALEXA_VERIFY_REQUESTS"]:
        log.warning("ALEXA_VERIFY_REQUESTS is off: anyone can post to /alexa. Use this only for local tools.")
        return None
    if not app.config["ALEXA_SKILL_ID"]:
        log.warning("ALEXA_SKILL_ID is not set: requests for any skill id are accepted.")
    known = RedisCertUrls(client) if client is not None else None
    return app.config.get("VERIFIER") or RequestVerifier(known=known)
