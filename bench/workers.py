"""`make bench-workers`: gunicorn sync workers against gthread, for the real app behind the shipped nginx.

The same app, config and worker count (deploy/gunicorn.conf.py); only the worker class differs:
"sync" (`--worker-class sync --threads 1`: both, since threads > 1 silently means gthread) and
"gthread" (the config's threads). Each sits behind its own nginx with the shipped site
(bench/nginx.py), as in production, where nginx holds Alexa's keep-alive connections and
buffers slow clients. Rounds alternate between the two at each concurrency level. Then Redis
hangs for HANG_S seconds (CLIENT PAUSE) under load: how many turns got through or got the
spoken apology, how long they waited, and how long /healthz took meanwhile. Prints numbers,
asserts nothing. Needs nginx (apt-get install nginx); about two minutes.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import threading
import time
from pathlib import Path

import redis

from bench import nginx, report
from bench.load import run_level, workout_length
from bench.run import CLIENT_PROCESSES, SYNC, measure
from bench.sample import Sample
from bench.servers import REPO, Gunicorn
from local_redis import RedisServer

LEVELS = (4, 16, 32)
ROUNDS = 4
HANG_S = 3.0
HANG_LEVEL = 16


class Front:
    """A gunicorn and its nginx: what `measure` needs (a port, the app's CPU) with nginx's port."""

    def __init__(self, server: Gunicorn, proxy: nginx.Nginx) -> None:
        self.server, self.proxy = server, proxy

    @property
    def port(self) -> int:
        return self.proxy.port

    def cpu_seconds(self) -> float:
        return self.server.cpu_seconds()


def probe_healthz(port: int, stop: threading.Event, seen: list[float]) -> None:
    """GET /healthz through nginx every 50 ms until `stop`: the seconds each took (10 s if it failed)."""
    while not stop.is_set():
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.close()
            seen.append(time.perf_counter() - started)
        except OSError:
            seen.append(10.0)
        stop.wait(0.05)


def hang(front: Front, client: redis.Redis, turns: int) -> str:
    """Load at HANG_LEVEL runners while Redis answers nothing for HANG_S seconds, from 1 s in."""
    stop, health = threading.Event(), []
    prober = threading.Thread(target=probe_healthz, args=(front.port, stop, health), daemon=True)
    pause = threading.Timer(1.0, lambda: client.execute_command("CLIENT", "PAUSE", int(HANG_S * 1000), "ALL"))
    prober.start()
    pause.start()
    level = run_level("127.0.0.1", front.port, HANG_LEVEL, 10**6, time_limit_s=1.0 + HANG_S + 2.0,
                      turns_limit=turns, processes=CLIENT_PROCESSES)
    pause.join()
    stop.set()
    prober.join()
    answered = level.turns - level.errors
    return (f"{level.turns} turns in {level.seconds:.1f} s: {answered} answered, {level.errors} apologies or "
            f"failures; turn p50 {level.percentile(0.5):.0f} ms, p99 {level.percentile(0.99):.0f} ms, max "
            f"{1000 * max(level.latencies):.0f} ms; /healthz median {1000 * statistics.median(health):.0f} ms, "
            f"max {1000 * max(health):.0f} ms")


def compare(fronts: dict[str, Front], client: redis.Redis, levels: tuple[int, ...]) -> None:
    turns = workout_length("127.0.0.1", fronts["sync"].port)
    for front in fronts.values():  # warm-up
        run_level("127.0.0.1", front.port, 8, 64, time_limit_s=10, turns_limit=turns, processes=CLIENT_PROCESSES)
    print(f"\nReal app, {len(fronts['sync'].server.worker_pids())} workers each: "
          + ", ".join(f"{name} = {front.server.worker_class()}" for name, front in fronts.items())
          + f"; behind nginx; {ROUNDS} rounds each, alternating.\n")
    print(report.HEADER[:report.HEADER.index(" x tput")] + f"{'/ sync':>7}{'p99':>7}")
    for concurrency in levels:
        samples: dict[str, list[Sample]] = {name: [] for name in fronts}
        for _ in range(ROUNDS):
            for name, front in fronts.items():
                samples[name].append(measure(front, concurrency, client))  # type: ignore[arg-type]
        print(report.row("sync", samples["sync"]))
        print(report.row("gthread", samples["gthread"], samples["sync"]), flush=True)
    print(f"\nRedis hangs for {HANG_S:.0f} s under {HANG_LEVEL} runners (CLIENT PAUSE ALL):")
    for name, front in fronts.items():
        time.sleep(1.0)
        print(f"  {name:<8} {hang(front, client, turns)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=REPO / "var" / "bench-workers", help="scratch dir (wiped first)")
    parser.add_argument("--levels", type=lambda text: tuple(int(n) for n in text.split(",")), default=LEVELS)
    args = parser.parse_args(argv)
    if not nginx.available():
        print("nginx is not installed (apt-get install nginx): the comparison runs behind the shipped nginx.")
        return 1
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    with RedisServer(args.dir / "redis") as redis_server:
        client = redis.Redis.from_url(redis_server.url)
        env = {"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": "false"}
        servers = {"sync": Gunicorn("sync", "webhook:create_app()", args.dir, env, SYNC),
                   "gthread": Gunicorn("gthread", "webhook:create_app()", args.dir, env,
                                       ("--worker-class", "gthread"))}
        fronts: dict[str, Front] = {}
        try:
            for name, server in servers.items():
                server.start()
                fronts[name] = Front(server, nginx.Nginx(args.dir / f"nginx-{name}", server.port).start())
            compare(fronts, client, args.levels)
        finally:
            for front in fronts.values():
                front.proxy.stop()
            for server in servers.values():
                server.stop()
            client.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
