"""Shared pieces of the verification tests: a hand-moved clock, a fake certificate fetch, signed headers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests import throwaway_ca as ca
from webhook.verification import RequestVerifier, VerificationError

NOW = ca.REFERENCE_TIME.timestamp()
URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"
BODY = b'{"version":"1.0","request":{"type":"LaunchRequest","timestamp":"2026-11-26T00:41:46Z"}}'


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeFetch:
    """Serves one PEM (or raises one error) and records every (url, timeout) it was asked for."""

    def __init__(self, pem: bytes | None = None, error: BaseException | None = None) -> None:
        self.pem = ca.make_chain().pem if pem is None else pem
        self.error = error
        self.calls: list[tuple[str, float]] = []

    def __call__(self, url: str, timeout: float) -> bytes:
        self.calls.append((url, timeout))
        if self.error is not None:
            raise self.error
        return self.pem


def iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_headers(
    url: str = URL, body: bytes = BODY, key: rsa.RSAPrivateKey | None = None
) -> dict[str, str]:
    return {"SignatureCertChainUrl": url, "Signature-256": ca.sign(body, key or ca.make_chain().leaf_key)}


def make_verifier(fetch: FakeFetch, clock: Clock | None = None, **options: Any) -> RequestVerifier:
    return RequestVerifier(
        trusted_roots_pem=ca.trusted_root_pem(), fetch=fetch, clock=clock or Clock(), **options
    )


def reason(
    verifier: RequestVerifier, headers: dict[str, str], body: bytes = BODY, stamp: str | None = None
) -> str:
    with pytest.raises(VerificationError) as info:
        verifier.verify(headers, body, iso(NOW) if stamp is None else stamp)
    return info.value.reason
