"""The dashboard over an event store: every filter, count and aggregate as a DuckDB query.

`streamlit run app.py -- --store DIR` shows a store of tens of millions of events
(`DIR/events/month=YYYY-MM/*.parquet`, see `pipeline.store.dataset`) without loading it into
pandas. `open_store(DIR)` makes one DuckDB connection that every browser session shares (the app
keeps it with `st.cache_resource`). It holds one compact column cache, `rows`: per event only
what filtering and the charts read, as small types (`d`, the day counted from the store's first
day, a SMALLINT; speaker, country and stance as ENUMs, two bytes or less; the score
and its signed contribution to net escalation as floats), about 30 bytes an event, and where the
event lies in the Parquet files (`file`, `rn`: its data file and row number). Small integer
keys let DuckDB group by country, stance and day with a perfect hash (an array, no hashing):
10,000,000 events take a fraction of a second, where the same query over the Parquet files
takes seconds on two cores, decoding every string again.
Everything else (quotes for a text search, the evidence table's rows, the selected statement and
its sources, the CSV export) is read from the Parquet files, for the rows needed only.

Beside it, `days`: the rows counted and summed per statement head or not, precision, inference,
country, stance and day (a fraction of the rows); the charts' aggregate reads it when no filter
needs one report's speaker, score or quote (`on_days`), which is the default view.

One statement, many reports: the cache marks each statement's *head*, its earliest published
report (ties by smallest event_id, as `views.statement_heads` does for a table in memory), with
its number of reports in `mentions` (NULL on the other reports). One point per statement is
then `mentions IS NOT NULL`, and every aggregate counts statements, not articles.

The functions below take a connection (`Store.cursor()`, one per rerun: a DuckDB connection is
not shared between threads) and `views.Filters`, and return the plain frames that
`views`/`trend`/`charts` already draw from: aggregated rows carry `views.WEIGHT` (how many
statements a row stands for), which those functions count by.
"""
from __future__ import annotations

import hashlib
import io
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.csv as pacsv

from ..schema import EVENT_COLUMNS, STANCES, conform_events_frame
from ..store.dataset import DATABASE, EventStore
from .charts import Charts, Laps, draw_charts
from .evidence import TABLE_COLUMNS
from .views import (
    DAY,
    MENTIONS,
    SIGNED,
    WEEK,
    UNKNOWN,
    WEIGHT,
    Filters,
    group_labels,
    ranked_actors,
)

EVENTS_GLOB = "events/*/*.parquet"
EPOCH = date(1970, 1, 1)
SEARCHES_KEPT = 8
EXPORT_LIMIT = 1_000_000  # rows in one CSV download: its bytes are held in memory until fetched
ENUM_COLUMNS = ("speaker", "country", "stance")
SOURCE_COLUMNS = ["source", "title", "url", "published", "doc_id", "input_file"]


class StoreQueryError(Exception):
    """A store that cannot be opened or queried; `str()` names the folder and the problem."""

    def __init__(self, folder: str | Path, problem: str):
        super().__init__(str(folder), problem)
        self.folder, self.problem = str(folder), problem

    def __str__(self) -> str:
        return f"{self.folder}: {self.problem}"


def data_files(folder: str | Path) -> list[Path]:
    """The store's data files, sorted: the committed ones its bookkeeping lists (`EventStore.files`)
    when it has one, else every `DIR/events/month=YYYY-MM/*.parquet` (a store written by other tools,
    such as `generate_store`)."""
    folder = Path(folder)
    if (folder / DATABASE).exists():
        return [folder / relative for relative in EventStore(folder).files()]
    return sorted(folder.glob(EVENTS_GLOB))


def store_version(folder: str | Path) -> str:
    """Changes when a data file is added, removed or rewritten: keys the shared cache."""
    digest = hashlib.sha1()
    for path in data_files(folder):
        stat = path.stat()
        digest.update(f"{path}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _sql_list(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _day(number: int) -> date:
    return EPOCH + timedelta(days=int(number))


@dataclass
class Store:
    """An opened store: the shared connection with its column cache, and what the sidebar offers."""

    folder: Path
    connection: duckdb.DuckDBPyConnection
    files: list[str]  # the data files, in the order of the `file` ENUM's codes
    version: str
    events: int  # reports (rows) in the store
    statements: int
    speaker_counts: dict[str, int] = field(default_factory=dict)  # reports per speaker, most first
    country_counts: dict[str, int] = field(default_factory=dict)
    first_day: date | None = None
    last_day: date | None = None
    ranked: dict[str, list[str]] = field(default_factory=dict)  # `views.ranked_actors` labels of the whole store
    codes: dict[str, dict[str, int]] = field(default_factory=dict)  # per ENUM column: each value's code
    offset: int = 0  # the day number (since 1970-01-01) of `d` = 0
    columns: frozenset[str] = frozenset(EVENT_COLUMNS)  # the schema's columns the data files hold
    searches: dict[str, str] = field(default_factory=dict)  # quote search text -> table of its rows
    lock: threading.Lock = field(default_factory=threading.Lock)
    build_seconds: float = 0.0

    @property
    def label(self) -> str:
        return f"the event store {self.folder}"

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection to the shared database for one thread (one rerun)."""
        return self.connection.cursor()

    def search(self, text: str) -> str:
        """The table of the rows (`file`, `rn`) whose quote contains `text`, ignoring case.

        A text search reads every quote from the Parquet files; its rows are kept (the last
        `SEARCHES_KEPT` texts, a few bytes a row), so the queries of a rerun, and every session
        searching the same text, read the quotes once."""
        with self.lock:
            if text in self.searches:
                self.searches[text] = self.searches.pop(text)  # most recently used last
                return self.searches[text]
            name = f"search_{hashlib.sha1(text.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"
            pattern = text if set(text) & set("%_\\") else f"%{text}%"
            self.connection.cursor().execute(
                f"CREATE OR REPLACE TABLE {name} AS SELECT file_index::SMALLINT AS file, file_row_number::INTEGER AS rn "
                f"FROM {self.parquet()} WHERE {quote_test(text)}",
                [pattern],
            )
            self.searches[text] = name
            while len(self.searches) > SEARCHES_KEPT:
                dropped = self.searches.pop(next(iter(self.searches)))
                self.connection.cursor().execute(f"DROP TABLE IF EXISTS {dropped}")
            return name

    def selected(self, columns: Sequence[str], alias: str = "p") -> str:
        """The SELECT list of `columns` from the data files read as `alias`: a column none of the
        files holds (added to the schema after they were written) reads as empty."""
        return ", ".join(f'{alias}."{c}"' if c in self.columns else f"'' AS \"{c}\"" for c in columns)

    def parquet(self, files: list[str] | None = None) -> str:
        """A `read_parquet` over `files` (default all) with each row's `file` code and row number."""
        chosen = self.files if files is None else files
        return f"read_parquet([{_sql_list(chosen)}], filename = true, file_row_number = true, union_by_name = true)"


def open_store(folder: str | Path, *, threads: int = 2, memory_limit: str = "1500MB") -> Store:
    """Open the store at `folder` and build the shared column cache (about half a minute for
    10 million events on two cores; the cache then takes about 30 bytes an event).

    Raises `StoreQueryError` when the folder holds no data files or they cannot be read."""
    folder = Path(folder).expanduser().resolve()
    started = time.perf_counter()
    paths = data_files(folder)
    if not paths:
        raise StoreQueryError(folder, f"no event data: expected Parquet files under {folder / 'events'}/month=YYYY-MM/")
    version = store_version(folder)
    files = [str(p) for p in paths]
    # perfect_ht_threshold: group keys of up to 24 bits (country, stance, day) use a perfect hash table.
    connection = duckdb.connect(
        config={
            "threads": threads,
            "memory_limit": memory_limit,
            "preserve_insertion_order": False,
            "perfect_ht_threshold": 24,
        }
    )
    connection.execute("SET enable_progress_bar = false")  # a long build would print bars into the server's log
    source = f"read_parquet([{_sql_list(files)}], file_row_number = true, union_by_name = true)"
    try:
        for column in ENUM_COLUMNS:
            connection.execute(
                f"CREATE TYPE {column}_t AS ENUM (SELECT DISTINCT coalesce({column}, '') FROM read_parquet([{_sql_list(files)}]) ORDER BY 1)"
            )
        key = "file_index::BIGINT * 4294967296 + file_row_number"  # file_index: the file's place in `files`
        day = "(coalesce(try_cast(date AS DATE), try_cast(published AS DATE), DATE '1970-01-01') - DATE '1970-01-01')::INTEGER"
        first, last = connection.execute(f"SELECT min({day}), max({day}) FROM {source}").fetchall()[0]
        if first is not None and last - first > 32_000:
            connection.close()
            raise StoreQueryError(folder, f"the statements span {last - first:,} days, more than the dashboard's 32,000")
        held = {name for name, *_ in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        # read from a main clause by the learned gate; unknown (so kept) in files from before `found_by`
        inferred = "coalesce(found_by = 'main clause', false)" if "found_by" in held else "false"
        # Each statement's head: its earliest published report, ties by event_id.
        connection.execute(
            f"CREATE TEMP TABLE heads AS SELECT arg_min({key}, (published, event_id)) AS k, count(*)::INTEGER AS mentions "
            f"FROM {source} GROUP BY coalesce(nullif(statement_id, ''), event_id)"
        )
        # Statements' heads first, by day: one point per statement (the default) skips the other
        # reports' row groups whole, and a date range reads neighbouring rows (25-65% faster queries).
        connection.execute(
            f"""CREATE TABLE rows AS SELECT
                file_index::SMALLINT AS file,
                file_row_number::INTEGER AS rn,
                ({day} - {first or 0})::SMALLINT AS d,
                coalesce(speaker, '')::speaker_t AS speaker,
                coalesce(country, '')::country_t AS country,
                coalesce(stance, '')::stance_t AS stance,
                score::FLOAT AS score,
                (CASE stance WHEN 'escalation' THEN abs(score) WHEN 'de-escalation' THEN -abs(score) ELSE 0 END)::FLOAT AS signed,
                coalesce(date_precision = 'day', false) AS precise,
                {inferred} AS inferred,
                heads.mentions AS mentions
            FROM {source} LEFT JOIN heads ON heads.k = {key}
            ORDER BY mentions IS NULL, d"""
        )
        connection.execute("DROP TABLE heads")
        connection.execute(
            f"""CREATE TABLE days AS SELECT mentions IS NOT NULL AS head, precise, inferred, country, stance, d,
                count(*)::INTEGER AS n, sum(score)::DOUBLE AS score, sum(signed)::DOUBLE AS signed
            FROM rows GROUP BY ALL ORDER BY head DESC, d"""
        )
        events, statements = connection.execute("SELECT count(*), count(mentions) FROM rows").fetchall()[0]
    except duckdb.Error as exc:
        connection.close()
        raise StoreQueryError(folder, f"cannot read the event data: {exc}") from None
    store = Store(folder, connection, files, version, int(events), int(statements), offset=int(first or 0),
                  columns=frozenset(c for c in EVENT_COLUMNS if c in held))
    cursor = store.cursor()
    for column in ENUM_COLUMNS:
        values = cursor.execute(f"SELECT enum_range(NULL::{column}_t)").fetchall()[0][0]
        store.codes[column] = {value: code for code, value in enumerate(values)}
    store.speaker_counts = _counts(cursor, "speaker")
    store.country_counts = _counts(cursor, "country")
    if events:
        store.first_day, store.last_day = _day(first), _day(last)
    everything = actor_counts(cursor, store, Filters(every_report=True))
    store.ranked = {by: ranked_actors(everything, by)[1] for by in ("country", "speaker")}
    store.build_seconds = time.perf_counter() - started
    return store


def _counts(cursor, column: str) -> dict[str, int]:
    rows = cursor.execute(f"SELECT {column}::VARCHAR, count(*) AS n FROM rows GROUP BY 1 ORDER BY n DESC, 1").fetchall()
    return {name: int(n) for name, n in rows}


# --- filters -------------------------------------------------------------------------------


def in_codes(store: Store, column: str, values) -> str:
    """An SQL test that `column` (an ENUM of `rows`) is one of `values`, on the ENUM's integer
    codes: comparing names would turn every row's code back into a string first."""
    codes = sorted({store.codes[column][v] for v in values if v in store.codes[column]})
    return f"enum_code({column}) IN ({', '.join(map(str, codes))})" if codes else "false"


def quote_test(text: str) -> str:
    """The SQL test that a quote contains `text` (one parameter), ignoring case. ILIKE is the
    fast one; a text holding its wildcards (% _) or escape character uses `contains` instead
    (ILIKE ... ESCAPE is ten times slower)."""
    return "contains(lower(quote), lower(?))" if set(text) & set("%_\\") else "quote ILIKE ?"


def on_days(filters: Filters) -> bool:
    """Whether `days` holds what `aggregate` needs for `filters`: no speaker, score or text in them,
    grouped by country."""
    return filters.group_by == "country" and not filters.speakers and filters.min_abs_score == 0 and not filters.text.strip()


def conditions(filters: Filters, store: Store, table: str = "rows") -> tuple[str, list]:
    """The SQL condition on `table` (`rows`, or `days` when `on_days(filters)`) for `filters`, with
    its parameters. A text search reads the quotes from the Parquet files (once per text: `Store.search`)."""
    parts, params = ["true"], []
    if not filters.every_report:
        parts.append("head" if table == "days" else "mentions IS NOT NULL")
    if filters.precise_only:
        parts.append("precise")
    if filters.attributed_only:
        parts.append("NOT inferred")
    for column, chosen in (("speaker", filters.speakers), ("country", filters.countries)):
        if chosen:
            parts.append(in_codes(store, column, chosen))
    if filters.stances and set(filters.stances) != set(STANCES):
        parts.append(in_codes(store, "stance", filters.stances))
    if filters.start is not None:
        parts.append("d >= ?")
        params.append((filters.start - EPOCH).days - store.offset)
    if filters.end is not None:
        parts.append("d <= ?")
        params.append((filters.end - EPOCH).days - store.offset)
    if filters.min_abs_score > 0:
        parts.append("abs(score) >= ?")  # a float: the same half-step slack as `views.filter_mask`
        params.append(filters.min_abs_score - 1e-6)
    text = filters.text.strip()
    if text:
        parts.append(f"(file, rn) IN (SELECT file, rn FROM {store.search(text)})")
    return " AND ".join(parts), params


def speaker_options(cursor, store: Store, countries: tuple[str, ...] | list[str]) -> dict[str, int]:
    """Like `views.speaker_options`: the speakers of `countries` with their reports there (all
    speakers, `store.speaker_counts`, when none is chosen)."""
    if not countries:
        return dict(store.speaker_counts)
    rows = cursor.execute(
        f"SELECT s::VARCHAR, n FROM (SELECT speaker AS s, count(*) AS n FROM rows WHERE {in_codes(store, 'country', countries)} GROUP BY 1) ORDER BY n DESC, 1"
    ).fetchall()
    return {name: int(n) for name, n in rows}


def actor_counts(cursor, store: Store, filters: Filters) -> pd.DataFrame:
    """Statements per (speaker, country) passing `filters`: columns speaker, country, `WEIGHT`."""
    where, params = conditions(filters, store)
    frame = cursor.execute(
        f"SELECT s::VARCHAR AS speaker, c::VARCHAR AS country, n AS {WEIGHT} FROM (SELECT speaker AS s, country AS c, count(*) AS n FROM rows WHERE {where} GROUP BY ALL)",
        params,
    ).df()
    return frame.astype({"speaker": "string", "country": "string", WEIGHT: "int64"})


def group_case(store: Store, actors: pd.DataFrame, by: str, top_n: int) -> tuple[str, list[str]]:
    """The legend groups (`views.group_labels` on the selection's actors) and an SQL CASE giving
    each row of `rows` its group's code ("other", when there is one, is the last code)."""
    groups = group_labels(actors, by, top_n)
    labels = list(groups.categories)
    _, names, _ = ranked_actors(actors, by)
    codes = np.asarray(groups.codes)
    other = len(labels) - 1 if labels and labels[-1] != names[len(labels) - 1] else len(labels)
    branches = []
    for code in range(min(other, len(labels))):
        members = actors[codes == code]
        if by == "country":
            branches.append(f"WHEN {in_codes(store, 'country', members['country'])} THEN {code}")
        else:  # a speaker label may gather several (speaker, country) pairs: one integer key each
            width = len(store.codes["country"])
            keys = sorted(store.codes["speaker"][s] * width + store.codes["country"][c] for s, c in zip(members["speaker"], members["country"]))
            branches.append(f"WHEN enum_code(speaker)::INTEGER * {width} + enum_code(country) IN ({', '.join(map(str, keys))}) THEN {code}")
    case = f"CASE {' '.join(branches)} ELSE {other} END" if branches else f"{other}"
    return case, labels


def aggregate(cursor, store: Store, filters: Filters, case: str, labels: list[str]) -> tuple[pd.DataFrame, pd.Categorical]:
    """The selection per legend group, country, day and stance: the aggregated rows `charts.draw_charts`
    draws from (columns country, stance, score (a sum), `_day`, `_week`, `_signed`, `WEIGHT`),
    and each row's group."""
    # By country, the group follows from the country: grouping by the ENUMs and the day alone
    # keeps DuckDB's perfect hash; the codes are mapped to groups here.
    by_country = filters.group_by == "country"
    group = "" if by_country else f"{case} AS g, "
    table = "days" if on_days(filters) else "rows"
    where, params = conditions(filters, store, table)
    count = "sum(n)" if table == "days" else "count(*)"
    result = cursor.execute(
        f"""SELECT {group}enum_code(country) AS c, enum_code(stance) AS s, d, {count} AS n, sum(score) AS score, sum(signed) AS signed
        FROM {table} WHERE {where} GROUP BY ALL""",
        params,
    ).fetchnumpy()
    countries = list(store.codes["country"])
    country_codes = np.asarray(result["c"]).astype(np.int64)
    if by_country:
        group_of = np.full(len(countries), len(labels) - 1, dtype=np.int64)
        for code, label in enumerate(labels):
            for name in countries:
                if (name or UNKNOWN) == label:
                    group_of[store.codes["country"][name]] = code
        group_codes = group_of[country_codes] if len(country_codes) else np.zeros(0, dtype=np.int64)
    else:
        group_codes = np.asarray(result["g"]).astype(np.int64)
    day = np.asarray(result["d"]).astype(np.int32) + store.offset
    light = pd.DataFrame(
        {
            "country": pd.Categorical.from_codes(country_codes, categories=countries),
            "stance": pd.Categorical.from_codes(np.asarray(result["s"]).astype(np.int64), categories=list(store.codes["stance"])),
            "score": np.asarray(result["score"], dtype=np.float64),
            DAY: day,
            WEEK: (day - ((day + 3) % 7)).astype(np.int32),
            SIGNED: np.asarray(result["signed"], dtype=np.float64),
            WEIGHT: np.asarray(result["n"]).astype(np.int64),
        }
    )
    return light, pd.Categorical.from_codes(group_codes, categories=labels)


# --- rows read from the Parquet files ------------------------------------------------------


def _locators(frame: pd.DataFrame) -> list[str]:
    """A row's key for the app (it keeps the selection): "#<file code>:<row number>"."""
    return [f"#{f}:{r}" for f, r in zip(frame["file_code"], frame["rn"])]


def read_rows(cursor, store: Store, located: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The `columns` of the Parquet rows at `located` (file_code, rn), in that order, reading
    only the files they are in."""
    if len(located) == 0:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    codes = located["file_code"].to_numpy().astype(np.int64)
    wanted = pd.DataFrame({"path": [store.files[c] for c in codes], "rn": located["rn"].to_numpy().astype(np.int64), "position": np.arange(len(located))})
    files = sorted(set(wanted["path"]))
    cursor.register("wanted_rows", wanted)
    try:
        selected = store.selected(columns)
        frame = cursor.execute(
            f"""SELECT w.position, {selected} FROM {store.parquet(files)} p
            JOIN wanted_rows w ON p.filename = w.path AND p.file_row_number = w.rn
            ORDER BY w.position"""
        ).df()
    finally:
        cursor.unregister("wanted_rows")
    return frame.drop(columns="position")


def sample_points(cursor, store: Store, filters: Filters, case: str, limit: int) -> tuple[pd.DataFrame, np.ndarray]:
    """A uniform sample of `limit` of the matching statements (all when fewer) for the timeline,
    and each point's group code. The sample is repeatable. Only the column cache is read: the
    points' quotes would mean reading every data file's quotes on each rerun (the sample is
    spread over all of them), so a point's hover names speaker, date, stance, score and reports,
    and a click shows the statement in the evidence card."""
    where, params = conditions(filters, store)
    sample = cursor.execute(
        f"""SELECT file AS file_code, rn, d + {store.offset} AS {DAY}, score, stance::VARCHAR AS stance,
                speaker::VARCHAR AS speaker, coalesce(mentions, 1) AS {MENTIONS}, {case} AS g
            FROM (SELECT file, rn, d, score, stance, speaker, country, mentions FROM rows WHERE {where})
            USING SAMPLE reservoir({int(limit)} ROWS) REPEATABLE (7)""",
        params,
    ).df()
    days = sample[DAY].to_numpy().astype(np.int64)
    points = pd.DataFrame(
        {
            DAY: days,
            "speaker": sample["speaker"].astype("string"),
            "date": (np.datetime64("1970-01-01", "D") + days.astype("timedelta64[D]")).astype(str).astype(object),
            "quote": np.full(len(sample), "", dtype=object),  # read on a click: see `sample_points`
            "source": np.full(len(sample), "", dtype=object),
            "stance": sample["stance"].astype("string"),
            "event_id": _locators(sample),
            "score": sample["score"].to_numpy(dtype=np.float64),
            MENTIONS: sample[MENTIONS].to_numpy(dtype=np.int64),
        }
    )
    return points, sample["g"].to_numpy().astype(np.int64)


def evidence_table(cursor, store: Store, filters: Filters, limit: int, extra: str = "", extra_params: list | None = None) -> pd.DataFrame:
    """The first `limit` matching statements, newest first, as the evidence table shows them
    (`evidence.TABLE_COLUMNS`; `event_id` holds the row's locator, see `event_row`)."""
    where, params = conditions(filters, store)
    if extra:
        where, params = f"{where} AND {extra}", params + list(extra_params or [])
    located = cursor.execute(
        f"SELECT file AS file_code, rn FROM rows WHERE {where} ORDER BY d DESC, file DESC, rn LIMIT {int(limit)}", params
    ).df()
    rows = read_rows(cursor, store, located, ["date", "speaker", "country", "stance", "score", "quote", "url"])
    table = pd.DataFrame({column: rows[column] for column in TABLE_COLUMNS if column != "event_id"})
    table["event_id"] = _locators(located)
    for column in TABLE_COLUMNS:
        if column != "score":
            table[column] = table[column].astype("string")
    return table.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)


def _located(key: str) -> pd.DataFrame | None:
    try:
        file_code, rn = key.lstrip("#").split(":")
        return pd.DataFrame({"file_code": [int(file_code)], "rn": [int(rn)]})
    except ValueError:
        return None


def event_row(cursor, store: Store, key: str, filters: Filters | None = None) -> dict | None:
    """The whole event at locator `key` ("#<file>:<row>"), with `mentions`; None when there is no
    such row or it does not pass `filters` (when given)."""
    located = _located(key) if key.startswith("#") else None
    if located is None:
        return None
    where, params = conditions(filters, store) if filters is not None else ("true", [])
    found = cursor.execute(
        f"SELECT count(*) FROM rows WHERE file = ? AND rn = ? AND {where}", [int(located['file_code'][0]), int(located['rn'][0])] + params
    ).fetchall()[0][0]
    if not found:
        return None
    rows = read_rows(cursor, store, located, list(EVENT_COLUMNS))
    if not len(rows):
        return None
    return conform_events_frame(rows).iloc[0].to_dict() | {"locator": key}


def as_evidence_table(event: dict | None) -> pd.DataFrame:
    """One event (`event_row`) as the evidence table's one row; no rows for None."""
    rows = [{c: event[c] for c in TABLE_COLUMNS if c != "event_id"} | {"event_id": event["locator"]}] if event else []
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return table.astype({c: "string" for c in TABLE_COLUMNS if c != "score"} | {"score": "float64"})


def statement_sources(cursor, store: Store, event: dict) -> pd.DataFrame:
    """Every article that reports `event`'s statement (the rows sharing its statement_id), earliest
    first: the columns of `evidence.statement_sources`. Only the months around the statement's
    date are read (reports of one statement are dated within a day of each other)."""
    statement = str(event.get("statement_id") or event.get("event_id"))
    day = date.fromisoformat(str(event["date"])[:10])
    months = {f"{d:%Y-%m}" for d in (day - timedelta(days=31), day, day + timedelta(days=31))}
    files = [f for f in store.files if any(f"month={m}" in f for m in months)] or store.files
    frame = cursor.execute(
        f"SELECT {', '.join(SOURCE_COLUMNS)} FROM {store.parquet(files)} WHERE coalesce(nullif(statement_id, ''), event_id) = ? "
        "ORDER BY published, source",
        [statement],
    ).df()
    frame = frame.astype("string").fillna("")
    return frame.drop_duplicates("doc_id").reset_index(drop=True)


def export_csv(cursor, store: Store, filters: Filters, limit: int = EXPORT_LIMIT) -> bytes:
    """The matching events (at most `limit`) as CSV in the schema's columns, written batch by
    batch from DuckDB's Arrow stream (no table of them is built in pandas)."""
    where, params = conditions(filters, store)
    columns = store.selected(EVENT_COLUMNS)
    reader = cursor.sql(
        f"""SELECT {columns} FROM {store.parquet()} p
        SEMI JOIN (SELECT file, rn FROM rows WHERE {where} ORDER BY d DESC, file DESC, rn LIMIT {int(limit)}) m
        ON p.file_index = m.file AND p.file_row_number = m.rn""",
        params=params,
    ).to_arrow_reader(batch_size=100_000)
    sink = io.BytesIO()
    writer = None
    for batch in reader:
        if writer is None:
            writer = pacsv.CSVWriter(sink, batch.schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
        writer.write_batch(batch)
    if writer is None:
        return ",".join(EVENT_COLUMNS).encode() + b"\n"
    writer.close()
    return sink.getvalue()


@dataclass(frozen=True, eq=False)
class StoreExport:
    """The download button's data: the matching events as CSV (`export_csv`), built on a click
    only, on a connection of its own (the click is served outside the rerun)."""

    store: Store
    filters: Filters

    def __call__(self) -> bytes:
        return export_csv(self.store.cursor(), self.store, self.filters)


# --- one rerun ----------------------------------------------------------------------------


@dataclass
class StoreView:
    """What the app shows for one set of filters on a store (the store's `charts.View`). The
    evidence table is read when first asked for, so that the app can send the charts first."""

    matching: int
    speakers: int
    labels: list[str]  # the legend groups
    case: str  # the SQL giving a row its group's code
    charts: Charts
    timings: dict[str, float]
    read_table: Callable[[], pd.DataFrame]

    @cached_property
    def table(self) -> pd.DataFrame:
        return self.read_table()


def build_store_view(cursor, store: Store, filters: Filters, *, point_limit: int, table_limit: int) -> StoreView:
    """Filter and aggregate: the per-rerun work of the dashboard on a store. The timeline's
    points and the evidence table are read when first asked for (`charts.Charts`)."""
    lap = Laps()

    actors = actor_counts(cursor, store, filters)
    case, labels = group_case(store, actors, filters.group_by, filters.top_n)
    lap("groups")
    light, groups = aggregate(cursor, store, filters, case, labels)
    lap("filter")
    charts = draw_charts(light, groups, store.ranked[filters.group_by], lambda: sample_points(cursor, store, filters, case, point_limit), filters)
    lap("aggregate")
    matching = int(actors[WEIGHT].sum())
    return StoreView(
        matching,
        int(actors.loc[actors[WEIGHT] > 0, "speaker"].nunique()),
        labels,
        case,
        charts,
        lap.timings,
        lambda: evidence_table(cursor, store, filters, table_limit),
    )


def pick_conditions(store: Store, view: StoreView, group: str, week: date) -> tuple[str, list]:
    """The extra condition for a heatmap cell's statements: its group and week."""
    code = view.labels.index(group) if group in view.labels else -1
    start = (week - EPOCH).days - store.offset
    return f"({view.case}) = ? AND d BETWEEN ? AND ?", [code, start, start + 6]


def pick_count(cursor, store: Store, filters: Filters, extra: str, extra_params: list) -> int:
    where, params = conditions(filters, store)
    return int(cursor.execute(f"SELECT count(*) FROM rows WHERE {where} AND {extra}", params + extra_params).fetchall()[0][0])


__all__ = [
    "EXPORT_LIMIT",
    "Store",
    "StoreQueryError",
    "StoreExport",
    "StoreView",
    "as_evidence_table",
    "actor_counts",
    "aggregate",
    "build_store_view",
    "conditions",
    "data_files",
    "on_days",
    "event_row",
    "evidence_table",
    "export_csv",
    "group_case",
    "open_store",
    "pick_conditions",
    "pick_count",
    "read_rows",
    "sample_points",
    "speaker_options",
    "statement_sources",
    "store_version",
]
