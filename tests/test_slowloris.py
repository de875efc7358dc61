"""Slowloris through the shipped nginx site: hundreds of connections dribbling headers or a body do not
slow real turns, because nginx buffers whole requests before gunicorn sees them (gunicorn's workers are
few; facing clients directly, 10 such sockets made 44% of turns take over 3 s). Real nginx (Debian's,
on loopback), real gunicorn with deploy/gunicorn.conf.py, our own Redis."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_redis import RedisServer
from tests.nginx_site import NginxSite, nginx
from tests.slowloris import slow_clients, timed_turns
from tests.test_deploy import Gunicorn

SLOW = 200
TURNS = 20
FAST_S = 1.0


@pytest.mark.parametrize("body", [False, True], ids=["dribbled-headers", "dribbled-body"])
def test_dribbling_clients_do_not_slow_real_turns_through_nginx(
    body: bool, redis_server: RedisServer, tmp_path: Path
) -> None:
    if nginx() is None:
        pytest.skip("nginx is not installed: `make test` installs Debian's nginx with apt-get when run as root")
    server = Gunicorn(tmp_path, redis_server.url)  # 2 sync workers
    try:
        (tmp_path / "nginx").mkdir()
        with NginxSite(tmp_path / "nginx", server.port) as site, \
                slow_clients(site.port, SLOW, body=body, tls=site.tls()) as opened:
            assert opened == SLOW
            seconds = timed_turns(site.port, TURNS, site.tls())
    finally:
        server.stop()
    assert max(seconds) < FAST_S, sorted(seconds)[-5:]
