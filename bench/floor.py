"""The benchmark's floor: an empty ask-sdk-core skill behind the very same Flask view, no Redis.

    gunicorn --config deploy/gunicorn.conf.py 'bench.floor:create_floor_app()'

It registers webhook.alexa's blueprint (envelope checks, ask-sdk deserialize, invoke,
serialize), so the gap between it and the real app is exactly what the coach adds:
Redis, the workout, rendering, metrics and logs. Nothing here is used in production.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import Response
from flask import Flask

from webhook import alexa

SPEECH = "<speak>Okay.</speak>"


class FixedSpeech(AbstractRequestHandler):
    """Every request: the same short reply, session kept open (as most coach replies do)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        return builder.speak(SPEECH).ask(SPEECH).set_should_end_session(False).response


def create_floor_app() -> Flask:
    app = Flask(__name__)
    app.config.update(ALEXA_SKILL_ID="", MAX_CONTENT_LENGTH=256 * 1024)
    builder = SkillBuilder()
    builder.add_request_handler(FixedSpeech())
    app.extensions["alexa_skill"] = builder.create()
    app.extensions["alexa_verifier"] = None
    app.register_blueprint(alexa.bp)
    return app
