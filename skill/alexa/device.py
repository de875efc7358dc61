"""What the request's device can do, as the coach's word-free `Device`: a screen, and the timers permission.

The coach never reads ask-sdk objects; this is the one place that turns the envelope's supportedInterfaces,
apiEndpoint and granted permission scopes into `Device(screen=..., timers=...)`.
"""

from __future__ import annotations

from ask_sdk_model import RequestEnvelope

from skill.alexa.responses import TIMERS_SCOPE, supports_apl
from skill.coach.events import TIMERS_GRANTED, TIMERS_MISSING, TIMERS_NONE, Device


def timers_permission(envelope: RequestEnvelope) -> str:
    """ "granted" when the runner allowed our timers, "missing" when the API is there but not the permission,
    "none" when the request carries no API endpoint or token (nothing to call)."""
    system = envelope.context.system if envelope.context else None
    if system is None or not getattr(system, "api_endpoint", None) or not getattr(system, "api_access_token", None):
        return TIMERS_NONE
    permissions = system.user.permissions if system.user else None
    scopes = (permissions.scopes if permissions else None) or {}
    scope = scopes.get(TIMERS_SCOPE)
    status = getattr(getattr(scope, "status", None), "value", None)
    return TIMERS_GRANTED if status == "GRANTED" else TIMERS_MISSING


def device_of(envelope: RequestEnvelope) -> Device:
    return Device(screen=supports_apl(envelope), timers=timers_permission(envelope))
