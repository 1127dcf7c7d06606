"""The dashboard's pure functions: filters, aggregation, export, highlighting, URL, uploads, demo.

The events are hand-written (fictional officials of fictional states, like the demo), so the
expected filter results and index values below can be checked by hand.
"""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import runner
from pipeline.dashboard import data_io
from pipeline.dashboard.bench import synthetic_events
from pipeline.dashboard.charts import (
    HEATMAP_CELL_LIMIT, MARKED_PERIODS, NEUTRAL_OPACITY, POINT_LIMIT, bottom_margin, build_view, heatmap_figure, index_figure, isolated,
)
from pipeline.dashboard.colours import (
    ACTOR_PALETTE,
    OTHER_COLOUR,
    STANCE_COLOURS,
    actor_colours,
    change_colour,
    is_red_or_blue,
    style_evidence,
)
from pipeline.dashboard.cue_reading import cue_words, read_cue, read_cues
from pipeline.dashboard.evidence import (
    event_card_html,
    evidence_cards_html,
    evidence_rows,
    highlight_cues,
    sentence_html,
    shorten,
    statement_sources,
)
from pipeline.dashboard.layout import responsive_css
from pipeline.schema import (
    EVENT_COLUMNS,
    STANCES,
    Event,
    conform_events_frame,
    events_to_frame,
    make_event_id,
)
from pipeline.dashboard.selection import (
    ChartPick,
    Selected,
    chart_pick,
    follow_selection,
    pick_from_heatmap,
    picked_rows,
    selected_position,
)
from pipeline.store.tables import read_events
from pipeline.dashboard.timeaxis import DAY_MS, densest_window, fill_gaps, opening_episode
from pipeline.dashboard.trend import (
    ALL_SIDES,
    contributions,
    last_period_change,
    net_per_period,
    summarise,
)
from pipeline.dashboard.uploads import (
    ADD,
    ONLY,
    OWN_LABEL,
    FileStatus,
    combine,
    file_status,
    filters_showing,
    status_table,
)
from pipeline.dashboard.views import (
    DAY,
    NET_ESCALATION,
    OTHER,
    SIGNED,
    Dataset,
    Filters,
    daily_stats,
    filter_events,
    filter_rows,
    group_labels,
    is_named_person,
    option_counts,
    option_label,
    period_stats,
    prepare_events,
    rolling_mean_score,
    speaker_label,
    speaker_options,
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
                found_by="main clause" if number % 5 == 3 else "reporting verb",
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
    countries = group_labels(events, "country", 2)
    assert list(countries.categories) == ["Norland", "Osteria", OTHER]
    assert sum(1 for g in countries if g == OTHER) == 2
    countries = group_labels(events, "country", 10)
    assert list(countries.categories) == ["Norland", "Osteria", "(unknown)", "Regional Security Council"]


def test_other_is_never_the_largest_group(events):
    # Top 2 speakers hold 3 statements each; the 4 left over would make "other" the largest,
    # so a third speaker is shown and "other" keeps 3.
    groups = group_labels(events, "speaker", 2)
    assert list(groups.categories) == ["Arvid Solberg (Osteria)", "Mara Velden (Norland)", "Ines Aalto (Regional Security Council)", OTHER]
    sizes = pd.Series(groups).value_counts()
    assert sizes[OTHER] == 3 and sizes[OTHER] <= sizes.drop(OTHER).max()


def test_speakers_are_named_with_their_side_and_unnamed_officials_gathered_per_side():
    assert speaker_label("Kasimir Valdan", "Varesh") == "Kasimir Valdan (Varesh)"
    for unnamed in ("Vareshi officials", "the army", "Vareshi Ministry of Defence", "officials", "Eastern Vanguard Brigades"):
        assert not is_named_person(unnamed), unnamed
        assert speaker_label(unnamed, "Varesh") == "Varesh officials & institutions"
    assert is_named_person("Viktor Anselm of Kalvor State University") and is_named_person("King Oswin IV")
    assert speaker_label("a senior official", "") == "unnamed officials & institutions"
    frame = prepare_events(
        make_events().assign(speaker=["Vareshi officials", "the ministry", "Teodora Lask"] + ["Teodora Lask"] * 7, country="Varesh")
    )
    assert list(group_labels(frame, "speaker", 10).categories) == ["Teodora Lask (Varesh)", "Varesh officials & institutions"]


def test_grouping_defaults_to_country():
    assert Filters().group_by == "country"
    assert Filters.from_params({}).group_by == "country"
    assert "group" not in Filters().to_params()
    assert Filters.from_params({"group": ["speaker"]}).group_by == "speaker"


def test_net_escalation_index_per_week(events):
    groups = group_labels(events, "speaker", 2)
    weeks = period_stats(daily_stats(events, groups), "week")
    table = {(str(g), p.date().isoformat()): round(n, 6) for g, p, n in zip(weeks["group"], weeks["period"], weeks["net"])}
    assert table == {
        ("Arvid Solberg (Osteria)", "2024-03-04"): -0.6,
        ("Arvid Solberg (Osteria)", "2024-03-11"): 0.7,
        ("Arvid Solberg (Osteria)", "2024-03-18"): 0.9,
        ("Mara Velden (Norland)", "2024-03-04"): 1.2,
        ("Mara Velden (Norland)", "2024-03-11"): -0.3,
        ("Ines Aalto (Regional Security Council)", "2024-03-11"): -0.9,
        ("other", "2024-03-04"): 0.0,  # the neutral statement
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
    line = rolling_mean_score(daily_stats(events, groups), window=14, min_events=3)
    mara = line[line["group"] == "Mara Velden (Norland)"].set_index("day")["value"]
    assert np.isnan(mara.iloc[0]) and mara.index[0] == pd.Timestamp("2024-03-04")  # one statement so far: a gap
    assert pd.Timestamp("2024-03-07") not in mara.index  # the gap is drawn once, not once a day
    assert mara[pd.Timestamp("2024-03-14")] == pytest.approx((0.8 + 0.4 - 0.3) / 3)


def test_a_gap_in_the_rolling_line_is_one_row_however_long():
    daily = pd.DataFrame({"group": ["A"] * 4, "day": pd.to_datetime(["2020-01-01", "2020-01-02", "2021-06-01", "2021-06-02"]),
                          "net": [1.0, 1.0, -1.0, -1.0], "events": [1, 1, 1, 1]})
    line = rolling_mean_score(daily, window=2, min_events=2)
    # 516 days of too few statements in the window between the two pairs: one gap row
    assert line["day"].dt.strftime("%Y-%m-%d").tolist() == ["2020-01-01", "2020-01-02", "2020-01-03", "2021-06-02"]
    assert np.isnan(line["value"].iloc[0]) and np.isnan(line["value"].iloc[2])
    assert line["value"].iloc[1] == 1.0 and line["value"].iloc[3] == -1.0


def test_build_view_caps_points_and_table(events):
    view = build_view(events, Filters(group_by="country"), point_limit=4, table_limit=3)
    assert view.matching == 10 and view.charts.points_shown == 4 and len(view.table) == 3
    points = [t for t in view.charts.timeline.data if t.mode == "markers"]
    drawn = sorted(y for t in points for y in t.y)
    assert len(drawn) == 4 and set(drawn) <= set(events["score"])
    again = build_view(events, Filters(group_by="country"), point_limit=4, table_limit=3)
    assert sorted(y for t in again.charts.timeline.data if t.mode == "markers" for y in t.y) == drawn  # a stable sample
    assert view.charts.timeline.layout.yaxis.title.text.startswith("score (−1 de-escalation")
    assert {t.name for t in view.charts.index.data} == {"Norland", "Osteria", "(unknown)", "Regional Security Council"}
    heat = view.charts.heatmap.data[0]
    assert list(heat.y)[-1] == "Norland"  # the most frequent group at the top
    assert list(view.table.columns) == ["date", "speaker", "country", "stance", "score", "quote", "url", "event_id"]


def test_build_view_with_nothing_matching(events):
    view = build_view(events, Filters(text="no such words anywhere"))
    assert view.matching == 0 and len(view.table) == 0
    assert view.charts.timeline.layout.annotations[0].text.startswith("No statements")


def test_dataset_knows_its_options_and_dates():
    dataset = Dataset.from_frame(make_events(), "test")
    assert dataset.first_day == date(2024, 3, 4) and dataset.last_day == date(2024, 3, 22)
    assert dataset.speaker_counts["Mara Velden"] == 3 and dataset.country_counts["Norland"] == 4


# --- the answer at the top: trend, drivers, colours ---------------------------------------

# A demo-like crisis (the demo's fictional sides, Varesh and Tarsenia, in 2031): quiet in the
# week of 3 Mar, escalating for the three weeks from 10 Mar with its peak in the week of
# 24 Mar, then calming for two weeks. (date, speaker, country, stance, score)
CRISIS = [
    ("2031-03-04", "Kasimir Valdan", "Varesh", "escalation", 0.2),
    ("2031-03-05", "Saskia Threnn", "Tarsenia", "neutral", 0.0),
    ("2031-03-11", "Teodora Lask", "Varesh", "escalation", 0.8),
    ("2031-03-12", "Jonas Dovel", "Tarsenia", "de-escalation", -0.2),
    ("2031-03-18", "Kasimir Valdan", "Varesh", "escalation", 0.9),
    ("2031-03-20", "Tarsenian officials", "Tarsenia", "escalation", 0.3),
    ("2031-03-24", "Teodora Lask", "Varesh", "escalation", 0.9),
    ("2031-03-26", "Vareshi Foreign Ministry", "Varesh", "escalation", 0.9),
    ("2031-03-27", "Saskia Threnn", "Tarsenia", "escalation", 0.7),
    ("2031-03-29", "Ruth Halloran", "Tarsenia", "escalation", 0.7),
    ("2031-03-31", "Saskia Threnn", "Tarsenia", "de-escalation", -0.9),
    ("2031-04-02", "Teodora Lask", "Varesh", "de-escalation", -0.4),
    ("2031-04-08", "Jonas Dovel", "Tarsenia", "de-escalation", -0.8),
    ("2031-04-09", "Saskia Threnn", "Tarsenia", "de-escalation", -0.6),
    ("2031-04-10", "Kasimir Valdan", "Varesh", "escalation", 0.2),
]


def crisis_events(rows=CRISIS) -> pd.DataFrame:
    events = []
    for number, (day, speaker, country, stance, score) in enumerate(rows):
        quote = f"Statement {number} by {speaker}"
        events.append(
            Event(
                event_id=f"c{number}", doc_id=f"wire-{number}", published=day, date=day, date_basis="published",
                speaker=speaker, country=country, target="", stance=stance, score=score, confidence=0.8, cues="",
                quote=quote, start=0, end=len(quote), sentence=quote, source="Inner Sea Wire", url="", title="",
                sentence_start=0, speaker_mention=speaker, input_file="wire.jsonl",
            )
        )  # fmt: skip
    return prepare_events(events_to_frame(events))


@pytest.fixture(scope="module")
def crisis() -> pd.DataFrame:
    return crisis_events()


def test_net_per_period_sums_signed_scores_over_every_period(crisis):
    weeks = net_per_period(crisis, "week")
    assert list(weeks["period"].dt.strftime("%d %b")) == ["03 Mar", "10 Mar", "17 Mar", "24 Mar", "31 Mar", "07 Apr"]
    assert list(weeks["net"].round(6)) == [0.2, 0.6, 1.2, 3.2, -1.3, -1.2]
    assert list(weeks["events"]) == [2, 2, 2, 4, 2, 3]
    assert weeks["escalation"].iloc[5] == pytest.approx(0.2) and weeks["de_escalation"].iloc[5] == pytest.approx(1.4)
    days = net_per_period(filter_events(crisis, Filters(end=date(2031, 3, 12))), "day")
    assert len(days) == 9 and list(days["net"].round(6)) == [0.2, 0, 0, 0, 0, 0, 0, 0.8, -0.2]  # empty days net zero


def test_summary_sentence_of_the_escalating_weeks(crisis):
    before_the_turn = filter_events(crisis, Filters(end=date(2031, 3, 30)))
    summary = summarise(before_the_turn, "week")
    assert (summary.state, summary.periods, summary.since) == ("escalating", 3, date(2031, 3, 10))
    # Varesh: 0.8 + 0.9 + 0.9 + 0.9 = 3.5 of the 5.0 net of those three weeks.
    assert summary.sentence() == (
        "Escalating for 3 weeks (since the week of 10 Mar); escalation peaked in the week of 24 Mar (+3.2); "
        "Varesh drives 70% of the rise."
    )


def test_summary_sentence_when_calming(crisis):
    # Tarsenia: -0.9 - 0.8 - 0.6 = -2.3 of the -2.5 net of the last two weeks.
    assert summarise(crisis, "week").sentence() == (
        "Calming for 2 weeks (since the week of 31 Mar); escalation peaked in the week of 24 Mar (+3.2); "
        "Tarsenia drives 92% of the fall."
    )


def test_summary_sentence_when_flat_empty_or_per_day(crisis):
    quiet = filter_events(crisis, Filters(end=date(2031, 3, 9)))
    assert summarise(quiet, "week").sentence() == (
        "Flat (in the week of 3 Mar): escalation and de-escalation about balance; no week leaned clearly to escalation."
    )
    assert summarise(crisis.iloc[:0], "week").sentence() == "No statements match the filters, so there is no trend to report."
    days = summarise(filter_events(crisis, Filters(start=date(2031, 3, 24), end=date(2031, 3, 29))), "day")
    assert days.sentence() == (
        "Escalating in the latest day, 29 Mar; escalation peaked on 24 Mar (+0.9); Tarsenia drives 100% of the rise."
    )


def test_summary_says_when_one_side_outweighs_the_whole_change():
    rows = [
        ("2031-03-03", "Kasimir Valdan", "Varesh", "escalation", 0.9),
        ("2031-03-04", "Teodora Lask", "Varesh", "escalation", 0.9),
        ("2031-03-05", "Saskia Threnn", "Tarsenia", "de-escalation", -0.6),
    ]
    assert summarise(crisis_events(rows), "week").sentence() == (
        "Escalating in the latest week, the week of 3 Mar; escalation peaked in the week of 3 Mar (+1.2); "
        "Varesh alone adds more than the whole rise (+1.8 of +1.2); the other sides pull the other way."
    )


def test_contributions_of_the_sides_add_up_to_the_change(crisis):
    drivers = contributions(crisis)
    assert list(drivers.columns) == ["side", "last 7 days", "last 14 days", "last 30 days"]
    assert list(drivers["side"]) == ["Varesh", "Tarsenia", ALL_SIDES]  # by size of the 14-day change
    sides = drivers[drivers["side"] != ALL_SIDES].set_index("side")
    total = drivers[drivers["side"] == ALL_SIDES].iloc[0]
    for column in ("last 7 days", "last 14 days", "last 30 days"):
        assert sides[column].sum() == pytest.approx(total[column])
    # The last day is 10 Apr: the last 7 days are 4-10 Apr, the 7 before them 28 Mar-3 Apr.
    assert sides.loc["Tarsenia", "last 7 days"] == pytest.approx((-0.8 - 0.6) - (0.7 - 0.9))
    assert sides.loc["Varesh", "last 7 days"] == pytest.approx(0.2 - (-0.4))
    # 28 Mar-10 Apr against 14-27 Mar.
    assert total["last 14 days"] == pytest.approx((0.7 - 0.9 - 0.4 - 0.8 - 0.6 + 0.2) - (0.9 + 0.3 + 0.9 + 0.9 + 0.7))
    assert sides.loc["Varesh", "last 14 days"] == pytest.approx((-0.4 + 0.2) - (0.9 + 0.9 + 0.9))
    assert len(contributions(crisis.iloc[:0])) == 0


def test_headline_metrics_compare_the_last_period_with_the_one_before(crisis):
    change = last_period_change(net_per_period(crisis, "week"), "week")
    assert (change.start, change.label) == (date(2031, 4, 7), "the week of 7 Apr")
    assert (round(change.net, 6), round(change.previous_net, 6), change.events, change.previous_events) == (-1.2, -1.3, 3, 2)
    first = last_period_change(net_per_period(filter_events(crisis, Filters(end=date(2031, 3, 5))), "week"), "week")
    assert (round(first.net, 6), first.previous_net, first.previous_events) == (0.2, 0.0, 0)
    assert last_period_change(net_per_period(crisis.iloc[:0], "week"), "week") is None
    assert [change_colour(d) for d in (0.1, -0.1, 0.0, 0.04, -1e-12)] == ["red", "blue", "gray", "gray", "gray"]


def test_net_escalation_bars_diverge_red_up_and_blue_down(crisis):
    view = build_view(crisis, Filters())
    up, down = view.charts.net_bars.data
    assert (up.type, up.marker.color, down.marker.color) == ("bar", STANCE_COLOURS["escalation"], STANCE_COLOURS["de-escalation"])
    assert [round(y, 6) for y in up.y] == [0.2, 0.6, 1.2, 3.2] and [round(y, 6) for y in down.y] == [-1.3, -1.2]
    assert [str(x)[:10] for x in down.x] == ["2031-03-31", "2031-04-07"]
    assert view.charts.summary.sentence().startswith("Calming for 2 weeks")
    daily = build_view(crisis, Filters(period="day")).charts.net_bars
    assert sum(len(t.y) for t in daily.data) == 14  # 15 statements on 14 days; no bar for the empty days at zero


def test_net_escalation_is_labelled_the_same_in_every_chart(crisis):
    for period in ("week", "day"):
        view = build_view(crisis, Filters(period=period))
        titles = {view.charts.net_bars.layout.yaxis.title.text, view.charts.index.layout.yaxis.title.text}
        assert titles == {f"{NET_ESCALATION} (Σ signed score per {period})"}
        assert view.charts.net_bars.layout.title.text.startswith("Net escalation per") and view.charts.index.layout.title.text.startswith("Net escalation per")
    timeline = build_view(crisis, Filters()).charts.timeline
    assert "net" not in timeline.layout.title.text  # its lines are mean scores, not net escalation


def test_actor_colours_are_never_red_or_blue():
    assert all(is_red_or_blue(c) for c in (STANCE_COLOURS["escalation"], STANCE_COLOURS["de-escalation"], "#d62728", "#1f77b4"))
    assert not any(is_red_or_blue(c) for c in ACTOR_PALETTE + (OTHER_COLOUR,))
    assert len(set(ACTOR_PALETTE)) == len(ACTOR_PALETTE)
    many = [f"Deputy Minister No. {i}" for i in range(40)]
    assert not any(is_red_or_blue(c) for c in actor_colours(many, ranked=[]).values())


def test_actor_colours_are_fixed_across_filters(events):
    def colours_of(view) -> dict[str, str]:
        return {t.name: t.marker.color for t in view.charts.timeline.data if t.mode == "markers"}

    everyone = colours_of(build_view(events, Filters()))
    assert len(set(everyone.values())) == len(everyone)  # the main sides do not share a colour
    osteria_only = colours_of(build_view(events, Filters(countries=("Osteria", "Regional Security Council"))))
    late = colours_of(build_view(events, Filters(start=date(2024, 3, 13), top_n=1)))
    assert set(late) == {"Norland", "(unknown)", OTHER}  # Osteria and the Council are "other" here
    assert osteria_only["Osteria"] == everyone["Osteria"] and osteria_only["Regional Security Council"] == everyone["Regional Security Council"]
    assert late["Norland"] == everyone["Norland"] and late["(unknown)"] == everyone["(unknown)"]
    assert late[OTHER] == OTHER_COLOUR
    # An actor beyond the palette's ranked slots takes its colour from its name alone.
    assert actor_colours(["Deputy Minister No. 7"], ranked=["A"]) == actor_colours(["Deputy Minister No. 7"], ranked=["B", "C"])


def test_neutral_points_are_dimmed(events):
    view = build_view(events, Filters(countries=("Osteria",)))
    (points,) = [t for t in view.charts.timeline.data if t.mode == "markers"]
    opacity = dict(zip(points.y, points.marker.opacity))
    assert opacity[0.0] == NEUTRAL_OPACITY < opacity[0.7] == opacity[-0.6]


def test_evidence_stance_and_score_cells_are_red_or_blue(events):
    view = build_view(events, Filters())
    html_table = style_evidence(view.table).to_html()
    cells = {
        cell: colour
        for selectors, colour in re.findall(r"([^{}]+)\{\s*color: (#[0-9a-f]{6})", html_table)
        for cell in re.findall(r"row\d+_col\d+", selectors)
    }
    stance_col, score_col = list(view.table.columns).index("stance"), list(view.table.columns).index("score")
    for row, stance in enumerate(view.table["stance"]):
        expected = {"escalation": STANCE_COLOURS["escalation"], "de-escalation": STANCE_COLOURS["de-escalation"]}.get(stance)
        assert cells.get(f"row{row}_col{stance_col}") == expected == cells.get(f"row{row}_col{score_col}")
    assert cells.get(f"row0_col{list(view.table.columns).index('speaker')}") is None


# --- export -------------------------------------------------------------------------------


def test_csv_bytes_parse_back_to_exactly_the_filtered_rows(events, tmp_path):
    filtered = filter_events(events, Filters(speakers=("Mara Velden", "Ines Aalto")))
    payload = data_io.events_csv_bytes(filtered)
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
    export = data_io.CsvExport(events, view.rows)
    pd.testing.assert_frame_equal(export.frame, conform_events_frame(filter_events(events, filters)))
    assert export() == data_io.events_csv_bytes(filter_events(events, filters))


def test_csv_of_no_events_is_just_the_header():
    payload = data_io.events_csv_bytes(events_to_frame([]))
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


def test_event_card_says_how_the_statement_was_found(events):
    record = events.iloc[0].to_dict()
    assert "found by" not in event_card_html(record | {"found_by": ""})  # a table from before it was recorded
    assert "found by the sentence&#x27;s main clause, without a reporting verb" in event_card_html(record | {"found_by": "main clause"})


def test_the_quote_is_marked_inside_its_sentence_with_its_cues():
    sentence = "Velden warned: “we will <not> retaliate,” she said, as we will."
    quote = "we will <not> retaliate"
    marked = sentence_html(sentence, quote, sentence.index(quote), "warned;retaliate")
    assert marked == (
        "Velden <mark>warned</mark>: “<q class='quote' style='quotes:none;text-decoration:underline 2px #555;text-underline-offset:4px'>"
        "we will &lt;not&gt; <mark>retaliate</mark></q>,” she said, as we will."
    )
    # A wrong offset falls back to the first occurrence; a quote not in the sentence marks none.
    assert sentence_html(sentence, quote, 0, "").count("<q ") == 1
    assert "<q " not in sentence_html(sentence, "absent words", 0, "")


@pytest.mark.parametrize(
    ("label", "stance", "plain"),
    [
        ("no→confrontation", "de-escalation", "negated: no … confrontation → de-escalation (−2)"),
        ("not→withdraw", "escalation", "negated: not … withdraw → escalation (+2)"),
        ("not→seek…conflict", "de-escalation", "negated: not … seek … conflict → de-escalation (−2)"),
        ("claim:struck", "escalation", "claimed by the speaker's side: struck → escalation (+3)"),
        ("report:rockets", "neutral", "reported as a fact: rockets → neutral (+0.4)"),
        ("commit:no missile…fired", "de-escalation", "a ceasefire commitment: no missile … fired → de-escalation (−3)"),
        ("until…fuel…enter", "escalation", "supplies withheld until a demand is met: until … fuel … enter → escalation (+2)"),
        ("frame:warned", "escalation", "the reporting verb: warned → escalation (+1)"),
        ("frame:warned not→seek…conflict", "de-escalation",
         "negated, weighed by the reporting verb “warned”: not … seek … conflict → de-escalation (−2)"),
        ("retaliate", "escalation", "lexicon cue: retaliate → escalation (+2)"),
        ("zzyzx", "neutral", "lexicon cue: zzyzx (weight unknown)"),
        ("model: “retaliate” +1.2", "escalation", "learned model: the words “retaliate” → escalation (+1.2)"),
        ("model: rules said de-escalation +0.8", "de-escalation", "learned model: the rules' verdict (de-escalation) → de-escalation (+0.8)"),
        ("model: “said” (frame) +0.3", "neutral", "learned model: the words “said” around the quote → neutral (+0.3)"),
    ],
)
def test_cues_read_in_plain_words_with_weight_and_rule(label, stance, plain):
    assert read_cue(label, stance).plain() == plain


def test_cue_words_are_the_written_words_without_markers():
    assert cue_words("no→link…to;claim:struck;frame:warned not→seek…conflict;model: “war” +1.0") == [
        "no", "link", "to", "struck", "warned", "not", "seek", "conflict",
    ]  # fmt: skip
    assert [r.rule for r in read_cues("attack;attack; ;model: rule score +0.9")] == ["lexicon cue", "learned model"]


def test_the_card_lists_cues_in_plain_words_and_every_source(events):
    first = events[events["speaker"] == "Ines Aalto"].iloc[0].to_dict()
    again = make_events().iloc[[5]].assign(
        event_id="elsewhere", statement_id="elsewhere", doc_id="wire-1", source="Coast Wire", title="Truce agreed", url="https://wire.example/1",
        published="2024-03-14", quote="“Both sides have agreed to a ceasefire starting at midnight.”",
    )
    other = make_events().iloc[[5]].assign(event_id="other", statement_id="other", doc_id="wire-2", quote="Something else")
    table = prepare_events(pd.concat([make_events(), again, other], ignore_index=True))
    sources = statement_sources(table, first)
    assert sources["doc_id"].tolist() == ["ledger-2024-03-13", "wire-1"]
    card = event_card_html(first, sources)
    assert "negated" not in card and "lexicon cue: ceasefire → de-escalation (−3)" in card
    assert "Reported by 2 articles" in card
    assert "href='https://wire.example/1'" in card and ">Truce agreed</a> · Coast Wire · 2024-03-14" in card


# --- selection ----------------------------------------------------------------------------


def test_the_selection_follows_the_event_id_not_the_row():
    table = "evidence-a"
    picked = follow_selection(Selected(None, table, ()), table, [2], ["a", "b", "c"])
    assert picked == Selected("c", table, (2,))
    # The filters changed: a new table whose rows the widget has not selected keeps "c".
    kept = follow_selection(picked, "evidence-b", [], ["c", "a"])
    assert kept.event_id == "c"
    # The same table, its row selection unchanged over a rerun: still "c", not the row's "a".
    assert follow_selection(Selected("c", "evidence-b", (1,)), "evidence-b", [1], ["c", "a"]).event_id == "c"
    # Clearing the selection in the table clears it.
    assert follow_selection(picked, table, [], ["a", "b", "c"]).event_id is None


def test_the_selected_statement_is_found_only_among_the_matching_ones(events):
    target = events[events["speaker"] == "Tomas Ferre"].iloc[0]["event_id"]
    osteria = filter_rows(events, Filters(countries=("Osteria",)))
    norland = filter_rows(events, Filters(countries=("Norland",)))
    assert selected_position(events, osteria, target) is None
    position = selected_position(events, norland, target)
    assert events.iloc[position]["event_id"] == target and position in norland


def test_a_chart_click_picks_and_only_a_changed_selection_counts(events):
    rows = filter_rows(events, Filters())
    groups = group_labels(events, "country", 8)
    cell = {"customdata": ["Osteria", "2024-03-11", 0.7, 1]}
    pick, seen = chart_pick(None, {}, {"timeline": [], "heatmap": [cell]})
    assert pick == ChartPick(group="Osteria", week=date(2024, 3, 11))
    assert [str(s) for s in events.iloc[picked_rows(events, rows, groups, pick)]["speaker"]] == ["Arvid Solberg"]
    # "show all" cleared it; the heatmap still shows its selection: no new pick.
    assert chart_pick(None, seen, {"timeline": [], "heatmap": [cell]})[0] is None
    point = {"customdata": ["Mara Velden", "2024-03-04", "q", "s", "escalation", events.iloc[-1]["event_id"]]}
    pick, _ = chart_pick(pick, seen, {"timeline": [point], "heatmap": [cell]})
    assert pick == ChartPick(event_id=events.iloc[-1]["event_id"])
    assert picked_rows(events, rows, groups, pick).tolist() == [len(events) - 1]
    assert pick_from_heatmap([]) is None


def test_speakers_offered_follow_the_chosen_countries(events):
    everyone = option_counts(events, "speaker")
    assert speaker_options(events, (), everyone) == everyone
    assert speaker_options(events, ("Osteria",), everyone) == {"Arvid Solberg": 3, "a senior Osterian official": 1}
    assert speaker_options(events, ("Osteria", "Regional Security Council"), everyone) == {
        "Arvid Solberg": 3, "Ines Aalto": 1, "a senior Osterian official": 1,
    }  # fmt: skip


# --- honest time --------------------------------------------------------------------------


def test_empty_periods_break_the_lines():
    # Norland speaks in the weeks of 4 and 18 March, not in the week between.
    sparse = prepare_events(make_events().iloc[[0, 7]].assign(speaker="Mara Velden", country="Norland"))
    weeks = period_stats(daily_stats(sparse, group_labels(sparse, "country", 8)), "week")
    filled = fill_gaps(weeks, "week")
    assert filled["events"].tolist() == [1, 0, 1] and filled["net"].isna().tolist() == [False, True, False]
    view = build_view(sparse, Filters())
    line = next(t for t in view.charts.index.data if t.name == "Norland")
    assert [str(x)[:10] for x in line.x] == ["2024-03-04", "2024-03-11", "2024-03-18"]
    assert np.isnan(np.asarray(line.y, dtype=float)).tolist() == [False, True, False]
    assert line.connectgaps is False


def test_heatmap_cells_are_one_week_wide_however_sparse(events):
    sparse = prepare_events(make_events().iloc[[0, 9]])  # 4 March and 22 March: three weeks apart
    view = build_view(sparse, Filters())
    heat = next(t for t in view.charts.heatmap.data if t.type == "heatmap")
    assert heat.dx == 7 * DAY_MS and str(heat.x0).startswith("2024-03-07T12:00")  # Monday to Monday
    assert heat.x is None and np.shape(heat.z) == (2, 3)  # three week columns, the empty one blank
    assert np.isnan(np.asarray(heat.z, dtype=float)[:, 1]).all()


def test_a_single_day_gets_day_ticks(events):
    one_day = prepare_events(make_events().iloc[[0, 0, 0]].assign(event_id=["a", "b", "c"]))
    view = build_view(one_day, Filters())
    bar = next(t for t in view.charts.net_bars.data if len(t.x))
    assert bar.width == pytest.approx(0.85 * 7 * DAY_MS)  # a week wide, not plotly's sliver for a lone bar
    for figure in (view.charts.timeline, view.charts.net_bars, view.charts.index, view.charts.heatmap):
        axis = figure.to_plotly_json()["layout"]["xaxis"]
        assert axis["dtick"] == DAY_MS and axis["tickformat"] == "%-d %b %Y"
        low, high = (pd.Timestamp(x) for x in axis["range"])
        assert pd.Timestamp("2024-03-04") > low and pd.Timestamp("2024-03-05") <= high and high - low <= pd.Timedelta(days=9)


def test_data_spanning_years_opens_on_its_densest_episode():
    days = np.array([0, 400, 800, 810, 815, 820, 900, 1300])
    assert densest_window(days, 30) == (800, 820)  # the episode's first and last day
    assert opening_episode(days[:3]) is not None and opening_episode(np.array([0, 300])) is None
    rows = make_events()
    spread = pd.concat([rows.assign(date=rows["date"].str.replace("2024", year), event_id=rows["event_id"] + year, statement_id=rows["event_id"] + year) for year in ("2021", "2024")])
    spread = pd.concat([spread, rows.assign(date="2024-03-10", event_id=rows["event_id"] + "x", statement_id=rows["event_id"] + "x")])
    view = build_view(prepare_events(spread), Filters())
    axis = view.charts.timeline.to_plotly_json()["layout"]["xaxis"]
    start, end = (pd.Timestamp(x) for x in axis["range"])
    # The 2024 statements, 4 to 22 March, with a day either side: not 2021's, not the years between.
    assert (start, end) == (pd.Timestamp("2024-03-03"), pd.Timestamp("2024-03-23"))
    assert [b["label"] for b in axis["rangeselector"]["buttons"]][-1] == "all"


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
        group_by="speaker",
        period="day",
        top_n=5,
        attributed_only=True,
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
    assert data_io.events_source(["--events", "x.csv"], {}) == Path("x.csv")
    assert data_io.events_source(["--other", "1"], {data_io.EVENTS_ENV_VAR: "y.parquet"}) == Path("y.parquet")
    assert data_io.events_source(["--events", "x.csv"], {data_io.EVENTS_ENV_VAR: "y.parquet"}) == Path("x.csv")
    assert data_io.events_source([], {}) is None


# --- uploads ------------------------------------------------------------------------------


def test_upload_of_a_csv_without_text_column_is_an_error_naming_the_file():
    result = data_io.process_upload("/some/where/bad.csv", b"title,published\nTalks resume,2024-03-05\n")
    assert len(result.events) == 0 and not result.ok
    assert result.errors == ["bad.csv: no 'text' column (columns: title, published)"]


def test_upload_of_non_utf8_text_is_an_error():
    result = data_io.process_upload("note.txt", "Caf\xe9 talks, Velden said.".encode("latin-1"), published=date(2024, 3, 5))
    assert result.errors == ["note.txt: not UTF-8 (invalid byte 0xe9 at byte offset 3)"]


def test_upload_of_an_unsupported_type():
    result = data_io.process_upload("slides.pptx", b"PK\x03\x04")
    assert "unsupported file type" in result.errors[0] and result.errors[0].startswith("slides.pptx")


def test_upload_runs_the_pipeline_on_the_articles(monkeypatch):
    seen = []

    def fake_process_articles(articles, **options):
        seen.extend(articles)
        return make_events().iloc[:2]

    monkeypatch.setattr(runner, "process_articles", fake_process_articles)
    data = b'{"id": "a1", "published": "2024-03-05", "text": "Talks will resume, Solberg said."}\nnot json\n'
    result = data_io.process_upload("news.jsonl", data)
    assert [a.doc_id for a in seen] == ["a1"] and seen[0].input_file == "news.jsonl"
    assert len(result.events) == 2 and result.articles == 1
    assert result.errors == ["news.jsonl: line 2: invalid JSON (Expecting value at column 1)"]
    assert result.summary() == "news.jsonl: 2 statements from 1 article"


def test_pasted_text_becomes_one_dated_article(monkeypatch):
    seen = []
    monkeypatch.setattr(runner, "process_articles", lambda articles, **options: seen.extend(articles) or events_to_frame([]))
    result = data_io.process_pasted("“We will not back down,” Velden said.", date(2024, 3, 9), source="Harbor Ledger")
    assert seen[0].published == date(2024, 3, 9) and seen[0].source == "Harbor Ledger"
    assert result.ok and len(result.events) == 0
    assert data_io.process_pasted("  ", date(2024, 3, 9)).errors == ["pasted text: the text is empty"]


def test_events_upload_reads_csv_and_parquet_and_names_bad_files(tmp_path):
    frame = make_events()
    parquet = tmp_path / "e.parquet"
    frame.to_parquet(parquet, index=False)
    read, problem = data_io.read_events_upload("e.parquet", parquet.read_bytes())
    assert problem is None and len(read) == len(frame)
    read, problem = data_io.read_events_upload("mine.csv", data_io.events_csv_bytes(frame))
    assert problem is None
    pd.testing.assert_frame_equal(read, frame)
    read, problem = data_io.read_events_upload("other.csv", b"a,b\n1,2\n")
    assert read is None and problem.startswith("other.csv: not an events table: missing column(s) event_id")
    assert data_io.read_events_upload("x.xlsx", b"")[1].startswith("x.xlsx: unsupported file type")


def test_merge_events_replaces_rows_with_the_same_id():
    frame = make_events()
    changed = frame.iloc[:1].assign(score=0.1)
    merged = data_io.merge_events(frame, changed)
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
    first = data_io.load_demo_events(demo_dir=demo_dir, cache_dir=cache, progress=lambda d, t: ticks.append((d, t)))
    # The articles (not gold.jsonl, not the data files), and the demo's own actors and places.
    assert calls == [(["articles.jsonl", "ledger-1.txt"], ["actors.csv", "places.csv"])]
    assert not first.from_cache and ticks == [(2, 2)] and (cache / "demo_events.parquet").exists()
    second = data_io.load_demo_events(demo_dir=demo_dir, cache_dir=cache)
    assert second.from_cache and len(calls) == 1
    pd.testing.assert_frame_equal(second.events, make_events())
    (demo_dir / "pages" / "ledger-1.txt").write_text("- Ledger - Monday, March 3, 2031\nOther text.\n", encoding="utf-8")
    third = data_io.load_demo_events(demo_dir=demo_dir, cache_dir=cache)
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
        attributed_only=draw(st.booleans()),
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
        and not (f.attributed_only and row["found_by"] == "main clause")
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


# --- the reader's own data (pipeline/dashboard/uploads.py) ------------------------------------------


def _table(ids: list[str], *, start: date = date(2023, 3, 1), days: int = 30) -> pd.DataFrame:
    return synthetic_events(len(ids), seed=len(ids), start=start, days=days).assign(event_id=ids)


def test_uploads_join_the_data_or_replace_it_once_in_only_my_articles_mode():
    demo, mine, more = _table(["d1", "d2"]), _table(["m1"]), _table(["m2", "d1"])
    added = combine(demo, "the demo", mine, mode=ADD, own_only=False)
    assert sorted(added.events["event_id"]) == ["d1", "d2", "m1"] and added.label == "the demo + your data" and not added.own_only
    assert combine(added.events, added.label, more, mode=ADD, own_only=False).label == "the demo + your data"
    only = combine(demo, "the demo", mine, mode=ONLY, own_only=False)
    assert list(only.events["event_id"]) == ["m1"] and only.label == OWN_LABEL and only.own_only
    joined = combine(only.events, only.label, more, mode=ONLY, own_only=True)
    assert sorted(joined.events["event_id"]) == ["d1", "m1", "m2"] and joined.label == OWN_LABEL and joined.own_only
    assert list(joined.events.columns) == list(EVENT_COLUMNS)


def test_the_status_list_names_each_file_and_each_problem_without_repeating_the_name():
    ok = file_status(data_io.UploadResult("a.jsonl", _table(["a1", "a2"]), [], 1))
    partial = file_status(data_io.UploadResult("b.csv", _table(["b1"]), ["b.csv: row 3: no date", "b.csv: row 5: empty text"], 3))
    failed = FileStatus("c.txt", problems=("not UTF-8",))
    table = status_table([ok, partial, failed])
    assert table.to_dict("records") == [
        {"file": "c.txt", "status": "nothing added", "statements": 0, "problem": "not UTF-8"},
        {"file": "b.csv", "status": "added, some of it unreadable", "statements": 1, "problem": "row 3: no date"},
        {"file": "b.csv", "status": "added, some of it unreadable", "statements": 1, "problem": "row 5: empty text"},
        {"file": "a.jsonl", "status": "added", "statements": 2, "problem": ""},
    ]
    assert file_status(data_io.UploadResult("e.txt", _table([]), [], 1)).status == "no statements found"


def test_after_an_upload_the_filters_show_exactly_the_new_statements_days():
    new = _table(["n1", "n2", "n3"], start=date(2024, 1, 10), days=4)
    view = Filters(speakers=("Mara Velden",), text="talks", group_by="speaker", period="day", top_n=3)
    jumped = filters_showing(new, view)
    days = pd.to_datetime(new["date"]).dt.date
    assert jumped == Filters(start=days.min(), end=days.max(), group_by="speaker", period="day", top_n=3)


def test_a_pasted_text_without_a_date_is_refused_before_the_pipeline_runs(monkeypatch):
    monkeypatch.setattr(runner, "process_articles", lambda *a, **k: pytest.fail("the pipeline ran"))
    result = data_io.process_pasted("“We will not back down,” Velden said.", None)
    assert result.errors == ["pasted text: no publication date (choose the date the article was published)"]
    assert len(result.events) == 0


# --- small screens and speed (pipeline/dashboard/evidence.py, layout.py, charts.py) ------------------


def test_evidence_cards_list_the_first_rows_escaped_and_say_how_many_more():
    table = evidence_rows(prepare_events(_table([f"c{i}" for i in range(30)])), 30)
    table.loc[0, "quote"] = "<script>alert(1)</script> we will strike"
    cards = evidence_cards_html(table, matching=120, limit=25)
    assert cards.count("<li class='card ") == 25
    assert "&lt;script&gt;" in cards and "<script>" not in cards
    assert f"<li class='card {table.loc[0, 'stance']}'>" in cards and f"score {table.loc[0, 'score']:+.2f}" in cards
    assert "The first 25 of 120 statements" in cards
    assert "The first" not in evidence_cards_html(table.iloc[:3], matching=3)


def test_below_the_narrow_breakpoint_the_table_gives_way_to_the_cards():
    css = responsive_css(640)
    assert css.startswith("<style>") and css.endswith("</style>")
    wide, narrow = css.split("@media (max-width:640px)")
    assert ".st-key-evidence_cards{display:none}" in wide
    assert ".st-key-evidence_table{display:none}" in narrow and ".st-key-evidence_cards{display:block}" in narrow
    assert STANCE_COLOURS["escalation"] in css  # a card's edge shows its stance in the stance colours


def test_legends_sit_below_the_charts_and_points_are_a_sample_drawn_as_svg():
    events = prepare_events(synthetic_events(POINT_LIMIT + 500, seed=2))
    small = build_view(events.iloc[:300], Filters())
    for figure in (small.charts.timeline, small.charts.index, small.charts.net_bars):
        legend = figure.layout.legend
        assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")
    assert {t.type for t in small.charts.timeline.data if t.mode == "markers"} == {"scatter"}
    large = build_view(events, Filters())
    markers = [t for t in large.charts.timeline.data if t.mode == "markers"]
    assert {t.type for t in markers} == {"scatter"} and sum(len(t.x) for t in markers) == POINT_LIMIT


def test_isolated_values_are_those_with_no_value_either_side():
    values = np.array([1.0, np.nan, 2.0, 3.0, np.nan, 4.0, np.nan, np.nan, 5.0])
    assert isolated(values).tolist() == [True, False, False, False, False, True, False, False, True]
    assert isolated(np.array([])).tolist() == []


def test_a_long_index_line_marks_only_the_weeks_no_line_reaches():
    weeks = pd.date_range("2020-01-06", periods=MARKED_PERIODS + 40, freq="7D")
    net = np.where(np.arange(len(weeks)) % 3 == 0, 0.5, np.nan)  # every third week: each one alone
    net[10:14] = 0.25  # four weeks in a row: a line
    periods = pd.DataFrame({"group": "Norland", "period": weeks, "net": net, "events": 1, "escalation": 0.5, "de_escalation": 0.0})
    periods = periods.dropna(subset=["net"]).assign(group=lambda f: pd.Categorical(f["group"]))
    figure = index_figure(periods, {"Norland": "#1b9e77"}, period="week", legend_title="country")
    line, lone = figure.data
    assert line.mode == "lines" and lone.mode == "markers" and not lone.showlegend
    assert len(lone.x) == sum(1 for i in range(len(weeks)) if i % 3 == 0 and not 9 <= i <= 14)
    short = index_figure(periods.head(5), {"Norland": "#1b9e77"}, period="week", legend_title="country")
    assert [t.mode for t in short.data] == ["lines+markers"]


def test_a_line_over_years_takes_every_nth_day():
    days = pd.date_range("2015-01-01", periods=3000, freq="D")
    daily = pd.DataFrame({"group": "A", "day": days, "net": 0.5, "events": 1})
    line = rolling_mean_score(daily, window=14, min_events=1, max_points=1000)
    assert len(line) == 1000 and (line["day"].diff().dropna() == pd.Timedelta(days=3)).all()
    assert line["value"].eq(0.5).all()


def test_a_heatmap_of_too_many_cells_hovers_itself_instead_of_a_marker_per_cell():
    weeks = pd.date_range("2015-01-05", periods=HEATMAP_CELL_LIMIT // 2 + 1, freq="7D")
    rows = [{"group": group, "period": week, "mean_score": 0.5, "events": 2} for group in ("A", "B") for week in weeks]
    many = heatmap_figure(pd.DataFrame(rows), ["A", "B"], row_title="country")
    heat, cells = many.data
    assert len(cells.x) == 0 and "mean score" in heat.hovertemplate
    few = heatmap_figure(pd.DataFrame(rows[:10]), ["A", "B"], row_title="country")
    assert len(few.data[1].x) == 10 and few.data[0].hoverinfo == "skip"


def test_a_legend_below_gets_its_room_beforehand_and_the_plot_keeps_its_height():
    assert bottom_margin([], titled=True) == 60
    assert bottom_margin(["escalation outweighs", "de-escalation outweighs"], titled=False) == 85 + 30
    # 26 names of 25 characters: 190 px each, four to a 900 px row, seven rows under a title.
    assert bottom_margin(["x" * 25] * 26, titled=True) == 85 + 21 + 7 * 30
    few, many = (index_figure(period_stats(daily, "week"), palette, period="week", legend_title="speaker (country)")
                 for daily, palette in (_index_input(2), _index_input(26)))  # fmt: skip
    for figure in (few, many):
        assert figure.layout.height - figure.layout.margin.t - figure.layout.margin.b == 240
    assert many.layout.margin.b > few.layout.margin.b


def _index_input(groups: int) -> tuple[pd.DataFrame, dict[str, str]]:
    names = [f"Speaker number {g:02d} (Country)" for g in range(groups)]
    events = pd.DataFrame({DAY: np.arange(groups, dtype=np.int32) + 19_000, SIGNED: np.ones(groups), "score": np.ones(groups)})
    codes = pd.Categorical(names, categories=names)
    return daily_stats(events, codes), {name: "#555555" for name in names}
