"""Alexa request verification, offline: real certificates and cryptography, only `fetch` is fake."""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError
from werkzeug.datastructures import Headers

from tests import throwaway_ca as ca
from webhook.verification import (
    MAX_CACHED_URLS,
    MAX_PEM_BYTES,
    RequestVerifier,
    VerificationError,
    download_pem,
    parse_alexa_timestamp,
)

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


def make_verifier(fetch: FakeFetch, clock: Clock | None = None, **options: float) -> RequestVerifier:
    return RequestVerifier(
        trusted_roots_pem=ca.trusted_root_pem(), fetch=fetch, clock=clock or Clock(), **options
    )


def reason(
    verifier: RequestVerifier, headers: dict[str, str], body: bytes = BODY, stamp: str | None = None
) -> str:
    with pytest.raises(VerificationError) as info:
        verifier.verify(headers, body, iso(NOW) if stamp is None else stamp)
    return info.value.reason


@pytest.fixture
def fetch() -> FakeFetch:
    return FakeFetch()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def verifier(fetch: FakeFetch, clock: Clock) -> RequestVerifier:
    return make_verifier(fetch, clock)


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


# --- download failures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [OSError("connection refused"), TimeoutError("timed out"), ValueError("x")],
    ids=["oserror", "timeout", "too-big"],  # socket.timeout is TimeoutError since Python 3.10
)
def test_download_failure(clock: Clock, error: BaseException):
    fetch = FakeFetch(error=error)
    assert reason(make_verifier(fetch, clock), signed_headers()) == "cert_download_failed"
    assert len(fetch.calls) == 1


def test_hanging_fetch_cannot_block_longer_than_the_timeout(clock: Clock):
    """A fetch that ignores its timeout (think DNS) is abandoned; concurrent waiters share it."""
    release = threading.Event()
    calls: list[str] = []

    def hang(url: str, timeout: float) -> bytes:
        calls.append(url)
        release.wait(10)
        return ca.make_chain().pem

    verifier = RequestVerifier(
        trusted_roots_pem=ca.trusted_root_pem(), fetch=hang, clock=clock, download_timeout_s=0.2
    )
    try:
        for _ in range(2):
            started = time.monotonic()
            assert reason(verifier, signed_headers()) == "cert_download_failed"
            assert time.monotonic() - started < 1.0
        assert len(calls) == 1  # the second request waited on the download already in flight
    finally:
        release.set()


def test_failed_download_is_not_cached(clock: Clock):
    fetch = FakeFetch(error=OSError("boom"))
    verifier = make_verifier(fetch, clock)
    assert reason(verifier, signed_headers()) == "cert_download_failed"
    fetch.error = None
    assert verifier.verify(signed_headers(), BODY, iso(NOW)) is None
    assert len(fetch.calls) == 2


# --- cache ----------------------------------------------------------------------------------


def test_second_request_uses_the_cached_chain(verifier: RequestVerifier, fetch: FakeFetch, clock: Clock):
    verifier.verify(signed_headers(), BODY, iso(NOW))
    clock.advance(600)
    verifier.verify(signed_headers(body=b"{}"), b"{}", iso(clock.now))
    assert len(fetch.calls) == 1


def test_cache_entry_expires_after_its_ttl(fetch: FakeFetch, clock: Clock):
    verifier = make_verifier(fetch, clock, cache_ttl_s=60)
    verifier.verify(signed_headers(), BODY, iso(NOW))
    clock.advance(59)
    verifier.verify(signed_headers(), BODY, iso(clock.now))
    assert len(fetch.calls) == 1
    clock.advance(2)
    verifier.verify(signed_headers(), BODY, iso(clock.now))
    assert len(fetch.calls) == 2


def test_cache_entry_expires_with_the_leaf(clock: Clock):
    chain = ca.make_chain(not_after=ca.REFERENCE_TIME + dt.timedelta(seconds=100))
    fetch = FakeFetch(chain.pem)
    verifier = make_verifier(fetch, clock)  # ttl is an hour, the leaf dies sooner
    headers = signed_headers(key=chain.leaf_key)
    verifier.verify(headers, BODY, iso(NOW))
    clock.advance(50)
    verifier.verify(headers, BODY, iso(clock.now))
    assert len(fetch.calls) == 1
    clock.advance(60)
    assert reason(verifier, headers, stamp=iso(clock.now)) == "cert_expired"
    assert len(fetch.calls) == 2


def test_cache_is_bounded_and_evicts_the_least_recently_used(verifier: RequestVerifier, fetch: FakeFetch):
    urls = [f"https://s3.amazonaws.com/echo.api/cert-{i}.pem" for i in range(MAX_CACHED_URLS + 1)]

    def verify(url: str) -> int:
        verifier.verify(signed_headers(url=url), BODY, iso(NOW))
        return len(fetch.calls)

    for url in urls[:MAX_CACHED_URLS]:
        verify(url)
    assert verify(urls[0]) == MAX_CACHED_URLS  # a hit, which makes it the most recently used
    assert verify(urls[-1]) == MAX_CACHED_URLS + 1  # one over the cap: urls[1] is evicted
    assert verify(urls[0]) == MAX_CACHED_URLS + 1
    assert verify(urls[1]) == MAX_CACHED_URLS + 2


# --- the real default fetcher, against local servers ----------------------------------------


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture
def silent_server(no_proxy: None) -> Iterator[str]:
    """A listening socket that completes TCP handshakes (via the backlog) but never answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=8) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/echo.api/cert.pem"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        port = self.server.server_address[1]
        routes = {
            "/echo.api/cert.pem": (200, {}, ca.make_chain().pem),
            "/big": (200, {}, b"A" * (MAX_PEM_BYTES + 1)),
            "/same-host": (302, {"Location": "/echo.api/cert.pem"}, b""),
            "/other-host": (302, {"Location": f"http://localhost:{port}/echo.api/cert.pem"}, b""),
        }
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def http_server(no_proxy: None) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_download_pem_times_out_against_a_silent_server(silent_server: str):
    started = time.monotonic()
    with pytest.raises(OSError):
        download_pem(silent_server, 0.3)
    assert time.monotonic() - started < 1.5


def test_verify_with_default_fetcher_fails_within_the_timeout(silent_server: str, clock: Clock):
    verifier = RequestVerifier(
        trusted_roots_pem=ca.trusted_root_pem(),
        fetch=lambda url, timeout: download_pem(silent_server, timeout),
        clock=clock,
        download_timeout_s=0.3,
    )
    started = time.monotonic()
    assert reason(verifier, signed_headers()) == "cert_download_failed"
    assert time.monotonic() - started < 1.5


def test_download_pem_returns_the_body(http_server: str):
    assert download_pem(f"{http_server}/echo.api/cert.pem", 2.0) == ca.make_chain().pem


def test_download_pem_follows_a_same_host_redirect(http_server: str):
    assert download_pem(f"{http_server}/same-host", 2.0) == ca.make_chain().pem


def test_download_pem_refuses_a_redirect_to_another_host(http_server: str):
    with pytest.raises(OSError, match="another host"):
        download_pem(f"{http_server}/other-host", 2.0)


def test_download_pem_refuses_an_oversized_body(http_server: str):
    with pytest.raises(ValueError, match="larger than"):
        download_pem(f"{http_server}/big", 2.0)
