"""The event store (pipeline.store.dataset) and `run --store`: idempotent appends, an article's
rows replaced alone, month partitions, DuckDB reads, uncommitted parts, and a killed run resumed.

The runner tests use the fake extractor of test_runner; the kill test runs the real command on the
demo articles.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import cli as cli_module
from pipeline.runner import process_paths
from pipeline.schema import EVENT_COLUMNS
from pipeline.store.dataset import EventStore
from pipeline.store.tables import StoreError, read_events
from test_runner import FakeExtractor

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo" / "articles.jsonl"

run_store = partial(process_paths, extractor_factory=FakeExtractor, workers=1)


def write_jsonl(path: Path, articles: list[tuple[str, str, str]]) -> Path:
    """(id, published, text) rows as a .jsonl input."""
    lines = [json.dumps({"id": doc_id, "published": published, "text": text}) for doc_id, published, text in articles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ARTICLES = [
    ("a", "2021-03-01", "The minister said the army was ready. Nothing else happened."),
    ("b", "2021-03-30", "Officials said talks would resume. The envoy said he was hopeful."),
    ("c", "2021-04-02", "The general said troops were moving."),
    ("d", "2021-04-15", "No statement here."),
]


def data_files(store: Path) -> dict[str, int]:
    """Every file under events/, relative, with its modification time."""
    return {p.relative_to(store).as_posix(): p.stat().st_mtime_ns for p in (store / "events").rglob("*") if p.is_file()}


def test_event_store_rerun_changes_nothing(tmp_path):
    inputs = write_jsonl(tmp_path / "news.jsonl", ARTICLES)
    store = tmp_path / "store"
    first = run_store([inputs], store=store)
    assert (first.processed, first.skipped, first.stored) == (4, 0, 4)
    files, rows = data_files(store), EventStore(store).events()

    again = run_store([inputs], store=store)
    assert (again.processed, again.skipped, again.stored) == (0, 4, 0)
    assert data_files(store) == files
    pd.testing.assert_frame_equal(EventStore(store).events(), rows)
    assert list(rows["doc_id"]) == ["a", "b", "b", "c"]
    assert EventStore(store).counts() == (4, 4)


def test_event_store_changed_article_replaces_only_its_rows(tmp_path):
    store = tmp_path / "store"
    run_store([write_jsonl(tmp_path / "news.jsonl", ARTICLES)], store=store)
    before = EventStore(store).events()
    changed = [("b", "2021-03-30", "Officials said nothing new.")] + [row for row in ARTICLES if row[0] != "b"]

    report = run_store([write_jsonl(tmp_path / "news.jsonl", changed)], store=store)

    assert (report.processed, report.skipped, report.stored) == (1, 3, 1)
    after = EventStore(store).events()
    assert list(after.loc[after["doc_id"] == "b", "quote"]) == ["Officials said nothing new."]
    unchanged = ["a", "c"]
    pd.testing.assert_frame_equal(
        after[after["doc_id"].isin(unchanged)].reset_index(drop=True),
        before[before["doc_id"].isin(unchanged)].reset_index(drop=True),
    )
    # "a" shared a file with "b": that file was rewritten without "b", and no file is left behind
    assert sorted(data_files(store)) == EventStore(store).files()
    assert EventStore(store).counts() == (4, 3)


def test_event_store_partitions_by_month_of_the_statement_date(tmp_path):
    store = tmp_path / "store"
    run_store([write_jsonl(tmp_path / "news.jsonl", ARTICLES)], store=store, chunk_size=2)
    months = {}
    for relative in EventStore(store).files():
        folder, name = relative.split("/")[1:]
        table = pq.read_table(store / relative)
        assert table.column_names == list(EVENT_COLUMNS)
        assert name.startswith("part-") and name.endswith(".parquet")
        months.setdefault(folder, set()).update(table.column("doc_id").to_pylist())
        assert {d[:7] for d in table.column("date").to_pylist()} == {folder.removeprefix("month=")}
    assert months == {"month=2021-03": {"a", "b"}, "month=2021-04": {"c"}}


def test_event_store_is_read_by_duckdb(tmp_path):
    store = tmp_path / "store"
    run_store([write_jsonl(tmp_path / "news.jsonl", ARTICLES)], store=store, chunk_size=3)
    glob = str(store / "events" / "*" / "*.parquet")
    by_month = duckdb.sql(
        f"SELECT month, count(*) FROM read_parquet('{glob}', hive_partitioning = true) GROUP BY month ORDER BY month"
    ).fetchall()
    assert by_month == [("2021-03", 3), ("2021-04", 1)]
    with EventStore(store).connect() as connection:
        quotes = connection.sql("SELECT quote FROM events WHERE doc_id = 'b' ORDER BY start").fetchall()
    assert quotes == [("Officials said talks would resume.",), (" The envoy said he was hopeful.",)]
    assert list(EventStore(store).events("date >= '2021-04-01'")["doc_id"]) == ["c"]


def test_event_store_reads_an_articles_rows_from_the_files_that_hold_them_only(tmp_path):
    store = tmp_path / "store"
    run_store([write_jsonl(tmp_path / "news.jsonl", ARTICLES)], store=store, chunk_size=1)
    opened = EventStore(store)
    holding_c = opened.files(doc_ids=["c"])
    assert len(opened.files()) == 3 and len(holding_c) == 1 and holding_c[0].startswith("events/month=2021-04/")
    assert opened.files(["2021-03"], doc_ids=["c"]) == [] and opened.files(doc_ids=["nobody"]) == []
    assert list(opened.events(doc_ids=["c", "a"])["doc_id"]) == ["a", "c"]
    assert opened.fingerprints(["c", "nobody"]) == {"c": opened.fingerprints()["c"]}
    # more articles than SQLite binds to one statement are asked in chunks
    many = [f"absent-{n}" for n in range(2500)] + ["c"]
    assert opened.fingerprints(many).keys() == {"c"} and opened.files(doc_ids=many) == holding_c


def test_event_store_uncommitted_parts_are_ignored_then_cleaned_up(tmp_path):
    store = tmp_path / "store"
    run_store([write_jsonl(tmp_path / "news.jsonl", ARTICLES[:1])], store=store)
    committed = EventStore(store).events()
    other = EventStore(tmp_path / "other")
    run_store([write_jsonl(tmp_path / "more.jsonl", ARTICLES[2:3])], store=other.directory)
    # a run killed before its commit, and one killed between renaming its part into place and the commit
    [staged] = EventStore(store).write_parts(other.events())
    orphan = store / "events" / "month=2021-04" / ("part-" + "0" * 32 + ".parquet")
    orphan.write_bytes((other.directory / other.files()[0]).read_bytes())

    pd.testing.assert_frame_equal(EventStore(store).events(), committed)
    assert EventStore(store).fingerprints().keys() == {"a"}
    assert len(data_files(store)) == 3
    with EventStore(store).writing():
        pass
    assert sorted(data_files(store)) == EventStore(store).files() and len(EventStore(store).files()) == 1
    pd.testing.assert_frame_equal(EventStore(store).events(), committed)


def test_event_store_refuses_a_second_writer_and_a_stray_part(tmp_path):
    store = EventStore(tmp_path / "store")
    run_store([write_jsonl(tmp_path / "news.jsonl", ARTICLES[:2])], store=tmp_path / "source")
    early = store.write_parts(EventStore(tmp_path / "source").events())
    with store.writing():  # removes parts staged before it: a killed run's
        with pytest.raises(StoreError, match="no such staged part"):
            store.commit(early, {"a": "fingerprint", "b": "fingerprint"})
        parts = store.write_parts(EventStore(tmp_path / "source").events())
        with pytest.raises(StoreError, match="another process is writing to this store"):
            with EventStore(tmp_path / "store").writing():
                pass
        with pytest.raises(StoreError, match="holds rows of article\\(s\\) not being committed: b"):
            store.commit(parts, {"a": "fingerprint"})
        store.commit(parts, {"a": "fingerprint", "b": "fingerprint"})
    assert store.counts() == (2, 3)


def test_event_store_failed_article_is_not_committed_and_retried(tmp_path):
    store = tmp_path / "store"
    articles = [*ARTICLES[:2], ("e", "2021-03-05", "CRASH. He said no.")]
    first = run_store([write_jsonl(tmp_path / "news.jsonl", articles)], store=store)
    assert [error.doc_id for error in first.errors] == ["e"]
    assert EventStore(store).fingerprints().keys() == {"a", "b"}
    again = run_store([write_jsonl(tmp_path / "news.jsonl", articles)], store=store)
    assert (again.processed, again.skipped) == (1, 2)


def test_event_store_cli_writes_the_store_and_the_table(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli_module, "process_paths", run_store)
    inputs, store, out = write_jsonl(tmp_path / "news.jsonl", ARTICLES), tmp_path / "store", tmp_path / "events.csv"
    assert cli_module.cli(["run", str(inputs), "--store", str(store)]) == 0
    assert f"store: 4 events committed to {store} (it holds 4 events of 4 articles)" in capsys.readouterr().err
    assert cli_module.cli(["run", str(inputs), "--store", str(store), "--out", str(out)]) == 0
    log = capsys.readouterr().err
    assert "4 read from 1 file(s), 0 processed, 4 unchanged and skipped" in log
    assert f"statements: 4 events written to {out}" in log
    assert f"store: 0 events committed to {store} (it holds 4 events of 4 articles)" in log
    pd.testing.assert_frame_equal(read_events(out), run_store([inputs]).events)
    with pytest.raises(SystemExit):
        cli_module.cli(["run", str(inputs)])
    assert "the following arguments are required: --out or --store (or both)" in capsys.readouterr().err


def run_command(inputs: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(inputs), "--store", str(store), "--workers", "1",
         "--batch-size", "4", "--no-progress"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_event_store_killed_run_resumes_and_equals_an_uninterrupted_run(tmp_path, extractor):
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:24]
    inputs = tmp_path / "demo.jsonl"
    inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    killed_store = tmp_path / "killed"
    killed = run_command(inputs, killed_store)
    try:
        deadline = time.monotonic() + 60
        while EventStore(killed_store).counts()[0] == 0 and killed.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(killed.pid, signal.SIGKILL)
    finally:
        killed.communicate()
    committed = EventStore(killed_store).counts()[0]
    assert killed.returncode == -signal.SIGKILL
    assert 4 <= committed < len(lines)

    resumed = run_command(inputs, killed_store)
    _, log = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, log
    assert f"{len(lines) - committed} processed, {committed} unchanged and skipped" in log

    # the uninterrupted run, in this process with the tests' extractor
    process_paths([inputs], store=tmp_path / "whole", workers=1, chunk_size=4, extractor_factory=lambda *_: extractor)
    expected = EventStore(tmp_path / "whole").events().sort_values("event_id").reset_index(drop=True)
    got = EventStore(killed_store).events().sort_values("event_id").reset_index(drop=True)
    assert len(expected) > len(lines)
    pd.testing.assert_frame_equal(got, expected)
    assert EventStore(killed_store).fingerprints() == EventStore(tmp_path / "whole").fingerprints()
    assert sorted(data_files(killed_store)) == EventStore(killed_store).files()
