"""The Dask engine: extraction on a dask.distributed cluster, for backfills too big for one machine.

This process (the driver) reads the inputs, cuts them into chunks and submits one task per chunk.
Each worker process loads the extractor once, on its first task, and keeps it for the next ones.
A task returns the chunk's events, or, with a store, writes the chunk's partition files into the
store itself and returns only their names, so that a backfill's events never pass through the
driver; the driver then commits the chunk. A bounded number of chunks is in flight at a time
(twice the cluster's threads), so neither the scheduler nor the workers hold the whole backfill.

Without a scheduler address a `LocalCluster` of worker processes runs on this machine, one thread
each (spaCy's parser holds the GIL, so threads would not run in parallel). Workers of an existing
cluster must run this same code: every task checks that the worker's processing fingerprint (code,
data files, model name) is the driver's, so that a stale worker cannot write different events.

Library code: nothing here prints, and the local cluster's logging is kept to errors.
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .extraction.worker import (
    ChunkResult,
    ExtractorFactory,
    RunError,
    extract_chunk,
    load_extractor,
    start_worker_server,
    worker_context,
)
from .schema import Article

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up
TASKS_PER_THREAD = 2  # chunks in flight per worker thread: one running, one waiting


@dataclass(frozen=True)
class ExtractorSpec:
    """What a worker needs to load the extractor, and the driver's fingerprint of what it will run."""

    model_name: str | None
    factory: ExtractorFactory | None
    options: tuple[tuple[str, tuple[str, ...]], ...]  # the factory's file options, hashable
    processing: str  # `runner.processing_fingerprint` on the driver

    @classmethod
    def make(cls, model_name: str | None, factory: ExtractorFactory | None, options: dict[str, list[str]], processing: str) -> ExtractorSpec:
        return cls(model_name, factory, tuple(sorted((name, tuple(files)) for name, files in options.items())), processing)

    def extra_files(self) -> list[str]:
        return [path for _, files in self.options for path in files]


@dataclass(frozen=True)
class StoreChunk:
    """What a worker reports after writing a chunk into the store."""

    parts: list[str]  # what `EventStore.write_parts` returned, for the driver's commit
    events: int  # events in the parts
    failures: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, message) of articles left out


@dataclass(frozen=True)
class DaskEngine:
    """Run extraction on the Dask scheduler at `scheduler` ("tcp://host:8786"), or, without one,
    on a `LocalCluster` of `workers` processes started for the run and closed after it."""

    scheduler: str | None = None
    workers: int = 2
    connect_timeout: float = CONNECT_TIMEOUT

    @contextmanager
    def client(self) -> Iterator[Client]:
        """A client for the run; `RunError` naming the address when the scheduler cannot be reached."""
        from distributed import Client

        if self.scheduler is None:
            with local_cluster(self.workers) as cluster, Client(cluster) as client:
                yield client
            return
        try:
            client = Client(self.scheduler, timeout=self.connect_timeout)
        except (OSError, ValueError, TimeoutError) as exc:
            raise RunError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
        with client:
            yield client

    def results(self, chunks: Sequence[list[Article]], spec: ExtractorSpec) -> Iterator[ChunkResult]:
        """The chunks' results, in chunk order (a chunk that finishes early waits for those before it)."""
        waiting: dict[int, ChunkResult] = {}
        following = 0
        with self.client() as client:
            for index, result in as_completed_tasks(client, extract_task, chunks, spec):
                waiting[index] = result
                while following in waiting:
                    yield waiting.pop(following)
                    following += 1

    def store_results(self, chunks: Sequence[list[Article]], spec: ExtractorSpec, directory: str) -> Iterator[tuple[int, StoreChunk]]:
        """(chunk index, what its worker wrote into the store at `directory`), as chunks finish."""
        with self.client() as client:
            yield from as_completed_tasks(client, store_task, chunks, spec, directory)


@contextmanager
def local_cluster(workers: int) -> Iterator[LocalCluster]:
    """A `LocalCluster` of `workers` worker processes, one thread each, on this machine. They fork
    from the pipeline's worker server, which has imported spaCy and the extractor already
    (`worker.start_worker_server`), instead of each starting a fresh interpreter. The scheduler
    serves HTTP even without a dashboard: on any free port, not 8787, which another cluster on
    this machine may hold."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.multiprocessing-method": worker_context().get_start_method()}):
        start_worker_server()
        try:
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
            )
        except (OSError, RuntimeError) as exc:
            raise RunError(f"cannot start a local Dask cluster of {workers} workers: {exc}") from None
        with cluster:
            yield cluster


def as_completed_tasks(client: Client, task: Callable, chunks: Sequence[list[Article]], *args) -> Iterator[tuple[int, object]]:
    """Run `task(*args, chunk)` for every chunk on the cluster, yielding (index, result) as each finishes.

    At most `TASKS_PER_THREAD` chunks per worker thread are submitted ahead (counted again as
    tasks finish, so workers that join later get work too). A task's failure ends the run.
    """
    from distributed import as_completed

    run = uuid.uuid4().hex[:12]
    indexes: dict[str, int] = {}  # task key -> chunk index
    submitted = 0

    def submit():
        nonlocal submitted
        future = client.submit(task, *args, chunks[submitted], key=f"extract-{run}-{submitted}")
        indexes[future.key] = submitted
        submitted += 1
        return future

    def room() -> int:
        return max(2, TASKS_PER_THREAD * sum(client.nthreads().values()))

    futures = as_completed([submit() for _ in range(min(room(), len(chunks)))])
    try:
        for future in futures:
            yield indexes.pop(future.key), _result(future, client.scheduler.address)
            if submitted < len(chunks) and futures.count() < room():
                futures.update(submit() for _ in range(min(room() - futures.count(), len(chunks) - submitted)))
    finally:
        futures.clear()


def _result(future, scheduler: str) -> object:
    """The task's result; its failure as a `RunError` (or the store's own `StoreError`)."""
    from distributed import KilledWorker

    from .store.tables import StoreError

    try:
        return future.result()
    except (RunError, StoreError):
        raise
    except KilledWorker as exc:
        raise RunError(f"a Dask worker of {scheduler} died on a chunk of articles ({exc})") from None
    except Exception as exc:
        if "deserializ" in str(exc):  # the scheduler or a worker could not unpickle the task
            raise RunError(
                f"the Dask scheduler or workers at {scheduler} cannot load this project's code: start them "
                f"with the project on their Python path (PYTHONPATH=/path/to/project dask scheduler / dask worker ...)"
            ) from None
        raise RunError(f"a Dask task failed on {scheduler}: {type(exc).__name__}: {exc}") from exc


# --- on the workers -----------------------------------------------------------------------

_loaded: tuple[ExtractorSpec, object] | None = None  # this worker process's extractor and its spec
_lock = threading.Lock()  # a worker with several threads still loads the model once


def worker_extractor(spec: ExtractorSpec):
    """This worker process's extractor for `spec`, loaded on first use and kept (one at a time: a
    run with another spec replaces it); `RunError` when the worker's code or data files differ
    from the driver's."""
    global _loaded
    with _lock:
        if _loaded is None or _loaded[0] != spec:
            from .runner import processing_fingerprint

            if processing_fingerprint(spec.model_name, spec.extra_files()) != spec.processing:
                raise RunError(
                    f"the Dask worker {_worker_address()} runs other extraction code, data files or model than "
                    "this process: start the workers from the same version of the project"
                )
            _loaded = None  # free the previous model before loading the next
            _loaded = (spec, load_extractor(spec.model_name, spec.factory, {name: list(files) for name, files in spec.options}))
        return _loaded[1]


def _worker_address() -> str:
    from distributed import get_worker

    try:
        return get_worker().address
    except ValueError:  # not in a worker: this process
        return "(this process)"


def extract_task(spec: ExtractorSpec, chunk: list[Article]) -> ChunkResult:
    return extract_chunk(worker_extractor(spec), chunk)


def store_task(spec: ExtractorSpec, directory: str, chunk: list[Article]) -> StoreChunk:
    from .schema import events_to_frame
    from .store.dataset import EventStore

    events, failures = extract_chunk(worker_extractor(spec), chunk)
    frame = events_to_frame([event for doc in events for event in doc])
    return StoreChunk(parts=EventStore(directory).write_parts(frame), events=len(frame), failures=failures)


__all__ = ["DaskEngine", "ExtractorSpec", "StoreChunk", "local_cluster"]
