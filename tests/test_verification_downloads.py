"""Alexa request verification: downloading the certificate (failures, timeouts, the cache) and the real fetcher.

Real certificates and cryptography; the fetch is faked, except for the last
section, which runs the real default fetcher against local HTTP(S) servers.
"""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests import throwaway_ca as ca
from tests.verification_helpers import (
    BODY,
    NOW,
    Clock,
    FakeFetch,
    iso,
    make_verifier,
    reason,
    signed_headers,
)
from webhook.verification import (
    MAX_CACHED_URLS,
    MAX_PEM_BYTES,
    RequestVerifier,
    download_pem,
)

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
        for expected in ("cert_download_failed", "cert_url_failed_recently"):
            started = time.monotonic()
            assert reason(verifier, signed_headers()) == expected
            assert time.monotonic() - started < 1.0
        assert len(calls) == 1  # the second request did not start another download
    finally:
        release.set()


def test_a_failed_download_is_refused_for_a_minute_without_fetching_then_tried_again(clock: Clock):
    fetch, minute = FakeFetch(error=OSError("boom")), Clock(0)
    verifier = make_verifier(fetch, clock, fetch_clock=minute)
    assert reason(verifier, signed_headers()) == "cert_download_failed"
    fetch.error = None
    minute.advance(59)
    assert reason(verifier, signed_headers()) == "cert_url_failed_recently"
    assert len(fetch.calls) == 1
    minute.advance(2)
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


def test_cache_is_bounded_and_evicts_the_least_recently_used(fetch: FakeFetch, clock: Clock):
    urls = [f"https://s3.amazonaws.com/echo.api/cert-{i}.pem" for i in range(MAX_CACHED_URLS + 1)]
    minutes = Clock(0)
    verifier = make_verifier(fetch, clock, fetch_clock=minutes)

    def verify(url: str) -> int:
        minutes.advance(60)  # new URLs are capped per minute: one a minute stays under it
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
            "/echo.api/out": (302, {"Location": "/elsewhere/cert.pem"}, b""),
            "/elsewhere/cert.pem": (200, {}, ca.make_chain().pem),
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


def test_download_pem_refuses_a_same_host_redirect_outside_echo_api(http_server: str):
    with pytest.raises(OSError, match=r"outside /echo\.api/"):
        download_pem(f"{http_server}/echo.api/out", 2.0)


def test_download_pem_refuses_an_oversized_body(http_server: str):
    with pytest.raises(ValueError, match="larger than"):
        download_pem(f"{http_server}/big", 2.0)
