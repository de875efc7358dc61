"""The shipped nginx site (deploy/nginx/hamstring-coach.conf) in front of a bench gunicorn: bench only.

The site is used as shipped (upstream keep-alive, the /alexa and /healthz locations, body limit,
proxy timeouts) with three changes a loopback benchmark needs: plain HTTP on a free port instead
of TLS on 443 (TLS costs nginx the same whatever is behind it), no port-80 redirect server, and
the upstream pointed at the bench's gunicorn. One nginx worker, as on a small box beside the app.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from local_redis import free_port

SITE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "hamstring-coach.conf"
START_TIMEOUT_S = 10.0


def available() -> bool:
    return shutil.which("nginx") is not None


def site_for(upstream_port: int, port: int) -> str:
    """The shipped site, as plain HTTP on 127.0.0.1:port, proxying to 127.0.0.1:upstream_port."""
    text = SITE.read_text(encoding="utf-8")
    text = re.sub(r"(?s)# Port 80.*?\n}\n", "", text)  # the redirect server
    text = re.sub(r"\n\s*listen \[::\]:443 ssl;", "", text)
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    text = re.sub(r"\n\s*ssl_[a-z_]+ [^;]*;", "", text)
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    assert "ssl" not in text.split("#")[0] and f":{upstream_port};" in text, "the shipped site changed shape"
    return text


class Nginx:
    """nginx -p DIR with the shipped site in front of `upstream_port`; started, stopped, nothing else."""

    def __init__(self, folder: Path, upstream_port: int) -> None:
        self.folder, self.upstream_port, self.port = folder, upstream_port, 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Nginx:
        self.port = free_port()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "site.conf").write_text(site_for(self.upstream_port, self.port))
        temp = self.folder / "temp"
        temp.mkdir(exist_ok=True)
        (self.folder / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 1;\nuser root;\npid {self.folder}/nginx.pid;\n"
            f"error_log {self.folder}/error.log warn;\nevents {{ worker_connections 1024; }}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {temp};\n  proxy_temp_path {temp};\n"
            f"  include {self.folder}/site.conf;\n}}\n")
        with open(self.folder / "stderr.log", "wb") as err:
            self.process = subprocess.Popen(["nginx", "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")],
                                            stdin=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (self.folder / "nginx.pid").exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {(self.folder / 'stderr.log').read_text()}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish the requests in flight
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
