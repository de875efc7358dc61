"""/simulator: mounted only when SIMULATOR is on; its turn route; and the page in real headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask

from local_redis import RedisServer
from simulator.turns import default_resolver
from skill.alexa import intents
from skill.store import keys
from skill.voice.content import for_locale, published
from tests.live_server import serve
from webhook import create_app, local

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def simulator_app(redis_server: RedisServer, **config: Any) -> Flask:
    settings = {"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                "USER_ID_PEPPER": "test-pepper"}
    return local.create_app(settings | config)


def test_the_production_app_cannot_serve_the_simulator_whatever_the_environment(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIMULATOR", "true")  # what `make run` used to set, and a proxy could expose
    app = create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": True, "USER_ID_PEPPER": "x",
                      "TESTING": True})
    client = app.test_client()
    for path in ("/simulator", "/simulator/", "/simulator/assets/app.js"):
        assert client.get(path).status_code == 404
    assert client.post("/simulator/turn", json={"text": "ready"}).status_code == 404
    loaded = subprocess.run([sys.executable, "-c", "import sys, webhook; webhook.create_app; "
                             "print('webhook.simulator_page' in sys.modules, 'webhook.local' in sys.modules)"],
                            cwd=REPO, capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == ["False", "False"]  # the production import path never loads it


def test_make_run_serves_the_local_app() -> None:
    assert "'webhook.local:create_app()'" in (REPO / "Makefile").read_text()
    for path in [*(REPO / "deploy").rglob("*"), REPO / "bench" / "servers.py"]:
        if path.is_file():
            assert "webhook.local" not in path.read_text(errors="replace"), path


def test_a_local_run_gets_a_secret_pepper_of_its_own_kept_in_var(tmp_path: Path, redis_server: RedisServer,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USER_ID_PEPPER", raising=False)
    settings = {"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": True, "TESTING": True,
                "PEPPER_FILE": tmp_path / "var" / "user-id-pepper"}
    first = local.create_app(dict(settings))  # verification on, no pepper set: starts all the same
    pepper = (tmp_path / "var" / "user-id-pepper").read_text().strip()
    assert len(pepper) == 64 and (tmp_path / "var" / "user-id-pepper").stat().st_mode & 0o077 == 0
    assert first.config["USER_ID_PEPPER"] == pepper != keys.DEFAULT_PEPPER.decode()
    assert local.create_app(dict(settings)).config["USER_ID_PEPPER"] == pepper  # kept: the same runners


def test_the_page_and_its_assets_are_served(redis_server: RedisServer) -> None:
    client = simulator_app(redis_server).test_client()
    for path in ("/simulator", "/simulator/"):
        with client.get(path) as page:  # `with`: a file response left open is a ResourceWarning
            assert page.status_code == 200 and 'id="utterance"' in page.get_data(as_text=True)
    for asset in ("app.js", "style.css"):
        with client.get(f"/simulator/assets/{asset}") as response:
            assert response.status_code == 200


def test_a_turn_answers_with_what_the_page_shows(redis_server: RedisServer, redis_client: redis.Redis) -> None:
    client = simulator_app(redis_server).test_client()
    start = client.post("/simulator/turn", json={"text": "start my hamstring workout", "user": "kim"}).get_json()
    assert set(start) == {"heard", "text", "reprompt", "ended", "card", "screen", "exercise", "conversation", "seconds",
                          "reprompt_seconds", "display"}
    assert start["seconds"] > 10
    assert start["heard"]["intent"] == "StartWorkoutIntent" and start["ended"] is False
    assert start["reprompt"] and start["card"]["title"] == start["exercise"]["name"]
    assert start["screen"]["set_number"] == 1 == start["exercise"]["set_number"]
    ready = client.post("/simulator/turn", json={"text": "ready", "user": "kim",
                                                 "conversation": start["conversation"]}).get_json()
    assert ready["heard"]["intent"] == "ReadyIntent" and "[pause " in ready["text"]
    assert ready["exercise"]["set_number"] == 2
    assert ready["conversation"]["session_id"] == start["conversation"]["session_id"]
    other = client.post("/simulator/turn", json={"text": "what set am I on", "user": "lee"}).get_json()
    assert other["exercise"] is None  # runners are kept apart by name


def test_every_published_locale_is_offered_with_things_to_say_in_it(redis_server: RedisServer) -> None:
    client = simulator_app(redis_server).test_client()
    offered = client.get("/simulator/locales").get_json()
    assert [entry["locale"] for entry in offered] == list(published())
    for entry in offered:
        resolver = default_resolver(entry["locale"])
        heard = [resolver.resolve(words) for words in entry["suggestions"]]
        assert len(heard) >= 6 and all(r.kind == "launch" or r.intent != intents.FALLBACK for r in heard), entry


def test_a_turn_in_german_is_heard_and_answered_in_german(redis_server: RedisServer,
                                                           redis_client: redis.Redis) -> None:
    client = simulator_app(redis_server).test_client()
    start = client.post("/simulator/turn", json={"text": "starte mein Training", "user": "jo",
                                                 "locale": "de-DE"}).get_json()
    german = {words.name for words in for_locale("de-DE").exercises.values()}
    assert start["heard"]["intent"] == "StartWorkoutIntent" and start["card"]["title"].lower() in {
        name.lower() for name in german}


def test_the_turn_route_skips_verification_but_alexa_keeps_it(redis_server: RedisServer,
                                                              redis_client: redis.Redis) -> None:
    client = simulator_app(redis_server, ALEXA_VERIFY_REQUESTS=True).test_client()
    turn = client.post("/simulator/turn", json={"text": "start my hamstring workout"})
    assert turn.status_code == 200 and turn.get_json()["exercise"]["set_number"] == 1
    unsigned = client.post("/alexa", json={"version": "1.0", "request": {}})
    assert unsigned.status_code == 400


@pytest.mark.parametrize(
    ("send", "status"),
    [
        ({"data": "text=ready", "content_type": "application/x-www-form-urlencoded"}, 415),
        ({"json": ["ready"]}, 400),
        ({"json": {}}, 400),
        ({"json": {"text": "   "}}, 400),
        ({"json": {"text": "x" * 501}}, 400),
        ({"json": {"text": "ready", "user": 7}}, 400),
        ({"json": {"text": "ready", "locale": "xx-YY"}}, 400),
        ({"json": {"text": "ready", "locale": ["de-DE"]}}, 400),
        ({"json": {"text": "ready", "conversation": {"session_id": "forged", "attributes": "x"}}}, 200),
    ],
)
def test_the_turn_route_rejects_what_a_page_would_never_send(send: dict[str, Any], status: int,
                                                              redis_server: RedisServer) -> None:
    client = simulator_app(redis_server).test_client()
    assert client.post("/simulator/turn", **send).status_code == status


# ---------------------------------------------------------------- the page in real headless Chromium


def chromium() -> str:
    """Debian's chromium; installed here only as root in CI, else the browser test skips (the only skip)."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() == 0 and os.environ.get("CI") and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
            subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
        found = shutil.which("chromium")
        if found:
            return found
    pytest.skip("Debian's chromium is not installed and cannot be installed here: "
                "run `make browser` as root (or `apt-get install chromium`) to run the browser test")


def test_the_page_walks_a_workout_in_headless_chromium(redis_server: RedisServer, redis_client: redis.Redis,
                                                       tmp_path: Path) -> None:
    executable = chromium()
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: `make dev-venv` installs requirements-dev.txt")
    names = "|".join(re.escape(e.name[0].upper() + e.name[1:]) for e in for_locale("en-US").exercises.values())
    french = "|".join(re.escape(e.name[0].upper() + e.name[1:]) for e in for_locale("fr-FR").exercises.values())
    with serve(simulator_app(redis_server)) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 860},
        )
        try:
            page = browser.new_page()
            page.goto(f"{base_url}/simulator?speed=200")  # the screen's clock 200x: a rest of minutes takes a second
            page.fill("#utterance", "start my hamstring workout")
            page.press("#utterance", "Enter")
            expect(page.locator("#exercise-name")).to_have_text(re.compile(f"^({names})$"))
            expect(page.locator("#set-progress")).to_have_text(re.compile(r"^Set 1 of \d$"))
            expect(page.locator("#exercise-steps li").first).to_be_visible()
            page.fill("#utterance", "ready")
            page.press("#utterance", "Enter")
            expect(page.locator("#set-progress")).to_have_text(re.compile(r"^Set 2 of \d$"))
            expect(page.locator(".heard").last).to_have_text("heard: ReadyIntent")
            expect(page.locator(".coach")).to_have_count(2)
            expect(page.locator("#screen-buttons button").first).to_have_text("Ready")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "simulator.png"))
            # nobody types: the screen counts the rest down, then sends REST_OVER and the next set is coached
            expect(page.locator(".heard").last).to_have_text("heard: UserEvent rest_over", timeout=20_000)
            expect(page.locator(".coach")).to_have_count(3)
            expect(page.locator(".coach").last).to_contain_text("Set 2")  # set 2, coached without a word
            expect(page.locator(".you")).to_have_count(2)  # still only the two things typed
            page.select_option("#locale", "fr-FR")  # another language: its own suggestions, heard in French
            page.locator("#suggestions button").first.click()
            expect(page.locator(".heard").last).to_have_text("heard: StartWorkoutIntent")
            expect(page.locator("#exercise-name")).to_have_text(re.compile(f"^({french})$"))
        finally:
            browser.close()
    assert (ARTIFACTS / "simulator.png").stat().st_size > 10_000
