"""gunicorn settings for the webhook: `gunicorn --config deploy/gunicorn.conf.py 'webhook:create_app()'`.

Environment: PORT (default 8000, on 127.0.0.1: a TLS proxy sits in front), BIND (a whole
bind address, overrides PORT), WEB_CONCURRENCY (worker processes), PROMETHEUS_MULTIPROC_DIR
(where workers keep their metrics: set it before gunicorn starts; wiped at each start).

Shutdown: SIGTERM (systemd stop, docker stop) is graceful. The master stops listening,
each worker finishes the turns it has in flight (up to graceful_timeout), then all exit 0.
"""

import glob
import importlib.util
import math
import os
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger


def _cpus() -> int:
    """CPUs we may actually use: the affinity set, capped by a cgroup v2 quota (a container's --cpus)."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            count = min(count, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return count


# Loopback only by default: Alexa needs HTTPS, which the proxy in front terminates.
bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]

# A turn is mostly CPU with two short Redis round trips, so 2 x CPUs + 1 processes keep the
# CPUs busy; capped at 8 because each worker holds its own Redis pool.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cpus() + 1, 8))

# Sync workers, chosen from `make bench-workers` (the real app behind the shipped nginx, 5
# workers of each class on a 2-core box, rounds alternated; five runs on a shared machine):
#   16 runners: p99 42-119 ms on sync, 71-256 ms on gthread x 4 (1.4-2.1x sync's); sync's
#               throughput 0.70-0.96x gthread's (CPU per turn about 7% higher: a TCP connection
#               from nginx per request, as sync does not keep connections alive).
#   32 runners: gthread's p99 1.4-2.1x sync's; sync's throughput 0.78-0.95x gthread's.
#   1-4 runners (this skill's usual load): the same within noise.
# The tail is what the goal measures and what a runner waits for, so sync it is.
# gthread's tail comes from keep-alive connections sticking to the worker that accepted them while
# its threads share one GIL; a sync worker takes a request only when it is free, so the kernel's
# accept queue spreads the load. Sync's usual weakness, a slow client holding a worker, is nginx's
# job here: it buffers whole requests and responses (deploy/nginx/). The price is paid when Redis
# hangs: only `workers` turns wait on it at once (each gets its spoken apology after the Redis
# timeout and one retry, about 1 s), the rest queue in nginx, and /healthz waits with them
# (up to 3 s in a 3 s hang, against 1 s on gthread). Alexa's 8 s still covers a hang of a few
# seconds at this traffic; a longer one is an outage either way (see /readyz).
worker_class = "sync"
threads = 1  # must stay 1: with threads > 1, gunicorn silently runs gthread even for "sync"

# Alexa gives up after about 8 s. `timeout` restarts a worker that stops checking in (hung);
# a single slow turn is bounded by the Redis timeouts instead (webhook/config.py).
timeout = 10
# SIGTERM: a turn already running gets this long to finish (more than Alexa's 8 s).
graceful_timeout = 10
keepalive = 5  # gthread only (sync closes after each response; nginx keeps Alexa's connections)

# The worker heartbeat file on tmpfs: a slow or full disk must not look like a hung worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Method, path, status and duration only: no query string, no headers, no client address,
# so nothing in the access log identifies a runner.
accesslog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"


class TurnLinesLogger(Logger):
    """gunicorn's logger without the access line of a turn (POST /alexa): the app writes one JSON
    line per turn with the status and latency already (webhook/metrics.py), so gunicorn's would
    only say it again, at a cost on every turn. Other requests keep their access line."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if environ.get("PATH_INFO") == "/alexa" and environ.get("REQUEST_METHOD") == "POST":
            return
        super().access(resp, req, environ, request_time)


logger_class = TurnLinesLogger

# Each worker builds its own app (and its own Redis connections) after the fork.
preload_app = False

# gunicorn >= 25 opens a control socket at one shared default path per user, so two
# instances (make run beside a test server) would collide; we do not use gunicornc.
control_socket_disable = True


def _logs() -> Any:
    """webhook/logs.py, loaded by path: it needs only the standard library, and importing the `webhook`
    package here would load the whole app (and its metrics) into the master."""
    path = Path(__file__).resolve().parent.parent / "webhook" / "logs.py"
    spec = importlib.util.spec_from_file_location("hamstring_coach_logs", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _json_formatter() -> object:
    return _logs().JsonFormatter()


def _no_client_address() -> object:
    return _logs().NoClientAddress()


# gunicorn's own lines (boot, worker exits, access log) as JSON too, so the whole stream parses;
# the app's root handler is added by webhook.logs.configure_logging in each worker.
logconfig_dict = {
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr",
                   "filters": ["no_client_address"]},
        "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout",
                   "filters": ["no_client_address"]},
    },
    "formatters": {"json": {"()": _json_formatter}},
    "filters": {"no_client_address": {"()": _no_client_address}},  # "Invalid request from ip=..."
}


def on_starting(server: Any) -> None:  # gunicorn's Arbiter
    """Empty the metrics directory: samples left by an earlier run would be added to this one's."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        if server.cfg.workers > 1:
            server.log.warning("PROMETHEUS_MULTIPROC_DIR is not set: /metrics shows one worker's share only")
        return
    os.makedirs(path, exist_ok=True)
    for stale in glob.glob(os.path.join(path, "*.db")):
        os.remove(stale)


def child_exit(server: Any, worker: Any) -> None:  # gunicorn's Arbiter and Worker
    """A worker is gone: drop its live-gauge files (prometheus_client's multiprocess bookkeeping)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # here, not at the top: the master needs it only now

        multiprocess.mark_process_dead(worker.pid)
