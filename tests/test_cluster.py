"""Redis Cluster (3 masters, 3 replicas, real processes) behind two webhook instances."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import scaling
from tests.cluster import LocalCluster


@pytest.fixture
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """A fresh cluster per test: the failover test leaves one master dead."""
    with LocalCluster(tmp_path_factory.mktemp("cluster")) as cluster:
        yield cluster


def test_a_whole_workout_over_two_instances_keeps_the_runner_on_one_slot(cluster: LocalCluster) -> None:
    fleet = scaling.full_workout(cluster)
    master, _ = cluster.serving(fleet.user_key)
    with master.client() as probe:
        slots = {int(probe.cluster("keyslot", key)) for key in fleet.user_keys}
        assert len(slots) == 1
        present = [key for key in fleet.user_keys if probe.exists(key)]  # the in-doubt hash only after a doubt
        assert len(present) >= 2 and probe.cluster("countkeysinslot", slots.pop()) == len(present)  # all there


def test_killing_the_runners_master_mid_workout_loses_no_acknowledged_set(cluster: LocalCluster) -> None:
    scaling.failover_mid_workout(cluster)
    cluster.wait_healthy()


def test_wait_counts_the_turns_own_write_on_the_keys_node(
    cluster: LocalCluster, caplog: pytest.LogCaptureFixture
) -> None:
    scaling.wait_counts_this_turns_write(cluster, caplog)
