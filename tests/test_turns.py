"""simulator.turns: what the chat and the browser simulator share (envelopes out, readable replies back)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from simulator.envelopes import Device
from simulator.resolver import Resolution
from simulator.turns import Conversation, default_resolver, envelope_for, ssml_to_text, user_id_for


def in_process(client: FlaskClient, sent: list[dict[str, Any]] | None = None) -> Conversation:
    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        if sent is not None:
            sent.append(envelope)
        result = client.post("/alexa", json=envelope)
        assert result.status_code == 200
        return dict(result.get_json())

    return Conversation(send, device=Device(user_id=user_id_for("test runner")))


@pytest.mark.parametrize(
    ("ssml", "text"),
    [
        ('<speak>Rest <break time="10s"/><break time="10s"/> <break time="5s"/> Go</speak>', "Rest [pause 25 s] Go"),
        ('<speak>in <break time="2500ms"/>out</speak>', "in [pause 2.5 s] out"),
        ("<speak>Say &quot;ready&quot; &amp; go &lt;now&gt;</speak>", 'Say "ready" & go <now>'),
        (None, ""),
        ('<speak>Hi <alexa:name type="first" personId="amzn1.ask.person.A"/>, welcome.</speak>',
         "Hi \u27e8name\u27e9, welcome."),
    ],
)
def test_ssml_reads_as_text_with_pauses(ssml: str | None, text: str) -> None:
    assert ssml_to_text(ssml) == text


def test_user_ids_are_stable_per_name_and_marked_local() -> None:
    assert user_id_for("Sam") == user_id_for("sam ") != user_id_for("alex")
    assert user_id_for("sam").startswith("amzn1.ask.account.local-")


def test_envelopes_list_declared_slots_and_resolve_custom_values_only() -> None:
    resolver, device = default_resolver(), Device()
    unfilled = envelope_for(Resolution("intent", "ChooseExerciseIntent"), device, resolver)
    assert unfilled["request"]["intent"]["slots"] == {"exercise": {"name": "exercise", "confirmationStatus": "NONE"}}
    exercise = envelope_for(resolver.resolve("do the inchworms"), device, resolver)["request"]["intent"]["slots"]
    match = exercise["exercise"]["resolutions"]["resolutionsPerAuthority"][0]
    assert match["status"]["code"] == "ER_SUCCESS_MATCH" and match["values"][0]["value"]["id"] == "inchworms"
    duration = envelope_for(resolver.resolve("rest ninety seconds"), device, resolver)["request"]["intent"]["slots"]
    assert duration["duration"] == {"name": "duration", "value": "PT90S", "confirmationStatus": "NONE"}


def test_a_turn_shows_the_exercise_and_set_progress(client: FlaskClient) -> None:
    conversation = in_process(client)
    start = conversation.say("start my hamstring workout")
    assert start.heard == {"intent": "StartWorkoutIntent", "slots": {}}
    assert start.card is not None and start.exercise is not None
    assert start.exercise["name"] == start.card["title"] and start.exercise["set_number"] == 1
    assert start.exercise["dose"] and start.exercise["steps"]
    ready = conversation.say("ready")
    assert ready.exercise is not None and ready.exercise["set_number"] == 2
    assert ready.exercise["name"] == start.exercise["name"]  # the card is remembered after it was shown


def test_exit_with_no_open_session_sends_nothing(client: FlaskClient) -> None:
    sent: list[dict[str, Any]] = []
    view = in_process(client, sent).say("exit")
    assert view.ended and sent == []


def test_state_carries_the_session_into_a_new_conversation(client: FlaskClient) -> None:
    first = in_process(client)
    first.say("start my hamstring workout")
    sent: list[dict[str, Any]] = []
    later = in_process(client, sent)
    later.restore(first.state())
    view = later.say("ready")
    assert sent[0]["session"]["new"] is False
    assert sent[0]["session"]["sessionId"] == first.device.session_id
    assert view.exercise is not None and view.exercise["dose"]  # the card came along


@pytest.mark.parametrize(
    "junk",
    [None, [], "x", {"session_id": "<script>", "attributes": {}}, {"session_id": 5}, {"screen": {"set_number": "1"}},
     {"cards": {"inchworms": {"title": 1}}, "device_id": "amzn1.ask.device.zz"}],
)
def test_malformed_state_starts_a_fresh_session(junk: object, client: FlaskClient) -> None:
    sent: list[dict[str, Any]] = []
    conversation = in_process(client, sent)
    conversation.restore(junk)
    conversation.say("help")
    assert sent[0]["session"]["new"] is True
    assert conversation.state()["cards"] == {} and conversation.screen is None
