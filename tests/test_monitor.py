"""The feed monitor against a local HTTP server: 3 feeds, 40 article pages built from templates.

The server (http.server in a thread, on 127.0.0.1) counts the requests per path, answers a
conditional GET with 304, and can be told to fail a path (500) or to stall on one (longer than
the client's timeout). The extraction is the runner's, with the fake extractor of the runner's
tests (one event per "said" sentence), except in the end-to-end command test.
"""
from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections import Counter, defaultdict
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.cli import cli
from pipeline.monitor import watch as watch_module
from pipeline.monitor.feeds import Entry, FeedError, FeedListError, page_url, parse_feed, read_feed_list
from pipeline.monitor.fetch import USER_AGENT, Disallowed, Fetcher, FetchError, Page
from pipeline.monitor.pages import PageError, page_article
from pipeline.monitor.state import FORGET_AFTER_DAYS, FeedState, PendingPage, StateError, WatchState, load_state, save_state, state_path
from pipeline.monitor.watch import run_cycle, watch
from pipeline.runner import process_articles
from pipeline.store.dataset import EventStore
from test_runner import FakeExtractor

TIMEOUT = 1.0  # the client's timeout in these tests (a stalling path never answers in time)
TODAY = date(2026, 3, 20)

# --- the fixture: pages from templates, three feeds listing them ---------------------------

TOWNS = ["Eastbrook", "Millford", "Oakhaven", "Lowmere", "Pinecrest"]
PEOPLE = [("Mara Quill", "chief engineer"), ("Tomas Vell", "water minister"), ("Ada Ferro", "mayor")]
TEMPLATES = [
    ('Main pipe repaired in {town}',
     ['{town_upper} - Crews replaced forty metres of the main water pipe under Harbour Street on {weekday}.',
      '"We expect the pressure to return to normal by Friday," {name}, the {role}, said.',
      'Residents were asked to boil tap water until further notice while the section is flushed and tested.']),
    ('{town} pumping station back online',
     ['The pumping station that serves {town} restarted on {weekday} after a week of repairs to its valves.',
      '{name}, the {role}, said the new valves would last twenty years.',
      'Engineers will inspect the reservoir outlet next month, the council added in a short notice.']),
    ('Leak survey finds {n} faults in {town}',
     ['A survey of the {town} network with acoustic sensors found {n} leaking joints along the old mains.',
      'The {role} said the worst of them would be fixed before the summer.',
      'Most of the faults are in cast-iron pipes laid before the war, according to the report.']),
]
PAGES = 40
STATEMENTS_PER_PAGE = 1  # what the fake extractor finds: every template has one sentence holding "said"
PAGE_DAY = date(2026, 3, 2)


def page_html(number: int) -> bytes:
    title, paragraphs = TEMPLATES[number % len(TEMPLATES)]
    town = TOWNS[number % len(TOWNS)]
    name, role = PEOPLE[number % len(PEOPLE)]
    values = dict(town=town, town_upper=town.upper(), weekday="Tuesday", name=name, role=role, n=number + 3)
    day = PAGE_DAY + timedelta(days=number % 14)
    body = "".join(f"<p>{p.format(**values)}</p>" for p in paragraphs)
    return (f'<html><head><title>{title.format(**values)}</title>'
            f'<meta property="article:published_time" content="{day.isoformat()}T08:00:00Z"></head>'
            f'<body><nav>Home | Water | Towns</nav><article><h1>{title.format(**values)}</h1>{body}</article>'
            f'<footer>Copyright The Waterworks Gazette</footer></body></html>').encode()




def rss(title: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {path}</title><link>{path}</link><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>"
        for path in paths
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode()


def atom(title: str, paths: list[str]) -> bytes:
    entries = "".join(
        f'<entry><title>Story {path}</title><link href="{path}"/><id>{path}</id><updated>2026-03-02T08:00:00Z</updated></entry>'
        for path in paths
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{entries}</feed>'.encode()


def news(numbers) -> list[str]:
    return [f"/news/{i}.html" for i in numbers]


FEEDS = {  # relative links, resolved against the feed's url; page 0 is in two feeds
    "/feeds/city.xml": ("application/rss+xml", rss("City desk", news(range(0, 14)))),
    "/feeds/region.atom": ("application/atom+xml", atom("Region desk", news(range(14, 27)) + news([0]))),
    "/feeds/national.xml": ("application/rss+xml", rss("National desk", news(range(27, 40)) + ["/private/memo.html"])),
}
DOWN_FEED = "/feeds/down.xml"  # served only when a test adds it, with two pages of its own
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class FixtureServer:
    """Feeds and pages on 127.0.0.1; counts requests per path; can fail or stall a path."""

    def __init__(self):
        self.routes: dict[str, tuple[str, bytes]] = {path: route for path, route in FEEDS.items()}
        for number in range(PAGES + 2):
            self.routes[f"/news/{number}.html"] = ("text/html; charset=utf-8", page_html(number))
        self.routes["/private/memo.html"] = ("text/html", page_html(0))
        self.routes["/robots.txt"] = ("text/plain", ROBOTS)
        self.failing: set[str] = set()
        self.stalling: set[str] = set()
        self.released = threading.Event()
        self.gates: dict[str, str] = {}  # path -> the path it waits for (answered once that was asked for)
        self.gate_opened: dict[str, bool] = {}
        self.asked: defaultdict[str, threading.Event] = defaultdict(threading.Event)
        self.requests: Counter[str] = Counter()
        self.answers: list[tuple[str, int]] = []
        self.agents: set[str] = set()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # a client that timed out and left
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def add_down_feed(self) -> None:
        self.routes[DOWN_FEED] = ("application/rss+xml", rss("Late desk", news([PAGES, PAGES + 1])))
        self.failing.add(DOWN_FEED)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path
                with server._lock:
                    server.requests[path] += 1
                    server.agents.add(self.headers.get("User-Agent", ""))
                    server.asked[path].set()
                    gate = server.asked[server.gates[path]] if path in server.gates else None
                if gate is not None:
                    server.gate_opened[path] = gate.wait(5)
                status = 500 if path in server.failing else 200 if path in server.routes else 404
                server.answer(self, path, status)

            def log_message(self, *args):
                pass

        return Handler

    def answer(self, handler: BaseHTTPRequestHandler, path: str, status: int) -> None:
        if path in self.stalling:
            self.released.wait(30)  # until the test ends
        kind, body = self.routes.get(path, ("text/plain", b"not found"))
        etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
        if status == 200 and handler.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        with self._lock:
            self.answers.append((path, status))
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            if status in (200, 304):
                handler.send_header("ETag", etag)
                handler.send_header("Last-Modified", "Mon, 02 Mar 2026 08:00:00 GMT")
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the client gave up


@pytest.fixture
def server():
    fixture = FixtureServer()
    fixture.thread.start()
    yield fixture
    fixture.released.set()
    fixture.httpd.shutdown()
    fixture.httpd.server_close()


@pytest.fixture
def fetcher():
    with Fetcher(timeout=TIMEOUT, retries=1, backoff=0, min_interval=0) as client:
        yield client


def fake_extract(articles, errors):
    return process_articles(articles, workers=1, extractor_factory=FakeExtractor, errors=errors)


def cycle(server, store, fetcher, feeds=tuple(FEEDS)):
    return run_cycle([server.url(f) for f in feeds], store, fetcher=fetcher, extract=fake_extract,
                     processing="test", today=TODAY)


def page_requests(server) -> Counter[str]:
    return Counter({path: n for path, n in server.requests.items() if path.startswith("/news/")})


# --- a whole cycle -------------------------------------------------------------------------


def test_watch_two_cycles_fetch_each_page_once_and_the_second_adds_nothing(server, fetcher, tmp_path):
    store = EventStore(tmp_path / "store")
    first = cycle(server, store, fetcher)
    assert (first.feeds, first.feeds_failed, first.pages, first.pages_failed) == (3, 0, 40, 0)
    assert first.articles == 40 and first.statements == PAGES * STATEMENTS_PER_PAGE
    assert first.line() == f"cycle 1: 3 feeds, 40 new pages (1 disallowed by robots.txt), 40 statements, {first.seconds:.1f} s"
    files, events = store.files(), store.events()
    assert len(events) == 40 and events["doc_id"].nunique() == 40
    assert sorted(events["url"]) == sorted(server.url(p) for p in news(range(PAGES)))
    one = events[events["url"] == server.url("/news/14.html")].iloc[0]
    assert (one["title"], one["published"], one["source"]) == ("Leak survey finds 17 faults in Pinecrest", "2026-03-02", "Region desk")
    assert one["input_file"] == server.url("/feeds/region.atom")

    second = cycle(server, store, fetcher)
    assert (second.cycle, second.feeds, second.pages, second.articles, second.statements) == (2, 3, 0, 0, 0)
    assert second.failures == [] and second.ok
    assert page_requests(server) == Counter({path: 1 for path in news(range(PAGES))})
    assert store.files() == files
    assert store.events().equals(events)
    assert server.agents == {USER_AGENT} and USER_AGENT.startswith("EscalationTimeline/")


def test_watch_a_changed_feed_gives_only_its_new_entries(server, fetcher, tmp_path):
    store = EventStore(tmp_path / "store")
    cycle(server, store, fetcher)
    server.routes["/feeds/city.xml"] = ("application/rss+xml", rss("City desk", news([PAGES]) + news(range(0, 14))))
    again = cycle(server, store, fetcher)
    assert (again.pages, again.articles, again.statements) == (1, 1, STATEMENTS_PER_PAGE)
    assert page_requests(server) == Counter({path: 1 for path in news(range(PAGES + 1))})


def test_watch_that_lost_its_state_fetches_again_but_adds_nothing_twice(server, fetcher, tmp_path):
    # as after a cycle killed between the store's commit and saving the state
    store = EventStore(tmp_path / "store")
    cycle(server, store, fetcher)
    files = store.files()
    state_path(store.directory).unlink()
    again = cycle(server, store, fetcher)
    assert (again.pages, again.pages_failed, again.articles, again.statements) == (40, 0, 0, 0)
    assert store.files() == files


def test_watch_feeds_are_asked_with_a_conditional_get_and_answered_304(server, fetcher, tmp_path):
    store = EventStore(tmp_path / "store")
    cycle(server, store, fetcher)
    cycle(server, store, fetcher)
    feed_answers = [(path, status) for path, status in server.answers if path.startswith("/feeds/")]
    assert feed_answers == [(path, 200) for path in FEEDS] + [(path, 304) for path in FEEDS]
    state = load_state(store.directory)
    assert state.feeds[server.url("/feeds/city.xml")].etag.startswith('"')
    assert state.feeds[server.url("/feeds/city.xml")].last_modified == "Mon, 02 Mar 2026 08:00:00 GMT"


def test_watch_respects_robots_txt(server, fetcher, tmp_path):
    store = EventStore(tmp_path / "store")
    first = cycle(server, store, fetcher)
    second = cycle(server, store, fetcher)
    assert server.requests["/private/memo.html"] == 0
    assert server.requests["/robots.txt"] == 1  # read once per host and kept
    assert [str(f) for f in first.failures] == [f"page {server.url('/private/memo.html')}: disallowed by robots.txt; not fetched"]
    assert first.disallowed == 1 and second.disallowed == 0  # not tried again
    with pytest.raises(Disallowed, match="disallowed by robots.txt"):
        fetcher.get(server.url("/private/other.html"))


def test_watch_failed_feed_and_stalled_page_are_reported_retried_next_cycle_and_the_rest_goes_on(server, fetcher, tmp_path):
    store = EventStore(tmp_path / "store")
    server.add_down_feed()
    server.stalling.add("/news/5.html")
    feeds = [*FEEDS, DOWN_FEED]
    first = cycle(server, store, fetcher, feeds)
    assert (first.feeds, first.feeds_failed, first.pages, first.pages_failed, first.articles) == (4, 1, 40, 1, 39)
    assert first.line().startswith("cycle 1: 4 feeds (1 failed), 40 new pages (1 failed, 1 disallowed by robots.txt), 39 statements, ")
    assert [str(f) for f in first.failures if "robots" not in f.problem] == [
        f"feed {server.url(DOWN_FEED)}: HTTP 500 Internal Server Error; will try again next cycle",
        f"page {server.url('/news/5.html')}: timed out (no answer within {TIMEOUT:g} s); will try again next cycle",
    ]
    assert server.requests[DOWN_FEED] == 2 and server.requests["/news/5.html"] == 2  # retried once within the cycle
    assert server.url("/news/5.html") not in set(store.events()["url"])
    assert load_state(store.directory).pending[server.url("/news/5.html")].attempts == 1

    again = cycle(server, store, fetcher, feeds)
    assert [str(f) for f in again.failures] == [
        f"feed {server.url(DOWN_FEED)}: HTTP 500 Internal Server Error (2 cycles in a row); will try again next cycle",
        f"page {server.url('/news/5.html')}: timed out (no answer within {TIMEOUT:g} s); will try again next cycle",
    ]
    assert (again.pages, again.articles) == (1, 0)

    server.failing.clear()
    server.stalling.clear()
    recovered = cycle(server, store, fetcher, feeds)
    assert recovered.ok and (recovered.pages, recovered.articles, recovered.statements) == (3, 3, 3)  # page 5 and the late feed's two
    assert len(store.events()) == 42
    assert page_requests(server) == Counter({**{path: 1 for path in news(range(PAGES + 2))}, "/news/5.html": 5})  # 2 + 2 + 1
    assert load_state(store.directory).pending == {}


def test_watch_gives_up_on_a_page_after_max_attempts(server, fetcher, tmp_path):
    store = EventStore(tmp_path / "store")
    server.failing.add("/news/3.html")
    reports = [run_cycle([server.url("/feeds/city.xml")], store, fetcher=fetcher, extract=fake_extract,
                         processing="test", today=TODAY, max_attempts=2) for _ in range(3)]
    problems = [[f.problem for f in report.failures] for report in reports]
    assert problems == [
        ["HTTP 500 Internal Server Error; will try again next cycle"],
        ["HTTP 500 Internal Server Error; giving up after 2 attempts"],
        [],
    ]
    assert server.requests["/news/3.html"] == 4  # two cycles, two requests each (one retry)


def test_watch_fetches_sites_at_the_same_time_each_site_in_turn(server, tmp_path):
    port = server.httpd.server_port
    links = [f"http://127.0.0.1:{port}/news/{i}.html" for i in range(5)] + [f"http://localhost:{port}/news/{i}.html" for i in range(5, 10)]
    server.routes["/feeds/mixed.xml"] = ("application/rss+xml", rss("Mixed desk", links))
    server.gates["/news/1.html"] = "/news/9.html"  # the first site's 2nd page waits for the other site's last
    with Fetcher(timeout=10, retries=0, backoff=0, min_interval=0) as client:
        report = run_cycle([server.url("/feeds/mixed.xml")], EventStore(tmp_path / "store"), fetcher=client,
                           extract=fake_extract, processing="test", today=TODAY, fetch_threads=2)
    assert report.ok and report.articles == 10
    assert server.gate_opened == {"/news/1.html": True}


def test_watch_runs_cycles_every_interval_until_stopped(server, fetcher, tmp_path):
    store = EventStore(tmp_path / "store")
    seen, sleeps = [], []

    def stop_after_two(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        watch([server.url("/feeds/city.xml")], store, fetcher=fetcher, extract=fake_extract, processing="test",
              every=60.0, on_cycle=seen.append, clock=iter([0.0, 5.0, 100.0, 130.0]).__next__, sleep=stop_after_two)
    assert [(r.cycle, r.pages) for r in seen] == [(1, 14), (2, 0)]
    assert sleeps == [55.0, 30.0]  # from the start of one cycle to the start of the next


# --- the HTTP client -----------------------------------------------------------------------


def test_fetch_waits_its_turn_per_host_and_honours_crawl_delay(server):
    now = [0.0]
    sleeps: list[tuple[float, float]] = []

    def sleep(seconds):
        sleeps.append((now[0], seconds))
        now[0] += seconds

    port = server.httpd.server_port
    server.routes["/robots.txt"] = ("text/plain", ROBOTS + b"Crawl-delay: 5\n")
    with Fetcher(timeout=TIMEOUT, retries=0, backoff=0, min_interval=2.0, clock=lambda: now[0], sleep=sleep) as client:
        client.get(f"http://127.0.0.1:{port}/news/1.html")  # robots.txt first, then the page
        client.get(f"http://localhost:{port}/news/2.html")  # another host: its own turns
        client.get(f"http://127.0.0.1:{port}/news/3.html")
    # each host: robots.txt, then the page 2 s later (its Crawl-delay not known yet); 127.0.0.1's next
    # page 5 s after its last request, per the Crawl-delay
    assert sleeps == [(0.0, 2.0), (2.0, 2.0), (4.0, 3.0)]


def test_fetch_conditional_get_and_errors(server, fetcher):
    page = fetcher.get(server.url("/news/1.html"))
    assert (page.status, page.charset, page.content) == (200, "utf-8", page_html(1))
    again = fetcher.get(server.url("/news/1.html"), etag=page.etag)
    assert again.not_modified and again.content == b""
    with pytest.raises(FetchError, match=r"/missing.html: HTTP 404 Not Found$"):
        fetcher.get(server.url("/missing.html"))
    with pytest.raises(FetchError) as caught:
        fetcher.get("ftp://127.0.0.1/feed.xml")
    assert str(caught.value) == "ftp://127.0.0.1/feed.xml: not an http(s) url"


def test_fetch_unreachable_robots_txt_fails_the_url_for_now(server, fetcher):
    server.failing.add("/robots.txt")
    with pytest.raises(FetchError, match=r"robots.txt unavailable \(HTTP 500 Internal Server Error\)"):
        fetcher.get(server.url("/news/1.html"))
    server.failing.clear()
    assert fetcher.get(server.url("/news/1.html")).status == 200  # asked for again, not cached
    assert server.requests["/news/1.html"] == 1


# --- feeds, pages, state -------------------------------------------------------------------


def test_read_feed_list_skips_comments_blank_lines_and_repeats(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# my feeds\n\nhttps://a.example/rss  # the A desk\nhttp://b.example/feed#top\n"
                    "https://a.example/rss\n   # indented comment\n", encoding="utf-8")
    assert read_feed_list(path) == ["https://a.example/rss", "http://b.example/feed#top"]


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("", "no feed urls"),
    ("# only a comment\n\n", "no feed urls"),
    ("https://a.example/rss\nwww.b.example/feed\n", "line 2: not a feed url: 'www.b.example/feed' (expected http:// or https://)"),
])
def test_read_feed_list_errors_name_the_file_and_problem(tmp_path, content, message):
    path = tmp_path / "feeds.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(FeedListError) as caught:
        read_feed_list(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_parse_feed_rss_and_atom_entries():
    base = "http://news.example/feeds/"
    entries = parse_feed(base + "city.xml", rss("City desk", ["../news/1.html#comments", "http://other.example/2", "../news/1.html"]))
    assert entries == [
        Entry(url="http://news.example/news/1.html", feed=base + "city.xml", title="Story ../news/1.html#comments",
              published=date(2026, 3, 2), source="City desk"),
        Entry(url="http://other.example/2", feed=base + "city.xml", title="Story http://other.example/2",
              published=date(2026, 3, 2), source="City desk"),
    ]
    [entry] = parse_feed(base + "a.atom", atom("Region", ["/news/9.html"]))
    assert (entry.url, entry.published, entry.source) == ("http://news.example/news/9.html", date(2026, 3, 2), "Region")
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(base + "x.xml", b"<html><body>Moved</body></html>")


@pytest.mark.parametrize("link, expected", [
    ("../a/1.html?utm_source=rss&utm_medium=feed#top", "http://news.example/a/1.html"),
    ("/a/2?id=7&utm_campaign=x&fbclid=abc", "http://news.example/a/2?id=7"),
    ("/a/3?q=b%20c&flag", "http://news.example/a/3?q=b%20c&flag"),  # nothing to drop: left as given
])
def test_page_url_is_absolute_without_fragment_and_tracking_parameters(link, expected):
    assert page_url("http://news.example/feeds/rss.xml", link) == expected


def entry(published=None):
    return Entry(url="http://news.example/a/1", feed="http://news.example/rss", title="From the feed",
                 published=published, source="The Feed")


def test_page_article_takes_text_title_and_date_from_the_page():
    article = page_article(entry(date(2026, 1, 1)), Page("u", 200, page_html(1)), first_seen=TODAY)
    assert (article.doc_id, article.url, article.input_file) == ("http://news.example/a/1", "http://news.example/a/1", "http://news.example/rss")
    assert (article.title, article.published, article.source) == ("Millford pumping station back online", date(2026, 3, 3), "The Feed")
    assert article.text.startswith("The pumping station that serves Millford restarted on Tuesday")


@pytest.mark.parametrize("published, expected", [(date(2026, 3, 1), date(2026, 3, 1)), (None, TODAY)])
def test_page_article_without_a_date_takes_the_entry_date_else_the_day_first_seen(published, expected):
    html = page_html(2).replace(b'<meta property="article:published_time" content="2026-03-04T08:00:00Z">', b"")
    assert page_article(entry(published), Page("u", 200, html), first_seen=TODAY).published == expected


def test_page_article_decodes_the_charset_of_the_content_type_header():
    html = page_html(0).replace(b"Harbour Street", "Rue du Fâché".encode("latin-1"))
    article = page_article(entry(), Page("u", 200, html, charset="iso-8859-1"), first_seen=TODAY)
    assert "Rue du Fâché" in article.text


def test_page_article_without_text_is_a_page_error():
    with pytest.raises(PageError, match=r"^http://news.example/a/1: no article text found in the page$"):
        page_article(entry(), Page("u", 200, b"<html><head><title>Video</title></head><body></body></html>"), first_seen=TODAY)


def test_state_round_trip_and_forgetting_old_urls(tmp_path):
    state = WatchState(cycles=3, feeds={"http://f/rss": FeedState(etag='"x"', entries=["http://f/listed"])},
                       seen={"http://f/listed": "2025-01-01", "http://f/old": "2025-01-01",
                             "http://f/recent": (TODAY - timedelta(days=FORGET_AFTER_DAYS)).isoformat()},
                       pending={"http://f/p": PendingPage("http://f/p", "http://f/rss", published="2026-03-01", attempts=2)})
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state
    state.forget_old(TODAY)
    assert sorted(state.seen) == ["http://f/listed", "http://f/recent"]
    assert load_state(tmp_path / "new") == WatchState()
    state_path(tmp_path).write_text("{oops", encoding="utf-8")
    with pytest.raises(StateError, match="not a watch state file .*delete it to start afresh"):
        load_state(tmp_path)


# --- the command ---------------------------------------------------------------------------


@pytest.fixture
def fast_command(monkeypatch, extractor):
    """The command with the session's extractor and no wait between requests to the test server."""
    monkeypatch.setattr(watch_module, "_shared_extractor", lambda model_name, **options: extractor)
    monkeypatch.setattr("pipeline.monitor.fetch.Fetcher", functools.partial(Fetcher, min_interval=0, backoff=0))


def test_cli_watch_once_end_to_end_and_again(server, tmp_path, capsys, fast_command):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# local fixture\n" + "".join(server.url(f) + "\n" for f in FEEDS), encoding="utf-8")
    store = tmp_path / "store"
    assert cli(["watch", "--feeds", str(feeds), "--store", str(store), "--once", "--workers", "1"]) == 0
    first = capsys.readouterr().err.splitlines()
    line = re.fullmatch(r"cycle 1: 3 feeds, 40 new pages \(1 disallowed by robots.txt\), (\d+) statements, [\d.]+ s", first[0])
    assert line is not None, first[0]
    assert first[1:] == [f"  page {server.url('/private/memo.html')}: disallowed by robots.txt; not fetched"]
    articles, events = EventStore(store).counts()
    assert articles == 40 and events == int(line.group(1)) >= 40  # the real extractor finds each page's official

    assert cli(["watch", "--feeds", str(feeds), "--store", str(store), "--once", "--workers", "1"]) == 0
    assert capsys.readouterr().err.startswith("cycle 2: 3 feeds, 0 new pages, 0 statements, ")
    assert EventStore(store).counts() == (articles, events)


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("# nothing yet\n", "no feed urls (one http(s) url per line; # starts a comment)"),
])
def test_cli_watch_feeds_file_errors(tmp_path, capsys, content, message):
    feeds = tmp_path / "feeds.txt"
    if content is not None:
        feeds.write_text(content, encoding="utf-8")
    assert cli(["watch", "--feeds", str(feeds), "--store", str(tmp_path / "store"), "--once"]) == 1
    assert capsys.readouterr().err == f"error: feeds file {feeds}: {message}\n"
    assert not (tmp_path / "store").exists()
