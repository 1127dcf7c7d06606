"""The command line: a thin layer over `runner.process_paths`.

Everything the user sees is written here, on stderr: one `error: ...` line per failed input,
a progress bar when stderr is a terminal, and a summary. Library errors become those lines;
a traceback means a bug.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

from .extraction.ingest import SUPPORTED_EXTENSIONS
from .runner import RunError, RunReport, default_workers, process_paths
from .store.tables import StoreError

PROG = "python -m pipeline"

DESCRIPTION = "Escalation-signal timeline: find the dated statements officials make in news articles."
EPILOG = f"""\
example:
  {PROG} run news/ --out events.csv

Run `{PROG} run --help` for the options."""

RUN_DESCRIPTION = """\
Read the articles in each INPUT, find the statements attributed to officials, and write one
row per statement to the events table --out. A re-run with the same --out only processes the
articles that are new or changed since the last run (or everything with --force)."""

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
    run.add_argument("--out", required=True, metavar="PATH",
                     help="the events table to write: .csv (UTF-8) or .parquet")
    run.add_argument("--published", type=parse_day, metavar="YYYY-MM-DD",
                     help="the date of articles that give none (an article's own date always wins)")
    run.add_argument("--force", action="store_true", help="process every article again, ignoring the previous run")
    run.add_argument("--workers", type=positive_int, metavar="N",
                     help=f"processes for the extraction (default: {default_workers()}); 1 runs it in this process")
    run.add_argument("--model", metavar="NAME",
                     help="the spaCy model (default: $ESCALATION_SPACY_MODEL, else an installed en_core_web_sm)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar (one is shown only on a terminal)")
    return parser


def cli(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
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
        )
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
    print(summary(report, args.out), file=sys.stderr)
    return 0 if report.ok else 1


def summary(report: RunReport, out: str) -> str:
    """The closing lines of a run, for stderr."""
    seconds = max(report.seconds, 1e-9)
    written = f"written to {out}" if report.written else f"nothing read: {out} left unchanged"
    failed = len(report.errors)
    return "\n".join([
        f"articles: {report.articles} read from {report.files} file(s), {report.processed} processed, "
        f"{report.skipped} unchanged and skipped",
        f"statements: {report.statements} events {written}",
        f"failed inputs: {failed}",
        f"elapsed: {report.seconds:.1f} s ({report.articles / seconds:.1f} articles/s, "
        f"{report.statements / seconds:.1f} events/s)",
    ])
