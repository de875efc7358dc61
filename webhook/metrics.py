"""GET /metrics in Prometheus format, and the bookkeeping of every POST /alexa turn.

What a turn was (request type, intent, request id, why it was rejected) is
noted on `flask.g.turn` by webhook/alexa.py; the skill reports store trouble
and bugs through the two observers below (skill/ stays free of Prometheus).
After the response, `_finish_turn` counts the turn, times it and writes the
one JSON log line per turn (gunicorn writes no access line for a turn:
deploy/gunicorn.conf.py). Labels are bounded (unknown intents are "other",
unknown Redis errors are "other"), and no user id goes anywhere.

Under gunicorn every worker is its own process: with PROMETHEUS_MULTIPROC_DIR
set (before Python starts: prometheus_client reads it at import), workers write
their samples to files there and /metrics adds them up, whichever worker
answers. deploy/gunicorn.conf.py wipes the directory at start and tidies
after a worker exits.
"""

from __future__ import annotations

import logging
import os
import re
import time
from functools import cache
from typing import Any

import redis.exceptions
from flask import Blueprint, Flask, Response, g, has_request_context, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder

from skill.alexa import intents
from skill.store.errors import REFUSAL_KINDS
from webhook.logs import FIELDS

log = logging.getLogger("webhook.turn")
bp = Blueprint("metrics", __name__)

ALEXA_ENDPOINT = "alexa.alexa"  # the view whose requests are turns
OUTCOMES = ("ok", "rejected", "store_unavailable", "store_busy", "error")
KNOWN_INTENTS = frozenset(intents.CUSTOM) | frozenset(intents.BUILT_INS)
KNOWN_TYPES = frozenset({
    "LaunchRequest", "IntentRequest", "SessionEndedRequest", "CanFulfillIntentRequest",
    "AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillDisabled", "System.ExceptionEncountered",
    "Alexa.Presentation.APL.UserEvent",
})  # fmt: skip
API_NAMES = frozenset({"timers", "reminders", "settings"})
API_FAILURE_KINDS = frozenset({"timeout", "network", "unauthorized", "forbidden", "not_found", "server", "client",
                               "bad_body"})
REDIS_ERROR_KINDS = frozenset(
    name for name, value in vars(redis.exceptions).items()
    if isinstance(value, type) and issubclass(value, redis.exceptions.RedisError)
) | REFUSAL_KINDS | {"aof_unconfirmed"}  # fmt: skip
_REASON = re.compile(r"[a-z_]{1,40}")

TURNS = Counter("hc_turns", "POST /alexa turns by request type, intent and outcome",
                ["request_type", "intent", "outcome"])
# Alexa waits about 8 s; the buckets are fine where a healthy turn lives (a few ms) and reach past 8 s.
TURN_SECONDS = Histogram("hc_turn_seconds", "Time to answer POST /alexa",
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 10))
VERIFICATION_FAILURES = Counter("hc_verification_failures", "Requests refused by verification, by reason",
                                ["reason"])
REDIS_ERRORS = Counter("hc_redis_errors", "Redis calls that failed, by exception class", ["kind"])
STORE_RETRIES = Counter("hc_store_retries", "Compare-and-set retries: another turn for the runner won the race")
API_FAILURES = Counter("hc_alexa_api_failures", "Alexa API calls (timers...) that failed, by API and kind; the turn "
                       "went on without them", ["api", "kind"])


def init_app(app: Flask) -> None:
    """Register GET /metrics and the per-turn hooks."""
    app.register_blueprint(bp)
    app.before_request(_start_turn)
    app.after_request(_finish_turn)


@bp.get("/metrics")
def metrics() -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry: CollectorRegistry = CollectorRegistry()  # per scrape, as prometheus_client advises
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encoder(registry), content_type=content_type)


# ---------------------------------------------------------------- observers the skill calls


def observe_outcome(outcome: str) -> None:
    """The skill's exception handlers say how a turn ended: store_unavailable, store_busy or error."""
    if has_request_context():
        g.setdefault("turn", {})["outcome"] = outcome if outcome in OUTCOMES else "error"


def observe_store(event: str, detail: str = "") -> None:
    """skill.store.Store reports a compare-and-set retry ("retry") or a failed Redis call ("redis_error", with
    a kind: "oom", "readonly", "misconf"... for refusals inside the scripts, else the exception class)."""
    if event == "retry":
        STORE_RETRIES.inc()
    elif event == "redis_error":
        REDIS_ERRORS.labels(kind=detail if detail in REDIS_ERROR_KINDS else "other").inc()


def observe_api(api: str, kind: str) -> None:
    """skill.alexa.api reports a failed Alexa API call: the runner's turn went on without it."""
    API_FAILURES.labels(api=api if api in API_NAMES else "other",
                        kind=kind if kind in API_FAILURE_KINDS else "other").inc()


# ---------------------------------------------------------------- the turn hooks


def _start_turn() -> None:
    g.turn_started = time.perf_counter()


def _label(value: Any, known: frozenset[str]) -> str:
    if not value:
        return "none"
    return value if value in known else "other"


@cache  # label values are bounded (known names, "other", "none"): a child per combination, looked up once
def _turns_child(request_type: str, intent: str, outcome: str) -> Any:
    return TURNS.labels(request_type=request_type, intent=intent, outcome=outcome)


def _finish_turn(response: Response) -> Response:
    """Count, time and log a POST /alexa turn; other requests pass untouched."""
    if request.endpoint != ALEXA_ENDPOINT:
        return response
    seconds = time.perf_counter() - g.get("turn_started", time.perf_counter())
    turn: dict[str, Any] = g.get("turn", {})
    status = response.status_code
    outcome = turn.get("outcome") or ("ok" if status < 400 else "rejected" if status < 500 else "error")
    request_type = _label(turn.get("request_type"), KNOWN_TYPES)
    intent = _label(turn.get("intent"), KNOWN_INTENTS)
    _turns_child(request_type, intent, outcome).inc()
    TURN_SECONDS.observe(seconds)
    failure = turn.get("verification_failure")
    if failure:
        VERIFICATION_FAILURES.labels(reason=failure if _REASON.fullmatch(failure) else "other").inc()
    fields: dict[str, Any] = {
        "request_id": turn.get("request_id"), "request_type": request_type, "intent": intent,
        "outcome": outcome, "status": status, "latency_ms": round(seconds * 1000, 1),
    }  # fmt: skip
    if turn.get("reason"):
        fields["reason"] = turn["reason"]
    if log.isEnabledFor(logging.INFO):  # the record made directly: no caller lookup (it is always this line)
        log.handle(log.makeRecord(log.name, logging.INFO, __file__, 0, "turn", None, None, extra={FIELDS: fields}))
    return response
