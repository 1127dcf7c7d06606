"""The Dask engine's scaling: `python -m pipeline.bench_cluster [--corpus JSONL] [--articles 400] [--json]`.

Runs the same articles through `--engine dask` on a LocalCluster of 1 worker process and of 2
(one thread each), in this process, and reports the throughput of each and their ratio, and
whether the two gave identical events.

Two figures per cluster size. *Warm*: the cluster is started and every worker has loaded the
extractor and run one chunk before the clock starts, so the figure is the rate a long backfill
runs at. *Cold*: the whole run as the command does it, from starting the cluster (worker
processes, imports, model loading) to the last event, with the pipeline's worker server already
running, as `python -m pipeline run` starts it at launch (the workers fork from it). Each is
measured `--repeat` times, alternating the sizes so that other load on the machine hits both
alike; the best is reported.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from .bench import read_corpus
from .cluster import DaskEngine, ExtractorSpec, extract_task, local_cluster
from .extraction.ingest import read_inputs
from .runner import CHUNK_SIZE, process_articles, processing_fingerprint
from .schema import Article

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "eval" / "real" / "articles.jsonl"


def load_articles(corpus: Path, count: int) -> list[Article]:
    records = read_corpus(corpus, count)
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-cluster-") as folder:
        path = Path(folder) / "corpus.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        inputs = read_inputs([path])
    if inputs.errors:
        raise SystemExit(f"{corpus}: {inputs.errors[0]}")
    return inputs.articles


def warm_run(articles: list[Article], workers: int, model: str | None) -> tuple[float, object]:
    """Seconds to extract `articles` on a started cluster whose workers are warm; the events."""
    from distributed import Client

    spec = ExtractorSpec.make(model, None, {}, processing_fingerprint(model))
    with local_cluster(workers) as cluster, Client(cluster) as client:
        client.run(extract_task, spec, articles[:CHUNK_SIZE])  # every worker: load the model, run a chunk
        started = time.perf_counter()
        events = process_articles(articles, model_name=model, engine=DaskEngine(scheduler=cluster.scheduler_address))
        return time.perf_counter() - started, events


def cold_run(articles: list[Article], workers: int, model: str | None) -> tuple[float, object]:
    """Seconds for the whole run, cluster start-up and model loading included; the events."""
    started = time.perf_counter()
    events = process_articles(articles, model_name=model, engine=DaskEngine(workers=workers))
    return time.perf_counter() - started, events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.bench_cluster", description="Throughput of --engine dask with 1 and 2 worker processes on the same articles.",
        epilog="example:\n  python -m pipeline.bench_cluster --articles 400 --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, metavar="JSONL",
                        help="articles, one JSON object a line (default: eval/real/articles.jsonl)")
    parser.add_argument("--articles", type=int, default=400, help="articles to run, repeated under new ids if the corpus is smaller (default: 400)")
    parser.add_argument("--repeat", type=int, default=2, help="measurements of each kind and size (default: 2)")
    parser.add_argument("--model", help="spaCy model (default: the pipeline's)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    articles = load_articles(args.corpus, args.articles)
    load_before = os.getloadavg()[0]
    seconds: dict[tuple[str, int], list[float]] = {}
    tables = []
    for _ in range(args.repeat):
        for kind, run in (("warm", warm_run), ("cold", cold_run)):
            for workers in (1, 2):
                elapsed, events = run(articles, workers, args.model)
                seconds.setdefault((kind, workers), []).append(elapsed)
                tables.append(events.sort_values("event_id", kind="stable").reset_index(drop=True))
    results = {
        "corpus": str(args.corpus), "articles": len(articles), "events": len(tables[0]), "cpus": os.cpu_count(),
        "load_average_1min": [load_before, os.getloadavg()[0]],  # before and after: other work on the machine
        "identical_events": all(table.equals(tables[0]) for table in tables),
    }
    for kind in ("warm", "cold"):
        best = {workers: min(seconds[(kind, workers)]) for workers in (1, 2)}
        results[kind] = {
            "seconds_1_worker": best[1], "seconds_2_workers": best[2],
            "articles_per_s_1_worker": len(articles) / best[1], "articles_per_s_2_workers": len(articles) / best[2],
            "speedup": best[1] / best[2], "all_seconds": {w: seconds[(kind, w)] for w in (1, 2)},
        }
    print(json.dumps(results, indent=2) if args.json else format_table(results))
    return 0


def format_table(r: dict) -> str:
    lines = [
        (f"corpus: {r['corpus']}, {r['articles']} articles, {r['events']} events; {r['cpus']} CPUs, "
         f"load average {r['load_average_1min'][0]:.1f} before, {r['load_average_1min'][1]:.1f} after"),
        f"{'--engine dask, LocalCluster':40} {'1 worker':>16} {'2 workers':>16} {'speedup':>8}",
    ]
    for kind, label in (("warm", "warm (model loaded, a chunk run)"), ("cold", "cold (cluster start-up included)")):
        k = r[kind]
        lines.append(
            f"{label:40} {k['articles_per_s_1_worker']:8.1f} art/s {k['articles_per_s_2_workers']:10.1f} art/s "
            f"{k['speedup']:7.2f}x   ({k['seconds_1_worker']:.1f} s / {k['seconds_2_workers']:.1f} s)"
        )
    lines.append(f"events identical across every run: {'yes' if r['identical_events'] else 'NO'}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
