"""A real two-node Ray cluster on 127.0.0.1 for the tests marked ``ray``, and its processes.

Ray swaps a loopback address for the machine's network address unless told the cluster is local
(``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``, read at import), and this sandbox routes only
127.0.0.0/8: the variable is set for the processes Ray starts, and the constant this process has
already read is set too, both only while the cluster runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import psutil
import pytest

#: One CPU per node, a small object store, everything on loopback.
NODE = {"num_cpus": 1, "object_store_memory": 96 * 2**20, "node_ip_address": "127.0.0.1"}


@contextlib.contextmanager
def two_node_cluster(runtime_env: dict[str, Any] | None = None) -> Iterator[Any]:
    """A head node and a second node; this process is the driver, connected to the head."""
    import ray
    from ray import cluster_utils
    from ray._private import ray_constants

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ray_constants.ENABLE_RAY_CLUSTERS_ENV_VAR, "0")
        patch.setattr(ray_constants, "ENABLE_RAY_CLUSTER", False)
        local = cluster_utils.Cluster(
            initialize_head=True, head_node_args={**NODE, "include_dashboard": False}
        )
        try:
            local.add_node(**NODE)
            local.wait_for_nodes()
            ray.init(address=local.address, runtime_env=runtime_env, log_to_driver=False)
            yield local
        finally:
            ray.shutdown()
            local.shutdown()


def cluster_processes(local: Any, title: Callable[[str], bool]) -> list[psutil.Process]:
    """This cluster's worker processes (children of its raylets; other clusters may run on the
    machine) whose process title passes ``title``."""
    found = []
    for node in local.list_all_nodes():
        for info in node.all_processes.get("raylet", []):
            with contextlib.suppress(psutil.Error):
                for child in psutil.Process(info.process.pid).children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        argv = child.cmdline()
                        if argv and title(argv[0]):
                            found.append(child)
    return found
