"""The project's own redis-server: started, owned and stopped by `make run`, `make chat`, the tests and
the benchmark, so none of them depends on (or touches) a Redis installed on the machine."""

from local_redis.server import MAX_PORT, RedisServer, RedisServerError, find_redis_server, free_port

__all__ = ["MAX_PORT", "RedisServer", "RedisServerError", "find_redis_server", "free_port"]
