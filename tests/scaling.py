"""Scenarios for "past one machine", run against a real Redis Cluster and a real Sentinel setup.

Two webhook instances (two `create_app()`s, each with its own Redis client, as two
machines behind a load balancer would have) take turns answering one runner. A reply
is either the next step of the workout or a spoken apology that applied nothing, and
a runner who hears an apology says the same thing again: that is the whole contract.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any, Protocol

import pytest
from flask import Flask

from simulator.echo import Clock as DeviceClock
from simulator.envelopes import Device
from skill.store import keys
from skill.voice.content import for_locale
from tests.cluster import Node
from tests.runner import Runner, Turn
from webhook import create_app

APOLOGIES = (*for_locale("en-US").phrases["store_unavailable"], *for_locale("en-US").phrases["busy_try_again"])
RECOVERY_DEADLINE_S = 30.0  # failover takes ~3 s here; this only stops a broken run from hanging
_ASKED_FOR_SET = re.compile(r'"ready" for set (\d+)')
_STARTS_SET = re.compile(r"^Set (\d+)[.:]")


class Deployment(Protocol):
    """What a scenario needs from a local Redis deployment."""

    def app_config(self) -> dict[str, Any]: ...

    def serving(self, key: str) -> tuple[Node, list[Node]]: ...


class Fleet:
    """One runner's device, each turn sent to the next webhook instance (round robin)."""

    def __init__(self, deployment: Deployment, instances: int = 2) -> None:
        config = {**deployment.app_config(), "ALEXA_VERIFY_REQUESTS": False, "TESTING": True,
                  "CLOCK": DeviceClock(time.time())}  # one device time for every instance
        self.apps: list[Flask] = [create_app(config) for _ in range(instances)]
        self.device = Device()
        self.runners = [Runner(app.test_client(), self.device) for app in self.apps]
        self.served = [0] * instances
        self.apologies = 0
        self.asked_for_set: int | None = None  # the set number the last reply heard asked for
        self._next = 0

    @property
    def user_keys(self) -> tuple[str, ...]:
        return keys.user_keys(keys.user_hash(self.device.user_id))

    @property
    def user_key(self) -> str:
        return self.user_keys[0]

    def send(self, intent: str) -> Turn:
        index, self._next = self._next, (self._next + 1) % len(self.runners)
        turn = self.runners[index].say(intent)
        assert turn.status == 200, f"instance {index} answered {turn.status}: {turn.payload}"
        self.served[index] += 1
        return turn

    def say(self, intent: str) -> Turn:
        """Say it until it is heard; check a heard "ready" starts exactly the set we were asked for."""
        deadline = time.monotonic() + RECOVERY_DEADLINE_S
        while (turn := self.send(intent)).text in APOLOGIES:
            self.apologies += 1
            assert time.monotonic() < deadline, f"still apologising after {RECOVERY_DEADLINE_S} s"
            time.sleep(0.02)  # a polling interval, not a wait for luck: the deadline decides
        started = _STARTS_SET.match(turn.text)
        if intent == "ReadyIntent" and self.asked_for_set is not None:
            assert started and int(started[1]) == self.asked_for_set, (self.asked_for_set, turn.text[:60])
        asked = _ASKED_FOR_SET.search(turn.reprompt)
        self.asked_for_set = int(asked[1]) if asked else None
        return turn

    def finish(self, limit: int = 40) -> Turn:
        """Say "ready" (with a form tip now and then) until the workout is complete."""
        for count in range(limit):
            turn = self.say("FormTipIntent" if count % 3 == 1 else "ReadyIntent")
            if turn.ends:
                return turn
        raise AssertionError(f"workout not complete after {limit} turns")


def full_workout(deployment: Deployment) -> Fleet:
    """A whole workout over two instances: it completes, both served turns, nothing was refused."""
    fleet = Fleet(deployment)
    assert "Today:" in fleet.say("StartWorkoutIntent").text
    assert "Workout complete" in fleet.finish().text
    assert fleet.apologies == 0
    assert min(fleet.served) >= 3, fleet.served
    return fleet


def failover_mid_workout(deployment: Deployment) -> Fleet:
    """Kill the runner's master between two turns: apologies in the gap, then on from the same set."""
    fleet = Fleet(deployment)
    fleet.say("StartWorkoutIntent")
    fleet.say("ReadyIntent")
    fleet.say("FormTipIntent")
    acknowledged = fleet.asked_for_set
    assert acknowledged == 2
    master, replicas = deployment.serving(fleet.user_key)
    assert replicas, "the runner's master has no replica to fail over to"
    master.kill()
    resumed = fleet.say("ReadyIntent")  # apologies until a replica is promoted; say() checks the set
    assert resumed.text.startswith(f"Set {acknowledged}")
    assert fleet.apologies >= 1, "killing the master went unnoticed: was it the runner's master?"
    assert deployment.serving(fleet.user_key)[0] is not master
    assert "Workout complete" in fleet.finish().text
    return fleet


def wait_counts_this_turns_write(deployment: Deployment, caplog: pytest.LogCaptureFixture) -> None:
    """WAIT confirms a write while the replica keeps up, and reports 0 (the turn still answered) while it is frozen.

    A WAIT sent on another connection than the write would count the frozen replica's older
    acknowledgements and report 1: this is what pins the WAIT to the write's own connection.
    """
    fleet = Fleet(deployment)
    caplog.set_level(logging.WARNING, logger="skill.store")
    fleet.say("StartWorkoutIntent")
    assert "replicas confirmed" not in caplog.text
    _, replicas = deployment.serving(fleet.user_key)
    with replicas[0].paused():
        assert fleet.say("ReadyIntent").text.startswith("Set 1")
    assert "0 of 1 replicas confirmed" in caplog.text
    assert fleet.apologies == 0
    assert fleet.say("ReadyIntent").text.startswith("Set 2")
