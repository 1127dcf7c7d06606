"""The reader's own data in the dashboard, without Streamlit: where an upload's statements go,
what became of each uploaded file, and which filters show the new statements afterwards.

Two ways to use an upload (`UPLOAD_MODES`):

- `ADD`: the uploaded statements join the data shown (the demo, or an opened events table);
- `ONLY`: the reader analyses only their own articles. The first such upload replaces the data
  shown; later uploads join it, so several files can be analysed together.

Uploaded statements live in the browser session only (`SESSION_NOTE` says so on the page):
`pipeline.dashboard.data_io.process_upload` never writes them anywhere.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from .data_io import UploadResult, merge_events
from ..schema import events_to_frame
from .views import Dataset, Filters

ADD, ONLY = "add", "only"
UPLOAD_MODES = (ADD, ONLY)
OWN_LABEL = "your articles"
ADDED_SUFFIX = " + your data"
SESSION_NOTE = (
    "Uploaded data lives only in this browser session: reloading or closing the page loses it. "
    "To keep it, download the CSV (the button under the evidence) and open it again later with "
    "*Or open an events table*, or with `streamlit run app.py -- --events your.csv`."
)
STATUS_COLUMNS = ("file", "status", "statements", "problem")


def mode_label(mode: str, *, is_demo: bool) -> str:
    """The radio option's words for `mode`."""
    if mode == ONLY:
        return "Analyse only my articles"
    return "Add to the demo" if is_demo else "Add to the data shown"


@dataclass(frozen=True)
class Combined:
    """The data to show after an upload: its events, its label, and whether it is only the reader's."""

    events: pd.DataFrame
    label: str
    own_only: bool


def combine(current: pd.DataFrame, label: str, new: pd.DataFrame, *, mode: str, own_only: bool) -> Combined:
    """Where an upload's statements `new` go, given the data shown (`current`, called `label`).

    In `ONLY` mode the data shown is dropped, unless it already is only the reader's own
    (`own_only`): then the upload joins it. In `ADD` mode the upload joins whatever is shown.
    A statement already shown (same `event_id`) is replaced by the uploaded one.
    """
    if mode == ONLY and not own_only:
        return Combined(merge_events(events_to_frame([]), new), OWN_LABEL, True)
    if not own_only and not label.endswith(ADDED_SUFFIX):
        label += ADDED_SUFFIX
    return Combined(merge_events(current, new), label, own_only)


@dataclass(frozen=True)
class FileStatus:
    """What came of one uploaded file: its statements and articles, and each problem in it."""

    file: str
    statements: int = 0
    articles: int = 0
    problems: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if not self.problems:
            return "added" if self.statements else "no statements found"
        if self.statements:
            return "added, some of it unreadable"
        return "nothing added"


def without_file_name(file: str, message: str) -> str:
    """A problem message without the file name it starts with (`mine.csv: row 3: no date` ->
    `row 3: no date`): the status list shows the name in its own column."""
    return message.removeprefix(f"{file}: ")


def file_status(result: UploadResult) -> FileStatus:
    """The status of an uploaded (or pasted) input from its `UploadResult`."""
    problems = tuple(without_file_name(result.name, error) for error in result.errors)
    return FileStatus(result.name, len(result.events), result.articles, problems)


def status_table(statuses: Iterable[FileStatus]) -> pd.DataFrame:
    """The per-file status list: one row per problem (the file named on each), one row for a
    file read without any; newest upload first."""
    rows = []
    for status in reversed(list(statuses)):
        for problem in status.problems or ("",):
            rows.append((status.file, status.status, status.statements, problem))
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS)).astype({"statements": "int64"})


def uploaded_events(results: Iterable[UploadResult]) -> pd.DataFrame:
    """The statements of several uploads made at once, as one events table."""
    new = events_to_frame([])
    for result in results:
        new = merge_events(new, result.events)
    return new


def filters_showing(new: pd.DataFrame, view: Filters) -> Filters:
    """Filters that show the statements `new` just uploaded: every filter cleared and the dates
    set to the new statements' first and last day; the view settings of `view` kept."""
    added = Dataset.from_frame(new, OWN_LABEL)
    return replace(Filters(), start=added.first_day, end=added.last_day, group_by=view.group_by, period=view.period, top_n=view.top_n)
