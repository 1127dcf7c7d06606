"""The throughput benchmark: `python -m pipeline.bench [--articles 2000] [--workers 2] [--json]`.

It writes a synthetic corpus of news articles (~800 words each, composed from a bank of
templated sentences: attributed quotes, reported speech with weekday cues, narrative and page
boilerplate, with names and countries drawn by a seeded RNG), runs the real command on it
(`python -m pipeline run corpus.jsonl --out events.csv --force`, in a child process, so
interpreter start-up, imports and model loading are all counted), and then measures, on the
same machine and a sample of the same text, what spaCy alone does: the full model's `nlp.pipe`
in one process and the tokenizer alone. The gap between the lines is the pipeline's own cost.

Words are whitespace-separated words throughout. Peak memory is given two ways: the summed
RSS of the command's process tree, sampled from /proc every 50 ms (what the machine must hold),
and `getrusage` self + children (children = the largest single child process).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

WORDS_PER_ARTICLE = 800

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
COUNTRIES = (
    ("Iran", "Iranian", "Tehran"), ("United States", "American", "Washington"), ("Iraq", "Iraqi", "Baghdad"),
    ("Israel", "Israeli", "Jerusalem"), ("Lebanon", "Lebanese", "Beirut"), ("Syria", "Syrian", "Damascus"),
    ("Russia", "Russian", "Moscow"), ("Ukraine", "Ukrainian", "Kyiv"), ("China", "Chinese", "Beijing"),
    ("Taiwan", "Taiwanese", "Taipei"), ("India", "Indian", "New Delhi"), ("Pakistan", "Pakistani", "Islamabad"),
    ("Turkey", "Turkish", "Ankara"), ("Greece", "Greek", "Athens"), ("Armenia", "Armenian", "Yerevan"),
    ("Azerbaijan", "Azerbaijani", "Baku"), ("Ethiopia", "Ethiopian", "Addis Ababa"), ("Serbia", "Serbian", "Belgrade"),
)
FIRST_NAMES = ("Amir", "Laila", "John", "Maria", "Viktor", "Olena", "Wei", "Mei", "Rahul", "Sana", "Mehmet", "Eleni",
               "Aram", "Leyla", "Dawit", "Milan", "Yossi", "Rania", "Karim", "Anna", "Sergei", "David", "Nadia", "Omar")
LAST_NAMES = ("Haddad", "Rostami", "Miller", "Kovalenko", "Petrov", "Chen", "Lin", "Sharma", "Qureshi", "Yilmaz",
              "Papadopoulos", "Sargsyan", "Aliyev", "Tesfaye", "Jovanovic", "Cohen", "Khalil", "Novak", "Ivanov", "Brooks")
# (as a title before a name, as a description)
ROLES = (("Foreign Minister", "foreign minister"), ("Defense Minister", "defense minister"), ("President", "president"),
         ("Prime Minister", "prime minister"), ("army spokesman", "army spokesman"), ("General", "top military commander"),
         ("national security adviser", "national security adviser"),
         ("U.N. Ambassador", "ambassador to the United Nations"), ("government spokeswoman", "government spokeswoman"),
         ("Interior Minister", "interior minister"))
BODIES = ("the foreign ministry", "the defense ministry", "the army's general staff", "the presidential office",
          "state television", "the national security council", "the military's press office")
OUTLETS = ("The Morning Ledger", "Harbor Daily", "Example Wire", "The Northern Courier", "Global Desk", "Metro Times")

QUOTES = (
    '"We will respond with full force to any aggression against our territory," {speaker} said {weekday}.',
    '"Our patience is not unlimited, and the next answer will be far harsher," {speaker} told reporters in {capital}.',
    '"We do not seek war, but we will defend our people," {speaker} said in a televised address on {weekday}.',
    '"All options remain on the table," {speaker} said late {weekday}, without giving details.',
    '"The strikes were only the beginning," {speaker} said, according to {body}.',
    '"We are ready to sit down and talk without preconditions," {speaker} said {weekday} night.',
    '"This is a dangerous moment, and everyone must show restraint," {speaker} said at a news conference.',
    '"{other} will pay a heavy price for this crime," {speaker} wrote on social media on {weekday}.',
    '"The ceasefire is holding, and we intend to keep it that way," {speaker} told lawmakers {weekday}.',
    '"There is no military solution to this conflict," {speaker} said after meeting his counterpart from {other}.',
    '"We have agreed to release the prisoners as a gesture of good will," {speaker} announced on {weekday}.',
    '"Any attack on our bases will be met with a decisive response," {speaker} warned.',
)
REPORTED = (
    "{speaker} said {weekday} that {country} would not tolerate further provocations from {other}.",
    "{speaker} warned on {weekday} that the next attack on {demonym} forces would draw a swift retaliation.",
    "Speaking in {capital} on {weekday}, {speaker} called on {other} to withdraw its troops from the border area.",
    "{speaker} accused {other} of violating the truce at least {number} times over the past week.",
    "According to {body}, {speaker} told visiting envoys that {country} was prepared to resume negotiations.",
    "{speaker} said late {weekday} that the missile strikes had concluded and that {country} did not want escalation.",
    "In a statement released on {weekday}, {body} said {number} soldiers had been wounded in the shelling.",
    "{speaker} vowed {weekday} night to avenge the killing of the commander, calling it an act of war.",
    "{speaker} urged both sides on {weekday} to avoid any step that could widen the conflict.",
    "{body} said {weekday} that its forces had intercepted {number} drones launched from {other}.",
    "{speaker} told state media that {country} had no intention of attacking {demonym} civilians.",
    "{speaker} dismissed the threats from {other} as empty rhetoric, saying {country} was not afraid.",
)
NARRATIVE = (
    "The exchange of fire was the most serious in the region since the crisis began {number} weeks ago.",
    "Oil prices rose sharply on the news, and markets in {capital} fell for a third straight day.",
    "Thousands of people gathered in the streets of {capital} to mourn those killed in the strikes.",
    "Satellite images reviewed by independent analysts showed damage to at least {number} buildings.",
    "Diplomats at the United Nations were preparing an emergency session of the Security Council.",
    "The two countries have been locked in a dispute over the border area for decades.",
    "Airlines rerouted flights away from the region, adding hours to some journeys.",
    "Analysts said the latest round of violence could draw in neighboring states if it continued.",
    "Residents near the frontier said they had spent the night in basements as explosions shook their homes.",
    "The government in {capital} has faced mounting pressure at home to take a harder line.",
    "Previous rounds of talks collapsed last year amid mutual accusations of bad faith.",
    "Humanitarian groups warned that supplies of food and medicine were running low in the area.",
    "It was not immediately possible to verify the claims independently.",
    "The latest clashes followed months of rising tension along the disputed frontier.",
    "He added that the army had been placed on its highest level of alert.",
    "She said the government would not accept any mediation that ignored the attacks.",
    "The ministry later said the remarks had been taken out of context.",
)
BOILERPLATE = (
    "Copyright © {year} {outlet}. All rights reserved.",
    "Sign up for our daily newsletter to get the top stories delivered to your inbox.",
    "Click to read more and view comments.",
    "Please read our comment policy before commenting.",
    "Photo: A view of the border crossing. (Associated Example)",
)


def speaker_phrase(rng: random.Random, country: tuple[str, str, str]) -> str:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    title, role = rng.choice(ROLES)
    forms = (f"{country[1]} {title} {name}", f"{name}, {country[0]}'s {role},", f"the {country[1]} {role}",
             f"a senior {country[1]} official", name)
    return rng.choice(forms)


def make_article(rng: random.Random, number: int, start: date) -> dict:
    """One synthetic article of about WORDS_PER_ARTICLE words, as an input record."""
    home, other = rng.sample(COUNTRIES, 2)
    published = start + timedelta(days=rng.randrange(365))
    outlet = rng.choice(OUTLETS)

    def fill(template: str) -> str:
        text = template.format(
            speaker=speaker_phrase(rng, rng.choice((home, other))), weekday=rng.choice(WEEKDAYS), country=home[0],
            other=other[0], demonym=other[1], capital=rng.choice((home, other))[2], body=rng.choice(BODIES),
            number=rng.randrange(2, 60), year=published.year, outlet=outlet,
        )
        return text[0].upper() + text[1:]

    # Each bank is drawn without replacement (refilled when used up), so an article rarely repeats a sentence.
    decks: dict[int, list[str]] = {}

    def draw(bank: tuple[str, ...]) -> str:
        deck = decks.setdefault(id(bank), [])
        if not deck:
            deck.extend(rng.sample(bank, len(bank)))
        return deck.pop()

    paragraphs: list[str] = []
    words = 0
    while words < WORDS_PER_ARTICLE - 40:
        bank = rng.choices((QUOTES, REPORTED, NARRATIVE), weights=(3, 4, 3))[0]
        paragraph = " ".join(fill(draw(bank)) for _ in range(rng.randint(1, 3)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    paragraphs.extend(fill(line) for line in rng.sample(BOILERPLATE, 2))
    header = f"- {outlet} - {published.strftime('%A, %B')} {published.day}, {published.year}"
    return {
        "id": f"bench-{number:05d}", "url": f"https://example.org/bench/{number}", "source": outlet,
        "published": published.isoformat(), "title": f"{home[0]} and {other[0]} trade warnings",
        "text": header + "\n\n" + "\n\n".join(paragraphs),
    }


def make_corpus(articles: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [make_article(rng, i, date(2020, 1, 1)) for i in range(articles)]


class TreeRSS:
    """Samples the summed resident memory of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, self._sample())
            self._stop.wait(self.interval)

    def _sample(self) -> int:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rpartition(")")[2].split()
                with open(f"/proc/{entry}/statm") as handle:
                    pages = int(handle.read().split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            total += rss.get(pid, 0)
            todo.extend(children.get(pid, []))
        return total


def run_command(corpus: Path, out: Path, workers: int | None, model: str | None, *, store: Path | None = None) -> dict:
    """Time the real command on the corpus in a child process; its peak memory too. With `store`,
    the command writes the event store there instead of the table `out`."""
    target = ["--store", str(store)] if store is not None else ["--out", str(out)]
    command = [sys.executable, "-m", "pipeline", "run", str(corpus), *target, "--force", "--no-progress"]
    if workers is not None:
        command += ["--workers", str(workers)]
    if model:
        command += ["--model", model]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parent.parent)
    with TreeRSS(process.pid) as tree:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"the command failed ({process.returncode}):\n{stderr}")
    usage_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    found = re.search(r"statements: (\d+) events", stderr)
    return {"seconds": seconds, "tree_peak_mb": tree.peak_kb / 1024, "rusage_peak_mb": usage_kb / 1024,
            "events": int(found.group(1)) if found else None, "summary": stderr.strip().splitlines()[-4:]}


def store_against_table(corpus: Path, folder: Path, workers: int | None, model: str | None) -> float:
    """The command's time writing an event store (statements merged on write) over its time
    writing the events table, each run twice, alternated (the machine's load drifts)."""
    times: dict[str, list[float]] = {"out": [], "store": []}
    for _ in range(2):
        times["out"].append(run_command(corpus, folder / "events.csv", workers, model)["seconds"])
        times["store"].append(run_command(corpus, folder / "events.csv", workers, model, store=folder / "store")["seconds"])
    return sum(times["store"]) / sum(times["out"])


def spacy_baselines(texts: list[str], model_name: str | None) -> dict:
    """spaCy alone on the same text: the full model's nlp.pipe and the tokenizer, one process; the
    model as spaCy loads it, without the faster attribute ruler and lemmatizer the pipeline uses."""
    from .extraction.nlp import load_stock_model

    started = time.perf_counter()
    nlp = load_stock_model(model_name)
    load_seconds = time.perf_counter() - started
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    full = time.perf_counter() - started
    started = time.perf_counter()
    for _ in nlp.tokenizer.pipe(texts, batch_size=256):
        pass
    tokenizer = time.perf_counter() - started
    return {"model": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}", "load_seconds": load_seconds, "sample_articles": len(texts),
            "sample_words": words, "full_seconds": full, "tokenizer_seconds": tokenizer}


def stance_model_cost(records: list[dict]) -> dict:
    """Extraction of the same articles in this process with the rules alone and with the learned
    stance model on top (its sentence encoder included): the model's cost as a ratio."""
    from .extraction.extract import Extractor, Resources
    from .extraction.ingest import read_contents

    articles = read_contents([("bench.jsonl", "".join(json.dumps(r) + "\n" for r in records).encode("utf-8"))]).articles
    rules = Extractor.default(learned_stance=False)
    learned = Extractor(rules.nlp, Resources.load())
    rules.extract(articles[:2]), learned.extract(articles[:2])  # warm both (the encoder loads lazily)
    seconds = {}
    for name, extractor in (("rules", rules), ("model", learned)):
        started = time.perf_counter()
        events = sum(len(e) for e in extractor.extract(articles))
        seconds[name] = time.perf_counter() - started
    return {"stance_sample_articles": len(articles), "stance_sample_events": events,
            "rules_seconds": seconds["rules"], "model_seconds": seconds["model"]}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_corpus(path: Path, articles: int) -> list[dict]:
    """The articles of a JSON-lines file, taken in order and repeated (ids suffixed) up to `articles`."""
    records = read_jsonl(path)
    if not records:
        raise SystemExit(f"{path}: no articles")
    return [{**records[i % len(records)], "id": f"{records[i % len(records)]['id']}~{i // len(records)}"}
            for i in range(articles)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.bench", description="Measure the pipeline's throughput and memory on a synthetic corpus.",
        epilog="example:\n  python -m pipeline.bench --articles 2000 --json", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--articles", type=int, default=2000, help="articles in the corpus (default: 2000)")
    parser.add_argument("--workers", type=int, help="passed to the command's --workers (default: the command's default)")
    parser.add_argument("--sample", type=int, default=200, help="articles for the spaCy-only measurements (default: 200)")
    parser.add_argument("--model", help="spaCy model, for the command and the baselines (default: the pipeline's)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the corpus generator (default: 7)")
    parser.add_argument("--corpus", metavar="JSONL",
                        help="real articles instead of the generated corpus, e.g. eval/real/articles.jsonl, "
                             "repeated under new ids up to --articles")
    parser.add_argument("--stance-articles", metavar="JSONL",
                        help="articles for the stance model's cost, e.g. eval/real/articles.jsonl (default: the synthetic sample)")
    parser.add_argument("--store", action="store_true",
                        help="also time the command writing an event store (--store) against writing the table (--out), "
                             "twice each, alternated")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    corpus = read_corpus(Path(args.corpus), args.articles) if args.corpus else make_corpus(args.articles, args.seed)
    words = sum(len(r["text"].split()) for r in corpus)
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as folder:
        corpus_path = Path(folder) / "corpus.jsonl"
        corpus_path.write_text("".join(json.dumps(r) + "\n" for r in corpus), encoding="utf-8")
        command = run_command(corpus_path, Path(folder) / "events.csv", args.workers, args.model)
        store_ratio = store_against_table(corpus_path, Path(folder), args.workers, args.model) if args.store else None
    baseline = spacy_baselines([r["text"] for r in corpus[: args.sample]], args.model)
    stance_records = corpus
    if args.stance_articles:
        stance_records = read_jsonl(Path(args.stance_articles))
    stance = stance_model_cost(stance_records[: args.sample])

    from .runner import default_workers

    results = {
        "corpus": args.corpus or "generated", "articles": args.articles, "words": words, "words_per_article": words / max(args.articles, 1),
        "workers": args.workers or default_workers(), "cpus": os.cpu_count(),
        "command_seconds": command["seconds"],
        "command_articles_per_s": args.articles / command["seconds"],
        "command_words_per_s": words / command["seconds"],
        "command_events": command["events"],
        "command_events_per_s": (command["events"] or 0) / command["seconds"],
        "command_peak_rss_mb_tree": command["tree_peak_mb"],
        "command_peak_rss_mb_rusage": command["rusage_peak_mb"],
        "command_summary": command["summary"],
        "spacy_model": baseline["model"], "spacy_load_seconds": baseline["load_seconds"],
        "spacy_sample_articles": baseline["sample_articles"],
        "spacy_full_words_per_s": baseline["sample_words"] / baseline["full_seconds"],
        "spacy_tokenizer_words_per_s": baseline["sample_words"] / baseline["tokenizer_seconds"],
        **stance, "model_time_ratio": stance["model_seconds"] / stance["rules_seconds"],
    }
    if store_ratio is not None:
        results["store_time_ratio"] = store_ratio
    print(json.dumps(results, indent=2) if args.json else format_table(results))
    return 0


def format_table(r: dict) -> str:
    words_per_article = r["words_per_article"]
    rows = [
        (f"pipeline command ({r['workers']} workers, end to end)", r["command_words_per_s"] / words_per_article, r["command_words_per_s"]),
        (f"spaCy {r['spacy_model']} nlp.pipe (1 process)", r["spacy_full_words_per_s"] / words_per_article, r["spacy_full_words_per_s"]),
        ("spaCy tokenizer only (1 process)", r["spacy_tokenizer_words_per_s"] / words_per_article, r["spacy_tokenizer_words_per_s"]),
    ]
    lines = [
        f"corpus: {r['corpus']}, {r['articles']} articles, {r['words']:,} words ({words_per_article:.0f} words/article); {r['cpus']} CPUs",
        f"{'':48} {'articles/s':>11} {'words/s':>10}",
    ]
    lines += [f"{name:48} {articles:11.1f} {words:10,.0f}" for name, articles, words in rows]
    lines += [
        f"command wall time: {r['command_seconds']:.1f} s (interpreter start-up, imports and model loading included); "
        f"{r['command_events']} events, {r['command_events_per_s']:.1f} events/s",
        f"command peak RSS: {r['command_peak_rss_mb_tree']:.0f} MB summed over its processes (sampled); "
        f"getrusage self+children {r['command_peak_rss_mb_rusage']:.0f} MB",
        f"spaCy baselines on {r['spacy_sample_articles']} of the articles; model load {r['spacy_load_seconds']:.1f} s",
        f"learned stance model, same process, {r['stance_sample_articles']} articles ({r['stance_sample_events']} events): "
        f"{r['model_seconds']:.1f} s against {r['rules_seconds']:.1f} s for the rules alone = {r['model_time_ratio']:.2f}x",
    ]
    if "store_time_ratio" in r:
        lines.append(f"writing the event store (--store) against the table (--out): {r['store_time_ratio']:.2f}x the time")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
