"""Alexa's signing certificate: where it may come from, how it is downloaded, and its chain check.

Pure functions of their inputs (the download aside): `canonical_cert_url`
refuses any URL Amazon's rules forbid before anything is fetched,
`download_pem` fetches with a size cap and same-host redirects only, and
`check_chain` verifies the chain to a trusted root and returns the leaf's key.
Each failure is a VerificationError naming why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import logging
import posixpath
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from http.client import HTTPMessage
from typing import IO
from urllib.request import Request

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError

from webhook.verification.errors import VerificationError

logger = logging.getLogger(__name__)

ALEXA_CERT_NAME = "echo-api.amazon.com"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
MAX_PEM_BYTES = 64 * 1024
_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


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
    """Follow a redirect only to the same scheme, host and port, and a path still under /echo.api/:
    S3 must not send us elsewhere."""

    def redirect_request(
        self, req: Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> Request | None:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.netloc.lower()) != (new.scheme, new.netloc.lower()):
            fp.close()
            raise urllib.error.URLError(f"redirect to another host refused: {new.netloc}")
        path = posixpath.normpath(urllib.parse.unquote(new.path))
        if not path.startswith(CERT_PATH_PREFIX) or "\\" in path:
            fp.close()
            raise urllib.error.URLError("redirect outside /echo.api/ refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _with_deadline(base: type[http.client.HTTPConnection], deadline: float) -> type[http.client.HTTPConnection]:
    """`base` whose socket is shut down at `deadline`: a server dripping its headers or body cannot hold
    the download (and its thread) past it, whatever the per-read timeout."""

    class Connection(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            sock = self.sock
            self._deadline_timer = threading.Timer(max(0.0, deadline - time.monotonic()), _cut, (sock,))
            self._deadline_timer.daemon = True
            self._deadline_timer.start()

        def close(self) -> None:
            timer = getattr(self, "_deadline_timer", None)
            if timer is not None:
                timer.cancel()
            super().close()

    return Connection


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._connection = _with_deadline(http.client.HTTPConnection, deadline)

    def http_open(self, req: Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._connection = _with_deadline(http.client.HTTPSConnection, deadline)

    def https_open(self, req: Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req, context=self._context)  # type: ignore[attr-defined]


def download_pem(url: str, timeout: float) -> bytes:
    """Default fetch: GET `url`, all of it (connect, headers, body, redirects) within `timeout` seconds,
    at most MAX_PEM_BYTES; only same-host redirects under /echo.api/ are followed."""
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_SameHostRedirects, _HTTP(deadline), _HTTPS(deadline))
    try:
        with opener.open(url, timeout=timeout) as response:
            data: bytes = response.read(MAX_PEM_BYTES + 1)
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() >= deadline:
            raise TimeoutError(f"certificate download took more than {timeout} s") from error
        raise
    if time.monotonic() >= deadline:  # cut off at the deadline: what arrived is not the whole chain
        raise TimeoutError(f"certificate download took more than {timeout} s")
    if len(data) > MAX_PEM_BYTES:
        raise ValueError(f"certificate chain larger than {MAX_PEM_BYTES} bytes")
    return data


def check_chain(pem: bytes, now: float, roots: Store) -> tuple[float, rsa.RSAPublicKey]:
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
    policy = PolicyBuilder().store(roots).time(when)  # a bad root bundle raises here
    try:
        policy.build_server_verifier(x509.DNSName(ALEXA_CERT_NAME)).verify(leaf, intermediates)
    except (ChainError, ValueError) as exc:
        raise VerificationError("cert_untrusted", str(exc)) from exc
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise VerificationError("bad_cert_chain", "leaf key is not RSA")
    return leaf.not_valid_after_utc.timestamp(), key


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
