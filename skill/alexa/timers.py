"""Carrying out the coach's timer orders with the Alexa Timers API, after the turn is stored.

"set": POST /v1/alerts/timers, an ANNOUNCE timer labelled for the workout that says how to come back (ANNOUNCE
rather than LAUNCH_TASK: a task timer asks the runner to confirm before it launches, and needs a task declared
and certified in the skill package; an announcement needs neither). "cancel": DELETE /v1/alerts/timers (every
timer this skill set for the runner: no id to keep). The turn is already stored and its reply decided: a
failure (401, 403, 5xx, a timeout) is logged and counted by the client and costs the runner nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_model import RequestEnvelope

from skill.alexa.api import AlexaApi, ApiError, ApiObserver

log = logging.getLogger(__name__)
TIMERS_PATH = "/v1/alerts/timers"


def timer_body(order: dict[str, Any], locale: str) -> dict[str, Any]:
    """The create-timer request for a rendered timer order ({"seconds", "label", "announce"})."""
    return {
        "duration": f"PT{int(order['seconds'])}S",
        "timerLabel": order["label"],
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {
            "operation": {"type": "ANNOUNCE", "textToAnnounce": [{"locale": locale, "text": order["announce"]}]},
            "notificationConfig": {"playAudible": True},
        },
    }


def carry_out(envelope: RequestEnvelope, order: dict[str, Any] | None, observe: ApiObserver) -> str:
    """Set or cancel as ordered; returns what happened ("set", "cancelled", "none", or the failure's kind)."""
    if not order:
        return "none"
    api = AlexaApi.for_request(envelope, observe)
    if api is None:
        return "none"
    try:
        if order["action"] == "set":
            api.call("timers", "POST", TIMERS_PATH, timer_body(order, envelope.request.locale or "en-US"))
            return "set"
        api.call("timers", "DELETE", TIMERS_PATH)
        return "cancelled"
    except ApiError as error:  # already logged and counted by the client: the workout goes on without it
        return error.kind
