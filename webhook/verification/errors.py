"""The one way verification fails: a VerificationError with a short, machine-friendly reason."""

from __future__ import annotations


class VerificationError(Exception):
    """A request that must not be trusted; `reason` is short and machine-friendly."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
