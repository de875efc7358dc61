"""`make bench`: the real stack against three floors, at rising concurrency, in one run on one machine.

Starts a private Redis (as make run does) and five gunicorns with deploy/gunicorn.conf.py:
the real app; the author floor (bench/author_floor.py: an empty ask-sdk skill with its own
plain view, DefaultSerializer in and out, on sync workers: the fixed yardstick); our-view floor
(bench/floor.py: an empty skill behind our own view and config, so the gap to it is what the
coach adds); the saving floor (bench/saving_floor.py: the author floor plus one durable HSET a
turn on the same Redis: what saving at all costs here); and the real app with signature
verification on (bench/verified_app.py). After a warm-up, each concurrency level alternates
author floor, our-view floor, saving floor and real for a few rounds (so drift on a shared
machine hits all alike) and adds the rounds up. Runners echo each
reply's session attributes, as Alexa does. Prints numbers and asserts nothing. Round trips come
from Redis's own INFO commandstats.
"""

from __future__ import annotations

import argparse
import base64
import json
import resource
import shutil
import time
from pathlib import Path
from typing import Any

import redis
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from werkzeug.datastructures import Headers

from bench import report
from bench.load import run_level, workout_length
from bench.sample import Sample, total
from bench.servers import REPO, Gunicorn, write_throwaway_ca
from bench.verified_app import CERT_URL
from local_redis import RedisServer
from simulator.envelopes import Device
from webhook.verification import RequestVerifier

LEVELS = (1, 4, 16, 32)
ROUNDS = 5                       # floor, real, floor, real, ... per level
WORKOUTS_PER_RUNNER = 4          # per round: max(MIN_WORKOUTS, this x concurrency) whole workouts
MIN_WORKOUTS = 24
TIME_LIMIT_S = 10.0              # per round: no new workout starts after this
CLIENT_PROCESSES = 4             # the load generator's processes (fewer if concurrency is lower)
VERIFY_LEVEL = 8
VERIFY_ROUNDS = 8
SYNC = ("--worker-class", "sync", "--threads", "1")  # both: with the config's threads > 1, sync runs gthread

def commandstats(client: redis.Redis) -> dict[str, int]:
    return {name.removeprefix("cmdstat_"): int(stats["calls"]) for name, stats in client.info("commandstats").items()}


def cpu_now(server: Gunicorn, client: redis.Redis) -> tuple[float, float, float]:
    """(app workers, redis-server, this load generator and its finished children) CPU seconds so far."""
    info = client.info("cpu")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = time.process_time() + children.ru_utime + children.ru_stime
    return server.cpu_seconds(), float(info["used_cpu_user"]) + float(info["used_cpu_sys"]), own


def measure(server: Gunicorn, concurrency: int, client: redis.Redis, **options: Any) -> Sample:
    """One round against one server, with the Redis commands it caused (INFO itself excluded)."""
    before, cpu = commandstats(client), cpu_now(server, client)
    level = run_level("127.0.0.1", server.port, concurrency, max(MIN_WORKOUTS, WORKOUTS_PER_RUNNER * concurrency),
                      time_limit_s=TIME_LIMIT_S, processes=CLIENT_PROCESSES, **options)
    spent = [after - was for after, was in zip(cpu_now(server, client), cpu, strict=True)]
    after = commandstats(client)
    calls = {name: after[name] - before.get(name, 0) for name in after if name != "info"}
    return Sample(level, {name: count for name, count in calls.items() if count}, *spent)


def alternate(runs: dict[str, tuple[Gunicorn, dict[str, Any]]], concurrency: int, client: redis.Redis,
              rounds: int = ROUNDS) -> dict[str, list[Sample]]:
    """`rounds` rounds of each run in turn: the per-round samples of each run."""
    samples: dict[str, list[Sample]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, (server, options) in runs.items():
            samples[name].append(measure(server, concurrency, client, **options))
    return samples


def verify_cost_us(ca_dir: Path, sign: Any, calls: int = 2000) -> float:
    """CPU µs of one RequestVerifier.verify() with the chain cached: the cost verification adds to a turn."""
    chain = (ca_dir / "chain.pem").read_bytes()
    verifier = RequestVerifier(trusted_roots_pem=(ca_dir / "root.pem").read_bytes(), fetch=lambda url, timeout: chain)
    envelope = Device().intent("ReadyIntent")
    body = json.dumps(envelope).encode("utf-8")
    headers = Headers({"Content-Type": "application/json", **sign(body)})
    verifier.verify(headers, body, envelope["request"]["timestamp"])  # fetch and check the chain once
    started = time.process_time()
    for _ in range(calls):
        verifier.verify(headers, body, envelope["request"]["timestamp"])
    return 1e6 * (time.process_time() - started) / calls


def signer_for(ca_dir: Path) -> Any:
    """Signs a body as Alexa does (RSA PKCS#1 v1.5, SHA-256, base64) with the leaf key in ca_dir."""
    leaf_key = serialization.load_pem_private_key((ca_dir / "leaf.key").read_bytes(), password=None)
    assert isinstance(leaf_key, rsa.RSAPrivateKey)
    def sign(body: bytes) -> dict[str, str]:
        signature = leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return {"SignatureCertChainUrl": CERT_URL, "Signature-256": base64.b64encode(signature).decode("ascii")}
    return sign


def bench(servers: dict[str, Gunicorn], client: redis.Redis, levels: tuple[int, ...], ca_dir: Path) -> None:
    started = time.monotonic()
    sign = signer_for(ca_dir)
    for server in servers.values():
        server.start()
    turns = workout_length("127.0.0.1", servers["real"].port)
    for name, server in servers.items():  # warm-up: every worker imports, connects and caches
        run_level("127.0.0.1", server.port, 8, 64, time_limit_s=10, turns_limit=turns,
                  signer=sign if name == "verified" else None, processes=CLIENT_PROCESSES)
    report.intro(turns, {name: (len(server.worker_pids()), server.worker_class()) for name, server in servers.items()},
                 ROUNDS)
    results: dict[int, dict[str, list[Sample]]] = {}
    for concurrency in levels:
        runs = {"author": (servers["author"], {"turns_limit": turns}),
                "floor": (servers["floor"], {"turns_limit": turns}),
                "saving": (servers["saving"], {"turns_limit": turns}), "real": (servers["real"], {})}
        results[concurrency] = alternate(runs, concurrency, client)
        report.rows(results[concurrency])
    report.memory({name: servers[name].rss_mb_per_worker() for name in ("author", "floor", "saving", "real")},
                  total(results[levels[-1]]["real"]).commands)
    runs = {"verify-off": (servers["real"], {"signer": sign}), "verify-on": (servers["verified"], {"signer": sign})}
    verification = alternate(runs, VERIFY_LEVEL, client, rounds=VERIFY_ROUNDS)
    report.verification(verification, VERIFY_LEVEL, verify_cost_us(ca_dir, sign))
    report.goals(results, verification, time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=REPO / "var" / "bench", help="scratch dir (wiped first)")
    parser.add_argument("--levels", type=lambda text: tuple(int(n) for n in text.split(",")), default=LEVELS)
    parser.add_argument("--fsync", choices=("always", "everysec"), default="always",
                        help="the bench Redis's appendfsync (always: as deploy/redis.conf; everysec: to see what "
                             "fsyncing every write costs)")
    args = parser.parse_args(argv)
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    write_throwaway_ca(args.dir / "ca")
    with RedisServer(args.dir / "redis", fsync=args.fsync) as redis_server:
        client = redis.Redis.from_url(redis_server.url)
        env = {"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": "false"}
        servers = {
            "author": Gunicorn("author", "bench.author_floor:create_app()", args.dir, {}, SYNC),
            "floor": Gunicorn("floor", "bench.floor:create_floor_app()", args.dir, {}),
            "saving": Gunicorn("saving", "bench.saving_floor:create_app()", args.dir, env, SYNC),
            "real": Gunicorn("real", "webhook:create_app()", args.dir, env),
            "verified": Gunicorn("verified", "bench.verified_app:create_app()", args.dir,
                                 {**env, "ALEXA_VERIFY_REQUESTS": "true", "BENCH_CA_DIR": str(args.dir / "ca")}),
        }
        try:
            bench(servers, client, args.levels, args.dir / "ca")
        finally:
            for server in servers.values():
                server.stop()
            client.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
