"""The fixed floor: an empty ask-sdk skill with its own plain view, as a skill author would write it.

    gunicorn --config deploy/gunicorn.conf.py -k sync --threads 1 'bench.author_floor:create_app()'

One handler with a fixed reply, `DefaultSerializer` in and out, `jsonify`, no envelope checks,
no Redis, no metrics, no logs. Unlike bench/floor.py it shares none of our code (only its handler,
bench/fixed_speech.py), so it does not get cheaper when our view does: it is the yardstick "what the
framework costs". bench/run.py runs it on sync workers (the trap: `-k sync` alone with the config's
`threads = 4` would run gthread, so `--threads 1` goes with it). Nothing here is used in production.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import RequestEnvelope
from flask import Flask, jsonify, request

from bench.fixed_speech import FixedSpeech


def build_skill() -> CustomSkill:
    builder = SkillBuilder()
    builder.add_request_handler(FixedSpeech())
    return builder.create()


def create_app() -> Flask:
    app = Flask(__name__)
    skill = build_skill()
    serializer = DefaultSerializer()

    @app.post("/alexa")
    def alexa() -> Any:
        envelope = serializer.deserialize(request.get_data(as_text=True), RequestEnvelope)
        return jsonify(serializer.serialize(skill.invoke(envelope, None)))

    @app.get("/healthz")
    def healthz() -> Any:
        return "ok"

    return app
