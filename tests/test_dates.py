"""Resolving a statement's time cue to a day (pipeline/extraction/dates.py)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extraction import dates
from pipeline.extraction.dates import (
    find_date_cues, find_full_dates, find_vague_cues, normalise_cue, resolve_date_cue, vague_cue_precision,
)

D = dt.date
# Published dates: a Thursday; a Tuesday (same weekday as the Tuesday cues); New Year's Day 2020
# (a Wednesday: cues reach back into 2019); 1 March 2021 (a Monday after a 28-day February).
THU, TUE, NEW_YEAR, MARCH_1 = D(2020, 1, 9), D(2020, 1, 7), D(2020, 1, 1), D(2021, 3, 1)
PUBLISHED = (THU, TUE, NEW_YEAR, MARCH_1)

# cues that must resolve alike -> the day for each published date above
EXPECTED: list[tuple[tuple[str, ...], tuple[D | None, D | None, D | None, D | None]]] = [
    (
        ("Tuesday", "on Tuesday", "Tuesday night", "late Tuesday", "early Tuesday", "earlier Tuesday",
         "Tuesday morning", "Tuesday afternoon", "Tuesday evening", "Tuesday night's", "Tuesday night\u2019s",
         "Tuesday nights", "Tuesday's", "Tuesdays", "earlier on Tuesday", "late on Tuesday", "TUESDAY",
         "said Tuesday", "at 9 p.m. Tuesday", "Tuesday at 10:30 a.m. local time", "in the early hours of Tuesday",
         "this past Tuesday", "Tues.", "before dawn Tuesday", "after midnight on Tuesday"),
        (D(2020, 1, 7), D(2020, 1, 7), D(2019, 12, 31), D(2021, 2, 23)),
    ),
    (("last Tuesday", "the previous Tuesday"), (D(2020, 1, 7), D(2019, 12, 31), D(2019, 12, 31), D(2021, 2, 23))),
    (("Thursday", "said Thursday", "on Thursday"), (D(2020, 1, 9), D(2020, 1, 2), D(2019, 12, 26), D(2021, 2, 25))),
    (("earlier on Wednesday", "Wednesday"), (D(2020, 1, 8), D(2020, 1, 1), D(2020, 1, 1), D(2021, 2, 24))),
    (("on Monday evening", "Monday"), (D(2020, 1, 6), D(2020, 1, 6), D(2019, 12, 30), D(2021, 3, 1))),
    (("Sunday", "on Sunday"), (D(2020, 1, 5), D(2020, 1, 5), D(2019, 12, 29), D(2021, 2, 28))),
    (("Tuesday of last week", "Tuesday last week"), (D(2019, 12, 31), D(2019, 12, 31), D(2019, 12, 24), D(2021, 2, 16))),
    (
        ("yesterday", "Yesterday", "yesterday afternoon", "late yesterday", "last night", "late last night",
         "overnight", "the day before", "a day earlier", "one day ago"),
        (D(2020, 1, 8), D(2020, 1, 6), D(2019, 12, 31), D(2021, 2, 28)),
    ),
    (
        ("today", "this morning", "tonight", "earlier today", "this afternoon", "earlier this morning"),
        (THU, TUE, NEW_YEAR, MARCH_1),
    ),
    (("two days ago", "2 days ago", "the day before yesterday"), (D(2020, 1, 7), D(2020, 1, 5), D(2019, 12, 30), D(2021, 2, 27))),
    (("three days earlier",), (D(2020, 1, 6), D(2020, 1, 4), D(2019, 12, 29), D(2021, 2, 26))),
    (
        ("Jan. 5", "on Jan. 5", "January 5", "Jan 5", "5 January", "January 5th", "the 5th of January"),
        (D(2020, 1, 5), D(2020, 1, 5), D(2019, 1, 5), D(2021, 1, 5)),
    ),
    (("Dec. 31", "on December 31"), (D(2019, 12, 31), D(2019, 12, 31), D(2019, 12, 31), D(2020, 12, 31))),
    (("March 3",), (D(2019, 3, 3), D(2019, 3, 3), D(2019, 3, 3), D(2020, 3, 3))),
    (("Feb. 29",), (D(2016, 2, 29), D(2016, 2, 29), D(2016, 2, 29), D(2020, 2, 29))),
    (("on March 3, 2019", "March 3 2019", "3 March 2019"), (D(2019, 3, 3),) * 4),
    (("2020-01-05", "Sunday, Jan. 5, 2020", "1/5/2020"), (D(2020, 1, 5), D(2020, 1, 5), None, D(2020, 1, 5))),
    (("Tuesday, Dec. 31",), (D(2019, 12, 31), D(2019, 12, 31), D(2019, 12, 31), D(2020, 12, 31))),
    (
        ("", "2019", "in 2019", "recent weeks", "in recent weeks", "the future", "later this month", "for three days",
         "decades", "next Tuesday", "since Tuesday", "every Tuesday", "tomorrow", "this week", "earlier this week",
         "January", "last month", "last year", "Monday and Tuesday", "last week", "a week ago", "late last week",
         "two weeks ago", "recently", "March 3, 2031", "Feb. 30", "the 1990s", "since Jan. 5", "by March 3",
         "until Tuesday"),
        (None, None, None, None),
    ),
]
CASES = [
    pytest.param(cue, published, expected, id=f"{cue or 'empty'}@{published}")
    for cues, days in EXPECTED
    for cue in cues
    for published, expected in zip(PUBLISHED, days)
]


@pytest.mark.parametrize(("cue", "published", "expected"), CASES)
def test_resolve_date_cue(cue, published, expected):
    assert resolve_date_cue(cue, published) == expected


def test_resolve_date_cue_accepts_a_datetime():
    assert resolve_date_cue("Tuesday night", dt.datetime(2020, 1, 9, 23, 30)) == D(2020, 1, 7)


def test_resolve_date_cue_rejects_a_string_date():
    with pytest.raises(TypeError, match="'2020-01-09'"):
        resolve_date_cue("Tuesday", "2020-01-09")


@pytest.mark.parametrize(
    "cue", ["Tuesday night's", "late Tuesday", "yesterday", "last week", "Jan. 5", "on March 3, 2019", "2020-01-05", "decades"]
)
def test_resolve_date_cue_needs_no_dateparser_for_common_cues(cue, monkeypatch):
    def fail(published):
        raise AssertionError("dateparser called")

    monkeypatch.setattr(dates, "_parser", fail)
    dates._resolve.cache_clear()
    try:
        resolve_date_cue(cue, D(2024, 5, 17))
    finally:
        dates._resolve.cache_clear()


@pytest.mark.parametrize(
    ("cue", "normalised"),
    [
        ("Late Tuesday Night\u2019s", "late tuesday night"),
        ("on Jan. 5, 2020", "on jan 5 2020"),
        ("Tuesday nights", "tuesday night"),
        ("at 9 p.m. EST Tuesday", "tuesday"),
        ("2020-01-05", "2020-01-05"),
        ("Tuesday-night", "tuesday night"),
    ],
)
def test_normalise_cue(cue, normalised):
    assert normalise_cue(cue) == normalised


_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY_FORMS = [
    "{d}", "on {d}", "late {d}", "early {d}", "earlier {d}", "earlier on {d}", "{d} night", "{d} morning",
    "{d} afternoon", "{d} evening", "{d} night's", "{d} night\u2019s", "{d} nights", "{d}'s", "this past {d}",
    "late on {d} night", "said {d}",
]
_published_dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31))
_cases = st.sampled_from([str.lower, str.upper, str.title, lambda s: s])


@settings(max_examples=200, deadline=None)
@given(published=_published_dates, weekday=st.integers(0, 6), form=st.sampled_from(_WEEKDAY_FORMS), case=_cases)
def test_weekday_cue_is_the_most_recent_such_day(published, weekday, form, case):
    day = resolve_date_cue(case(form.format(d=_WEEKDAY_NAMES[weekday])), published)
    assert day is not None
    assert published - dt.timedelta(days=6) <= day <= published
    assert day.weekday() == weekday


@settings(max_examples=100, deadline=None)
@given(published=_published_dates, weekday=st.integers(0, 6))
def test_last_weekday_is_before_publication(published, weekday):
    day = resolve_date_cue(f"last {_WEEKDAY_NAMES[weekday]}", published)
    assert published - dt.timedelta(days=7) <= day < published
    assert day.weekday() == weekday


@settings(max_examples=200, deadline=None)
@given(published=_published_dates, day=st.dates(min_value=D(2000, 1, 1), max_value=D(2000, 12, 31)))
def test_month_day_without_year_is_within_the_past_year(published, day):
    cue = day.strftime("%B %d").replace(" 0", " ")  # "February 29"
    resolved = resolve_date_cue(cue, published)
    assert resolved is not None and (resolved.month, resolved.day) == (day.month, day.day)
    assert resolved <= published
    assert resolved > published - dt.timedelta(days=366 if (day.month, day.day) != (2, 29) else 366 * 4 + 1)


@pytest.mark.parametrize(
    ("sentence", "cues"),
    [
        (
            "A top official said Thursday that Tuesday night\u2019s strikes were only the beginning.",
            ["Thursday", "Tuesday night\u2019s"],
        ),
        ("The ministry said late Tuesday that it would respond.", ["late Tuesday"]),
        ("Speaking earlier on Wednesday, he said the talks were over.", ["earlier on Wednesday"]),
        ("The envoy said on Jan. 5, 2020 that no deal was possible.", ["Jan. 5, 2020"]),
        ("The general told reporters yesterday morning that he may resign.", ["yesterday morning"]),
        ("The strikes came in the early hours of Sunday, March 3, officials said.", ["in the early hours of Sunday, March 3"]),
        ("Two days ago the minister said the border was calm; last week he said the opposite.", ["Two days ago"]),
        ("He said this morning that 5 May 2031 and 2031-05-06 were the deadlines.", ["this morning", "5 May 2031", "2031-05-06"]),
        ("Officials said Tuesdays attack and the meeting last Tuesday were unrelated.", ["Tuesdays", "last Tuesday"]),
        ("The envoy said late Tuesday, Jan. 7, that the offer stood.", ["late Tuesday, Jan. 7"]),
        ("The president said overnight that the day before he had warned them.", ["overnight", "the day before"]),
        ("We may march on if the 10 ministers agree, he said in recent weeks.", []),
        ("In an appearance on This Week, the minister said the decades of conflict were over.", []),
    ],
)
def test_find_date_cues(sentence, cues):
    found = find_date_cues(sentence)
    assert [cue for _, _, cue in found] == cues
    for start, end, cue in found:
        assert sentence[start:end] == cue


def test_find_date_cues_prefers_the_longest_cue():
    sentence = "He spoke on Tuesday, Jan. 7, 2020 and again late Tuesday night."
    assert [cue for _, _, cue in find_date_cues(sentence)] == ["Tuesday, Jan. 7, 2020", "late Tuesday night"]


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_find_date_cues_spans_slice_back_and_never_overlap(text):
    found = find_date_cues(text)
    for (_, end, _), (start, _, _) in zip(found, found[1:]):
        assert end <= start
    for start, end, cue in found:
        assert text[start:end] == cue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- The Meridian Courier - Thursday, January 9, 2020", [D(2020, 1, 9)]),
        ("12 March 2031 and 2031-03-13T10:00Z and Thu 14 Mar 2031", [D(2031, 3, 12), D(2031, 3, 13), D(2031, 3, 14)]),
        ("Feb. 30, 2020 and Jan 9 (Reuters) and March 3", []),
    ],
)
def test_find_full_dates(text, expected):
    assert [day for _, _, day in find_full_dates(text)] == expected


@pytest.mark.parametrize(
    ("cue", "precision"),
    [
        ("last week", "week"), ("late last week", "week"), ("earlier this week", "week"), ("a week ago", "week"),
        ("over the weekend", "week"), ("a few days ago", "week"), ("in recent days", "week"),
        ("earlier this month", "month"), ("last month", "month"), ("recently", "month"), ("Recently", "month"),
        ("in recent weeks", "month"), ("two weeks ago", "month"), ("weeks ago", "month"),
        ("Tuesday", None), ("yesterday", None), ("later this month", None), ("next week", None), ("last year", None),
    ],
)
def test_vague_cue_precision(cue, precision):
    assert vague_cue_precision(cue) == precision


def test_find_vague_cues_skips_cues_that_look_ahead():
    sentence = "He said last week, and recently, that two weeks ago talks failed; later this week and next month they resume."
    assert [cue for _, _, cue in find_vague_cues(sentence)] == ["last week", "recently", "two weeks ago"]
