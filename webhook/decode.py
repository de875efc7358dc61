"""The parsed envelope (a dict) -> ask-sdk's RequestEnvelope, without the generic serializer.

`DefaultSerializer.deserialize` costs about 1M instructions a turn: it parses the body a second
time, looks every model class up by its dotted name, and hands each timestamp to dateutil.
Here the models a turn carries are built straight from the dict `webhook.envelope.parse`
already made, the same way the serializer builds them (the class made with no arguments, then
each field present set), so the result compares equal to the serializer's
(tests/test_decode.py checks that over thousands of envelopes).

Only what we map takes this path: a key we do not know, a value of an unexpected type, an
enum value the model lacks, a timestamp not in Alexa's form, a request type other than launch,
intent and session end, slot resolutions, a screen's viewport... any of these raises Unusual,
and the caller decodes that envelope with DefaultSerializer instead (same result, or the
same error). Nothing here can make a turn fail that the serializer would have answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from ask_sdk_model import (
    Application,
    Context,
    Device,
    DialogState,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    Permissions,
    PermissionStatus,
    Person,
    RequestEnvelope,
    Scope,
    Session,
    SessionEndedReason,
    SessionEndedRequest,
    Slot,
    SlotConfirmationStatus,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.interfaces.alexa.presentation.apl import AlexaPresentationAplInterface, Runtime
from ask_sdk_model.interfaces.audioplayer import AudioPlayerInterface, AudioPlayerState, PlayerActivity
from ask_sdk_model.interfaces.display import DisplayInterface
from ask_sdk_model.interfaces.geolocation import GeolocationInterface
from ask_sdk_model.interfaces.navigation import NavigationInterface
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.interfaces.videoapp import VideoAppInterface

Reader = Callable[[Any], Any]
# Alexa's timestamps ("2019-03-13T17:43:22Z", sometimes with milliseconds): where dateutil and
# fromisoformat certainly agree. Anything else goes to the serializer (and dateutil).
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3}|\.\d{6})?Z")


class Unusual(Exception):
    """The envelope has something the fast path does not map: decode it with DefaultSerializer."""


def _text(value: Any) -> str:
    if type(value) is not str:  # the serializer would str() it; rare enough to leave to it
        raise Unusual("not a string")
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise Unusual("not a boolean")
    return value


def _whole(value: Any) -> int:
    if type(value) is not int:  # bool is an int subclass, and int(True) is not True
        raise Unusual("not an integer")
    return value


def _when(value: Any) -> datetime:
    if type(value) is not str or not _TIMESTAMP.fullmatch(value):
        raise Unusual("timestamp not in Alexa's form")
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:  # month 13: dateutil refuses it too, with the serializer's own error
        raise Unusual("timestamp out of range") from error


class ParsedJson(dict):  # type: ignore[type-arg]
    """Session attributes as parsed from the body: dicts, lists and immutable scalars only.

    ask-sdk deep-copies the session attributes on every turn (copy.deepcopy: its memo, its dispatch, a call
    per value: about 500 Python steps for ours); for parsed JSON a copy of the containers is the same deep
    copy, made here in one frame a level (as deep as deepcopy goes, and the envelope's depth is bounded).
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return _copy_containers(self)


_CONTAINERS = (dict, list)


def _copy_containers(value: Any) -> Any:
    if isinstance(value, list):
        items = []
        for item in value:  # a loop, not a comprehension: in Python 3.11 a comprehension is a frame of its own
            items.append(_copy_containers(item) if isinstance(item, _CONTAINERS) else item)
        return items
    copied = {}
    for key, item in value.items():
        copied[key] = _copy_containers(item) if isinstance(item, _CONTAINERS) else item
    return copied


def _objects(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise Unusual("not an object")
    return ParsedJson(value)  # as the serializer: a new dict holding the same values


def _enum(kind: type[Enum]) -> Reader:
    members = {member.value: member for member in kind}

    def read(value: Any) -> Enum:
        try:
            return members[value]
        except (KeyError, TypeError) as error:  # TypeError: an unhashable value
            raise Unusual(f"not a {kind.__name__}") from error

    return read


def _model(kind: type, fields: Mapping[str, tuple[str, Reader]]) -> Reader:
    """A model made as the serializer makes it: `kind()`, then each present field set (None stays None)."""

    def read(value: Any) -> Any:
        if type(value) is not dict:
            raise Unusual(f"{kind.__name__} not an object")
        model = kind()
        for key, item in value.items():
            try:
                attribute, reader = fields[key]
            except KeyError as error:
                raise Unusual(f"{kind.__name__}.{key} not mapped") from error
            if item is not None and not (reader is _text and type(item) is str):  # most fields are text
                item = reader(item)
            setattr(model, attribute, item)
        return model

    return read


def _dict_of(reader: Reader) -> Reader:
    def read(value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise Unusual("not an object")
        return {key: None if item is None else reader(item) for key, item in value.items()}

    return read


_application = _model(Application, {"applicationId": ("application_id", _text)})
_user = _model(User, {"userId": ("user_id", _text), "accessToken": ("access_token", _text)})
# The device's user carries the permissions the runner granted (reminders, timers): on every one of their turns.
_permissions = _model(Permissions, {"consentToken": ("consent_token", _text), "scopes": ("scopes", _dict_of(
    _model(Scope, {"status": ("status", _enum(PermissionStatus))})))})
_system_user = _model(User, {"userId": ("user_id", _text), "accessToken": ("access_token", _text),
                             "permissions": ("permissions", _permissions)})
_empty: Mapping[str, tuple[str, Reader]] = {}
_apl = _model(AlexaPresentationAplInterface, {"runtime": ("runtime", _model(Runtime, {"maxVersion": ("max_version",
                                                                                                   _text)}))})
_interfaces = _model(SupportedInterfaces, {
    "AudioPlayer": ("audio_player", _model(AudioPlayerInterface, _empty)),
    "Alexa.Presentation.APL": ("alexa_presentation_apl", _apl),
    "Display": ("display", _model(DisplayInterface, {"templateVersion": ("template_version", _text),
                                                     "markupVersion": ("markup_version", _text)})),
    "VideoApp": ("video_app", _model(VideoAppInterface, _empty)),
    "Geolocation": ("geolocation", _model(GeolocationInterface, _empty)),
    "Navigation": ("navigation", _model(NavigationInterface, _empty)),
})  # fmt: skip
_system = _model(SystemState, {
    "application": ("application", _application),
    "user": ("user", _system_user),
    "device": ("device", _model(Device, {"deviceId": ("device_id", _text),
                                         "persistentEndpointId": ("persistent_endpoint_id", _text),
                                         "supportedInterfaces": ("supported_interfaces", _interfaces)})),
    "person": ("person", _model(Person, {"personId": ("person_id", _text), "accessToken": ("access_token", _text)})),
    "apiEndpoint": ("api_endpoint", _text),
    "apiAccessToken": ("api_access_token", _text),
})  # fmt: skip
_context = _model(Context, {
    "System": ("system", _system),
    "AudioPlayer": ("audio_player", _model(AudioPlayerState, {
        "offsetInMilliseconds": ("offset_in_milliseconds", _whole), "token": ("token", _text),
        "playerActivity": ("player_activity", _enum(PlayerActivity))})),
})  # fmt: skip
_session = _model(Session, {
    "new": ("new", _flag), "sessionId": ("session_id", _text), "user": ("user", _user),
    "attributes": ("attributes", _objects), "application": ("application", _application),
})  # fmt: skip
_COMMON = {"type": ("object_type", _text), "requestId": ("request_id", _text), "timestamp": ("timestamp", _when),
           "locale": ("locale", _text)}
_slot = _model(Slot, {"name": ("name", _text), "value": ("value", _text),
                      "confirmationStatus": ("confirmation_status", _enum(SlotConfirmationStatus))})
_REQUESTS: dict[str, Reader] = {
    "LaunchRequest": _model(LaunchRequest, _COMMON),
    "IntentRequest": _model(IntentRequest, {**_COMMON, "dialogState": ("dialog_state", _enum(DialogState)),
                                            "intent": ("intent", _model(Intent, {
                                                "name": ("name", _text), "slots": ("slots", _dict_of(_slot)),
                                                "confirmationStatus": ("confirmation_status",
                                                                       _enum(IntentConfirmationStatus))}))}),
    "SessionEndedRequest": _model(SessionEndedRequest, {**_COMMON, "reason": ("reason", _enum(SessionEndedReason))}),
}  # fmt: skip


def _request(value: Any) -> Any:
    kind = value.get("type") if type(value) is dict else None
    reader = _REQUESTS.get(kind) if type(kind) is str else None
    if reader is None:
        raise Unusual("request type not mapped")
    return reader(value)


_envelope = _model(RequestEnvelope, {"version": ("version", _text), "session": ("session", _session),
                                     "context": ("context", _context), "request": ("request", _request)})


def request_envelope(data: dict[str, Any]) -> RequestEnvelope:
    """The RequestEnvelope DefaultSerializer would make of `data`; raises Unusual for anything not mapped."""
    envelope: RequestEnvelope = _envelope(data)
    return envelope
