"""The event store: one growing events table, as a Parquet dataset partitioned by month.

Layout of a store directory DIR (other modules and tools rely on it):

    DIR/events/month=YYYY-MM/part-<32 hex>.parquet   events whose statement `date` is in that month
    DIR/store.sqlite                                  the bookkeeping: which article, with which
                                                      `runner.article_fingerprint`, owns which rows
    DIR/write.lock                                    locked by the one process writing (see below)

Every data file has exactly the columns of `schema.EVENT_COLUMNS`, in that order, so the dataset
reads as `duckdb.read_parquet('DIR/events/*/*.parquet', hive_partitioning=true)`.

The contract, for any code that writes (the runner, a Dask driver and its workers):

- `write_parts(frame)` writes a batch's events into new partition files and returns their paths
  relative to DIR. It is safe from any number of processes (or machines sharing DIR) at once:
  names are unique and nothing shared is touched. The files are *staged* (named
  `.part-<hex>.parquet.staged` until committed): neither the glob above nor the readers below
  see them.
- `commit(parts, fingerprints)` is called by one process only (the driver), after the parts
  exist. Each article in `fingerprints` (doc_id -> fingerprint) then owns exactly its rows in
  `parts`; rows it owned before are removed (a file holding other articles too is rewritten
  without them), and an article with no rows in `parts` owns none. Other articles are untouched.
  The staged files are renamed into place first, then one SQLite transaction records the batch
  (the commit point), then replaced files are deleted.
- `with_merged_statements(batch)` is what the driver commits for a batch: its rows with the
  `statement_id` of the stored statements they report, plus the rows of stored articles whose
  ids that changes, with those articles' fingerprints (so one commit keeps the ids consistent).
- `writing()` is the driver's session: it holds `write.lock` (one writer per store; a second is
  refused) and first cleans up what a killed run left behind: staged parts (whole or partial)
  and data files no commit recorded. `commit` outside a session takes the lock for its own
  duration and cleans nothing.
- Readers (`fingerprints`, `files`, `events`, `connect`) see committed batches only, at the moment
  they are called: files renamed into place but not yet recorded are not read. A query over the
  raw glob above sees exactly the committed rows too, except during a commit or after a run killed
  mid-commit (until the next `writing()`).

Crash safety: every data file is written under its staged name (a temporary file), flushed to
disk, and only then renamed into place (`os.replace`) by a commit; the bookkeeping changes only
by SQLite transactions. A crash at any point leaves every committed batch whole and every
uncommitted batch invisible.
"""
from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import schema
from .statements import DAY_WINDOW, assign_statement_ids, renamed_statements, store_window
from .tables import StoreError

EVENTS_DIR = "events"
SQL_PARAMETERS = 900  # values bound to one SQLite statement at most (older builds allow 999)
DATABASE = "store.sqlite"
LOCK_FILE = "write.lock"
STAGED_SUFFIX = ".staged"
PART_NAME = re.compile(r"part-[0-9a-f]{32}\.parquet")
MONTH = re.compile(r"^\d{4}-\d{2}$")

_TABLES = """
BEGIN;
CREATE TABLE IF NOT EXISTS articles (doc_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, events INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, rows INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS placements (doc_id TEXT NOT NULL, path TEXT NOT NULL, rows INTEGER NOT NULL, PRIMARY KEY (doc_id, path)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS placements_by_path ON placements (path);
COMMIT;
"""


def _arrow_schema() -> pa.Schema:
    """The data files' schema, from `schema.EVENT_COLUMNS` as it is now (not at import time)."""
    def kind(column: str) -> pa.DataType:
        if column in schema._INTEGER_COLUMNS:
            return pa.int64()
        return pa.float64() if column in schema._FLOAT_COLUMNS else pa.string()

    return pa.schema([(column, kind(column)) for column in schema.EVENT_COLUMNS])


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


class EventStore:
    """A store directory (see the module docstring). Creating one touches nothing on disk."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self._lock_handle: int | None = None

    def __repr__(self) -> str:
        return f"EventStore({str(self.directory)!r})"

    # --- writing partition files: any process ------------------------------------------------

    def write_parts(self, frame: pd.DataFrame) -> list[str]:
        """Write `frame` (an events table) as staged partition files, one per month of `date`.

        Returns their paths relative to the store directory, to give to `commit`.
        """
        try:
            frame = schema.conform_events_frame(frame)
        except KeyError as exc:
            raise StoreError(self.directory, exc.args[0]) from None
        if not len(frame):
            return []
        # to Arrow once for the whole batch (not per month), without pandas' metadata
        table = pa.Table.from_pandas(frame, schema=_arrow_schema(), preserve_index=False).replace_schema_metadata(None)
        months = pc.utf8_slice_codeunits(table.column("date"), 0, 7)
        valid = pc.match_substring_regex(months, MONTH.pattern)
        if not pc.all(valid).as_py():
            row = frame.iloc[valid.to_pylist().index(False)]
            raise StoreError(self.directory, f"event {row['event_id']} of {row['doc_id']!r} has no valid date: {row['date']!r}")
        parts = []
        for month in sorted(set(months.to_pylist())):
            relative = f"{EVENTS_DIR}/month={month}/part-{uuid.uuid4().hex}.parquet"
            self._write_file(table.filter(pc.equal(months, month)), self._staged(relative))
            parts.append(relative)
        return parts

    def read_staged(self, parts: Sequence[str]) -> pd.DataFrame:
        """The events of staged parts (not yet committed), as one events table."""
        frames = []
        for part in parts:
            staged = self._staged(part)
            try:
                frames.append(_conform_table(pq.read_table(staged)).to_pandas())
            except (OSError, pa.ArrowInvalid) as exc:
                raise StoreError(staged, f"cannot read the staged part: {exc}") from None
        return schema.conform_events_frame(pd.concat(frames, ignore_index=True)) if frames else schema.events_to_frame([])

    def discard(self, parts: Sequence[str]) -> None:
        """Delete staged parts that will not be committed."""
        for part in parts:
            self._staged(part).unlink(missing_ok=True)

    def _write_file(self, table: pa.Table, path: Path) -> None:
        """Write a staged file (the temporary file that `commit` renames into place), flushed."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path, compression="zstd")
            _flush(path)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise StoreError(path, f"cannot write: {exc.strerror or exc}") from None

    def _staged(self, relative: str) -> Path:
        """Where `write_parts` puts the part `relative` until it is committed."""
        final = self.directory / relative
        return final.with_name(f".{final.name}{STAGED_SUFFIX}")

    # --- committing: the driver only --------------------------------------------------------

    def with_merged_statements(self, batch: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
        """What to commit for `batch` (the events of articles about to be committed) so that the
        reports of one statement share a `statement_id` across the whole store: the batch with
        its ids, followed by every row of each stored article whose ids that changes (a new
        report joined two stored statements); and those articles' stored fingerprints, to commit
        them with the batch. Only the stored rows of the batch's days and the days either side are
        compared (`statements.store_window`), so the cost grows with a batch, not with the store."""
        if batch.empty:
            return batch, {}
        batch_docs = set(batch["doc_id"].astype(str))
        window = store_window(batch)
        days = ", ".join(_sql_string(day) for day in window)
        months = sorted({day[:7] for day in window})  # only their partitions' files are opened
        stored = self.events(where=f"{_quoted('date')} IN ({days})", months=months) if days else batch.iloc[0:0]
        stored = stored[~stored["doc_id"].isin(batch_docs)].reset_index(drop=True)
        written = assign_statement_ids(batch.reset_index(drop=True), stored)
        new, changed = written.iloc[:len(batch)], written.iloc[len(batch):]
        renamed = renamed_statements(stored, written) if len(changed) else {}
        affected = set(changed["doc_id"].astype(str))
        if renamed:
            # A stored statement's reports span at most DAY_WINDOW days and one of them is in the
            # window, so all of them are within DAY_WINDOW days of it.
            reach = sorted({day[:7] for day in store_window(batch, reach=2 * DAY_WINDOW)})
            ids = ", ".join(_sql_string(old) for old in renamed)
            affected |= set(self.events(where=f"statement_id IN ({ids})", months=reach)["doc_id"].astype(str))
        affected -= batch_docs
        if not affected:
            return new.reset_index(drop=True), {}
        moved = dict(zip(changed["event_id"].astype(str), changed["statement_id"].astype(str)))
        rows = self.events(doc_ids=affected)
        rows = rows.assign(statement_id=[moved.get(event, renamed.get(statement, statement))
                                         for event, statement in zip(rows["event_id"].astype(str), rows["statement_id"].astype(str))])
        return pd.concat([new, rows], ignore_index=True), self.fingerprints(sorted(affected))

    @contextmanager
    def writing(self) -> Iterator[EventStore]:
        """Hold the store's write lock for a run, after cleaning up what a killed run left."""
        if self._lock_handle is not None:
            raise StoreError(self.directory, "this store is already open for writing")
        self._lock_handle = self._acquire_lock()
        try:
            self._clean_up()
            yield self
        finally:
            os.close(self._lock_handle)
            self._lock_handle = None

    def commit(self, parts: Sequence[str], fingerprints: dict[str, str]) -> None:
        """Record a batch: the articles in `fingerprints` own exactly their rows in `parts` (see
        the module docstring). Raises `StoreError` when a part is missing or holds rows of an
        article not in `fingerprints`; nothing is committed then."""
        if not parts and not fingerprints:
            return
        placed: list[tuple[str, str, int]] = []  # (doc_id, part, rows)
        for part in parts:
            staged = self._staged(part)
            try:
                counts = Counter(pq.ParquetFile(staged).read(columns=["doc_id"]).column("doc_id").to_pylist())
            except FileNotFoundError:
                raise StoreError(staged, "no such staged part (already committed, or removed as a killed run's "
                                         "when the store was opened for writing)") from None
            except (OSError, pa.ArrowInvalid) as exc:
                raise StoreError(staged, f"cannot read the staged part: {exc}") from None
            strangers = sorted(set(counts) - fingerprints.keys())
            if strangers:
                raise StoreError(staged, f"holds rows of article(s) not being committed: {', '.join(strangers[:5])}")
            placed.extend((doc_id, part, rows) for doc_id, rows in counts.items())
        with self._locked():
            self._commit_locked(list(parts), fingerprints, placed)

    def _commit_locked(self, parts: list[str], fingerprints: dict[str, str], placed: list[tuple[str, str, int]]) -> None:
        with self._database() as db:
            # The files holding rows of the batch's articles now; any of them that also holds
            # other articles' rows is replaced by a copy without the batch's.
            replaced = {path for doc_id in fingerprints for (path,) in db.execute("SELECT path FROM placements WHERE doc_id = ?", (doc_id,))}
            copies: list[tuple[str, str, int]] = []  # (doc_id, new file, rows) of the other articles
            for path in sorted(replaced):
                others = [row for row in db.execute("SELECT doc_id, rows FROM placements WHERE path = ?", (path,)) if row[0] not in fingerprints]
                if others:
                    copy = self._rewrite_without(path, fingerprints.keys())
                    copies.extend((doc_id, copy, rows) for doc_id, rows in others)
            renamed: list[Path] = []
            try:
                for part in dict.fromkeys([*parts, *(copy for _, copy, _ in copies)]):
                    os.replace(self._staged(part), self.directory / part)
                    renamed.append(self.directory / part)
                for folder in {path.parent for path in renamed}:
                    _flush(folder)
                self._record(db, replaced, [*placed, *copies], fingerprints)
            except BaseException as exc:
                for path in renamed:
                    path.unlink(missing_ok=True)
                if isinstance(exc, (OSError, sqlite3.Error)):
                    raise StoreError(self.directory, f"cannot commit: {exc}") from None
                raise
        for path in replaced:
            (self.directory / path).unlink(missing_ok=True)

    @staticmethod
    def _record(db: sqlite3.Connection, replaced: set[str], placed: list[tuple[str, str, int]], fingerprints: dict[str, str]) -> None:
        """The commit point: one transaction swaps the `replaced` files for the `placed` rows'."""
        files: Counter[str] = Counter()
        events: Counter[str] = Counter()
        for doc_id, path, rows in placed:
            files[path] += rows
            events[doc_id] += rows
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("DELETE FROM placements WHERE path = ?", [(path,) for path in replaced])
            db.executemany("DELETE FROM files WHERE path = ?", [(path,) for path in replaced])
            db.executemany("INSERT INTO placements VALUES (?, ?, ?)", placed)
            db.executemany("INSERT INTO files VALUES (?, ?)", list(files.items()))
            db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?)",
                [(doc_id, fingerprint, events[doc_id]) for doc_id, fingerprint in fingerprints.items()],
            )
            db.execute("COMMIT")
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")

    def _rewrite_without(self, relative: str, doc_ids: Iterable[str]) -> str:
        """Stage a copy of the data file `relative` without the rows of `doc_ids`; its new path."""
        try:
            table = _conform_table(pq.read_table(self.directory / relative))
        except (OSError, pa.ArrowInvalid) as exc:
            raise StoreError(self.directory / relative, f"cannot read: {exc}") from None
        keep = pc.invert(pc.is_in(table.column("doc_id"), value_set=pa.array(list(doc_ids), pa.string())))
        new = f"{Path(relative).parent.as_posix()}/part-{uuid.uuid4().hex}.parquet"
        self._write_file(table.filter(keep), self._staged(new))
        return new

    def _clean_up(self) -> None:
        """Delete staged parts and the data files no commit recorded (a killed run's)."""
        committed = set(self.files())
        for folder in (self.directory / EVENTS_DIR).glob("month=*"):
            for path in folder.iterdir():
                relative = path.relative_to(self.directory).as_posix()
                stray = path.name.startswith(".part-") or (PART_NAME.fullmatch(path.name) and relative not in committed)
                if stray and path.is_file():
                    path.unlink(missing_ok=True)

    def _acquire_lock(self) -> int:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise StoreError(self.directory, f"cannot open the store for writing: {exc.strerror or exc}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise StoreError(self.directory, "another process is writing to this store") from None
        return handle

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if self._lock_handle is not None:
            yield
            return
        handle = self._acquire_lock()
        try:
            yield
        finally:
            os.close(handle)

    @contextmanager
    def _database(self, *, create: bool = True) -> Iterator[sqlite3.Connection]:
        path = self.directory / DATABASE
        try:
            if create:
                self.directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path if create else f"file:{path}?mode=ro", uri=not create, isolation_level=None, timeout=60)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(path, f"cannot open the store's bookkeeping: {exc}") from None
        try:
            if create:
                db.execute("PRAGMA journal_mode = WAL")  # readers go on while a run commits
                db.executescript(_TABLES)
            yield db
        except sqlite3.Error as exc:
            raise StoreError(path, f"bookkeeping: {exc}") from None
        finally:
            db.close()

    # --- reading: committed batches only ----------------------------------------------------

    def _read(self, query: str, params: Sequence[str] = ()) -> list[tuple]:
        if not (self.directory / DATABASE).exists():
            return []
        with self._database(create=False) as db:
            if not db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles'").fetchone()[0]:
                return []  # a writer is creating the store right now
            return db.execute(query, params).fetchall()

    def fingerprints(self, doc_ids: Iterable[str] | None = None) -> dict[str, str]:
        """doc_id -> fingerprint of every article committed to the store (of `doc_ids` only,
        when given)."""
        if doc_ids is None:
            return dict(self._read("SELECT doc_id, fingerprint FROM articles"))
        return dict(self._read_in("SELECT doc_id, fingerprint FROM articles WHERE doc_id IN ({})", doc_ids))

    def _read_in(self, query: str, values: Iterable[str]) -> list[tuple]:
        """`query`'s rows for its `IN ({})` list filled with `values`, asked in chunks that stay
        under SQLite's limit on parameters."""
        values = list(values)
        rows: list[tuple] = []
        for start in range(0, len(values), SQL_PARAMETERS):
            chunk = values[start : start + SQL_PARAMETERS]
            rows.extend(self._read(query.format(", ".join("?" * len(chunk))), chunk))
        return rows

    def files(self, months: Iterable[str] | None = None, *, doc_ids: Iterable[str] | None = None) -> list[str]:
        """The committed data files, relative to the store directory, sorted; with `months`
        ("YYYY-MM"), those of their partitions only; with `doc_ids`, those holding rows of
        these articles only."""
        if doc_ids is not None:
            holding = {path for (path,) in self._read_in("SELECT DISTINCT path FROM placements WHERE doc_id IN ({})", doc_ids)}
            return sorted(holding if months is None else holding & set(self.files(months)))
        if months is None:
            return [path for (path,) in self._read("SELECT path FROM files ORDER BY path")]
        # a range of the path key per month ("events/month=2024-07/" up to "events/month=2024-070"):
        # the index finds them without reading the other files' rows
        folders = [f"{EVENTS_DIR}/month={month}/" for month in sorted(set(months))]
        if not folders:
            return []
        ranges = " OR ".join(["(path >= ? AND path < ?)"] * len(folders))
        bounds = [bound for folder in folders for bound in (folder, folder[:-1] + chr(ord("/") + 1))]
        return [path for (path,) in self._read(f"SELECT path FROM files WHERE {ranges} ORDER BY path", bounds)]

    def counts(self) -> tuple[int, int]:
        """(articles, events) committed to the store."""
        rows = self._read("SELECT (SELECT count(*) FROM articles), (SELECT coalesce(sum(rows), 0) FROM files)")
        return tuple(rows[0]) if rows else (0, 0)

    def view_sql(self, connection: duckdb.DuckDBPyConnection, months: Iterable[str] | None = None,
                 *, doc_ids: Iterable[str] | None = None) -> str:
        """A SELECT over the committed data files with the schema's columns (a snapshot: the
        files as they are now); with `months` or `doc_ids`, over the files `files` picks for
        them only. `connection` reads which columns the files hold."""
        files = self.files(months, doc_ids=doc_ids)
        if not files:
            types = {pa.int64(): "BIGINT", pa.float64(): "DOUBLE", pa.string(): "VARCHAR"}
            nulls = ", ".join(f"CAST(NULL AS {types[f.type]}) AS {_quoted(f.name)}" for f in _arrow_schema())
            return f"SELECT {nulls} WHERE false"
        paths = ", ".join(_sql_string(str(self.directory.resolve() / path)) for path in files)
        # union_by_name: files written before a column was added to the schema read it as NULL,
        # and one that none of the files holds yet reads as NULL too
        source = f"read_parquet([{paths}], union_by_name = true)"
        held = {name for name, *_ in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        columns = ", ".join(_quoted(c) if c in held else f"CAST(NULL AS VARCHAR) AS {_quoted(c)}" for c in schema.EVENT_COLUMNS)
        return f"SELECT {columns} FROM {source}"

    def connect(self, months: Iterable[str] | None = None, *, doc_ids: Iterable[str] | None = None) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with a view `events` over the committed rows (of the
        files of the partitions of `months`, or holding the rows of `doc_ids`, when given)."""
        connection = duckdb.connect()
        connection.execute(f"CREATE VIEW events AS {self.view_sql(connection, months, doc_ids=doc_ids)}")
        return connection

    def events(self, where: str | None = None, *, doc_ids: Iterable[str] | None = None,
               months: Iterable[str] | None = None) -> pd.DataFrame:
        """The committed events as an events table, ordered by date, doc_id and text offset.

        `where` is a DuckDB condition on the columns (`"stance = 'escalation'"`); `doc_ids`
        keeps the rows of those articles only; `months` ("YYYY-MM") reads only the files of
        those statement months (a backfill's batch must not open every file of the store).
        """
        query = "SELECT * FROM events"
        conditions = [f"({where})"] if where else []
        doc_ids = None if doc_ids is None else list(doc_ids)
        with self.connect(months, doc_ids=doc_ids) as connection:
            if doc_ids is not None:
                connection.register("wanted", pa.table({"doc_id": pa.array(doc_ids, pa.string())}))
                conditions.append("doc_id IN (SELECT doc_id FROM wanted)")
            if conditions:
                query += " WHERE " + " AND ".join(conditions)
            try:
                frame = connection.sql(query + " ORDER BY date, doc_id, sentence_start, start, event_id").df()
            except duckdb.Error as exc:
                raise StoreError(self.directory, f"cannot read the events: {exc}") from None
        return schema.conform_events_frame(frame)


def _conform_table(table: pa.Table) -> pa.Table:
    """A data file's table with the schema's current columns (a column added since it was
    written is filled with nulls)."""
    target = _arrow_schema()
    columns = [
        table.column(f.name).cast(f.type) if f.name in table.column_names else pa.nulls(len(table), f.type)
        for f in target
    ]
    return pa.table(columns, schema=target)


def _flush(path: str | Path) -> None:
    """Make a file's contents, or a folder's entries, durable (before the next step relies on them)."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


__all__ = ["EventStore", "StoreError"]
