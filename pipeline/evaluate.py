"""Measure extraction on the annotated sets with the shared scorer.

    python -m pipeline.evaluate                      # every set, the real test split first
    python -m pipeline.evaluate real-test dev        # some of them
    python -m pipeline.evaluate real-test --rules    # the rules alone, without the learned model

The sets, in the order reported:
- `real-test`: the test crises of the real corpus (`eval/real/`, split in `splits.json`): real
  reporting on crises neither the rules nor the model were trained on. This is the accuracy.
- `dev`: the shared development set (`../shared/eval/dev`): real articles on Iran-US/Israel.
- `real-train`: the train crises of the real corpus, which the model learnt from (in-sample).
- `demo`: the fictional demo's annotated articles (with its own actor and place files): plumbing.
- `synthetic1`, `synthetic2`: articles written for the project; regression fixtures, not accuracy.

Only the annotated articles of a set are extracted and scored, with ../shared/eval/score.py.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .annotated import REAL_CORPUS, AnnotatedSet
from .datafiles import DATA_DIR
from .extraction.ingest import read_inputs
from .runner import process_articles
from .store.tables import write_events

ROOT = DATA_DIR.parent
SCORER = ROOT.parent / "shared" / "eval" / "score.py"


@dataclass(frozen=True)
class EvalSet:
    load: Callable[[], AnnotatedSet]
    actor_files: tuple[Path, ...] = ()
    place_files: tuple[Path, ...] = ()


def _real_split(name: str) -> Callable[[], AnnotatedSet]:
    def load() -> AnnotatedSet:
        corpus = AnnotatedSet.load(REAL_CORPUS)
        return corpus.subset(corpus.splits()[name])
    return load


SETS: dict[str, EvalSet] = {
    "real-test": EvalSet(_real_split("test")),
    "dev": EvalSet(lambda: AnnotatedSet.load(ROOT.parent / "shared" / "eval" / "dev")),
    "real-train": EvalSet(_real_split("train")),
    "demo": EvalSet(lambda: AnnotatedSet.load(DATA_DIR / "demo"), (DATA_DIR / "demo" / "actors.csv",), (DATA_DIR / "demo" / "places.csv",)),
    "synthetic1": EvalSet(lambda: AnnotatedSet.load(ROOT / "eval" / "synthetic1")),
    "synthetic2": EvalSet(lambda: AnnotatedSet.load(ROOT / "eval" / "synthetic2")),
}


def load_scorer():
    """The shared scorer as a module (its `match` pairs events with gold rows, as scoring does)."""
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    if spec is None or not SCORER.exists():
        raise SystemExit(f"error: the scorer {SCORER} is not there")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rules_extractor(model_name: str | None = None, **options):
    """The extractor with the rules alone (a module-level factory, for the worker pool)."""
    from .extraction.extract import Extractor

    return Extractor.default(model_name, learned_stance=False, **options)


def extract_every_article(articles, **options) -> pd.DataFrame:
    """`process_articles`, stopping when extraction fails on any article: measured or trained on,
    a failed article would pass for one whose statements were all missed."""
    failures: list = []
    events = process_articles(articles, errors=failures, **options)
    if failures:
        raise SystemExit(f"error: extraction failed on {len(failures)} article(s):\n" + "\n".join(f"  {failure}" for failure in failures))
    return events


def score_set(name: str, workdir: Path, *, rules_only: bool = False) -> dict:
    """The scorer's figures for one set."""
    spec = SETS[name]
    annotated = spec.load()
    annotated_ids = {g["doc_id"] for g in annotated.gold}
    subset = AnnotatedSet(annotated.folder, [a for a in annotated.articles if a["id"] in annotated_ids], annotated.gold)
    articles_file, gold_file = subset.write(workdir / name)
    events = extract_every_article(
        read_inputs([articles_file]).articles, actor_files=spec.actor_files, place_files=spec.place_files,
        extractor_factory=rules_extractor if rules_only else None,
    )
    events_file = workdir / name / "events.csv"
    write_events(events, events_file)
    result = subprocess.run(
        [sys.executable, str(SCORER), str(articles_file), str(gold_file), str(events_file), "--json"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", metavar="SET", help=f"sets to score, of {', '.join(SETS)} (default: all)")
    parser.add_argument("--rules", action="store_true", help="score the rules alone, without the learned stance model")
    parser.add_argument("--json", action="store_true", help="one JSON object per set instead of the table")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sets if name not in SETS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; the sets are {', '.join(SETS)}")
    if not SCORER.exists():
        print(f"error: the scorer {SCORER} is not there", file=sys.stderr)
        return 1
    names = args.sets or list(SETS)
    with tempfile.TemporaryDirectory() as workdir:
        results = {name: score_set(name, Path(workdir), rules_only=args.rules) for name in names}
    if args.json:
        for name, figures in results.items():
            print(json.dumps({"set": name, **figures}))
    else:
        print(figures_table(results))
    return 0


def figures_table(results: dict[str, dict]) -> str:
    columns = ("gold", "detect_f1", "detect_precision", "detect_recall", "speaker_acc", "country_acc", "date_acc",
               "stance_macro_f1", "stance_acc_matched", "polarity_flips", "score_spearman")
    lines = ["| set | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, figures in results.items():
        lines.append(f"| {name} | " + " | ".join(str(figures[c]) for c in columns) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
