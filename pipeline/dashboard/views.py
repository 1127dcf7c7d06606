"""The dashboard's view of an events table: filters, groups and the aggregates its charts draw.

Everything here is a pure function of a *prepared* events table (`prepare_events`): the
schema's columns (speaker, country and stance as categoricals) plus a few helper columns whose
names start with "_" (the day of the statement as a day number, its week, |score| and the
signed contribution to the net escalation index). Preparing once per loaded table is what
makes a filter change cheap on a million rows: every filter is a vectorised boolean mask, and
the charts are drawn from one per-group, per-day aggregation (`daily_stats`) computed with
`numpy.bincount`, never from the raw rows (except the capped scatter sample).

"Net escalation" has one meaning everywhere (`NET_ESCALATION`, `signed_scores`): over a period,
the sum of |score| of the escalation statements minus the sum of |score| of the de-escalation
statements (neutral statements count zero), so a week with three strong threats and one mild
reassurance scores high. Every chart and metric that says "net escalation" shows this sum.

Groups are sides first: countries by default, speakers as the drill-down, where a speaker is
named with their country and unnamed officials and institutions are gathered per country
(`speaker_label`); "other" is never the largest group (`group_labels`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Mapping

import numpy as np
import pandas as pd

from ..datafiles import DATA_DIR, read_data_rows
from ..schema import EVENT_COLUMNS, STANCES, conform_events_frame

GROUP_BY = ("country", "speaker")  # sides first: country is the default, speaker the drill-down
PERIODS = ("week", "day")
OTHER = "other"
UNKNOWN = "(unknown)"  # the label of an empty country
NET_ESCALATION = "net escalation"
NET_ESCALATION_HELP = (
    "Net escalation = Σ |score| of escalation statements − Σ |score| of de-escalation statements "
    "in the period (neutral statements count zero)."
)
# Whether a speaker is a named person: the actor dictionaries' `kind` when they list the name,
# else the head word of the phrase (the last word before one of HEAD_END's prepositions): one of
# INSTITUTION_WORDS makes it an institution or an unnamed official ("Tarsenian officials",
# "Foreign Ministry", "Diplomats in Port Ilyan"). See `is_named_person`.
ACTOR_FILES = (DATA_DIR / "actors.csv", DATA_DIR / "demo" / "actors.csv")
HEAD_END = r"\s+(?:of|in|on|at|from|for|with|to|close|familiar|following|near)\s+"
INSTITUTION_WORDS = frozenset(
    """
    administration agency army battalion brigade brigades cabinet command council court diplomat diplomats
    embassy forces government guard media military ministry mission navy office official officials
    palace parliament police presidency press regime sources spokesman spokesperson spokeswoman staff
    television house
    """.split()
)
ROLLING_DAYS = 14
ROLLING_MIN_EVENTS = 3  # fewer statements in the window leave a gap in the line
ROLLING_MAX_POINTS = 1_000  # days drawn per line at most; a longer line takes every n-th day
DEFAULT_TOP_N = 8
MAX_TOP_N = 10
MAX_GROUPS = 25  # series shown at most, "other" aside (see `group_labels`)
EPOCH = np.datetime64("1970-01-01", "D")

# Helper columns added by `prepare_events` (dropped again by `conform_events_frame`).
DAY, WEEK, ABS, SIGNED = "_day", "_week", "_abs", "_signed"
# One statement, many reports: `_head` marks the report that stands for its statement (the
# earliest published, then the smallest event_id), `_mentions` counts the statement's reports.
HEAD, MENTIONS, PRECISE, INFERRED = "_head", "_mentions", "_precise", "_inferred"
# An aggregated row (the event store's queries) stands for `_n` statements; without the column
# every row is one. Counting functions weigh rows by it, so they work on events and aggregates alike.
WEIGHT = "_n"
CATEGORICAL_COLUMNS = ("speaker", "country", "stance")
# What grouping and aggregation read: a filter change copies only these columns (no text).
NUMERIC_COLUMNS = ("speaker", "country", "stance", "score", DAY, WEEK, ABS, SIGNED)


@dataclass(frozen=True)
class Filters:
    """What the sidebar asks for. An empty selection means "all"; `None` dates are open ends.

    `group_by`, `period` and `top_n` are view settings rather than filters, kept here so that
    one object round-trips through the URL (`to_params` / `from_params`).
    """

    speakers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    stances: tuple[str, ...] = ()
    min_abs_score: float = 0.0
    text: str = ""
    group_by: str = "country"
    period: str = "week"
    top_n: int = DEFAULT_TOP_N
    every_report: bool = False  # every report of a statement, not one point per statement
    precise_only: bool = False  # only statements dated to the day (`date_precision` "day")
    attributed_only: bool = False  # without the statements the learned gate read from a main clause

    def to_params(self) -> dict[str, list[str]]:
        """The query parameters for these filters; settings at their default are left out."""
        params: dict[str, list[str]] = {}
        if self.speakers:
            params["speaker"] = [name or UNKNOWN for name in self.speakers]
        if self.countries:
            params["country"] = [name or UNKNOWN for name in self.countries]
        if self.start:
            params["from"] = [self.start.isoformat()]
        if self.end:
            params["to"] = [self.end.isoformat()]
        if self.stances:
            params["stance"] = list(self.stances)
        if self.min_abs_score > 0:
            params["min"] = [f"{self.min_abs_score:g}"]
        if self.text:
            params["q"] = [self.text]
        if self.group_by != GROUP_BY[0]:
            params["group"] = [self.group_by]
        if self.period != "week":
            params["period"] = [self.period]
        if self.top_n != DEFAULT_TOP_N:
            params["top"] = [str(self.top_n)]
        if self.every_report:
            params["reports"] = ["all"]
        if self.precise_only:
            params["precise"] = ["day"]
        if self.attributed_only:
            params["found"] = ["attributed"]
        return params

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, list[str]],
        *,
        speakers: Mapping[str, int] | None = None,
        countries: Mapping[str, int] | None = None,
    ) -> "Filters":
        """Filters from query parameters (each key to its list of values), ignoring what is invalid.

        Names not in `speakers` / `countries` (when given) are dropped, so a shared link made
        on other data still opens; a malformed date or number falls back to the default.
        """

        def values(key: str) -> list[str]:
            return [v for v in params.get(key, []) if v != ""]

        def first(key: str) -> str:
            found = values(key)
            return found[-1] if found else ""

        def known(key: str, options: Mapping[str, int] | None) -> tuple[str, ...]:
            # An empty name (no country known) travels as "(unknown)".
            names = ("" if v == UNKNOWN else v for v in values(key))
            return tuple(dict.fromkeys(v for v in names if options is None or v in options))

        def parse_day(key: str) -> date | None:
            try:
                return date.fromisoformat(first(key)) if first(key) else None
            except ValueError:
                return None

        try:
            min_abs = min(max(float(first("min") or 0), 0.0), 1.0)
        except ValueError:
            min_abs = 0.0
        try:
            top_n = min(max(int(first("top") or DEFAULT_TOP_N), 1), MAX_TOP_N)
        except ValueError:
            top_n = DEFAULT_TOP_N
        return cls(
            speakers=known("speaker", speakers),
            countries=known("country", countries),
            start=parse_day("from"),
            end=parse_day("to"),
            stances=tuple(s for s in known("stance", None) if s in STANCES),
            min_abs_score=round(min_abs, 2) if min_abs == min_abs else 0.0,  # NaN -> 0
            text=first("q").strip(),
            group_by=first("group") if first("group") in GROUP_BY else GROUP_BY[0],
            period=first("period") if first("period") in PERIODS else "week",
            top_n=top_n,
            every_report=first("reports") == "all",
            precise_only=first("precise") == "day",
            attributed_only=first("found") == "attributed",
        )


@dataclass
class Dataset:
    """A prepared events table and what the sidebar needs to know about it."""

    events: pd.DataFrame
    label: str
    speaker_counts: dict[str, int] = field(default_factory=dict)
    country_counts: dict[str, int] = field(default_factory=dict)
    first_day: date | None = None
    last_day: date | None = None

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, label: str) -> "Dataset":
        events = prepare_events(frame)
        days = events[DAY]
        return cls(
            events=events,
            label=label,
            speaker_counts=option_counts(events, "speaker"),
            country_counts=option_counts(events, "country"),
            first_day=_to_date(days.min()) if len(events) else None,
            last_day=_to_date(days.max()) if len(events) else None,
        )


def _to_date(day_number: int) -> date:
    return date(1970, 1, 1) + timedelta(days=int(day_number))


def prepare_events(frame: pd.DataFrame) -> pd.DataFrame:
    """The events table made ready for fast filtering, newest statement first.

    Adds `_day` (days since 1970-01-01 of the statement's `date`, or of `published` when
    `date` is not a YYYY-MM-DD date), `_week` (the day number of that week's Monday), `_abs`
    (|score|), `_signed` (the statement's contribution to the net escalation index), `_head`
    and `_mentions` (`statement_heads`), `_precise` (dated to the day) and `_inferred` (read from a
    main clause without a reporting verb: `found_by`).
    """
    events = conform_events_frame(frame)
    day = pd.to_datetime(events["date"], format="%Y-%m-%d", errors="coerce")
    published = pd.to_datetime(events["published"], format="%Y-%m-%d", errors="coerce")
    day = day.fillna(published).fillna(pd.Timestamp("1970-01-01"))
    day_number = day.to_numpy().astype("datetime64[D]").astype(np.int64).astype(np.int32)
    week = day_number - ((day_number + 3) % 7)  # 1970-01-01 was a Thursday: Monday = 0
    abs_score = events["score"].abs().to_numpy()
    signed = signed_scores(events["stance"].to_numpy(), abs_score)
    head, mentions = statement_heads(events)
    precise = events["date_precision"].to_numpy(dtype=object) == "day"
    inferred = events["found_by"].to_numpy(dtype=object) == "main clause"
    events = events.assign(
        **{DAY: day_number, WEEK: week.astype(np.int32), ABS: abs_score, SIGNED: signed, HEAD: head, MENTIONS: mentions,
           PRECISE: precise, INFERRED: inferred}
    )
    for column in CATEGORICAL_COLUMNS:
        events[column] = events[column].astype("category")
    order = np.argsort(-events[DAY].to_numpy(), kind="stable")
    return events.iloc[order].reset_index(drop=True)


def statement_heads(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each report: whether it stands for its statement (the statement's earliest published
    report, ties by smallest event_id; `store_queries` picks the same one) and how many
    reports the statement has."""
    codes, _ = pd.factorize(events["statement_id"].to_numpy(dtype=object))
    mentions = np.bincount(codes)[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    head = mentions == 1
    shared = np.flatnonzero(~head)  # only statements with several reports need an order
    if len(shared):
        order = pd.DataFrame(
            {"s": codes[shared], "p": events["published"].to_numpy(dtype=object)[shared], "e": events["event_id"].to_numpy(dtype=object)[shared]}
        ).sort_values(["s", "p", "e"], kind="stable")
        first = ~order["s"].duplicated().to_numpy()
        head[shared[order.index.to_numpy()[first]]] = True
    return head, mentions.astype(np.int64)


def row_weights(events: pd.DataFrame) -> np.ndarray | None:
    """How many statements each row stands for (`WEIGHT`), or None when each is one."""
    return events[WEIGHT].to_numpy() if WEIGHT in events.columns else None


def weighted_count(codes: np.ndarray, weights: np.ndarray | None, minlength: int = 0) -> np.ndarray:
    """`np.bincount(codes)`, each row counted `weights` times when given (integers either way)."""
    counts = np.bincount(codes, weights=weights, minlength=minlength)
    return counts if weights is None else np.rint(counts).astype(np.int64)


def signed_scores(stance: np.ndarray, abs_score: np.ndarray) -> np.ndarray:
    """Each statement's contribution to net escalation: +|score| for escalation, −|score| for
    de-escalation, 0 for neutral. Summed over a period, this is `NET_ESCALATION`."""
    return np.where(stance == "escalation", abs_score, np.where(stance == "de-escalation", -abs_score, 0.0))


def option_counts(events: pd.DataFrame, column: str) -> dict[str, int]:
    """Each value of a column with its number of events, most frequent first (ties by name)."""
    counts = events[column].value_counts(sort=False)
    counts = counts[counts > 0]
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return {str(name): int(count) for name, count in ordered}


def speaker_options(events: pd.DataFrame, countries: tuple[str, ...] | list[str], all_counts: Mapping[str, int]) -> dict[str, int]:
    """The speakers to offer with their event counts, given the countries chosen: those who
    speak for one of `countries` (counted there only), or `all_counts` when none is chosen."""
    if not countries:
        return dict(all_counts)
    return option_counts(events.loc[events["country"].isin(countries).to_numpy(), ["speaker"]], "speaker")


def option_label(name: str, counts: Mapping[str, int]) -> str:
    """How a multiselect shows an option: `Name (12)`."""
    return f"{name or UNKNOWN} ({counts.get(name, 0):,})"


def filter_mask(events: pd.DataFrame, filters: Filters) -> np.ndarray:
    """The boolean mask of the prepared events that pass `filters`."""
    mask = np.ones(len(events), dtype=bool)
    if not filters.every_report and HEAD in events.columns:
        mask &= events[HEAD].to_numpy(dtype=bool)
    if filters.precise_only:
        mask &= events[PRECISE].to_numpy(dtype=bool)
    if filters.attributed_only:
        mask &= ~events[INFERRED].to_numpy(dtype=bool)
    if filters.speakers:
        mask &= events["speaker"].isin(filters.speakers).to_numpy()
    if filters.countries:
        mask &= events["country"].isin(filters.countries).to_numpy()
    if filters.stances and set(filters.stances) != set(STANCES):
        mask &= events["stance"].isin(filters.stances).to_numpy()
    days = events[DAY].to_numpy()
    if filters.start is not None:
        mask &= days >= (filters.start - date(1970, 1, 1)).days
    if filters.end is not None:
        mask &= days <= (filters.end - date(1970, 1, 1)).days
    if filters.min_abs_score > 0:
        # Half a rounding step of slack, so that a slider at 0.3 keeps a score of 0.3.
        mask &= events[ABS].to_numpy() >= filters.min_abs_score - 1e-9
    text = filters.text.strip()
    if text and mask.any():
        # Searching only the rows still in play saves most of the cost on a big table.
        rows = np.flatnonzero(mask)
        found = events["quote"].iloc[rows].str.contains(text, case=False, regex=False).to_numpy(dtype=bool, na_value=False)
        mask[rows[~found]] = False
    return mask


def filter_rows(events: pd.DataFrame, filters: Filters) -> np.ndarray:
    """The positions of the prepared events that pass `filters`, in table order.

    The charts and the table read only a few columns at these positions, so a filter change
    never copies the whole table; `take` does, when the rows themselves are needed.
    """
    return np.flatnonzero(filter_mask(events, filters))


def take(events: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The events at `rows` as a table of their own (the same frame when `rows` is all of it)."""
    if len(rows) == len(events):
        return events
    return events.iloc[rows].reset_index(drop=True)


def filter_events(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The prepared events that pass `filters`, in their order."""
    return take(events, filter_rows(events, filters))


@lru_cache(maxsize=1)
def actor_kinds() -> dict[str, str]:
    """Each canonical actor name of the actor dictionaries (the real one and the fictional
    demo's) with its kind: "person", "government", "military", ... (see `data/actors.csv`)."""
    kinds: dict[str, str] = {}
    for path in ACTOR_FILES:
        if path.is_file():
            kinds.update((row["name"], row["kind"]) for row in read_data_rows(path))
    return kinds


def is_named_person(speaker: str) -> bool:
    """Whether a speaker is a named person, not an institution or an unnamed official.

    An actor of the dictionaries is a person when its kind says so. Otherwise: a role phrase
    starts in lower case ("a senior official", "the army"), and an institution's head word (the
    last before "of", "in", ...) is one of `INSTITUTION_WORDS` ("Vareshi Ministry of Defence",
    "Officials in Kalvor"); "Council Secretary-General Ines Aalto" is a person.
    """
    kind = actor_kinds().get(speaker)
    if kind is not None:
        return kind == "person"
    if not speaker[:1].isupper():
        return False
    head = re.split(HEAD_END, speaker, maxsplit=1)[0].split()
    word = head[-1].strip(".,;:'’").lower().removesuffix("'s").removesuffix("’s") if head else ""
    return word not in INSTITUTION_WORDS


def speaker_label(speaker: str, country: str) -> str:
    """A speaker as the legend names them: a named person with their side ("Kasimir Valdan
    (Varesh)"); unnamed officials and institutions gathered per side ("Varesh officials &
    institutions"), so that "the ministry" and "officials" do not scatter into many small series."""
    if is_named_person(speaker):
        return f"{speaker} ({country})" if country else speaker
    return f"{country} officials & institutions" if country else "unnamed officials & institutions"


def ranked_actors(events: pd.DataFrame, by: str) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Each event's actor as a code into `labels`, the labels most frequent first (ties by
    name), and their event counts. An actor is a country (`UNKNOWN` for none) or, by speaker,
    the `speaker_label` of the speaker and their country."""
    if by not in GROUP_BY:
        raise ValueError(f"cannot group by {by!r} (choose one of: {', '.join(GROUP_BY)})")
    country = _categorical(events["country"])
    country_codes = country.cat.codes.to_numpy().astype(np.int64)
    if by == "country":
        codes, names = country_codes, [str(c) or UNKNOWN for c in country.cat.categories]
    else:
        speaker = _categorical(events["speaker"])
        width = max(len(country.cat.categories), 1)
        pair = speaker.cat.codes.to_numpy().astype(np.int64) * width + country_codes
        present = np.flatnonzero(np.bincount(pair, minlength=len(speaker.cat.categories) * width))
        pair_labels = [
            speaker_label(str(speaker.cat.categories[k // width]), str(country.cat.categories[k % width])) for k in present
        ]
        position = {label: i for i, label in enumerate(dict.fromkeys(pair_labels))}
        names = list(position)
        lookup = np.zeros(len(speaker.cat.categories) * width, dtype=np.int64)
        lookup[present] = [position[label] for label in pair_labels]
        codes = lookup[pair]
    counts = weighted_count(codes, row_weights(events), len(names))
    order = sorted((i for i in range(len(names)) if counts[i] > 0), key=lambda i: (-counts[i], names[i]))
    rank = np.zeros(len(names), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], [names[i] for i in order], counts[order]


def _categorical(column: pd.Series) -> pd.Series:
    return column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")


def group_labels(events: pd.DataFrame, by: str, top_n: int) -> pd.Categorical:
    """Each event's legend group: its actor (see `ranked_actors`) when among the `top_n` most
    frequent in `events`, else "other". Categories are ordered by event count, "other" last.

    "other" is not the largest series: when the actors left over hold more statements than
    the most frequent actor, more actors are shown until they no longer do, up to `MAX_GROUPS`
    (a long tail of thousands of speakers would otherwise draw a thousand series).
    """
    codes, labels, counts = ranked_actors(events, by)
    shown = min(top_n, len(labels))
    left_over = int(counts.sum()) - int(counts[:shown].sum())
    while shown < min(len(labels), MAX_GROUPS) and left_over > counts[0]:
        left_over -= int(counts[shown])
        shown += 1
    other = OTHER if OTHER not in labels else f"{OTHER} (rest)"
    categories = labels[:shown] + ([other] if shown < len(labels) else [])
    return pd.Categorical.from_codes(np.minimum(codes, shown), categories=categories)


def daily_stats(events: pd.DataFrame, groups: pd.Categorical) -> pd.DataFrame:
    """One row per (group, day) with statements: events, net index, escalation and
    de-escalation sums (both ≥ 0) and the sum of raw scores (for means)."""
    columns = ["group", "day", "events", "net", "escalation", "de_escalation", "score_sum"]
    if len(events) == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns}).assign(
            group=pd.Categorical([], categories=list(groups.categories)), day=pd.Series(dtype="datetime64[s]")
        )
    days = events[DAY].to_numpy()
    first = int(days.min())
    span = int(days.max()) - first + 1
    key = groups.codes.astype(np.int64) * span + (days - first)
    size = len(groups.categories) * span
    signed = events[SIGNED].to_numpy()
    count = weighted_count(key, row_weights(events), size)
    present = np.flatnonzero(count)

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(key, weights=weights, minlength=size)[present]

    return pd.DataFrame(
        {
            "group": pd.Categorical.from_codes(present // span, categories=list(groups.categories)),
            "day": (EPOCH + (present % span + first)).astype("datetime64[s]"),
            "events": count[present],
            "net": total(signed),
            "escalation": total(np.clip(signed, 0, None)),
            "de_escalation": total(np.clip(-signed, 0, None)),
            "score_sum": total(events["score"].to_numpy()),
        }
    )


def period_stats(daily: pd.DataFrame, period: str = "week") -> pd.DataFrame:
    """`daily_stats` summed per day or per week (weeks start on Monday, labelled by that day)."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (choose one of: {', '.join(PERIODS)})")
    frame = daily
    if period == "week":
        frame = daily.assign(day=daily["day"] - pd.to_timedelta(daily["day"].dt.dayofweek, unit="D"))
    out = frame.groupby(["group", "day"], observed=True, sort=True)[["events", "net", "escalation", "de_escalation", "score_sum"]].sum()
    out = out.reset_index().rename(columns={"day": "period"})
    out["mean_score"] = out["score_sum"] / out["events"]
    return out


def rolling_mean_score(
    daily: pd.DataFrame, window: int = ROLLING_DAYS, min_events: int = ROLLING_MIN_EVENTS, max_points: int = ROLLING_MAX_POINTS,
) -> pd.DataFrame:
    """Per group and day, the mean signed score of its statements over the last `window` days:
    the timeline's line, on the same −1…+1 axis as the points (a mean, so not called net
    escalation). A day with fewer than `min_events` statements in its window has no value (a
    gap), so one lone statement does not draw a spike. What the browser draws is kept small: a
    gap is one row however many days it lasts (a line breaks at any gap), and a line over more
    than `max_points` days takes every n-th day (a chart is narrower than years of days are
    many); each was most of the timeline's redraw over years of statements."""
    rows = []
    for group, part in daily.groupby("group", observed=True, sort=False):
        day = part["day"].to_numpy().astype("datetime64[D]").astype(np.int64)
        first = int(day.min())
        span = int(day.max()) - first + 1

        def running(column: str) -> np.ndarray:  # sums over days first..first+i-1, for i in 0..span
            return np.r_[0.0, np.cumsum(np.bincount(day - first, weights=part[column].to_numpy(dtype=np.float64), minlength=span))]

        net, events = running("net"), running("events")
        end = np.arange(1, span + 1)
        start = np.maximum(end - window, 0)
        net_sum, event_sum = net[end] - net[start], events[end] - events[start]
        value = np.where(event_sum >= max(min_events, 1), net_sum / np.maximum(event_sum, 1e-300), np.nan)
        kept = np.arange(0, span, -(-span // max(max_points, 1)))  # every n-th day, the first kept
        value = value[kept]
        present = ~np.isnan(value)
        drawn = present | np.r_[True, present[:-1]]  # values, and each gap's first day
        rows.append(pd.DataFrame({"group": group, "day": (EPOCH + (kept[drawn] + first)).astype("datetime64[s]"), "value": value[drawn]}))
    if not rows:
        return pd.DataFrame({"group": pd.Series(dtype="object"), "day": pd.Series(dtype="datetime64[s]"), "value": pd.Series(dtype="float64")})
    return pd.concat(rows, ignore_index=True)


def sample_rows(count: int, limit: int, *, seed: int = 0) -> np.ndarray:
    """Positions of a uniform random sample of `limit` of `count` rows, in order (all rows when
    `count <= limit`). The same seed gives the same sample, so a rerun does not reshuffle."""
    if count <= limit:
        return np.arange(count)
    return np.sort(np.random.default_rng(seed).choice(count, size=limit, replace=False))


__all__ = [
    "EVENT_COLUMNS",
    "NET_ESCALATION",
    "NET_ESCALATION_HELP",
    "Dataset",
    "Filters",
    "actor_kinds",
    "daily_stats",
    "filter_events",
    "filter_mask",
    "row_weights",
    "statement_heads",
    "weighted_count",
    "group_labels",
    "is_named_person",
    "option_counts",
    "option_label",
    "period_stats",
    "prepare_events",
    "ranked_actors",
    "rolling_mean_score",
    "sample_rows",
    "signed_scores",
    "speaker_label",
    "speaker_options",
]
