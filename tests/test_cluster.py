"""The Dask engine: a cluster of 2 worker processes gives exactly the local engine's events, into
an events table or straight into the store, and reports what fails by name."""
from __future__ import annotations

import functools
import json
import logging
import os
import socket

import pytest
from distributed import LocalCluster

from pipeline import cli as cli_module
from pipeline.cluster import DaskEngine, ExtractorSpec, worker_extractor
from pipeline.dashboard.data_io import demo_inputs, demo_resource_files
from pipeline.extraction.extract import Extractor
from pipeline.runner import (
    ExtractionError,
    RunError,
    process_paths,
    processing_fingerprint,
)
from pipeline.store.dataset import EventStore
from pipeline.store.statements import assign_statement_ids

DEMO = demo_inputs()
RESOURCES = demo_resource_files()  # the demo's fictional actors and places


@pytest.fixture(scope="module", autouse=True)
def _environment_restored():
    """A Dask cluster sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, PYTHONHASHSEED and more in this
    process's environment; the processes later tests start must not inherit them (with them,
    `python -m pipeline.train` gave other weights)."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def by_event_id(frame):
    return frame.sort_values("event_id", kind="stable").reset_index(drop=True)


def statements_of(frame) -> set[frozenset[str]]:
    """The statements of an events table, as sets of event ids."""
    return {frozenset(group) for group in frame.groupby("statement_id")["event_id"].agg(list)}


@pytest.fixture(scope="module")
def local_events():
    report = process_paths(DEMO, workers=1, **RESOURCES)
    assert report.ok and report.articles == 50
    return by_event_id(report.events)


@pytest.fixture(scope="module")
def scheduler():
    """A running cluster of 2 worker processes, used through its address as an existing cluster would be."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


class CrashingExtractor:
    """The real extractor, except that it raises on an article whose text holds "CRASH"."""

    def __init__(self, model_name=None, **options):
        self.extractor = Extractor.default(model_name, **options)

    def extract(self, articles):
        if any("CRASH" in article.text for article in articles):
            raise ValueError("cannot parse")
        return self.extractor.extract(articles)


def test_cluster_of_two_workers_gives_the_local_engines_events(local_events):
    done = []
    report = process_paths(DEMO, engine=DaskEngine(workers=2), progress=lambda n, total: done.append((n, total)), **RESOURCES)
    assert report.ok and report.processed == 50
    assert len(local_events) > 600
    assert by_event_id(report.events).equals(local_events)
    assert done[0] == (0, 50) and done[-1] == (50, 50)


def test_cluster_workers_write_the_store_and_it_equals_the_local_engines_events(tmp_path, local_events, scheduler):
    engine = DaskEngine(scheduler=scheduler)
    report = process_paths(DEMO, store=tmp_path / "store", engine=engine, **RESOURCES)
    store = EventStore(tmp_path / "store")
    assert report.ok and report.stored == len(local_events)
    stored = by_event_id(store.events())
    assert stored.drop(columns="statement_id").equals(local_events.drop(columns="statement_id"))
    # chunks commit in any order and a statement keeps the id of its first stored report, but the
    # reports merged into one statement are those a single pass over all the events merges
    assert statements_of(stored) == statements_of(by_event_id(assign_statement_ids(local_events)))
    assert (stored["statement_id"] != stored["event_id"]).any()
    assert store.counts() == (50, len(local_events))
    assert not list((tmp_path / "store").rglob(".part-*"))  # every staged part was committed
    again = process_paths(DEMO, store=tmp_path / "store", engine=engine, **RESOURCES)
    assert (again.processed, again.skipped, again.stored) == (0, 50, 0)


def test_cluster_reports_a_failing_article_by_name_and_commits_the_others(tmp_path, scheduler):
    articles = tmp_path / "articles.jsonl"
    texts = {"calm": "The minister said on Monday that talks would resume.", "bad": "CRASH", "firm": "The general said the army was ready."}
    articles.write_text("".join(json.dumps({"id": doc_id, "published": "2021-03-01", "text": text}) + "\n" for doc_id, text in texts.items()))
    report = process_paths([articles], store=tmp_path / "store", engine=DaskEngine(scheduler=scheduler), extractor_factory=CrashingExtractor)
    assert [(type(e), e.doc_id) for e in report.errors] == [(ExtractionError, "bad")]
    assert "ValueError: cannot parse" in str(report.errors[0]) and str(articles) in str(report.errors[0])
    store = EventStore(tmp_path / "store")
    assert sorted(store.fingerprints()) == ["calm", "firm"]  # the failed article is tried again next run
    assert sorted(store.events()["doc_id"]) == ["calm", "firm"]


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_scheduler_is_one_error_line_naming_its_address(tmp_path, monkeypatch, capsys):
    address = f"tcp://127.0.0.1:{unused_port()}"
    monkeypatch.setattr(cli_module, "DaskEngine", functools.partial(DaskEngine, connect_timeout=0.5))
    status = cli_module.cli(["run", str(DEMO[0]), "--out", str(tmp_path / "events.csv"), "--engine", "dask", "--scheduler", address])
    error = capsys.readouterr().err
    assert status == 1
    assert error.startswith(f"error: cannot reach the Dask scheduler at {address}: ") and "Traceback" not in error
    assert not (tmp_path / "events.csv").exists()


def test_scheduler_without_the_dask_engine_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        cli_module.cli(["run", str(DEMO[0]), "--out", str(tmp_path / "events.csv"), "--scheduler", "tcp://127.0.0.1:8786"])
    assert exit.value.code == 2 and "--scheduler needs --engine dask" in capsys.readouterr().err


def test_worker_with_other_code_or_data_refuses_to_extract():
    spec = ExtractorSpec.make(None, CrashingExtractor, {}, processing="0" * 64)
    with pytest.raises(RunError, match=r"the Dask worker \(this process\) runs other extraction code, data files or model"):
        worker_extractor(spec)
    assert processing_fingerprint(None) != spec.processing
