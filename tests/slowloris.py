"""Slow clients and real turns, for the slowloris test and bench/slowloris.py: `slow` sockets that dribble
their headers (or, with `body`, a body) one byte at a time, while real turns are timed."""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any

from simulator.envelopes import Device

DRIP_EVERY_S = 0.5


@contextlib.contextmanager
def slow_clients(port: int, count: int, *, body: bool = False, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """`count` connections that each send a little of a request every DRIP_EVERY_S; yields how many opened."""
    stop, sockets = threading.Event(), []
    for _ in range(count):
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if tls is not None:
                sock = tls.wrap_socket(sock, server_hostname="coach.example.com")
            head = "POST /alexa HTTP/1.1\r\nHost: coach.example.com\r\n"
            if body:
                head += "Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"
            sock.sendall(head.encode())
            sockets.append(sock)
        except OSError:
            break

    def drip() -> None:
        while not stop.wait(DRIP_EVERY_S):
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(b" " if body else b"X-a: b\r\n"[:1])

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    try:
        yield len(sockets)
    finally:
        stop.set()
        thread.join(timeout=5)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()


def timed_turns(port: int, count: int, tls: ssl.SSLContext | None = None) -> list[float]:
    """Seconds each of `count` real launch turns took (new connection each: as a fresh Alexa request)."""
    seconds = []
    for _ in range(count):
        body = json.dumps(Device().launch()).encode()
        request = (f"POST /alexa HTTP/1.1\r\nHost: coach.example.com\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
        started = time.monotonic()
        answer = _exchange(port, request, tls)
        seconds.append(time.monotonic() - started if answer.startswith(b"HTTP/1.1 200") else float("inf"))
    return seconds


def _exchange(port: int, request: bytes, tls: ssl.SSLContext | None) -> bytes:
    try:
        raw = socket.create_connection(("127.0.0.1", port), timeout=8)  # Alexa waits about 8 s
        sock: Any = tls.wrap_socket(raw, server_hostname="coach.example.com") if tls else raw
        with sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
            return answer
    except OSError:
        return b""
