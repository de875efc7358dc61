"""Strict checks, shared by tests, that a reply is something Alexa will actually accept.

`validate_ssml` checks one SSML string; `validate_response` checks a whole Alexa
response dict as the webhook returns it. Both raise AssertionError naming the
first problem found. Stricter than Alexa where cheap: a reply that only passes
because Alexa is lenient is one voice-model update away from "There was a problem
with the requested skill's response".
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any

MAX_SSML_CHARS = 8000  # outputSpeech, tags included
MAX_BREAK_SECONDS = 10.0
MAX_SPEECH_SECONDS = 240.0
MAX_AUDIO_TAGS = 5
MAX_CARD_CHARS = 8000  # title and content together
MAX_CARD_TITLE_CHARS = 250  # not documented by Amazon; longer titles are truncated on screen
MAX_RESPONSE_BYTES = 24 * 1024  # whole response JSON

AMAZON_NS = "urn:alexa:amazon-ssml"  # any URI works: we bind the prefix only so ElementTree can parse
ALEXA_NS = "urn:alexa:alexa-ssml"    # the same for <alexa:name>, the recognised speaker's name
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

Check = Callable[[str], bool]


def _one_of(values: str) -> Check:
    """A check for one of the space-separated `values`."""
    return frozenset(values.split()).__contains__


def _matches(pattern: str) -> Check:
    return lambda value: re.fullmatch(pattern, value) is not None


def _any(value: str) -> bool:
    return bool(value.strip())


_BREAK_TIME = re.compile(r"(\d+(?:\.\d+)?)(s|ms)")

# Every tag Alexa supports, with its documented attributes and what each may hold.
SUPPORTED_TAGS: Mapping[str, Mapping[str, Check]] = {
    "speak": {},
    "p": {},
    "s": {},
    "break": {
        "time": lambda v: (
            (m := _BREAK_TIME.fullmatch(v)) is not None and _break_seconds(m) <= MAX_BREAK_SECONDS
        ),
        "strength": _one_of("none x-weak weak medium strong x-strong"),
    },
    "emphasis": {"level": _one_of("strong moderate reduced")},
    "prosody": {
        "rate": lambda v: (
            v in {"x-slow", "slow", "medium", "fast", "x-fast"}
            or (re.fullmatch(r"\d+%", v) is not None and int(v[:-1]) >= 20)
        ),
        "pitch": _matches(r"x-low|low|medium|high|x-high|[+-]\d+(\.\d+)?%"),
        "volume": _matches(r"silent|x-soft|soft|medium|loud|x-loud|[+-]\d+(\.\d+)?dB"),
    },
    "say-as": {
        "interpret-as": _one_of(
            "characters spell-out cardinal number ordinal digits fraction unit date time telephone"
            " address interjection expletive"
        ),
        "format": _one_of("mdy dmy ymd md dm ym my d m y"),
    },
    "sub": {"alias": _any},
    "phoneme": {"alphabet": _one_of("ipa x-sampa"), "ph": _any},
    "lang": {XML_LANG: _matches(r"[a-z]{2}-[A-Z]{2}")},
    "voice": {"name": _any},
    "w": {"role": _one_of("amazon:VB amazon:VBD amazon:NN amazon:SENSE_1")},
    "amazon:effect": {"name": _one_of("whispered")},
    "amazon:emotion": {
        "name": _one_of("excited disappointed"),
        "intensity": _one_of("low medium high"),
    },
    "amazon:domain": {"name": _one_of("conversational long-form music news fun")},
    "audio": {"src": _matches(r"https://\S+")},
    "mark": {"name": _any},
    "alexa:name": {"type": _one_of("first"), "personId": _matches(r"amzn1\.ask\.person\.[A-Za-z0-9._-]+")},
}
REQUIRED_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "sub": frozenset({"alias"}),
    "phoneme": frozenset({"ph"}),
    "lang": frozenset({XML_LANG}),
    "voice": frozenset({"name"}),
    "w": frozenset({"role"}),
    "amazon:effect": frozenset({"name"}),
    "amazon:emotion": frozenset({"name", "intensity"}),
    "amazon:domain": frozenset({"name"}),
    "audio": frozenset({"src"}),
    "mark": frozenset({"name"}),
    "alexa:name": frozenset({"type", "personId"}),
}
EMPTY_TAGS = frozenset({"break", "audio", "mark", "alexa:name"})  # content inside these is silently ignored by Alexa

# An '&' that does not start a character or predefined entity reference.
_RAW_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)")


def _break_seconds(match: re.Match[str]) -> float:
    number, unit = float(match.group(1)), match.group(2)
    return number if unit == "s" else number / 1000


def _tag_name(element: ET.Element) -> str:
    """'{AMAZON_NS}effect' -> 'amazon:effect'; other namespaces stay in braces and fail the tag check."""
    return element.tag.replace("{" + AMAZON_NS + "}", "amazon:").replace("{" + ALEXA_NS + "}", "alexa:")


def _check_element(element: ET.Element, path: str) -> float:
    """Check one element and its children; return the break seconds inside it."""
    tag = _tag_name(element)
    where = f"{path}/{tag}"
    assert tag in SUPPORTED_TAGS, f"unsupported SSML tag <{tag}> at {where}"
    assert tag != "speak" or path == "", f"<speak> nested at {where}"
    allowed = SUPPORTED_TAGS[tag]
    for name, value in element.attrib.items():
        assert name in allowed, f"attribute {name!r} is not allowed on <{tag}> at {where}"
        assert allowed[name](value), f"bad value {name}={value!r} on <{tag}> at {where}"
    missing = REQUIRED_ATTRIBUTES.get(tag, frozenset()) - element.attrib.keys()
    assert not missing, f"<{tag}> at {where} lacks required attribute(s) {sorted(missing)}"
    if tag in EMPTY_TAGS:
        assert len(element) == 0 and not (element.text or "").strip(), f"<{tag}> at {where} must be empty"
    seconds = 0.0
    if tag == "break" and "time" in element.attrib:
        match = _BREAK_TIME.fullmatch(element.attrib["time"])
        assert match is not None  # checked above
        seconds = _break_seconds(match)
    return seconds + sum(_check_element(child, where) for child in element)


def validate_ssml(ssml: str) -> None:
    """Raise AssertionError unless `ssml` is a <speak> document Alexa will accept and play in full."""
    assert isinstance(ssml, str), f"SSML must be a string, got {type(ssml).__name__}"
    assert len(ssml) <= MAX_SSML_CHARS, f"SSML is {len(ssml)} characters; Alexa allows {MAX_SSML_CHARS}"
    raw = _RAW_AMPERSAND.search(ssml)
    assert raw is None, f"unescaped '&' at offset {raw.start() if raw else 0}: {ssml[:120]!r}"
    # Alexa's SSML uses the amazon: prefix without declaring it; bind it in a wrapper so ElementTree parses.
    try:
        wrapper = ET.fromstring(f'<wrapper xmlns:amazon="{AMAZON_NS}" xmlns:alexa="{ALEXA_NS}">{ssml}</wrapper>')
    except ET.ParseError as error:
        raise AssertionError(f"SSML is not well-formed XML ({error}): {ssml[:120]!r}") from error
    outside = (wrapper.text or "") + "".join(child.tail or "" for child in wrapper)
    assert len(wrapper) == 1 and not outside.strip(), (
        f"SSML must be exactly one <speak> element: {ssml[:120]!r}"
    )
    root = wrapper[0]
    assert _tag_name(root) == "speak", f"root element is <{_tag_name(root)}>, not <speak>"
    assert sum(1 for _ in root.iter("audio")) <= MAX_AUDIO_TAGS, f"more than {MAX_AUDIO_TAGS} <audio> tags"
    seconds = _check_element(root, "")
    assert seconds <= MAX_SPEECH_SECONDS, (
        f"breaks add up to {seconds:g} s; Alexa plays {MAX_SPEECH_SECONDS:g} s"
    )


def _check_output_speech(speech: Any, where: str) -> None:
    assert isinstance(speech, dict), f"{where} must be an object, got {speech!r}"
    kind = speech.get("type")
    if kind == "SSML":
        validate_ssml(speech.get("ssml"))
    elif kind == "PlainText":
        text = speech.get("text")
        assert isinstance(text, str) and text.strip(), f"{where}.text must be a non-empty string"
        assert len(text) <= MAX_SSML_CHARS, f"{where}.text is {len(text)} characters"
    else:
        raise AssertionError(f"{where}.type must be SSML or PlainText, got {kind!r}")


PERMISSION_SCOPES = frozenset({"alexa::alerts:reminders:skill:readwrite",  # what the skill may ask for
                               "alexa::alerts:timers:skill:readwrite"})


def _check_card(card: Any) -> None:
    assert isinstance(card, dict), f"card must be an object, got {card!r}"
    if card.get("type") == "AskForPermissionsConsent":  # the Alexa app's "allow this skill to ..." card
        scopes = card.get("permissions")
        assert isinstance(scopes, list) and scopes and set(scopes) <= PERMISSION_SCOPES, f"bad permissions {scopes!r}"
        assert set(card) == {"type", "permissions"}, f"a consent card carries only its permissions: {card!r}"
        return
    body_field = {"Simple": "content", "Standard": "text"}.get(card.get("type"))
    assert body_field, f"card.type must be Simple or Standard, got {card.get('type')!r}"
    title, body = card.get("title"), card.get(body_field)
    assert isinstance(title, str) and title.strip(), "card.title must be a non-empty string"
    assert isinstance(body, str), f"card.{body_field} must be a string"
    assert len(title) <= MAX_CARD_TITLE_CHARS, f"card.title is {len(title)} characters"
    assert len(title) + len(body) <= MAX_CARD_CHARS, f"card is {len(title) + len(body)} characters"


def validate_response(payload: dict[str, Any], *, allow_empty: bool = False) -> None:
    """Raise AssertionError unless `payload` is a valid Alexa response with no dead end.

    An open session (shouldEndSession not True) must carry a reprompt. A response with
    no speech at all is accepted only with allow_empty=True (the SessionEndedRequest answer).
    """
    assert isinstance(payload, dict), f"response must be a JSON object, got {type(payload).__name__}"
    assert payload.get("version") == "1.0", f"version must be '1.0', got {payload.get('version')!r}"
    size = len(json.dumps(payload).encode("utf-8"))
    assert size <= MAX_RESPONSE_BYTES, f"response is {size} bytes; Alexa allows {MAX_RESPONSE_BYTES}"
    response = payload.get("response")
    assert isinstance(response, dict), "response.response must be an object"
    if "card" in response and response["card"] is not None:
        _check_card(response["card"])
    if response.get("outputSpeech") is None:
        assert allow_empty, "response has no outputSpeech (pass allow_empty=True for SessionEndedRequest)"
        return
    _check_output_speech(response["outputSpeech"], "outputSpeech")
    if "shouldEndSession" not in response:  # hands-free: only with a screen showing, which keeps the session open
        directives = [d.get("type") for d in response.get("directives", [])]
        assert "Alexa.Presentation.APL.RenderDocument" in directives, (
            "shouldEndSession left out without a screen to hold the session: a dead end")
        assert "reprompt" not in response, "a hands-free reply has no microphone to reprompt"
        return
    if response.get("shouldEndSession") is not True:
        reprompt = response.get("reprompt")
        assert isinstance(reprompt, dict) and reprompt.get("outputSpeech") is not None, (
            "session stays open (shouldEndSession is not True) but there is no reprompt: a dead end"
        )
        _check_output_speech(reprompt["outputSpeech"], "reprompt.outputSpeech")
        assert "alexa:name" not in str(reprompt["outputSpeech"].get("ssml")), "<alexa:name> is for outputSpeech only"
