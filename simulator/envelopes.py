"""Real Alexa request envelopes for a simulated device: one runner, one session at a time.

Used by the tests' `runner`, the terminal chat, the browser simulator and the
benchmark, so all of them speak to the skill exactly as a device would:
a session id, `new` on the first request, session attributes carried from the
last response, a stable user id, and slots with entity-resolution blocks.
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DEFAULT_SKILL_ID = "amzn1.ask.skill.hamstring-coach-local"
_VARIANTS = 2520  # every count of variants up to 10 divides it


def now_timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot_payload(name: str, value: str, resolved_id: str | None = None, resolved_name: str | None = None,
                 authority: str = "amzn1.er-authority.echo-sdk.hamstring-coach") -> dict[str, Any]:
    """A slot as Alexa sends it; resolved_id None gives ER_SUCCESS_NO_MATCH, '' no resolutions at all."""
    slot: dict[str, Any] = {"name": name, "value": value, "confirmationStatus": "NONE"}
    if resolved_id == "":
        return slot
    status = {"code": "ER_SUCCESS_MATCH" if resolved_id else "ER_SUCCESS_NO_MATCH"}
    resolution: dict[str, Any] = {"authority": authority, "status": status}
    if resolved_id:
        resolution["values"] = [{"value": {"name": resolved_name or value, "id": resolved_id}}]
    slot["resolutions"] = {"resolutionsPerAuthority": [resolution]}
    return slot


@dataclass
class Device:
    """One runner on one device. Call `request_*` to build, then `absorb` the JSON response."""

    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.{uuid.uuid4().hex}")
    skill_id: str = DEFAULT_SKILL_ID
    locale: str = "en-US"
    apl: bool = False
    device_id: str = field(default_factory=lambda: f"amzn1.ask.device.{uuid.uuid4().hex}")
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    # The skill picks a phrase's variant from the request id. With `same_variants` the device only sends ids
    # that pick the same variants every run (still unique, so replay protection sees new requests), and a
    # scripted chat prints the same conversation every time.
    same_variants: bool = False
    # Where the Alexa APIs are: none by default, so a simulated device never reaches out (tests: a local stand-in).
    api_endpoint: str = ""
    api_access_token: str = "local-api-token"
    permissions: dict[str, str] = field(default_factory=dict)  # scope -> "GRANTED" / "DENIED"
    person_id: str | None = None  # a recognised voice profile (context.System.person.personId)

    def _id(self) -> uuid.UUID:
        while True:
            made = uuid.uuid4()
            if not self.same_variants or zlib.crc32(f"amzn1.echo-api.request.{made}".encode()) % _VARIANTS == 0:
                return made

    def _permissions(self) -> dict[str, Any]:
        if not self.permissions:
            return {}
        scopes = {scope: {"status": status} for scope, status in self.permissions.items()}
        return {"user": {"userId": self.user_id, "permissions": {"scopes": scopes}}}

    def _api(self) -> dict[str, str]:
        return {"apiEndpoint": self.api_endpoint, "apiAccessToken": self.api_access_token} if self.api_endpoint else {}

    def end_session(self) -> None:
        self.session_id, self.attributes = None, {}

    def _envelope(self, request: dict[str, Any], *, new_session: bool = False) -> dict[str, Any]:
        if new_session or self.session_id is None:
            self.session_id, self.attributes = f"amzn1.echo-api.session.{self._id()}", {}
            is_new = True
        else:
            is_new = False
        apl = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}
        interfaces: dict[str, Any] = apl if self.apl else {}
        application = {"applicationId": self.skill_id}
        user = {"userId": self.user_id}
        system: dict[str, Any] = {"application": application, "user": user,
                                  "device": {"deviceId": self.device_id, "supportedInterfaces": interfaces}}
        system |= self._api()
        if self.person_id:
            system["person"] = {"personId": self.person_id}
        request = {"requestId": f"amzn1.echo-api.request.{self._id()}", "timestamp": now_timestamp(),
                   "locale": self.locale, **request}
        return {
            "version": "1.0",
            "session": {"new": is_new, "sessionId": self.session_id, "application": application,
                        "attributes": dict(self.attributes), "user": user},
            "context": {"System": {**system, **self._permissions()}},
            "request": request,
        }

    def launch(self) -> dict[str, Any]:
        return self._envelope({"type": "LaunchRequest"}, new_session=True)

    def intent(self, name: str, slots: dict[str, dict[str, Any]] | None = None, *,
               new_session: bool = False) -> dict[str, Any]:
        intent = {"name": name, "confirmationStatus": "NONE", "slots": slots or {}}
        return self._envelope({"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent},
                              new_session=new_session)

    def user_event(self, *arguments: Any, token: str = "workout") -> dict[str, Any]:
        """A tap or a timer on the screen: Alexa.Presentation.APL.UserEvent with the SendEvent's arguments."""
        source = {"type": "TouchWrapper", "handler": "Press", "id": ""}
        return self._envelope({"type": "Alexa.Presentation.APL.UserEvent", "token": token,
                               "arguments": list(arguments), "source": source})

    def session_ended(self, reason: str = "USER_INITIATED") -> dict[str, Any]:
        envelope = self._envelope({"type": "SessionEndedRequest", "reason": reason})
        self.end_session()
        return envelope

    def absorb(self, response: dict[str, Any]) -> None:
        """Carry session attributes forward; a reply that ends the session closes it. On a screen, one that
        leaves shouldEndSession out keeps it open without the microphone (the screen holds it)."""
        self.attributes = dict(response.get("sessionAttributes") or {})
        body = response.get("response", {})
        if self.apl and "shouldEndSession" not in body:
            return
        if body.get("shouldEndSession", True) is not False:
            self.end_session()
