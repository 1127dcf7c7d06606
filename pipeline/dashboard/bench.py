"""Synthetic events tables, and a benchmark of the dashboard's per-rerun work on them.

`synthetic_events(n)` builds an events table in the pipeline's schema with real-looking rows
(fictional officials and countries, quotes with cue words, a crisis that flares and calms),
fast enough for a million rows. The tests and the browser test use small ones; the benchmark

    python -m pipeline.dashboard.bench --events 1000000

times, over several filter changes, everything the app computes on a rerun: filtering,
grouping, the aggregations, the evidence table's slice, and drawing the figures the first tab
shows (and serialising them, as Streamlit does). The CSV export is timed separately: the app
builds it only when the download button is clicked.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date

import numpy as np
import pandas as pd

from ..schema import EVENT_COLUMNS, conform_events_frame

# Fictional actors: (speaker, country). None of these people or states exist.
ACTORS = (
    ("Mara Velden", "Norland"),
    ("Tomas Ferre", "Norland"),
    ("Ilse Karov", "Norland"),
    ("Arvid Solberg", "Osteria"),
    ("Lena Okafor", "Osteria"),
    ("Danel Ruiz", "Osteria"),
    ("Yusuf Baran", "Kestria"),
    ("Hana Mori", "Kestria"),
    ("Petra Lind", "Union of Ardal"),
    ("Samir Haddad", "Union of Ardal"),
    ("Colm Brennan", "Varesh"),
    ("Nadia Petrov", "Varesh"),
    ("the defence ministry spokesman", "Norland"),
    ("a senior Osterian official", "Osteria"),
    ("Council Secretary-General Ines Aalto", "Regional Security Council"),
    ("an unnamed diplomat", ""),
)
SOURCES = ("Harbor Ledger", "Northern Wire", "Ardal Post", "Coastline Daily", "The Meridian")

# (stance, quote template, cues). `{target}` is replaced by another country.
TEMPLATES = (
    ("escalation", "We will respond with overwhelming force if {target} crosses the line", "overwhelming force;respond"),
    ("escalation", "Our troops are on full alert along the border with {target}", "troops;full alert"),
    ("escalation", "{target} will pay a heavy price for this provocation", "heavy price;provocation"),
    ("escalation", "All options, including military action, remain on the table", "military action;all options"),
    ("escalation", "We are suspending talks with {target} effective immediately", "suspending talks"),
    ("escalation", "The blockade of the strait will continue until {target} backs down", "blockade"),
    ("escalation", "Any further incursion will be met with retaliation", "incursion;retaliation"),
    ("escalation", "We have ordered additional warships to the disputed waters", "warships;disputed"),
    ("de-escalation", "We remain committed to a peaceful resolution with {target}", "committed;peaceful resolution"),
    ("de-escalation", "Both sides have agreed to a ceasefire starting at midnight", "agreed;ceasefire"),
    ("de-escalation", "We welcome the offer of talks and will send a delegation to {target}", "welcome;talks"),
    ("de-escalation", "The troops will withdraw to their barracks by Friday", "withdraw"),
    ("de-escalation", "We call on everyone to show restraint and return to dialogue", "restraint;dialogue"),
    ("de-escalation", "The prisoner exchange with {target} is a first step towards trust", "prisoner exchange;trust"),
    ("neutral", "The minister will travel to {target} next week", ""),
    ("neutral", "We are studying the report and will comment in due course", ""),
    ("neutral", "The council meets again on Thursday to review the situation", ""),
    ("neutral", "Our position on {target} has not changed", ""),
)
TARGETS = ("Norland", "Osteria", "Kestria", "Varesh", "the Union of Ardal")


def _long_tail(count: int) -> list[tuple[str, str]]:
    """Extra, less frequent (fictional) officials so a big table has many speakers."""
    countries = [c for _, c in ACTORS if c]
    return [(f"Deputy Minister No. {i + 1}", countries[i % len(countries)]) for i in range(count)]


def synthetic_events(n: int, *, seed: int = 0, start: date = date(2023, 3, 1), days: int = 365) -> pd.DataFrame:
    """An events table of `n` fictional statements over `days` days from `start`.

    Frequent speakers dominate (a Zipf-like law), statements cluster in two flare-ups, and
    each speaker leans towards escalation or de-escalation. Deterministic for a given seed.
    """
    rng = np.random.default_rng(seed)
    actors = list(ACTORS) + _long_tail(max(0, min(400, n // 2000)))
    weights = 1.0 / np.arange(1, len(actors) + 1) ** 1.1
    actor = rng.choice(len(actors), size=n, p=weights / weights.sum())
    speakers = np.array([a[0] for a in actors], dtype=object)[actor]
    countries = np.array([a[1] for a in actors], dtype=object)[actor]

    # Days: a background level plus two flare-ups (a third of the statements each way).
    background = rng.integers(0, days, size=n)
    flare = np.where(rng.random(n) < 0.5, days * 0.3, days * 0.7) + rng.normal(0, days * 0.04, size=n)
    day = np.where(rng.random(n) < 0.6, np.clip(flare, 0, days - 1).astype(np.int64), background)

    # Stance: each actor leans one way; the first flare-up escalates, the second calms down.
    near_first = np.abs(day - days * 0.3) < days * 0.1
    near_second = np.abs(day - days * 0.7) < days * 0.1
    lean = rng.uniform(-0.2, 0.2, size=len(actors))[actor] + 0.35 * near_first - 0.25 * near_second
    draw = rng.random(n)
    neutral = rng.random(n) < 0.2
    stance_index = np.where(neutral, 2, np.where(draw < 0.45 + lean, 0, 1))  # 0 esc, 1 de-esc, 2 neutral
    stances = np.array(["escalation", "de-escalation", "neutral"], dtype=object)[stance_index]
    by_stance = {s: [i for i, t in enumerate(TEMPLATES) if t[0] == s] for s in ("escalation", "de-escalation", "neutral")}
    template = np.empty(n, dtype=np.int64)
    for k, name in enumerate(("escalation", "de-escalation", "neutral")):
        rows = stance_index == k
        template[rows] = rng.choice(by_stance[name], size=int(rows.sum()))
    magnitude = np.round(rng.beta(2.0, 2.5, size=n) * 0.9 + 0.1, 3)
    score = np.where(stance_index == 0, magnitude, np.where(stance_index == 1, -magnitude, np.round(rng.normal(0, 0.04, size=n), 3)))
    score = np.clip(score, -1.0, 1.0)

    # Texts: fill the templates once per (template, target) pair, then index.
    filled = [[t[1].replace("{target}", target) for target in TARGETS] for t in TEMPLATES]
    target_index = rng.integers(0, len(TARGETS), size=n)
    flat = np.array([text for row in filled for text in row], dtype=object)
    quotes = flat[template * len(TARGETS) + target_index]
    cues = np.array([t[2] for t in TEMPLATES], dtype=object)[template]
    targets = np.where(np.char.find(np.array([t[1] for t in TEMPLATES])[template], "{target}") >= 0,
                       np.array(TARGETS, dtype=object)[target_index], "")

    doc = rng.integers(0, max(1, n // 4), size=n)
    doc_ids = pd.Series(doc).map("doc-{:07d}".format).to_numpy(dtype=object)
    source_index = doc % len(SOURCES)
    day_strings = (np.datetime64(start) + day.astype("timedelta64[D]")).astype(str).astype(object)
    published = (np.datetime64(start) + (day + (doc % 2)).astype("timedelta64[D]")).astype(str).astype(object)
    prefix = "“"
    sentences = prefix + quotes + ",” " + speakers + " said."
    lengths = pd.Series(quotes).str.len().to_numpy()
    sentence_start = (doc % 40) * 120
    frame = pd.DataFrame(
        {
            "event_id": pd.Series(np.arange(n)).map("{:016x}".format).to_numpy(dtype=object),
            "doc_id": doc_ids,
            "published": published,
            "date": day_strings,
            "date_basis": np.where(doc % 3 == 0, "published", "on Tuesday"),
            "speaker": speakers,
            "country": countries,
            "target": targets,
            "stance": stances,
            "score": score,
            "confidence": np.round(rng.uniform(0.5, 1.0, size=n), 3),
            "cues": cues,
            "quote": quotes,
            "start": sentence_start + len(prefix),
            "end": sentence_start + len(prefix) + lengths,
            "sentence": sentences,
            "source": np.array(SOURCES, dtype=object)[source_index],
            "url": "https://news.example/" + doc_ids,
            "title": "Tensions in the strait: " + np.array(SOURCES, dtype=object)[source_index] + " report",
            "sentence_start": sentence_start,
            "speaker_mention": speakers,
            "input_file": "synthetic.jsonl",
            # Each statement reported once; ids unique per seed and start, so that tables made
            # with other seeds (and new event_ids) never share a statement by accident.
            "statement_id": pd.Series(np.arange(n)).map(f"s{seed}-{start:%Y%m%d}-{{:x}}".format).to_numpy(dtype=object),
        },
        columns=list(EVENT_COLUMNS),
    )
    return conform_events_frame(frame)


# --- the benchmark ------------------------------------------------------------------------


def scenarios(dataset) -> list:
    """The filter changes a user might make, in order."""
    from .views import Filters

    speakers = list(dataset.speaker_counts)
    countries = list(dataset.country_counts)
    first, last = dataset.first_day, dataset.last_day
    middle = first + (last - first) / 2
    return [
        ("no filter", Filters()),
        ("one speaker", Filters(speakers=(speakers[0],))),
        ("three speakers", Filters(speakers=tuple(speakers[:3]))),
        ("two countries, by country", Filters(countries=tuple(countries[:2]), group_by="country")),
        ("second half of the range", Filters(start=middle, end=last)),
        ("escalation only, |score| ≥ 0.5", Filters(stances=("escalation",), min_abs_score=0.5)),
        ("text search 'ceasefire'", Filters(text="ceasefire")),
        ("daily index, all", Filters(period="day")),
        ("everything at once", Filters(speakers=tuple(speakers[:5]), start=middle, min_abs_score=0.3, text="troops")),
    ]


def run(n: int, repeats: int = 3, seed: int = 0) -> dict:
    """Generate `n` events, then time the dashboard's per-rerun work for each scenario."""
    from .charts import build_view, first_tab_figures
    from .data_io import events_csv_bytes
    from .views import Dataset

    timings: dict = {"events": n}
    started = time.perf_counter()
    frame = synthetic_events(n, seed=seed)
    timings["generate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    dataset = Dataset.from_frame(frame, "synthetic")
    timings["prepare_s"] = time.perf_counter() - started
    rows = []
    for name, filters in scenarios(dataset):
        samples, parts = [], {}
        for _ in range(repeats):
            started = time.perf_counter()
            view = build_view(dataset.events, filters)
            drawn = time.perf_counter()
            for figure in first_tab_figures(view.charts):
                figure.to_json()  # what st.plotly_chart does with the figure
            samples.append(time.perf_counter() - started)
            parts = view.timings | {"figures": time.perf_counter() - drawn}
        rows.append({"scenario": name, "matching": view.matching, "median_s": statistics.median(samples), "max_s": max(samples), **parts})
    timings["rerun"] = rows
    view = build_view(dataset.events, scenarios(dataset)[0][1])
    started = time.perf_counter()
    payload = events_csv_bytes(view.filtered)
    timings["csv_s"] = time.perf_counter() - started
    timings["csv_mb"] = len(payload) / 1e6
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.dashboard.bench",
        description="Time the dashboard's per-rerun work on a synthetic events table. "
        "Example: python -m pipeline.dashboard.bench --events 1000000",
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="number of synthetic events (default 1,000,000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per filter change (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", metavar="PATH", help="also write the synthetic table (.csv or .parquet) and stop")
    args = parser.parse_args(argv)
    if args.write:
        from ..store.tables import write_events

        write_events(synthetic_events(args.events, seed=args.seed), args.write)
        print(f"wrote {args.events:,} synthetic events to {args.write}")
        return 0
    result = run(args.events, repeats=args.repeats, seed=args.seed)
    print(f"{result['events']:,} events: generated in {result['generate_s']:.1f} s, prepared in {result['prepare_s']:.2f} s")
    print(f"{'filter change':34} {'matching':>10} {'median':>8} {'max':>8}   filter  groups  aggreg  figures table")
    for row in result["rerun"]:
        print(
            f"{row['scenario']:34} {row['matching']:>10,} {row['median_s']:>7.3f}s {row['max_s']:>7.3f}s   "
            f"{row.get('filter', 0):.3f}   {row.get('groups', 0):.3f}   {row.get('aggregate', 0):.3f}   {row.get('figures', 0):.3f}   {row.get('table', 0):.3f}"
        )
    print(f"CSV export of all {result['events']:,} rows (only on download click): {result['csv_s']:.2f} s, {result['csv_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
