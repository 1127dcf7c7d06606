"""Writing and reading the events table: CSV (UTF-8) or Parquet, chosen by the file extension.

Writes are atomic (a temporary file in the same folder, then a rename), so a reader never sees
half a table and an interrupted run leaves the previous table in place. Columns are exactly
`schema.EVENT_COLUMNS`, in that order.
"""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import ProblemWith, unreadable
from ..schema import _FLOAT_COLUMNS, _INTEGER_COLUMNS, conform_events_frame

FORMATS = {".csv": "csv", ".parquet": "parquet"}


class StoreError(ProblemWith):
    """An events table that cannot be written or read; `str()` names the file and the problem."""


def table_format(path: str | Path) -> str:
    """`"csv"` or `"parquet"` for an events-table path; `StoreError` for any other extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise StoreError(path, f"unsupported output type {suffix or '(none)'!r} (use .csv or .parquet)")
    return FORMATS[suffix]


def write_events(frame: pd.DataFrame, path: str | Path) -> None:
    """Write the events table to `path` atomically (the folder is created when missing)."""
    path = Path(path)
    kind = table_format(path)
    try:
        frame = conform_events_frame(frame)
    except KeyError as exc:
        raise StoreError(path, exc.args[0]) from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
    except OSError as exc:
        raise StoreError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        if kind == "csv":
            # Every text field quoted: a lone "\r" in a quote would otherwise end the row on reading.
            frame.to_csv(temp_name, index=False, encoding="utf-8", quoting=csv.QUOTE_NONNUMERIC)
        else:
            frame.to_parquet(temp_name, index=False)
        os.chmod(temp_name, _file_mode(path))
        os.replace(temp_name, path)
    except OSError as exc:
        raise StoreError(path, f"cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def _file_mode(path: Path) -> int:
    """The permissions the new file gets: the old file's, else what the umask allows (mkstemp gives 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def read_events(path: str | Path) -> pd.DataFrame:
    """The events table stored at `path`, with the schema's columns and dtypes.

    Raises `StoreError` when the file is missing, unreadable or not an events table.
    """
    path = Path(path)
    kind = table_format(path)
    try:
        if kind == "csv":
            # Every column as text first, so that a quote reading "NA" or "null" stays text;
            # numbers are then parsed with float(), which round-trips what to_csv wrote exactly.
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
            for column in _FLOAT_COLUMNS + _INTEGER_COLUMNS:
                if column in frame.columns:
                    parse = float if column in _FLOAT_COLUMNS else int
                    frame[column] = [parse(value) for value in frame[column]]
        else:
            frame = pd.read_parquet(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(path, unreadable(exc)) from None
    except pd.errors.EmptyDataError:
        raise StoreError(path, "not an events table (empty file)") from None
    except (ValueError, pd.errors.ParserError) as exc:
        raise StoreError(path, f"not an events table ({_first_line(exc)})") from None
    try:
        return conform_events_frame(frame)
    except KeyError as exc:
        raise StoreError(path, exc.args[0]) from None
    except (ValueError, TypeError) as exc:
        raise StoreError(path, f"not an events table ({_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


__all__ = ["StoreError", "read_events", "table_format", "write_events"]
