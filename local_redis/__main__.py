"""Run a command with a private Redis: `python -m local_redis --dir var/redis -- <command...>`.

Starts Redis in --dir, runs the command with REDIS_URL set, and stops Redis
(cleanly, so the append-only file is flushed) when the command exits. If
REDIS_URL is already set, it starts nothing and just runs the command.
`make run` and `make chat` use it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

from local_redis.server import RedisServer, RedisServerError


def _in_terminal_foreground() -> bool:
    """True when our process group owns the terminal, so a Ctrl-C already reached the child."""
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            return os.tcgetpgrp(fd) == os.getpgrp()
    return False


def _run_with_redis(data_dir: Path, command: list[str]) -> int:
    """Start Redis, run the command with REDIS_URL set, forward signals, stop Redis."""
    child: subprocess.Popen[bytes] | None = None
    received: list[int] = []

    def forward(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        # A terminal's Ctrl-C goes to the whole foreground group, child included:
        # sending another would interrupt the child twice (a REPL child notices).
        if child is not None and not (signum == signal.SIGINT and _in_terminal_foreground()):
            child.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    try:
        with RedisServer(data_dir) as server:
            if received:
                return 128 + received[0]
            print(f"local_redis: Redis on {server.url} (log: {server.log_path})", file=sys.stderr)
            try:
                child = subprocess.Popen(command, env={**os.environ, "REDIS_URL": server.url})
            except OSError as err:
                print(f"local_redis: cannot run {command[0]}: {err}", file=sys.stderr)
                return 127
            code = child.wait()
            return 128 - code if code < 0 else code  # killed by signal N -> 128+N, as shells do
    except RedisServerError as err:
        print(f"local_redis: {err}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_redis", description="Run a command with a private Redis."
    )
    parser.add_argument("--dir", type=Path, default=Path("var/redis"), help="data dir (AOF, log, socket)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args(argv)
    command: list[str] = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command to run after --")
    if os.environ.get("REDIS_URL"):
        # Someone else's Redis was chosen on purpose: start nothing, become the command.
        try:
            os.execvp(command[0], command)
        except OSError as err:
            print(f"local_redis: cannot run {command[0]}: {err}", file=sys.stderr)
            return 127
    return _run_with_redis(args.dir, command)


if __name__ == "__main__":
    sys.exit(main())
