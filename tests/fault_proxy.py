"""A TCP proxy between the app and a redis-server of the test's own, that injects the faults of a Redis
stall at the worst moment: when a chosen command (the turn's write script) arrives, it either SIGSTOPs
redis-server (the command waits in the socket, and runs when Redis is continued) or passes the command on
and holds Redis's replies on that connection (the write ran; the app does not hear so).

A fault lasts `seconds` (a timer ends it), or until `release()` when seconds is None; `stall()` stops Redis
at a moment the test chooses, on top of an armed fault. Only the test's own redis-server is ever stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import threading
from pathlib import Path

from skill.store import script

WRITE_SHA = hashlib.sha1(script("write").encode("utf-8")).hexdigest().encode("ascii")


class FaultProxy:
    def __init__(self, unix_socket: Path, redis_pid: int) -> None:
        self.target, self.redis_pid = str(unix_socket), redis_pid
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.fired = threading.Event()        # the armed command has arrived
        self._mode: str | None = None         # "stop" or "hold" while armed
        self._marker = WRITE_SHA
        self._released = threading.Event()
        self._stopped = False
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, mode: str, seconds: float | None, marker: bytes = WRITE_SHA) -> None:
        """The next time `marker` arrives: "stop" Redis, or "hold" its replies, for `seconds` (None: until release)."""
        assert mode in ("stop", "hold")
        self.fired.clear()
        self._released.clear()
        self._marker, self._seconds, self._mode = marker, seconds, mode

    @property
    def ended(self) -> bool:
        """The armed fault has fired and is over."""
        return self.fired.is_set() and self._released.is_set()

    def release(self) -> None:
        """End the fault now: continue Redis, deliver what was held."""
        self._mode = None
        self._released.set()
        with self._lock:
            if self._stopped:
                os.kill(self.redis_pid, signal.SIGCONT)
                self._stopped = False

    def stall(self) -> None:
        """SIGSTOP redis-server now, whatever is armed (until `release()`)."""
        with self._lock:
            if not self._stopped:
                os.kill(self.redis_pid, signal.SIGSTOP)
                self._stopped = True
        self._released.clear()

    def close(self) -> None:
        self.release()
        self.listener.close()

    def _fire(self) -> None:
        self.fired.set()
        if self._mode == "stop":
            with self._lock:
                os.kill(self.redis_pid, signal.SIGSTOP)
                self._stopped = True
        if self._seconds is not None:
            timer = threading.Timer(self._seconds, self.release)
            timer.daemon = True
            timer.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX)
            try:
                upstream.connect(self.target)
            except OSError:  # the test's redis-server is gone (a late client after the test): refuse it
                _close(client, upstream)
                continue
            held = threading.Event()  # this connection's replies are held
            threading.Thread(target=self._requests, args=(client, upstream, held), daemon=True).start()
            threading.Thread(target=self._replies, args=(upstream, client, held), daemon=True).start()

    def _requests(self, client: socket.socket, upstream: socket.socket, held: threading.Event) -> None:
        with contextlib.suppress(OSError):
            while chunk := client.recv(65536):
                if self._mode is not None and self._marker in chunk:
                    if self._mode == "hold":
                        held.set()
                    if not self.fired.is_set():
                        self._fire()
                upstream.sendall(chunk)
        _close(client, upstream)

    def _replies(self, upstream: socket.socket, client: socket.socket, held: threading.Event) -> None:
        with contextlib.suppress(OSError):
            while chunk := upstream.recv(65536):
                if held.is_set():
                    self._released.wait(timeout=60)
                client.sendall(chunk)
        _close(client, upstream)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.close()
