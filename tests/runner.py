"""A simulated runner for tests: sends real envelopes through the real Flask app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from simulator.echo import REACTION_SECONDS, Clock, play_seconds
from simulator.envelopes import Device, slot_payload
from tests.ssml_check import validate_response

_TAGS = re.compile(r"<[^>]+>")


def plain(ssml: str | None) -> str:
    """SSML -> the words, for readable assertions."""
    text = _TAGS.sub(" ", ssml or "")
    text = text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
    return " ".join(text.replace("&amp;", "&").split())


@dataclass
class Turn:
    status: int
    payload: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return self.payload.get("response", {})

    @property
    def ssml(self) -> str:
        return self.response.get("outputSpeech", {}).get("ssml", "")

    @property
    def text(self) -> str:
        return plain(self.ssml)

    @property
    def reprompt(self) -> str:
        return plain(self.response.get("reprompt", {}).get("outputSpeech", {}).get("ssml"))

    @property
    def ends(self) -> bool:
        return self.response.get("shouldEndSession") is True


class Runner:
    """Says things to the skill as one device would; every reply is checked as a valid Alexa response.

    When the app's CLOCK is a device `Clock` the runner lives in device time: each request arrives
    after the last reply has played and the runner has reacted, as on an Echo; `interrupt(after)`
    barges in while a reply is still playing, and `wait(seconds)` lets time pass.
    """

    def __init__(self, client: FlaskClient, device: Device | None = None, clock: Clock | None = None) -> None:
        self.client = client
        self.device = device or Device()
        app_clock = client.application.config.get("CLOCK")
        self.clock = clock or (app_clock if isinstance(app_clock, Clock) else None)
        self.reply_started = self.clock() if self.clock else 0.0
        self.rapid = False

    def send(self, envelope: dict[str, Any], *, allow_empty: bool = False) -> Turn:
        result = self.client.post("/alexa", json=envelope)
        turn = Turn(result.status_code, result.get_json(silent=True) or {})
        if turn.status == 200:
            validate_response(turn.payload, allow_empty=allow_empty)
            self.device.absorb(turn.payload)
            if self.clock is not None:
                self.reply_started = self.clock()
                if not self.rapid:
                    self.clock.advance(play_seconds(turn.ssml) + REACTION_SECONDS)
        return turn

    @contextmanager
    def quickly(self) -> Iterator[None]:
        """Turns sent as fast as a script can, not as a runner talks: device time does not move."""
        self.rapid = True
        try:
            yield
        finally:
            self.rapid = False

    def wait(self, seconds: float) -> None:
        assert self.clock is not None, "a runner without a clock lives in real time"
        self.clock.advance(seconds)

    def interrupt(self, after: float) -> None:
        """The next request barges in `after` seconds into the last reply (it stops playing there)."""
        assert self.clock is not None, "a runner without a clock lives in real time"
        self.clock.now = self.reply_started + after

    def launch(self) -> Turn:
        return self.send(self.device.launch())

    def say(self, intent: str, *, new_session: bool = False, **slots: tuple[str, str | None]) -> Turn:
        """say("ChooseExerciseIntent", exercise=("swiss ball curls", "swiss_ball_curls"))."""
        payload = {name: slot_payload(name, spoken, resolved) for name, (spoken, resolved) in slots.items()}
        return self.send(self.device.intent(intent, payload, new_session=new_session))

    def tap(self, *arguments: str, token: str = "workout") -> Turn:
        """The screen sends a UserEvent (a tap, its countdown's end, a heartbeat); it may answer with nothing."""
        return self.send(self.device.user_event(*arguments, token=token), allow_empty=True)

    def end_session(self) -> Turn:
        return self.send(self.device.session_ended(), allow_empty=True)
