"""The feed list (`feeds.txt`) and the entries of one RSS or Atom feed (feedparser).

`read_feed_list` reads the user's file: one feed url per line; `#` at the start of a line or
after a space starts a comment.
`parse_feed` turns a fetched feed into `Entry` records: the page url, the title and the day
the entry gives, in feed order. The url is made absolute and loses its #fragment and its
tracking parameters (`utm_source=rss`...), which differ from feed to feed for the same page:
the url is the article's identity in the store.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

from ..errors import ProblemWith, unreadable

_COMMENT = re.compile(r"\s#")
_TRACKING = re.compile(r"utm_\w+|fbclid|gclid|mc_cid|mc_eid", re.IGNORECASE)  # query parameters dropped


class FeedListError(ProblemWith):
    """The feeds file cannot be used; `str()` names the file and the problem."""


class FeedError(Exception):
    """A fetched feed that is not a readable RSS or Atom feed."""


@dataclass(frozen=True)
class Entry:
    """One item of a feed: the page it links to and what the feed says about it."""

    url: str
    feed: str  # the feed url it was listed in
    title: str = ""
    published: date | None = None  # the entry's own date (published, else updated)
    source: str = ""  # the feed's title


def read_feed_list(path: str | Path) -> list[str]:
    """The feed urls of a feeds file, in file order, each once.

    Raises `FeedListError` for a missing or unreadable file, a line that is not an http(s)
    url (naming the line), or a file with no feed at all.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedListError(path, unreadable(exc)) from None
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        # a comment is a line starting with "#" or "#" after a space (a url may hold "#")
        url = _COMMENT.split(line, maxsplit=1)[0].strip()
        if not url or url.startswith("#"):
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
            raise FeedListError(path, f"line {number}: not a feed url: {url!r} (expected http:// or https://)")
        if url not in urls:
            urls.append(url)
    if not urls:
        raise FeedListError(path, "no feed urls (one http(s) url per line; # starts a comment)")
    return urls


def parse_feed(feed_url: str, content: bytes) -> list[Entry]:
    """The entries of a fetched feed that link to a page, in feed order, each url once.

    Raises `FeedError` when the content is not RSS or Atom.
    """
    import feedparser  # imported here: only the monitor needs it

    parsed = feedparser.parse(content, response_headers={"content-location": feed_url})
    if not parsed.version:
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    source = (parsed.feed.get("title") or "").strip()
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = (item.get("link") or "").strip()
        if not link:
            continue
        url = page_url(feed_url, link)
        if url in seen or urlsplit(url).scheme not in ("http", "https"):
            continue
        seen.add(url)
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(Entry(
            url=url, feed=feed_url, title=(item.get("title") or "").strip(),
            published=date(*stamp[:3]) if stamp else None, source=source,
        ))
    return entries


def page_url(feed_url: str, link: str) -> str:
    """An entry's link made absolute, without its #fragment and its tracking parameters."""
    parts = urlsplit(urldefrag(urljoin(feed_url, link)).url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if not _TRACKING.fullmatch(key)]
    if len(kept) == len(pairs):
        return parts.geturl()  # untouched: re-encoding could change a url the site gave
    return parts._replace(query=urlencode(kept)).geturl()
