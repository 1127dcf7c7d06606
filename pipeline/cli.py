"""The command line: a thin layer over `runner.process_paths`.

Everything the user sees is written here, on stderr: one `error: ...` line per failed input,
a progress bar when stderr is a terminal, and a summary. Library errors become those lines;
a traceback means a bug.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

from .cluster import DaskEngine
from .extraction.ingest import SUPPORTED_EXTENSIONS
from .monitor import command as watch_cli
from .runner import CHUNK_SIZE, RunError, RunReport, default_workers, process_paths
from .store.dataset import EventStore
from .store.tables import StoreError

PROG = "python -m pipeline"

DESCRIPTION = "Escalation-signal timeline: find the dated statements officials make in news articles."
EPILOG = f"""\
example:
  {PROG} run news/ --out events.csv
  {PROG} watch --feeds feeds.txt --store store/

Run `{PROG} run --help` or `{PROG} watch --help` for the options."""

RUN_DESCRIPTION = """\
Read the articles in each INPUT, find the statements attributed to officials, and write one
row per statement to the events table --out, or append them to the event store --store (or
both). A re-run with the same --out or --store only processes the articles that are new or
changed since the last run (or everything with --force). A store is committed batch by batch:
a run that is killed resumes from its last committed batch; query it with DuckDB
(`read_parquet('DIR/events/*/*.parquet', hive_partitioning=true)`)."""

RUN_EPILOG = f"""\
input formats:
  .txt          a news page saved as text; the date comes from a first line such as
                "- The Daily Example - Thursday, January 9, 2020", else a dateline, else --published
  .jsonl .json  one JSON object per line (or a JSON array) with text, published (YYYY-MM-DD),
                and optionally id, url, source, title
  .csv          the same columns, with a header row
  .html .htm    a saved article page (text, title and date are taken from the page)

examples:
  {PROG} run news/ --out events.csv
  {PROG} run extra.jsonl pages/ --out events.parquet --published 2020-01-09 --workers 1
  {PROG} run news/ --store events-store/
  {PROG} run archive/ --store /shared/store --engine dask --scheduler tcp://10.0.0.5:8786

exit status: 0 when every input was read; 1 when an input failed (the others are still
written) or the run failed; 2 for a bad command line."""


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG, formatter_class=formatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    run = commands.add_parser(
        "run", help="extract statements from articles into an events table",
        description=RUN_DESCRIPTION, epilog=RUN_EPILOG, formatter_class=formatter,
    )
    run.add_argument("inputs", nargs="+", metavar="INPUT",
                     help=f"article files ({' '.join(SUPPORTED_EXTENSIONS)}) or folders, searched recursively")
    run.add_argument("--out", metavar="PATH",
                     help="the events table to write: .csv (UTF-8) or .parquet")
    run.add_argument("--store", metavar="DIR",
                     help="the event store to append to: a folder of Parquet files by month (created when missing)")
    run.add_argument("--batch-size", type=positive_int, default=CHUNK_SIZE, metavar="N",
                     help=f"articles extracted together, and committed together to --store (default: {CHUNK_SIZE})")
    run.add_argument("--published", type=parse_day, metavar="YYYY-MM-DD",
                     help="the date of articles that give none (an article's own date always wins)")
    run.add_argument("--force", action="store_true", help="process every article again, ignoring the previous run")
    run.add_argument("--workers", type=positive_int, metavar="N",
                     help=f"processes for the extraction (default: {default_workers()}); 1 runs it in this process")
    run.add_argument("--model", metavar="NAME",
                     help="the spaCy model (default: $ESCALATION_SPACY_MODEL, else an installed en_core_web_sm)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar (one is shown only on a terminal)")
    run.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="local: this process or a pool of --workers processes (default); dask: a Dask cluster, "
                          "the one at --scheduler or else a local one of --workers processes")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --engine dask: the address of a running Dask scheduler, e.g. tcp://host:8786; "
                          "it and its workers must run this same project, and with --store the workers write "
                          "into DIR, which must be at the same path on their machines")
    watch_cli.add_parser(commands, formatter, positive_int)
    return parser


def cli(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if args.command == "watch":
        return watch_cli.watch_command(args)
    if args.command == "run" and args.scheduler and args.engine != "dask":
        parser.error("--scheduler needs --engine dask")
    if args.command == "run" and args.out is None and args.store is None:
        parser.error("the following arguments are required: --out or --store (or both)")
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    show_progress = not args.no_progress and sys.stderr.isatty()
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="article", file=sys.stderr, dynamic_ncols=True, leave=False)
        bar.update(done - bar.n)

    try:
        report = process_paths(
            args.inputs, published=args.published, out=args.out, force=args.force,
            workers=args.workers, model_name=args.model, progress=progress if show_progress else None,
            engine=engine(args), store=args.store, chunk_size=args.batch_size,
        )
        stored = EventStore(args.store).counts() if args.store is not None else None
    except (RunError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(summary(report, args.out, store=args.store, stored=stored), file=sys.stderr)
    return 0 if report.ok else 1


def engine(args: argparse.Namespace) -> DaskEngine | None:
    """The Dask engine the options ask for; None for the local engine."""
    if args.engine != "dask":
        return None
    return DaskEngine(scheduler=args.scheduler, workers=args.workers or default_workers())


def summary(report: RunReport, out: str | None, *, store: str | None = None, stored: tuple[int, int] | None = None) -> str:
    """The closing lines of a run, for stderr; `stored` is the store's (articles, events) after it."""
    seconds = max(report.seconds, 1e-9)
    lines = [
        f"articles: {report.articles} read from {report.files} file(s), {report.processed} processed, "
        f"{report.skipped} unchanged and skipped",
    ]
    if out is not None:
        written = f"written to {out}" if report.written else f"nothing read: {out} left unchanged"
        lines.append(f"statements: {report.statements} events {written}")
    if store is not None:
        articles, events = stored or (0, 0)
        lines.append(f"store: {report.stored} events committed to {store} (it holds {events} events of {articles} articles)")
    events = report.statements if out is not None else report.stored
    return "\n".join([
        *lines,
        f"failed inputs: {len(report.errors)}",
        f"elapsed: {report.seconds:.1f} s ({report.articles / seconds:.1f} articles/s, "
        f"{events / seconds:.1f} events/s)",
    ])
