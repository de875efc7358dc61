"""/healthz (the process answers) and /readyz (a turn could be taken now): for load balancers and systemd.

Ready means Redis accepts a write, not just a PING: a Redis at maxmemory (noeviction), a read-only
replica or one whose disk writes fail answers PING happily while every turn would be an apology.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Any:
    problem = current_app.extensions["store"].ready()
    if problem is None:
        return jsonify({"status": "ready", "redis": "ok"})
    return jsonify({"status": "unavailable", "redis": problem}), 503
