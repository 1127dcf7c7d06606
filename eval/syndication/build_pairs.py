"""Build `pairs.jsonl` from the annotated reports in `reports.jsonl` (see README.md).

Each report is one statement as one outlet printed it, annotated with the `statement` it reports
and the `actor` who made it. Two reports from different articles form a pair: the same
`statement` is a positive; a different one a negative, of one of three kinds (same actor within a
day, same actor on another day, another actor in the same story). Every positive is kept; each
story contributes as many negatives as positives (at least three), hardest kinds first, chosen by
a hash so that a rebuild gives the same file. Whole stories go to train or test (by the sha256 of
the story name, until test holds 40% of the pairs), so that no statement is in both.

    python eval/syndication/build_pairs.py
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from pipeline.annotated import normalised_url, reserved_hashes, url_hash
from pipeline.store.statements import normalise_quote

REPORT_FIELDS = ("url", "source", "published", "speaker", "country", "date", "quote")
NEGATIVE_KINDS = ("same speaker, within a day", "other speaker", "same speaker, other day")
TEST_SHARE = 0.4
MIN_NEGATIVES = 3
TAKEN_SETS = (HERE.parent / "real" / "articles.jsonl", HERE.parent.parent.parent / "shared" / "eval" / "dev" / "articles.jsonl")


def read_reports(path: Path) -> list[dict]:
    reports = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    check_urls(reports)
    return reports


def check_urls(reports: list[dict]) -> None:
    """No url of the hidden set, the real corpus or the dev set: raise naming the first found."""
    reserved = reserved_hashes()
    taken = {normalised_url(json.loads(line)["url"]) for path in TAKEN_SETS if path.exists()
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    for report in reports:
        if url_hash(report["url"]) in reserved or normalised_url(report["url"]) in taken:
            raise SystemExit(f"{report['url']}: reserved or already used by an annotated set")


def pair_kind(a: dict, b: dict) -> str:
    if a["statement"] == b["statement"]:
        return "verbatim" if normalise_quote(a["quote"]) == normalise_quote(b["quote"]) else "variant"
    if a["actor"] != b["actor"]:
        return "other speaker"
    days = abs((dt.date.fromisoformat(a["date"]) - dt.date.fromisoformat(b["date"])).days)
    return "same speaker, within a day" if days <= 1 else "same speaker, other day"


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def story_pairs(reports: list[dict]) -> list[dict]:
    """The pairs of one story: every positive, and as many negatives, hardest kinds first."""
    positives, negatives = [], defaultdict(list)
    for a, b in itertools.combinations(reports, 2):
        if a["url"] == b["url"]:
            continue
        kind = pair_kind(a, b)
        pair = {"same": a["statement"] == b["statement"], "kind": kind, "story": a["story"],
                "a": {k: a[k] for k in REPORT_FIELDS}, "b": {k: b[k] for k in REPORT_FIELDS}}
        (positives if pair["same"] else negatives[kind]).append(pair)
    for kind in negatives:
        negatives[kind].sort(key=lambda p: _hash(p["a"]["url"], p["a"]["quote"], p["b"]["url"], p["b"]["quote"]))
    wanted = max(len(positives), MIN_NEGATIVES)
    chosen: list[dict] = []
    queues = [list(negatives[kind]) for kind in NEGATIVE_KINDS]
    while len(chosen) < wanted and any(queues):
        for queue in queues:  # round robin over the kinds, in order of difficulty
            if queue and len(chosen) < wanted:
                chosen.append(queue.pop(0))
    return positives + chosen


def split_stories(pairs_by_story: dict[str, list[dict]]) -> set[str]:
    total = sum(len(p) for p in pairs_by_story.values())
    test: set[str] = set()
    count = 0
    for story in sorted(pairs_by_story, key=lambda s: _hash(s)):
        if count >= TEST_SHARE * total:
            break
        test.add(story)
        count += len(pairs_by_story[story])
    return test


def main() -> int:
    reports = read_reports(HERE / "reports.jsonl")
    by_story: dict[str, list[dict]] = defaultdict(list)
    for report in reports:
        by_story[report["story"]].append(report)
    pairs_by_story = {story: story_pairs(rows) for story, rows in sorted(by_story.items())}
    test = split_stories(pairs_by_story)
    with open(HERE / "pairs.jsonl", "w", encoding="utf-8") as out:
        for story, pairs in pairs_by_story.items():
            for number, pair in enumerate(pairs):
                row = {"pair_id": f"{story}/{number}", "split": "test" if story in test else "train", **pair}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    rows = [p for pairs in pairs_by_story.values() for p in pairs]
    print(f"{len(rows)} pairs ({sum(p['same'] for p in rows)} positive) from {len(reports)} reports, "
          f"{len({r['url'] for r in reports})} pages, {len(by_story)} stories; test stories: {', '.join(sorted(test))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
