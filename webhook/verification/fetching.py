"""Which certificate downloads we make, and when we refuse to: a request signed by anyone can name any
URL under s3.amazonaws.com/echo.api/, so an unsigned flood must not become a flood of downloads.

- A URL that failed (download or chain) is refused for NEGATIVE_TTL_S without fetching again.
- A URL never seen to verify ("a stranger") is fetched only while fewer than STRANGERS_IN_FLIGHT
  strangers are being fetched and fewer than NEW_URLS_PER_MINUTE were tried in the last minute;
  otherwise it is refused at once. Nothing waits in a queue.
- A URL that has verified before (in this process, or in any worker: `known`, kept in Redis) has
  its own lane of fetch threads, so the genuine certificate (at every worker boot and every hourly
  refresh) is never behind an attacker's.
Each download has a deadline for the whole of it (`certificates.download_pem`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from webhook.verification.errors import VerificationError

logger = logging.getLogger(__name__)

NEGATIVE_TTL_S = 60.0
MAX_NEGATIVE = 1024
STRANGERS_IN_FLIGHT = 2
NEW_URLS_PER_MINUTE = 10
TRUSTED_THREADS = 2
MAX_KNOWN = 16


class KnownUrls(Protocol):
    """Certificate URLs that have verified, shared by every worker (webhook.cert_memory keeps them in Redis)."""

    def contains(self, url: str) -> bool: ...

    def add(self, url: str) -> None: ...


class CertFetcher:
    """Thread-safe; one per verifier. `clock` is monotonic-like (tests move it by hand)."""

    def __init__(self, fetch: Callable[[str, float], bytes], timeout_s: float, *, known: KnownUrls | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch, self._timeout, self._known, self._clock = fetch, timeout_s, known, clock
        self._lock = threading.RLock()  # a done-callback may run at once, in the thread that holds it
        self._failed: OrderedDict[str, float] = OrderedDict()  # url -> refused until
        self._good: OrderedDict[str, None] = OrderedDict()     # urls that verified in this process
        self._tried: deque[float] = deque()                    # when each stranger was first fetched
        self._strangers = 0
        self._inflight: dict[str, Future[bytes]] = {}
        self._pools: dict[str, ThreadPoolExecutor] = {}        # made lazily: born after a gunicorn fork

    def download(self, url: str) -> bytes:
        """The PEM at `url`, or VerificationError: refused (negative cache, limits) or failed."""
        future = self._admit(url)
        try:
            return future.result(timeout=self._timeout)
        except Exception as exc:  # any failure of a third party's server is the same to us
            logger.warning("alexa cert download failed for %s: %r", url, exc)
            self.failed(url)
            raise VerificationError("cert_download_failed", type(exc).__name__) from exc

    def verified(self, url: str) -> None:
        """The chain at `url` verified: it gets the trusted lane from now on, in every worker."""
        with self._lock:
            self._good[url] = None
            self._good.move_to_end(url)
            while len(self._good) > MAX_KNOWN:
                self._good.popitem(last=False)
        if self._known is not None:
            self._known.add(url)

    def failed(self, url: str) -> None:
        """The download or the chain failed: refuse this URL for a while without fetching."""
        with self._lock:
            self._failed[url] = self._clock() + NEGATIVE_TTL_S
            self._failed.move_to_end(url)
            while len(self._failed) > MAX_NEGATIVE:
                self._failed.popitem(last=False)

    def _admit(self, url: str) -> Future[bytes]:
        now = self._clock()
        with self._lock:  # the cheap refusals first: no Redis lookup for a URL refused a moment ago
            if self._failed.get(url, 0.0) > now:
                raise VerificationError("cert_url_failed_recently")
            self._failed.pop(url, None)
            future = self._inflight.get(url)
            if future is not None:  # one download per URL, shared by every request that needs it
                return future
        trusted = self._is_trusted(url)
        with self._lock:
            future = self._inflight.get(url)
            if future is not None:
                return future
            if not trusted:
                while self._tried and self._tried[0] <= now - 60:
                    self._tried.popleft()
                if self._strangers >= STRANGERS_IN_FLIGHT:
                    raise VerificationError("cert_fetch_busy")
                if len(self._tried) >= NEW_URLS_PER_MINUTE:
                    raise VerificationError("cert_fetch_limited")
                self._tried.append(now)
                self._strangers += 1
            lane = "trusted" if trusted else "strangers"
            pool = self._pools.get(lane)
            if pool is None:
                size = TRUSTED_THREADS if trusted else STRANGERS_IN_FLIGHT
                pool = self._pools[lane] = ThreadPoolExecutor(size, thread_name_prefix=f"alexa-cert-{lane}")
            future = pool.submit(self._fetch, url, self._timeout)
            self._inflight[url] = future
            future.add_done_callback(lambda _: self._done(url, trusted))
        return future

    def _done(self, url: str, trusted: bool) -> None:
        with self._lock:
            self._inflight.pop(url, None)
            if not trusted:
                self._strangers -= 1

    def _is_trusted(self, url: str) -> bool:
        with self._lock:
            if url in self._good:
                return True
        if self._known is None:
            return False
        try:
            return self._known.contains(url)
        except Exception as exc:  # the shared memory is a help, never a reason to fail a request
            logger.warning("cannot ask which cert URLs are known: %r", exc)
            return False
