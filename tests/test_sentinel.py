"""Redis Sentinel (1 master, 1 replica, 3 sentinels, real processes) behind two webhook instances."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import scaling
from tests.sentinel import LocalSentinel


@pytest.fixture
def sentinel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSentinel]:
    """A fresh deployment per test: the failover test leaves the first master dead."""
    with LocalSentinel(tmp_path_factory.mktemp("sentinel")) as deployment:
        yield deployment


def test_a_whole_workout_over_two_instances(sentinel: LocalSentinel) -> None:
    scaling.full_workout(sentinel)


def test_killing_the_master_mid_workout_loses_no_acknowledged_set(sentinel: LocalSentinel) -> None:
    scaling.failover_mid_workout(sentinel)
    assert sentinel.master_port() == sentinel.replica.port


def test_wait_counts_the_turns_own_write(sentinel: LocalSentinel, caplog: pytest.LogCaptureFixture) -> None:
    scaling.wait_counts_this_turns_write(sentinel, caplog)
