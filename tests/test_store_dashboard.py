"""The dashboard over an event store: DuckDB queries against the in-memory (pandas) path.

A small synthetic store (`generate_store`, 5,000 reports of about 3,000 statements over twelve
years) is opened both ways: with `store_queries` (DuckDB over its Parquet files) and read whole
into a `views.Dataset`. Every aggregate the charts draw must come out the same; then the app
runs on the store with AppTest.
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipeline.dashboard import data_io, store_queries
from pipeline.dashboard.charts import build_view
from pipeline.dashboard.generate_store import generate
from pipeline.dashboard.views import Dataset, Filters
from pipeline.schema import EVENT_COLUMNS, conform_events_frame

APP = Path(__file__).resolve().parent.parent / "app.py"
EVENTS = 5_000


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    generate(folder, EVENTS, seed=3)
    return folder


@pytest.fixture(scope="module")
def store(folder) -> store_queries.Store:
    return store_queries.open_store(folder)


@pytest.fixture(scope="module")
def dataset(folder) -> Dataset:
    frame = pd.concat([pq.read_table(path).to_pandas() for path in store_queries.data_files(folder)], ignore_index=True)
    return Dataset.from_frame(conform_events_frame(frame), "the same events in memory")


def build_store(store, filters):
    return store_queries.build_store_view(store.cursor(), store, filters, point_limit=5_000, table_limit=1_000)


def test_generated_store_has_the_layout_and_shares_statement_ids(folder, dataset):
    files = store_queries.data_files(folder)
    assert len(files) > 100 and all(p.parent.name.startswith("month=") for p in files)
    assert pq.read_schema(files[0]).names == list(EVENT_COLUMNS)
    events = dataset.events
    assert len(events) == EVENTS
    months = events["date"].str.slice(0, 7).to_numpy(dtype=object)
    assert (events["published"].to_numpy(dtype=object) >= events["date"].to_numpy(dtype=object)).all()
    assert 0.4 < events["statement_id"].nunique() / EVENTS < 0.8  # statements reported several times
    assert set(events["date_precision"]) == {"day", "week", "month", "published"}
    assert events["country"].nunique() == 60 and events["speaker"].nunique() > 500
    assert len(set(months)) > 100


def test_options_come_from_duckdb_aggregates(store, dataset):
    assert (store.events, store.statements) == (EVENTS, dataset.events["statement_id"].nunique())
    assert store.speaker_counts == dataset.speaker_counts and store.country_counts == dataset.country_counts
    assert (store.first_day, store.last_day) == (dataset.first_day, dataset.last_day)
    country = list(dataset.country_counts)[2]
    from pipeline.dashboard.views import speaker_options

    expected = speaker_options(dataset.events, [country], dataset.speaker_counts)
    assert store_queries.speaker_options(store.cursor(), store, [country]) == expected


def filter_cases(dataset) -> list[Filters]:
    countries, speakers = list(dataset.country_counts), list(dataset.speaker_counts)
    return [
        Filters(),
        Filters(every_report=True),
        Filters(group_by="speaker", period="day"),
        Filters(countries=tuple(countries[:3]), precise_only=True),
        Filters(speakers=tuple(speakers[:4]), every_report=True, group_by="speaker"),
        Filters(stances=("escalation",), min_abs_score=0.5, start=date(2020, 1, 1), end=date(2022, 6, 30)),
        Filters(text="ceasefire", top_n=3),
        Filters(attributed_only=True, group_by="speaker"),
    ]


@pytest.mark.parametrize("case", range(8))
def test_store_queries_give_the_pandas_paths_aggregates(store, dataset, case):
    filters = filter_cases(dataset)[case]
    memory, duck = build_view(dataset.events, filters), build_store(store, filters)
    assert duck.matching == memory.matching > 0
    assert duck.speakers == dataset.events["speaker"].iloc[memory.rows].nunique()
    assert duck.labels == list(memory.groups.categories)
    columns = ["group", "day", "events", "net", "escalation", "de_escalation", "score_sum"]
    for mine, theirs in ((duck.charts.daily, memory.charts.daily), (duck.charts.periods, memory.charts.periods)):
        key = ["group", "day" if "day" in mine.columns else "period"]
        a, b = (f.sort_values(key).reset_index(drop=True) for f in (mine, theirs))
        assert a[key].astype(str).equals(b[key].astype(str))
        numbers = [c for c in columns[2:] if c in a.columns]
        np.testing.assert_allclose(a[numbers].to_numpy(float), b[numbers].to_numpy(float), atol=1e-4)  # the cache keeps scores as FLOAT
    assert duck.charts.summary.state == memory.charts.summary.state and duck.charts.summary.since == memory.charts.summary.since
    np.testing.assert_allclose(duck.charts.drivers.iloc[:, 1:].to_numpy(float).sum(axis=0), memory.charts.drivers.iloc[:, 1:].to_numpy(float).sum(axis=0), atol=1e-4)
    assert duck.charts.change == pytest.approx(memory.charts.change) if memory.charts.change is None else duck.charts.change.events == memory.charts.change.events
    # The evidence: the newest statements (ties within a day may be listed in another order).
    assert duck.table["date"].tolist() == memory.table["date"].astype(str).tolist()
    assert list(duck.table.columns) == list(memory.table.columns)


def test_the_charts_aggregate_reads_the_per_day_table_unless_a_filter_needs_single_reports(store, dataset):
    cases = filter_cases(dataset)
    assert [store_queries.on_days(f) for f in cases] == [True, True, False, True, False, False, False, False]
    cursor = store.cursor()
    (days, heads), = cursor.execute("SELECT count(*), sum(n) FILTER (WHERE head) FROM days").fetchall()
    assert days < store.events and heads == store.statements  # fewer rows, every statement counted


def markers(figure) -> list:
    return [t for t in figure.data if t.mode == "markers"]


def test_one_point_per_statement_sized_by_its_reports(store):
    points = markers(build_store(store, Filters()).charts.timeline)
    sizes = np.concatenate([np.atleast_1d(t.marker.size) for t in points])
    reports = np.concatenate([np.asarray(t.customdata)[:, 6].astype(int) for t in points])
    assert len(sizes) == store.statements and reports.sum() == EVENTS  # every report counted once, on its statement
    order = np.argsort(reports, kind="stable")
    assert sizes.min() == 6 and sizes.max() > 12 and np.all(np.diff(sizes[order]) >= 0)  # more reports, a bigger point
    every = markers(build_store(store, Filters(every_report=True)).charts.timeline)
    assert sum(len(t.x) for t in every) == EVENTS and all(t.marker.size == 6 for t in every)


def test_the_card_lists_every_source_of_a_statement(store, dataset):
    events = dataset.events
    busiest = events["statement_id"].value_counts().index[0]
    reports = events[events["statement_id"] == busiest]
    view = build_store(store, Filters(speakers=(str(reports["speaker"].iloc[0]),), start=_day(reports), end=_day(reports)))
    cursor = store.cursor()
    found = [store_queries.event_row(cursor, store, key, Filters()) for key in view.table["event_id"]]
    head = next(e for e in found if e is not None and e["statement_id"] == busiest)
    sources = store_queries.statement_sources(cursor, store, head)
    assert sorted(sources["doc_id"]) == sorted(reports["doc_id"].unique()) and len(sources) > 2
    assert sources["published"].is_monotonic_increasing
    assert store_queries.event_row(cursor, store, view.table["event_id"][0], Filters(stances=("neutral",), speakers=("nobody",))) is None


def test_in_memory_the_card_lists_every_report_of_the_statement_too(dataset):
    from pipeline.dashboard.evidence import statement_sources

    events = dataset.events
    busiest = events["statement_id"].value_counts().index[0]
    head = events[(events["statement_id"] == busiest) & events["_head"]].iloc[0].to_dict()
    sources = statement_sources(events, head)
    assert sorted(sources["doc_id"]) == sorted(events.loc[events["statement_id"] == busiest, "doc_id"].unique())
    assert head["_mentions"] == (events["statement_id"] == busiest).sum()


def test_heads_are_the_statements_views_first_reports(dataset, store):
    from pipeline.store.statements import statements_view

    events = dataset.events
    view = statements_view(conform_events_frame(events))
    heads = events[events["_head"].to_numpy(dtype=bool)]
    assert sorted(heads["event_id"]) == sorted(view["event_id"]) and len(view) == store.statements
    mentions = dict(zip(view["statement_id"], view["mentions"]))
    assert all(mentions[s] == m for s, m in zip(heads["statement_id"], heads["_mentions"]))


def _day(reports: pd.DataFrame) -> date:
    return date.fromisoformat(str(reports.sort_values(["published", "event_id"])["date"].iloc[0]))


def test_csv_export_streams_the_matching_rows(store, dataset):
    filters = Filters(countries=(list(dataset.country_counts)[1],), every_report=True)
    data = store_queries.StoreExport(store, filters)()
    exported = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    expected = build_view(dataset.events, filters).filtered
    assert list(exported.columns) == list(EVENT_COLUMNS)
    assert sorted(exported["event_id"]) == sorted(expected["event_id"].astype(str))
    assert len(store_queries.export_csv(store.cursor(), store, filters, limit=10).splitlines()) == 11


def test_app_on_a_store_renders_and_follows_the_filters(folder, store, dataset, monkeypatch):
    monkeypatch.delenv(data_io.EVENTS_ENV_VAR, raising=False)
    monkeypatch.setenv(data_io.STORE_ENV_VAR, str(folder))
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].value == f"{store.statements:,}"
    assert any(f"{EVENTS:,} reports of {store.statements:,} statements" in c.value for c in at.caption)
    assert not [e for e in at.expander if "your own" in e.label]  # uploads join a table in memory, not a store
    at.segmented_control(key="f_stances").set_value(["escalation"]).run()
    assert not at.exception
    expected = build_view(dataset.events, Filters(stances=("escalation",))).matching
    assert at.metric[0].value == f"{expected:,}" and at.query_params["stance"] == "escalation"
    at.toggle(key="f_statements").set_value(False).run()
    reports = build_view(dataset.events, Filters(stances=("escalation",), every_report=True)).matching
    assert at.metric[0].value == f"{reports:,}" and at.query_params["reports"] == "all"
    table = next(d.value for d in at.dataframe if "quote" in d.value.columns)
    assert len(table) == 1_000 and table["date"].is_monotonic_decreasing
    assert at.session_state.last_export.filters.every_report


def test_a_store_written_by_the_pipeline_is_read_through_its_bookkeeping(tmp_path):
    from pipeline.dashboard.bench import synthetic_events
    from pipeline.store.dataset import EventStore

    frame = synthetic_events(60, seed=4)
    written = EventStore(tmp_path)
    with written.writing():
        written.commit(written.write_parts(frame), {doc: "v1" for doc in frame["doc_id"].unique()})
    (tmp_path / "events" / "month=2023-03" / "stray.parquet").write_bytes(b"not committed, not read")
    opened = store_queries.open_store(tmp_path)
    assert (opened.events, opened.statements) == (60, 60)
    assert opened.country_counts == Dataset.from_frame(frame, "x").country_counts


def test_data_files_written_before_a_column_existed_still_open_read_and_export(tmp_path):
    """Files without `found_by` (written before it was recorded): the store's own reader, the
    dashboard's rows and its CSV export read it as empty, in the schema's columns."""
    from pipeline.dashboard.bench import synthetic_events
    from pipeline.store.dataset import EventStore

    frame = synthetic_events(40, seed=5).assign(found_by="reporting verb")
    written = EventStore(tmp_path)
    with written.writing():
        written.commit(written.write_parts(frame), {doc: "v1" for doc in frame["doc_id"].unique()})
    for path in (tmp_path / "events").glob("*/*.parquet"):
        pq.write_table(pq.read_table(path).drop_columns(["found_by"]), path)
    rows = EventStore(tmp_path).events()
    assert list(rows.columns) == list(EVENT_COLUMNS) and len(rows) == 40 and set(rows["found_by"]) == {""}
    opened = store_queries.open_store(tmp_path)
    assert "found_by" not in opened.columns
    cursor = opened.cursor()
    key = build_store(opened, Filters()).table["event_id"][0]
    assert store_queries.event_row(cursor, opened, key)["found_by"] == ""
    exported = pd.read_csv(io.BytesIO(store_queries.export_csv(cursor, opened, Filters())), keep_default_na=False)
    assert list(exported.columns) == list(EVENT_COLUMNS) and len(exported) == 40 and set(exported["found_by"]) == {""}
