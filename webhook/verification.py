"""Alexa request verification (cert URL, chain, signature, timestamp), as Amazon certification requires.

Cheap checks run before any download or cryptography, so junk traffic costs little and
cannot make us fetch anything; a failure raises VerificationError (HTTP 400 upstream).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import posixpath
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from http.client import HTTPMessage
from pathlib import Path
from typing import IO
from urllib.request import Request

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError

logger = logging.getLogger(__name__)

ALEXA_CERT_NAME = "echo-api.amazon.com"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
MAX_PEM_BYTES = 64 * 1024
MAX_CACHED_URLS = 32
_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
_FETCH_THREADS = 4


class VerificationError(Exception):
    """A request that must not be trusted; `reason` is short and machine-friendly."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def parse_alexa_timestamp(value: str) -> float:
    """Epoch seconds of an ISO 8601 timestamp ("...Z", fractions, offsets); naive means UTC."""
    parsed = dt.datetime.fromisoformat(value.strip())  # TypeError if not a str
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).timestamp()


def canonical_cert_url(url: str) -> str:
    """The URL to fetch, rebuilt from checked parts; VerificationError('bad_cert_url') if forbidden.

    The path is decoded and normalised before the prefix check, so `/echo.api/../evil` is refused.
    """
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise VerificationError("bad_cert_url", "unparsable") from exc
    path = urllib.parse.unquote(parts.path)
    if (
        parts.scheme.lower() != "https"
        or (parts.hostname or "").lower() != CERT_HOST
        or port not in (None, 443)
        or parts.username is not None
        or parts.query
        or parts.fragment
        or "\\" in path
    ):
        raise VerificationError("bad_cert_url")
    normalised = posixpath.normpath(path)
    if not normalised.startswith(CERT_PATH_PREFIX):
        raise VerificationError("bad_cert_url", "path outside /echo.api/")
    return f"https://{CERT_HOST}{urllib.parse.quote(normalised)}"


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port: S3 must not send us elsewhere."""

    def redirect_request(
        self, req: Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> Request | None:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.netloc.lower()) != (new.scheme, new.netloc.lower()):
            fp.close()
            raise urllib.error.URLError(f"redirect to another host refused: {new.netloc}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def download_pem(url: str, timeout: float) -> bytes:
    """Default fetch: GET `url` with a socket timeout, refusing bodies over MAX_PEM_BYTES."""
    opener = urllib.request.build_opener(_SameHostRedirects)  # per call: proxy settings read now
    with opener.open(url, timeout=timeout) as response:
        data: bytes = response.read(MAX_PEM_BYTES + 1)
    if len(data) > MAX_PEM_BYTES:
        raise ValueError(f"certificate chain larger than {MAX_PEM_BYTES} bytes")
    return data


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
    ) -> None:
        self._roots_pem = trusted_roots_pem
        self._fetch = fetch or download_pem
        self._clock = clock
        self._tolerance = timestamp_tolerance_s
        self._download_timeout = download_timeout_s
        self._cache_ttl = cache_ttl_s
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._cache: OrderedDict[str, tuple[float, rsa.RSAPublicKey]] = OrderedDict()
        self._inflight: dict[str, Future[bytes]] = {}

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
        pem = self._download(url)
        expires_at, key = self._check_chain(pem, now)
        with self._lock:
            self._cache[url] = (min(now + self._cache_ttl, expires_at), key)
            self._cache.move_to_end(url)
            while len(self._cache) > MAX_CACHED_URLS:
                self._cache.popitem(last=False)
        return key

    def _download(self, url: str) -> bytes:
        """Fetch on a worker thread so no request waits past the timeout (DNS included); one per URL."""
        with self._lock:
            if self._executor is None:  # created lazily so it is born after a gunicorn fork
                self._executor = ThreadPoolExecutor(_FETCH_THREADS, thread_name_prefix="alexa-cert")
            future = self._inflight.get(url)
            if future is None:
                future = self._executor.submit(self._fetch, url, self._download_timeout)
                self._inflight[url] = future
                # Runs exactly once, while this future is the one in flight for url.
                future.add_done_callback(lambda _: self._inflight.pop(url, None))
        try:
            return future.result(timeout=self._download_timeout)
        except Exception as exc:  # any failure of a third party's server is the same to us
            logger.warning("alexa cert download failed for %s: %r", url, exc)
            raise VerificationError("cert_download_failed", type(exc).__name__) from exc

    def _check_chain(self, pem: bytes, now: float) -> tuple[float, rsa.RSAPublicKey]:
        """Verify the chain; return (leaf notAfter as epoch seconds, leaf RSA key)."""
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError as exc:
            raise VerificationError("bad_cert_chain", "unparsable PEM") from exc
        leaf, intermediates = certs[0], certs[1:]
        when = dt.datetime.fromtimestamp(now, dt.UTC)
        # Leaf dates and name first so the reason is specific; the verifier below checks it all again.
        if not leaf.not_valid_before_utc <= when <= leaf.not_valid_after_utc:
            raise VerificationError("cert_expired", f"leaf not valid at {when:%Y-%m-%dT%H:%M:%SZ}")
        if not _dns_names(leaf) & {ALEXA_CERT_NAME, "*.amazon.com"}:
            raise VerificationError("cert_wrong_name")
        policy = PolicyBuilder().store(self._trust_store()).time(when)  # a bad root bundle raises here
        try:
            policy.build_server_verifier(x509.DNSName(ALEXA_CERT_NAME)).verify(leaf, intermediates)
        except (ChainError, ValueError) as exc:
            raise VerificationError("cert_untrusted", str(exc)) from exc
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationError("bad_cert_chain", "leaf key is not RSA")
        return leaf.not_valid_after_utc.timestamp(), key

    def _trust_store(self) -> Store:
        """Trusted roots, parsed once on first use (certifi's bundle unless given)."""
        with self._lock:
            if self._store is None:
                pem = self._roots_pem or Path(certifi.where()).read_bytes()
                self._store = Store(load_roots(pem))
            return self._store


def load_roots(pem: bytes) -> list[x509.Certificate]:
    """Parse a CA bundle one certificate at a time, so one odd root cannot break the rest.

    certifi ships roots with serial 0 (Starfield Services G2 among them); cryptography 50 warns.
    """
    roots = []
    for block in _PEM_CERT.findall(pem):
        with warnings.catch_warnings():  # once per process, under the verifier's lock
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                logger.warning("skipping a trusted root that cryptography cannot parse")
    if not roots:
        raise ValueError("no usable trusted root certificates")
    return roots


def _dns_names(cert: x509.Certificate) -> set[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {name.lower() for name in san.get_values_for_type(x509.DNSName)}
