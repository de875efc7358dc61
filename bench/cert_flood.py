"""`python -m bench.cert_flood`: 400 unsigned requests naming made-up certificate URLs, against an S3 that
takes 0.3 s (the fetch hook: the only fake), with a worker that just booted; one genuine turn in the middle.
Prints downloads made, the slowest refused request, the genuine turn's time, and what is left in flight."""

from __future__ import annotations

import contextlib
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis

from local_redis import RedisServer
from tests.test_cert_flood import FLOOD, GENUINE, SlowS3, verifier
from tests.verification_helpers import BODY, NOW, iso, signed_headers
from webhook.cert_memory import RedisCertUrls
from webhook.verification import VerificationError


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, RedisServer(Path(tmp)) as server:
        known = RedisCertUrls(redis.Redis.from_url(server.url))
        verifier(SlowS3(), known).verify(signed_headers(url=GENUINE), BODY, iso(NOW))  # an earlier worker
        s3 = SlowS3()
        booted = verifier(s3, known)

        def attack(number: int) -> float:
            headers = {"SignatureCertChainUrl": f"https://s3.amazonaws.com/echo.api/x-{number}.pem",
                       "Signature-256": "AAAA"}
            started = time.monotonic()
            with contextlib.suppress(VerificationError):
                booted.verify(headers, BODY, iso(NOW))
            return time.monotonic() - started

        started = time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            flood = pool.map(attack, range(FLOOD))
            time.sleep(0.05)
            genuine_started = time.monotonic()
            booted.verify(signed_headers(url=GENUINE), BODY, iso(NOW))
            genuine_s = time.monotonic() - genuine_started
            times = list(flood)
        ended = time.monotonic()
        print("| made-up URLs | downloads made | flood took s | slowest refused s | genuine turn s | "
              "in flight when it stopped | in flight 0.5 s later |")
        print("|---|---|---|---|---|---|---|")
        left = s3.in_flight
        time.sleep(0.5)
        print(f"| {FLOOD} | {len(s3.calls)} | {ended - started:.2f} | {max(times):.2f} | {genuine_s:.2f} | {left} | "
              f"{s3.in_flight} |")


if __name__ == "__main__":
    main()
