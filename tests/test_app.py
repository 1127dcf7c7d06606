"""The Streamlit app, run headless with AppTest on a small synthetic events file.

The app is pointed at the file with $ESCALATION_EVENTS (the same path as `-- --events`), so
no test needs the demo build. Uploads go through AppTest's own `file_uploader.set_value`
(supported by this Streamlit version), and the upload handling itself is tested without
Streamlit in test_dashboard.py (`process_upload`, `read_events_upload`).
"""
from __future__ import annotations

import base64
import html
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipeline import runner
from pipeline.dashboard import data_io
from pipeline.dashboard.bench import synthetic_events
from pipeline.dashboard.colours import STANCE_COLOURS, is_red_or_blue
from pipeline.dashboard.cue_reading import read_cues
from pipeline.schema import conform_events_frame
from pipeline.dashboard.selection import TIMELINE_ID_AT, table_key
from pipeline.store.tables import write_events
from pipeline.dashboard.trend import net_per_period, summarise
from pipeline.dashboard.views import Filters, filter_events, prepare_events

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 30


@pytest.fixture(scope="module")
def events_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("events") / "events.csv"
    write_events(synthetic_events(400, seed=7, days=60), path)
    return path


@pytest.fixture
def app(events_file, monkeypatch) -> AppTest:
    monkeypatch.setenv(data_io.EVENTS_ENV_VAR, str(events_file))
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(at: AppTest) -> pd.DataFrame:
    """The evidence table (the other table is the "who is driving it" ranking)."""
    return next(d.value for d in at.dataframe if "quote" in d.value.columns)


def figures(at: AppTest) -> dict[str, dict]:
    """Each chart's figure by its title's first words ("Net escalation per week, all actors" -> "Net escalation per")."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def figure(at: AppTest, title_start: str) -> dict:
    return next(spec for title, spec in figures(at).items() if title.startswith(title_start))


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open the detailed charts' tab `label`, as a click on it does (a rerun)."""
    at.session_state["chart"] = label
    return at.run()


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def timeline(at: AppTest) -> dict:
    return figure(at, "Statements over time")


def point_traces(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t["type"] == "scatter" and t["mode"] == "markers"]


def url(at: AppTest, key: str) -> list[str]:
    """The values of a query parameter as the app left it (AppTest gives one value as a str)."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def numbers(values) -> list[float]:
    """A figure's numeric array as plotly serialises it: a list, or {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def widget(at: AppTest, kind: str, label: str):
    return next(w for w in getattr(at, kind) if w.label == label)


def test_the_app_shows_the_events_file(app, events_file):
    assert app.title[0].value == "Escalation-signal timeline"
    assert [t.label for t in app.tabs] == ["Timeline", "Net escalation by group", "Heatmap by week"]
    assert [title.split(" (")[0].split(",")[0] for title in chart_titles(app)] == ["Net escalation per week", "Statements over time"]
    assert len(table(app)) == 400
    assert app.metric[0].value == "400"
    assert not app.info  # the fictional-demo notice is only for the demo
    spec = timeline(app)
    assert spec["layout"]["yaxis"]["title"]["text"] == "score (−1 de-escalation … +1 escalation)"
    assert sum(len(t["x"]) for t in point_traces(spec)) == 400
    assert app.get("download_button")[0].proto.label == "Download the 400 matching statements (CSV)"
    speakers = widget(app, "multiselect", "Speakers")
    assert speakers.options[0].startswith("Mara Velden (") and speakers.options[0].endswith(")")


def test_choosing_a_speaker_changes_table_charts_url_and_download(app, events_file):
    widget(app, "multiselect", "Speakers").set_value(["Tomas Ferre"]).run()
    shown = table(app)
    assert set(shown["speaker"]) == {"Tomas Ferre"}
    spec = timeline(app)
    assert [t["name"] for t in point_traces(spec)] == ["Norland"]  # grouped by side (country) by default
    assert url(app, "speaker") == ["Tomas Ferre"]

    expected = filter_events(prepare_events(data_io.read_events_file(events_file)), Filters(speakers=("Tomas Ferre",)))
    export = app.session_state["last_export"]
    assert len(shown) == len(expected) == export.rows.size
    pd.testing.assert_frame_equal(export.frame, conform_events_frame(expected))
    assert export() == data_io.events_csv_bytes(expected)
    assert app.get("download_button")[0].proto.label == f"Download the {len(expected)} matching statements (CSV)"


def test_narrowing_the_dates_changes_table_and_charts(app):
    dates = widget(app, "date_input", "Dates")
    first, last = dates.value
    start, end = date(2023, 3, 10), date(2023, 3, 20)
    assert first < start < end < last
    dates.set_value((start, end)).run()
    days = pd.to_datetime(table(app)["date"]).dt.date
    assert len(days) and days.min() >= start and days.max() <= end
    xs = [x for t in point_traces(timeline(app)) for x in t["x"]]
    assert min(xs) >= "2023-03-10" and max(xs) <= "2023-03-20T23:59"
    assert url(app, "from") == ["2023-03-10"] and url(app, "to") == ["2023-03-20"]


def test_a_shared_link_opens_with_its_filters(events_file, monkeypatch):
    monkeypatch.setenv(data_io.EVENTS_ENV_VAR, str(events_file))
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"country": ["Osteria"], "stance": ["escalation"], "min": ["0.5"], "group": ["country"]})
    at.run()
    assert not at.exception
    assert widget(at, "multiselect", "Countries").value == ["Osteria"]
    shown = table(at)
    assert len(shown) and set(shown["country"]) == {"Osteria"} and set(shown["stance"]) == {"escalation"}
    assert shown["score"].abs().min() >= 0.5
    assert [t["name"] for t in point_traces(timeline(at))] == ["Osteria"]


def select_row(at: AppTest, row: int) -> None:
    """Select a row of the evidence table as a click does (its key follows the rows it lists)."""
    at.session_state[table_key(table(at)["event_id"].tolist())] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def card(at: AppTest) -> str | None:
    """The evidence card's HTML without the cue marks (so that a quote reads as one string)."""
    found = [h.value for h in at.get("html") if "Reported by" in h.value]
    return re.sub(r"</?mark>", "", found[0]) if found else None


def select_points(at: AppTest, chart: str, points: list[dict]) -> None:
    """Select points of a chart as a click does (AppTest cannot click a plotly chart)."""
    key = f"{chart}-{at.session_state['charts_round']}"
    at.session_state[key] = {"selection": {"points": points, "point_indices": [0] * len(points), "box": [], "lasso": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_selecting_a_row_shows_the_sentence_with_quote_cues_and_sources(app):
    first = table(app).iloc[0]
    select_row(app, 0)
    shown = card(app)
    assert first["speaker"] in shown and any("<mark>" in h.value for h in app.get("html"))
    assert "<q class='quote'" in shown and html.escape(first["quote"]) in shown
    assert "Reported by 1 article" in shown and html.escape(first["url"], quote=True) in shown
    readings = read_cues(first_event(app, first["event_id"])["cues"], first["stance"])
    assert readings and all(html.escape(r.plain()) in shown for r in readings)  # each cue in plain words


def first_event(at: AppTest, event_id: str) -> pd.Series:
    events = at.session_state["dataset"].events
    return events[events["event_id"] == event_id].iloc[0]


def test_the_selection_follows_the_statement_across_a_filter_change(app):
    rows = table(app)
    pick = rows.iloc[5]
    select_row(app, 5)
    assert html.escape(pick["quote"]) in card(app)
    # Filtering to the statement's country moves it to another row: the card keeps it.
    widget(app, "multiselect", "Countries").set_value([pick["country"]]).run()
    narrowed = table(app)
    assert narrowed["event_id"].tolist().index(pick["event_id"]) != 5
    assert narrowed.iloc[5]["event_id"] != pick["event_id"]
    shown = card(app)
    assert shown is not None and html.escape(pick["quote"]) in shown and html.escape(pick["speaker"]) in shown
    # A filter that hides it leaves no card, rather than another statement's.
    other = next(c for c in rows["country"].unique() if c != pick["country"])
    widget(app, "multiselect", "Countries").set_value([other]).run()
    assert card(app) is None
    assert "The statement selected before does not match these filters." in [c.value for c in app.caption]


def test_speakers_follow_the_chosen_countries(app, events_file):
    everyone = widget(app, "multiselect", "Speakers").options
    widget(app, "multiselect", "Speakers").set_value(["Mara Velden", "Arvid Solberg"]).run()
    widget(app, "multiselect", "Countries").set_value(["Osteria"]).run()
    events = prepare_events(data_io.read_events_file(events_file))
    osteria = events[events["country"] == "Osteria"]["speaker"].astype(str).value_counts()
    offered = widget(app, "multiselect", "Speakers")
    assert len(offered.options) == len(osteria) < len(everyone)
    assert sorted(offered.options) == sorted(f"{name} ({count:,})" for name, count in osteria.items())
    assert offered.value == ["Arvid Solberg"]  # Mara Velden speaks for Norland: no longer offered
    assert set(table(app)["speaker"]) == {"Arvid Solberg"}


def test_stance_is_a_segmented_control(app):
    control = next(b for b in app.button_group if b.label == "Stance")
    assert not control.value
    control.set_value(["de-escalation"]).run()
    assert set(table(app)["stance"]) == {"de-escalation"}
    assert url(app, "stance") == ["de-escalation"]


def test_no_matching_statement_shows_one_empty_state(app):
    widget(app, "text_input", "Quote contains").input("no quote says this").run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 0 and not [d for d in app.dataframe if "quote" in d.value.columns]
    messages = [m.value for m in app.markdown if "No statements match" in m.value]
    assert messages == ["#### No statements match these filters"]
    assert not app.subheader and not app.metric and not app.info
    next(b for b in app.button if b.key == "reset_empty").click().run()
    assert len(table(app)) == 400


def test_clicking_a_timeline_point_narrows_the_evidence_to_it(app):
    spec = timeline(app)
    point = point_traces(spec)[0]
    customdata = point["customdata"][3]
    select_points(app, "timeline", [{"curve_number": 0, "point_index": 3, "customdata": customdata}])
    shown = table(app)
    assert shown["event_id"].tolist() == [customdata[TIMELINE_ID_AT]]
    assert html.escape(shown.iloc[0]["quote"]) in card(app)
    assert any("the statement clicked on the timeline" in i.value for i in app.info)
    next(b for b in app.button if b.label == "Show all matching").click().run()
    assert len(table(app)) == 400 and not any("clicked" in i.value for i in app.info)
    assert app.session_state["charts_round"] == 1  # new chart keys: their selection is cleared


def test_only_the_open_tabs_chart_is_drawn(app):
    open_tab(app, "Heatmap by week")
    assert [title.split(",")[0] for title in chart_titles(app)] == ["Net escalation per week", "Mean score per week"]
    open_tab(app, "Net escalation by group")
    assert chart_titles(app) == ["Net escalation per week, all actors", "Net escalation per week, by country"]
    open_tab(app, "Timeline")
    assert chart_titles(app)[1].startswith("Statements over time")


def test_a_link_opens_its_tab(events_file, monkeypatch):
    monkeypatch.setenv(data_io.EVENTS_ENV_VAR, str(events_file))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["chart"] = "Heatmap by week"
    at.run()
    assert chart_titles(at)[1] == "Mean score per week"


def test_clicking_a_heatmap_cell_narrows_the_evidence_to_its_group_and_week(app, events_file):
    open_tab(app, "Heatmap by week")
    cells = next(t for t in figure(app, "Mean score per week")["data"] if t["type"] == "scatter")
    group, week, _, count = cells["customdata"][0]
    select_points(app, "heatmap", [{"curve_number": 1, "point_index": 0, "customdata": cells["customdata"][0]}])
    shown = table(app)
    days = pd.to_datetime(shown["date"])
    monday = pd.Timestamp(week)
    assert len(shown) == count and set(shown["country"].replace("", "(unknown)")) == {group}
    assert days.min() >= monday and days.max() < monday + pd.Timedelta(days=7)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("bad.csv", b"title,published\nTalks resume,2023-03-05\n", "bad.csv: no 'text' column (columns: title, published)"),
        ("note.txt", "Caf\xe9 talks".encode("latin-1"), "note.txt: not UTF-8 (invalid byte 0xe9 at byte offset 3)"),
    ],
)
def test_a_bad_upload_shows_an_error_and_keeps_the_data(app, name, data, problem):
    before = table(app)
    widget(app, "file_uploader", "Articles to run through the pipeline").set_value((name, data, "application/octet-stream")).run()
    assert not app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and problem in errors[0] and "unchanged" in errors[0]
    pd.testing.assert_frame_equal(table(app), before)
    assert app.metric[0].value == "400"


UPLOADER = "Articles to run through the pipeline"


def fake_pipeline(monkeypatch, *batches: pd.DataFrame) -> list:
    """Make the pipeline return `batches` in turn (the articles it was given are recorded)."""
    seen: list = []
    queue = list(batches)
    monkeypatch.setattr(runner, "process_articles", lambda articles, **options: seen.extend(articles) or queue.pop(0))
    return seen


def article_line(doc_id: str, published: str | None = "2023-06-02") -> bytes:
    record = {"id": doc_id, "text": "Talks resume, Aalto said."} | ({"published": published} if published else {})
    return (json.dumps(record) + "\n").encode()


def statuses(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "problem" in d.value.columns)


def caption_of_data(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Showing "))


def test_a_good_upload_is_added_and_the_view_jumps_to_it(app, monkeypatch):
    # June: after the 60 days of the events file, so the jump shows only the new statements.
    extra = synthetic_events(3, seed=99, start=date(2023, 6, 1), days=5).assign(speaker="Ines Aalto", event_id=["u1", "u2", "u3"])
    fake_pipeline(monkeypatch, extra)
    widget(app, "file_uploader", UPLOADER).set_value(("mine.jsonl", article_line("u"), "application/json")).run()
    assert not app.exception and not app.error
    assert "mine.jsonl: 3 statements from 1 article added to the view." in [s.value for s in app.success]
    assert caption_of_data(app).startswith("Showing the events table ") and "+ your data: 403 statements" in caption_of_data(app)
    days = sorted(pd.to_datetime(extra["date"]).dt.date)
    assert widget(app, "date_input", "Dates").value == (days[0], days[-1])
    assert sorted(table(app)["event_id"]) == ["u1", "u2", "u3"]
    assert url(app, "from") == [days[0].isoformat()]
    assert any(o.startswith("Ines Aalto (3)") for o in widget(app, "multiselect", "Speakers").options)
    assert statuses(app).to_dict("records") == [{"file": "mine.jsonl", "status": "added", "statements": 3, "problem": ""}]
    assert any("lives only in this browser session" in i.value and "download the CSV" in i.value for i in app.info)
    next(b for b in app.button if b.label == "Reset filters").click().run()
    assert len(table(app)) == 403


def test_only_my_articles_replaces_the_data_and_later_uploads_join_it(app, monkeypatch):
    mine = synthetic_events(3, seed=99).assign(event_id=["u1", "u2", "u3"])
    more = synthetic_events(2, seed=98).assign(event_id=["v1", "v2"])
    fake_pipeline(monkeypatch, mine, more)
    mode = widget(app, "radio", "Your articles")
    assert mode.options == ["Add to the data shown", "Analyse only my articles"]
    mode.set_value("only").run()
    widget(app, "file_uploader", UPLOADER).set_value(("mine.jsonl", article_line("u"), "application/json")).run()
    assert not app.exception and not app.error
    assert caption_of_data(app).startswith("Showing your articles: 3 statements")
    assert sorted(table(app)["event_id"]) == ["u1", "u2", "u3"] and app.metric[0].value == "3"
    widget(app, "file_uploader", UPLOADER).set_value(("more.jsonl", article_line("v"), "application/json")).run()
    assert caption_of_data(app).startswith("Showing your articles: 5 statements")
    assert list(statuses(app)["file"]) == ["more.jsonl", "mine.jsonl"]  # newest first


def test_each_uploaded_file_gets_its_status_and_a_bad_one_loses_nothing_else(app, monkeypatch):
    good = synthetic_events(2, seed=5).assign(event_id=["g1", "g2"])
    seen = fake_pipeline(monkeypatch, good)
    undated = article_line("late", published=None)
    files = [
        ("good.jsonl", article_line("g") + undated, "application/json"),
        ("bad.csv", b"title,published\nTalks resume,2023-03-05\n", "text/csv"),
    ]
    widget(app, "file_uploader", UPLOADER).set_value(files).run()
    assert not app.exception
    assert [a.doc_id for a in seen] == ["g"]  # the undated record is skipped, its file still read
    rows = statuses(app).to_dict("records")
    assert [(r["file"], r["status"], r["statements"]) for r in rows] == [
        ("bad.csv", "nothing added", 0),
        ("good.jsonl", "added, some of it unreadable", 2),
    ]
    assert rows[0]["problem"] == "no 'text' column (columns: title, published)"
    assert rows[1]["problem"] == "line 2: missing 'published' (choose a date for articles that carry none)"
    assert "+ your data: 402 statements" in caption_of_data(app)


def test_a_pasted_text_requires_its_date(app, monkeypatch):
    seen = fake_pipeline(monkeypatch, synthetic_events(2, seed=5).assign(event_id=["p1", "p2"]))
    widget(app, "text_area", "…or paste an article's text").input("“We will not back down,” Velden said.")
    assert widget(app, "date_input", "Its publication date (required)").value is None
    next(b for b in app.button if b.label == "Extract statements").click().run()
    assert not seen
    refused = "Upload problem: pasted text: no publication date (choose the date the article was published)."
    assert [e.value for e in app.error] == [refused + " Nothing was added; the data shown is unchanged."]
    assert statuses(app).to_dict("records") == [
        {"file": "pasted text", "status": "nothing added", "statements": 0, "problem": "no publication date (choose the date the article was published)"}
    ]
    assert app.metric[0].value == "400"
    assert widget(app, "text_area", "…or paste an article's text").value.startswith("“We will not")  # not lost


def test_a_bad_events_table_shows_an_error_and_keeps_the_data(app):
    widget(app, "file_uploader", "Or open an events table (replaces the data)").set_value(("other.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert "other.csv: not an events table" in app.error[0].value
    assert app.metric[0].value == "400"


def test_pasted_text_is_run_through_the_pipeline(app, monkeypatch):
    seen = []
    extra = synthetic_events(2, seed=5).assign(event_id=["p1", "p2"])
    monkeypatch.setattr(runner, "process_articles", lambda articles, **options: seen.extend(articles) or extra)
    widget(app, "text_area", "…or paste an article's text").input("“We will not back down,” Velden said.")
    widget(app, "date_input", "Its publication date (required)").set_value(date(2023, 3, 9))
    next(b for b in app.button if b.label == "Extract statements").click().run()
    assert not app.exception and not app.error
    assert seen[0].published == date(2023, 3, 9) and seen[0].text.startswith("“We will not")
    assert "+ your data: 402 statements" in caption_of_data(app)


def test_without_an_events_file_the_app_builds_the_demo_with_progress(monkeypatch):
    monkeypatch.delenv(data_io.EVENTS_ENV_VAR, raising=False)
    st.cache_data.clear()
    built: list = []
    ticks: list = []

    def fake_cached_demo(fingerprint, cache_dir=None):
        return data_io.DemoBuild(synthetic_events(50, seed=3), [], 5, True) if built else None

    def fake_build(progress=None, **options):
        for done in range(3):
            progress(done, 2)
            ticks.append(done)
        built.append(True)
        return fake_cached_demo("fp")

    monkeypatch.setattr(data_io, "demo_fingerprint", lambda *a, **k: "fp-test")
    monkeypatch.setattr(data_io, "cached_demo", fake_cached_demo)
    monkeypatch.setattr(data_io, "load_demo_events", fake_build)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert built == [True] and ticks == [0, 1, 2]
    assert "The demo crisis is fictional" in at.info[0].value
    assert at.metric[0].value == "50"


def test_the_answer_at_the_top_for_the_escalating_weeks(app, events_file):
    widget(app, "date_input", "Dates").set_value((date(2023, 3, 1), date(2023, 3, 26))).run()
    # The synthetic crisis flares in the weeks of 13 and 20 March, mostly from Norland.
    sentence = app.subheader[0].value
    assert sentence == (
        "Escalating for 2 weeks (since the week of 13 Mar); escalation peaked in the week of 13 Mar (+28.5); "
        "Norland drives 74% of the rise."
    )
    expected = filter_events(prepare_events(data_io.read_events_file(events_file)), Filters(end=date(2023, 3, 26)))
    weeks = net_per_period(expected, "week")
    assert sentence == summarise(expected, "week").sentence()

    bars = figure(app, "Net escalation per week, all actors")
    up, down = bars["data"]
    assert (up["type"], up["marker"]["color"], down["marker"]["color"]) == ("bar", STANCE_COLOURS["escalation"], STANCE_COLOURS["de-escalation"])
    ups, downs = numbers(up["y"]), numbers(down["y"])
    assert min(ups) > 0 and max(downs) < 0
    assert sorted(ups + downs) == pytest.approx(sorted(v for v in weeks["net"] if v != 0))

    metrics = {m.label: m for m in app.metric}
    net = metrics["Net escalation, the week of 20 Mar"]
    last, before = weeks["net"].iloc[-1], weeks["net"].iloc[-2]
    assert net.value == f"{last:+,.1f}" and net.delta == f"{last - before:+,.1f} on the week before"
    assert metrics["Statements, the week of 20 Mar"].value == str(weeks["events"].iloc[-1])

    drivers = next(d.value for d in app.dataframe if "side" in d.value.columns)
    assert list(drivers.columns) == ["side", "last 7 days", "last 14 days", "last 30 days"]
    assert drivers["side"].iloc[-1] == "all sides"
    assert drivers["last 14 days"].iloc[:-1].sum() == pytest.approx(drivers["last 14 days"].iloc[-1])


def test_grouping_is_by_country_with_speakers_as_the_drill_down(app):
    assert widget(app, "radio", "Colour and group by").value == "country"
    spec = timeline(app)
    assert spec["layout"]["legend"]["title"]["text"] == "country"
    assert {t["name"] for t in point_traces(spec)} == {"Norland", "Osteria", "Kestria", "Union of Ardal", "Varesh", "Regional Security Council", "(unknown)"}
    widget(app, "radio", "Colour and group by").set_value("speaker").run()
    spec = timeline(app)
    names = [t["name"] for t in point_traces(spec)]
    assert spec["layout"]["legend"]["title"]["text"] == "speaker (country)"
    assert names[:3] == ["Mara Velden (Norland)", "Tomas Ferre (Norland)", "Ilse Karov (Norland)"]
    assert not any(name.startswith(("a ", "an ", "the ")) for name in names)  # unnamed officials are gathered per side
    assert url(app, "group") == ["speaker"]
    counts = {t["name"]: len(t["x"]) for t in point_traces(spec)}
    assert counts.get("other", 0) <= max(counts.values())
    colours = [t["marker"]["color"] for t in point_traces(spec)]
    assert not any(is_red_or_blue(c) for c in colours)
