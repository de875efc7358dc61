"""A turn's script calls (EVALSHA) on a connection each thread keeps, without redis-py's per-call wrapping.

redis-py's `Script.__call__` goes through the client's command path: a pool checkout and return (a lock,
a fork check), a retry wrapper, telemetry hooks and the response callbacks: about 1,800 Python bytecodes
and 0.15M instructions a call, against a few hundred for what a call needs. This keeps redis-py's
`Connection` (its socket, parser, timeouts, health checks and, under Sentinel, its master discovery) and
does the rest itself, with the client's behaviour: one retry after a connection error or timeout (on a
fresh connection, after a short pause), and a script Redis has lost (a restart, a failover) loaded again.

A Cluster client routes by key and keeps its own connections: its calls go through the client as before.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import redis
import redis.exceptions
from redis.cluster import RedisCluster
from redis.commands.core import Script

RETRY_PAUSE_S = 0.01  # as the client's ExponentialBackoff(base=0.01) before its one retry


class ScriptCalls:
    def __init__(self, client: redis.Redis) -> None:
        self._client = client
        self._direct = not isinstance(client, RedisCluster)
        self._local = threading.local()

    def __call__(self, script: Script, keys: tuple[str, ...] | list[str], args: list[Any]) -> Any:
        if not self._direct:
            return script(keys=keys, args=args)
        command = ("EVALSHA", script.sha, len(keys), *keys, *args)
        for attempt in range(2):
            connection = self._connection()
            try:
                try:
                    connection.send_command(*command)
                    return connection.read_response()
                except redis.exceptions.NoScriptError:
                    connection.send_command("SCRIPT", "LOAD", script.script)
                    connection.read_response()
                    connection.send_command(*command)
                    return connection.read_response()
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
                self._drop(connection)  # the next call takes a fresh one (under Sentinel: from the master now)
                if attempt:
                    raise
                time.sleep(RETRY_PAUSE_S)
        raise AssertionError("unreachable")

    def _drop(self, connection: Any) -> None:
        connection.disconnect()
        self._local.held = None
        self._client.connection_pool.release(connection)

    def _connection(self) -> Any:
        """This thread's connection, taken from the client's pool once (again after a fork: gunicorn's workers)."""
        held = getattr(self._local, "held", None)
        if held is None or held[0] != os.getpid():
            held = (os.getpid(), self._client.connection_pool.get_connection())
            self._local.held = held
        return held[1]
