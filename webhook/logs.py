"""JSON logs: one object per line, so a log shipper can index turns without regexes.

Every line has ts, level, logger and msg; fields passed with `extra=` become
top-level keys (the per-turn line uses them: request_id, intent, outcome,
latency_ms). Nothing here adds a user id, a body or a slot value: callers must
not pass them, and the per-turn line (webhook/metrics.py) never does.
gunicorn's own loggers use the same formatter (deploy/gunicorn.conf.py), so
the whole stream is JSON.

A line is written once per turn, so it is built cheaply: the timestamp's seconds are formatted
once per second, and the JSON comes from orjson (webhook/jsontext.py: the standard library's
output where they would differ). This module must import nothing of the app: gunicorn's master
loads it by path (deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import json
import logging
import math
import re
import sys
import time
from typing import Any

try:
    import orjson
except ImportError:  # the formatter also runs where only the standard library is (gunicorn's master)
    orjson = None  # type: ignore[assignment]

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
FIELDS = "_fields"  # extra={FIELDS: {...}}: a line's fields as one dict (they become top-level keys)
_MARKER = "_hamstring_json"  # tags our handler so configure_logging can run twice without doubling lines


class JsonFormatter(logging.Formatter):
    """A LogRecord -> one line of JSON (non-JSON values become their str())."""

    _second: tuple[int, str] = (-1, "")  # the last whole second formatted, and its text

    def _timestamp(self, created: float) -> str:
        """ISO 8601 in UTC with milliseconds, e.g. 2024-05-01T10:00:00.123+00:00."""
        whole = int(created)
        if self._second[0] != whole:
            self._second = (whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)))
        return f"{self._second[1]}.{int((created - whole) * 1000):03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self._timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = record.__dict__.get(FIELDS)
        if fields is not None:  # the per-turn line hands its fields over whole: no walk of the record
            entry.update(fields)
        else:
            for key, value in record.__dict__.items():
                if key not in _STANDARD and key[:1] != "_":
                    entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return _dumps(entry)


def _dumps(entry: dict[str, Any]) -> str:
    """Compact JSON: orjson when every value is a plain scalar (it writes those as json.dumps does; a
    lone surrogate or a huge integer makes it raise), else the standard library, str() for the rest."""
    if orjson is not None and all(type(value) in _SCALARS or _finite(value) for value in entry.values()):
        try:
            return orjson.dumps(entry).decode("utf-8")
        except TypeError:  # orjson.JSONEncodeError
            pass
    return json.dumps(entry, default=str, ensure_ascii=False, separators=(",", ":"))


_SCALARS = frozenset({str, int, bool, type(None)})


def _finite(value: Any) -> bool:
    return type(value) is float and math.isfinite(value)  # orjson would write NaN as null, json as NaN


_CLIENT_ADDRESS = re.compile(r"\bip=\S+?(?=[:\s]|$)")


class NoClientAddress(logging.Filter):
    """gunicorn logs "Invalid request from ip=...": we promise logs without client addresses."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "ip=" in message:
            record.msg, record.args = _CLIENT_ADDRESS.sub("ip=-", message), None
        return True


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is when a record arrives (test runners swap it), like logging.lastResort."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")  # stderr is line-buffered: one write, one line
        except Exception:  # logging must never break a turn; handleError reports it
            self.handleError(record)


def configure_logging(level: str | int = "INFO") -> logging.Handler:
    """Send the root logger to stderr as JSON at `level`; idempotent (returns the one handler)."""
    root = logging.getLogger()
    root.setLevel(level if isinstance(level, int) else level.upper())
    for handler in root.handlers:
        if getattr(handler, _MARKER, False):
            return handler
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    setattr(handler, _MARKER, True)
    root.addHandler(handler)
    return handler
