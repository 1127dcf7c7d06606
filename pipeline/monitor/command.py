"""The `watch` command: its options, and what it prints (on stderr, as `run` does).

One progress line per cycle, then one indented line per feed or page that failed:

    cycle 3: 3 feeds (1 failed), 12 new pages (1 failed), 57 statements, 4.2 s
      feed https://example.org/rss: HTTP 500 Internal Server Error; will try again next cycle
      page https://example.org/a/7: timed out (no answer within 15 s); will try again next cycle

Only the standard library is imported until the command runs, so that building the parser
costs the other commands nothing.
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .watch import CycleReport

DEFAULT_EVERY = 15 * 60.0
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smh])")
_UNITS = {"s": 1, "m": 60, "h": 3600}

DESCRIPTION = """\
Follow RSS and Atom feeds: every cycle, fetch the pages of the feeds' new entries, extract the
statements in them and append them to the event store DIR. A feed or page that fails is
reported and tried again next cycle; the others go on. What was seen is kept in DIR, so a
watch can be stopped and started again without fetching anything twice."""

EPILOG = """\
the feeds file: one feed url per line; "#" at the start of a line or after a space starts a comment.

politeness: robots.txt is obeyed, at most one request per second goes to a host (or one per
its robots.txt Crawl-delay), feeds are asked for with a conditional GET, and every request names
the project in its User-Agent (EscalationTimeline/VERSION).

examples:
  python -m pipeline watch --feeds feeds.txt --store store/ --once
  python -m pipeline watch --feeds feeds.txt --store store/ --every 30m

exit status (with --once): 0 when every feed and page was read, 1 when one failed or the run
failed, 2 for a bad command line; without --once the watch runs until interrupted (130)."""


def parse_duration(value: str) -> float:
    """Seconds in `30s`, `15m`, `1.5h`."""
    match = _DURATION.fullmatch(value.strip())
    seconds = float(match.group(1)) * _UNITS[match.group(2)] if match else 0.0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"not a duration: {value!r} (expected e.g. 30s, 15m, 1h)")
    return seconds


def add_parser(commands, formatter, positive_int) -> None:
    """Add the `watch` command to the command line's subparsers."""
    parser = commands.add_parser(
        "watch", help="follow news feeds, appending their articles' statements to an event store",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=formatter,
    )
    parser.add_argument("--feeds", required=True, metavar="FILE", help="the feeds file: one RSS or Atom feed url per line")
    parser.add_argument("--store", required=True, metavar="DIR", help="the event store to append to (created when missing)")
    parser.add_argument("--every", type=parse_duration, default=DEFAULT_EVERY, metavar="DURATION",
                        help="from the start of one cycle to the next: 30s, 15m, 2h (default: 15m)")
    parser.add_argument("--once", action="store_true", help="run one cycle and stop")
    parser.add_argument("--workers", type=positive_int, metavar="N",
                        help="processes for the extraction of a cycle's pages (default: as for run)")
    parser.add_argument("--model", metavar="NAME",
                        help="the spaCy model (default: $ESCALATION_SPACY_MODEL, else an installed en_core_web_sm)")


def watch_command(args: argparse.Namespace) -> int:
    from ..extraction.worker import RunError
    from ..store.dataset import EventStore
    from ..store.tables import StoreError
    from .feeds import FeedListError, read_feed_list
    from .fetch import Fetcher
    from .state import StateError
    from .watch import local_extract, watch

    try:
        feed_urls = read_feed_list(args.feeds)
    except FeedListError as exc:
        print(f"error: feeds file {exc}", file=sys.stderr)
        return 1
    extract, processing = local_extract(workers=args.workers, model_name=args.model)
    try:
        with Fetcher() as fetcher:
            report = watch(
                feed_urls, EventStore(args.store), fetcher=fetcher, extract=extract, processing=processing,
                every=None if args.once else args.every, on_cycle=print_cycle,
            )
    except (RunError, StoreError, StateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0 if report.ok else 1


def print_cycle(report: CycleReport) -> None:
    print(report.line(), file=sys.stderr)
    for failure in report.failures:
        print(f"  {failure}", file=sys.stderr)
    sys.stderr.flush()
