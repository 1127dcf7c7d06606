"""How far two annotators agree on the real corpus: the ceiling any extractor is measured under.

    python -m pipeline.agreement            # eval/real/gold.jsonl against eval/real/second/gold.jsonl

The second annotation covers a sample of the corpus's articles, annotated blind by another
annotator with the same guidelines. The first annotation is taken as the reference and the
second is scored like an extractor's output by the shared scorer (detection, speaker, country,
date, stance macro-F1, flips, Spearman); Cohen's kappa on the stance of the statements both found
is added.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

from .annotated import REAL_CORPUS, AnnotatedSet, read_jsonl
from .evaluate import load_scorer

SECOND_ANNOTATION = REAL_CORPUS / "second" / "gold.jsonl"
GOLD_COLUMNS = ("doc_id", "quote", "speaker", "country", "date", "stance", "score")


def agreement(first: AnnotatedSet, second: list[dict]) -> dict:
    """The scorer's figures for `second` against `first` on the articles `second` covers, plus kappa."""
    from sklearn.metrics import cohen_kappa_score

    scorer = load_scorer()
    covered = {row["doc_id"] for row in second}
    reference = AnnotatedSet(first.folder, [a for a in first.articles if a["id"] in covered],
                             [g for g in first.gold if g["doc_id"] in covered])
    with tempfile.TemporaryDirectory() as workdir:
        articles_file, gold_file = reference.write(workdir)
        events_file = Path(workdir) / "second.csv"
        with events_file.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=GOLD_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(second)
        figures = scorer.score(str(articles_file), str(gold_file), str(events_file))
    pairs = scorer.match(reference.gold, second)
    figures["stance_kappa"] = round(float(cohen_kappa_score([g["stance"] for g, _ in pairs], [s["stance"] for _, s in pairs])), 3)
    figures["articles"] = len(reference.articles)
    figures["second_statements"] = len(second)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.agreement", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(REAL_CORPUS))
    parser.add_argument("--second", default=str(SECOND_ANNOTATION), help="the second annotation (gold.jsonl format)")
    args = parser.parse_args(argv)
    figures = agreement(AnnotatedSet.load(args.corpus), read_jsonl(Path(args.second)))
    for key, value in figures.items():
        print(f"{key:20} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
