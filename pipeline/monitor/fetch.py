"""A polite HTTP client for the monitor, on requests.

Every request names the project in its User-Agent, honours robots.txt (read once per host and
kept for `robots_ttl` seconds), waits its turn per host (`min_interval`, or the host's longer
Crawl-delay), times out, and is retried with exponential backoff on connection failures,
timeouts and 429/5xx answers (urllib3's `Retry`, which also honours a `Retry-After` up to
`max_retry_after` seconds). A conditional GET (`etag` / `last_modified` from the previous
answer) comes back as a `Page` with status 304 and no content.

Any failure is a `FetchError` naming the url and the problem in a few words; robots.txt
forbidding a url is its subclass `Disallowed`. Delays (`clock`, `sleep`, `backoff`) are
parameters so that tests run without waiting.
"""
from __future__ import annotations

import email.message
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from ..errors import ProblemWith
from .. import __version__

ROBOTS_AGENT = "EscalationTimeline"  # the product token robots.txt rules are matched against
USER_AGENT = f"{ROBOTS_AGENT}/{__version__} (escalation-signal timeline news monitor; python-requests)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_BYTES = 10_000_000  # a news page or feed is far smaller; anything bigger is not one
MAX_CRAWL_DELAY = 60.0  # a larger Crawl-delay would stall a cycle; it is capped


class FetchError(ProblemWith):
    """A url that could not be fetched; `str()` is `url: problem`."""


class Disallowed(FetchError):
    """The site's robots.txt does not allow this url to be fetched."""


class BadStatus(FetchError):
    """The server answered, with a status other than 200 or 304 (after any retries)."""

    def __init__(self, url: str, status: int, reason: str):
        super().__init__(url, f"HTTP {status} {reason}".strip())
        self.status = status


@dataclass(frozen=True)
class Page:
    """One answer: status 200 with the body, or 304 (not modified) with none."""

    url: str
    status: int
    content: bytes = b""
    charset: str | None = None  # from the Content-Type header, when it names one
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """One HTTP session for a watch: connections, robots.txt rules and per-host turns are kept."""

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        retries: int = 2,
        backoff: float = 1.0,
        min_interval: float = 1.0,
        max_retry_after: int = 60,
        robots_ttl: float = 24 * 3600.0,
        user_agent: str = USER_AGENT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.timeout = timeout
        self.min_interval = min_interval
        self.robots_ttl = robots_ttl
        self._clock = clock
        self._sleep = sleep
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser, float]] = {}
        self._next_turn: dict[str, float] = {}  # host -> when it may be asked again
        self._crawl_delay: dict[str, float] = {}  # host -> its robots.txt Crawl-delay
        retry = Retry(
            total=retries, connect=retries, read=retries, status=retries, redirect=5,
            backoff_factor=backoff, status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
            raise_on_status=False, respect_retry_after_header=True, retry_after_max=max_retry_after,
        )
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page:
        """Fetch `url` if robots.txt allows it; with `etag` / `last_modified`, conditionally.

        Raises `Disallowed` when robots.txt forbids the url, `FetchError` for any other failure
        (no answer, an answer other than 200 or 304, a body over `MAX_BYTES`).
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(url, "not an http(s) url")
        robots = self._robots_for(url)
        if not robots.can_fetch(ROBOTS_AGENT, url):
            raise Disallowed(url, "disallowed by robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._request(url, headers)

    def _request(self, url: str, headers: dict[str, str] | None = None) -> Page:
        self._wait_turn(urlsplit(url).netloc.lower())
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True) as response:
                if response.status_code not in (200, 304):
                    raise BadStatus(url, response.status_code, response.reason or "")
                content = _read_body(url, response) if response.status_code == 200 else b""
                return Page(
                    url=url, status=response.status_code, content=content,
                    charset=_charset(response.headers.get("Content-Type")),
                    etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
                )
        except requests.RequestException as exc:
            raise FetchError(url, _describe(exc, self.timeout)) from None

    def _wait_turn(self, host: str) -> None:
        """Sleep until `host` may be asked again, then book its next turn."""
        now = self._clock()
        turn = self._next_turn.get(host, now)
        if turn > now:
            self._sleep(turn - now)
            now = turn
        self._next_turn[host] = now + max(self.min_interval, self._crawl_delay.get(host, 0.0))

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The robots.txt rules of `url`'s site, read at most once per `robots_ttl`.

        As RFC 9309 says: a missing robots.txt (4xx) allows everything, 401/403 forbids
        everything, and an unreachable one (5xx, no answer) forbids everything for now: the
        url fails and is tried again next cycle, when robots.txt is asked for again.
        """
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(site)
        if cached is not None and self._clock() - cached[1] < self.robots_ttl:
            return cached[0]
        robots = urllib.robotparser.RobotFileParser(f"{site}/robots.txt")
        try:
            answer = self._request(f"{site}/robots.txt")
        except BadStatus as exc:
            if exc.status in (401, 403):
                robots.disallow_all = True
            elif 400 <= exc.status < 500:
                robots.allow_all = True
            else:
                raise FetchError(url, f"robots.txt unavailable ({exc.problem})") from None
        except FetchError as exc:
            raise FetchError(url, f"robots.txt unavailable ({exc.problem})") from None
        else:
            robots.parse(answer.content.decode("utf-8", errors="replace").splitlines())
            delay = robots.crawl_delay(ROBOTS_AGENT)
            if delay is not None:
                self._crawl_delay[parts.netloc.lower()] = min(float(delay), MAX_CRAWL_DELAY)
        self._robots[site] = (robots, self._clock())
        return robots


def _read_body(url: str, response: requests.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(url, f"larger than {MAX_BYTES // 1_000_000} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    header = email.message.Message()
    header["Content-Type"] = content_type
    return header.get_content_charset()


def _describe(exc: requests.RequestException, timeout: float) -> str:
    """A few words for a requests failure, instead of urllib3's nested reprs."""
    if isinstance(exc, requests.Timeout):
        return f"timed out (no answer within {timeout:g} s)"
    reason = exc.args[0] if exc.args else exc
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    if isinstance(reason, ReadTimeoutError):
        return f"timed out (no answer within {timeout:g} s)"
    if isinstance(reason, NameResolutionError):
        return "unknown host"
    if isinstance(reason, NewConnectionError):
        return "cannot connect (connection refused or unreachable)"
    if isinstance(exc, requests.TooManyRedirects):
        return "too many redirects"
    return f"{type(exc).__name__}: {reason}"
