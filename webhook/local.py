"""The webhook for trying it locally: `make run` serves 'webhook.local:create_app()'.

It is the production app plus the browser simulator at /simulator (unsigned turns, for a
"local-" runner), and, when USER_ID_PEPPER is not set, a secret pepper generated once and kept
in var/user-id-pepper (0600), so nothing local runs on a public key and `make chat` (which uses
the same file) finds the same runners. Production (`webhook:create_app()`, deploy/) never
imports this module, so it cannot serve the simulator whatever its environment says.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

import webhook
from webhook import config, simulator_page

PEPPER_FILE = Path(__file__).resolve().parent.parent / "var" / "user-id-pepper"


def local_pepper(path: Path = PEPPER_FILE) -> str:
    """The pepper kept in `path`, made (64 hex characters, readable by us only) if there is none yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """webhook.create_app with the simulator mounted and a local secret pepper unless one is set."""
    settings = dict(test_config or {})
    if not config.from_environment(settings)["USER_ID_PEPPER"]:
        settings["USER_ID_PEPPER"] = local_pepper(Path(settings.pop("PEPPER_FILE", PEPPER_FILE)))
    app = webhook.create_app(settings)
    app.register_blueprint(simulator_page.bp)
    return app
