"""The two records that flow through the pipeline: an `Article` in, `Event` rows out.

The events table is defined here and only here: `EVENT_COLUMNS` gives the column order
(the first nineteen are the published contract; the next three trace an event back to its input;
`date_precision` says how closely the text dates it, `statement_id` which statement it reports and
`found_by` how it was found),
`events_to_frame` turns events into the table with the right dtypes, and every other
module (the CLI writer, the dashboard, the tests) takes the columns from this file.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import date

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a frame is made: extraction workers never need it
    import pandas as pd

STANCES = ("escalation", "de-escalation", "neutral")
# "day": a day cue ("said Tuesday"); "week" / "month": a vaguer cue ("last week", "recently"), the
# date staying the published date; "published": no cue at all.
DATE_PRECISIONS = ("day", "week", "month", "published")
# How a statement was found: a reporting verb ("X said ..."), "according to X", a quotation that
# goes on from one attributed before it, or a sentence's main clause with no reporting verb that
# the learned statement gate kept ("Rwanda has frequently disputed the claims"): the least sure.
FOUND_BY = ("reporting verb", "according to", "continued quotation", "main clause")


@dataclass(frozen=True)
class Article:
    """One news article, as read from any input format."""

    doc_id: str
    text: str
    published: date
    source: str = ""
    url: str = ""
    title: str = ""
    input_file: str = ""


@dataclass(frozen=True)
class Event:
    """One statement: one sentence, one speaker. Field order is the table's column order."""

    event_id: str
    doc_id: str
    published: str  # YYYY-MM-DD
    date: str  # YYYY-MM-DD, the day the statement was made
    date_basis: str  # the cue that fixed the date ("Tuesday night") or "published"
    speaker: str  # canonical full name, or the role phrase for an unnamed official
    country: str  # country or organisation the speaker speaks for; "" when unknown
    target: str  # whom the statement is aimed at, when the text says; else ""
    stance: str  # one of STANCES
    score: float  # [-1, 1], positive = escalation
    confidence: float  # [0, 1]
    cues: str  # ";"-separated words that moved the score
    quote: str  # exact substring of the article text: text[start:end]
    start: int
    end: int
    sentence: str  # the whole sentence holding the quote
    source: str
    url: str
    title: str
    sentence_start: int  # offset of `sentence` in the article text
    speaker_mention: str  # the speaker as written in the text ("he", "Mr. Zarif")
    input_file: str
    date_precision: str = "published"  # one of DATE_PRECISIONS: how closely the text dates the statement
    statement_id: str = ""  # shared by the reports of one statement across articles; "" -> event_id
    found_by: str = ""  # one of FOUND_BY; "" in tables written before it was recorded

    def __post_init__(self) -> None:
        if not self.statement_id:  # a report is its own statement until merged with others
            object.__setattr__(self, "statement_id", self.event_id)


EVENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Event))

_INTEGER_COLUMNS = ("start", "end", "sentence_start")
_FLOAT_COLUMNS = ("score", "confidence")


def make_event_id(doc_id: str, start: int, end: int, speaker: str) -> str:
    """A stable id: the same statement in the same article gets the same id on every run."""
    key = f"{doc_id}\x1f{start}\x1f{end}\x1f{speaker}".encode("utf-8")
    return hashlib.sha1(key).hexdigest()[:16]


def events_to_frame(events: list[Event]) -> pd.DataFrame:
    """The events table for a list of events (an empty list gives the empty table)."""
    # attribute reads, not dataclasses.astuple: that deep-copies every field (20x slower)
    import pandas as pd

    rows = [tuple(getattr(event, column) for column in EVENT_COLUMNS) for event in events]
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    return conform_events_frame(frame)


def conform_events_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame read from disk or built in memory the schema's columns, order and dtypes.

    Raises `KeyError` naming the missing columns when the frame is not an events table.
    """
    import pandas as pd

    missing = [c for c in EVENT_COLUMNS if c not in frame.columns and c not in _ADDED_COLUMNS]
    if missing:
        raise KeyError(f"not an events table: missing column(s) {', '.join(missing)}")
    frame = _with_added_columns(frame)
    frame = frame.loc[:, list(EVENT_COLUMNS)].copy()
    for column in EVENT_COLUMNS:
        if column in _INTEGER_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("int64")
        elif column in _FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        else:
            frame[column] = frame[column].fillna("").astype("string")
    return frame


_ADDED_COLUMNS = ("date_precision", "statement_id", "found_by")  # tables written before these existed still load


def _with_added_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill `date_precision` and `statement_id` where a table lacks them or leaves them empty:
    before them, a date came from a day cue or from publication, and every report stood alone.
    A missing `found_by` stays empty: how an old table's statements were found is not known."""
    for column in _ADDED_COLUMNS:
        values = frame[column].fillna("").astype("string") if column in frame.columns else None
        empty = values.eq("") if values is not None else None
        if values is not None and not empty.any():
            continue
        if column == "found_by":
            if values is None:
                frame = frame.assign(found_by="")
            continue
        if column == "statement_id":
            default = frame["event_id"].fillna("").astype("string")
        else:
            undated = frame["date_basis"].fillna("").astype("string").isin(["", "published"])
            default = undated.map({True: "published", False: "day"}).astype("string")
        frame = frame.assign(**{column: default if values is None else values.mask(empty, default)})
    return frame
