"""The dashboard's figures, and `build_view`: all the work of one rerun, without Streamlit.

`build_view(events, filters)` filters the prepared events, groups them (top-N countries or
speakers, the rest as "other"), aggregates per group and day once, and draws from that:

- the answer at the top (`pipeline.dashboard.trend`): the summary sentence, the all-actors net escalation
  per week (or day) as diverging bars, the last period against the one before, and each side's
  contribution to the change over the last 7 / 14 / 30 days;
- the timeline: each statement a point (SVG; a random sample of `point_limit` when more;
  neutral ones dimmed; each carries its `event_id` for a click), with a rolling mean-score line
  per group on the same axis;
- net escalation per week (or day) and group, each line broken over the periods without statements;
- a group × week heatmap of the mean score, every cell one week wide, clickable.

Every time axis follows `pipeline.dashboard.timeaxis`: a selection spanning years opens on its densest
episode with a range selector, a few days get day ticks.

Colour has one meaning each (`pipeline.dashboard.colours`): red and blue are stance only (the bars, the
heatmap, the table's stance and score cells); actors take colours without red or blue, fixed
per actor whatever the filters; "other" is always grey.
"""
from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .colours import STANCE_COLOURS, actor_colours
from .evidence import evidence_rows, shorten
from .selection import TIMELINE_ID_AT
from .timeaxis import (
    DAY_MS,
    fill_gaps,
    opening_episode,
    time_axis,
    week_columns,
)
from .trend import (
    PERIOD_DAYS,
    PeriodChange,
    TrendSummary,
    contributions,
    last_period_change,
    net_per_period,
    summarise,
)
from .views import (
    DAY,
    EPOCH,
    MENTIONS,
    NET_ESCALATION,
    NUMERIC_COLUMNS,
    ROLLING_DAYS,
    Filters,
    daily_stats,
    filter_rows,
    group_labels,
    period_stats,
    ranked_actors,
    rolling_mean_score,
    row_weights,
    sample_rows,
    take,
)

# The timeline draws at most this many points (a random sample of more), as SVG markers: each
# 1,000 of them take plotly about 0.08 s to draw, the largest part of a redraw over millions of
# statements; a WebGL trace would create a GL context on every redraw (about 0.4 s in a browser
# without a GPU) before it draws anything.
POINT_LIMIT = 1_000
MARKED_PERIODS = 60  # a line of the index chart with more periods marks only its lone ones
# Above this many heatmap cells with statements (years of weeks: cells a pixel or two wide, too
# small to click), the cells get no invisible click marker each; the heatmap shows its own hover.
HEATMAP_CELL_LIMIT = 2_000
TABLE_LIMIT = 1_000
SCORE_AXIS = "score (−1 de-escalation … +1 escalation)"
POINT_SIZE = 6  # px: a statement reported once (or each report, when every report is shown)
MAX_POINT_SIZE = 30
NEUTRAL_OPACITY = 0.15  # neutral statements are drawn faint: they neither escalate nor calm
POINT_OPACITY = 0.6
BAR_SHARE = 0.85  # of its period a bar covers
FONT = dict(size=13)
EPOCH_TIMESTAMP = pd.Timestamp("1970-01-01")


@dataclass
class Charts:
    """The answer and the figures for one selection (`draw_charts`), whatever holds the events.

    The aggregates are computed at once; each figure is drawn when first read. The dashboard
    shows one of the detailed charts (timeline, index, heatmap) at a time, and drawing the others
    on every rerun (and, on a store, sampling the timeline's points) would be wasted work for the
    server and, worse, for the browser, which redraws every chart it is sent."""

    daily: pd.DataFrame
    periods: pd.DataFrame
    summary: TrendSummary
    change: PeriodChange | None  # the last period against the one before
    drivers: pd.DataFrame  # `trend.contributions`: each side's part in the change
    filters: Filters
    groups: list[str]  # the legend groups
    palette: dict[str, str]
    episode: tuple[int, int] | None  # the time axes' opening episode
    all_actors: pd.DataFrame  # `trend.net_per_period`
    sample: Callable[[], tuple[pd.DataFrame, np.ndarray]]  # the timeline's points and their groups

    @cached_property
    def points(self) -> tuple[pd.DataFrame, np.ndarray]:
        return self.sample()

    @cached_property
    def rolling(self) -> pd.DataFrame:
        """The timeline's lines (`views.rolling_mean_score`)."""
        return rolling_mean_score(self.daily)

    @property
    def points_shown(self) -> int:
        return len(self.points[0])

    @property
    def legend_title(self) -> str:
        return "speaker (country)" if self.filters.group_by == "speaker" else "country"

    @cached_property
    def net_bars(self) -> go.Figure:
        return net_bars_figure(self.all_actors, period=self.filters.period, episode=self.episode)

    @cached_property
    def timeline(self) -> go.Figure:
        points, codes = self.points
        sizes = None if self.filters.every_report or MENTIONS not in points.columns else points[MENTIONS].to_numpy()
        return timeline_figure(
            points, codes, self.groups, self.rolling, self.palette, legend_title=self.legend_title, episode=self.episode, mentions=sizes
        )

    @cached_property
    def index(self) -> go.Figure:
        return index_figure(self.periods, self.palette, period=self.filters.period, legend_title=self.legend_title, episode=self.episode)

    @cached_property
    def heatmap(self) -> go.Figure:
        return heatmap_figure(period_stats(self.daily, "week"), self.groups, row_title=self.legend_title, episode=self.episode)


# The detailed charts, one to a tab in the app, in order (only the open tab's chart is drawn):
# each tab's label and the `Charts` figure it shows.
CHART_TABS = {"Timeline": "timeline", f"{NET_ESCALATION.capitalize()} by group": "index", "Heatmap by week": "heatmap"}


def first_tab_figures(charts: Charts) -> tuple[go.Figure, ...]:
    """The figures a rerun draws while the first tab is open (the net escalation bars above the
    tabs and the tab's chart): what the benchmarks time."""
    return (charts.net_bars, getattr(charts, next(iter(CHART_TABS.values()))))


def draw_charts(
    light: pd.DataFrame,
    groups: pd.Categorical,
    ranked: list[str],
    sample: Callable[[], tuple[pd.DataFrame, np.ndarray]],
    filters: Filters,
) -> Charts:
    """Aggregate the selection, ready to draw.

    `light` holds the selection's statements, one per row or aggregated (a `views.WEIGHT`
    column says how many a row stands for), with `groups` their legend group; `ranked` is every
    actor of the whole table, most frequent first (fixes the colours); `sample()` gives the
    statements the timeline draws and their group codes (called only when it is drawn)."""
    daily = daily_stats(light, groups)
    all_actors = net_per_period(light, filters.period)
    return Charts(
        daily=daily,
        periods=period_stats(daily, filters.period),
        summary=summarise(light, filters.period),
        change=last_period_change(all_actors, filters.period),
        drivers=contributions(light),
        filters=filters,
        groups=list(groups.categories),
        palette=actor_colours(list(groups.categories), ranked),
        episode=opening_episode(light[DAY].to_numpy(), row_weights(light)),
        all_actors=all_actors,
        sample=sample,
    )


@dataclass
class View:
    """Everything the app shows for one set of filters."""

    events: pd.DataFrame  # the prepared events, all of them
    rows: np.ndarray  # positions of those that pass the filters, in table order
    groups: pd.Categorical  # the legend group of each of `rows`
    charts: Charts  # the answer and the figures
    table: pd.DataFrame  # the first `table_limit` rows, display columns only
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def matching(self) -> int:
        return len(self.rows)

    @property
    def filtered(self) -> pd.DataFrame:
        """The events that pass the filters, as a table (a copy: built only when needed)."""
        return take(self.events, self.rows)



class Laps:
    """Seconds spent in each named step of a rerun since the step before: the timings the
    dashboard benchmarks read. `lap("filter")` closes the step called "filter"."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._clock = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self._clock
        self._clock = now


def build_view(events: pd.DataFrame, filters: Filters, *, point_limit: int = POINT_LIMIT, table_limit: int = TABLE_LIMIT) -> View:
    """Filter, aggregate and draw: the whole per-rerun computation of the dashboard."""
    lap = Laps()

    rows = filter_rows(events, filters)
    light = events.loc[:, list(NUMERIC_COLUMNS)]
    if len(rows) < len(events):
        light = light.iloc[rows]
    lap("filter")
    groups = group_labels(light, filters.group_by, filters.top_n)
    lap("groups")
    _, ranked, _ = ranked_actors(events, filters.group_by)
    sample = sample_rows(len(light), point_limit)
    charts = draw_charts(light, groups, ranked, lambda: (events.iloc[rows[sample]], np.asarray(groups.codes)[sample]), filters)
    lap("aggregate")
    table = evidence_rows(events.iloc[rows[:table_limit]], table_limit)
    lap("table")
    return View(events, rows, groups, charts, table, lap.timings)


def net_axis_title(period: str) -> str:
    """The one label of net escalation on every axis."""
    return f"{NET_ESCALATION} (Σ signed score per {period})"


# Legends sit below the plot, in rows across its width: on a phone (420 px) a legend at the side
# would take half the chart. Placed at the foot of the figure (`yref="container"`), plotly grows
# the bottom margin to fit however many rows the legend wraps to.
LEGEND_BELOW = dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left")


# How much room a legend below the plot takes in plotly (font 13), reserved beforehand: when plotly
# finds the bottom margin too small for the legend, it grows the margin and draws the whole chart
# again, which was a third of the browser's work on a redraw. The room is reckoned for rows of
# LEGEND_ROW_WIDTH px (about what a chart 1,000 px wide gives its legend), so a wider chart keeps a
# little spare room and only a narrower one (a phone) is drawn twice. The figure grows by the
# room, so a long legend does not squeeze the plot.
LEGEND_ROW_WIDTH = 900
LEGEND_ROW_HEIGHT = 30
LEGEND_TITLE_HEIGHT = 21
LEGEND_CHAR_WIDTH = 6.0  # px per character of an entry's name
LEGEND_ENTRY_EXTRA = 40  # px of an entry besides its name: the symbol and the gaps
BELOW_AXIS = 85  # px under the plot for the tick labels and the axis title, above a legend
MARGIN = dict(l=90, r=20, t=40, b=60)  # l: room for the y axis's title and its labels; b: without a legend
COLOUR_BAR_ROOM = 140  # px right of the heatmap for its colour bar
HEATMAP_LABEL_EXTRA = 60  # px left of the heatmap besides its rows' names: the axis title and gaps
HEATMAP_CHAR_WIDTH = 7.0  # px per character of a row's name


def bottom_margin(entries: list[str], *, titled: bool) -> int:
    """The bottom margin (px) that holds the axis labels and a legend of `entries` wrapped into
    rows of `LEGEND_ROW_WIDTH` px (with its title's row when `titled`); `MARGIN["b"]` without entries."""
    if not entries:
        return MARGIN["b"]
    rows, used = 1, 0.0
    for name in entries:
        width = len(name) * LEGEND_CHAR_WIDTH + LEGEND_ENTRY_EXTRA
        if used and used + width > LEGEND_ROW_WIDTH:
            rows, used = rows + 1, 0.0
        used += width
    return BELOW_AXIS + (LEGEND_TITLE_HEIGHT if titled else 0) + rows * LEGEND_ROW_HEIGHT


def _layout(
    figure: go.Figure, *, plot_height: int, legend_title: str | None = None, legend_below: bool = False, margin: dict | None = None
) -> go.Figure:
    """The look every chart shares: a plot area `plot_height` px tall and, with a `legend_title` or
    `legend_below`, room under it for the legend of the figure's traces (drawn already); `margin`
    overrides the room on any side."""
    entries = [trace.name for trace in figure.data if trace.showlegend is not False] if legend_title or legend_below else []
    margin = MARGIN | dict(b=bottom_margin(entries, titled=bool(legend_title))) | (margin or {})
    figure.update_layout(
        height=plot_height + margin["t"] + margin["b"],
        font=FONT,
        margin=margin,
        hovermode="closest",
        hoverlabel=dict(align="left"),
        legend=dict(LEGEND_BELOW, title=dict(text=legend_title, side="top left"), itemsizing="constant") if legend_title else None,
        plot_bgcolor="white",
    )
    figure.update_xaxes(showgrid=True, gridcolor="#eeeeee", linecolor="#888888")
    figure.update_yaxes(showgrid=True, gridcolor="#eeeeee", zeroline=True, zerolinecolor="#888888", zerolinewidth=1)
    return figure


def _period_axis(figure: go.Figure, periods: pd.Series, *, period: str, episode: tuple[int, int] | None, spans: bool = False) -> None:
    """The time axis of a chart drawn per period: marks at each period's first day, or bars
    that span their period from it (`spans`)."""
    if len(periods):
        starts = (periods.to_numpy().astype("datetime64[D]") - EPOCH) // np.timedelta64(1, "D")
        first, last = int(starts.min()), int(starts.max())
        if spans:
            figure.update_xaxes(**time_axis(first, last + PERIOD_DAYS[period], pad=0.5, episode=episode))
        else:
            figure.update_xaxes(**time_axis(first, last, pad=PERIOD_DAYS[period] / 2 + 0.5, episode=episode))


def _empty(figure: go.Figure, message: str = "No statements match the filters") -> go.Figure:
    figure.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=15, color="#666666"))
    return figure


def _hover_text(text: str, width: int = 60) -> str:
    """A quote for a plotly hover box: shortened, HTML-escaped, wrapped with <br>."""
    words, lines, line = html.escape(shorten(text, 180)).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(lines)


def timeline_figure(
    rows: pd.DataFrame,
    codes: np.ndarray,
    groups: list[str],
    rolling: pd.DataFrame,
    palette: dict[str, str],
    *,
    legend_title: str,
    episode: tuple[int, int] | None = None,
    mentions: np.ndarray | None = None,
) -> go.Figure:
    """Statements as points (x date, y score, colour by group; neutral ones faint) plus each
    group's rolling mean score, which breaks where a group said too little (`rolling_mean_score`).

    `rows` are the statements to draw as points, `codes` their group (an index into `groups`);
    each point carries its `event_id` (`selection.TIMELINE_ID_AT`) for a click to pick it.
    With `mentions` (how many articles report each statement), a point's size grows with them.
    """
    figure = go.Figure()
    day = (np.datetime64("1970-01-01", "D") + rows["_day"].to_numpy().astype("timedelta64[D]"))
    custom = np.column_stack(
        [
            rows["speaker"].astype("string").to_numpy(dtype=object),
            rows["date"].to_numpy(dtype=object),
            np.array([_hover_text(q) for q in rows["quote"].to_numpy(dtype=object)], dtype=object),
            np.array([html.escape(s or "(no source)") for s in rows["source"].to_numpy(dtype=object)], dtype=object),
            rows["stance"].astype("string").to_numpy(dtype=object),
            rows["event_id"].to_numpy(dtype=object),
        ]
    ) if len(rows) else np.empty((0, TIMELINE_ID_AT + 1), dtype=object)
    scores = rows["score"].to_numpy()
    quoted = not len(rows) or bool((rows["quote"].astype("string") != "").any())  # the store's points come without quotes
    sizes = np.full(len(rows), POINT_SIZE, dtype=np.float64) if mentions is None else point_sizes(np.asarray(mentions))
    reported = np.ones(len(rows), dtype=np.int64) if mentions is None else np.asarray(mentions, dtype=np.int64)
    custom = np.column_stack([custom, reported]) if len(rows) else np.empty((0, TIMELINE_ID_AT + 2), dtype=object)
    opacity = np.where(rows["stance"].to_numpy(dtype=object) == "neutral", NEUTRAL_OPACITY, POINT_OPACITY)
    for code, group in enumerate(groups):
        colour = palette[group]
        mine = codes == code
        figure.add_trace(
            go.Scatter(
                x=day[mine],
                y=scores[mine],
                mode="markers",
                name=group,
                legendgroup=group,
                marker=dict(color=colour, size=sizes[mine] if mentions is not None else POINT_SIZE, opacity=opacity[mine]),
                customdata=custom[mine],
                hovertemplate=(
                    "<b>%{customdata[0]}</b> · %{customdata[1]}<br>%{customdata[4]}, score %{y:+.2f}<br>"
                    + ("“%{customdata[2]}”<br><i>%{customdata[3]}</i>" if quoted else "<i>click to read the statement</i>")
                    + ("" if mentions is None else " · reported by %{customdata[6]} articles")
                    + "<extra></extra>"
                ),
            )
        )
        line = rolling[rolling["group"] == group]
        if len(line):
            figure.add_trace(
                go.Scatter(
                    x=line["day"],
                    y=line["value"],
                    mode="lines",
                    name=f"{group}: {ROLLING_DAYS}-day mean score",
                    legendgroup=group,
                    showlegend=False,
                    line=dict(color=colour, width=2.5),
                    connectgaps=False,
                    opacity=0.95,
                    hovertemplate=f"<b>{html.escape(group)}</b> · %{{x|%Y-%m-%d}}<br>mean score over {ROLLING_DAYS} days: %{{y:+.2f}}<extra></extra>",
                )
            )
    _layout(figure, plot_height=320, legend_title=legend_title)
    figure.update_layout(title=dict(text=f"Statements over time (points; neutral ones faint) and {ROLLING_DAYS}-day mean score (lines)", x=0, font=dict(size=15)))
    figure.update_xaxes(title_text="date of statement")
    figure.update_yaxes(title_text=SCORE_AXIS, range=[-1.08, 1.08], tickvals=[-1, -0.5, 0, 0.5, 1])
    if len(rows):
        days = rows["_day"].to_numpy()
        figure.update_xaxes(**time_axis(int(days.min()), int(days.max()), pad=1, episode=episode))
    else:
        _empty(figure)
    return figure


def point_sizes(mentions: np.ndarray) -> np.ndarray:
    """A timeline point's size for a statement reported `mentions` times: its area grows with
    the reports (`POINT_SIZE` for one), up to `MAX_POINT_SIZE`."""
    return np.minimum(POINT_SIZE * np.sqrt(np.maximum(mentions, 1)), MAX_POINT_SIZE)


def net_bars_figure(per_period: pd.DataFrame, *, period: str, episode: tuple[int, int] | None = None) -> go.Figure:
    """All actors' net escalation per period (`trend.net_per_period`) as diverging bars: red
    above zero where escalation outweighs, blue below where de-escalation does."""
    figure = go.Figure()
    custom = per_period[["events", "escalation", "de_escalation"]].to_numpy()
    net = per_period["net"].to_numpy()
    for name, side, colour in (
        ("escalation outweighs", net > 0, STANCE_COLOURS["escalation"]),
        ("de-escalation outweighs", net < 0, STANCE_COLOURS["de-escalation"]),
    ):
        figure.add_trace(
            go.Bar(
                x=per_period["period"][side],
                y=net[side],
                # From the period's first day across most of it, also when it is the only bar.
                width=BAR_SHARE * PERIOD_DAYS[period] * DAY_MS,
                offset=0,
                name=name,
                marker=dict(color=colour, line=dict(width=0)),
                customdata=custom[side],
                hovertemplate=(
                    f"{period} of %{{x|%Y-%m-%d}}<br>{NET_ESCALATION} %{{y:+.2f}} "
                    "(escalation %{customdata[1]:.2f} − de-escalation %{customdata[2]:.2f})<br>"
                    "%{customdata[0]} statements<extra></extra>"
                ),
            )
        )
    _layout(figure, plot_height=200, legend_below=True)
    figure.update_layout(
        title=dict(text=f"{NET_ESCALATION.capitalize()} per {period}, all actors", x=0, font=dict(size=15)),
        barmode="relative",
        legend=LEGEND_BELOW,
    )
    figure.update_xaxes(title_text=f"{period} (weeks start on Monday)" if period == "week" else "day")
    figure.update_yaxes(title_text=net_axis_title(period))
    _period_axis(figure, per_period["period"], period=period, episode=episode, spans=True)
    if len(per_period) == 0:
        _empty(figure)
    return figure


def index_figure(
    periods: pd.DataFrame, palette: dict[str, str], *, period: str, legend_title: str, episode: tuple[int, int] | None = None
) -> go.Figure:
    """Net escalation per period and group, as lines with markers; a period in which a group
    said nothing breaks its line (`timeaxis.fill_gaps`) rather than joining the periods around it.
    A line of more than `MARKED_PERIODS` periods marks only the periods no line reaches (a
    marker on each of hundreds of weeks made the browser slow to redraw, and a line shows them)."""
    figure = go.Figure()
    for group, part in fill_gaps(periods, period).groupby("group", observed=True, sort=False):
        custom = part[["events", "escalation", "de_escalation"]].to_numpy()
        hover = (
            f"<b>{html.escape(str(group))}</b> · {period} of %{{x|%Y-%m-%d}}<br>"
            f"{NET_ESCALATION} %{{y:+.2f}} (escalation %{{customdata[1]:.2f}} − de-escalation %{{customdata[2]:.2f}})<br>"
            "%{customdata[0]} statements<extra></extra>"
        )
        marked = len(part) <= MARKED_PERIODS
        figure.add_trace(
            go.Scatter(
                x=part["period"], y=part["net"], mode="lines+markers" if marked else "lines", name=str(group),
                legendgroup=str(group), line=dict(color=palette[group], width=2), marker=dict(size=5),
                connectgaps=False, customdata=custom, hovertemplate=hover,
            )
        )
        lone = isolated(part["net"].to_numpy()) if not marked else np.zeros(len(part), dtype=bool)
        if lone.any():
            figure.add_trace(
                go.Scatter(
                    x=part["period"][lone], y=part["net"][lone], mode="markers", name=str(group), legendgroup=str(group),
                    showlegend=False, marker=dict(size=5, color=palette[group]), customdata=custom[lone], hovertemplate=hover,
                )
            )
    _layout(figure, plot_height=240, legend_title=legend_title)
    figure.update_layout(title=dict(text=f"{NET_ESCALATION.capitalize()} per {period}, by {legend_title}", x=0, font=dict(size=15)))
    figure.update_xaxes(title_text=f"{period} (weeks start on Monday)" if period == "week" else "day")
    figure.update_yaxes(title_text=net_axis_title(period))
    _period_axis(figure, periods["period"], period=period, episode=episode)
    if len(periods) == 0:
        _empty(figure)
    return figure


def isolated(values: np.ndarray) -> np.ndarray:
    """Which values have no value on either side (NaN or the end): a line cannot show them."""
    present = ~np.isnan(values)
    before = np.concatenate([[False], present[:-1]])
    after = np.concatenate([present[1:], [False]])
    return present & ~before & ~after


def heatmap_figure(weeks: pd.DataFrame, groups: list[str], *, row_title: str, episode: tuple[int, int] | None = None) -> go.Figure:
    """Group × week mean score; red escalation, blue de-escalation, blank without statements.

    Every week from the first to the last is a column (`timeaxis.week_columns`), drawn from its
    Monday to the next (`x0`, `dx`), so each cell is one week wide however sparse the data. An
    invisible marker on each cell with statements carries its group and week (`customdata`, as
    `selection.pick_from_heatmap` reads it): plotly selects points, not heatmap cells, so the
    marker is what a click picks, and a picked cell is outlined. Over `HEATMAP_CELL_LIMIT` cells
    the markers are left out (narrow the dates to pick a week)."""
    figure = go.Figure()
    if len(weeks):
        columns = week_columns(weeks["period"])
        mean = weeks.pivot_table(index="group", columns="period", values="mean_score", observed=True, aggfunc="first")
        count = weeks.pivot_table(index="group", columns="period", values="events", observed=True, aggfunc="first")
        order = [g for g in groups if g in mean.index][::-1]  # most frequent at the top
        mean, count = mean.reindex(index=order, columns=columns), count.reindex(index=order, columns=columns)
        centre = columns[0] + pd.Timedelta(days=3.5)  # a cell's x is its centre: Monday to Monday
        figure.add_trace(
            go.Heatmap(
                z=mean.to_numpy(),
                x0=centre.isoformat(),
                dx=7 * DAY_MS,
                y=order,
                colorscale="RdBu_r",
                zmin=-1,
                zmax=1,
                zmid=0,
                xgap=1,
                ygap=1,
                hoverinfo="skip",
                colorbar=dict(title=dict(text="mean score"), tickvals=[-1, -0.5, 0, 0.5, 1]),
            )
        )
        row, column = np.nonzero(count.notna().to_numpy())
        if len(row) > HEATMAP_CELL_LIMIT:  # too many to draw a marker each: the heatmap hovers itself
            figure.update_traces(hoverinfo=None, hovertemplate="<b>%{y}</b> · week of %{x|%Y-%m-%d}<br>mean score %{z:+.2f}<extra></extra>")
            row = column = np.array([], dtype=np.int64)
        figure.add_trace(
            go.Scatter(
                x=(columns[column] + pd.Timedelta(days=3.5)).to_numpy(),
                y=[order[r] for r in row],
                mode="markers",
                name="cells",
                showlegend=False,
                marker=dict(symbol="square-open", size=14, color="#222222", opacity=0, line=dict(width=2)),
                selected=dict(marker=dict(opacity=1)),
                unselected=dict(marker=dict(opacity=0)),
                customdata=np.column_stack(
                    [
                        np.array([order[r] for r in row], dtype=object),
                        np.array([columns[c].date().isoformat() for c in column], dtype=object),
                        mean.to_numpy()[row, column],
                        count.to_numpy()[row, column].astype(np.int64),
                    ]
                ),
                hovertemplate="<b>%{customdata[0]}</b> · week of %{customdata[1]}<br>mean score %{customdata[2]:+.2f} over %{customdata[3]} statements<extra></extra>",
            )
        )
        first, last = (columns[0] - EPOCH_TIMESTAMP).days, (columns[-1] - EPOCH_TIMESTAMP).days + 7
        figure.update_xaxes(type="date")
        figure.update_xaxes(**time_axis(first, last, pad=0.5, episode=episode))
    # Room for the colour bar on the right and the rows' names on the left, so that plotly need not
    # grow the margins and draw the heatmap twice.
    left = max(MARGIN["l"], HEATMAP_LABEL_EXTRA + round(HEATMAP_CHAR_WIDTH * max((len(str(g)) for g in groups), default=0)))
    _layout(figure, plot_height=max(160, 20 + 34 * len(groups)), margin=dict(l=left, r=COLOUR_BAR_ROOM, b=BELOW_AXIS + 10))
    figure.update_layout(title=dict(text="Mean score per week", x=0, font=dict(size=15)), plot_bgcolor="#f7f7f7")
    figure.update_xaxes(title_text="week (Monday to Sunday)", showgrid=False)
    figure.update_yaxes(title_text=row_title, showgrid=False, zeroline=False, automargin=True)
    if len(weeks) == 0:
        _empty(figure)
    return figure


__all__ = [
    "CHART_TABS",
    "POINT_LIMIT",
    "SCORE_AXIS",
    "TABLE_LIMIT",
    "Charts",
    "View",
    "bottom_margin",
    "build_view",
    "draw_charts",
    "first_tab_figures",
    "point_sizes",
    "heatmap_figure",
    "index_figure",
    "net_axis_title",
    "net_bars_figure",
    "timeline_figure",
]
