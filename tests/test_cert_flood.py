"""Unsigned requests cannot make us fetch much: a flood of made-up certificate URLs (400, against an S3
that takes 0.3 s) costs a handful of downloads, leaves nothing queued, and the genuine certificate, with a
cold cache (a worker booting), is fetched at once on its own lane; a server that drips its answer is cut
off at the download's deadline, not after a timeout per read."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from tests import throwaway_ca as ca
from tests.verification_helpers import BODY, NOW, Clock, iso, signed_headers
from webhook.cert_memory import RedisCertUrls
from webhook.verification import RequestVerifier, VerificationError, download_pem
from webhook.verification.fetching import NEW_URLS_PER_MINUTE

GENUINE = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"
S3_LATENCY_S = 0.3
FLOOD = 400


class SlowS3:
    """The faked edge: every download takes S3_LATENCY_S; only the genuine URL has a certificate."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.lock = threading.Lock()
        self.in_flight = 0

    def __call__(self, url: str, timeout: float) -> bytes:
        with self.lock:
            self.calls.append(url)
            self.in_flight += 1
        try:
            threading.Event().wait(S3_LATENCY_S)  # S3's answer time, not a test waiting for luck
            if url != GENUINE:
                raise OSError("404 Not Found")
            return ca.make_chain().pem
        finally:
            with self.lock:
                self.in_flight -= 1


def verifier(s3: SlowS3, known: RedisCertUrls) -> RequestVerifier:
    return RequestVerifier(trusted_roots_pem=ca.trusted_root_pem(), fetch=s3, clock=Clock(), known=known)


def test_a_flood_of_made_up_urls_costs_a_few_fetches_and_never_delays_the_genuine_one(
    redis_client: redis.Redis,
) -> None:
    known = RedisCertUrls(redis_client)
    verifier(SlowS3(), known).verify(signed_headers(url=GENUINE), BODY, iso(NOW))  # an earlier worker's turn
    s3 = SlowS3()
    booted = verifier(s3, known)  # a worker that just booted: nothing cached

    def attack(number: int) -> float:
        headers = {"SignatureCertChainUrl": f"https://s3.amazonaws.com/echo.api/x-{number}.pem",
                   "Signature-256": "AAAA"}
        started = time.monotonic()
        with pytest.raises(VerificationError):
            booted.verify(headers, BODY, iso(NOW))
        return time.monotonic() - started

    with ThreadPoolExecutor(16) as pool:
        flood = pool.map(attack, range(FLOOD))
        time.sleep(0.05)  # let the flood get going: this is its middle, not a wait for a result
        started = time.monotonic()
        booted.verify(signed_headers(url=GENUINE), BODY, iso(NOW))  # the genuine turn, during the flood
        genuine_s = time.monotonic() - started
        slowest_attack = max(flood)
    assert genuine_s < S3_LATENCY_S + 0.5  # one download of its own, behind nobody
    assert len(s3.calls) <= NEW_URLS_PER_MINUTE + 1  # the made-up URLs: at most the per-minute cap
    assert slowest_attack < S3_LATENCY_S + 0.5  # refused at once, or one download: no queue
    deadline = time.monotonic() + 2
    while s3.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)
    assert s3.in_flight == 0  # nothing left queued once the flood stops


@pytest.fixture
def dripping_server() -> Iterator[tuple[str, str]]:
    """(headers dripped, body dripped): a byte every 0.1 s, for as long as the client stays."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))

    def serve(client: socket.socket) -> None:
        with client:
            request = client.recv(4096)
            head = b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n"
            if b"/drip-headers" not in request:
                client.sendall(head)
                head = b"A" * 500
            for byte in head:
                if stop.wait(0.1):
                    return
                try:
                    client.sendall(bytes([byte]))
                except OSError:
                    return

    def accept() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(client,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    yield f"{base}/echo.api/drip-headers", f"{base}/echo.api/drip-body"
    stop.set()
    listener.close()


@pytest.mark.parametrize("which", [0, 1], ids=["headers", "body"])
def test_a_dripping_download_is_cut_off_at_its_deadline(which: int, dripping_server: tuple[str, str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("no_proxy", "*")
    started = time.monotonic()
    with pytest.raises(OSError):
        download_pem(dripping_server[which], 1.0)
    assert time.monotonic() - started < 1.5  # before: 0.1 s a byte, for as long as the server liked
