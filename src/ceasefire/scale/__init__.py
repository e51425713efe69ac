"""Scale-out: archives through the same stages on a Dask cluster (DESIGN.md §6, docs/scale.md)."""

from ceasefire.scale.archive import Partition, plan_archive
from ceasefire.scale.cluster import ClusterError, connect, dashboard, local_workers
from ceasefire.scale.run import PARTITION_SIZE, ArchiveRun, ArchiveStart, run_archive

__all__ = ["PARTITION_SIZE", "ArchiveRun", "ArchiveStart", "ClusterError", "Partition", "connect", "dashboard",
           "local_workers", "plan_archive", "run_archive"]
