"""The one handler the floors run (bench/floor.py, bench/author_floor.py and its saving_floor.py): a fixed reply.

Kept apart from them so the author floor still imports nothing of ours outside bench/.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

SPEECH = "<speak>Okay.</speak>"


class FixedSpeech(AbstractRequestHandler):
    """Every request: the same short reply, session kept open (as most coach replies do)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        return builder.speak(SPEECH).ask(SPEECH).set_should_end_session(False).response
