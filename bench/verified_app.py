"""The real app with request verification ON, trusting a throwaway CA: bench only.

    BENCH_CA_DIR=... gunicorn --config deploy/gunicorn.conf.py 'bench.verified_app:create_app()'

bench/run.py writes root.pem and chain.pem into BENCH_CA_DIR and signs every request
with the leaf's key. The verifier is production's; only its fetch is replaced, serving
the chain from disk instead of S3, and (as in production) the checked chain is cached
after the first request, so what is measured is the per-request cost: headers, URL,
timestamp and one RSA signature check.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

import webhook
from webhook.verification import RequestVerifier

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-bench.pem"


def create_app() -> Flask:
    ca_dir = Path(os.environ["BENCH_CA_DIR"])
    chain = (ca_dir / "chain.pem").read_bytes()
    verifier = RequestVerifier(trusted_roots_pem=(ca_dir / "root.pem").read_bytes(), fetch=lambda url, timeout: chain)
    return webhook.create_app({"ALEXA_VERIFY_REQUESTS": True, "VERIFIER": verifier, "USER_ID_PEPPER": "bench"})
