"""One statement, many reports: the reports of one statement share a `statement_id`.

Wire copy is republished by dozens of outlets, and a minister's remark is quoted by every paper
that covers it; each copy is an event of its own article. Two events from different articles
report the same statement when

- their speakers may be one (`compatible_speakers`): the same name once normalised (accents,
  case, punctuation, a leading "the"), or, for the same country (or one unknown), one's words
  inside the other's ("Foreign Ministry" / "Belarusian Foreign Ministry"), a spelling variant
  ("Yahya Saree" / "Yahya Sarea", "Kim Yo Jong" / "Kim Yo-jong"), the same person by another
  form of the name ("Tchiani" / "General Abdourahamane Tiani"); and for one known country, a
  speaker named only by role ("the president", "the Ministry of Defence") may be any speaker
  of that country ("Donald Trump", "India's Defence Ministry");
- their dates are at most a day apart (an outlet dating by publication, another by "on Sunday");
- their quotes are near-duplicates (`quote_similarity`, rapidfuzz over normalised text).

Comparisons are blocked by day (a day's events against those of the days either side) and by
speaker, and word-for-word copies are compared once, so the work grows with the distinct quotes
per speaker-day, never with all pairs. Matches are joined best first into statements (union-find)
that never hold two reports from one article. A statement's id is the smallest `event_id` of its reports when they arrive together, and stays
what it was stored with when more reports arrive later: ids never depend on row order, and a
stored row is rewritten only when a new report joins two stored statements.

`assign_statement_ids` stamps a batch (and the store's rows it joins); `statements_view` gives one
row per statement. `python -m pipeline.store.statements --pairs eval/syndication/pairs.jsonl`
measures the merge on annotated pairs of real reports.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.datafiles import DATA_DIR, read_data_rows

# Chosen on the first train pairs of eval/syndication (see its README): the lowest quote threshold
# that kept precision at 1.0 there. On today's larger train split, merged as the store merges, it
# would be 52, which on the pipeline's own reports of eval/real/statement_pairs halves precision
# (0.95 -> 0.49): their quotes are short clauses of one briefing that share words. NAME_THRESHOLD: spelling
# variants of one name score 87-97 there ("yahya sarea" / "yahya saree"), two people of one
# country at most 59.
QUOTE_THRESHOLD = 70.0
NAME_THRESHOLD = 85.0
# Surnames of one person as outlets spell them score 83-91 ("tchiani" / "tiani" / "tianyi").
SURNAME_THRESHOLD = 80.0
# A quote this short matches only as a whole ("We are open to dialogue." is not every longer quote
# holding those words); a longer one may be matched as a fragment or a reordering of the other.
MIN_FRAGMENT_WORDS = 6
DAY_WINDOW = 1

_LEADING_WORDS = {"the", "a", "an", "mr", "mrs", "ms", "dr"}
# Words of a speaker's name that name nobody, besides the titles, roles and places of the data files.
_FUNCTION_WORDS = {"the", "a", "an", "s", "of", "and", "for", "in", "on", "at", "to", "by", "its", "his", "her", "their"}
# data/attribution_terms.csv kinds whose words describe a speaker without naming them.
_ROLE_KINDS = ("title", "role", "org_word", "head_title", "leader_word", "press_unit", "communication_noun", "non_party")


# Apostrophes go without a trace, typographic or not: one outlet's "Ren’ai" and another's "Ren'ai" are
# both "renai" (ASCII folding alone would drop ’ but split at ').
_APOSTROPHES = str.maketrans(dict.fromkeys("'\u2019\u2018\u02bc"))
_POSSESSIVE = re.compile(r"['\u2019\u02bc]s\b")


def normalise_quote(quote: str) -> str:
    """Lower case ASCII words: accents, quotation marks, brackets and punctuation dropped."""
    text = unicodedata.normalize("NFKD", quote.translate(_APOSTROPHES)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


@lru_cache(maxsize=65536)
def normalise_speaker(name: str) -> str:
    """"The Belarusian Foreign Ministry" -> "belarusian foreign ministry", "Kim Yo-jong" -> "kim yo jong",
    "Thailand’s acting premier" -> "thailand acting premier" (a possessive is its owner's name)."""
    words = normalise_quote(_POSSESSIVE.sub(" ", name)).split()
    while words and words[0] in _LEADING_WORDS:
        words = words[1:]
    return " ".join(words)


def quote_similarity(a: str, b: str) -> float:
    """0-100: how nearly two normalised quotes are the same words: rapidfuzz's token_set_ratio
    (100 when one's words are all in the other: an outlet quoting part of a sentence), or, when
    the shorter quote has fewer than `MIN_FRAGMENT_WORDS` words, the plain ratio of the two."""
    if min(a.count(" "), b.count(" ")) + 1 < MIN_FRAGMENT_WORDS:
        return fuzz.ratio(a, b)
    return fuzz.token_set_ratio(a, b)


def _similarities(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """`quote_similarity` of every quote in `a` against every quote in `b` where it reaches
    `QUOTE_THRESHOLD` (0 elsewhere), vectorised; the plain ratio only for the short quotes."""
    scores = process.cdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32, score_cutoff=QUOTE_THRESHOLD)
    short_a = np.flatnonzero([q.count(" ") + 1 < MIN_FRAGMENT_WORDS for q in a])
    short_b = np.flatnonzero([q.count(" ") + 1 < MIN_FRAGMENT_WORDS for q in b])
    if len(short_a):
        scores[short_a, :] = process.cdist([a[i] for i in short_a], b, scorer=fuzz.ratio, dtype=np.float32, score_cutoff=QUOTE_THRESHOLD)
    if len(short_b):
        scores[:, short_b] = process.cdist(a, [b[j] for j in short_b], scorer=fuzz.ratio, dtype=np.float32, score_cutoff=QUOTE_THRESHOLD)
    return scores


@lru_cache(maxsize=1)
def _unnaming_words() -> frozenset[str]:
    """Normalised words that describe a speaker without naming them: the titles, roles and
    bodies of data/attribution_terms.csv and the words of data/places.csv's place names."""
    from pipeline.extraction.attribution import AttributionTerms  # spaCy only for a process that merges

    terms = AttributionTerms.load().by_kind
    words = set(_FUNCTION_WORDS)
    for kind in _ROLE_KINDS:
        words.update(word for term in terms.get(kind, ()) for word in normalise_quote(term).split())
    for row in read_data_rows(DATA_DIR / "places.csv"):
        words.update(normalise_quote(row["term"]).split())
    return frozenset(words)


@lru_cache(maxsize=65536)
def name_words(speaker: str) -> tuple[str, ...]:
    """The words of a normalised speaker that name somebody: "polish prime minister mateusz
    morawiecki" -> ("mateusz", "morawiecki"); none for a role ("the ministry of defence")."""
    unnaming = _unnaming_words()
    return tuple(w for w in speaker.split() if w not in unnaming and not w.isdigit())


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names (`name_words`) may be one person: one's words inside the other's, or
    surnames alike ("tchiani" / "abdourahamane tiani") with given names alike where both have them."""
    if set(a) <= set(b) or set(b) <= set(a):
        return True
    given_alike = len(a) == 1 or len(b) == 1 or fuzz.ratio(a[0], b[0]) >= SURNAME_THRESHOLD
    return given_alike and fuzz.ratio(a[-1], b[-1]) >= SURNAME_THRESHOLD


@lru_cache(maxsize=262144)
def compatible_speakers(a: str, b: str, country_a: str = "", country_b: str = "") -> bool:
    """Whether two speakers, as normalised by `normalise_speaker`, may be one speaker: never for two
    known countries that differ ("Foreign Ministry" of Belarus and of Russia). A speaker named
    only by role ("the president") may be any speaker of its country, when both countries are
    known: outlets credit one remark to "Trump" and to "the president", to a ministry and to
    "the government"."""
    if not a or not b or (country_a and country_b and country_a != country_b):
        return False
    if a == b:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    if words_a <= words_b or words_b <= words_a or fuzz.ratio(a, b) >= NAME_THRESHOLD:
        return True
    names_a, names_b = name_words(a), name_words(b)
    if not names_a or not names_b:
        return bool(country_a) and country_a == country_b
    return _same_person(names_a, names_b)


# --- clustering ------------------------------------------------------------------------------


class _Statements:
    """Union-find over row positions that never joins two rows of one article, nor two groups
    whose reports would then span more than `DAY_WINDOW` days: a statement is made once, and its
    reports are dated within a day of each other, so a remark repeated day after day (a
    spokesman's formula) does not chain into one statement across a backfill."""

    def __init__(self, docs: Sequence[str], days: Sequence[int]):
        self.parent = list(range(len(docs)))
        self.docs = [{doc} for doc in docs]
        self.span = [(day, day) for day in days]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int, *, bounded: bool = True) -> None:
        a, b = self.find(i), self.find(j)
        if a == b or self.docs[a] & self.docs[b]:
            return
        span = (min(self.span[a][0], self.span[b][0]), max(self.span[a][1], self.span[b][1]))
        if bounded and span[1] - span[0] > DAY_WINDOW:
            return
        if len(self.docs[a]) < len(self.docs[b]):
            a, b = b, a
        self.parent[b] = a
        self.docs[a] |= self.docs[b]
        self.span[a] = span


def _candidate_pairs(frame: pd.DataFrame, dates: pd.Series, fresh: Sequence[bool] | None = None) -> list[tuple[float, int, int]]:
    """(similarity, i, j): rows that report the same statement, to be joined best first; with
    `fresh`, only pairs holding a fresh row (the others were merged before).

    Rows with the same day, speaker and normalised quote (a wire story reprinted word for word)
    form one item, chained at 100, so a story reprinted by hundreds of outlets costs one item.
    Each day's fresh items are compared with the items of the days within `DAY_WINDOW` of the
    same country (or an unknown one), in one vectorised rapidfuzz call per day and country, and
    kept where the speakers are compatible."""
    days = dates.dt.date.tolist()
    speakers = [normalise_speaker(s) for s in frame["speaker"].fillna("")]
    countries = frame["country"].fillna("").astype(str).tolist()
    quotes = [normalise_quote(q) for q in frame["quote"].fillna("")]
    fresh = [True] * len(frame) if fresh is None else list(fresh)
    items: dict[tuple, list[int]] = defaultdict(list)  # (day, country, speaker, quote) -> rows
    for position, day in enumerate(days):
        if not pd.isna(day):
            items[(day, countries[position], speakers[position], quotes[position])].append(position)
    found: dict[tuple[int, int], float] = {}
    for rows in items.values():
        for i, j in itertools.pairwise(rows):
            found[(i, j)] = 100.0
    by_day: dict[dt.date, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))  # day -> country -> items
    for item in items:
        by_day[item[0]][item[1]].append(item)
    for day, today in by_day.items():
        window: dict[str, list[tuple]] = defaultdict(list)
        for step in range(-DAY_WINDOW, DAY_WINDOW + 1):
            for country, day_items in by_day.get(day + dt.timedelta(days=step), {}).items():
                window[country].extend(day_items)
        for country, day_items in today.items():
            mine = [item for item in day_items if any(fresh[i] for i in items[item])]
            if not mine:
                continue
            # a known country meets itself and the unknown one; the unknown one meets every country
            theirs = [item for other in ((country, "") if country else tuple(window)) for item in window.get(other, [])]
            for mine_group, theirs_group in _speaker_groups(mine, theirs):
                scores = _similarities([item[3] for item in mine_group], [item[3] for item in theirs_group])
                scores[~_speaker_matrix(mine_group, theirs_group)] = 0
                for a, b in zip(*np.nonzero(scores)):
                    if mine_group[a] != theirs_group[b]:
                        i, j = sorted((items[mine_group[a]][0], items[theirs_group[b]][0]))
                        found[(i, j)] = max(found.get((i, j), 0.0), float(scores[a, b]))
    return [(score, i, j) for (i, j), score in found.items()]


def _speaker_groups(mine: list[tuple], theirs: list[tuple]) -> Iterable[tuple[list[tuple], list[tuple]]]:
    """The items split by groups of speakers that may be one (connected by `compatible_speakers`),
    so that quotes are compared only within a group: a country-day's spokesman against its
    spokesman, not against every minister."""
    keys = sorted({item[1:3] for item in mine} | {item[1:3] for item in theirs})
    parent = list(range(len(keys)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a in range(len(keys)):
        for b in range(a + 1, len(keys)):
            if compatible_speakers(keys[a][1], keys[b][1], keys[a][0], keys[b][0]):
                parent[root(a)] = root(b)
    group_of = {key: root(n) for n, key in enumerate(keys)}
    mine_by, theirs_by = defaultdict(list), defaultdict(list)
    for item in mine:
        mine_by[group_of[item[1:3]]].append(item)
    for item in theirs:
        theirs_by[group_of[item[1:3]]].append(item)
    for group, group_items in mine_by.items():
        yield group_items, theirs_by[group]


def _speaker_matrix(mine: list[tuple], theirs: list[tuple]) -> np.ndarray:
    """compatible_speakers of every item of `mine` against every item of `theirs` ((day, country,
    speaker, quote) items), computed once per distinct pair of (country, speaker)."""
    left = sorted({item[1:3] for item in mine})
    right = sorted({item[1:3] for item in theirs})
    table = np.array([[compatible_speakers(a[1], b[1], a[0], b[0]) for b in right] for a in left], dtype=bool)
    table = table.reshape(len(left), len(right))
    left_index = {key: n for n, key in enumerate(left)}
    right_index = {key: n for n, key in enumerate(right)}
    rows = np.array([left_index[item[1:3]] for item in mine], dtype=np.intp)
    columns = np.array([right_index[item[1:3]] for item in theirs], dtype=np.intp)
    return table[np.ix_(rows, columns)]


def statement_ids(frame: pd.DataFrame, known: Sequence[str] | None = None) -> pd.Series:
    """The statement id of every row of an events frame (a Series aligned with its rows).

    `known`, when given, holds per row the statement id it was stored with ("" for a new row):
    rows sharing one stay one statement. A statement keeps its stored id (the smallest, when a
    new report joins two stored statements), so stored rows are rewritten only on such a join;
    a statement of new rows only takes the smallest of their event ids. Either way the ids do
    not depend on the order of the rows."""
    frame = frame.reset_index(drop=True)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    days = ((dates - pd.Timestamp("1970-01-01")).dt.days.fillna(0)).astype("int64").tolist()
    statements = _Statements(frame["doc_id"].astype(str).tolist(), days)
    event_ids = frame["event_id"].astype(str).tolist()
    labels = [(1, event_id) for event_id in frame["event_id"].astype(str)]  # stored ids (0, id) win over new ones
    if known is not None:
        first_with: dict[str, int] = {}
        for position, statement in enumerate(known):
            if statement:
                labels[position] = (0, statement)
                statements.join(first_with.setdefault(statement, position), position, bounded=False)
    fresh = None if known is None else [not statement for statement in known]
    # Best pairs first, ties by event ids, not row positions: which joins the span bound refuses
    # must not depend on the order of the rows.
    for _, i, j in sorted(_candidate_pairs(frame, dates, fresh), key=lambda t: (-t[0], sorted((event_ids[t[1]], event_ids[t[2]])))):
        statements.join(i, j)
    best: dict[int, tuple[int, str]] = {}
    for position, label in enumerate(labels):
        root = statements.find(position)
        best[root] = min(best.get(root, label), label)
    return pd.Series([best[statements.find(i)][1] for i in range(len(frame))], dtype="string")


def assign_statement_ids(events: pd.DataFrame, existing: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows to write: `events` with `statement_id` set, then the rows of `existing` whose
    statement id changes (a new report joined two stored statements into one).

    `existing` are rows already stored with their statement ids: for a batch, the store's rows of
    the days `store_window(events)` lists. A changed id may also be held by stored rows outside
    that window; `renamed_statements` gives the old -> new ids to rewrite them too. Pure: the
    inputs are not modified."""
    if existing is None or existing.empty:
        if events.empty:
            return events.copy()
        return events.assign(statement_id=statement_ids(events).to_numpy()).astype({"statement_id": "string"})
    both = pd.concat([events, existing], ignore_index=True)
    known = [""] * len(events) + existing["statement_id"].fillna("").astype(str).tolist()
    ids = statement_ids(both, known).to_numpy()
    new = events.assign(statement_id=ids[: len(events)])
    before = existing["statement_id"].fillna("").astype(str).to_numpy()
    moved = before != ids[len(events):]
    changed = existing.loc[moved].assign(statement_id=ids[len(events):][moved])
    return pd.concat([new, changed], ignore_index=True).astype({"statement_id": "string"})


def renamed_statements(existing: pd.DataFrame, written: pd.DataFrame) -> dict[str, str]:
    """Old -> new statement id for every stored statement that `assign_statement_ids` merged
    into another (its rows outside the window must take the new id as well)."""
    after = written.drop_duplicates("event_id").set_index("event_id")["statement_id"]
    stored = existing[existing["event_id"].isin(after.index)]
    pairs = zip(stored["statement_id"].astype(str), after.loc[stored["event_id"]].astype(str))
    return {old: new for old, new in pairs if old != new}


def store_window(events: pd.DataFrame, reach: int = DAY_WINDOW) -> list[str]:
    """The statement dates (YYYY-MM-DD) the store must read to merge `events`: each event's day
    and the `reach` days either side."""
    days = pd.to_datetime(events["date"], errors="coerce").dropna().dt.date.unique()
    wanted = {day + dt.timedelta(days=step) for day in days for step in range(-reach, reach + 1)}
    return sorted(day.isoformat() for day in wanted)


def statements_view(events: pd.DataFrame) -> pd.DataFrame:
    """One row per statement, earliest first: the fields of its first report (earliest published,
    ties by event_id), `mentions` (its reports), `sources` and `urls` (every one, once, in order of
    publication) and `first_seen` (the first report's published date)."""
    ordered = events.sort_values(["published", "event_id"], kind="stable")
    groups = ordered.groupby("statement_id", sort=False)
    first = groups.head(1).set_index("statement_id")
    view = first.assign(
        mentions=groups.size().astype("int64"),
        sources=groups["source"].agg(_listed),
        urls=groups["url"].agg(_listed),
        first_seen=first["published"],
    ).reset_index()
    return view.loc[:, [*events.columns, "mentions", "sources", "urls", "first_seen"]].reset_index(drop=True)


def _listed(values: pd.Series) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


# --- measuring the merge on annotated pairs -----------------------------------------------------


def merged_pairs(pairs: Sequence[dict]) -> list[bool]:
    """Per pair, whether the merge puts its two reports (dicts with url, speaker, country, date,
    quote) in one statement, the merge running as the store runs it: `statement_ids` over all the
    pairs' reports at once, each url an article, so that statements join through third reports
    and a report already joined to a better match of the other's article is not joined again."""
    reports: dict[tuple[str, str], dict] = {}
    for pair in pairs:
        for report in (pair["a"], pair["b"]):
            reports.setdefault((report["url"], report["quote"]), report)
    frame = pd.DataFrame([
        {**report, "doc_id": report["url"], "event_id": f"r{number:05d}"} for number, report in enumerate(reports.values())
    ])
    ids = dict(zip(reports, statement_ids(frame))) if reports else {}
    return [ids[(p["a"]["url"], p["a"]["quote"])] == ids[(p["b"]["url"], p["b"]["quote"])] for p in pairs]


def read_pairs(path: str | Path) -> list[dict]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SystemExit(f"{path}: cannot read ({exc.strerror or exc})") from None
    return [json.loads(line) for line in lines if line.strip()]


def scores(pairs: Sequence[dict]) -> dict[str, float]:
    """Precision and recall of the merge on annotated pairs (`merged_pairs`), and per pair kind
    the share of pairs it merges."""
    predicted = merged_pairs(pairs)
    truth = [bool(p["same"]) for p in pairs]
    tp = sum(p and t for p, t in zip(predicted, truth))
    fp = sum(p and not t for p, t in zip(predicted, truth))
    fn = sum(t and not p for p, t in zip(predicted, truth))
    merged: dict[str, list[bool]] = defaultdict(list)
    for pair, merge in zip(pairs, predicted):
        merged[pair.get("kind", "")].append(merge)
    return {
        "pairs": len(pairs), "positive": sum(truth),
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
        "merged_by_kind": {kind: (sum(flags), len(flags)) for kind, flags in sorted(merged.items())},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.store.statements",
        description="Measure the statement merge on annotated pairs of reports (precision and recall per split, "
                    "and how many pairs of each kind were merged).",
        epilog="example: python -m pipeline.store.statements --pairs eval/syndication/pairs.jsonl",
    )
    parser.add_argument("--pairs", required=True, help="pairs.jsonl: one pair of reports a line, with same, kind and split")
    args = parser.parse_args(argv)
    pairs = read_pairs(args.pairs)
    for split in ("train", "test"):
        chosen = [p for p in pairs if p.get("split") == split]
        if not chosen:
            continue
        s = scores(chosen)
        print(f"{split:5}  pairs {s['pairs']:4d}  positive {s['positive']:4d}  precision {s['precision']:.3f}  recall {s['recall']:.3f}")
        for kind, (merged, total) in s["merged_by_kind"].items():
            print(f"         {kind:28} merged {merged:3d} of {total:3d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
