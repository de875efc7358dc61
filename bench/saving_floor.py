"""The author floor that also saves: one value written to Redis per turn, as an author's skill that keeps
progress would, and nothing else.

    gunicorn --config deploy/gunicorn.conf.py 'bench.saving_floor:create_app()'

bench/author_floor.py's skill and view, plus one `HSET` through redis-py (the state a turn leaves,
SAVED_BYTES of it) on the bench's own Redis, which runs with the durability of deploy/redis.conf
(`appendfsync always`: the reply means on disk). No read, no compare-and-set, no replay record: the least
a turn that keeps progress can cost on this machine, so the gap between it and the author floor is the
price of saving at all, and the gap between it and the real app is the coach. Nothing here is used in
production.
"""

from __future__ import annotations

import os
from typing import Any

import redis
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Flask, jsonify, request

from bench.author_floor import build_skill

SAVED_BYTES = 700  # about what the real app's state JSON is mid-workout (its history is written apart)


def create_app() -> Flask:
    app = Flask(__name__)
    skill = build_skill()
    serializer = DefaultSerializer()
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    state = "s" * SAVED_BYTES

    @app.post("/alexa")
    def alexa() -> Any:
        envelope = serializer.deserialize(request.get_data(as_text=True), RequestEnvelope)
        client.hset(f"bench:{envelope.context.system.user.user_id}", "state", state)
        return jsonify(serializer.serialize(skill.invoke(envelope, None)))

    @app.get("/healthz")
    def healthz() -> Any:
        return "ok"

    return app
