"""`python -m bench.slowloris`: real turns while sockets dribble headers or a body, against gunicorn
directly and through the shipped nginx site (Debian's nginx, needs to be installed). Asserts nothing."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.servers import Gunicorn
from local_redis import RedisServer
from tests.nginx_site import NginxSite
from tests.slowloris import slow_clients, timed_turns

TURNS = 10


def row(target: str, slow: int, body: bool, port: int, tls: object) -> str:
    with slow_clients(port, slow, body=body, tls=tls) as opened:  # type: ignore[arg-type]
        seconds = timed_turns(port, TURNS, tls)  # type: ignore[arg-type]
    over = sum(1 for value in seconds if value > 3)
    worst = max(seconds)
    return (f"| {target} | {opened} | {'body' if body else 'headers'} | {statistics.median(seconds):.3f} | "
            f"{'timeout' if worst == float('inf') else f'{worst:.2f}'} | {100 * over // TURNS}% |")


def main() -> None:
    print("| target | dribbling sockets | dribbled | p50 s/turn | worst s | turns over 3 s |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp, RedisServer(Path(tmp) / "redis") as redis_server:
        env = {"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": "false", "WEB_CONCURRENCY": "2"}
        server = Gunicorn("real", "webhook:create_app()", Path(tmp), env).start()
        try:
            (Path(tmp) / "nginx").mkdir()
            with NginxSite(Path(tmp) / "nginx", server.port) as site:
                for slow in (10, 200):
                    for body in (False, True):
                        print(row("gunicorn directly", slow, body, server.port, None), flush=True)
                        print(row("through nginx", slow, body, site.port, site.tls()), flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
