"""Measure extraction on the annotated sets with the shared scorer.

    python -m pipeline.evaluate                 # every set found
    python -m pipeline.evaluate heldout demo    # some of them

The sets: `dev` (../shared/eval/dev, the reference article), `demo` (the ten annotated articles of
the fictional demo corpus, with its own actor and place files), `heldout` and `heldout2`
(realistic articles about other crises, written and annotated for this project by the shared
guidelines). Only the annotated articles of a set are extracted and scored, with
../shared/eval/score.py, the scorer the project is judged by.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .datafiles import DATA_DIR
from .ingest import read_inputs
from .runner import process_articles
from .store import write_events

ROOT = DATA_DIR.parent
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
SETS = {
    "dev": (ROOT.parent / "shared" / "eval" / "dev", (), ()),
    "demo": (DATA_DIR / "demo", (DATA_DIR / "demo" / "actors.csv",), (DATA_DIR / "demo" / "places.csv",)),
    "heldout": (ROOT / "eval" / "heldout", (), ()),
    "heldout2": (ROOT / "eval" / "heldout2", (), ()),
}


def evaluate(name: str, workdir: Path) -> str:
    """The scorer's report for one set."""
    folder, actor_files, place_files = SETS[name]
    gold = folder / "gold.jsonl"
    annotated = {json.loads(line)["doc_id"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()}
    articles_file = workdir / f"{name}_articles.jsonl"
    lines = (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles_file.write_text(
        "".join(line + "\n" for line in lines if line.strip() and json.loads(line)["id"] in annotated), encoding="utf-8"
    )
    inputs = read_inputs([articles_file])
    events = process_articles(inputs.articles, workers=1, actor_files=actor_files, place_files=place_files)
    events_file = workdir / f"{name}_events.csv"
    write_events(events, events_file)
    result = subprocess.run(
        [sys.executable, str(SCORER), str(articles_file), str(gold), str(events_file)],
        capture_output=True, text=True, check=True,
    )
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", metavar="SET", help=f"sets to score, of {', '.join(SETS)} (default: every set found)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sets if name not in SETS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; the sets are {', '.join(SETS)}")
    if not SCORER.exists():
        print(f"error: the scorer {SCORER} is not there", file=sys.stderr)
        return 1
    names = args.sets or [name for name, (folder, _, _) in SETS.items() if (folder / "gold.jsonl").exists()]
    with tempfile.TemporaryDirectory() as workdir:
        for name in names:
            print(f"== {name}")
            print(evaluate(name, Path(workdir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
