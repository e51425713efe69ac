"""Which Dask cluster to run on: ``local`` (a worker per core), ``local:N``, or the address of
a running scheduler (``tcp://host:8786``), e.g. one started by dask-jobqueue or dask-kubernetes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client, LocalCluster

from ceasefire.errors import CeasefireError


class ClusterError(CeasefireError):
    """The cluster named by ``--cluster`` cannot be parsed or reached."""

    status = 400


def local_workers(spec: str) -> int | None:
    """Workers asked for by ``local`` / ``local:N``; None for a scheduler address.

    Raises:
        ClusterError: neither form.
    """
    if spec == "local":
        return os.cpu_count() or 1
    if spec.startswith("local:"):
        count = spec.removeprefix("local:")
        if count.isdigit() and int(count) > 0:
            return int(count)
        raise ClusterError(f"--cluster {spec!r}: the number of local workers must be a positive whole number, "
                           "e.g. local:2.")
    if "://" in spec:
        return None
    raise ClusterError(f"--cluster {spec!r} is neither local, local:N nor a scheduler address such as "
                       "tcp://10.0.0.5:8786. See docs/scale.md.")


@contextmanager
def connect(spec: str, *, memory_limit: str = "auto") -> Iterator[Client]:
    """A client on the cluster ``spec`` names; a local cluster is started and stopped with it.

    Local workers are single-threaded processes: spaCy and the prefilter hold the GIL, so
    processes, not threads, use the cores.
    """
    workers = local_workers(spec)
    if workers is None:
        try:
            client = Client(spec, timeout="30s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"No Dask scheduler answers at {spec} ({exc}). Start one (`dask scheduler`, "
                               "dask-jobqueue or dask-kubernetes: docs/scale.md) or use --cluster local.") from exc
        with client:
            yield client
        return
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                           memory_limit=memory_limit, dashboard_address=":0")
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def dashboard(client: Client) -> str | None:
    """The dashboard's address, when the scheduler serves one (it needs bokeh)."""
    services = client.scheduler_info().get("services", {})
    return client.dashboard_link if "dashboard" in services else None
