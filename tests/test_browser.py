"""The dashboard in a real browser: `streamlit run app.py` opened in headless Debian Chromium
driven by Playwright (`make test` installs Chromium; Playwright never downloads a browser here),
with the server and browser helpers of `pipeline.dashboard.bench_browser`. Saves screenshots to
test-artifacts/ (1440 px and 420 px wide) and the demo's browser timings to
test-artifacts/browser-timings.txt."""
from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from pipeline.dashboard import data_io
from pipeline.dashboard.bench_browser import CHROMIUM, chromium, open_page, rerender_times, serve
from pipeline.dashboard.bench import synthetic_events
from pipeline.dashboard.evidence import CARD_LIMIT
from pipeline.store.tables import write_events

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOT = ARTIFACTS / "data_io.png"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (install Debian's chromium; `make test` does)")


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
    events = tmp_path / "events.csv"
    write_events(synthetic_events(300, seed=11, days=90), events)
    with serve(tmp_path / "streamlit.log", events=events) as url, chromium() as browser:
        page, _ = open_page(browser, url, height=2300)
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
        page.wait_for_timeout(1500)  # let the points and the table finish drawing
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        # A click on a timeline point narrows the evidence to that statement and shows its card.
        click_point(page, "Statements over time", trace=0, point=0)
        narrowed = page.get_by_text("Showing the statement clicked on the timeline: 1 statement.")
        narrowed.wait_for(timeout=20_000)
        card = page.locator(".st-key-evidence_card")
        card.get_by_text("Reported by 1 article").wait_for(timeout=20_000)
        assert card.locator("q.quote").count() == 1 and card.locator("ul.cues li").count() >= 1
        card.screenshot(path=str(ARTIFACTS / "evidence-card.png"))
        page.get_by_role("button", name="Show all matching").click()
        narrowed.wait_for(state="detached", timeout=20_000)

        # The other detailed charts are a tab away; a click on a heatmap cell narrows the evidence to
        # that group's statements of that week.
        page.get_by_role("tab", name="Heatmap by week").click()
        page.wait_for_function(f"() => ({FIND_PLOT})('Mean score per week') !== undefined", polling="raf", timeout=20_000)
        assert "chart=Heatmap" in page.url  # the open tab is in the link
        page.wait_for_timeout(800)
        cell = click_point(page, "Mean score per week", trace=1, point=0)
        page.get_by_text(f"Showing {cell['group']}, the week of").wait_for(timeout=20_000)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "dashboard-heatmap-click.png"))
    assert SCREENSHOT.stat().st_size > 10_000


# Each chart with a legend: where its legend and its plot area are on the page.
LEGEND_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('g.legend')).map(p => {
    const legend = p.querySelector('g.legend').getBoundingClientRect(), plot = p.querySelector('.draglayer .nsewdrag').getBoundingClientRect();
    return {title: p.layout.title.text, legendTop: legend.top, legendRight: legend.right, plotBottom: plot.bottom, plotRight: plot.right};
})"""


def whole_page_screenshot(page, path: Path) -> None:
    """A screenshot of the whole page (Streamlit scrolls inside the page, so `full_page` would
    show only the window): the window is made as tall as the page first."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path))


def test_the_demo_redraws_fast_and_fits_a_small_screen(tmp_path):
    data_io.load_demo_events()  # built once (and cached): the timings are the page's
    with serve(tmp_path / "streamlit.log") as url, chromium() as browser:
        page, first_paint = open_page(browser, url, height=1000)
        page.wait_for_timeout(1000)
        rerenders = rerender_times(page, 8)  # a stance on and off, four times: back to all statements
        median = statistics.median(rerenders)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "browser-timings.txt").write_text(
            f"demo, 1440 px: first paint {first_paint:.2f} s; filter-change re-render median {median:.2f} s "
            f"over {len(rerenders)} changes ({', '.join(f'{t:.2f}' for t in rerenders)})\n"
        )
        # On a wide screen the evidence is a table, and the page is as wide as the window.
        assert page.locator(".st-key-evidence_table").is_visible() and page.locator(".st-key-evidence_cards").is_hidden()
        whole_page_screenshot(page, ARTIFACTS / "demo-1440.png")

        phone, _ = open_page(browser, url, width=420, height=900)
        phone.wait_for_timeout(1500)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 420  # nothing sticks out sideways
        boxes = phone.evaluate(LEGEND_BOXES)
        assert len(boxes) >= 2, boxes  # the timeline and the net escalation per group
        for box in boxes:
            assert box["legendTop"] >= box["plotBottom"] - 1 and box["legendRight"] <= 420, box  # below the chart
        assert phone.locator(".st-key-evidence_table").is_hidden()
        cards = phone.locator(".st-key-evidence_cards li.card")
        assert cards.count() == CARD_LIMIT and cards.first.is_visible()
        first = cards.first.bounding_box()
        assert first["x"] >= 0 and first["x"] + first["width"] <= 420
        assert cards.first.locator("q.quote").text_content()
        whole_page_screenshot(phone, ARTIFACTS / "demo-420.png")
    # Generous limits for a noisy 2-core machine; `python -m pipeline.dashboard.bench_browser` reports the real numbers.
    assert first_paint < 15, first_paint
    assert median < 2.0, rerenders
