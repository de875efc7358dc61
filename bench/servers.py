"""The processes a bench run starts: gunicorn with production's settings, and a throwaway CA.

Each gunicorn runs deploy/gunicorn.conf.py unchanged (workers, gthread threads, keep-alive,
access log, JSON logs); only BIND and the environment differ. Logs go to files under the
run's directory, as they would go to journald, so their cost is part of what is measured.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from local_redis import free_port
from tests import throwaway_ca  # the tests' WebPKI-shaped CA, reused rather than copied

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 30.0


class Gunicorn:
    """One gunicorn master (and its workers) serving `app` on a free loopback port."""

    def __init__(self, name: str, app: str, run_dir: Path, env: dict[str, str], args: tuple[str, ...] = ()) -> None:
        self.name, self.app, self.run_dir, self.env, self.args = name, app, run_dir, env, args
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Gunicorn:
        self.port = free_port()
        metrics_dir = self.run_dir / f"metrics-{self.name}"
        metrics_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "BIND": f"127.0.0.1:{self.port}", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
               **self.env}
        env.pop("SIMULATOR", None)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with open(self.run_dir / f"{self.name}.out.log", "ab") as out, \
                open(self.run_dir / f"{self.name}.err.log", "ab") as err:
            self.process = subprocess.Popen(
                [str(gunicorn), "--config", str(REPO / "deploy" / "gunicorn.conf.py"), *self.args, self.app],
                cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        self._wait_answering()
        return self

    def _wait_answering(self) -> None:
        """Poll until some worker answers HTTP (any status), or fail with the log tail."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.1)
        tail = (self.run_dir / f"{self.name}.err.log").read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"gunicorn {self.name} did not answer within {START_TIMEOUT_S} s:\n{tail}")

    def worker_class(self) -> str:
        """The worker class gunicorn says it runs ("sync", "gthread"): `-k sync` with threads > 1 is gthread."""
        for line in (self.run_dir / f"{self.name}.err.log").read_text(errors="replace").splitlines():
            if "Using worker: " in line:
                return line.split("Using worker: ", 1)[1].split('"')[0].strip()
        return "unknown"

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(child) for child in children.read_text().split()] if children.exists() else []

    def rss_mb_per_worker(self) -> float:
        """Mean resident memory of the workers now (VmRSS from /proc)."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sum(sizes) / len(sizes) if sizes else float("nan")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far, from /proc/<pid>/stat."""
        total = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the line)
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM: gunicorn's graceful stop; SIGKILL only if it overstays."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def write_throwaway_ca(ca_dir: Path) -> None:
    """root.pem and chain.pem for bench/verified_app.py, and leaf.key for the load generator to sign with."""
    now = dt.datetime.now(dt.UTC)
    chain = throwaway_ca.make_chain(not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=30))
    ca_dir.mkdir(parents=True, exist_ok=True)
    (ca_dir / "root.pem").write_bytes(throwaway_ca.trusted_root_pem())
    (ca_dir / "chain.pem").write_bytes(chain.pem)
    key = chain.leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    (ca_dir / "leaf.key").write_bytes(key)
