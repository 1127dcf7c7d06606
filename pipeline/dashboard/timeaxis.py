"""Honest time on the dashboard's date axes: gaps stay gaps, a week is always a week wide.

- `fill_gaps`: per group, every period between its first and last gets a row, with no value
  where nothing was said, so a line breaks there instead of running straight across.
- `week_columns`: the heatmap's weeks, every week from the first to the last, so each cell is
  one week wide (a sparse week is never stretched over the empty weeks beside it).
- `time_axis`: the x-axis settings for the selection's days: data spanning more than a year
  opens on its densest episode (`densest_window`) with a range selector to widen it; a few
  days get one tick per day (plotly's automatic ticks go down to milliseconds on one day).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .trend import PERIOD_DAYS

DAY_MS = 86_400_000
EPISODE_DAYS = 90  # the window a long selection opens on
LONG_SPAN_DAYS = 366  # selections longer than this span years: they open on their densest episode
FEW_DAYS = 7  # marks at most this many days apart get a tick per day
RANGE_BUTTONS = (
    dict(count=1, label="1m", step="month", stepmode="backward"),
    dict(count=3, label="3m", step="month", stepmode="backward"),
    dict(count=6, label="6m", step="month", stepmode="backward"),
    dict(count=1, label="1y", step="year", stepmode="backward"),
    dict(step="all", label="all"),
)


def fill_gaps(periods: pd.DataFrame, period: str) -> pd.DataFrame:
    """`views.period_stats` with a row for every period between each group's first and last:
    the missing ones have 0 `events` and no value (NaN) in the other columns, so plotly breaks
    a line there instead of drawing it across."""
    step = pd.Timedelta(days=PERIOD_DAYS[period])
    parts = []
    for group, part in periods.groupby("group", observed=True, sort=False):
        full = pd.date_range(part["period"].min(), part["period"].max(), freq=step)
        filled = part.set_index("period").reindex(full).rename_axis("period").reset_index()
        filled["group"] = group
        filled["events"] = filled["events"].fillna(0).astype(np.int64)
        parts.append(filled)
    if not parts:
        return periods
    out = pd.concat(parts, ignore_index=True).loc[:, list(periods.columns)]
    out["group"] = pd.Categorical(out["group"], categories=periods["group"].cat.categories)
    return out


def week_columns(weeks: pd.Series) -> pd.DatetimeIndex:
    """Every Monday from the first to the last of `weeks` (week starts)."""
    if len(weeks) == 0:
        return pd.DatetimeIndex([])
    return pd.date_range(weeks.min(), weeks.max(), freq="7D")


def densest_window(days: np.ndarray, width: int = EPISODE_DAYS, weights: np.ndarray | None = None) -> tuple[int, int]:
    """The first and last day with statements of the `width`-day window that holds the most of
    them (the earliest such window); `days` are day numbers in any order, each standing for
    `weights` statements when given (aggregated rows)."""
    days = np.asarray(days, dtype=np.int64)
    first = int(days.min())
    offsets = days - first
    counts = np.bincount(offsets)
    present = np.flatnonzero(counts)  # the days with statements (as offsets), in order
    per_day = counts if weights is None else np.bincount(offsets, weights=np.asarray(weights, dtype=np.float64))
    total = np.r_[0, np.cumsum(per_day[present])]
    ends = np.searchsorted(present, present + width, side="left")
    best = int(np.argmax(total[ends] - total[:-1]))
    return first + int(present[best]), first + int(present[ends[best] - 1])


def opening_episode(days: np.ndarray, weights: np.ndarray | None = None) -> tuple[int, int] | None:
    """The days a selection spanning years opens on (`densest_window`), or None when it spans
    `LONG_SPAN_DAYS` or less and is shown whole."""
    if len(days) == 0 or int(np.max(days)) - int(np.min(days)) <= LONG_SPAN_DAYS:
        return None
    return densest_window(days, weights=weights)


def _when(day_number: float) -> str:
    return (pd.Timestamp("1970-01-01") + pd.Timedelta(days=float(day_number))).isoformat()


def time_axis(first: float, last: float, *, pad: float, episode: tuple[int, int] | None = None) -> dict:
    """Settings for a date x-axis (`figure.update_xaxes(**settings)`) whose marks lie between
    day numbers `first` and `last`. With an `episode` (`opening_episode`): a range selector and
    the episode as the opening range. Else, marks at most `FEW_DAYS` apart: one tick per day
    and the range padded by `pad` days each side. Else plotly's own."""
    if episode is not None:
        return dict(
            type="date",
            range=[_when(episode[0] - pad), _when(episode[1] + pad)],
            rangeselector=dict(buttons=list(RANGE_BUTTONS), x=1, xanchor="right", y=1.02, yanchor="bottom", font=dict(size=11)),
        )
    if last - first <= FEW_DAYS:
        return dict(type="date", range=[_when(first - pad), _when(last + pad)], dtick=DAY_MS, tickformat="%-d %b %Y")
    return {}


__all__ = ["DAY_MS", "densest_window", "fill_gaps", "opening_episode", "time_axis", "week_columns"]
