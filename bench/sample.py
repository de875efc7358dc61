"""What one round against one server measured: the load's view, and what it cost each party."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bench.load import Level
from skill.store import script

# Redis counts the commands a Lua script calls too; those are not round trips. Nor is a WAIT:
# the store pipelines it behind its write (REDIS_WAIT_REPLICAS), in the same round trip.
SCRIPT_INNER = frozenset(name.lower() for name in re.findall(r"redis\.call\('(\w+)'", script("read") + script("write")))
NOT_ROUND_TRIPS = SCRIPT_INNER | {"wait"}


@dataclass
class Sample:
    """Rounds of one level against one server: the load's view, and the CPU it cost each party."""

    level: Level
    commands: dict[str, int] = field(default_factory=dict)
    app_cpu_s: float = 0.0
    redis_cpu_s: float = 0.0
    client_cpu_s: float = 0.0

    def add(self, other: Sample) -> None:
        self.level.workouts += other.level.workouts
        self.level.turns += other.level.turns
        self.level.errors += other.level.errors
        self.level.seconds += other.level.seconds
        self.level.latencies += other.level.latencies
        for name, count in other.commands.items():
            self.commands[name] = self.commands.get(name, 0) + count
        self.app_cpu_s += other.app_cpu_s
        self.redis_cpu_s += other.redis_cpu_s
        self.client_cpu_s += other.client_cpu_s

    @property
    def round_trips_per_turn(self) -> float:
        return sum(n for name, n in self.commands.items() if name not in NOT_ROUND_TRIPS) / max(1, self.level.turns)

    def ms_per_turn(self, seconds: float) -> float:
        return 1000 * seconds / max(1, self.level.turns)


def total(samples: list[Sample]) -> Sample:
    """Rounds added up into one sample."""
    summed = Sample(Level(samples[0].level.concurrency))
    for sample in samples:
        summed.add(sample)
    return summed
