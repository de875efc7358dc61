"""Requests that are not what they claim, end to end through the real app: wrong skill id, and every way a
signature can fail (a throwaway CA; only the certificate download is faked). Each is HTTP 400 and
leaves Redis byte-for-byte as it was; a genuine request passes the same path."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask

from local_redis import RedisServer
from simulator.echo import Clock as DeviceClock
from simulator.envelopes import DEFAULT_SKILL_ID
from skill.alexa import intents
from skill.store import keys
from tests import throwaway_ca as ca
from tests.runner import Runner
from tests.trust_helpers import Snapshot, post, set_number, snapshot, walk_to_set
from webhook import create_app
from webhook.verification import RequestVerifier

NOW = ca.REFERENCE_TIME.timestamp()
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


@dataclass
class Downloads:
    """The one faked edge: serves a certificate chain and records what was fetched."""

    pem: bytes
    urls: list[str] = field(default_factory=list)

    def __call__(self, url: str, timeout: float) -> bytes:
        self.urls.append(url)
        return self.pem


def _unchanged(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Forgery:
    """How to build the attack: which chain Amazon's URL serves, and how the request is signed and sent."""

    chain: ca.Chain = field(default_factory=ca.make_chain)
    url: str = CERT_URL
    key: rsa.RSAPrivateKey | None = None  # signing key; None: the chain's leaf key
    age_s: float = 0                      # how old the request timestamp is
    tamper: Callable[[bytes], bytes] = _unchanged  # applied to the body after signing
    headers: Callable[[dict[str, str]], dict[str, str]] = _unchanged


FORGERIES: dict[str, Forgery] = {
    "no-headers": Forgery(headers=lambda h: {}),
    "no-signature": Forgery(headers=lambda h: {"SignatureCertChainUrl": h["SignatureCertChainUrl"]}),
    "signature-not-base64": Forgery(headers=lambda h: {**h, "Signature-256": "%%%not base64%%%"}),
    "body-changed-after-signing": Forgery(tamper=lambda b: b.replace(b"ReadyIntent", b"NextExerciseIntent")),
    "signed-by-a-stranger": Forgery(key=ca.key("stranger")),
    "stale-timestamp": Forgery(age_s=151),
    "timestamp-from-the-future": Forgery(age_s=-151),
    "cert-url-not-amazon": Forgery(url="https://evil.example/echo.api/echo-api-cert.pem"),
    "cert-url-path-escape": Forgery(url="https://s3.amazonaws.com/echo.api/../evil/cert.pem"),
    "cert-url-plain-http": Forgery(url="http://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
    "chain-from-an-untrusted-ca": Forgery(chain=ca.make_chain(untrusted=True)),
    "expired-cert": Forgery(chain=ca.make_chain(not_before=ca.REFERENCE_TIME - dt.timedelta(days=60),
                                                not_after=ca.REFERENCE_TIME - dt.timedelta(days=1))),
    "cert-for-another-name": Forgery(chain=ca.make_chain(san="evil.example.com")),
}


def iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def verified_app(server: RedisServer, downloads: Downloads, skill_id: str = "",
                 clock: DeviceClock | None = None) -> Flask:
    """The app with verification on (its own clock for timestamps) and the runner's device time for turns."""
    verifier = RequestVerifier(trusted_roots_pem=ca.trusted_root_pem(), fetch=downloads, clock=lambda: NOW)
    return create_app({"REDIS_URL": server.url, "ALEXA_VERIFY_REQUESTS": True, "TESTING": True, "VERIFIER": verifier,
                       "ALEXA_SKILL_ID": skill_id, "USER_ID_PEPPER": keys.DEFAULT_PEPPER.decode(),
                       "CLOCK": clock or DeviceClock(NOW)})


def send(app: Flask, envelope: dict[str, Any], forgery: Forgery) -> tuple[int, dict[str, Any]]:
    envelope["request"]["timestamp"] = iso(NOW - forgery.age_s)
    body = json.dumps(envelope).encode("utf-8")
    signature = ca.sign(body, forgery.key or forgery.chain.leaf_key)
    headers = forgery.headers({"SignatureCertChainUrl": forgery.url, "Signature-256": signature})
    return post(app.test_client(), forgery.tamper(body), **headers)


@pytest.fixture
def before(runner: Runner, redis_client: redis.Redis) -> Snapshot:
    """A runner waiting for set 2 (walked there without verification), so an accepted "ready" would show."""
    walk_to_set(runner, redis_client, 2)
    return snapshot(redis_client)


def test_a_genuine_signed_request_passes_and_is_applied(redis_server: RedisServer, runner: Runner,
                                                        redis_client: redis.Redis, before: Snapshot) -> None:
    downloads = Downloads(ca.make_chain().pem)
    app = verified_app(redis_server, downloads, DEFAULT_SKILL_ID, runner.clock)
    status, answer = send(app, runner.device.intent(intents.READY), Forgery())
    assert status == 200 and "Set 2" in answer["response"]["outputSpeech"]["ssml"]
    assert set_number(redis_client, runner.device.user_id) == 3 and downloads.urls == [CERT_URL]


@pytest.mark.parametrize("name", FORGERIES)
def test_a_request_that_fails_verification_is_400_and_touches_nothing(
    name: str, redis_server: RedisServer, runner: Runner, redis_client: redis.Redis, before: Snapshot
) -> None:
    forgery = FORGERIES[name]
    downloads = Downloads(forgery.chain.pem)
    status, answer = send(verified_app(redis_server, downloads), runner.device.intent(intents.READY), forgery)
    assert status == 400 and answer["error"].startswith("verification failed")
    assert snapshot(redis_client) == before
    if forgery.url != CERT_URL:
        assert downloads.urls == []  # a URL that is not Amazon's is never fetched


def test_a_genuine_request_for_another_skill_is_400_and_touches_nothing(
    redis_server: RedisServer, runner: Runner, redis_client: redis.Redis, before: Snapshot
) -> None:
    app = verified_app(redis_server, Downloads(ca.make_chain().pem), "amzn1.ask.skill.someone-else")
    status, answer = send(app, runner.device.intent(intents.READY), Forgery())
    assert (status, answer["error"]) == (400, "wrong skill id")
    assert snapshot(redis_client) == before


@pytest.mark.parametrize("where", ["context", "session"])
def test_a_request_claiming_another_skill_id_is_400_and_touches_nothing(
    where: str, redis_server: RedisServer, runner: Runner, redis_client: redis.Redis, before: Snapshot
) -> None:
    app = create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                      "ALEXA_SKILL_ID": DEFAULT_SKILL_ID, "CLOCK": runner.clock})
    envelope = runner.device.intent(intents.READY)
    holder = envelope["context"]["System"] if where == "context" else envelope["session"]
    holder["application"] = {"applicationId": "amzn1.ask.skill.someone-else"}
    status, answer = post(app.test_client(), json.dumps(envelope).encode())
    assert (status, answer["error"]) == (400, "wrong skill id")
    assert snapshot(redis_client) == before
    status, _ = post(app.test_client(), json.dumps(runner.device.intent(intents.READY)).encode())
    assert status == 200 and set_number(redis_client, runner.device.user_id) == 3  # our own id works


def test_verification_on_without_a_skill_id_warns_at_start(redis_server: RedisServer,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": True, "ALEXA_SKILL_ID": "",
                    "TESTING": True, "USER_ID_PEPPER": "x"})
    assert any("ALEXA_SKILL_ID is not set" in record.getMessage() for record in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": True, "ALEXA_SKILL_ID": "x",
                    "TESTING": True, "USER_ID_PEPPER": "x"})
    assert not any("ALEXA_SKILL_ID" in record.getMessage() for record in caplog.records)


def test_verification_on_and_no_pepper_refuses_to_start(redis_server: RedisServer,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    settings = {"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": True, "ALEXA_SKILL_ID": "x", "TESTING": True}
    with pytest.raises(RuntimeError, match="USER_ID_PEPPER is not set"):  # the default key is public
        create_app({**settings, "USER_ID_PEPPER": ""})
    with caplog.at_level(logging.WARNING):
        create_app({**settings, "USER_ID_PEPPER": "secret"})
    assert not any("USER_ID_PEPPER" in record.getMessage() for record in caplog.records)
