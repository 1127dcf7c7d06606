"""What the reader picked: a statement in the evidence table, a point or a heatmap cell.

The evidence table is rebuilt on every filter change, so a row number means another statement
after one; the selection is therefore kept as the statement's `event_id` (`Selected`,
`follow_selection`) and looked up again among the matching statements (`selected_position`):
the card shows the same statement, or none when the filters hide it.

A click on a timeline point or a heatmap cell narrows the evidence to that statement or to
that group's statements of that week (`ChartPick`, `pick_from_timeline`, `pick_from_heatmap`,
`picked_rows`). The charts carry what a click needs in their points' `customdata`: a point's
`event_id` (`TIMELINE_ID_AT`), a cell's group and week (`HEATMAP_CELL`).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .trend import when
from .views import WEEK

TIMELINE_ID_AT = 5  # the event_id's place in a timeline point's customdata
HEATMAP_CELL = ("group", "week")  # the first two items of a heatmap cell's customdata


@dataclass(frozen=True)
class Selected:
    """The statement selected in the evidence table, and the table selection it came from."""

    event_id: str | None = None
    table: str = ""  # the key of the table the row numbers refer to (`table_key`)
    rows: tuple[int, ...] = ()


def table_key(event_ids: Sequence[str]) -> str:
    """A key for the evidence table that changes with the statements it lists, so that a new
    table starts with no row selected instead of highlighting the old row number."""
    digest = hashlib.sha1("\x1f".join(event_ids).encode("utf-8")).hexdigest()[:12]
    return f"evidence-{digest}"


def follow_selection(previous: Selected, table: str, rows: Sequence[int], shown_ids: Sequence[str]) -> Selected:
    """The selection after a rerun. A change of the selected rows of the same table is a click:
    the statement is the one in the first selected row (none when the rows were cleared).
    Anything else (a new table after a filter change) keeps the previous statement."""
    rows = tuple(int(r) for r in rows)
    if table == previous.table and rows != previous.rows:
        event_id = shown_ids[rows[0]] if rows and rows[0] < len(shown_ids) else None
        return Selected(event_id, table, rows)
    return Selected(previous.event_id, table, rows)


def selected_position(events: pd.DataFrame, rows: np.ndarray, event_id: str | None) -> int | None:
    """The position in `events` of the statement `event_id` when it is among `rows` (the
    matching ones), else None."""
    if not event_id or len(rows) == 0:
        return None
    found = np.flatnonzero(events["event_id"].iloc[rows].to_numpy(dtype=object) == event_id)
    return int(rows[found[0]]) if len(found) else None


@dataclass(frozen=True)
class ChartPick:
    """A click on a chart: one statement (a timeline point) or a group's week (a heatmap cell)."""

    event_id: str = ""
    group: str = ""
    week: date | None = None

    def describe(self) -> str:
        """What the evidence is narrowed to, in words."""
        if self.event_id:
            return "the statement clicked on the timeline"
        assert self.week is not None
        return f"{self.group}, {when(self.week, 'week', with_year=True)} (the heatmap cell clicked)"


def _customdata(points: Sequence[Mapping]) -> list | None:
    if not points:
        return None
    data = points[0].get("customdata")
    return list(data) if data is not None else None


def pick_from_timeline(points: Sequence[Mapping]) -> ChartPick | None:
    """The statement of the first selected timeline point (None when nothing is selected)."""
    data = _customdata(points)
    if data is None or len(data) <= TIMELINE_ID_AT:
        return None
    return ChartPick(event_id=str(data[TIMELINE_ID_AT]))


def pick_from_heatmap(points: Sequence[Mapping]) -> ChartPick | None:
    """The group and week of the first selected heatmap cell (None when nothing is selected)."""
    data = _customdata(points)
    if data is None or len(data) < len(HEATMAP_CELL):
        return None
    return ChartPick(group=str(data[0]), week=date.fromisoformat(str(data[1])[:10]))


def picked_rows(events: pd.DataFrame, rows: np.ndarray, groups: pd.Categorical, pick: ChartPick) -> np.ndarray:
    """The matching statements (`rows`, with their legend `groups`) that `pick` points at."""
    if pick.event_id:
        position = selected_position(events, rows, pick.event_id)
        return np.array([] if position is None else [position], dtype=np.int64)
    assert pick.week is not None
    week = (pick.week - date(1970, 1, 1)).days
    mine = (np.asarray(groups.astype(str)) == pick.group) & (events[WEEK].to_numpy()[rows] == week)
    return rows[mine]


PICK_READERS = {"timeline": pick_from_timeline, "heatmap": pick_from_heatmap}


def chart_pick(
    previous: ChartPick | None, seen: Mapping[str, str], points: Mapping[str, Sequence[Mapping]]
) -> tuple[ChartPick | None, dict[str, str]]:
    """The chart pick after a rerun, and what each chart's selection was (to compare next time).

    `points` holds each chart's selected points ("timeline", "heatmap"). A chart whose
    selection changed since the last rerun (`seen`, its points as JSON) sets the pick (to None
    when its selection was cleared); otherwise the previous pick stays, also when the reader
    cleared it with "show all" while the chart still shows its selection, and when the chart is not
    drawn (its tab is closed)."""
    now = {chart: json.dumps(list(chosen), sort_keys=True, default=str) for chart, chosen in points.items()}
    pick = previous
    for chart, chosen in points.items():
        if now[chart] != seen.get(chart, json.dumps([])):
            pick = PICK_READERS[chart](chosen)
    return pick, now


def evidence_rows_for(events: pd.DataFrame, rows: np.ndarray, groups: pd.Categorical, pick: ChartPick | None) -> np.ndarray:
    """The statements the evidence lists: the matching ones (`rows`), narrowed to `pick`."""
    return rows if pick is None else picked_rows(events, rows, groups, pick)


def card_event(selected: Selected, pick: ChartPick | None) -> str | None:
    """The statement the card shows: a clicked timeline point's, else the table's selection."""
    return pick.event_id if pick is not None and pick.event_id else selected.event_id


__all__ = [
    "ChartPick",
    "Selected",
    "card_event",
    "chart_pick",
    "evidence_rows_for",
    "follow_selection",
    "pick_from_heatmap",
    "pick_from_timeline",
    "picked_rows",
    "selected_position",
    "table_key",
]
