"""Train the learned models from the real annotated corpus: the statement gate, then the stance model.

    python -m pipeline.train                # train on the train split; writes data/models/stance/ and statement_gate/
    python -m pipeline.train --compare      # also compare the stance designs, leave-one-conflict-out

The gate (`pipeline.extraction.main_clause`) learns which main-clause statements of sentences the
reporting-verb rules found nothing in are statements: every such statement in the train split's
articles, labelled by whether the shared scorer matches it to a gold row. The stance model's
examples are then the statements the pipeline (with that gate) finds in the same articles, read
by the rules alone (`pipeline.evaluate.rules_extractor`), each matched to its gold row the way
the shared scorer matches; so the model learns on exactly what it will see at run time, detection
misses included. Every setting is in `data/models/stance/config.json`; the same data and config
give byte-identical weights (`model.json`), the cross-validated figures and reliability table
(`cv.json`) and, with `--compare`, the table of designs (`comparison.md`) that the model card
(`README.md` there) quotes.
"""
from __future__ import annotations

import argparse
import functools
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from .annotated import REAL_CORPUS, AnnotatedSet, conflict_of
from .evaluate import extract_every_article, load_scorer, rules_extractor
from .extraction.ingest import read_inputs
from .extraction.main_clause import DEFAULT_GATE_PATH, KEEP_ALL, StatementGate, gate_features
from .stance.sentence_encoder import MiniLMEncoder, StaticEmbedder, encoder_named
from .stance.features import article_features, statement_features
from .stance.model import DEFAULT_MODEL_PATH, StanceModel, decide, signed_score, softmax

MODEL_DIR = DEFAULT_MODEL_PATH.parent
CONFIG_PATH = MODEL_DIR / "config.json"
GATE_DIR = DEFAULT_GATE_PATH.parent
GATE_CONFIG_PATH = GATE_DIR / "config.json"
CLASSES = ("de-escalation", "escalation", "neutral")  # sorted, as scikit-learn orders them
TEMPERATURES = np.round(np.arange(0.5, 3.01, 0.05), 2)
RELIABILITY_BINS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


@dataclass(frozen=True)
class Examples:
    """Matched statements: the rules' reading (events rows) and the gold answer."""

    rows: list[dict]  # events rows as the rules left them
    stance: list[str]  # gold stance
    score: list[int]  # gold score, -3..3
    crisis: list[str]
    # per row, `article_features` (weight 1) over every statement the pipeline found in its article
    article: list[dict[str, float]] = field(default_factory=list)


def events_of(corpus: AnnotatedSet, statement_gate, *, workers: int | None = None) -> list[dict]:
    """The rules' events rows for the corpus's articles, with that statement gate."""
    with tempfile.TemporaryDirectory() as workdir:
        articles_file, _ = corpus.write(workdir)
        articles = read_inputs([articles_file]).articles
        factory = functools.partial(rules_extractor, statement_gate=statement_gate)
        events = extract_every_article(articles, workers=workers, extractor_factory=factory)
    return [{k: (v if not hasattr(v, "item") else v.item()) for k, v in row.items()} for row in events.to_dict("records")]


def examples_of(corpus: AnnotatedSet, *, workers: int | None = None, statement_gate=DEFAULT_GATE_PATH) -> Examples:
    """Run the rules over the corpus's articles and match the events to the gold rows."""
    predicted = events_of(corpus, str(statement_gate), workers=workers)
    pairs = load_scorer().match(corpus.gold, predicted)
    pairs.sort(key=lambda pair: (pair[1]["doc_id"], int(pair[1]["start"]), pair[1]["speaker"]))
    crisis_of = corpus.crisis_of
    in_article = {id(row): features for row, features in zip(predicted, article_features(predicted))}
    return Examples(
        rows=[p for _, p in pairs], stance=[g["stance"] for g, _ in pairs],
        score=[int(g["score"]) for g, _ in pairs], crisis=[crisis_of.get(g["doc_id"], "") for g, _ in pairs],
        article=[in_article[id(p)] for _, p in pairs],
    )


# --- designs -------------------------------------------------------------------------------

def embeddings_of(rows: Sequence[dict], encoder, config: dict) -> np.ndarray:
    """The encoder's vectors of each field named in `config["embed"]` ("quote+sentence"), side by side."""
    return np.hstack([encoder.encode([str(row[name]) for row in rows]) for name in config["embed"].split("+")])


def feature_dicts(rows: Sequence[dict], embeddings: np.ndarray | None, config: dict,
                  article: Sequence[dict[str, float]] = ()) -> list[dict[str, float]]:
    """Each row's features; `article` (`Examples.article`), when given, scaled by `config["article_weight"]`
    (none when that is 0)."""
    dicts = [statement_features(row, rule_weight=config["rule_weight"]) for row in rows]
    for features, shares in zip(dicts, article if config["article_weight"] else ()):
        features.update({name: value * config["article_weight"] for name, value in shares.items()})
    scale = config["embedding_scale"]
    if embeddings is not None:
        for features, vector in zip(dicts, embeddings):
            features.update({f"emb:{i}": float(v) * scale for i, v in enumerate(vector)})
    return dicts


def fit(dicts: list[dict[str, float]], stance: Sequence[str], score: Sequence[int], config: dict):
    """(vectorizer, classifier, regressor) fitted on the examples."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression, Ridge

    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(dicts)
    classifier = LogisticRegression(C=config["C"], class_weight="balanced", max_iter=5000, random_state=config["seed"])
    classifier.fit(matrix, list(stance))
    regressor = Ridge(alpha=config["alpha"], random_state=config["seed"])
    regressor.fit(matrix, np.asarray(score, dtype=float))
    return vectorizer, classifier, regressor


def cross_validated(dicts, examples: Examples, config: dict) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-conflict-out: the class logits and intensities of each conflict's statements
    from a model fitted on the other conflicts' (`annotated.conflict_of`: all India-Pakistan
    episodes are held out together)."""
    logits = np.zeros((len(dicts), len(CLASSES)))
    intensity = np.zeros(len(dicts))
    for held in conflict_folds([conflict_of(c) for c in examples.crisis]):
        train = ~held
        vectorizer, classifier, regressor = fit([d for d, t in zip(dicts, train) if t], np.asarray(examples.stance)[train],
                                                np.asarray(examples.score)[train], config)
        matrix = vectorizer.transform([d for d, h in zip(dicts, held) if h])
        logits[held] = classifier.decision_function(matrix)
        intensity[held] = regressor.predict(matrix)
    return logits, intensity


def conflict_folds(conflicts: Sequence[str]) -> Iterator[np.ndarray]:
    """Leave-one-conflict-out: each conflict's rows as a mask (held out), conflicts in sorted order."""
    conflicts = np.asarray(conflicts)
    for conflict in sorted(set(conflicts)):
        yield conflicts == conflict


def probabilities(logits: np.ndarray, temperature: float) -> np.ndarray:
    return softmax(logits / temperature)


def best_temperature(logits: np.ndarray, stance: Sequence[str]) -> float:
    """The temperature that minimises the cross-validated negative log-likelihood."""
    truth = np.array([CLASSES.index(s) for s in stance])
    losses = [-np.log(probabilities(logits, t)[np.arange(len(truth)), truth] + 1e-12).mean() for t in TEMPERATURES]
    return float(TEMPERATURES[int(np.argmin(losses))])


def figures(stance_true: Sequence[str], stance_pred: Sequence[str], score_true: Sequence[int], score_pred: Sequence[float]) -> dict:
    """Stance macro-F1 and accuracy over the matched statements, flips, score Spearman."""
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score

    flips = sum({t, p} == {"escalation", "de-escalation"} for t, p in zip(stance_true, stance_pred))
    return {
        "macro_f1": round(float(f1_score(stance_true, stance_pred, average="macro", labels=list(CLASSES))), 3),
        "accuracy": round(float(np.mean(np.asarray(stance_true) == np.asarray(stance_pred))), 3),
        "flips": int(flips),
        "flip_rate": round(flips / max(1, len(stance_true)), 4),
        "spearman": round(float(spearmanr(score_true, score_pred).statistic), 3),
    }


def reliability(confidence: np.ndarray, correct: np.ndarray) -> list[tuple[str, int, float, float]]:
    """(bin, statements, mean confidence, accuracy) per confidence bin."""
    table = []
    for low, high in zip(RELIABILITY_BINS, RELIABILITY_BINS[1:]):
        inside = (confidence >= low) & (confidence < high)
        if inside.any():
            table.append((f"{low:.1f}-{min(high, 1.0):.1f}", int(inside.sum()), round(float(confidence[inside].mean()), 3),
                          round(float(correct[inside].mean()), 3)))
    return table


def evaluate_design(examples: Examples, encoder_name: str, config: dict, embeddings_cache: dict) -> dict:
    embeddings = None
    if encoder_name:
        if (encoder_name, config["embed"]) not in embeddings_cache:
            embeddings_cache[encoder_name, config["embed"]] = embeddings_of(examples.rows, encoder_named(encoder_name), config)
        embeddings = embeddings_cache[encoder_name, config["embed"]]
    dicts = feature_dicts(examples.rows, embeddings, config, examples.article)
    logits, intensity = cross_validated(dicts, examples, config)
    predicted = decisions(probabilities(logits, best_temperature(logits, examples.stance)), examples, config)
    scores = [signed_score(s, v) for s, v in zip(predicted, intensity)]
    return figures(examples.stance, predicted, examples.score, scores)


def decisions(probs: np.ndarray, examples: Examples, config: dict) -> list[str]:
    """The stance given to each statement, by `pipeline.stance.model.decide`."""
    return [CLASSES[decide(p, CLASSES, rules_stance=row["stance"], min_direction=config["min_direction_over_rules"],
                           max_opposite=config["max_opposite"])]
            for p, row in zip(probs, examples.rows)]


def compare(examples: Examples, config: dict) -> list[tuple[str, dict]]:
    """The designs side by side, leave-one-conflict-out on the train split."""
    rules = figures(examples.stance, [r["stance"] for r in examples.rows], examples.score, [float(r["score"]) for r in examples.rows])
    table = [("rules alone (the cue lexicon and its rules, no learning)", rules)]
    cache: dict = {}
    alone, in_article = {**config, "article_weight": 0.0}, config
    designs = [
        ("linear: rule verdict + cue features + quote n-grams + frame words", "", alone),
        ("linear + static MiniLM token embeddings (mean of per-token vectors)", StaticEmbedder.name, alone),
        ("linear + static MiniLM + the rules' verdicts on the article's other statements", StaticEmbedder.name, in_article),
        ("linear + MiniLM sentence encoder (int8 ONNX, onnxruntime) + the article's other statements", MiniLMEncoder.name, in_article),
    ]
    for label, encoder_name, design_config in designs:
        table.append((label, evaluate_design(examples, encoder_name, design_config, cache)))
    return table


# --- the statement gate --------------------------------------------------------------------

@dataclass(frozen=True)
class GateExamples:
    """The main-clause statements of the train split, and what detection looks like without them."""

    rows: list[dict]  # events rows of main-clause statements (every one the gate could keep)
    is_statement: list[bool]  # matched to a gold row by the shared scorer
    conflicts: list[str]
    gold: int  # gold statements
    found: int  # statements the reporting-verb rules find alone
    matched: int  # of which matched to a gold row


def gate_examples(corpus: AnnotatedSet, *, workers: int | None = None) -> GateExamples:
    """Run the rules without the gate, then keeping every main-clause statement: the statements of
    the sentences the first run found nothing in are the gate's examples."""
    scorer = load_scorer()
    alone = events_of(corpus, None, workers=workers)
    every = events_of(corpus, KEEP_ALL, workers=workers)
    sentences_with_statements = {(row["doc_id"], row["sentence_start"]) for row in alone}
    rows = [row for row in every if (row["doc_id"], row["sentence_start"]) not in sentences_with_statements]
    matched = {id(p) for _, p in scorer.match(corpus.gold, every)}
    return GateExamples(
        rows=rows, is_statement=[id(row) in matched for row in rows],
        conflicts=[conflict_of(corpus.crisis_of.get(row["doc_id"], "")) for row in rows],
        gold=len(corpus.gold), found=len(alone), matched=len(scorer.match(corpus.gold, alone)),
    )


def fit_gate(dicts: list[dict[str, float]], labels: Sequence[bool], config: dict):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    classifier = LogisticRegression(C=config["C"], max_iter=5000, random_state=config["seed"])
    classifier.fit(vectorizer.fit_transform(dicts), list(labels))
    return vectorizer, classifier


def train_gate(examples: GateExamples, config: dict) -> tuple[StatementGate, dict]:
    """The gate, with the threshold that gives the best detection F1 on the train split by
    leave-one-conflict-out predictions, and the cross-validated figures at that threshold."""
    dicts = [gate_features(r["quote"], r["sentence"], r["speaker"], r["speaker_mention"]) for r in examples.rows]
    labels = np.asarray(examples.is_statement)
    probability = np.zeros(len(dicts))
    for held in conflict_folds(examples.conflicts):
        if held.all() or len(set(labels[~held])) < 2:
            continue
        vectorizer, classifier = fit_gate([d for d, h in zip(dicts, held) if not h], labels[~held], config)
        probability[held] = classifier.predict_proba(vectorizer.transform([d for d, h in zip(dicts, held) if h]))[:, 1]

    def detection(threshold: float) -> dict:
        kept = probability >= threshold
        matched, found = examples.matched + int((kept & labels).sum()), examples.found + int(kept.sum())
        precision, recall = matched / found, matched / examples.gold
        return {"threshold": threshold, "kept": int(kept.sum()), "statements_kept": int((kept & labels).sum()),
                "detect_precision": round(precision, 3), "detect_recall": round(recall, 3),
                "detect_f1": round(2 * precision * recall / (precision + recall), 4)}

    by_threshold = [detection(float(t)) for t in config["thresholds"]]
    best = max(by_threshold, key=lambda row: (row["detect_f1"], row["threshold"]))
    vectorizer, classifier = fit_gate(dicts, labels, config)
    weights = dict(zip(vectorizer.get_feature_names_out(), classifier.coef_[0].tolist()))
    gate = StatementGate(weights, float(classifier.intercept_[0]), best["threshold"])
    without = detection(1.01)
    cv = {"examples": len(dicts), "statements": int(labels.sum()), "without_gate": without, "chosen": best,
          "by_threshold": by_threshold}
    return gate, cv


# --- training ------------------------------------------------------------------------------

def train(examples: Examples, config: dict) -> tuple[StanceModel, dict]:
    encoder = encoder_named(config["encoder"])
    embeddings = embeddings_of(examples.rows, encoder, config) if encoder is not None else None
    dicts = feature_dicts(examples.rows, embeddings, config, examples.article)
    logits, intensity = cross_validated(dicts, examples, config)
    temperature = best_temperature(logits, examples.stance)
    probs = probabilities(logits, temperature)
    predicted = decisions(probs, examples, config)
    scores = [signed_score(s, v) for s, v in zip(predicted, intensity)]
    cv = figures(examples.stance, predicted, examples.score, scores)
    correct = np.asarray(predicted) == np.asarray(examples.stance)
    given = probs[np.arange(len(predicted)), [CLASSES.index(p) for p in predicted]]
    cv["reliability"] = reliability(given, correct)
    cv["temperature"] = temperature

    without_article = None
    if config["article_weight"]:  # a statement alone in its article is read by the design without the article features
        without_article, alone_cv = train(examples, {**config, "article_weight": 0.0})
        cv["without_article"] = {name: value for name, value in alone_cv.items() if name != "reliability"}

    vectorizer, classifier, regressor = fit(dicts, examples.stance, examples.score, config)
    assert tuple(classifier.classes_) == CLASSES
    names = list(vectorizer.get_feature_names_out())
    model = StanceModel(
        classes=CLASSES, feature_index={n: i for i, n in enumerate(names)},
        stance_weights=classifier.coef_, stance_bias=classifier.intercept_, temperature=temperature,
        score_weights=regressor.coef_, score_bias=float(regressor.intercept_),
        encoder=config["encoder"], embedding_scale=config["embedding_scale"], embedded_fields=tuple(config["embed"].split("+")),
        min_direction_over_rules=config["min_direction_over_rules"], max_opposite=config["max_opposite"],
        rule_weight=config["rule_weight"], article_weight=config["article_weight"], without_article=without_article,
    )
    return model, cv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(REAL_CORPUS), help="annotated set with splits.json (default: eval/real)")
    parser.add_argument("--out", default=str(MODEL_DIR.parent),
                        help="folder for stance/ and statement_gate/ (default: data/models)")
    parser.add_argument("--compare", action="store_true", help="also compare the designs by leave-one-conflict-out cross-validation")
    parser.add_argument("--workers", type=int, default=None, help="extraction worker processes (default: 2)")
    args = parser.parse_args(argv)

    config = json.loads(CONFIG_PATH.read_text(encoding="utf-8"))
    corpus = AnnotatedSet.load(args.corpus)
    splits = corpus.splits()
    train_set = corpus.subset(splits["train"])
    print(f"train split: {len(train_set.articles)} articles, {len(train_set.gold)} gold statements, "
          f"{len(set(splits['train']))} crises", file=sys.stderr)
    gate_out, out = Path(args.out) / GATE_DIR.name, Path(args.out) / MODEL_DIR.name
    gate_out.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    candidates = gate_examples(train_set, workers=args.workers)
    print(f"{len(candidates.rows)} main-clause statements, {sum(candidates.is_statement)} of them gold", file=sys.stderr)
    gate_config = json.loads(GATE_CONFIG_PATH.read_text(encoding="utf-8"))
    # One BLAS thread: a multi-threaded BLAS sums in an order that depends on the thread count
    # (the machine's cores, or a limit another library set), and the weights' last digits with it.
    with threadpool_limits(limits=1):
        gate, gate_cv = train_gate(candidates, gate_config)
    gate_meta = {"config": gate_config, "train_crises": sorted(set(splits["train"]))}
    (gate_out / "model.json").write_text(gate.to_json(gate_meta), encoding="utf-8")
    (gate_out / "cv.json").write_text(json.dumps(gate_cv, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(gate_cv["chosen"]), file=sys.stderr)

    examples = examples_of(train_set, workers=args.workers, statement_gate=gate_out / "model.json")
    print(f"{len(examples.rows)} statements found and matched to gold: {dict(sorted(Counter(examples.stance).items()))}",
          file=sys.stderr)
    with threadpool_limits(limits=1):
        comparison = compare(examples, config) if args.compare else None
        model, cv = train(examples, config)
    if comparison:
        (out / "comparison.md").write_text(comparison_table(comparison, len(examples.rows), len(set(examples.crisis))), encoding="utf-8")
    meta = {"config": config, "train_crises": sorted(set(examples.crisis)), "examples": len(examples.rows),
            "gold_stances": dict(sorted(Counter(examples.stance).items()))}
    (out / "model.json").write_text(model.to_json(meta), encoding="utf-8")
    (out / "cv.json").write_text(json.dumps(cv, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in cv.items() if k != "reliability"}), file=sys.stderr)
    if comparison:
        print((out / "comparison.md").read_text(encoding="utf-8"))
    return 0


def comparison_table(rows: list[tuple[str, dict]], examples: int, crises: int) -> str:
    lines = [f"Leave-one-conflict-out on the train split ({examples} matched statements, {crises} crises); "
             "stance over matched statements.", "",
             "| design | stance macro-F1 | accuracy | flips | score Spearman |", "|---|---|---|---|---|"]
    lines += [f"| {label} | {f['macro_f1']} | {f['accuracy']} | {f['flips']} ({f['flip_rate']:.1%}) | {f['spearman']} |"
              for label, f in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
