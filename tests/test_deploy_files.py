"""The deploy recipes checked offline: systemd units, redis.conf, the nginx site, compose and the Dockerfile.

Structure is always checked here; where the real tool is on PATH (nginx -t, systemd-analyze verify,
docker-compose config) it checks the file too. redis.conf and the image's file list are checked
with real programs we always have (our redis-server, gunicorn --check-config).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import redis

from local_redis import find_redis_server, free_port
from tests.nginx_conf import Directive, find, parse, self_signed_pair
from webhook.config import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GRACEFUL_TIMEOUT_S = 10  # deploy/gunicorn.conf.py (test_deploy.py checks it against Alexa's 8 s)


def unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit: section -> key -> every value given (keys like Environment= may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        else:
            key, _, value = line.partition("=")
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_webhook_unit_runs_gunicorn_with_our_config_and_stops_gracefully() -> None:
    service = unit(DEPLOY / "systemd" / "hamstring-coach.service")["Service"]
    command = service["ExecStart"][0].split()
    assert command[0].endswith("/gunicorn") and command[1:3] == ["--config", "deploy/gunicorn.conf.py"]
    assert command[3].strip('"') == "webhook:create_app()"
    assert (ROOT / command[2]).is_file()
    assert service["Restart"] == ["on-failure"] and service["Type"] == ["notify"]
    assert service["KillMode"] == ["mixed"] and int(service["TimeoutStopSec"][0]) > GRACEFUL_TIMEOUT_S
    assert service["User"] != ["root"] and service["WorkingDirectory"]
    metrics_dir = next(v.split("=", 1)[1] for v in service["Environment"] if v.startswith("PROMETHEUS_MULTIPROC_DIR="))
    assert metrics_dir.removeprefix("/run/") in service["RuntimeDirectory"][0].split()


def test_redis_unit_runs_an_append_only_redis() -> None:
    sections = unit(DEPLOY / "systemd" / "hamstring-coach-redis.service")
    service = sections["Service"]
    command = service["ExecStart"][0].split()
    assert command[0].endswith("redis-server") and command[1] == "/etc/hamstring-coach/redis.conf"
    assert service["Restart"] == ["on-failure"]
    config = dict(line.split(None, 1) for line in (DEPLOY / "redis.conf").read_text().splitlines()
                  if line.strip() and not line.startswith("#"))
    assert config["appendonly"] == "yes" and config["maxmemory-policy"] == "noeviction"
    assert config["appendfsync"] == "always"  # an acknowledged turn is on disk
    assert config["unixsocket"].startswith(f"/run/{service['RuntimeDirectory'][0]}/")
    assert config["dir"] == f"/var/lib/{service['StateDirectory'][0]}"
    webhook = unit(DEPLOY / "systemd" / "hamstring-coach.service")["Unit"]
    assert "hamstring-coach-redis.service" in webhook["After"][0].split()


def test_systemd_analyze_accepts_the_units(tmp_path: Path) -> None:
    """With systemd-analyze on PATH, `verify` (binaries swapped for ones that exist here); else parse only."""
    copies = []
    for path in sorted((DEPLOY / "systemd").glob("*.service")):
        text = re.sub(r"^ExecStart=\S+", f"ExecStart={shutil.which('true')}", path.read_text(), flags=re.M)
        (tmp_path / path.name).write_text(text)
        copies.append(str(tmp_path / path.name))
        assert {"Unit", "Service", "Install"} <= unit(tmp_path / path.name).keys()
    assert len(copies) == 2
    if shutil.which("systemd-analyze"):
        result = subprocess.run(["systemd-analyze", "verify", *copies], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_redis_conf_starts_a_real_redis_with_aof_on() -> None:
    """Our redis-server reads deploy/redis.conf (paths moved to a tmp dir) and reports AOF on."""
    work = Path(tempfile.mkdtemp(prefix="rc-", dir="/tmp"))  # short: a unix socket path must fit 107 bytes
    try:
        text = (DEPLOY / "redis.conf").read_text()
        text = re.sub(r"^dir .*$", f"dir {work}", text, flags=re.M)
        text = re.sub(r"^unixsocket .*$", f"unixsocket {work}/redis.sock", text, flags=re.M)
        (work / "redis.conf").write_text(text)
        with open(work / "redis.out", "wb") as out:
            process = subprocess.Popen([find_redis_server(), str(work / "redis.conf")], stdout=out, stderr=out)
        client = redis.Redis(unix_socket_path=str(work / "redis.sock"), socket_timeout=2)
        try:
            deadline = time.monotonic() + 10
            while not (work / "redis.sock").exists():
                assert process.poll() is None, (work / "redis.out").read_text()
                assert time.monotonic() < deadline, "redis-server did not open its socket"
                time.sleep(0.02)
            assert client.config_get("appendonly") == {"appendonly": "yes"}
            assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
            assert client.config_get("port") == {"port": "0"}
        finally:
            client.close()
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- nginx


def test_nginx_site_is_tls_for_alexa_only() -> None:
    site = parse((DEPLOY / "nginx" / "hamstring-coach.conf").read_text())
    (upstream,) = find(site, "upstream")
    assert find(upstream.children, "server")[0].args == ["127.0.0.1:8000"]  # gunicorn.conf.py's default bind
    servers = find(site, "server")
    tls = next(s for s in servers if any("443" in d.args[0] and "ssl" in d.args for d in find(s.children, "listen")))
    plain = next(s for s in servers if s is not tls)
    assert find(plain.children, "location")[0].children[0].args[:2] == ["301", "https://$host$request_uri"]
    name = find(tls.children, "server_name")[0].args[0]
    for directive in ("ssl_certificate", "ssl_certificate_key"):
        assert f"/{name}/" in find(tls.children, directive)[0].args[0]
    assert set(find(tls.children, "ssl_protocols")[0].args) <= {"TLSv1.2", "TLSv1.3"}
    assert int(find(tls.children, "client_max_body_size")[0].args[0].rstrip("k")) * 1024 <= DEFAULTS[
        "MAX_CONTENT_LENGTH"]
    locations: dict[str, Directive] = {" ".join(d.args): d for d in find(tls.children, "location")}
    assert set(locations) == {"= /alexa", "= /healthz", "/"}  # /metrics and /readyz stay private
    alexa = locations["= /alexa"].children
    assert find(alexa, "proxy_pass")[0].args == [f"http://{upstream.args[0]}"]
    assert find(alexa, "limit_except")[0].args == ["POST"]
    assert 8 <= int(find(alexa, "proxy_read_timeout")[0].args[0].rstrip("s")) <= GRACEFUL_TIMEOUT_S
    assert locations["/"].children[0].name == "return" and locations["/"].children[0].args == ["404"]


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    """`nginx -t` on the site when nginx is installed, else the site parses. nginx -t binds the listen
    addresses, so the copy listens on free loopback ports (no root needed) with a throwaway certificate."""
    site = (DEPLOY / "nginx" / "hamstring-coach.conf").read_text()
    cert, key = self_signed_pair(tmp_path, "coach.example.com")
    site = re.sub(r"/etc/letsencrypt/live/[^;]+/fullchain\.pem", str(cert), site)
    site = re.sub(r"/etc/letsencrypt/live/[^;]+/privkey\.pem", str(key), site)
    site = re.sub(r"^\s*listen \[::\]:.*$", "", site, flags=re.M)
    site = re.sub(r"listen (80|443)\b", lambda _: f"listen 127.0.0.1:{free_port()}", site)
    assert str(cert) in site and str(key) in site and "listen 80" not in site and find(parse(site), "server")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/site.conf;\n}}\n")
    if shutil.which("nginx"):
        result = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e",
                                 "stderr"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr


# ---------------------------------------------------------------- containers


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_runs_gunicorn_as_a_user_with_our_config() -> None:
    steps = dockerfile()
    assert steps[0][0] == "FROM" and steps[0][1].startswith("python:3.11")
    assert json.loads(dict(steps)["CMD"]) == ["gunicorn", "--config", "deploy/gunicorn.conf.py", "webhook:create_app()"]
    assert dict(steps)["USER"] not in {"root", "0"}
    environment = " ".join(args for op, args in steps if op == "ENV")
    assert "BIND=0.0.0.0:8000" in environment and "PROMETHEUS_MULTIPROC_DIR=" in environment
    allowed = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    for op, args in steps:
        if op == "COPY":
            source = args.split()[0]
            assert (ROOT / source).exists(), source
            assert "!" + source in allowed or "!" + source + "/" in allowed, f"{source} is ignored by the build"


def test_the_image_files_are_enough_to_start_the_app(tmp_path: Path) -> None:
    """Copy exactly what the Dockerfile COPYs and let gunicorn load the app from there alone."""
    for op, args in dockerfile():
        if op == "COPY" and not args.startswith("requirements"):
            source, target = args.split()
            copy = shutil.copytree if (ROOT / source).is_dir() else shutil.copy
            (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
            copy(ROOT / source, tmp_path / target)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PROMETHEUS_MULTIPROC_DIR"}}
    env.update(SIMULATOR="true", ALEXA_VERIFY_REQUESTS="false")
    command = [sys.executable, "-m", "gunicorn", "--check-config", "--config", "deploy/gunicorn.conf.py",
               "webhook:create_app()"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_compose_runs_the_webhook_beside_an_append_only_redis() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    assert re.search(r"--appendonly\s*\n\s*- \"yes\"", text), "Redis must keep an append-only file"
    assert re.search(r"--appendfsync\s*\n\s*- always", text), "an acknowledged turn must be on disk"
    assert "REDIS_URL: redis://redis:6379/0" in text and "dockerfile: deploy/Dockerfile" in text
    assert '"127.0.0.1:8000:8000"' in text  # behind the TLS proxy, never public as plain HTTP
    grace = re.findall(r"stop_grace_period: (\d+)s", text)
    assert grace and all(int(seconds) > GRACEFUL_TIMEOUT_S for seconds in grace)
    assert "${USER_ID_PEPPER:?" in text and "${ALEXA_SKILL_ID:?" in text


@pytest.mark.parametrize("with_secrets", [True, False])
def test_compose_file_is_valid_where_compose_is_installed(with_secrets: bool) -> None:
    """`docker-compose config` when installed (it needs no engine); else the required secrets are declared."""
    text = (DEPLOY / "compose.yaml").read_text()
    assert all(f"${{{name}:?" in text for name in ("ALEXA_SKILL_ID", "USER_ID_PEPPER"))
    compose = shutil.which("docker-compose")
    if compose:
        env = {k: v for k, v in os.environ.items() if k not in {"ALEXA_SKILL_ID", "USER_ID_PEPPER"}}
        if with_secrets:
            env.update(ALEXA_SKILL_ID="amzn1.ask.skill.test", USER_ID_PEPPER="pepper")
        result = subprocess.run([compose, "-f", str(DEPLOY / "compose.yaml"), "config", "-q"], env=env,
                                capture_output=True, text=True, timeout=60)
        assert (result.returncode == 0) is with_secrets, result.stderr
