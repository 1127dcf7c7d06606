"""The statement pairs of the real corpus: pairs of the pipeline's own reports, from different
articles of `eval/real`, that the statement merge could take for one statement, annotated as the
same statement or not (see README.md).

    python eval/real/statement_pairs/build.py candidates EVENTS.csv   # candidates.jsonl, to annotate
    python eval/real/statement_pairs/build.py pairs                   # pairs.jsonl, from the labels

`candidates` takes an events table of `python -m pipeline run eval/real/articles.jsonl --out
EVENTS.csv` and keeps every pair of reports from two articles with the same country, dates at
most a day apart, speakers that may be one (`compatible_speakers`) and quotes that share words:
rapidfuzz token-set ratio at least 50 over the normalised quotes, or 45 over their content words.
`pairs` joins the two annotators' labels (`labels_a.jsonl`, `labels_b.jsonl`) with the
adjudicated disagreements (`adjudicated.jsonl`), drops the pairs left `unsure`, prints the
agreement and writes `pairs.jsonl` in the format of `eval/syndication/pairs.jsonl`, split by the
crisis splits of `eval/real/splits.json`.
"""
from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent.parent))

import pandas as pd  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402

from pipeline.store.statements import DAY_WINDOW, compatible_speakers, normalise_quote, normalise_speaker  # noqa: E402

REPORT_FIELDS = ("url", "source", "published", "speaker", "country", "date", "quote")
SHOWN_FIELDS = ("source", "date", "speaker", "country", "quote", "sentence")
# Words too common to say two quotes are alike; a content word is compared by its first six letters.
FUNCTION_WORDS = set(
    "the a an of to in on and or for by with at from as that this these those is are was were be been being it "
    "its their his her our we you they he she i will would shall should can could may might must not no has have "
    "had do does did which who whom what when where there here than then so such all any some into over about "
    "after before between against under up out".split()
)


def content_words(quote: str) -> str:
    return " ".join(word[:6] for word in normalise_quote(quote).split() if word not in FUNCTION_WORDS)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def candidates(events_csv: Path) -> list[dict]:
    events = pd.read_csv(events_csv, dtype=str, keep_default_na=False)
    crisis_of = {article["id"]: article["crisis"] for article in read_jsonl(HERE.parent / "articles.jsonl")}
    split_of = {crisis: split for split, crises in json.loads((HERE.parent / "splits.json").read_text()).items() for crisis in crises}
    days = pd.to_datetime(events["date"], errors="coerce")
    rows = events.to_dict("records")
    found = []
    for _, positions in sorted(events.groupby("country").indices.items()):
        for i, j in itertools.combinations(sorted(positions), 2):
            a, b = rows[i], rows[j]
            if not a["country"] or a["doc_id"] == b["doc_id"] or abs((days[i] - days[j]).days) > DAY_WINDOW:
                continue
            if not compatible_speakers(normalise_speaker(a["speaker"]), normalise_speaker(b["speaker"]), a["country"], b["country"]):
                continue
            if (fuzz.token_set_ratio(normalise_quote(a["quote"]), normalise_quote(b["quote"])) < 50
                    and fuzz.token_set_ratio(content_words(a["quote"]), content_words(b["quote"])) < 45):
                continue
            crisis = crisis_of[a["doc_id"]]
            found.append({
                "pair": len(found), "crisis": crisis, "split": split_of[crisis],
                "a": {field: a[field] for field in (*REPORT_FIELDS, *SHOWN_FIELDS)},
                "b": {field: b[field] for field in (*REPORT_FIELDS, *SHOWN_FIELDS)},
            })
    return found


def labels() -> tuple[dict[int, str], dict[str, float]]:
    """The label of every pair (the annotators' where they agree, else the adjudicated one) and
    the agreement of the two annotators."""
    first = {row["pair"]: row["label"] for row in read_jsonl(HERE / "labels_a.jsonl")}
    second = {row["pair"]: row["label"] for row in read_jsonl(HERE / "labels_b.jsonl")}
    adjudicated = {row["pair"]: row["label"] for row in read_jsonl(HERE / "adjudicated.jsonl")}
    if first.keys() != second.keys():
        raise SystemExit("labels_a.jsonl and labels_b.jsonl label different pairs")
    chosen = {}
    for pair in first:
        if first[pair] == second[pair]:
            chosen[pair] = first[pair]
        elif pair in adjudicated:
            chosen[pair] = adjudicated[pair]
        else:
            raise SystemExit(f"pair {pair}: the annotators disagree and adjudicated.jsonl has no label")
    decided = [pair for pair in first if "unsure" not in (first[pair], second[pair])]
    observed = sum(first[p] == second[p] for p in decided) / len(decided)
    same_a = sum(first[p] == "same" for p in decided) / len(decided)
    same_b = sum(second[p] == "same" for p in decided) / len(decided)
    expected = same_a * same_b + (1 - same_a) * (1 - same_b)
    agreement = {
        "pairs": len(first), "agreed": sum(first[p] == second[p] for p in first) / len(first),
        "decided by both": len(decided), "kappa": (observed - expected) / (1 - expected),
    }
    return chosen, agreement


def pairs() -> list[dict]:
    chosen, agreement = labels()
    print(" ".join(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}" for key, value in agreement.items()))
    built = []
    for candidate in read_jsonl(HERE / "candidates.jsonl"):
        label = chosen[candidate["pair"]]
        if label == "unsure":
            continue
        built.append({
            "pair_id": f"pipeline/{candidate['pair']}", "split": candidate["split"], "same": label == "same",
            "kind": "same statement" if label == "same" else "another statement", "story": candidate["crisis"],
            "a": {field: candidate["a"][field] for field in REPORT_FIELDS},
            "b": {field: candidate["b"][field] for field in REPORT_FIELDS},
        })
    return built


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["candidates"] and len(argv) == 2:
        write_jsonl(HERE / "candidates.jsonl", candidates(Path(argv[1])))
    elif argv == ["pairs"]:
        write_jsonl(HERE / "pairs.jsonl", pairs())
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
