"""Two devices, one runner: 200 concurrent turns for the same user at the real app under gunicorn
(2 worker processes x 4 threads, the project's deploy config, a real Redis).

Every turn is answered validly; the stored state equals applying the accepted turns one after
another (the pure workout replays the accepted "ready"s); no update is lost, no set is skipped or
counted twice. Turns answered "Sorry, I missed that" (too much contention) changed nothing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import redis
import requests

from local_redis import RedisServer, free_port
from simulator.envelopes import Device, slot_payload
from skill.alexa import intents
from skill.coach import serial, workout
from skill.coach.events import Event, Kind
from skill.coach.state import UserState
from skill.store import keys
from skill.voice import content, speech
from tests.runner import plain
from tests.ssml_check import validate_response
from tests.trust_helpers import stored, wait_until

ROOT = Path(__file__).resolve().parents[1]
TURNS, THREADS = 200, 16
BUSY = "Sorry, I missed that."
SET_ANNOUNCED = re.compile(r"^Set (\d+)\.")


@dataclass(frozen=True)
class Webhook:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="module")
def webhook(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webhook]:
    """gunicorn with the deploy config, 2 workers x 4 threads, on a free port; stopped at the end."""
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {**os.environ, "REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": "false", "SIMULATOR": "false"}
    command = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
               "--workers", "2", "--threads", "4", "--worker-class", "gthread", "webhook:create_app()"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    hook = Webhook(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until(lambda: process.poll() is not None or _healthy(hook.url), 30, "gunicorn to answer /healthz")
        assert process.poll() is None, log.read_text()[-2000:]
        yield hook
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=1).status_code == 200
    except requests.RequestException:  # not up yet, or too slow to answer under load: poll again
        return False


def turn(hook: Webhook, envelope: dict[str, Any]) -> dict[str, Any]:
    answer = requests.post(f"{hook.url}/alexa", json=envelope, timeout=15)
    assert answer.status_code == 200, answer.text[:300]
    payload: dict[str, Any] = answer.json()
    validate_response(payload)
    return payload


def storm(user_id: str, person: str | None = None, turns: int = TURNS,
          first_rest: int = 30) -> list[tuple[Kind, int | None, dict[str, Any]]]:
    """`turns` one-shot turns from two devices of one runner ("Alexa, tell hamstring coach ready", so none barges
    in on a set still being coached): ready, progress, form tip, and "rest N seconds" (N unique, from
    `first_rest`). `person`: a voice profile speaking on the account."""
    phone, kitchen = Device(user_id=user_id, person_id=person), Device(user_id=user_id, person_id=person)
    planned = []
    for number in range(turns):
        device = (phone, kitchen)[number // 4 % 2]
        kind = (Kind.READY, Kind.PROGRESS, Kind.FORM_TIP, Kind.SET_REST)[number % 4]
        if kind is Kind.SET_REST:
            seconds = first_rest + number // 4
            slots = {"duration": slot_payload("duration", f"PT{seconds}S", "")}
            planned.append((kind, seconds, device.intent(intents.SET_REST, slots, new_session=True)))
        else:
            name = {Kind.READY: intents.READY, Kind.PROGRESS: intents.PROGRESS, Kind.FORM_TIP: intents.FORM_TIP}[kind]
            planned.append((kind, None, device.intent(name, new_session=True)))
    return planned


def replay_readies(state: UserState, count: int) -> tuple[UserState, int, list[str | None]]:
    """The pure workout, given `count` "ready"s in a row: final state, how many changed it, sets announced."""
    changed, announced, book = 0, [], content.for_locale("en-US")
    for _ in range(count):
        outcome = workout.step(state, Event(Kind.READY, time.time(), True, estimate=speech.estimator(book)))
        changed += outcome.state != state
        match = SET_ANNOUNCED.match(speech.render_text(outcome.reply.speech, book))
        announced.append(match.group(1) if match else None)
        state = outcome.state
    return state, changed, announced


def position(state: UserState) -> tuple[object, ...]:
    """Where the runner is, without the timestamps a replay cannot reproduce."""
    walk = state.workout and replace(state.workout, started_at=0, updated_at=0)
    return walk, tuple(replace(entry, finished_at=0) for entry in state.profile.history)


def test_two_devices_firing_concurrently_lose_nothing(webhook: Webhook, redis_client: redis.Redis) -> None:
    user_id = f"amzn1.ask.account.{uuid.uuid4().hex}"
    # Without a ball the plan is eccentric curls and Romanian deadlifts, whose sets and rests (30-79 s here)
    # always share a reply: the order the storm's rests land in cannot change how many readies there are.
    no_ball = {"equipment": slot_payload("equipment", "stability ball", "stability_ball")}
    turn(webhook, Device(user_id=user_id).intent(intents.MISSING_EQUIPMENT, no_ball))
    assert "Today: eccentric hamstring curls and two-arm" in plain(
        turn(webhook, Device(user_id=user_id).intent(intents.START_WORKOUT))["response"]["outputSpeech"]["ssml"])
    version0, state0 = stored(redis_client, user_id)
    assert state0 is not None
    planned = storm(user_id)
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(lambda plan: turn(webhook, plan[2]), planned))

    said = [plain(a["response"]["outputSpeech"]["ssml"]) for a in answers]
    assert not any("can't reach your workout" in text or "went wrong" in text for text in said)
    accepted = [(kind, seconds, text) for (kind, seconds, _), text in zip(planned, said, strict=True)
                if not text.startswith(BUSY)]
    readies = [text for kind, _, text in accepted if kind is Kind.READY]
    rests = [seconds for kind, seconds, _ in accepted if kind is Kind.SET_REST]
    assert readies and rests

    expected, changes, announced = replay_readies(serial.from_dict(state0), len(readies))
    version, stored_state = stored(redis_client, user_id)
    assert stored_state is not None
    final = serial.from_dict(stored_state)
    assert position(final) == position(expected)  # the same place as the accepted turns one after another
    assert version - version0 == changes + len(rests)  # one write per accepted change: none lost, none twice
    assert final.profile.rest_seconds in rests
    got = [m.group(1) if (m := SET_ANNOUNCED.match(text)) else None for text in readies]
    assert sorted(got, key=str) == sorted(announced, key=str)  # each set said exactly once

    logs = webhook.log.read_text()
    assert '"msg":"turn"' in logs and user_id not in logs and keys.user_hash(user_id) not in logs
    assert "retrying" in logs  # the store's compare-and-set really raced (it logs each lost race)


def test_two_voice_profiles_on_one_account_firing_concurrently_stay_apart(webhook: Webhook,
                                                                         redis_client: redis.Redis) -> None:
    """Sam and Alex, each on two devices, 100 turns each at once on one account: each one's progress is exactly
    their own accepted turns replayed, none of one's rests reaches the other, and the account keeps nothing."""
    user_id = f"amzn1.ask.account.{uuid.uuid4().hex}"
    people = {"amzn1.ask.person.sam-1": 30, "amzn1.ask.person.alex-2": 60}  # voice -> its first rest length
    no_ball = {"equipment": slot_payload("equipment", "stability ball", "stability_ball")}
    before = {}
    for person in people:
        turn(webhook, Device(user_id=user_id, person_id=person).intent(intents.MISSING_EQUIPMENT, no_ball))
        turn(webhook, Device(user_id=user_id, person_id=person).intent(intents.START_WORKOUT))
        before[person] = stored(redis_client, user_id, person)
    planned = [plan for pair in zip(*(storm(user_id, p, TURNS // 2, first) for p, first in people.items()),
                                    strict=True) for plan in pair]
    owners = [person for _ in range(TURNS // 2) for person in people]
    with ThreadPoolExecutor(THREADS) as pool:
        said = [plain(a["response"]["outputSpeech"]["ssml"]) for a in pool.map(lambda p: turn(webhook, p[2]), planned)]
    assert not any("can't reach your workout" in text or "went wrong" in text for text in said)
    for person, first in people.items():
        mine = [(kind, seconds) for (kind, seconds, _), text, owner in zip(planned, said, owners, strict=True)
                if owner == person and not text.startswith(BUSY)]
        readies = sum(1 for kind, _ in mine if kind is Kind.READY)
        rests = [seconds for kind, seconds in mine if kind is Kind.SET_REST]
        version0, state0 = before[person]
        assert state0 is not None and readies and rests
        expected, changes, _ = replay_readies(serial.from_dict(state0), readies)
        version, raw = stored(redis_client, user_id, person)
        assert raw is not None
        final = serial.from_dict(raw)
        assert position(final) == position(expected) and version - version0 == changes + len(rests)
        assert final.profile.rest_seconds in rests and first <= final.profile.rest_seconds < first + TURNS // 8
    assert stored(redis_client, user_id) == (0, None)  # the account's own state: untouched


def test_a_huge_declared_body_is_refused_without_waiting_for_it(webhook: Webhook) -> None:
    host, port = webhook.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(b"POST /alexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 10485760\r\n\r\n{")  # 10 MiB promised, 1 byte sent
        reply = conn.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413")


def test_readiness_under_gunicorn(webhook: Webhook) -> None:
    assert requests.get(f"{webhook.url}/readyz", timeout=5).status_code == 200

