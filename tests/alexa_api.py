"""A local stand-in for the Alexa APIs behind `context.System.apiEndpoint` (timers, reminders, settings).

The one faked outside edge for those APIs: a real HTTP server on loopback that
the skill's real client (`skill.alexa.api`) talks to. It records every request
(method, path, headers, JSON body) and answers from a table a test fills:
`api.answer("POST", "/v1/alerts/timers", 201, {"id": "t1"})`, a status with no
body, or `delay=` seconds before answering (a slow API, for deadlines).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Answer:
    status: int
    body: Any = None
    delay: float = 0.0


@dataclass
class AlexaApiStandIn:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, method: str, path: str, status: int, body: Any = None, *, delay: float = 0.0) -> None:
        """Answer `method` on paths starting with `path` (the longest match wins); 404 for anything unset."""
        with self.lock:
            self.answers[(method, path)] = Answer(status, body, delay)

    def find(self, method: str, path: str) -> Answer:
        with self.lock:
            matches = [(p, a) for (m, p), a in self.answers.items() if m == method and path.startswith(p)]
        return max(matches, key=lambda item: len(item[0]))[1] if matches else Answer(404, {"message": "not found"})

    def requests(self, method: str | None = None, path: str = "") -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if (method is None or s.method == method) and s.path.startswith(path)]


def _handler(api: AlexaApiStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures, not traffic
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            with api.lock:
                api.seen.append(Seen(self.command, self.path, dict(self.headers), body))
            answer = api.find(self.command, self.path)
            if answer.delay:
                time.sleep(answer.delay)  # the stand-in is slow on purpose: the client must not wait for it
            data = b"" if answer.body is None else json.dumps(answer.body).encode("utf-8")
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting: that was the point
                pass

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


@contextmanager
def alexa_api_stand_in() -> Iterator[AlexaApiStandIn]:
    api = AlexaApiStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
