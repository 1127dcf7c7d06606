"""The dashboard's data in and out, without Streamlit: loading, the demo build, uploads, export.

- Which events to show: `events_source(argv, environ)` reads `--events PATH` (after `--` on the
  `streamlit run` line) or $ESCALATION_EVENTS; `store_source` reads `--store DIR` or
  $ESCALATION_STORE (an event store, queried with DuckDB: `store_queries`); with neither, the
  app shows the demo.
- The demo: `load_demo_events` runs the pipeline over `data/demo/` once and keeps the table
  in `.cache/demo_events.parquet`, keyed by a fingerprint of the demo files, the pipeline's
  code and its data files; later starts read the cached table. `run_demo_pipeline` is the one
  call into the runner for it.
- Uploads: `process_upload(name, data)` reads an uploaded article file with the same readers
  as the command line and runs the pipeline on it; `process_pasted` does the same for a pasted
  text; `read_events_upload` reads an uploaded events table. They never raise for bad input:
  the problems come back as messages naming the file.
- Export: `events_csv_bytes(frame)` is the CSV of the events in the schema's columns and order.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .. import runner
from ..store import tables
from ..datafiles import DATA_DIR
from ..schema import EVENT_COLUMNS, Article, conform_events_frame, events_to_frame

EVENTS_ENV_VAR = "ESCALATION_EVENTS"
STORE_ENV_VAR = "ESCALATION_STORE"
PROJECT_DIR = DATA_DIR.parent
DEMO_DIR = DATA_DIR / "demo"
CACHE_DIR = PROJECT_DIR / ".cache"
DEMO_CACHE_NAME = "demo_events.parquet"
ARTICLE_TYPES = ("txt", "jsonl", "csv", "html")
EVENTS_TYPES = ("csv", "parquet")

Progress = Callable[[int, int], None]


# --- where the events come from -----------------------------------------------------------


def events_source(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> Path | None:
    """The events file named by `--events PATH` in `argv`, else by $ESCALATION_EVENTS, else None.

    `argv` is what follows the script name (`streamlit run app.py -- --events x.csv` gives
    `["--events", "x.csv"]`); other arguments are ignored.
    """
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--events")
    known, _ = parser.parse_known_args(list(argv))
    chosen = known.events or environ.get(EVENTS_ENV_VAR, "").strip()
    return Path(chosen).expanduser() if chosen else None


def store_source(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> Path | None:
    """The event store folder named by `--store DIR` in `argv`, else by $ESCALATION_STORE, else None."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    known, _ = parser.parse_known_args(list(argv))
    chosen = known.store or environ.get(STORE_ENV_VAR, "").strip()
    return Path(chosen).expanduser() if chosen else None


def read_events_file(path: str | Path) -> pd.DataFrame:
    """An events table from disk (`tables.StoreError` names the file and the problem)."""
    return tables.read_events(path)


# --- the demo -----------------------------------------------------------------------------


@dataclass
class DemoBuild:
    """The demo's events and how they were obtained."""

    events: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    articles: int = 0
    from_cache: bool = False
    seconds: float = 0.0


def demo_inputs(demo_dir: Path = DEMO_DIR) -> list[Path]:
    """The demo's article files (not its actor dictionary, which is not an article file)."""
    paths = [demo_dir / "articles.jsonl"] if (demo_dir / "articles.jsonl").is_file() else []
    pages = demo_dir / "pages"
    if pages.is_dir():
        paths += sorted(p for p in pages.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".html", ".htm"))
    return paths


def demo_resource_files(demo_dir: Path = DEMO_DIR) -> dict[str, list[Path]]:
    """The demo's own data files, used beside the real ones: its fictional actors and places."""
    found = {"actor_files": demo_dir / "actors.csv", "place_files": demo_dir / "places.csv"}
    return {option: [path] for option, path in found.items() if path.is_file()}


def demo_fingerprint(demo_dir: Path = DEMO_DIR) -> str:
    """Changes when a demo file, the pipeline's code or one of its data files changes."""
    digest = hashlib.sha256(runner.processing_fingerprint().encode())
    for path in sorted(p for p in demo_dir.rglob("*") if p.is_file()):
        digest.update(f"\n{path.relative_to(demo_dir).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def demo_cache_paths(cache_dir: Path = CACHE_DIR) -> tuple[Path, Path]:
    """The cached demo table and the file holding the fingerprint it was built for."""
    return cache_dir / DEMO_CACHE_NAME, cache_dir / (DEMO_CACHE_NAME + ".json")


def cached_demo(fingerprint: str, cache_dir: Path = CACHE_DIR) -> DemoBuild | None:
    """The cached demo build when it was made for `fingerprint`; None when it must be (re)built."""
    table, meta_path = demo_cache_paths(cache_dir)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("fingerprint") != fingerprint:
            return None
        events = tables.read_events(table)
    except (OSError, ValueError, tables.StoreError):
        return None
    return DemoBuild(events, list(meta.get("errors", [])), int(meta.get("articles", 0)), True, 0.0)


def run_demo_pipeline(paths: Sequence[Path], *, resources: Mapping[str, Sequence[Path]], out: Path, progress: Progress | None) -> runner.RunReport:
    """THE call that turns the demo articles into events (the one place to change).

    The demo has its own, fictional actor dictionary and places (`data/demo/actors.csv`,
    `data/demo/places.csv`), used beside the real ones: `resources` maps the runner's option
    names (`actor_files=`, `place_files=`) to those files.

    One worker: under `streamlit run` the runner's process pool cannot start (its forkserver
    re-imports the main module, which is then app.py), and for the demo's few dozen articles
    a pool is no faster anyway.
    """
    options = {name: list(files) for name, files in resources.items()}
    return runner.process_paths(list(paths), out=out, progress=progress, workers=1, **options)


def load_demo_events(*, demo_dir: Path = DEMO_DIR, cache_dir: Path = CACHE_DIR, progress: Progress | None = None) -> DemoBuild:
    """The demo's events: from the cache when it is current, else built with the pipeline.

    The build writes `cache_dir/demo_events.parquet` (through the runner, which also keeps a
    state file so that only changed articles are processed again) and then the fingerprint.
    Raises `runner.RunError` or `tables.StoreError` when the build itself fails.
    """
    fingerprint = demo_fingerprint(demo_dir)
    cached = cached_demo(fingerprint, cache_dir)
    if cached is not None:
        return cached
    paths = demo_inputs(demo_dir)
    if not paths:
        return DemoBuild(events_to_frame([]), [f"{demo_dir}: no demo articles found"])
    table, meta_path = demo_cache_paths(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    report = run_demo_pipeline(paths, resources=demo_resource_files(demo_dir), out=table, progress=progress)
    errors = [_relative(str(e)) for e in report.errors]
    if not report.written:
        tables.write_events(report.events, table)
    meta = {"fingerprint": fingerprint, "articles": report.articles, "errors": errors}
    meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return DemoBuild(report.events, errors, report.articles, False, report.seconds)


def _relative(message: str) -> str:
    """A message with the project's absolute path taken out, for display."""
    return message.replace(str(PROJECT_DIR) + os.sep, "")


# --- the user's own data ------------------------------------------------------------------


@dataclass
class UploadResult:
    """What came of one uploaded (or pasted) input: its events and the problems, if any."""

    name: str
    events: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    articles: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        found = f"{len(self.events):,} statement{'s' if len(self.events) != 1 else ''}"
        return f"{self.name}: {found} from {self.articles} article{'s' if self.articles != 1 else ''}"


def process_upload(
    name: str,
    data: bytes,
    *,
    published: date | None = None,
    progress: Progress | None = None,
) -> UploadResult:
    """Read one uploaded article file (`.txt`, `.jsonl`, `.csv`, `.html`) and extract its events.

    Bad records are reported and skipped, as on the command line; an unreadable file gives no
    events and a message naming it. `published` is the date for files that carry none.
    """
    from ..extraction.ingest import read_contents  # imported here: it pulls in the HTML reader

    name = Path(name).name or "upload"
    articles: list[Article] = []
    errors: list[str] = []
    if Path(name).suffix.lower().lstrip(".") not in ARTICLE_TYPES:
        errors.append(f"{name}: unsupported file type (upload one of: {', '.join('.' + t for t in ARTICLE_TYPES)})")
        return UploadResult(name, events_to_frame([]), errors)
    try:
        inputs = read_contents([(name, data)], published=published)
        articles, errors = list(inputs.articles), [_upload_hint(str(error)) for error in inputs.errors]
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take the dashboard down
        errors.append(f"{name}: could not be read ({type(exc).__name__}: {exc})")
    if not articles:
        if not errors:
            errors.append(f"{name}: no articles found")
        return UploadResult(name, events_to_frame([]), errors)
    return _extract(name, articles, errors, progress)


def _upload_hint(message: str) -> str:
    """A reader's message with the command line's advice (`give --published`) put in the
    dashboard's words."""
    return message.replace("give --published", "choose a date for articles that carry none")


def process_pasted(
    text: str, published: date | None, *, source: str = "", title: str = "", progress: Progress | None = None
) -> UploadResult:
    """Extract the events of a pasted article text dated `published`.

    The date is required: a pasted text has no header to read it from, and a statement's day
    ("on Tuesday") is counted from it.
    """
    name = "pasted text"
    if not text.strip():
        return UploadResult(name, events_to_frame([]), [f"{name}: the text is empty"])
    if published is None:
        return UploadResult(name, events_to_frame([]), [f"{name}: no publication date (choose the date the article was published)"])
    doc_id = "pasted-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    article = Article(doc_id=doc_id, text=text, published=published, source=source.strip(), title=title.strip(), input_file=name)
    return _extract(name, [article], [], progress)


def _extract(name: str, articles: list[Article], errors: list[str], progress: Progress | None) -> UploadResult:
    failures: list = []
    # One worker: see `run_demo_pipeline` (no process pool under `streamlit run`).
    try:
        events = runner.process_articles(articles, workers=1, progress=progress, errors=failures)
    except Exception as exc:  # noqa: BLE001 - RunError, or a bug: either way the data shown stays
        problem = str(exc) if isinstance(exc, runner.RunError) else f"{type(exc).__name__}: {exc}"
        return UploadResult(name, events_to_frame([]), errors + [f"{name}: the pipeline could not run ({problem})"], len(articles))
    return UploadResult(name, events, errors + [str(f) for f in failures], len(articles))


def read_events_upload(name: str, data: bytes) -> tuple[pd.DataFrame | None, str | None]:
    """An uploaded events table (`.csv` or `.parquet`): (the table, None) or (None, the problem)."""
    name = Path(name).name or "upload"
    suffix = Path(name).suffix.lower()
    if suffix.lstrip(".") not in EVENTS_TYPES:
        return None, f"{name}: unsupported file type {suffix or '(none)'!r} (an events table is .csv or .parquet)"
    with tempfile.TemporaryDirectory(prefix="events-upload-") as folder:
        path = Path(folder) / f"events{suffix}"
        path.write_bytes(data)
        try:
            return tables.read_events(path), None
        except tables.StoreError as exc:
            return None, f"{name}: {exc.problem}"


def merge_events(current: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The events of both tables in the schema; a new row replaces a current one with its event_id."""
    frames = [conform_events_frame(f) for f in (current, new) if len(f)]
    if not frames:
        return events_to_frame([])
    merged = pd.concat(frames, ignore_index=True)
    return merged.drop_duplicates("event_id", keep="last").reset_index(drop=True)


# --- export -------------------------------------------------------------------------------


def events_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The events as UTF-8 CSV bytes: exactly the schema's columns (`EVENT_COLUMNS`), in order.

    Written with pyarrow (25 times faster than `DataFrame.to_csv`: about a second for a million
    events); text fields are quoted. `tables.read_events` reads the bytes back to the same table.
    """
    table = pa.Table.from_pandas(conform_events_frame(frame), preserve_index=False)
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue()


@dataclass(frozen=True, eq=False)
class CsvExport:
    """The download button's data: the events at `rows` of `events`, as CSV when called.

    The app passes this (not bytes) to `st.download_button`, so the CSV is built only when the
    button is clicked, not on every rerun.
    """

    events: pd.DataFrame
    rows: np.ndarray

    @property
    def frame(self) -> pd.DataFrame:
        """The rows to export, in the schema."""
        rows = self.events if len(self.rows) == len(self.events) else self.events.iloc[self.rows]
        return conform_events_frame(rows.reset_index(drop=True))

    def __call__(self) -> bytes:
        return events_csv_bytes(self.frame)


__all__ = [
    "EVENT_COLUMNS",
    "CsvExport",
    "DemoBuild",
    "UploadResult",
    "events_csv_bytes",
    "events_source",
    "store_source",
    "load_demo_events",
    "merge_events",
    "process_pasted",
    "process_upload",
    "read_events_file",
    "read_events_upload",
    "run_demo_pipeline",
]
