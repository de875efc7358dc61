"""deploy/gunicorn.conf.py under a real gunicorn: it serves a turn, counts it across workers, logs it
as JSON without the user id, and on SIGTERM lets a turn in flight finish before exiting 0.

Each test starts its own gunicorn (2 workers, multiprocess metrics in a tmp dir) on a free port,
against the session's own Redis; nothing waits on a fixed sleep except the deliberate slow Redis.
"""

from __future__ import annotations

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from local_redis import RedisServer, free_port
from simulator.envelopes import Device
from tests.ssml_check import validate_response

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
SETTINGS = runpy.run_path(str(CONFIG))
DEADLINE_S = 30.0


def wait_for(check: Callable[[], Any], what: str, timeout: float = DEADLINE_S) -> Any:
    """Poll `check` until it returns something truthy, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


class Gunicorn:
    """`gunicorn -c deploy/gunicorn.conf.py 'webhook:create_app()'` as production runs it, on a free port."""

    def __init__(self, tmp: Path, redis_url: str, **env: str) -> None:
        self.port = free_port()
        self.stdout, self.stderr = tmp / "stdout.log", tmp / "stderr.log"
        self.metrics_dir = tmp / "metrics"
        environ = {k: v for k, v in os.environ.items() if k not in {"BIND", "PROMETHEUS_MULTIPROC_DIR"}}
        environ.update(PORT=str(self.port), REDIS_URL=redis_url, ALEXA_VERIFY_REQUESTS="false",
                       WEB_CONCURRENCY="2", PROMETHEUS_MULTIPROC_DIR=str(self.metrics_dir), **env)
        with open(self.stdout, "wb") as out, open(self.stderr, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", str(CONFIG), "webhook:create_app()"],
                cwd=ROOT, env=environ, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            )
        wait_for(self._healthy, "gunicorn to answer /healthz")

    def _healthy(self) -> bool:
        assert self.process.poll() is None, f"gunicorn exited early:\n{self.stderr.read_text()}"
        try:
            return self.get("/healthz")[0] == 200
        except OSError:
            return False

    def get(self, path: str) -> tuple[int, str]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as reply:
            return reply.status, reply.read().decode()

    def post(self, envelope: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/alexa", data=json.dumps(envelope).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=DEADLINE_S) as reply:
            return reply.status, json.loads(reply.read())

    def logged(self, text: str) -> bool:
        return text in self.stderr.read_text()

    def stop(self) -> int:
        """SIGTERM, as systemd and docker stop send; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=SETTINGS["graceful_timeout"] + 10)


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Gunicorn]]:
    started: list[Gunicorn] = []

    def _start(redis_url: str, **env: str) -> Gunicorn:
        started.append(Gunicorn(tmp_path, redis_url, **env))
        return started[-1]

    yield _start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def turns_counted(server: Gunicorn) -> float:
    families = text_string_to_metric_families(server.get("/metrics")[1])
    return sum(sample.value for family in families if family.name == "hc_turns" for sample in family.samples
               if sample.name == "hc_turns_total" and sample.labels == {
                   "request_type": "LaunchRequest", "intent": "none", "outcome": "ok"})


def test_settings_fit_alexa() -> None:
    assert 8 <= SETTINGS["graceful_timeout"] <= 30, "a turn in flight needs Alexa's 8 s to finish"
    assert 8 <= SETTINGS["timeout"] <= 30
    assert SETTINGS["bind"] == ["127.0.0.1:8000"] or "BIND" in os.environ or "PORT" in os.environ
    assert 1 <= SETTINGS["workers"] <= 8 and SETTINGS["worker_class"] == "sync"
    assert SETTINGS["threads"] == 1  # with more, gunicorn would silently run gthread
    assert SETTINGS["preload_app"] is False  # each worker opens its own Redis connections
    assert "%(U)s" in SETTINGS["access_log_format"] and "%(q)s" not in SETTINGS["access_log_format"]
    assert callable(SETTINGS["child_exit"]) and callable(SETTINGS["on_starting"])


def test_gunicorn_serves_turns_counts_them_across_workers_and_logs_json(
    start: Callable[..., Gunicorn], redis_server: RedisServer, redis_client: Any
) -> None:
    server = start(redis_server.url)
    device = Device()
    turns = 6
    for _ in range(turns):
        envelope = device.launch()
        status, payload = server.post(envelope)
        assert status == 200
        validate_response(payload)
        assert "Welcome" in payload["response"]["outputSpeech"]["ssml"]
    for _ in range(4):  # whichever worker answers the scrape, it adds up every worker's files
        assert turns_counted(server) == turns
    assert list(server.metrics_dir.glob("counter_*.db")), "multiprocess mode is not in use"
    assert server.stop() == 0
    lines = [json.loads(line) for line in server.stderr.read_text().splitlines() if line.strip()]
    turn_lines = [line for line in lines if line["logger"] == "webhook.turn"]
    assert len(turn_lines) == turns
    assert turn_lines[-1]["request_id"] == envelope["request"]["requestId"]
    assert {"intent", "outcome", "latency_ms", "status"} <= turn_lines[-1].keys()
    everything = server.stderr.read_text() + server.stdout.read_text()
    assert device.user_id not in everything
    access = server.stdout.read_text()
    assert "GET /healthz 200" in access and "/alexa" not in access  # a turn has its turn line, not two lines


class SlowRedis:
    """A TCP proxy in front of our Redis that can hold one script call (EVALSHA) until released:
    a turn that is certainly in flight, inside the worker, for as long as the test wants."""

    def __init__(self, socket_path: Path) -> None:
        self.target = str(socket_path)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.armed, self.held, self.release = False, threading.Event(), threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(self.target)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, from_client: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if from_client and self.armed and b"EVALSHA" in chunk:
                    self.armed = False
                    self.held.set()
                    self.release.wait(timeout=DEADLINE_S)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                sock.close()

    def close(self) -> None:
        self.release.set()
        self.listener.close()


def test_sigterm_lets_the_turn_in_flight_finish(start: Callable[..., Gunicorn], redis_server: RedisServer) -> None:
    slow = SlowRedis(redis_server.socket_path)
    try:
        # A generous Redis timeout: this test holds a reply on purpose.
        server = start(slow.url, REDIS_TIMEOUT_SECONDS="10")
        result: dict[str, Any] = {}
        slow.armed = True
        client = threading.Thread(target=lambda: result.update(reply=server.post(Device().launch())))
        client.start()
        wait_for(slow.held.is_set, "the turn to reach Redis")
        server.process.send_signal(signal.SIGTERM)
        wait_for(lambda: server.logged("Handling signal: term"), "gunicorn to take the SIGTERM")
        time.sleep(0.3)  # the slow Redis: the workers now have their SIGTERM, the turn is still waiting
        assert server.process.poll() is None, "gunicorn exited with a turn in flight"
        slow.release.set()
        client.join(timeout=DEADLINE_S)
        status, payload = result["reply"]
        assert status == 200
        validate_response(payload)
        assert "Welcome" in payload["response"]["outputSpeech"]["ssml"]  # not the "can't reach" apology
        assert server.process.wait(timeout=SETTINGS["graceful_timeout"] + 5) == 0
        assert server.logged("Worker exiting")
    finally:
        slow.close()


def test_a_malformed_request_is_logged_without_the_client_address(start: Callable[..., Gunicorn],
                                                                  redis_server: RedisServer) -> None:
    server = start(redis_server.url)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"NOT A REQUEST LINE\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 400")
    wait_for(lambda: server.logged("Invalid request"), "gunicorn to log the bad request")
    assert server.stop() == 0
    invalid = [line for line in server.stderr.read_text().splitlines() if "Invalid request" in line]
    assert invalid and not any("127.0.0.1" in line for line in invalid), invalid


def test_a_chunked_body_over_the_limit_is_413(start: Callable[..., Gunicorn], redis_server: RedisServer) -> None:
    server = start(redis_server.url)
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5)) + b"0\r\n\r\n"  # 320 KiB
    head = (b"POST /alexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + body)
        answer = b""
        while part := sock.recv(65536):
            answer += part
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
