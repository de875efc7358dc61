"""`make instructions`: CPU instructions per turn, in-process, counted by callgrind (repeatable on a busy box).

Wall time on a shared 2-core machine is noisy; instruction counts are not. This starts a private
Redis, then reruns itself under `valgrind --tool=callgrind --dump-before=getppid`: each measured
block sits between two `os.getppid()` calls (a C function nothing else on the path calls), so
callgrind writes one dump per block and the dump's total is exactly that block's cost. Requests
go straight to each app's WSGI callable (no HTTP server, no load generator); their environs are
built outside the blocks, so only the server side is counted. Redis runs outside valgrind.

Blocks: a "ready" turn that starts a paced set, the first 8 turns of the bench workout (the
mix), one turn of each floor, and the pieces a turn is made of. Prints instructions per turn
and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# The bench's whole workout (bench/load.py): start, ready, form tip, ready, next exercise, ready x 3.
MIX = ("StartWorkoutIntent", "ReadyIntent", "FormTipIntent", "ReadyIntent", "NextExerciseIntent",
       "ReadyIntent", "ReadyIntent", "ReadyIntent")
RUNNERS = 12
WARM_WORKOUTS = 4


class Blocks:
    """Marks measured blocks; remembers, per dump, which block it closes and how many turns it held."""

    def __init__(self) -> None:
        self.dumps: list[tuple[str, int] | None] = []

    def _mark(self, closes: tuple[str, int] | None) -> None:
        self.dumps.append(closes)
        os.getppid()  # callgrind dumps the costs since the last mark (--dump-before=getppid)

    @contextmanager
    def block(self, label: str, turns: int) -> Iterator[None]:
        self._mark(None)
        yield
        self._mark((label, turns))


def _call(app: Callable[..., Any], environ: dict[str, Any]) -> bytes:
    """One request through a WSGI app, the body read to the end (as a server would)."""
    status: list[str] = []
    result = app(environ, lambda code, headers, exc_info=None: status.append(code))
    try:
        return b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()


def _environ(envelope: dict[str, Any]) -> dict[str, Any]:
    from werkzeug.test import EnvironBuilder

    body = json.dumps(envelope, separators=(",", ":")).encode("utf-8")
    return EnvironBuilder(path="/alexa", method="POST", data=body, content_type="application/json").get_environ()


def _turns(app: Callable[..., Any], devices: list[Any], intent: str, blocks: Blocks | None, label: str) -> None:
    """Every device says `intent` once; measured as one block when `blocks` is given."""
    environs = [_environ(device.intent(intent)) for device in devices]
    if blocks is None:
        replies = [_call(app, environ) for environ in environs]
    else:
        with blocks.block(label, len(environs)):
            replies = [_call(app, environ) for environ in environs]
    for device, reply in zip(devices, replies, strict=True):
        device.absorb(json.loads(reply))


def inner(out: Path, runners: int) -> None:
    """Under valgrind: build the apps, warm them, then run the measured blocks."""
    from bench import author_floor, floor
    from simulator.envelopes import Device
    from webhook import create_app

    real = create_app({"REDIS_URL": os.environ["REDIS_URL"], "ALEXA_VERIFY_REQUESTS": False, "LOG_LEVEL": "INFO"})
    floors = {"floor (our view)": floor.create_floor_app(), "author floor": author_floor.create_app()}
    for _ in range(WARM_WORKOUTS):  # imports, connections, caches: steady state, as a worker after a while
        devices = [Device()]
        for intent in (*MIX, *["ReadyIntent"] * 12):
            _turns(real, devices, intent, None, "")
        for app in floors.values():
            _turns(app, devices, "ReadyIntent", None, "")
    blocks = Blocks()
    devices = [Device() for _ in range(runners)]
    _turns(real, devices, "StartWorkoutIntent", None, "")
    _turns(real, devices, "ReadyIntent", blocks, "ready (starts a paced set)")
    devices = [Device() for _ in range(runners)]
    for intent in MIX:
        _turns(real, devices, intent, blocks, "8-turn mix")
    for name, app in floors.items():
        _turns(app, [Device() for _ in range(runners)], "ReadyIntent", blocks, name)
    store = real.extensions["store"]
    with blocks.block("piece: one Redis round trip (the read script)", runners):
        for number in range(runners):
            store.snapshot(f"{number:032x}", "0" * 24)
    _pieces(blocks, runners)
    blocks._mark(None)
    out.write_text(json.dumps(blocks.dumps))


def _pieces(blocks: Blocks, runners: int) -> None:
    """What a turn is made of, measured alone on the same envelopes (ask-sdk's serializer both ways)."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    from bench import author_floor
    from simulator.envelopes import Device
    from webhook import decode, encode, envelope, jsontext

    serializer = DefaultSerializer()
    bodies = [json.dumps(Device().intent("ReadyIntent")) for _ in range(runners)]
    with blocks.block("piece: DefaultSerializer.deserialize", len(bodies)):
        envelopes = [serializer.deserialize(body, RequestEnvelope) for body in bodies]
    with blocks.block("piece: envelope.parse + decode.request_envelope", len(bodies)):
        for body in bodies:
            decode.request_envelope(envelope.parse(body.encode("utf-8")))
    skill = author_floor.build_skill()
    responses = [skill.invoke(request, None) for request in envelopes]
    with blocks.block("piece: DefaultSerializer.serialize + json.dumps (a fixed reply)", len(responses)):
        for response in responses:
            json.dumps(serializer.serialize(response))
    with blocks.block("piece: encode.plain + jsontext.dumps (a fixed reply)", len(responses)):
        for response in responses:
            jsontext.dumps(encode.plain(response))


def totals(folder: Path, prefix: str) -> dict[int, int]:
    """Dump number -> instructions, from callgrind's 'totals:' line of each dump file."""
    found = {}
    for path in folder.glob(f"{prefix}.*"):
        number = path.name.rsplit(".", 1)[1]
        if number.isdigit():
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("totals:"):
                    found[int(number)] = int(line.split()[1])
    return found


def outer(runners: int, keep: Path | None = None) -> int:
    from local_redis import RedisServer

    with tempfile.TemporaryDirectory(prefix="hc-instructions-") as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        labels = folder / "labels.json"
        with RedisServer(folder / "redis") as redis_server:
            env = {**os.environ, "REDIS_URL": redis_server.url, "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics")}
            (folder / "metrics").mkdir(exist_ok=True)
            command = ["valgrind", "--tool=callgrind", "--dump-before=getppid", f"--log-file={folder}/valgrind.log",
                       f"--callgrind-out-file={folder}/cg.out", sys.executable, "-m", "bench.instructions",
                       "--inner", str(labels), "--runners", str(runners)]
            with open(folder / "app.log", "wb") as log:
                subprocess.run(command, cwd=REPO, env=env, check=True, stderr=log)
        costs = totals(folder, "cg.out")
        marks: list[Any] = json.loads(labels.read_text())
        summed: dict[str, list[int]] = {}
        for number, closes in enumerate(marks, start=1):  # dump n: the costs between mark n-1 and mark n
            if closes:
                label, turns = closes
                summed.setdefault(label, [0, 0])
                summed[label][0] += costs[number]
                summed[label][1] += turns
    print(f"{'block':<52}{'turns':>6}{'instructions/turn':>19}")
    for label, (instructions, turns) in summed.items():
        print(f"{label:<52}{turns:>6}{instructions / turns / 1e6:>17.3f}M")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=RUNNERS, help="turns per block")
    parser.add_argument("--keep", type=Path, help="keep callgrind's dumps here (read them with callgrind_annotate)")
    parser.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        inner(args.inner, args.runners)
        return 0
    return outer(args.runners, args.keep)


if __name__ == "__main__":
    raise SystemExit(main())
