"""The dashboard's speed in a real browser: first paint and the re-render after a filter change.

    python -m pipeline.dashboard.bench_browser                      # on the demo (built first when needed)
    python -m pipeline.dashboard.bench_browser --events out.csv     # on an events table
    python -m pipeline.dashboard.bench_browser --changes 20 --width 420

Starts `streamlit run app.py` on a free port and opens it in headless Debian Chromium
(`/usr/bin/chromium`, driven by pip's `playwright`; no browser is downloaded). It measures

- **first paint**: from navigating to the page to the answer sentence and every chart drawn,
  in a new browser session on a server that has just started (the demo's events already
  built and cached on disk: the build is the pipeline's time, not the page's);
- **filter-change re-render**: from a click on a stance of the sidebar's segmented control to
  the page showing the new numbers with nothing left stale (Streamlit marks the elements it has
  not redrawn yet with `data-stale="true"`). The stance is switched on and off in turn.

`tests/test_browser.py` drives the page with the same functions and generous limits.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
APP = PROJECT_DIR / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PAGE_TIMEOUT_MS = 60_000

CHARTS_SHOWN = 2  # the net escalation bars and the open tab's chart (the timeline, first)
# The answer is shown and `charts` plotly charts are drawn (a drawn chart holds two `.main-svg`
# layers, so counting the layers would call the page drawn with half its charts).
PAGE_DRAWN = """(charts) => document.querySelector('[data-testid="stHeading"] h3') !== null
    && [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('.main-svg .gtitle')).length >= charts"""
# The first metric ("Statements matching") reads something else than `before`, and nothing is stale.
RERENDERED = """(before) => {
    const metric = document.querySelector('[data-testid="stMetricValue"]');
    return metric !== null && metric.textContent !== before && document.querySelector('[data-stale="true"]') === null;
}"""
FIRST_METRIC = """() => document.querySelector('[data-testid="stMetricValue"]').textContent"""


class BenchError(RuntimeError):
    """The server or the browser could not be started; `str()` says why (with the server's log)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"streamlit did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')}")


@contextmanager
def serve(log: Path, *, events: Path | None = None, timeout: float = 45) -> Iterator[str]:
    """`streamlit run app.py` on a free local port (on `events`, else the demo); yields its URL.
    The server's output goes to `log`; the server is stopped on leaving."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    if events is not None:
        command += ["--", "--events", str(events)]
    env = {k: v for k, v in os.environ.items() if k != "ESCALATION_EVENTS"}
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_until_healthy(url, server, log, timeout)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium browser (Playwright's `Browser`), closed on leaving."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise BenchError(f"{CHROMIUM} is absent (apt-get install chromium; `make test` does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url: str, *, width: int = 1440, height: int = 1000, charts: int = CHARTS_SHOWN) -> tuple:
    """A new page at `url`, `width` px wide, once drawn; returns (page, seconds to first paint)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(PAGE_DRAWN, arg=charts, polling="raf", timeout=PAGE_TIMEOUT_MS)
    return page, time.perf_counter() - started


def filter_change(page, stance: str = "escalation") -> float:
    """Click `stance` in the sidebar's stance control; seconds until the page is redrawn."""
    button = page.locator('[data-testid="stSidebar"]').get_by_role("button", name=stance, exact=True)
    if not button.is_visible():  # a narrow window hides the sidebar behind its button
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    before = page.evaluate(FIRST_METRIC)
    started = time.perf_counter()
    button.click()
    page.wait_for_function(RERENDERED, arg=before, polling="raf", timeout=PAGE_TIMEOUT_MS)
    return time.perf_counter() - started


def rerender_times(page, changes: int, *, settle_ms: int = 300) -> list[float]:
    """Seconds each of `changes` filter changes took to redraw the page (a stance on, then off)."""
    times = []
    for _ in range(changes):
        times.append(filter_change(page))
        page.wait_for_timeout(settle_ms)  # as a reader would pause; lets late work finish
    return times


@dataclass(frozen=True)
class BrowserTimings:
    first_paint_s: float  # the first session of a just-started server (it imports the app's modules)
    second_paint_s: float  # a second session, the server warm
    rerender_s: tuple[float, ...]

    @property
    def median_rerender_s(self) -> float:
        return statistics.median(self.rerender_s)


def measure(*, events: Path | None = None, changes: int = 10, width: int = 1440, log: Path | None = None) -> BrowserTimings:
    """First paint and `changes` filter-change re-renders of a freshly started dashboard."""
    if events is None:
        from .data_io import load_demo_events

        load_demo_events()  # built and cached once; what is timed is the page
    log = log or Path(os.environ.get("TMPDIR", "/tmp")) / "bench_browser_streamlit.log"
    with serve(log, events=events) as url, chromium() as browser:
        page, first_paint = open_page(browser, url, width=width)
        page.wait_for_timeout(1000)
        rerenders = tuple(rerender_times(page, changes))
        page.close()
        _, second_paint = open_page(browser, url, width=width)
        return BrowserTimings(first_paint, second_paint, rerenders)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.dashboard.bench_browser",
        description="Time the dashboard in headless Chromium: first paint and filter-change re-render. "
        "Example: python -m pipeline.dashboard.bench_browser --changes 20",
    )
    parser.add_argument("--events", type=Path, help="an events table to open (default: the demo)")
    parser.add_argument("--changes", type=int, default=10, help="filter changes to time (default 10)")
    parser.add_argument("--width", type=int, default=1440, help="window width in px (default 1440)")
    args = parser.parse_args(argv)
    try:
        timings = measure(events=args.events, changes=args.changes, width=args.width)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    shown = "the demo" if args.events is None else str(args.events)
    print(f"{shown} in Chromium, {args.width} px wide")
    print(f"first paint: {timings.first_paint_s:.2f} s (first session of a just-started server), {timings.second_paint_s:.2f} s (a second session)")
    print(
        f"filter-change re-render over {len(timings.rerender_s)} changes: median {timings.median_rerender_s:.2f} s, "
        f"min {min(timings.rerender_s):.2f} s, max {max(timings.rerender_s):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
