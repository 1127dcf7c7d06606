"""Watching feeds: one cycle reads every feed, fetches the pages of its new entries, extracts
their statements and appends them to the event store; `watch` repeats cycles.

A cycle: (1) each feed is fetched with a conditional GET and its entries not seen before join
the pages to do; (2) each page to do is fetched and read into an `Article`, several sites at the
same time and each site's pages in turn, at the pace the fetcher allows it; (3) the articles the
store does not already hold (by their fingerprint) go through the extraction; (4) their events
and fingerprints are committed to the store; (5) only then is the state saved: the pages done
are remembered as seen and the feeds' validators kept. A feed or page that fails is reported
with its url and problem and the rest go on; a failed page is tried again next cycle (up to
`max_attempts` cycles), a failed feed is simply fetched again. A cycle killed before (5) is
repeated whole by the next one, and the store, which knows the articles already committed,
adds nothing twice.

Library code: nothing here prints; `watch` hands each cycle's `CycleReport` to a callback.
"""
from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..runner import ExtractionError, article_fingerprint, process_articles, processing_fingerprint
from ..schema import Article
from ..store.dataset import EventStore
from .feeds import Entry, FeedError, parse_feed
from .fetch import Disallowed, Fetcher, FetchError
from .pages import FETCH_THREADS, PageError, fetch_articles
from .state import FeedState, PendingPage, WatchState, load_state, save_state

if TYPE_CHECKING:
    import pandas as pd

    from ..extraction.ingest import InputError

MAX_ATTEMPTS = 5  # cycles a page is tried before it is given up on

# The extraction step: articles in, their events out; failures appended to the list given.
Extract = Callable[[Sequence[Article], list["InputError"]], "pd.DataFrame"]


@dataclass(frozen=True)
class Failure:
    """A feed or page that failed this cycle."""

    kind: str  # "feed" or "page"
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.kind} {self.url}: {self.problem}"


@dataclass
class CycleReport:
    cycle: int  # 1 for a store's first cycle
    feeds: int = 0
    feeds_failed: int = 0
    pages: int = 0  # pages tried: new entries and pages failed before
    pages_failed: int = 0
    disallowed: int = 0  # pages robots.txt forbids: never fetched
    articles: int = 0  # articles committed to the store
    statements: int = 0  # their events
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.feeds_failed == 0 and self.pages_failed == 0

    def line(self) -> str:
        """The cycle's progress line: `cycle 3: 3 feeds (1 failed), 12 new pages (1 failed), 57 statements, 4.2 s`."""
        feeds = f"{self.feeds} feed{'s' * (self.feeds != 1)}" + (f" ({self.feeds_failed} failed)" if self.feeds_failed else "")
        notes = [f"{self.pages_failed} failed"] * bool(self.pages_failed)
        notes += [f"{self.disallowed} disallowed by robots.txt"] * bool(self.disallowed)
        pages = f"{self.pages} new page{'s' * (self.pages != 1)}" + (f" ({', '.join(notes)})" if notes else "")
        return f"cycle {self.cycle}: {feeds}, {pages}, {self.statements} statements, {self.seconds:.1f} s"


def run_cycle(
    feed_urls: Sequence[str],
    store: EventStore,
    *,
    fetcher: Fetcher,
    extract: Extract,
    processing: str,
    today: date | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    fetch_threads: int = FETCH_THREADS,
) -> CycleReport:
    """One cycle over `feed_urls`, appending to `store`, whose folder keeps the watch's state.

    `processing` is `runner.processing_fingerprint` for the extraction `extract` runs. Raises
    `StateError` or `StoreError` when the state or the store cannot be read or written (the
    state is then left as it was), `RunError` when the extractor cannot be loaded.
    """
    started = time.perf_counter()
    today = today or date.today()
    state = load_state(store.directory)
    report = CycleReport(cycle=state.cycles + 1, feeds=len(feed_urls))
    state.feeds = {url: state.feeds.get(url, FeedState()) for url in feed_urls}
    state.pending = {url: page for url, page in state.pending.items() if page.feed in state.feeds}

    for feed_url in feed_urls:
        try:
            entries = _read_feed(fetcher, feed_url, state.feeds[feed_url])
        except (FetchError, FeedError) as exc:
            feed = state.feeds[feed_url]
            feed.problem = exc.problem if isinstance(exc, FetchError) else str(exc)
            feed.failures += 1
            streak = f" ({feed.failures} cycles in a row)" if feed.failures > 1 else ""
            report.feeds_failed += 1
            report.failures.append(Failure("feed", feed_url, f"{feed.problem}{streak}; will try again next cycle"))
            continue
        for entry in entries:
            if entry.url not in state.seen and entry.url not in state.pending:
                state.pending[entry.url] = PendingPage.from_entry(entry, today)

    articles, failed = _fetch_pages(fetcher, state, report, fetch_threads)
    done = _store_articles(articles, store, extract, processing, failed, report)
    for url in done:
        state.seen[url] = state.pending.pop(url).first_seen
    for url, problem in failed.items():
        page = state.pending[url]
        page.attempts += 1
        page.problem = problem
        if page.attempts >= max_attempts:
            state.seen[url] = state.pending.pop(url).first_seen
            problem += f"; giving up after {page.attempts} attempts"
        else:
            problem += "; will try again next cycle"
        report.failures.append(Failure("page", url, problem))
    report.pages_failed = len(failed)

    state.cycles += 1
    state.forget_old(today)
    save_state(store.directory, state)
    report.seconds = time.perf_counter() - started
    return report


def _read_feed(fetcher: Fetcher, feed_url: str, feed: FeedState) -> list[Entry]:
    """The feed's entries, or none when it has not changed since the last answer (304)."""
    page = fetcher.get(feed_url, etag=feed.etag, last_modified=feed.last_modified)
    if not page.not_modified:
        entries = parse_feed(feed_url, page.content)
        feed.entries = [entry.url for entry in entries]
    else:
        entries = []
    # validators are kept only once the answer was read: a feed that failed is fetched whole again
    feed.etag = page.etag or feed.etag
    feed.last_modified = page.last_modified or feed.last_modified
    feed.problem = ""
    feed.failures = 0
    return entries


def _fetch_pages(
    fetcher: Fetcher, state: WatchState, report: CycleReport, threads: int
) -> tuple[list[Article], dict[str, str]]:
    """The articles of the pages to do, in order, and the problem of each page that failed (by url)."""
    to_fetch = [(page.entry(), date.fromisoformat(page.first_seen)) for page in state.pending.values()]
    outcomes = fetch_articles(fetcher, to_fetch, threads=threads)
    articles: list[Article] = []
    failed: dict[str, str] = {}
    for url in list(state.pending):
        outcome = outcomes[url]
        if isinstance(outcome, Article):
            articles.append(outcome)
        elif isinstance(outcome, Disallowed):
            report.disallowed += 1
            state.seen[url] = state.pending.pop(url).first_seen
            report.failures.append(Failure("page", url, f"{outcome.problem}; not fetched"))
            continue
        elif isinstance(outcome, (FetchError, PageError)):
            failed[url] = outcome.problem
        else:  # a reader bug on one page must not stop the others
            failed[url] = f"{type(outcome).__name__}: {outcome}"
        report.pages += 1
    return articles, failed


def _store_articles(
    articles: list[Article], store: EventStore, extract: Extract, processing: str, failed: dict[str, str], report: CycleReport
) -> list[str]:
    """Extract and commit the articles the store does not hold yet; the urls done.

    An article whose extraction fails is added to `failed` and left out of the commit.
    """
    fingerprints = {a.doc_id: article_fingerprint(a, processing) for a in articles}
    known = store.fingerprints()
    todo = [a for a in articles if known.get(a.doc_id) != fingerprints[a.doc_id]]
    errors: list[InputError] = []
    events = extract(todo, errors) if todo else None
    for error in errors:
        if isinstance(error, ExtractionError):
            failed[error.doc_id] = error.problem
    committed = {a.doc_id: fingerprints[a.doc_id] for a in todo if a.doc_id not in failed}
    if committed:
        store.commit(store.write_parts(events), committed)
        report.articles = len(committed)
        report.statements = len(events)
    return [a.doc_id for a in articles if a.doc_id not in failed]


def watch(
    feed_urls: Sequence[str],
    store: EventStore,
    *,
    fetcher: Fetcher,
    extract: Extract,
    processing: str,
    every: float | None = None,
    on_cycle: Callable[[CycleReport], None] = lambda report: None,
    max_attempts: int = MAX_ATTEMPTS,
    fetch_threads: int = FETCH_THREADS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> CycleReport:
    """Run cycles: one when `every` is None, else one every `every` seconds (from the start of one
    to the start of the next; at once when a cycle took longer) until interrupted. Returns the
    last cycle's report. The watch is the store's one writer while it runs (`EventStore.writing`).
    """
    with store.writing():
        while True:
            started = clock()
            report = run_cycle(feed_urls, store, fetcher=fetcher, extract=extract, processing=processing,
                               max_attempts=max_attempts, fetch_threads=fetch_threads)
            on_cycle(report)
            if every is None:
                return report
            sleep(max(0.0, started + every - clock()))


def local_extract(*, workers: int | None = None, model_name: str | None = None) -> tuple[Extract, str]:
    """The extraction a watch runs, and its processing fingerprint: `runner.process_articles` with
    the extractor loaded once for the whole watch, not once per cycle."""

    def extract(articles: Sequence[Article], errors: list[InputError]) -> pd.DataFrame:
        return process_articles(articles, workers=workers, model_name=model_name, errors=errors,
                                extractor_factory=_shared_extractor)

    return extract, processing_fingerprint(model_name)


@functools.cache
def _shared_extractor(model_name: str | None, **options):
    """`Extractor.default`, loaded once per process (a module-level function: a pool can import it)."""
    from ..extraction.extract import Extractor

    return Extractor.default(model_name, **options)
