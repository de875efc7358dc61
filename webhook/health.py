"""/healthz (the process answers) and /readyz (Redis answers too): for load balancers and systemd."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Any:
    if current_app.extensions["store"].ping():
        return jsonify({"status": "ready", "redis": "ok"})
    return jsonify({"status": "unavailable", "redis": "unreachable"}), 503
