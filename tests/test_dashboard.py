"""The dashboard's pure functions: filters, aggregation, export, highlighting, URL, uploads, demo.

The events are hand-written (fictional officials of fictional states, like the demo), so the
expected filter results and index values below can be checked by hand.
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import dashboard, runner
from pipeline.charts import build_view
from pipeline.schema import EVENT_COLUMNS, STANCES, Event, conform_events_frame, events_to_frame, make_event_id
from pipeline.store import read_events
from pipeline.evidence import event_card_html, highlight_cues, shorten
from pipeline.views import (
    OTHER,
    Dataset,
    Filters,
    daily_stats,
    filter_events,
    filter_rows,
    group_labels,
    option_counts,
    option_label,
    period_stats,
    prepare_events,
    rolling_net,
)

# (date, speaker, country, stance, score, cues, quote, sentence)
ROWS = [
    ("2024-03-04", "Mara Velden", "Norland", "escalation", 0.8, "warned;retaliation",
     "Any incursion will be met with swift retaliation",
     "“Any incursion will be met with swift retaliation,” Foreign Minister Mara Velden warned on Monday."),
    ("2024-03-05", "Arvid Solberg", "Osteria", "de-escalation", -0.6, "talks;restraint",
     "We are ready for talks and urge restraint on all sides",
     "“We are ready for talks and urge restraint on all sides,” Prime Minister Arvid Solberg said."),
    ("2024-03-07", "Mara Velden", "Norland", "escalation", 0.4, "troops",
     "Our troops remain on alert along the strait",
     "Velden said: “Our troops remain on alert along the strait.”"),
    ("2024-03-08", "a senior Osterian official", "Osteria", "neutral", 0.0, "",
     "The minister will travel to Ardal next week",
     "“The minister will travel to Ardal next week,” a senior Osterian official said."),
    ("2024-03-12", "Arvid Solberg", "Osteria", "escalation", 0.7, "blockade;warn",
     "The blockade will continue until Norland backs down",
     "Solberg warned that “the blockade will continue until Norland backs down.”"),
    ("2024-03-13", "Ines Aalto", "Regional Security Council", "de-escalation", -0.9, "ceasefire;agreed",
     "Both sides have agreed to a ceasefire starting at midnight",
     "“Both sides have agreed to a ceasefire starting at midnight,” Secretary-General Ines Aalto announced."),
    ("2024-03-14", "Mara Velden", "Norland", "de-escalation", -0.3, "dialogue",
     "We are open to dialogue, NA \"as always\", with our neighbours",
     "“We are open to dialogue, NA \"as always\", with our neighbours,”\nVelden told reporters."),
    ("2024-03-19", "Tomas Ferre", "Norland", "escalation", 0.5, "red line",
     "The strait is a red line for Norland",
     "Defence Minister Tomas Ferre said “the strait is a red line for Norland.”"),
    ("2024-03-20", "an unnamed diplomat", "", "de-escalation", -0.2, "calm",
     "Calm heads will prevail",
     "“Calm heads will prevail,” an unnamed diplomat said."),
    ("2024-03-22", "Arvid Solberg", "Osteria", "escalation", 0.9, "retaliate;force",
     "We will retaliate with full force",
     "“We will retaliate with full force,” Solberg said on Friday."),
]


def make_events() -> pd.DataFrame:
    events = []
    for number, (day, speaker, country, stance, score, cues, quote, sentence) in enumerate(ROWS):
        doc_id = f"ledger-{day}"
        start = sentence.index(quote[1:]) - 1 if quote not in sentence else sentence.index(quote)
        events.append(
            Event(
                event_id=make_event_id(doc_id, start, start + len(quote), speaker),
                doc_id=doc_id,
                published=day,
                date=day,
                date_basis="published" if number % 2 else "on Monday",
                speaker=speaker,
                country=country,
                target="",
                stance=stance,
                score=score,
                confidence=0.8,
                cues=cues,
                quote=quote,
                start=start,
                end=start + len(quote),
                sentence=sentence,
                source="Harbor Ledger",
                url=f"https://ledger.example/{day}",
                title=f"Strait crisis, {day}",
                sentence_start=0,
                speaker_mention=speaker.split()[-1],
                input_file="ledger.jsonl",
            )
        )
    return events_to_frame(events)


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return prepare_events(make_events())


def speakers_of(frame: pd.DataFrame) -> list[str]:
    return [str(s) for s in frame["speaker"]]


# --- preparing and filtering --------------------------------------------------------------


def test_prepare_events_sorts_newest_first_and_adds_helper_columns(events):
    assert list(events["date"]) == sorted((r[0] for r in ROWS), reverse=True)
    assert list(events.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    assert isinstance(events["speaker"].dtype, pd.CategoricalDtype)
    solberg_blockade = events[events["quote"].str.startswith("The blockade")].iloc[0]
    assert solberg_blockade["_signed"] == pytest.approx(0.7)
    neutral = events[events["stance"] == "neutral"].iloc[0]
    assert neutral["_signed"] == 0.0
    # 2024-03-14 is a Thursday: its week starts on Monday 2024-03-11.
    thursday = events[events["date"] == "2024-03-14"].iloc[0]
    assert date(1970, 1, 1) + pd.Timedelta(days=int(thursday["_week"])) == date(2024, 3, 11)


def test_filter_by_speaker(events):
    found = filter_events(events, Filters(speakers=("Mara Velden",)))
    assert speakers_of(found) == ["Mara Velden"] * 3
    assert list(found["date"]) == ["2024-03-14", "2024-03-07", "2024-03-04"]


def test_filter_by_country_keeps_the_unknown_country_selectable(events):
    assert set(speakers_of(filter_events(events, Filters(countries=("Osteria",))))) == {"Arvid Solberg", "a senior Osterian official"}
    assert speakers_of(filter_events(events, Filters(countries=("",)))) == ["an unnamed diplomat"]


def test_filter_by_date_range_includes_both_ends(events):
    found = filter_events(events, Filters(start=date(2024, 3, 7), end=date(2024, 3, 13)))
    assert sorted(found["date"]) == ["2024-03-07", "2024-03-08", "2024-03-12", "2024-03-13"]
    assert len(filter_events(events, Filters(start=date(2024, 3, 21)))) == 1


def test_filter_by_stance_and_minimum_abs_score(events):
    found = filter_events(events, Filters(stances=("de-escalation",), min_abs_score=0.3))
    assert sorted(found["score"]) == [-0.9, -0.6, -0.3]
    assert len(filter_events(events, Filters(min_abs_score=0.85))) == 2  # 0.9 and -0.9


def test_filter_by_text_is_case_insensitive_and_literal(events):
    assert speakers_of(filter_events(events, Filters(text="CEASEFIRE"))) == ["Ines Aalto"]
    assert len(filter_events(events, Filters(text="red line"))) == 1
    assert len(filter_events(events, Filters(text="(.*)"))) == 0  # not a regex


def test_filters_combine_with_and(events):
    found = filter_events(events, Filters(speakers=("Arvid Solberg", "Mara Velden"), stances=("escalation",), start=date(2024, 3, 10)))
    assert [(s, d) for s, d in zip(speakers_of(found), found["date"])] == [("Arvid Solberg", "2024-03-22"), ("Arvid Solberg", "2024-03-12")]


def test_no_filter_returns_the_same_frame(events):
    assert filter_events(events, Filters()) is events


def test_option_counts_and_labels(events):
    counts = option_counts(events, "speaker")
    assert list(counts.items())[:2] == [("Arvid Solberg", 3), ("Mara Velden", 3)]
    assert option_label("Mara Velden", counts) == "Mara Velden (3)"
    assert option_label("", option_counts(events, "country")) == "(unknown) (1)"


# --- grouping and aggregation -------------------------------------------------------------


def test_group_labels_keep_the_top_n_and_call_the_rest_other(events):
    groups = group_labels(events, "speaker", 2)
    assert list(groups.categories) == ["Arvid Solberg", "Mara Velden", OTHER]
    assert sum(1 for g in groups if g == OTHER) == 4
    countries = group_labels(events, "country", 10)
    assert list(countries.categories) == ["Norland", "Osteria", "(unknown)", "Regional Security Council"]


def test_net_escalation_index_per_week(events):
    groups = group_labels(events, "speaker", 2)
    weeks = period_stats(daily_stats(events, groups), "week")
    table = {(str(g), p.date().isoformat()): round(n, 6) for g, p, n in zip(weeks["group"], weeks["period"], weeks["net"])}
    assert table == {
        ("Arvid Solberg", "2024-03-04"): -0.6,
        ("Arvid Solberg", "2024-03-11"): 0.7,
        ("Arvid Solberg", "2024-03-18"): 0.9,
        ("Mara Velden", "2024-03-04"): 1.2,
        ("Mara Velden", "2024-03-11"): -0.3,
        ("other", "2024-03-04"): 0.0,  # the neutral statement
        ("other", "2024-03-11"): -0.9,
        ("other", "2024-03-18"): 0.3,  # +0.5 Ferre, -0.2 the diplomat
    }
    other = weeks[(weeks["group"] == OTHER) & (weeks["period"] == pd.Timestamp("2024-03-18"))].iloc[0]
    assert (other["events"], other["escalation"], other["de_escalation"]) == (2, pytest.approx(0.5), pytest.approx(0.2))


def test_daily_index_and_mean_score(events):
    groups = group_labels(events, "country", 10)
    days = period_stats(daily_stats(events, groups), "day")
    norland = days[days["group"] == "Norland"]
    assert list(norland["period"].dt.strftime("%m-%d")) == ["03-04", "03-07", "03-14", "03-19"]
    weeks = period_stats(daily_stats(events, groups), "week")
    osteria_first = weeks[(weeks["group"] == "Osteria") & (weeks["period"] == pd.Timestamp("2024-03-04"))].iloc[0]
    assert osteria_first["mean_score"] == pytest.approx(-0.3)  # (-0.6 + 0.0) / 2


def test_rolling_net_line_needs_enough_statements(events):
    groups = group_labels(events, "speaker", 2)
    line = rolling_net(daily_stats(events, groups), window=14, min_events=3)
    mara = line[line["group"] == "Mara Velden"].set_index("day")["value"]
    assert np.isnan(mara[pd.Timestamp("2024-03-07")])  # only two statements so far
    assert mara[pd.Timestamp("2024-03-14")] == pytest.approx((0.8 + 0.4 - 0.3) / 3)


def test_build_view_caps_points_and_table(events):
    view = build_view(events, Filters(group_by="country"), point_limit=4, table_limit=3)
    assert view.matching == 10 and view.points_shown == 4 and len(view.table) == 3
    points = [t for t in view.timeline.data if t.type == "scattergl"]
    drawn = sorted(y for t in points for y in t.y)
    assert len(drawn) == 4 and set(drawn) <= set(events["score"])
    again = build_view(events, Filters(group_by="country"), point_limit=4, table_limit=3)
    assert sorted(y for t in again.timeline.data if t.type == "scattergl" for y in t.y) == drawn  # a stable sample
    assert view.timeline.layout.yaxis.title.text.startswith("score (−1 de-escalation")
    assert {t.name for t in view.index.data} == {"Norland", "Osteria", "(unknown)", "Regional Security Council"}
    heat = view.heatmap.data[0]
    assert list(heat.y)[-1] == "Norland"  # the most frequent group at the top
    assert list(view.table.columns) == ["date", "speaker", "country", "stance", "score", "quote", "url"]


def test_build_view_with_nothing_matching(events):
    view = build_view(events, Filters(text="no such words anywhere"))
    assert view.matching == 0 and len(view.table) == 0
    assert view.timeline.layout.annotations[0].text.startswith("No statements")


def test_dataset_knows_its_options_and_dates():
    dataset = Dataset.from_frame(make_events(), "test")
    assert dataset.first_day == date(2024, 3, 4) and dataset.last_day == date(2024, 3, 22)
    assert dataset.speaker_counts["Mara Velden"] == 3 and dataset.country_counts["Norland"] == 4


# --- export -------------------------------------------------------------------------------


def test_csv_bytes_parse_back_to_exactly_the_filtered_rows(events, tmp_path):
    filtered = filter_events(events, Filters(speakers=("Mara Velden", "Ines Aalto")))
    payload = dashboard.events_csv_bytes(filtered)
    header = payload.split(b"\n", 1)[0].decode()
    assert [c.strip('"') for c in header.split(",")] == list(EVENT_COLUMNS)
    parsed = pd.read_csv(io.BytesIO(payload), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(conform_events_frame(parsed), conform_events_frame(filtered))
    # The pipeline's own reader agrees (the quote with a comma, quotes, "NA" and a newline included).
    (tmp_path / "out.csv").write_bytes(payload)
    pd.testing.assert_frame_equal(read_events(tmp_path / "out.csv"), conform_events_frame(filtered))


def test_csv_export_holds_the_filtered_rows(events):
    filters = Filters(stances=("escalation",))
    view = build_view(events, filters)
    export = dashboard.CsvExport(events, view.rows)
    pd.testing.assert_frame_equal(export.frame, conform_events_frame(filter_events(events, filters)))
    assert export() == dashboard.events_csv_bytes(filter_events(events, filters))


def test_csv_of_no_events_is_just_the_header():
    payload = dashboard.events_csv_bytes(events_to_frame([]))
    assert payload.decode().strip().replace('"', "").split(",") == list(EVENT_COLUMNS)


# --- highlighting -------------------------------------------------------------------------


def test_highlight_marks_cues_and_escapes_html():
    sentence = 'He warned <script>alert("x")</script> of retaliation & "force".'
    marked = highlight_cues(sentence, "warned; retaliation;force")
    assert marked == (
        "He <mark>warned</mark> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; of "
        "<mark>retaliation</mark> &amp; &quot;<mark>force</mark>&quot;."
    )


def test_highlight_matches_whole_words_case_insensitively_and_lemmas_as_prefixes():
    assert highlight_cues("Troops will withdraw; the troopship stays.", "troops") == "<mark>Troops</mark> will withdraw; the troopship stays."
    assert highlight_cues("Solberg warned of a blockade.", "warn") == "Solberg <mark>warned</mark> of a blockade."
    assert highlight_cues("A red line was crossed.", "red line;line") == "A <mark>red line</mark> was crossed."
    assert highlight_cues("No cue <here>.", "") == "No cue &lt;here&gt;."


def test_event_card_escapes_every_field(events):
    record = events.iloc[0].to_dict() | {"speaker": "<img src=x onerror=alert(1)>"}
    card = event_card_html(record)
    assert "<img" not in card and "&lt;img src=x" in card
    assert "<mark>retaliate</mark>" in card and "score +0.90" in card


def test_shorten_cuts_at_a_word():
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short", 12) == "short"


# --- the URL ------------------------------------------------------------------------------


def test_filters_round_trip_through_query_params():
    filters = Filters(
        speakers=("Mara Velden", "Arvid Solberg"),
        countries=("",),
        start=date(2024, 3, 5),
        end=date(2024, 3, 20),
        stances=("escalation", "neutral"),
        min_abs_score=0.35,
        text="red line",
        group_by="country",
        period="day",
        top_n=5,
    )
    params = filters.to_params()
    assert params["speaker"] == ["Mara Velden", "Arvid Solberg"] and params["from"] == ["2024-03-05"]
    assert Filters.from_params(params) == filters
    assert Filters().to_params() == {}  # defaults keep the URL clean


def test_query_params_ignore_unknown_names_and_bad_values():
    params = {"speaker": ["Mara Velden", "Nobody"], "from": ["yesterday"], "min": ["lots"], "stance": ["angry", "escalation"], "group": ["mood"], "top": ["99"]}
    filters = Filters.from_params(params, speakers={"Mara Velden": 3})
    assert filters == Filters(speakers=("Mara Velden",), stances=("escalation",), top_n=10)


# --- where the events come from -----------------------------------------------------------


def test_events_source_from_argv_then_environment(tmp_path):
    assert dashboard.events_source(["--events", "x.csv"], {}) == Path("x.csv")
    assert dashboard.events_source(["--other", "1"], {dashboard.EVENTS_ENV_VAR: "y.parquet"}) == Path("y.parquet")
    assert dashboard.events_source(["--events", "x.csv"], {dashboard.EVENTS_ENV_VAR: "y.parquet"}) == Path("x.csv")
    assert dashboard.events_source([], {}) is None


# --- uploads ------------------------------------------------------------------------------


def test_upload_of_a_csv_without_text_column_is_an_error_naming_the_file():
    result = dashboard.process_upload("/some/where/bad.csv", b"title,published\nTalks resume,2024-03-05\n")
    assert len(result.events) == 0 and not result.ok
    assert result.errors == ["bad.csv: no 'text' column (columns: title, published)"]


def test_upload_of_non_utf8_text_is_an_error():
    result = dashboard.process_upload("note.txt", "Caf\xe9 talks, Velden said.".encode("latin-1"), published=date(2024, 3, 5))
    assert result.errors == ["note.txt: not UTF-8 (invalid byte 0xe9 at byte offset 3)"]


def test_upload_of_an_unsupported_type():
    result = dashboard.process_upload("slides.pptx", b"PK\x03\x04")
    assert "unsupported file type" in result.errors[0] and result.errors[0].startswith("slides.pptx")


def test_upload_runs_the_pipeline_on_the_articles(monkeypatch):
    seen = []

    def fake_process_articles(articles, **options):
        seen.extend(articles)
        return make_events().iloc[:2]

    monkeypatch.setattr(runner, "process_articles", fake_process_articles)
    data = b'{"id": "a1", "published": "2024-03-05", "text": "Talks will resume, Solberg said."}\nnot json\n'
    result = dashboard.process_upload("news.jsonl", data)
    assert [a.doc_id for a in seen] == ["a1"] and seen[0].input_file == "news.jsonl"
    assert len(result.events) == 2 and result.articles == 1
    assert result.errors == ["news.jsonl: line 2: invalid JSON (Expecting value at column 1)"]
    assert result.summary() == "news.jsonl: 2 statements from 1 article"


def test_pasted_text_becomes_one_dated_article(monkeypatch):
    seen = []
    monkeypatch.setattr(runner, "process_articles", lambda articles, **options: seen.extend(articles) or events_to_frame([]))
    result = dashboard.process_pasted("“We will not back down,” Velden said.", date(2024, 3, 9), source="Harbor Ledger")
    assert seen[0].published == date(2024, 3, 9) and seen[0].source == "Harbor Ledger"
    assert result.ok and len(result.events) == 0
    assert dashboard.process_pasted("  ", date(2024, 3, 9)).errors == ["pasted text: the text is empty"]


def test_events_upload_reads_csv_and_parquet_and_names_bad_files(tmp_path):
    frame = make_events()
    parquet = tmp_path / "e.parquet"
    frame.to_parquet(parquet, index=False)
    read, problem = dashboard.read_events_upload("e.parquet", parquet.read_bytes())
    assert problem is None and len(read) == len(frame)
    read, problem = dashboard.read_events_upload("mine.csv", dashboard.events_csv_bytes(frame))
    assert problem is None
    pd.testing.assert_frame_equal(read, frame)
    read, problem = dashboard.read_events_upload("other.csv", b"a,b\n1,2\n")
    assert read is None and problem.startswith("other.csv: not an events table: missing column(s) event_id")
    assert dashboard.read_events_upload("x.xlsx", b"")[1].startswith("x.xlsx: unsupported file type")


def test_merge_events_replaces_rows_with_the_same_id():
    frame = make_events()
    changed = frame.iloc[:1].assign(score=0.1)
    merged = dashboard.merge_events(frame, changed)
    assert len(merged) == len(frame)
    assert merged.loc[merged["event_id"] == frame["event_id"].iloc[0], "score"].item() == 0.1


# --- the demo build -----------------------------------------------------------------------


@pytest.fixture
def demo_dir(tmp_path):
    folder = tmp_path / "demo"
    (folder / "pages").mkdir(parents=True)
    (folder / "articles.jsonl").write_text('{"id": "a", "published": "2031-03-01", "text": "x"}\n', encoding="utf-8")
    (folder / "pages" / "ledger-1.txt").write_text("- Ledger - Monday, March 3, 2031\nText.\n", encoding="utf-8")
    (folder / "actors.csv").write_text("name,country\nMara Velden,Norland\n", encoding="utf-8")
    (folder / "places.csv").write_text("place,country\nVelka,Norland\n", encoding="utf-8")
    (folder / "gold.jsonl").write_text("{}\n", encoding="utf-8")
    return folder


def test_demo_is_built_once_then_read_from_the_cache(monkeypatch, demo_dir, tmp_path):
    calls = []

    def fake_process_paths(paths, *, out=None, progress=None, actor_files=None, place_files=None, **options):
        calls.append(([Path(p).name for p in paths], [Path(p).name for p in (actor_files or []) + (place_files or [])]))
        if progress:
            progress(2, 2)
        return runner.RunReport(events=make_events(), articles=2)

    monkeypatch.setattr(runner, "process_paths", fake_process_paths)
    cache = tmp_path / "cache"
    ticks = []
    first = dashboard.load_demo_events(demo_dir=demo_dir, cache_dir=cache, progress=lambda d, t: ticks.append((d, t)))
    # The articles (not gold.jsonl, not the data files), and the demo's own actors and places.
    assert calls == [(["articles.jsonl", "ledger-1.txt"], ["actors.csv", "places.csv"])]
    assert not first.from_cache and ticks == [(2, 2)] and (cache / "demo_events.parquet").exists()
    second = dashboard.load_demo_events(demo_dir=demo_dir, cache_dir=cache)
    assert second.from_cache and len(calls) == 1
    pd.testing.assert_frame_equal(second.events, make_events())
    (demo_dir / "pages" / "ledger-1.txt").write_text("- Ledger - Monday, March 3, 2031\nOther text.\n", encoding="utf-8")
    third = dashboard.load_demo_events(demo_dir=demo_dir, cache_dir=cache)
    assert not third.from_cache and len(calls) == 2


# --- properties ---------------------------------------------------------------------------

SPEAKERS = sorted({r[1] for r in ROWS})
COUNTRIES = sorted({r[2] for r in ROWS})
DAYS = [date(2024, 3, d) for d in range(1, 25)]


@st.composite
def filter_choices(draw) -> Filters:
    start, end = draw(st.sampled_from([None] + DAYS)), draw(st.sampled_from([None] + DAYS))
    return Filters(
        speakers=tuple(draw(st.lists(st.sampled_from(SPEAKERS), unique=True, max_size=3))),
        countries=tuple(draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=2))),
        start=start,
        end=end,
        stances=tuple(draw(st.lists(st.sampled_from(STANCES), unique=True))),
        min_abs_score=draw(st.sampled_from([0.0, 0.2, 0.3, 0.5, 0.9, 1.0])),
        text=draw(st.sampled_from(["", "the", "STRAIT", "talks", "x"])),
        group_by=draw(st.sampled_from(["speaker", "country"])),
        top_n=draw(st.integers(1, 10)),
    )


def passes(row: dict, f: Filters) -> bool:
    """The filters applied to one row, written the slow and obvious way."""
    day = date.fromisoformat(row["date"])
    return (
        (not f.speakers or row["speaker"] in f.speakers)
        and (not f.countries or row["country"] in f.countries)
        and (not f.stances or row["stance"] in f.stances)
        and (f.start is None or day >= f.start)
        and (f.end is None or day <= f.end)
        and abs(row["score"]) >= f.min_abs_score - 1e-9
        and f.text.lower() in row["quote"].lower()
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=filter_choices())
def test_filtering_matches_the_row_by_row_definition(events, filters):
    rows = filter_rows(events, filters)
    expected = [i for i, row in enumerate(events[list(EVENT_COLUMNS)].astype({"speaker": str, "country": str, "stance": str}).to_dict("records")) if passes(row, filters)]
    assert list(rows) == expected
    assert Filters.from_params(filters.to_params()) == filters
    # The per-day aggregation loses nothing: its net index adds up to the rows' signed scores.
    chosen = events.iloc[rows]
    daily = daily_stats(chosen, group_labels(chosen, filters.group_by, filters.top_n))
    assert daily["events"].sum() == len(rows)
    assert float(daily["net"].sum()) == pytest.approx(float(chosen["_signed"].sum()))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=filter_choices())
def test_all_options_selected_is_the_identity_and_filters_only_remove(events, filters):
    everything = Filters(speakers=tuple(SPEAKERS), countries=tuple(COUNTRIES), stances=STANCES, start=DAYS[0], end=DAYS[-1])
    assert list(filter_rows(events, everything)) == list(range(len(events)))
    narrowed = filter_events(events, filters)
    assert set(narrowed["event_id"]) <= set(events["event_id"])
    # Adding a filter never adds rows.
    tighter = Filters(**{**filters.__dict__, "min_abs_score": max(filters.min_abs_score, 0.5)})
    assert set(filter_events(events, tighter)["event_id"]) <= set(narrowed["event_id"])
