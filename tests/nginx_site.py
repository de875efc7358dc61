"""The shipped nginx site (deploy/nginx/hamstring-coach.conf), run by a test on loopback: Debian's nginx,
its listen ports moved to a free loopback port, a throwaway certificate, the upstream pointed at the
test's own gunicorn. `make test` installs nginx with apt-get when it runs as root (CI does)."""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path
from types import TracebackType

from local_redis import free_port
from tests.nginx_conf import self_signed_pair

SITE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "hamstring-coach.conf"


def nginx() -> str | None:
    return shutil.which("nginx") or (shutil.which("nginx", path="/usr/sbin:/sbin"))


class NginxSite:
    def __init__(self, folder: Path, upstream_port: int) -> None:
        self.folder, self.port = folder, free_port()
        site = SITE.read_text()
        cert, key = self_signed_pair(folder, "coach.example.com")
        site = re.sub(r"/etc/letsencrypt/live/[^;]+/fullchain\.pem", str(cert), site)
        site = re.sub(r"/etc/letsencrypt/live/[^;]+/privkey\.pem", str(key), site)
        site = re.sub(r"^\s*listen \[::\]:.*$", "", site, flags=re.M)
        site = re.sub(r"listen 80\b", f"listen 127.0.0.1:{free_port()}", site)
        site = re.sub(r"listen 443\b", f"listen 127.0.0.1:{self.port}", site)
        site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
        (folder / "site.conf").write_text(site)
        (folder / "nginx.conf").write_text(
            f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nworker_processes 1;\n"
            f"events {{ worker_connections 2048; }}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n"
            f"  proxy_temp_path {folder}/proxy;\n  include {folder}/site.conf;\n}}\n")
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> NginxSite:
        binary = nginx()
        assert binary is not None
        self.process = subprocess.Popen([binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                                         "-e", str(self.folder / "error.log"), "-g", "daemon off; user root;"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.folder / "error.log").read_text(errors="replace")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nginx did not start listening")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # our own throwaway certificate
        return context
