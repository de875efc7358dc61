"""GET /metrics and the per-turn counts, through the real app: each outcome lands under bounded labels.

Metrics are process-wide, so every test compares a scrape before and after what it does.
(Multiprocess mode under gunicorn is exercised for real in test_deploy.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import redis
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from local_redis import RedisServer, free_port
from skill.alexa import handlers, intents
from skill.store import MAX_ATTEMPTS, Store
from tests.runner import Runner
from webhook import create_app, metrics
from webhook.verification import VerificationError

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: FlaskClient) -> Samples:
    reply = client.get("/metrics")
    assert reply.status_code == 200 and reply.content_type.startswith("text/plain")
    families = text_string_to_metric_families(reply.get_data(as_text=True))
    return {(s.name, frozenset(s.labels.items())): s.value for family in families for s in family.samples}


def change(client: FlaskClient, action: Callable[[], Any]) -> Callable[..., float]:
    """Run `action`; return delta(name, **labels): how much that sample moved."""
    before = scrape(client)
    action()
    after = scrape(client)
    return lambda name, **labels: after.get((name, frozenset(labels.items())), 0.0) - before.get(
        (name, frozenset(labels.items())), 0.0)


def turns(request_type: str = "LaunchRequest", intent: str = "none", outcome: str = "ok") -> dict[str, str]:
    return {"request_type": request_type, "intent": intent, "outcome": outcome}


def app_client(redis_url: str, **config: Any) -> FlaskClient:
    settings = {"REDIS_URL": redis_url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True, **config}
    return create_app(settings).test_client()


def test_a_launch_is_counted_and_timed(client: FlaskClient, runner: Runner) -> None:
    delta = change(client, runner.launch)
    assert delta("hc_turns_total", **turns()) == 1
    assert delta("hc_turn_seconds_count") == 1 and delta("hc_turn_seconds_sum") > 0


def test_intents_are_labelled_by_name_and_strangers_are_other(client: FlaskClient, runner: Runner) -> None:
    runner.launch()
    delta = change(client, lambda: runner.say(intents.START_WORKOUT))
    assert delta("hc_turns_total", **turns("IntentRequest", intents.START_WORKOUT)) == 1
    delta = change(client, lambda: runner.say("DropTableIntent", new_session=True))
    assert delta("hc_turns_total", **turns("IntentRequest", "other")) == 1


def test_only_posts_to_alexa_are_turns(client: FlaskClient, runner: Runner) -> None:
    runner.launch()
    delta = change(client, lambda: [client.get(path) for path in ("/healthz", "/readyz", "/metrics", "/alexa")])
    assert delta("hc_turn_seconds_count") == 0 and delta("hc_turns_total", **turns()) == 0


def test_a_malformed_body_is_rejected(client: FlaskClient) -> None:
    delta = change(client, lambda: client.post("/alexa", data=b"not json"))
    assert delta("hc_turns_total", **turns("none", "none", "rejected")) == 1


def test_a_body_too_large_is_rejected(client: FlaskClient) -> None:
    delta = change(client, lambda: client.post("/alexa", data=b"x" * (300 * 1024)))
    assert delta("hc_turns_total", **turns("none", "none", "rejected")) == 1


class RefusingVerifier:
    def verify(self, headers: Any, body: bytes, timestamp: str) -> None:
        raise VerificationError("stale_timestamp", "off by 400 s")


def test_verification_failures_are_counted_by_reason(redis_server: RedisServer, runner: Runner) -> None:
    client = app_client(redis_server.url, ALEXA_VERIFY_REQUESTS=True, VERIFIER=RefusingVerifier(), USER_ID_PEPPER="x")
    delta = change(client, lambda: client.post("/alexa", json=runner.device.launch()))
    assert delta("hc_verification_failures_total", reason="stale_timestamp") == 1
    assert delta("hc_turns_total", **turns(outcome="rejected")) == 1


def test_a_wrong_skill_id_is_a_verification_failure(redis_server: RedisServer, runner: Runner) -> None:
    client = app_client(redis_server.url, ALEXA_SKILL_ID="amzn1.ask.skill.someone-else")
    delta = change(client, lambda: client.post("/alexa", json=runner.device.launch()))
    assert delta("hc_verification_failures_total", reason="wrong_skill_id") == 1


def test_redis_down_is_store_unavailable_and_a_redis_error() -> None:
    client = app_client(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    runner = Runner(client)
    delta = change(client, runner.launch)  # the runner checks the spoken apology is a valid reply
    assert delta("hc_turns_total", **turns(outcome="store_unavailable")) == 1
    assert delta("hc_redis_errors_total", kind="ConnectionError") >= 1


def test_a_lost_race_is_store_busy_and_counts_retries(
    redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(redis_client, observer=metrics.observe_store)
    monkeypatch.setattr(store._committer, "commit", lambda *args: None)  # another device always wins
    client = create_app({"STORE": store, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True}).test_client()
    runner = Runner(client)
    delta = change(client, lambda: runner.say(intents.START_WORKOUT, new_session=True))
    assert delta("hc_turns_total", **turns("IntentRequest", intents.START_WORKOUT, "store_busy")) == 1
    assert delta("hc_store_retries_total") == MAX_ATTEMPTS


def test_a_bug_in_a_turn_is_error(client: FlaskClient, runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(handlers.workout, "step", broken)
    delta = change(client, runner.launch)
    assert delta("hc_turns_total", **turns(outcome="error")) == 1


def test_labels_stay_bounded_and_hold_no_user_id(client: FlaskClient, runner: Runner) -> None:
    runner.launch()
    runner.say(intents.PROGRESS)
    runner.say("AMAZON.SomethingNewIntent")
    client.post("/alexa", data=b"[]")
    text = client.get("/metrics").get_data(as_text=True)
    assert runner.device.user_id not in text
    known = set(intents.CUSTOM) | set(intents.BUILT_INS) | {"none", "other"}
    for (name, labels), _ in scrape(client).items():
        labels_dict = dict(labels)
        if name == "hc_turns_total":
            assert labels_dict["intent"] in known and labels_dict["outcome"] in metrics.OUTCOMES
            assert labels_dict["request_type"] in metrics.KNOWN_TYPES | {"none", "other"}


def test_unknown_redis_errors_are_other(client: FlaskClient) -> None:
    delta = change(client, lambda: metrics.observe_store("redis_error", "SomethingBrandNew"))
    assert delta("hc_redis_errors_total", kind="other") == 1


def test_openmetrics_is_served_to_a_scraper_that_asks(client: FlaskClient) -> None:
    reply = client.get("/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    assert reply.content_type.startswith("application/openmetrics-text")
    assert reply.get_data(as_text=True).rstrip().endswith("# EOF")
