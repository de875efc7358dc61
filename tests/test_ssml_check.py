"""tests/ssml_check.py rejects what Alexa would reject, in SSML and in whole responses.

The validator guards every other test's replies, so it is tested on its own: a
validator that accepted anything would make every reply look fine.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from skill.coach.reply import PersonName, line
from skill.voice.content import for_locale
from skill.voice.speech import MAX_SPEECH_CHARS, NAME_SLOT, address, render_ssml
from tests.ssml_check import validate_response, validate_ssml

# --- the validator rejects what Alexa would ------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("<speak><blink>hi</blink></speak>", "unsupported SSML tag <blink>"),
        ("<speak><amazon:shout name='x'>hi</amazon:shout></speak>", "unsupported SSML tag <amazon:shout>"),
        ('<speak><break time="11s"/></speak>', "bad value time='11s'"),
        ('<speak><break time="10001ms"/></speak>', "bad value time"),
        ('<speak><break time="5"/></speak>', "bad value time"),
        ('<speak><break strength="huge"/></speak>', "bad value strength"),
        ('<speak><break duration="1s"/></speak>', "attribute 'duration' is not allowed"),
        ('<speak><emphasis level="loud">hi</emphasis></speak>', "bad value level"),
        ('<speak><prosody rate="10%">hi</prosody></speak>', "bad value rate"),
        ("<speak><sub>WHO</sub></speak>", "lacks required attribute"),
        ("<speak>hi", "not well-formed"),
        ("<speak><s>hi</speak>", "not well-formed"),
        ("<speak>Tom & Jerry</speak>", "unescaped '&'"),
        ("<speak>&nbsp;</speak>", "unescaped '&'"),
        ("<p>hi</p>", "root element is <p>"),
        ("<speak>a</speak><speak>b</speak>", "exactly one <speak>"),
        ("hi <speak>a</speak>", "exactly one <speak>"),
        ("<speak><s><speak>a</speak></s></speak>", "<speak> nested"),
        ("<speak>" + "x" * MAX_SPEECH_CHARS + "</speak>", "characters; Alexa allows 8000"),
        ("<speak>" + '<break time="10s"/>' * 25 + "</speak>", "breaks add up to 250 s"),
        ('<speak><audio src="http://example.com/a.mp3"/></speak>', "bad value src"),
        ('<speak><break time="1s">text</break></speak>', "must be empty"),
        ('<speak><alexa:name type="full" personId="amzn1.ask.person.A1"/></speak>', "bad value type"),
        ('<speak><alexa:name type="first" personId="{person}"/></speak>', "bad value personId"),
        ('<speak><alexa:name type="first"/></speak>', "lacks required attribute"),
        ('<speak><alexa:name type="first" personId="amzn1.ask.person.A1">Sam</alexa:name></speak>', "must be empty"),
    ],
)
def test_validate_ssml_rejects(bad: str, message: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(message)):
        validate_ssml(bad)


@pytest.mark.parametrize(
    "good",
    [
        "<speak></speak>",
        '<speak><p><s>Set 1.</s></p><break strength="x-strong"/><break time="500ms"/></speak>',
        '<speak><amazon:emotion name="excited" intensity="medium">Great set!</amazon:emotion></speak>',
        '<speak><amazon:effect name="whispered">slowly</amazon:effect></speak>',
        '<speak><prosody rate="slow" pitch="+5%" volume="-3dB">lower</prosody></speak>',
        '<speak><say-as interpret-as="ordinal">2</say-as> <sub alias="RDL">Romanian deadlift</sub></speak>',
        '<speak><lang xml:lang="en-GB">hamstring</lang> <w role="amazon:VB">read</w></speak>',
        '<speak><audio src="https://example.com/beep.mp3"/> Tom &amp; Jerry &#233;</speak>',
        '<speak>Welcome back, <alexa:name type="first" personId="amzn1.ask.person.ABC-12.x_y"/>.</speak>',
    ],
)
def test_validate_ssml_accepts_documented_tags(good: str) -> None:
    validate_ssml(good)


# --- whole responses ----------------------------------------------------------------------------


def response(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "outputSpeech": {"type": "SSML", "ssml": "<speak>Say ready.</speak>"},
        "reprompt": {"outputSpeech": {"type": "PlainText", "text": "Say ready when you are set."}},
        "shouldEndSession": False,
    }
    body.update(fields)
    return {"version": "1.0", "response": {k: v for k, v in body.items() if v is not None}}


def test_validate_response_accepts_open_and_closed_sessions() -> None:
    validate_response(response())
    validate_response(response(reprompt=None, shouldEndSession=True))
    validate_response(response(card={"type": "Simple", "title": "Hamstring Coach", "content": "Set 1 of 3"}))
    validate_response({"version": "1.0", "response": {}}, allow_empty=True)


@pytest.mark.parametrize("end", [False, None])
def test_validate_response_rejects_open_session_without_reprompt(end: bool | None) -> None:
    payload = response(reprompt=None, shouldEndSession=end)
    with pytest.raises(AssertionError, match="dead end"):
        validate_response(payload)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"version": "1.0", "response": {}}, "no outputSpeech"),
        ({**response(), "version": "2.0"}, "version"),
        (response(outputSpeech={"type": "SSML", "text": "hi"}), "SSML must be a string"),
        (response(outputSpeech={"type": "Voice", "text": "hi"}), "SSML or PlainText"),
        (response(outputSpeech={"type": "SSML", "ssml": "<speak>a & b</speak>"}), "unescaped"),
        (response(reprompt={"outputSpeech": {"type": "PlainText", "text": ""}}), "non-empty"),
        (response(card={"type": "Simple", "title": "t", "text": "wrong field"}), "card.content"),
        (response(card={"type": "LinkAccount"}), "Simple or Standard"),
        (response(card={"type": "Standard", "title": "t", "text": "x" * 8000}), "card is 8001"),
    ],
)
def test_validate_response_rejects(payload: dict[str, Any], message: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(message)):
        validate_response(payload)


def test_a_name_tag_is_for_the_speech_only() -> None:
    tagged = '<speak>Hi <alexa:name type="first" personId="amzn1.ask.person.A1"/>.</speak>'
    validate_response(response(outputSpeech={"type": "SSML", "ssml": tagged}))
    with pytest.raises(AssertionError, match="outputSpeech only"):
        validate_response(response(reprompt={"outputSpeech": {"type": "SSML", "ssml": tagged}}))


def test_address_puts_a_checked_person_id_in_and_drops_anything_else() -> None:
    rendered = render_ssml((line("welcome_back_person", person=PersonName()),), for_locale("en-US"))
    assert NAME_SLOT in rendered and "amzn1" not in rendered  # what Redis and the session keep
    named = address(rendered, "amzn1.ask.person.SAM-1")
    assert '<alexa:name type="first" personId="amzn1.ask.person.SAM-1"/>' in named
    validate_ssml(named)
    for odd in (None, "", "amzn1.ask.account.SAM", 'amzn1.ask.person.x"/><audio src="https://e"/>'):
        dropped = address(rendered, odd)
        assert "alexa:name" not in dropped and "audio" not in dropped
        validate_ssml(dropped)
