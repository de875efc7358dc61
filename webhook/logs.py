"""JSON logs: one object per line, so a log shipper can index turns without regexes.

Every line has ts, level, logger and msg; fields passed with `extra=` become
top-level keys (the per-turn line uses them: request_id, intent, outcome,
latency_ms). Nothing here adds a user id, a body or a slot value: callers must
not pass them, and the per-turn line (webhook/metrics.py) never does.
gunicorn's own loggers use the same formatter (deploy/gunicorn.conf.py), so
the whole stream is JSON.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
_MARKER = "_hamstring_json"  # tags our handler so configure_logging can run twice without doubling lines


class JsonFormatter(logging.Formatter):
    """A LogRecord -> one line of JSON (non-JSON values become their str())."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False, separators=(",", ":"))


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
