"""Alexa request verification: `RequestVerifier.verify` raises VerificationError for anything untrusted."""

from webhook.verification.certificates import MAX_PEM_BYTES, canonical_cert_url, download_pem, load_roots
from webhook.verification.errors import VerificationError
from webhook.verification.verifier import MAX_CACHED_URLS, RequestVerifier, parse_alexa_timestamp

__all__ = [
    "MAX_CACHED_URLS", "MAX_PEM_BYTES", "RequestVerifier", "VerificationError", "canonical_cert_url",
    "download_pem", "load_roots", "parse_alexa_timestamp",
]
