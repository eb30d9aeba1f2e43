"""Scale-out on Dask: a case file's parts evaluated on a ``dask.distributed`` cluster.

Needs the ``dask`` extra (``pip install 'casework[dask]'``). ::

    from distributed import Client, LocalCluster
    from casework.dask_runner import run_file_on_dask
    from casework.scale import Job

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        result = run_file_on_dask("caseload.jsonl", job, client=client)
    report = result.tally.report()
    card = result.inspection.scorecard()  # with Job(..., score=True)

Each part runs :func:`casework.scale.run_part` on a worker; the parts come back
as small :class:`~casework.scale.PartResult` objects (counts, rejected records,
references, a target tally, inspection counts) and merge on the client, exactly as
:func:`casework.scale.run_file` merges them in one process: the results are
identical (tests/test_dask.py). Findings, if asked for, are written by the
workers as one Parquet file per part, together a Parquet dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casework.scale import Job, RunResult, merge_parts, repeats_across, run_part, split_file

__all__ = ["DaskMissingError", "run_file_on_dask"]


class DaskMissingError(ImportError):
    """The ``dask`` extra is not installed."""


def _client_type() -> Any:
    try:
        from distributed import Client  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise DaskMissingError(
            "scale-out needs the dask extra: pip install 'casework[dask]'"
        ) from exc
    return Client


def run_file_on_dask(
    path: str | Path, job: Job, *, client: Any, parts: int | None = None
) -> RunResult:
    """Evaluate a JSON Lines file part by part on a Dask cluster, then merge on the client.

    Args:
        path: the case file, readable by every worker at the same path.
        job: what to evaluate and keep (:class:`~casework.scale.Job`).
        client: a ``distributed.Client``.
        parts: how many parts to cut the file into [default: 4 per worker thread].
    """
    client_type = _client_type()
    if not isinstance(client, client_type):
        raise TypeError(f"client must be a distributed.Client, not {type(client).__name__}")
    if parts is None:
        threads = sum(client.nthreads().values()) or 1
        parts = 4 * threads
    target = str(Path(path).resolve())
    spans = split_file(target, parts)
    futures = client.map(run_part, [target] * len(spans), spans, [job] * len(spans), pure=False)
    results = list(client.gather(futures))
    repeats = repeats_across(results)
    if repeats:
        again = {
            index: client.submit(run_part, target, spans[index], job, reject=reject, pure=False)
            for index, reject in repeats.items()
        }
        for index, future in again.items():
            results[index] = future.result()
    return merge_parts(results)
