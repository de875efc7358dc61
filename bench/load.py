"""Load: simulated runners, each walking a whole workout over one keep-alive connection.

A runner says "start my workout", "ready", "form tip", "ready", "next exercise", then
"ready" until the coach ends the session (or, against the floor, which never ends it,
for as many turns as a real workout took). `concurrency` runners are in flight at once;
each level walks a fixed number of workouts and stops early at a time bound.
Errors are anything a runner would notice: a transport failure, a status other than
200, or a spoken apology (the store was unavailable or busy).
"""

from __future__ import annotations

import html
import http.client
import json
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.envelopes import Device
from skill.voice.content import for_locale

OPENING = ("StartWorkoutIntent", "ReadyIntent", "FormTipIntent", "ReadyIntent", "NextExerciseIntent")
MAX_TURNS = 30  # a workout that has not ended by then counts as an error
APOLOGIES = (*for_locale("en-US").phrases["store_unavailable"], *for_locale("en-US").phrases["busy_try_again"])

# (body) -> extra headers: signs the request when the server verifies signatures.
Signer = Callable[[bytes], dict[str, str]]


@dataclass
class Level:
    """What one concurrency level measured."""

    concurrency: int
    workouts: int = 0
    turns: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        """Latency in ms at `fraction` (0.99 = p99), nearest-rank."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


class Runner:
    """One simulated runner on one device and one HTTP keep-alive connection."""

    def __init__(self, host: str, port: int, signer: Signer | None) -> None:
        self.host, self.port, self.signer = host, port, signer
        self.conn = http.client.HTTPConnection(host, port, timeout=10)

    def post(self, envelope: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """(status, JSON reply, seconds from sending to the last byte); building and signing are not timed."""
        body = json.dumps(envelope, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json", **(self.signer(body) if self.signer else {})}
        started = time.perf_counter()
        try:
            self.conn.request("POST", "/alexa", body, headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reconnects on the next request
            return 0, {}, time.perf_counter() - started
        seconds = time.perf_counter() - started
        return response.status, json.loads(data) if response.status == 200 else {}, seconds

    def workout(self, level: Level, lock: threading.Lock, turns_limit: int | None) -> None:
        """Walk one whole workout, noting every turn's latency and any error in `level`."""
        device = Device()
        latencies: list[float] = []
        errors = 0
        ended = False
        for turn in range(turns_limit or MAX_TURNS):
            intent = OPENING[turn] if turn < len(OPENING) else "ReadyIntent"
            status, payload, seconds = self.post(device.intent(intent))
            latencies.append(seconds)
            ssml = html.unescape(payload.get("response", {}).get("outputSpeech", {}).get("ssml", ""))
            if status != 200 or any(apology in ssml for apology in APOLOGIES):
                errors += 1
                continue
            device.absorb(payload)
            if turns_limit is None and payload["response"].get("shouldEndSession"):
                ended = True
                break
        if turns_limit is None and not ended:
            errors += 1  # the real app never finished the workout
        with lock:
            level.workouts += 1
            level.turns += len(latencies)
            level.errors += errors
            level.latencies += latencies


def run_level(host: str, port: int, concurrency: int, workouts: int, *, time_limit_s: float,
              turns_limit: int | None = None, signer: Signer | None = None, processes: int = 1) -> Level:
    """`workouts` whole workouts, `concurrency` at a time; no new workout starts after time_limit_s.

    With processes > 1 the runners are spread over that many forked processes, so the load
    generator's own GIL does not queue replies and inflate the latencies it reports.
    """
    processes = max(1, min(processes, concurrency))
    if processes == 1:
        return _threads(host, port, concurrency, workouts, time_limit_s, turns_limit, signer)
    context = multiprocessing.get_context("fork")  # fork: the signer need not be picklable
    results: multiprocessing.Queue[Level] = context.Queue()
    children = [
        context.Process(target=_child, args=(results, host, port, _share(concurrency, processes, i),
                                              _share(workouts, processes, i), time_limit_s, turns_limit, signer))
        for i in range(processes)
    ]
    for child in children:
        child.start()
    parts = [results.get(timeout=time_limit_s + 60) for _ in children]
    for child in children:
        child.join()
    return Level(concurrency, sum(p.workouts for p in parts), sum(p.turns for p in parts),
                 sum(p.errors for p in parts), max(p.seconds for p in parts),
                 [latency for p in parts for latency in p.latencies])


def _share(total: int, parts: int, index: int) -> int:
    return total // parts + (index < total % parts)


def _child(results: multiprocessing.Queue[Level], *args: Any) -> None:
    results.put(_threads(*args))


def _threads(host: str, port: int, concurrency: int, workouts: int, time_limit_s: float,
             turns_limit: int | None, signer: Signer | None) -> Level:
    level = Level(concurrency)
    lock = threading.Lock()
    remaining = [workouts]
    started = time.perf_counter()
    deadline = started + time_limit_s

    def loop() -> None:
        runner = Runner(host, port, signer)
        while time.perf_counter() < deadline:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            runner.workout(level, lock, turns_limit)
        runner.conn.close()

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds = time.perf_counter() - started
    return level


def workout_length(host: str, port: int) -> int:
    """How many turns one whole workout takes against the real app (the floor walks as many)."""
    level = run_level(host, port, 1, 1, time_limit_s=30)
    if level.errors:
        raise RuntimeError("the real app did not complete a workout cleanly")
    return level.turns
