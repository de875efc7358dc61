"""Alexa request verification, offline: real certificates and cryptography, only `fetch` is fake."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError
from werkzeug.datastructures import Headers

from tests import throwaway_ca as ca
from tests.verification_helpers import (
    BODY,
    NOW,
    URL,
    Clock,
    FakeFetch,
    iso,
    make_verifier,
    reason,
    signed_headers,
)
from webhook.verification import (
    RequestVerifier,
    VerificationError,
    parse_alexa_timestamp,
)

# --- the happy path and header handling -------------------------------------------------------


def test_genuine_request_passes_and_fetches_the_chain_once(verifier: RequestVerifier, fetch: FakeFetch):
    assert verifier.verify(signed_headers(), BODY, iso(NOW)) is None
    assert fetch.calls == [(URL, 2.0)]


@pytest.mark.parametrize(
    "make_headers",
    [
        lambda h: {k.lower(): v for k, v in h.items()},
        lambda h: {k.upper(): v for k, v in h.items()},
        lambda h: Headers(list(h.items())),
    ],
    ids=["lower-dict", "upper-dict", "werkzeug"],
)
def test_headers_are_looked_up_case_insensitively(verifier: RequestVerifier, make_headers):
    assert verifier.verify(make_headers(signed_headers()), BODY, iso(NOW)) is None


@pytest.mark.parametrize(
    ("missing", "expected"),
    [("SignatureCertChainUrl", "missing_cert_url"), ("Signature-256", "missing_signature")],
)
@pytest.mark.parametrize("empty", [False, True], ids=["absent", "empty"])
def test_missing_header(
    verifier: RequestVerifier, fetch: FakeFetch, missing: str, expected: str, empty: bool
):
    headers = signed_headers()
    if empty:
        headers[missing] = ""
    else:
        del headers[missing]
    assert reason(verifier, headers) == expected
    assert fetch.calls == []


# --- cert URL -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "https://notamazon.com/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com.evil.com/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/../evil/cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/evil/cert.pem",
        "https://s3.amazonaws.com/echo.api/",
        "https://s3.amazonaws.com:8443/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert-12.pem",
        "https://user@s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem?x=1",
        "s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
    ],
)
def test_bad_cert_url_is_rejected_without_fetching(verifier: RequestVerifier, fetch: FakeFetch, url: str):
    assert reason(verifier, signed_headers(url=url)) == "bad_cert_url"
    assert fetch.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-12.pem",
        "https://S3.Amazonaws.com/echo.api/./echo-api-cert-12.pem",
    ],
)
def test_equivalent_cert_urls_are_accepted_and_fetched_canonically(
    verifier: RequestVerifier, fetch: FakeFetch, url: str
):
    verifier.verify(signed_headers(url=url), BODY, iso(NOW))
    assert fetch.calls == [(URL, 2.0)]


# --- certificate chain ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("not_before", "not_after"),
    [(-30, -1), (1, 30)],
    ids=["expired", "not-yet-valid"],
)
def test_leaf_outside_its_validity_window(clock: Clock, not_before: int, not_after: int):
    chain = ca.make_chain(
        not_before=ca.REFERENCE_TIME + dt.timedelta(days=not_before),
        not_after=ca.REFERENCE_TIME + dt.timedelta(days=not_after),
    )
    verifier = make_verifier(FakeFetch(chain.pem), clock)
    assert reason(verifier, signed_headers(key=chain.leaf_key)) == "cert_expired"


def test_leaf_for_another_name(clock: Clock):
    chain = ca.make_chain(san="evil.example.com")
    verifier = make_verifier(FakeFetch(chain.pem), clock)
    assert reason(verifier, signed_headers(key=chain.leaf_key)) == "cert_wrong_name"


def test_chain_from_an_untrusted_root(clock: Clock):
    chain = ca.make_chain(untrusted=True)
    verifier = make_verifier(FakeFetch(chain.pem), clock)
    assert reason(verifier, signed_headers(key=chain.leaf_key)) == "cert_untrusted"


def test_default_roots_come_from_certifi_and_do_not_trust_the_throwaway_ca(clock: Clock):
    verifier = RequestVerifier(fetch=FakeFetch(), clock=clock)
    assert reason(verifier, signed_headers()) == "cert_untrusted"


@pytest.mark.parametrize("pem", [b"", b"<html>Access Denied</html>"], ids=["empty", "html"])
def test_unparsable_chain(clock: Clock, pem: bytes):
    assert reason(make_verifier(FakeFetch(pem), clock), signed_headers()) == "bad_cert_chain"


def test_throwaway_ca_is_strict_webpki_conformant():
    """Guards the helper itself: cryptography's verifier accepts the chain and checks the name."""
    leaf, *intermediates = x509.load_pem_x509_certificates(ca.make_chain().pem)
    store = Store(x509.load_pem_x509_certificates(ca.trusted_root_pem()))
    builder = PolicyBuilder().store(store).time(ca.REFERENCE_TIME)
    chain = builder.build_server_verifier(x509.DNSName(ca.ALEXA_NAME)).verify(leaf, intermediates)
    assert len(chain) == 3
    with pytest.raises(ChainError):
        builder.build_server_verifier(x509.DNSName("other.example.com")).verify(leaf, intermediates)


# --- signature ------------------------------------------------------------------------------


def test_tampered_body(verifier: RequestVerifier):
    assert reason(verifier, signed_headers(), body=BODY.replace(b"Launch", b"Intent")) == "bad_signature"


def test_signature_made_with_a_different_key(verifier: RequestVerifier):
    assert reason(verifier, signed_headers(key=ca.key("stranger"))) == "bad_signature"


@pytest.mark.parametrize(
    "mangle",
    [lambda sig: "not base64 at all!", lambda sig: f"{sig[:10]}*{sig[10:]}"],
    ids=["not-base64", "junk-inside-valid-base64"],
)
def test_signature_that_is_not_strict_base64(verifier: RequestVerifier, fetch: FakeFetch, mangle):
    headers = signed_headers()
    headers["Signature-256"] = mangle(headers["Signature-256"])
    assert reason(verifier, headers) == "bad_signature"
    assert fetch.calls == []  # rejected before any download


def test_signature_of_the_wrong_length(verifier: RequestVerifier):
    assert reason(verifier, {**signed_headers(), "Signature-256": "AAAA"}) == "bad_signature"


# --- timestamp ------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [-151, 151], ids=["too-old", "in-the-future"])
def test_stale_timestamp_is_rejected_without_fetching(verifier: RequestVerifier, fetch: FakeFetch, offset):
    assert reason(verifier, signed_headers(), stamp=iso(NOW + offset)) == "stale_timestamp"
    assert fetch.calls == []


@pytest.mark.parametrize("offset", [-150, -149, 149, 150])
def test_timestamp_within_tolerance_is_accepted(verifier: RequestVerifier, offset: int):
    assert verifier.verify(signed_headers(), BODY, iso(NOW + offset)) is None


@pytest.mark.parametrize("stamp", [None, "", "yesterday", "2026-13-45T00:00:00Z", "1795480906"])
def test_unparsable_timestamp(verifier: RequestVerifier, fetch: FakeFetch, stamp: str | None):
    with pytest.raises(VerificationError) as info:
        verifier.verify(signed_headers(), BODY, stamp)
    assert info.value.reason == "bad_timestamp"
    assert fetch.calls == []


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-11-26T00:41:46Z",
        "2026-11-26T00:41:46.000Z",
        "2026-11-26T00:41:46+00:00",
        "2026-11-26T01:41:46+01:00",
    ],
)
def test_parse_alexa_timestamp_formats(stamp: str):
    assert parse_alexa_timestamp(stamp) == NOW


def test_parse_alexa_timestamp_keeps_fractions():
    assert parse_alexa_timestamp("2026-11-26T00:41:46.250Z") == NOW + 0.25


