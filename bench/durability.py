"""`python -m bench.durability`: what "acknowledged" costs and means, per Redis durability mode.

Per-turn cost: changing turns through the real app (in-process) against our own valkey-server, one
runner at a time and 8 at once, for appendfsync everysec (the old default), always (deploy/'s default)
and everysec with the webhook waiting on WAITAOF. Then turns acknowledged vs present after kill -9,
with a healthy disk and a full one (tests/test_durability.py's helper; 3 runs each). Asserts nothing.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from local_redis import RedisServer
from skill.alexa import intents
from tests.runner import Runner
from tests.test_durability import FULL_AT, acknowledged_then_present
from webhook import create_app

MODES = {"everysec (old default)": ("everysec", False), "always (deploy/ default)": ("always", False),
         "everysec + WAITAOF": ("everysec", True)}
TURNS = 200


def turn_costs(fsync: str, wait_aof: bool, runners: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp, RedisServer(Path(tmp), fsync=fsync) as server:
        app = create_app({"REDIS_URL": server.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                          "REDIS_WAIT_AOF": wait_aof})

        def walk(_: int) -> list[float]:
            runner, costs = Runner(app.test_client()), []
            runner.say(intents.START_WORKOUT, new_session=True)
            for number in range(TURNS // runners):
                started = time.perf_counter()
                runner.say(intents.SET_REST, duration=(f"PT{30 + number % 60}S", None))
                costs.append(time.perf_counter() - started)
            return costs

        with ThreadPoolExecutor(runners) as pool:
            return [cost for costs in pool.map(walk, range(runners)) for cost in costs]


def main() -> None:
    print("| mode | runners at once | p50 ms/turn | p95 ms/turn | turns/s |")
    print("|---|---|---|---|---|")
    for name, (fsync, wait_aof) in MODES.items():
        for runners in (1, 8):
            started = time.perf_counter()
            costs = sorted(turn_costs(fsync, wait_aof, runners))
            elapsed = time.perf_counter() - started
            print(f"| {name} | {runners} | {statistics.median(costs) * 1000:.2f} | "
                  f"{costs[int(len(costs) * 0.95)] * 1000:.2f} | {len(costs) / elapsed:.0f} |", flush=True)
    print()
    print("| mode | disk | run | turns acknowledged | acknowledged and present after kill -9 |")
    print("|---|---|---|---|---|")
    for name, (fsync, wait_aof) in MODES.items():
        for disk, limit, turns in (("healthy", None, 300), ("full", FULL_AT, 200)):
            for run in range(1, 4):
                with tempfile.TemporaryDirectory() as tmp:
                    acknowledged, version, present = acknowledged_then_present(Path(tmp), fsync, wait_aof, limit, turns)
                lost = max(0, version - present)
                print(f"| {name} | {disk} | {run} | {acknowledged} | {acknowledged - lost} |", flush=True)


if __name__ == "__main__":
    main()
