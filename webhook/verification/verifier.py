"""Alexa request verification (cert URL, chain, signature, timestamp), as Amazon certification requires.

Cheap checks run before any download or cryptography, so junk traffic costs little and
cannot make us fetch anything; a failure raises VerificationError (HTTP 400 upstream).
The certificate rules and the chain check are in `certificates`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path

import certifi
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import Store

from webhook.verification.certificates import canonical_cert_url, check_chain, download_pem, load_roots
from webhook.verification.errors import VerificationError
from webhook.verification.fetching import CertFetcher, KnownUrls

logger = logging.getLogger(__name__)

MAX_CACHED_URLS = 32


def parse_alexa_timestamp(value: str) -> float:
    """Epoch seconds of an ISO 8601 timestamp ("...Z", fractions, offsets); naive means UTC."""
    parsed = dt.datetime.fromisoformat(value.strip())  # TypeError if not a str
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).timestamp()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup that works for werkzeug Headers and plain dicts."""
    value = headers.get(name)
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == wanted), None)
    return value or None


class RequestVerifier:
    """Checks that a request really comes from Alexa. Thread-safe; share one per process."""

    def __init__(
        self,
        *,
        trusted_roots_pem: bytes | None = None,
        fetch: Callable[[str, float], bytes] | None = None,
        clock: Callable[[], float] = time.time,
        timestamp_tolerance_s: float = 150.0,
        download_timeout_s: float = 2.0,
        cache_ttl_s: float = 3600.0,
        known: KnownUrls | None = None,
        fetch_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`known`: certificate URLs that verified in any worker (their downloads get a lane of their own)."""
        self._roots_pem = trusted_roots_pem
        self._fetcher = CertFetcher(fetch or download_pem, download_timeout_s, known=known, clock=fetch_clock)
        self._clock = clock
        self._tolerance = timestamp_tolerance_s
        self._cache_ttl = cache_ttl_s
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._cache: OrderedDict[str, tuple[float, rsa.RSAPublicKey]] = OrderedDict()

    def verify(self, headers: Mapping[str, str], body: bytes, request_timestamp: str | None) -> None:
        """Raise VerificationError unless the request is genuine, fresh and signed by Alexa."""
        try:
            self._verify(headers, body, request_timestamp)
        except VerificationError as exc:
            logger.info("alexa request rejected: %s", exc)
            raise

    def _verify(self, headers: Mapping[str, str], body: bytes, request_timestamp: str | None) -> None:
        url = _header(headers, "SignatureCertChainUrl")
        if url is None:
            raise VerificationError("missing_cert_url")
        signature_b64 = _header(headers, "Signature-256")
        if signature_b64 is None:
            raise VerificationError("missing_signature")
        url = canonical_cert_url(url)
        try:
            signature = base64.b64decode(signature_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise VerificationError("bad_signature", "not base64") from exc
        try:
            sent_at = parse_alexa_timestamp(request_timestamp or "")  # None -> ValueError
        except (TypeError, ValueError, OverflowError) as exc:
            raise VerificationError("bad_timestamp") from exc
        now = self._clock()
        if abs(now - sent_at) > self._tolerance:
            raise VerificationError("stale_timestamp", f"off by {now - sent_at:.0f} s")

        public_key = self._signing_key(url, now)
        try:
            public_key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise VerificationError("bad_signature") from exc

    def _signing_key(self, url: str, now: float) -> rsa.RSAPublicKey:
        """The leaf key for `url`, from the cache or a fresh download and chain check."""
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and now < cached[0]:
                self._cache.move_to_end(url)
                return cached[1]
            self._cache.pop(url, None)
        pem = self._fetcher.download(url)
        try:
            expires_at, key = check_chain(pem, now, self._trust_store())
        except VerificationError:
            self._fetcher.failed(url)
            raise
        self._fetcher.verified(url)
        with self._lock:
            self._cache[url] = (min(now + self._cache_ttl, expires_at), key)
            self._cache.move_to_end(url)
            while len(self._cache) > MAX_CACHED_URLS:
                self._cache.popitem(last=False)
        return key

    def _trust_store(self) -> Store:
        """Trusted roots, parsed once on first use (certifi's bundle unless given)."""
        with self._lock:
            if self._store is None:
                pem = self._roots_pem or Path(certifi.where()).read_bytes()
                self._store = Store(load_roots(pem))
            return self._store
