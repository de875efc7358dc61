"""A real local Redis Sentinel deployment for tests: 1 master, 1 replica, 3 sentinels (quorum 2).

Sentinels start only once the replica is in sync and are waited for until each knows
the replica and the other two, so a failover can win its vote the moment it is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import redis

from tests.cluster import CLUSTER_TIMEOUT_S, Deployment, Node, data_node, wait_until

MASTER_NAME = "mymaster"


class LocalSentinel(Deployment):
    def __init__(self, root: Path) -> None:
        self.master = Node(root / "master", data_node())
        self.replica = Node(root / "replica", [])
        self.sentinels = [Node(root / f"sentinel{i}", [], sentinel=True) for i in range(3)]

    @property
    def setting(self) -> str:
        """What REDIS_SENTINELS says: host:port,host:port,host:port."""
        return ",".join(node.address for node in self.sentinels)

    def app_config(self) -> dict[str, Any]:
        return {"REDIS_SENTINELS": self.setting, "REDIS_SENTINEL_MASTER": MASTER_NAME, "REDIS_WAIT_REPLICAS": 1}

    def start(self) -> LocalSentinel:
        self.master.start()
        self.replica.lines = data_node(f"replicaof 127.0.0.1 {self.master.port}")
        self.replica.start()
        with self.master.client(decode_responses=True) as probe:
            wait_until("the replica to sync", lambda: _replicas_online(probe) == 1)
        for sentinel in self.sentinels:
            sentinel.lines = [
                f"sentinel monitor {MASTER_NAME} 127.0.0.1 {self.master.port} 2",
                f"sentinel down-after-milliseconds {MASTER_NAME} 1000",
                f"sentinel failover-timeout {MASTER_NAME} 3000",
            ]
            sentinel.start()
        wait_until("sentinels to know the replica and each other", self._sentinels_ready, CLUSTER_TIMEOUT_S)
        return self

    def _sentinels_ready(self) -> bool:
        for sentinel in self.sentinels:
            with sentinel.client(decode_responses=True) as probe:
                state = probe.sentinel_master(MASTER_NAME)
            if state["num-slaves"] != 1 or state["num-other-sentinels"] != 2:
                return False
        return True

    def master_port(self) -> int:
        """The master's port as the first sentinel reports it now."""
        with self.sentinels[0].client(decode_responses=True) as probe:
            _, port = probe.sentinel_get_master_addr_by_name(MASTER_NAME)
        return int(port)

    def serving(self, key: str) -> tuple[Node, list[Node]]:
        """(master, live replicas) as the sentinels see them now; every key lives on the master."""
        del key
        port = self.master_port()
        master = next(node for node in (self.master, self.replica) if node.port == port)
        return master, [node for node in (self.master, self.replica) if node is not master and node.process]

    def stop(self) -> None:
        for node in (*self.sentinels, self.replica, self.master):
            node.kill()


def _replicas_online(probe: redis.Redis) -> int:
    info = probe.info("replication")
    return sum(1 for name, value in info.items() if name.startswith("slave") and value.get("state") == "online")
