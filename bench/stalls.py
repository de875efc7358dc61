"""`python -m bench.stalls`: what a runner hears, and what is stored, when Redis stalls after a turn's read.

For each stall (0.2 s to 10 s) and each way of stalling (Redis SIGSTOPped when the write script arrives;
or the write runs and Redis's reply is held), through tests/fault_proxy.py, with the production turn
budget: the runner says "ready" for set 2, then, once the stall is over, "ready" again: in the same
session, or a minute later in a new one ("Alexa, tell hamstring coach ready"; the app's in-doubt marker
written by then). A row is consistent when set 2 is coached exactly once and never skipped.

The app runs on device time (simulator.echo.Clock), as the tests do: each turn arrives after the last
reply has played, so a scripted "ready" does not cut into the set it follows. Redis's stall is real time.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import redis

from local_redis import RedisServer
from simulator.echo import Clock as DeviceClock
from skill.alexa import intents
from tests.fault_proxy import FaultProxy
from tests.runner import Runner, Turn
from tests.trust_helpers import set_number, wait_until, walk_to_set
from webhook import create_app

STALLS = (0.2, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
APOLOGY = "can't reach your workout"


def heard(turn: Turn) -> str:
    if APOLOGY in turn.text:
        return "sorry"
    return turn.text.split(".")[0][:12] if turn.text.startswith("Set ") else turn.text[:12]


def one(proxy: FaultProxy, data: redis.Redis, mode: str, stall: float, new_session: bool) -> str:
    app = create_app({"REDIS_URL": proxy.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                      "CLOCK": DeviceClock(time.time())})
    runner = Runner(app.test_client())
    walk_to_set(runner, data, 2)
    proxy.arm(mode, stall)
    started = time.monotonic()
    first = runner.say(intents.READY)
    seconds = time.monotonic() - started
    wait_until(lambda: proxy.ended, stall + 15, "the stall to end")
    assert data.ping()
    stored_after = set_number(data, runner.device.user_id)
    if new_session:
        app.extensions["store"].wait_for_markers(35)  # the runner takes longer than this to say it again
        runner.wait(60)
    second = runner.say(intents.READY, new_session=new_session)
    stored_next = set_number(data, runner.device.user_id)
    coached = [said for said in (heard(first), heard(second)) if said != "sorry"]
    # Set 2 then set 3, or set 2 once after an apology. Either way the store waits on set 3: after set 2,
    # for set 3; after the first leg's set 3 (these curls are one leg at a time), for the other leg's.
    ok = tuple(coached) in (("Set 2",), ("Set 2", "Set 3")) and stored_next == 3
    session = "new" if new_session else "same"
    return (f"| {mode:<5} | {stall:>5.1f} | {seconds:>6.2f} | {heard(first):<7} | {stored_after} | {session} | "
            f"{heard(second):<7} | {stored_next} | {'yes' if ok else 'NO'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stalls", default=",".join(map(str, STALLS)))
    parser.add_argument("--sessions", default="same,new", help="the next 'ready' in the same session, a new one")
    args = parser.parse_args()
    print("| stall | s | turn took s | heard | then stored: waiting for set | next 'ready' in session | heard "
          "| then stored | sets coached once, none skipped |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp, RedisServer(Path(tmp) / "redis") as server:
        assert server.process is not None
        proxy = FaultProxy(server.socket_path, server.process.pid)
        data = redis.Redis.from_url(server.url)
        try:
            for mode in ("stop", "hold"):
                for stall in (float(value) for value in args.stalls.split(",")):
                    for session in args.sessions.split(","):
                        print(one(proxy, data, mode, stall, session == "new"), flush=True)
        finally:
            proxy.close()


if __name__ == "__main__":
    main()
