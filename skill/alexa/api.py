"""The Alexa APIs at the request's `context.System.apiEndpoint` (timers, reminders, device settings).

One small client for all of them: the request's apiAccessToken as the bearer,
JSON in and out, and one short deadline per call, well inside the 8 s Alexa
waits for the reply. Every failure (a timeout, a refused connection, 401, 403,
404, 5xx, a body that is not JSON) is an `ApiError` naming its kind, so a
caller can carry on without it: an API call never costs the runner a turn.
`observe(api, kind)` is told about each failure (the webhook counts them).
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ask_sdk_model import RequestEnvelope

log = logging.getLogger(__name__)

DEADLINE_SECONDS = 1.5     # per call: a slow Alexa API must not eat the turn
MAX_BODY_BYTES = 256 * 1024
ApiObserver = Callable[[str, str], None]  # (api, failure kind)


class ApiError(Exception):
    """An Alexa API call that did not succeed: `kind` is timeout, network, unauthorized, forbidden,
    not_found, server, client or bad_body; `status` the HTTP status when there was one."""

    def __init__(self, kind: str, status: int = 0) -> None:
        super().__init__(f"{kind} ({status})" if status else kind)
        self.kind, self.status = kind, status


_KINDS = {401: "unauthorized", 403: "forbidden", 404: "not_found"}


@dataclass(frozen=True)
class AlexaApi:
    """The APIs for one request: where they are, and the token that lets this skill use them."""

    endpoint: str
    token: str
    deadline: float = DEADLINE_SECONDS
    observe: ApiObserver = lambda api, kind: None

    @classmethod
    def for_request(cls, envelope: RequestEnvelope, observe: ApiObserver | None = None) -> AlexaApi | None:
        """None when the request carries no endpoint or token (a test client, an old device)."""
        system = envelope.context.system if envelope.context else None
        endpoint = getattr(system, "api_endpoint", None)
        token = getattr(system, "api_access_token", None)
        if not endpoint or not token:
            return None
        return cls(endpoint, token, observe=observe or (lambda api, kind: None))

    def call(self, api: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One call; returns the decoded JSON (None for an empty body), raises ApiError."""
        try:
            return self._call(method, path, body)
        except ApiError as error:
            log.warning("alexa %s API call failed: %s", api, error)
            self.observe(api, error.kind)
            raise

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        parts = urllib.parse.urlsplit(self.endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ApiError("network")
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        started = time.monotonic()
        connection = kind(parts.hostname, parts.port, timeout=self.deadline)
        payload = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, parts.path.rstrip("/") + path, body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read(MAX_BODY_BYTES + 1)
        except TimeoutError as error:
            raise ApiError("timeout") from error
        except (OSError, http.client.HTTPException) as error:
            raise ApiError("network") from error
        finally:
            connection.close()
        if time.monotonic() - started > self.deadline:  # a dripping answer: too late to use
            raise ApiError("timeout")
        if response.status >= 300:
            status = response.status
            raise ApiError(_KINDS.get(status, "server" if status >= 500 else "client"), status)
        if not data:
            return None
        if len(data) > MAX_BODY_BYTES:
            raise ApiError("bad_body")
        try:
            return json.loads(data)
        except ValueError as error:
            raise ApiError("bad_body") from error
