"""A synthetic event store, for measuring the dashboard on tens of millions of events.

    python -m pipeline.dashboard.generate_store /tmp/store --events 10000000

writes `DIR/events/month=YYYY-MM/synthetic.parquet` (the store's layout: hive partitions by the
month of the statement date, columns exactly `schema.EVENT_COLUMNS`). The rows are plumbing,
not news: fictional countries and officials (names made of syllables), quotes filled from a
few templates. What is meant to look real is the shape:

- years of coverage whose volume grows over time, with crises (two countries, a few weeks to a
  few months) that flare up, escalating first and calming later;
- countries and their speakers with long-tailed frequencies (a few dominate, most are rare),
  named officials beside institutions and unnamed officials;
- each statement reported by one to dozens of outlets: its reports share the `statement_id`
  (the `event_id` of its earliest report) and differ in outlet, article and publication day;
- date precision: most statements dated to the day, some only to the week or month, some by
  the publication date alone (the date then stays the published date).

Generation is vectorised with numpy and pyarrow, one month at a time (a month's rows are one
chunk and one file), so 10,000,000 events take well under a minute and little memory.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from ..schema import EVENT_COLUMNS, FOUND_BY
from .bench import TEMPLATES

EPOCH = np.datetime64("1970-01-01", "D")
FILE_NAME = "synthetic.parquet"
SYLLABLES = (
    "ar", "bel", "cor", "dan", "el", "fen", "gar", "hal", "is", "jor", "kal", "lun", "mar", "nor",
    "ost", "par", "quin", "ros", "sal", "tor", "ul", "var", "wen", "yar", "zel", "tam", "vis", "ker",
)  # fmt: skip
GIVEN = (
    "Mara", "Tomas", "Ilse", "Arvid", "Lena", "Danel", "Yusuf", "Hana", "Petra", "Samir", "Colm", "Nadia",
    "Ines", "Oskar", "Rafa", "Selin", "Ivo", "Amara", "Teodor", "Lior", "Zofia", "Kenji", "Maren", "Elio",
)  # fmt: skip
ROLES = (
    "the {c} foreign ministry",
    "a senior {c} official",
    "{c} officials",
    "the {c} defence ministry spokesman",
    "the {c} army",
)
PRECISIONS = ("day", "week", "month", "published")
PRECISION_SHARES = (0.7, 0.06, 0.04, 0.2)
FOUND_BY_SHARES = (0.85, 0.04, 0.06, 0.05)  # of schema.FOUND_BY: reporting verb, according to, continued quotation, main clause
PRECISION_BASIS = {"week": "last week", "month": "earlier this month", "published": "published"}
DAY_CUES = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday")
HEADLINES = (
    "Tensions rise between {a} and {b}",
    "{a} warns {b} as talks stall",
    "{a} and {b} trade accusations",
    "Diplomats seek calm between {a} and {b}",
    "{a} responds to {b}",
)


@dataclass(frozen=True)
class World:
    """The fictional actors and outlets every month draws from."""

    countries: np.ndarray  # names
    country_weight: np.ndarray  # how much each country speaks, summing to 1
    speakers: np.ndarray  # names, grouped by country
    speaker_country: np.ndarray  # each speaker's country index
    first_speaker: np.ndarray  # per country: the index of its first speaker
    speaker_count: np.ndarray  # per country: how many speakers it has
    outlets: np.ndarray  # names
    outlet_weight: np.ndarray
    crises: np.ndarray  # rows: (first day, last day, country a, country b, intensity)


def _names(rng: np.random.Generator, count: int, parts: tuple[int, int]) -> list[str]:
    """`count` distinct made-up capitalised names of `parts` syllables (min, max)."""
    names: dict[str, None] = {}
    while len(names) < count:
        size = int(rng.integers(parts[0], parts[1] + 1))
        names["".join(rng.choice(SYLLABLES, size=size)).capitalize()] = None
    return list(names)


def make_world(rng: np.random.Generator, *, countries: int, speakers: int, outlets: int, first_day: int, days: int) -> World:
    """Countries, speakers (named officials and each country's institutions), outlets and crises."""
    country_names = np.array(_names(rng, countries, (2, 3)), dtype=object)
    country_weight = 1.0 / np.arange(1, countries + 1) ** 1.2
    # Named officials per country in proportion to how much it speaks, at least two; then its roles.
    named = np.maximum(2, np.round(country_weight / country_weight.sum() * speakers)).astype(int)
    surnames = _names(rng, int(named.sum()), (2, 3))
    names, owner, first, count, taken = [], [], [], [], 0
    for c, country in enumerate(country_names):
        first.append(len(names))
        own = [f"{rng.choice(GIVEN)} {surnames[taken + i]}" for i in range(named[c])]
        taken += named[c]
        # Roles after the first three officials: the leaders speak most, institutions next.
        mine = own[:3] + [role.format(c=country) for role in ROLES] + own[3:]
        names += mine
        owner += [c] * len(mine)
        count.append(len(mine))
    outlet_names = np.array([f"The {name} {kind}" for name, kind in zip(_names(rng, outlets, (2, 3)), rng.choice(["Ledger", "Wire", "Post", "Daily", "Herald", "Times"], size=outlets))], dtype=object)
    outlet_weight = 1.0 / np.arange(1, outlets + 1) ** 0.9
    # About two crises a year, between two of the more prominent countries.
    crisis_count = max(1, days // 180)
    starts = np.sort(rng.integers(first_day, first_day + days, size=crisis_count))
    length = rng.integers(14, 120, size=crisis_count)
    a = np.minimum(rng.zipf(1.6, size=crisis_count) - 1, countries - 1)
    b = (a + 1 + rng.integers(0, min(countries - 1, 12), size=crisis_count)) % countries
    crises = np.column_stack([starts, np.minimum(starts + length, first_day + days - 1), a, b, rng.uniform(2.0, 8.0, size=crisis_count)])
    return World(
        countries=country_names,
        country_weight=country_weight / country_weight.sum(),
        speakers=np.array(names, dtype=object),
        speaker_country=np.array(owner),
        first_speaker=np.array(first),
        speaker_count=np.array(count),
        outlets=outlet_names,
        outlet_weight=outlet_weight / outlet_weight.sum(),
        crises=crises,
    )


def day_weights(world: World, first_day: int, days: int) -> np.ndarray:
    """How many statements each day gets, relative: coverage tripling over the years, a weekly
    rhythm (quieter weekends) and the crises on top."""
    day = np.arange(first_day, first_day + days)
    weight = 1.0 + 2.0 * (day - first_day) / max(days - 1, 1)
    weight *= np.where((day + 3) % 7 >= 5, 0.6, 1.0)  # day 0 was a Thursday: 5, 6 are Sat, Sun
    for start, end, _, _, intensity in world.crises:
        inside = (day >= start) & (day <= end)
        weight[inside] += intensity
    return weight / weight.sum()


def hex_ids(values: np.ndarray) -> pa.Array:
    """16 lower-case hex digits per uint64, as a string array (built from buffers, no Python loop)."""
    shifts = np.arange(60, -4, -4, dtype=np.uint64)
    digits = ((values[:, None] >> shifts) & np.uint64(15)).astype(np.uint8)
    data = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)[digits].tobytes()
    offsets = np.arange(0, 16 * len(values) + 1, 16, dtype=np.int32)
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets.tobytes()), pa.py_buffer(data))


def mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each integer (splitmix64's finaliser): ids that look random, reproducibly."""
    z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _pick(names: np.ndarray, index: np.ndarray) -> pa.Array:
    """`names[index]` as a string array (through a dictionary: no Python strings per row)."""
    return pc.take(pa.array(list(names), pa.string()), pa.array(index.astype(np.int32)))


def _day_strings(days: np.ndarray) -> pa.Array:
    return pa.array((EPOCH + days.astype("timedelta64[D]")).astype("datetime64[D]")).cast(pa.string())


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*(pa.scalar(p, pa.string()) if isinstance(p, str) else p for p in parts), "")


def month_table(world: World, rng: np.random.Generator, days: np.ndarray, day_weight: np.ndarray, events: int, row_offset: int) -> pa.Table:
    """`events` reports of statements made on `days` (one month), in the schema's columns."""
    mentions = np.where(rng.random(events) < 0.6, 1, np.minimum(rng.zipf(2.5, size=events) + 1, 40))  # mean about 1.8
    total = np.cumsum(mentions)
    statements = int(np.searchsorted(total, events)) + 1
    mentions = mentions[:statements]
    mentions[-1] -= int(total[statements - 1]) - events  # the last statement's reports fill the month exactly

    # --- per statement ---
    day = rng.choice(days, size=statements, p=day_weight / day_weight.sum())
    country = rng.choice(len(world.countries), size=statements, p=world.country_weight)
    lean = np.zeros(statements)
    target_country = rng.integers(0, len(world.countries), size=statements)
    for start, end, a, b, _ in world.crises:
        inside = (day >= start) & (day <= end)
        if not inside.any():
            continue
        # In a crisis most statements come from its two countries, each aimed at the other.
        involved = inside & (rng.random(statements) < 0.7)
        side = rng.random(statements) < 0.5
        country = np.where(involved, np.where(side, a, b), country).astype(np.int64)
        target_country = np.where(involved, np.where(side, b, a), target_country).astype(np.int64)
        phase = (day - start) / max(end - start, 1)  # 0 at the start, 1 at the end
        lean = np.where(involved, 0.45 - 0.8 * phase, lean)
    target_country = np.where(target_country == country, (country + 1) % len(world.countries), target_country)
    skew = rng.random(statements) ** 3  # the first speakers of a country speak most
    speaker = world.first_speaker[country] + (skew * world.speaker_count[country]).astype(np.int64)
    neutral = rng.random(statements) < 0.2
    escalates = rng.random(statements) < 0.45 + lean
    stance = np.where(neutral, 2, np.where(escalates, 0, 1))
    magnitude = np.round(rng.beta(2.0, 2.5, size=statements) * 0.9 + 0.1, 3)
    score = np.where(stance == 0, magnitude, np.where(stance == 1, -magnitude, np.round(rng.normal(0, 0.04, statements), 3)))
    by_stance = [np.array([i for i, t in enumerate(TEMPLATES) if t[0] == s]) for s in ("escalation", "de-escalation", "neutral")]
    template = np.empty(statements, dtype=np.int64)
    for k, choices in enumerate(by_stance):
        rows = stance == k
        template[rows] = rng.choice(choices, size=int(rows.sum()))
    precision = rng.choice(len(PRECISIONS), size=statements, p=PRECISION_SHARES)
    found_by = rng.choice(len(FOUND_BY), size=statements, p=FOUND_BY_SHARES)

    # --- per report: the statement's values repeated, the outlet's own ---
    of = np.repeat(np.arange(statements), mentions)
    lag = rng.choice(3, size=events, p=(0.6, 0.3, 0.1))
    lag[np.r_[0, np.cumsum(mentions)[:-1]]] = 0  # the earliest report comes out on the day
    published = np.minimum(day[of] + lag, days[-1])  # kept in the month: the partition is the date's month
    dated = precision[of] == 0
    report_day = np.where(dated, day[of], published)  # without a day cue the date is the published date
    row = np.arange(row_offset, row_offset + events, dtype=np.uint64)
    event_id = hex_ids(mix(row))
    head = np.r_[0, np.cumsum(mentions)[:-1]]  # each statement's first (earliest) report
    outlet = rng.choice(len(world.outlets), size=events, p=world.outlet_weight)
    slot = rng.integers(0, 30, size=events)  # statements of one outlet, day and slot share an article
    doc = mix(outlet.astype(np.uint64) * np.uint64(1 << 20) + published.astype(np.uint64) * np.uint64(64) + slot.astype(np.uint64))
    doc_id = hex_ids(doc)
    speaker_names = _pick(world.speakers, speaker[of])
    template_texts = [t[1] for t in TEMPLATES]
    quote_texts = [text.replace("{target}", name) for text in template_texts for name in world.countries]
    quote_index = template[of] * len(world.countries) + target_country[of]
    quote = _pick(np.array(quote_texts, dtype=object), quote_index)
    has_target = np.array(["{target}" in t for t in template_texts])[template[of]]
    target = _pick(np.r_[world.countries, [""]], np.where(has_target, target_country[of], len(world.countries)))
    basis_names = np.array(list(DAY_CUES) + [PRECISION_BASIS[p] for p in PRECISIONS[1:]], dtype=object)
    basis = np.where(dated, (day[of] + 3) % 7, len(DAY_CUES) + precision[of] - 1)
    outlet_names = _pick(world.outlets, outlet)
    headline = rng.integers(0, len(HEADLINES), size=events)
    titles = [h.format(a=a, b=b) for h in HEADLINES for a in world.countries[:12] for b in world.countries[:12]]
    title_index = headline * 144 + np.minimum(country[of], 11) * 12 + np.minimum(target_country[of], 11)
    quote_lengths = pc.utf8_length(quote).to_numpy()
    sentence_start = (slot * 137).astype(np.int64)
    columns = {
        "event_id": event_id,
        "doc_id": doc_id,
        "published": _day_strings(published),
        "date": _day_strings(report_day),
        "date_basis": _pick(basis_names, basis),
        "speaker": speaker_names,
        "country": _pick(world.countries, country[of]),
        "target": target,
        "stance": _pick(np.array(["escalation", "de-escalation", "neutral"], dtype=object), stance[of]),
        "score": pa.array(np.clip(score[of], -1.0, 1.0)),
        "confidence": pa.array(np.round(rng.uniform(0.5, 1.0, size=events), 3)),
        "cues": _pick(np.array([t[2] for t in TEMPLATES], dtype=object), template[of]),
        "quote": quote,
        "start": pa.array(sentence_start + 1),
        "end": pa.array(sentence_start + 1 + quote_lengths),
        "sentence": _join("“", quote, ",” ", speaker_names, " said."),
        "source": outlet_names,
        "url": _join("https://news.example/", doc_id),
        "title": _pick(np.array(titles, dtype=object), title_index),
        "sentence_start": pa.array(sentence_start),
        "speaker_mention": speaker_names,
        "input_file": pa.array(np.full(events, "synthetic-store"), pa.string()),
        "date_precision": _pick(np.array(PRECISIONS, dtype=object), precision[of]),
        "statement_id": pc.take(event_id, pa.array(head[of].astype(np.int32))),
        "found_by": _pick(np.array(FOUND_BY, dtype=object), found_by[of]),
    }
    unknown = [c for c in EVENT_COLUMNS if c not in columns]
    if unknown:
        raise ValueError(f"the generator makes no values for the column(s) {', '.join(unknown)}: add them to month_table")
    table = pa.table({name: columns[name] for name in EVENT_COLUMNS})
    schema = pa.schema([pa.field(f.name, pa.large_string() if pa.types.is_string(f.type) else f.type) for f in table.schema])
    return table.cast(schema)


def month_starts(first: date, last: date) -> list[np.datetime64]:
    """The first day of every month from `first`'s to `last`'s, and of the month after."""
    months = np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 2)
    return list(months.astype("datetime64[D]"))


def generate(
    folder: Path,
    events: int,
    *,
    seed: int = 0,
    first: date = date(2015, 1, 1),
    last: date = date(2026, 11, 30),
    countries: int = 60,
    speakers: int = 2000,
    outlets: int = 300,
    progress=None,
) -> int:
    """Write `events` synthetic events into the store at `folder`, one file per month; returns
    the number of month partitions. `folder/events` must not exist yet (nothing is overwritten)."""
    root = folder / "events"
    if root.exists():
        raise FileExistsError(f"{root} already exists: choose a new folder or delete it first")
    rng = np.random.default_rng(seed)
    first_day = int((np.datetime64(first, "D") - EPOCH).astype(np.int64))
    days = int((np.datetime64(last, "D") - np.datetime64(first, "D")).astype(np.int64)) + 1
    world = make_world(rng, countries=countries, speakers=speakers, outlets=outlets, first_day=first_day, days=days)
    weight = day_weights(world, first_day, days)
    starts = month_starts(first, last)
    bounds = [min(max(int((s - EPOCH).astype(np.int64)) - first_day, 0), days) for s in starts]
    month_weight = np.array([weight[a:b].sum() for a, b in zip(bounds[:-1], bounds[1:])])
    counts = rng.multinomial(events, month_weight / month_weight.sum())
    staging = folder / ".events-incomplete"
    shutil.rmtree(staging, ignore_errors=True)  # left by an interrupted run
    staging.mkdir(parents=True)
    written, offset = 0, 0
    for month, (a, b, count) in enumerate(zip(bounds[:-1], bounds[1:], counts)):
        if count == 0:
            continue
        table = month_table(world, rng, np.arange(first_day + a, first_day + b), weight[a:b], int(count), offset)
        offset += int(count)
        part = staging / f"month={str(starts[month])[:7]}"
        part.mkdir()
        pq.write_table(table, part / FILE_NAME, compression="zstd", row_group_size=256_000)
        written += 1
        if progress is not None:
            progress(offset, events)
    staging.rename(root)  # the store appears whole or not at all
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.dashboard.generate_store",
        description="Write a synthetic event store (fictional, for benchmarks). "
        "Example: python -m pipeline.dashboard.generate_store /tmp/store --events 10000000",
    )
    parser.add_argument("folder", type=Path, help="the store folder (its events/ must not exist yet)")
    parser.add_argument("--events", type=int, default=10_000_000, help="number of events (default 10,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first", type=date.fromisoformat, default=date(2015, 1, 1), help="first day (default 2015-01-01)")
    parser.add_argument("--last", type=date.fromisoformat, default=date(2026, 11, 30), help="last day (default 2026-11-30)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tqdm(total=args.events, unit=" events", unit_scale=True, desc="generating") as bar:
        try:
            months = generate(args.folder, args.events, seed=args.seed, first=args.first, last=args.last, progress=lambda done, _: bar.update(done - bar.n))
        except FileExistsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (args.folder / "events").rglob("*.parquet"))
    print(f"wrote {args.events:,} events in {months} monthly partitions to {args.folder / 'events'} ({size / 1e6:,.0f} MB) in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["FILE_NAME", "generate", "hex_ids", "main", "make_world", "mix", "month_table"]
