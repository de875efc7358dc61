"""skill.alexa.api against a local stand-in for the Alexa APIs: what it sends, and every way it fails."""

from __future__ import annotations

import pytest

from skill.alexa.api import AlexaApi, ApiError
from tests.alexa_api import AlexaApiStandIn


def client(api: AlexaApiStandIn, failures: list[tuple[str, str]] | None = None, deadline: float = 0.5) -> AlexaApi:
    seen = [] if failures is None else failures
    return AlexaApi(api.url, "token-123", deadline, lambda name, kind: seen.append((name, kind)))


def test_a_call_sends_the_token_and_json_and_reads_json(alexa_api: AlexaApiStandIn) -> None:
    alexa_api.answer("POST", "/v1/alerts/timers", 200, {"id": "t-1", "status": "ON"})
    assert client(alexa_api).call("timers", "POST", "/v1/alerts/timers", {"duration": "PT90S"}) == {
        "id": "t-1", "status": "ON"}
    (seen,) = alexa_api.requests("POST")
    assert seen.path == "/v1/alerts/timers" and seen.body == {"duration": "PT90S"}
    assert seen.headers["Authorization"] == "Bearer token-123" and seen.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(("status", "kind"), [(401, "unauthorized"), (403, "forbidden"), (404, "not_found"),
                                              (500, "server"), (503, "server"), (400, "client")])
def test_every_error_status_is_an_api_error_of_its_kind(alexa_api: AlexaApiStandIn, status: int, kind: str) -> None:
    alexa_api.answer("GET", "/v2/devices", status, {"message": "no"})
    failures: list[tuple[str, str]] = []
    with pytest.raises(ApiError) as raised:
        client(alexa_api, failures).call("settings", "GET", "/v2/devices/d/settings/System.timeZone")
    assert (raised.value.kind, raised.value.status) == (kind, status) and failures == [("settings", kind)]


def test_a_slow_api_is_a_timeout_within_the_deadline(alexa_api: AlexaApiStandIn) -> None:
    alexa_api.answer("GET", "/v1/alerts/reminders", 200, {"alerts": []}, delay=2.0)
    with pytest.raises(ApiError) as raised:
        client(alexa_api, deadline=0.3).call("reminders", "GET", "/v1/alerts/reminders")
    assert raised.value.kind == "timeout"


def test_nothing_listening_and_a_bad_body_are_errors_too(alexa_api: AlexaApiStandIn) -> None:
    with pytest.raises(ApiError) as raised:
        AlexaApi("http://127.0.0.1:9", "t", 0.3).call("timers", "GET", "/v1/alerts/timers")
    assert raised.value.kind == "network"
    with pytest.raises(ApiError) as raised:
        client(alexa_api).call("timers", "DELETE", "/v1/alerts/timers/unknown")  # nothing set up: 404
    assert raised.value.kind == "not_found"
    alexa_api.answer("DELETE", "/v1/alerts/timers", 204)
    assert client(alexa_api).call("timers", "DELETE", "/v1/alerts/timers/t-1") is None  # no content
