"""The answer at the top of the dashboard: is it escalating or calming, since when, who drives it.

Everything here is a pure function of the filtered, prepared events (`views.prepare_events`;
only `_day`, `_week`, `_signed` and `country` are read) and speaks of `NET_ESCALATION` only:
the sum of signed scores per period, with every period between the first and the last
statement present (a period without statements nets zero).

- `net_per_period`: the all-actors net escalation per day or week (the diverging bars);
- `summarise` / `TrendSummary.sentence`: one plain sentence ("Escalating for 3 weeks (since the
  week of 10 Mar); escalation peaked in the week of 24 Mar (+13.5); Varesh drives 70% of the rise.");
- `contributions`: each side's (country's) part in the change of net escalation over the last
  7 / 14 / 30 days of the selection, against the days just before;
- `last_period_change`: the headline metrics, the last period against the one before.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .views import DAY, EPOCH, PERIODS, SIGNED, WEEK, ranked_actors, row_weights, weighted_count

PERIOD_DAYS = {"day": 1, "week": 7}
WINDOWS = (7, 14, 30)  # days: the "who is driving it" ranking
# A period counts as flat when its net escalation is within ±10% of the selection's largest
# swing, or within ±0.5 (about one mild statement) when the selection is quiet throughout.
FLAT_SHARE = 0.1
FLAT_FLOOR = 0.5
ALL_SIDES = "all sides"


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (choose one of: {', '.join(PERIODS)})")


def _day(day_number: int) -> date:
    return date(1970, 1, 1) + timedelta(days=int(day_number))


def _period_index(events: pd.DataFrame, period: str) -> tuple[np.ndarray, int, int]:
    """Each event's period as 0, 1, … from the first period; the first period's day number; the count."""
    starts = events[WEEK if period == "week" else DAY].to_numpy().astype(np.int64)
    first = int(starts.min())
    index = (starts - first) // PERIOD_DAYS[period]
    return index, first, int(index.max()) + 1


def net_per_period(events: pd.DataFrame, period: str = "week") -> pd.DataFrame:
    """All actors' net escalation per period, every period from the first to the last present.

    Columns: `period` (its first day), `events`, `net` (= escalation − de_escalation),
    `escalation` and `de_escalation` (both ≥ 0). No events give no rows.
    """
    _check_period(period)
    if len(events) == 0:
        empty = {"period": pd.Series(dtype="datetime64[s]")}
        return pd.DataFrame(empty | {c: pd.Series(dtype="float64") for c in ("events", "net", "escalation", "de_escalation")})
    index, first, count = _period_index(events, period)
    signed = events[SIGNED].to_numpy()
    escalation = np.bincount(index, weights=np.clip(signed, 0, None), minlength=count)
    de_escalation = np.bincount(index, weights=np.clip(-signed, 0, None), minlength=count)
    return pd.DataFrame(
        {
            "period": (EPOCH + (first + np.arange(count) * PERIOD_DAYS[period])).astype("datetime64[s]"),
            "events": weighted_count(index, row_weights(events), count),
            "net": escalation - de_escalation,
            "escalation": escalation,
            "de_escalation": de_escalation,
        }
    )


def directions(net: np.ndarray) -> np.ndarray:
    """+1 (escalating), −1 (calming) or 0 (flat) for each period's net escalation."""
    if len(net) == 0:
        return np.zeros(0, dtype=np.int64)
    threshold = max(FLAT_FLOOR, FLAT_SHARE * float(np.abs(net).max()))
    return np.where(net > threshold, 1, np.where(net < -threshold, -1, 0))


def when(day: date, period: str, *, with_year: bool = False) -> str:
    """A period in words: "the week of 24 Mar" or "24 Mar" (with the year when asked)."""
    text = f"{day.day} {day:%b}" + (f" {day.year}" if with_year else "")
    return f"the week of {text}" if period == "week" else text


def _in(period: str) -> str:
    return "in" if period == "week" else "on"


@dataclass(frozen=True)
class TrendSummary:
    """Where the selection's net escalation stands and who moves it (see `summarise`)."""

    state: str  # "escalating", "calming", "flat", or "empty" when nothing matches
    periods: int  # how many of the latest periods share that state
    since: date | None  # the first of them
    period: str  # "week" or "day"
    peak: date | None  # the period of highest net escalation, when it counts as escalating
    peak_net: float
    driver: str  # the side that moves net escalation most in the state's direction ("" for none)
    driver_net: float  # that side's net escalation over the latest periods
    total_net: float  # all sides' net escalation over the latest periods
    with_year: bool  # the selection spans more than one calendar year

    def sentence(self) -> str:
        """The summary in one plain sentence."""
        if self.state == "empty":
            return "No statements match the filters, so there is no trend to report."
        assert self.since is not None
        unit = self.period
        since = when(self.since, unit, with_year=self.with_year)
        if self.state == "flat":
            head = "Flat" if self.periods == 1 else f"Flat for {self.periods} {unit}s"
            head += f" ({_in(unit) if self.periods == 1 else 'since'} {since}): escalation and de-escalation about balance"
        else:
            state = self.state.capitalize()
            head = f"{state} in the latest {unit}, {since}" if self.periods == 1 else f"{state} for {self.periods} {unit}s (since {since})"
        if self.peak is not None:
            peak = f"escalation peaked {_in(unit)} {when(self.peak, unit, with_year=self.with_year)} ({self.peak_net:+.1f})"
        else:
            peak = f"no {unit} leaned clearly to escalation"
        parts = [head, peak]
        if self.driver:
            change = "rise" if self.state == "escalating" else "fall"
            share = self.driver_net / self.total_net
            if share > 1:
                parts.append(f"{self.driver} alone adds more than the whole {change} ({self.driver_net:+.1f} of {self.total_net:+.1f}); the other sides pull the other way")
            else:
                parts.append(f"{self.driver} drives {share:.0%} of the {change}")
        return "; ".join(parts) + "."


def summarise(events: pd.DataFrame, period: str = "week") -> TrendSummary:
    """The trend of the selection: the state of the latest period (escalating when its net
    escalation is clearly above zero, calming when clearly below, else flat; see `directions`),
    for how many periods it has held, the peak, and the side (country) that drives it: the
    one with the largest share of net escalation over those periods, in their direction."""
    _check_period(period)
    if len(events) == 0:
        return TrendSummary("empty", 0, None, period, None, 0.0, "", 0.0, 0.0, False)
    per_period = net_per_period(events, period)
    net = per_period["net"].to_numpy()
    state = directions(net)
    changed = np.flatnonzero(state != state[-1])
    run = len(state) - int(changed[-1]) - 1 if len(changed) else len(state)
    starts = [d.date() for d in pd.to_datetime(per_period["period"])]
    peak = int(np.argmax(net))
    driver, driver_net, total_net = "", 0.0, 0.0
    if state[-1] != 0:
        index, _, count = _period_index(events, period)
        latest = index >= count - run
        codes, sides, _ = ranked_actors(events, "country")
        by_side = np.bincount(codes[latest], weights=events[SIGNED].to_numpy()[latest], minlength=len(sides))
        best = int(np.argmax(by_side * state[-1]))
        total_net = float(by_side.sum())
        if by_side[best] * state[-1] > 0 and total_net * state[-1] > 0:
            driver, driver_net = sides[best], float(by_side[best])
    return TrendSummary(
        state={1: "escalating", -1: "calming", 0: "flat"}[int(state[-1])],
        periods=run,
        since=starts[-run],
        period=period,
        peak=starts[peak] if state[peak] == 1 else None,
        peak_net=float(net[peak]),
        driver=driver,
        driver_net=driver_net,
        total_net=total_net,
        with_year=starts[0].year != starts[-1].year,
    )


def contributions(events: pd.DataFrame, windows: tuple[int, ...] = WINDOWS) -> pd.DataFrame:
    """Who is driving it: each side's contribution to the change in net escalation.

    For a window of `d` days ending on the selection's last day, a side's contribution is its
    net escalation over those `d` days minus its net over the `d` days before them; the sides'
    contributions add up to the change of all sides together (the last row, `ALL_SIDES`).
    Columns: `side`, then one per window (`"last 7 days"`, …); sides ordered by the size of
    their contribution over the middle window, largest first.
    """
    columns = [f"last {d} days" for d in windows]
    if len(events) == 0:
        return pd.DataFrame({"side": pd.Series(dtype="string")} | {c: pd.Series(dtype="float64") for c in columns})
    codes, sides, _ = ranked_actors(events, "country")
    days = events[DAY].to_numpy().astype(np.int64)
    ago = int(days.max()) - days  # 0 on the selection's last day
    signed = events[SIGNED].to_numpy()
    table = pd.DataFrame({"side": sides})
    for d, column in zip(windows, columns):
        recent = np.bincount(codes, weights=np.where(ago < d, signed, 0.0), minlength=len(sides))
        before = np.bincount(codes, weights=np.where((ago >= d) & (ago < 2 * d), signed, 0.0), minlength=len(sides))
        table[column] = recent - before
    key = columns[len(columns) // 2]
    table = table.iloc[np.argsort(-table[key].abs().to_numpy(), kind="stable")]
    total = pd.DataFrame([{"side": ALL_SIDES} | {c: float(table[c].sum()) for c in columns}])
    return pd.concat([table, total], ignore_index=True).astype({"side": "string"})


@dataclass(frozen=True)
class PeriodChange:
    """The last period of the selection against the one before (the headline metrics)."""

    start: date
    period: str
    net: float
    previous_net: float
    events: int
    previous_events: int

    @property
    def label(self) -> str:
        return when(self.start, self.period)


def last_period_change(per_period: pd.DataFrame, period: str) -> PeriodChange | None:
    """From `net_per_period`: the last period's net escalation and statements, and the previous
    period's (zero when the selection starts in the last period). None without periods."""
    if len(per_period) == 0:
        return None
    last = per_period.iloc[-1]
    previous = per_period.iloc[-2] if len(per_period) > 1 else None
    return PeriodChange(
        start=pd.Timestamp(last["period"]).date(),
        period=period,
        net=float(last["net"]),
        previous_net=float(previous["net"]) if previous is not None else 0.0,
        events=int(last["events"]),
        previous_events=int(previous["events"]) if previous is not None else 0,
    )


__all__ = [
    "ALL_SIDES",
    "PERIOD_DAYS",
    "WINDOWS",
    "PeriodChange",
    "TrendSummary",
    "contributions",
    "directions",
    "last_period_change",
    "net_per_period",
    "summarise",
    "when",
]
