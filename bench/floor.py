"""The benchmark's floor: an empty ask-sdk-core skill behind the very same Flask view, no Redis.

    gunicorn --config deploy/gunicorn.conf.py 'bench.floor:create_floor_app()'

It registers webhook.alexa's blueprint (envelope checks, ask-sdk deserialize, invoke,
serialize), so the gap between it and the real app is exactly what the coach adds:
Redis, the workout, rendering, metrics and logs. Nothing here is used in production.
"""

from __future__ import annotations

from ask_sdk_core.skill_builder import SkillBuilder
from flask import Flask

from bench.fixed_speech import FixedSpeech
from webhook import alexa


def create_floor_app() -> Flask:
    app = Flask(__name__)
    app.config.update(ALEXA_SKILL_ID="", MAX_CONTENT_LENGTH=256 * 1024)
    builder = SkillBuilder()
    builder.add_request_handler(FixedSpeech())
    app.extensions["alexa_skill"] = builder.create()
    app.extensions["alexa_verifier"] = None
    app.register_blueprint(alexa.bp)
    return app
