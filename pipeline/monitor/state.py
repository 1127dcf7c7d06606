"""What a watch remembers between cycles, in one JSON file in the store folder.

Per feed: its validators for a conditional GET (ETag, Last-Modified), the page urls it listed
last, and its last problem. Per page: the day it was first seen, once it is done (stored, or
given up on); the pages still to do (`pending`: failed, to be tried again next cycle) with
their feed entry, attempts and last problem. The file is written atomically, so a watch killed
mid-write leaves the previous state.

`seen` would grow without end; a url is forgotten once no feed lists it any more and it was
first seen more than `FORGET_AFTER_DAYS` ago. Should a feed list it again, it is fetched once
more and the store, which knows the article, adds nothing.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..errors import ProblemWith
from .feeds import Entry

STATE_FILE = "watch-state.json"
STATE_VERSION = 1
FORGET_AFTER_DAYS = 30


class StateError(ProblemWith):
    """The state file cannot be read or written; `str()` names the file and the problem."""


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    entries: list[str] = field(default_factory=list)  # the page urls of its last readable answer
    problem: str = ""  # why the last attempt failed; "" when it worked
    failures: int = 0  # failed attempts in a row


@dataclass
class PendingPage:
    """A page to fetch (again): its feed entry, when it was first seen, and how it went so far."""

    url: str
    feed: str
    title: str = ""
    published: str = ""  # the entry's day, YYYY-MM-DD, or ""
    source: str = ""
    first_seen: str = ""  # YYYY-MM-DD
    attempts: int = 0
    problem: str = ""

    @classmethod
    def from_entry(cls, entry: Entry, today: date) -> PendingPage:
        published = entry.published.isoformat() if entry.published else ""
        return cls(url=entry.url, feed=entry.feed, title=entry.title, published=published, source=entry.source,
                   first_seen=today.isoformat())

    def entry(self) -> Entry:
        published = date.fromisoformat(self.published) if self.published else None
        return Entry(url=self.url, feed=self.feed, title=self.title, published=published, source=self.source)


@dataclass
class WatchState:
    cycles: int = 0  # cycles completed
    feeds: dict[str, FeedState] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)  # page url -> the day first seen, YYYY-MM-DD
    pending: dict[str, PendingPage] = field(default_factory=dict)

    def forget_old(self, today: date) -> None:
        """Drop the seen urls no feed lists any more that were first seen long ago."""
        listed = {url for feed in self.feeds.values() for url in feed.entries}
        cutoff = (today - timedelta(days=FORGET_AFTER_DAYS)).isoformat()
        self.seen = {url: day for url, day in self.seen.items() if url in listed or day >= cutoff}


def state_path(store_dir: str | Path) -> Path:
    return Path(store_dir) / STATE_FILE


def load_state(store_dir: str | Path) -> WatchState:
    """The state kept in `store_dir`; a fresh one when there is none yet. Raises `StateError`."""
    path = state_path(store_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return WatchState()
    except OSError as exc:
        raise StateError(path, f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise StateError(path, f"not a watch state file ({exc}); delete it to start afresh") from None
    try:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"version {data.get('version')!r}, expected {STATE_VERSION}")
        return WatchState(
            cycles=int(data["cycles"]),
            feeds={url: FeedState(**feed) for url, feed in data["feeds"].items()},
            seen={str(url): str(day) for url, day in data["seen"].items()},
            pending={url: PendingPage(**page) for url, page in data["pending"].items()},
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise StateError(path, f"not a watch state file ({type(exc).__name__}: {exc}); delete it to start afresh") from None


def save_state(store_dir: str | Path, state: WatchState) -> None:
    """Write the state into `store_dir` atomically. Raises `StateError`."""
    path = state_path(store_dir)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = {"version": STATE_VERSION, **asdict(state)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temp, path)
    except OSError as exc:
        raise StateError(path, f"cannot write: {exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)
