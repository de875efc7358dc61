"""`python -m bench.edges`: the small trust figures, printed as tables (asserts nothing):
replays of an applied "ready" after 8, 50 and 200 other turns and with a +-140 s skewed timestamp;
envelopes nested 10 to 40,000 levels; /readyz with Redis full (maxmemory) and read-only.

The app runs on device time (simulator.echo.Clock), as the tests do: each scripted turn arrives after the
last reply has played, so a "ready" does not cut into the set it follows."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import redis
from flask import Flask

from local_redis import RedisServer
from simulator.echo import Clock as DeviceClock
from skill.alexa import intents
from skill.store import keys
from tests.runner import Runner
from tests.test_nesting import DEPTHS, envelope_with_attributes
from tests.test_redis_refusals import REFUSALS
from tests.test_replay_window import SKEWS, other_turns, signed_app, signed_post
from tests.trust_helpers import let_redis_time_pass, set_number, stored, walk_to_set
from tests.verification_helpers import NOW, Clock, iso
from webhook import create_app


def app_on(url: str) -> Flask:
    return create_app({"REDIS_URL": url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                       "CLOCK": DeviceClock(time.time())})


def replays(server: RedisServer, data: redis.Redis) -> None:
    print("| replayed 'ready' (set 2) after | HTTP | applied again | waiting for set before -> after |")
    print("|---|---|---|---|")
    for others in (8, 50, 200):
        runner = Runner(app_on(server.url).test_client())
        walk_to_set(runner, data, 2)
        ready = runner.device.intent(intents.READY)
        runner.send(ready)
        other_turns(runner, others)
        before, at = stored(data, runner.device.user_id), set_number(data, runner.device.user_id)
        status = runner.send(ready).status
        applied = stored(data, runner.device.user_id) != before
        print(f"| {others} other turns | {status} | {'yes' if applied else 'no'} | {at} -> "
              f"{set_number(data, runner.device.user_id)} |")
    for name, (skew, later) in SKEWS.items():
        clock = Clock(NOW)
        app = signed_app(server, clock)
        runner = Runner(app.test_client())
        for intent, new in ((intents.START_WORKOUT, True), (intents.READY, False)):
            envelope = runner.device.intent(intent, new_session=new)
            envelope["request"]["timestamp"] = iso(clock.now)
            runner.device.absorb(signed_post(app, envelope)[1])
        ready = runner.device.intent(intents.READY)
        ready["request"]["timestamp"] = iso(clock.now + skew)
        signed_post(app, ready)
        user = keys.user_hash(runner.device.user_id, b"test-pepper")
        before = data.hgetall(keys.user_key(user))
        clock.advance(later)
        let_redis_time_pass(data, later)
        status, _ = signed_post(app, ready)
        applied = data.hgetall(keys.user_key(user)) != before
        print(f"| signed, {name} | {status} | {'yes' if applied else 'no'} | - |")


def nesting(server: RedisServer) -> None:
    print("\n| session attributes nested (levels) | /alexa HTTP |")
    print("|---|---|")
    client = app_on(server.url).test_client()
    for depth in DEPTHS:
        reply = client.post("/alexa", data=envelope_with_attributes(depth), content_type="application/json")
        print(f"| {depth} | {reply.status_code} |")


def readiness(root: Path) -> None:
    print("\n| Redis | PING | /readyz | turn heard |")
    print("|---|---|---|---|")
    for name, (refuse, _kind) in REFUSALS.items():
        with RedisServer(root / name) as server:
            data, client = redis.Redis.from_url(server.url), app_on(server.url).test_client()
            runner = Runner(client)
            walk_to_set(runner, data, 2)
            refuse(data)
            ready = client.get("/readyz")
            heard = runner.say(intents.READY).text[:40]
            print(f"| {name} | {data.ping()} | {ready.status_code} {ready.get_json()} | {heard} |")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, RedisServer(Path(tmp) / "redis") as server:
        data = redis.Redis.from_url(server.url)
        replays(server, data)
        nesting(server)
        readiness(Path(tmp))


if __name__ == "__main__":
    main()
