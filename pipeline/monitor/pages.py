"""Article pages: fetched (`fetch_articles`, several sites at a time) and read into `Article`s
(`page_article`: text, title and date by trafilatura).

A page goes through the same reader as a saved `.html` input (`ingest.read_html`), so a page
gives the same article whether it was fetched or saved. What the feed said fills the gaps: its
title when the page has none, the feed's title as the outlet, and for the date the entry's day,
else the day the entry was first seen in its feed (a page's own date always wins).
"""
from __future__ import annotations

import codecs
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit

from ..errors import ProblemWith
from ..extraction.ingest import InputError, read_html
from ..schema import Article
from .feeds import Entry
from .fetch import Fetcher, Page

FETCH_THREADS = 8  # sites whose pages are fetched at the same time


class PageError(ProblemWith):
    """A fetched page with no article in it; `str()` is `url: problem`."""


def page_article(entry: Entry, page: Page, *, first_seen: date) -> Article:
    """The article on `page`, the page `entry` links to. Raises `PageError`.

    The article's `doc_id` and `url` are the entry's url (the one the feed gave, which is what
    the monitor remembers as seen), and `input_file` is the feed it came from.
    """
    html = _as_utf8(entry.url, page)
    results = list(read_html(entry.url, html, published=entry.published or first_seen))
    article = next((item for item in results if isinstance(item, Article)), None)
    if article is None:
        problem = next((item.problem for item in results if isinstance(item, InputError)), "no article found in the page")
        raise PageError(entry.url, problem)
    return replace(
        article,
        doc_id=entry.url,
        url=entry.url,
        title=article.title or entry.title,
        source=article.source or entry.source or urlsplit(entry.url).netloc,
        input_file=entry.feed,
    )


def fetch_articles(
    fetcher: Fetcher, pages: Sequence[tuple[Entry, date]], *, threads: int = FETCH_THREADS
) -> dict[str, Article | Exception]:
    """The article of each (entry, day first seen), by entry url, or the exception it failed with.

    Up to `threads` sites are fetched at the same time, each site's pages one after another (so
    the fetcher's per-host turns hold, and a slow site holds up only its own pages).
    """
    by_site: dict[str, list[tuple[Entry, date]]] = {}
    for entry, first_seen in pages:
        by_site.setdefault(urlsplit(entry.url).netloc.lower(), []).append((entry, first_seen))
    stop = threading.Event()  # set when the caller is interrupted: each thread ends after its current page

    def fetch_site(site_pages: list[tuple[Entry, date]]) -> dict[str, Article | Exception]:
        outcomes: dict[str, Article | Exception] = {}
        for entry, first_seen in site_pages:
            if stop.is_set():
                break
            try:
                outcomes[entry.url] = page_article(entry, fetcher.get(entry.url), first_seen=first_seen)
            except Exception as exc:  # noqa: BLE001 - the page's outcome: one page must not stop the others
                outcomes[entry.url] = exc
        return outcomes

    outcomes: dict[str, Article | Exception] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, min(threads, len(by_site))), thread_name_prefix="fetch")
    try:
        for site_outcomes in pool.map(fetch_site, by_site.values()):
            outcomes.update(site_outcomes)
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
    return outcomes


def _as_utf8(url: str, page: Page) -> bytes:
    """The page's bytes as UTF-8 when its Content-Type header names another charset.

    Without a charset in the header the bytes are left to the reader, which reads UTF-8 or
    the charset a `<meta>` tag declares.
    """
    charset = page.charset
    if not charset:
        return page.content
    try:
        if codecs.lookup(charset).name == "utf-8":
            return page.content
        return page.content.decode(charset).encode("utf-8")
    except LookupError:
        return page.content  # an unknown charset name: the reader decides
    except UnicodeDecodeError as exc:
        raise PageError(url, f"cannot decode as its declared charset {charset!r} (byte offset {exc.start})") from None
