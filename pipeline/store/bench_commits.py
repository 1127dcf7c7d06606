"""Does committing a batch to the event store get slower as the store grows?

A backfill commits one batch after another for months; if each commit opened every file already
in the store, the n-th commit would cost n times the first. This commits `--batches` batches of
synthetic statements, each a few days later than the one before (as a backfill walks through
time), into a fresh store, merging statements as `python -m pipeline run --store` does, and
compares the mean commit time of the last fifth of the batches with that of the first fifth
(a ratio near 1: the cost does not grow with the store).

    python -m pipeline.store.bench_commits --batches 1000
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from ..dashboard.bench import synthetic_events
from ..runner import commit_with_statements
from .dataset import EventStore

DAYS_PER_BATCH = 3


def commit_times(folder: Path, batches: int, events_per_batch: int) -> list[float]:
    """Seconds each batch's commit took, in order."""
    store = EventStore(folder)
    seconds = []
    with store.writing():
        for number in range(batches):
            start = date(2016, 1, 1) + timedelta(days=DAYS_PER_BATCH * number)
            batch = synthetic_events(events_per_batch, seed=number, start=start, days=DAYS_PER_BATCH)
            batch = batch.assign(
                doc_id=[f"b{number}-{doc}" for doc in batch["doc_id"]],
                event_id=[f"b{number}-{event}" for event in batch["event_id"]],
                statement_id=[f"b{number}-{event}" for event in batch["event_id"]],
            )
            fingerprints = {doc: "synthetic" for doc in batch["doc_id"].unique()}
            started = time.perf_counter()
            commit_with_statements(store, batch.reset_index(drop=True), fingerprints)
            seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.store.bench_commits", description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=1000, help="batches to commit (default 1,000)")
    parser.add_argument("--events", type=int, default=100, help="statements per batch (default 100)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        seconds = commit_times(Path(folder), args.batches, args.events)
        files = len(EventStore(folder).files())
    fifth = max(1, args.batches // 5)
    first, last = float(np.mean(seconds[:fifth])), float(np.mean(seconds[-fifth:]))
    print(f"{args.batches:,} batches of {args.events} statements, {files:,} data files at the end")
    print(f"mean commit: first {fifth} batches {first * 1000:.0f} ms, last {fifth} {last * 1000:.0f} ms: ratio {last / first:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
