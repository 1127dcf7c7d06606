"""The dashboard in a real browser: `streamlit run app.py` on a small events file, opened in
headless Debian Chromium driven by Playwright (`make test` installs Chromium; Playwright never
downloads a browser here). Saves a screenshot to test-artifacts/dashboard.png."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline.bench_dashboard import synthetic_events
from pipeline.store import write_events

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "test-artifacts" / "dashboard.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (install Debian's chromium; `make test` does)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(url: str, server: subprocess.Popen, log: Path, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')}")


# The plotly chart whose title starts with `title`, scrolled to the middle of the window.
FIND_PLOT = """(title) => [...document.querySelectorAll('.js-plotly-plot')].find(
    p => (p.layout.title.text || '').replace(/<[^>]+>/g, '').startsWith(title))"""
SCROLL_TO_PLOT = f"(title) => ({FIND_PLOT})(title).scrollIntoView({{block: 'center'}})"
# The page position of a point of that chart, from plotly's own axes.
POINT_POSITION = f"""([title, trace, point]) => {{
    const plot = ({FIND_PLOT})(title);
    const data = plot._fullData[trace];
    const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis, box = plot.getBoundingClientRect();
    const custom = plot.data[trace].customdata;
    return {{x: box.left + xa._offset + xa.l2p(xa.d2l(data.x[point])), y: box.top + ya._offset + ya.l2p(ya.d2l(data.y[point])),
            group: custom ? String(custom[point][0]) : ''}};
}}"""


def click_point(page, title: str, *, trace: int, point: int) -> dict:
    """Scroll a chart into view and click one of its points as a reader would."""
    page.evaluate(SCROLL_TO_PLOT, title)
    page.wait_for_timeout(500)
    where = page.evaluate(POINT_POSITION, [title, trace, point])
    page.mouse.move(where["x"], where["y"])
    page.wait_for_timeout(300)
    page.mouse.click(where["x"], where["y"])
    return where


def test_dashboard_renders_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    events = tmp_path / "events.csv"
    write_events(synthetic_events(300, seed=11, days=90), events)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--", "--events", str(events),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "ESCALATION_EVENTS"}
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for_server(url, server, log)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 2300})
                page.goto(url, wait_until="domcontentloaded")
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
                page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4", timeout=30_000)
                titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()
                assert any(t.startswith("Statements over time") for t in titles), titles
                assert "Net escalation per week, all actors" in titles, titles
                answer = page.locator('[data-testid="stHeading"] h3').first.text_content()
                assert answer.startswith(("Escalating", "Calming", "Flat")) and answer.endswith("."), answer
                bars = page.locator(".js-plotly-plot").first.locator("g.point path")
                assert bars.count() >= 5  # one bar per week with statements (13 weeks of them)
                download = page.locator('[data-testid="stDownloadButton"]').get_by_role("button", name="Download the 300 matching statements (CSV)")
                download.wait_for(timeout=10_000)
                assert download.is_enabled()
                page.wait_for_timeout(1500)  # let the WebGL points and the table finish drawing
                SCREENSHOT.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(SCREENSHOT))

                # A click on a timeline point narrows the evidence to that statement and shows its card.
                click_point(page, "Statements over time", trace=0, point=0)
                narrowed = page.get_by_text("Showing the statement clicked on the timeline: 1 statement.")
                narrowed.wait_for(timeout=20_000)
                card = page.locator(".st-key-evidence_card")
                card.get_by_text("Reported by 1 article").wait_for(timeout=20_000)
                assert card.locator("q.quote").count() == 1 and card.locator("ul.cues li").count() >= 1
                card.screenshot(path=str(SCREENSHOT.with_name("evidence-card.png")))
                page.get_by_role("button", name="Show all matching").click()
                narrowed.wait_for(state="detached", timeout=20_000)

                # A click on a heatmap cell narrows it to that group's statements of that week.
                cell = click_point(page, "Mean score per week", trace=1, point=0)
                page.get_by_text(f"Showing {cell['group']}, the week of").wait_for(timeout=20_000)
                page.wait_for_timeout(800)
                page.screenshot(path=str(SCREENSHOT.with_name("dashboard-heatmap-click.png")))
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    assert SCREENSHOT.stat().st_size > 10_000
