"""The dashboard on an event store of millions of events: per-rerun time, browser re-render, memory.

    python -m pipeline.dashboard.bench_store                        # a 10,000,000-event store in /tmp
    python -m pipeline.dashboard.bench_store --store DIR --browser  # an existing store, and Chromium

Generates a synthetic store (`generate_store`, in a temporary folder deleted afterwards) unless
`--store` names one, then measures

- **per-rerun work**, as `bench.py` does for a table in memory: for each filter change of
  `bench.scenarios`, everything the app computes on a rerun (`store_queries.build_store_view`:
  the DuckDB queries, the aggregation, the figures of the first tab and their JSON, the evidence
  table), median of `--repeats`; beside it the same for the in-memory path on a
  `--baseline-events` table (one million by default, what the dashboard used to load; ten million do not fit in memory);
- with `--browser`, **in headless Chromium** (`bench_browser`'s helpers): `streamlit run app.py
  -- --store DIR`, three sessions opened (`--sessions`), the filter-change re-render in the
  first, and the resident memory of the Streamlit process (psutil, with any children) once all
  sessions are open and after the filter changes.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from .bench import scenarios, synthetic_events
from .bench_browser import APP, CHARTS_SHOWN, PAGE_DRAWN, PROJECT_DIR, chromium, free_port, _wait_until_healthy, rerender_times
from .charts import POINT_LIMIT, TABLE_LIMIT, build_view, first_tab_figures
from .generate_store import generate
from .store_queries import build_store_view, open_store
from .views import Dataset

FIRST_OPEN_TIMEOUT_MS = 600_000  # the first session waits for the column cache to be built


def _median_time(work, repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (this process, all its threads) of `work()`.

    On a machine shared with other work the wall clock measures the contention too; the CPU
    seconds do not (divided by the cores DuckDB uses, they bound the wall clock of an idle machine)."""
    process = psutil.Process()
    walls, cpus = [], []
    for _ in range(repeats):
        cpu, started = sum(process.cpu_times()[:2]), time.perf_counter()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(sum(process.cpu_times()[:2]) - cpu)
    return statistics.median(walls), statistics.median(cpus)


def rerun_work(folder: Path, *, repeats: int, baseline_events: int) -> dict:
    """Per-rerun seconds on the store and, per scenario, on the in-memory baseline."""
    started = time.perf_counter()
    store = open_store(folder)
    result = {"open_s": time.perf_counter() - started, "events": store.events, "statements": store.statements, "rows": []}
    result["open_rss_mb"] = psutil.Process().memory_info().rss / 1e6
    cursor = store.cursor()

    def on_store(filters):
        view = build_store_view(cursor, store, filters, point_limit=POINT_LIMIT, table_limit=TABLE_LIMIT)
        for figure in first_tab_figures(view.charts):
            figure.to_json()  # what st.plotly_chart does with a figure
        view.table  # read on first use
        return view

    baseline = None
    if baseline_events:
        baseline = Dataset.from_frame(synthetic_events(baseline_events, seed=0), "baseline")

    def in_memory(filters):
        view = build_view(baseline.events, filters)
        for figure in first_tab_figures(view.charts):
            figure.to_json()

    memory_filters = dict(scenarios(baseline)) if baseline is not None else {}
    for name, filters in scenarios(store):
        row = {"scenario": name, "matching": on_store(filters).matching}
        row["store_s"], row["store_cpu_s"] = _median_time(lambda: on_store(filters), repeats)
        if name in memory_filters:
            row["memory_s"], row["memory_cpu_s"] = _median_time(lambda: in_memory(memory_filters[name]), repeats)
        result["rows"].append(row)
    result["rss_mb"] = psutil.Process().memory_info().rss / 1e6
    return result


def _rss_mb(process: psutil.Process) -> float:
    """Resident memory of a process and its children, in MB."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1e6


def browser_run(folder: Path, *, sessions: int, changes: int, log: Path) -> dict:
    """Serve the store, open `sessions` browser sessions, time filter changes, read the memory."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", "--", "--store", str(folder),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("ESCALATION_EVENTS", "ESCALATION_STORE")}
    result: dict = {}
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_until_healthy(url, server, log, 60)
        process = psutil.Process(server.pid)
        result["idle_rss_mb"] = _rss_mb(process)
        with chromium() as browser:
            pages, paints = [], []
            for number in range(sessions):
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                started = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_function(PAGE_DRAWN, arg=CHARTS_SHOWN, polling="raf", timeout=FIRST_OPEN_TIMEOUT_MS)
                paints.append(time.perf_counter() - started)
                pages.append(page)
            result["paint_s"] = paints
            pages[0].wait_for_timeout(1000)
            result["sessions_rss_mb"] = _rss_mb(process)
            result["rerender_s"] = rerender_times(pages[0], changes)
            result["after_changes_rss_mb"] = _rss_mb(process)
            result["peak_rss_mb"] = max(result["sessions_rss_mb"], result["after_changes_rss_mb"])
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.dashboard.bench_store",
        description="Time the dashboard on an event store (and, with --browser, in Chromium with its memory). "
        "Example: python -m pipeline.dashboard.bench_store --events 10000000 --browser",
    )
    parser.add_argument("--store", type=Path, help="an existing store (default: generate one in a temporary folder)")
    parser.add_argument("--events", type=int, default=10_000_000, help="events to generate (default 10,000,000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per filter change (default 3)")
    parser.add_argument("--baseline-events", type=int, default=1_000_000, help="in-memory baseline table size (0: none)")
    parser.add_argument("--browser", action="store_true", help="also measure in Chromium: re-render and memory")
    parser.add_argument("--sessions", type=int, default=3, help="browser sessions open at once (default 3)")
    parser.add_argument("--changes", type=int, default=10, help="filter changes timed in the browser (default 10)")
    args = parser.parse_args(argv)
    temporary = None
    folder = args.store
    if folder is None:
        temporary = Path(tempfile.mkdtemp(prefix="bench-store-", dir=os.environ.get("TMPDIR", "/tmp")))
        folder = temporary / "store"
        started = time.perf_counter()
        generate(folder, args.events)
        print(f"generated {args.events:,} events in {time.perf_counter() - started:.1f} s")
    try:
        load = os.getloadavg()[0]
        work = rerun_work(folder, repeats=args.repeats, baseline_events=args.baseline_events)
        print(
            f"store of {work['events']:,} reports ({work['statements']:,} statements): column cache built in {work['open_s']:.1f} s, "
            f"process {work['open_rss_mb']:,.0f} MB (load average {load:.1f} on {os.cpu_count()} CPUs)"
        )
        base = f"in memory ({args.baseline_events:,})" if args.baseline_events else ""
        print(f"{'filter change':34} {'matching':>10} {'store wall':>11} {'cpu':>7} {base:>24} {'cpu':>7} {'ratio':>6}")
        for row in work["rows"]:
            memory = ""
            if "memory_s" in row:
                memory = f"{row['memory_s']:>23.3f}s {row['memory_cpu_s']:>6.3f}s {row['store_s'] / row['memory_s']:>6.2f}"
            print(f"{row['scenario']:34} {row['matching']:>10,} {row['store_s']:>10.3f}s {row['store_cpu_s']:>6.3f}s {memory}")
        print(
            f"median per-rerun work on the store: {statistics.median(r['store_s'] for r in work['rows']):.3f} s wall, "
            f"{statistics.median(r['store_cpu_s'] for r in work['rows']):.3f} s CPU (ratio column: store wall / in-memory wall)"
        )
        if args.browser:
            result = browser_run(folder, sessions=args.sessions, changes=args.changes, log=Path(tempfile.gettempdir()) / "bench_store_streamlit.log")
            print(f"browser: first paint {', '.join(f'{p:.1f}' for p in result['paint_s'])} s for {args.sessions} sessions "
                  "(the first builds the shared column cache)")
            print(
                f"filter-change re-render over {len(result['rerender_s'])} changes: median {statistics.median(result['rerender_s']):.2f} s, "
                f"min {min(result['rerender_s']):.2f} s, max {max(result['rerender_s']):.2f} s"
            )
            print(
                f"streamlit resident memory: {result['idle_rss_mb']:,.0f} MB idle, {result['sessions_rss_mb']:,.0f} MB with "
                f"{args.sessions} sessions open, {result['after_changes_rss_mb']:,.0f} MB after the filter changes"
            )
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
