"""The learned stance model: its features, its file format, its predictions and explanations, and
that training is reproducible (the same data gives the same bytes)."""
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extraction.main_clause import DEFAULT_GATE_PATH
from pipeline.stance.features import article_features, context_words, cue_parts, readable, statement_features
from pipeline.stance.model import DEFAULT_MODEL_PATH, ModelFileError, StanceModel, decide, signed_score
from pipeline.train import CLASSES, Examples, best_temperature, feature_dicts, fit, probabilities, reliability, train

ROOT = Path(__file__).resolve().parent.parent

STATEMENT = {
    "quote": "we will retaliate against any aggression",
    "sentence": "The minister warned on Monday that we will retaliate against any aggression.",
    "stance": "escalation", "score": 0.667, "cues": "frame:warned;retaliate;if…aggression",
}


def test_cue_labels_split_into_rule_marker_and_words():
    assert cue_parts("not→seek…war") == ("not", "seek war")
    assert cue_parts("claim:struck") == ("claim", "struck")
    assert cue_parts("frame:warned") == ("frame", "warned")
    assert cue_parts("if…will respond") == ("if", "will respond")
    assert cue_parts("retaliate") == ("", "retaliate")


def test_context_is_the_sentence_outside_the_quote():
    assert context_words(STATEMENT["sentence"], STATEMENT["quote"]) == ["the", "minister", "warned", "on", "monday", "that"]
    assert "ctx:the" not in statement_features(STATEMENT) and "q:will" not in statement_features(STATEMENT)


def test_statement_features_name_rules_cues_quote_and_frame():
    features = statement_features(STATEMENT, rule_weight=2.0)
    assert features["rule:escalation"] == 2.0
    assert features["rule:score"] == pytest.approx(1.334)
    assert features["mark:frame"] == features["mark:if"] == 1.0
    assert features["cue:retaliate"] == 1.0
    assert features["q:will retaliate"] == features["q:retaliate"] == 1.0
    assert features["ctx:warned"] == 1.0
    assert "ctx:retaliate" not in features
    assert readable("q:will retaliate") == "\u201cwill retaliate\u201d"


@given(st.sampled_from(CLASSES), st.floats(-10, 10, allow_nan=False))
def test_signed_score_lies_on_the_side_of_the_stance(stance, intensity):
    score = signed_score(stance, intensity)
    assert -1.0 <= score <= 1.0
    if stance == "neutral":
        assert score == 0.0
    else:
        assert (score > 0) == (stance == "escalation") and abs(score) >= 1 / 3


def test_a_direction_the_rules_did_not_give_needs_the_model_to_be_sure():
    probabilities = np.array([0.15, 0.55, 0.30])  # de-escalation, escalation, neutral
    assert CLASSES[decide(probabilities, CLASSES, rules_stance="escalation", min_direction=0.6)] == "escalation"
    assert CLASSES[decide(probabilities, CLASSES, rules_stance="neutral", min_direction=0.6)] == "neutral"
    assert CLASSES[decide(probabilities, CLASSES, rules_stance="de-escalation", min_direction=0.6)] == "de-escalation"
    assert CLASSES[decide(probabilities, CLASSES, rules_stance="neutral", min_direction=0.5)] == "escalation"
    unsure = np.array([0.3, 0.3, 0.4])
    assert CLASSES[decide(unsure, CLASSES, rules_stance="escalation", min_direction=0.5)] == "neutral"


def test_a_direction_whose_opposite_stays_plausible_becomes_neutral():
    torn = np.array([0.3, 0.6, 0.1])  # escalation most probable, de-escalation not ruled out
    assert CLASSES[decide(torn, CLASSES, rules_stance="escalation", min_direction=0.5, max_opposite=0.25)] == "neutral"
    assert CLASSES[decide(torn, CLASSES, rules_stance="escalation", min_direction=0.5, max_opposite=0.35)] == "escalation"
    clear = np.array([0.0, 0.9, 0.1])
    assert CLASSES[decide(clear, CLASSES, rules_stance="escalation", min_direction=0.5, max_opposite=0.0)] == "escalation"


def small_examples() -> Examples:
    rows, stance, score, crisis = [], [], [], []
    phrases = [("we will strike back hard", "escalation", 2), ("we will retaliate", "escalation", 2),
               ("we agreed a ceasefire", "de-escalation", -3), ("we call for restraint", "de-escalation", -2),
               ("the talks were held", "neutral", 0), ("ten people were killed", "neutral", 0)]
    for n in range(4):
        for quote, label, value in phrases:
            rows.append({"quote": quote, "sentence": f"The minister said {quote}.", "stance": "neutral", "score": 0.0, "cues": ""})
            stance.append(label)
            score.append(value)
            crisis.append(f"crisis-{n}")
    return Examples(rows, stance, score, crisis)


CONFIG = {"encoder": "", "embed": "quote", "embedding_scale": 1.0, "rule_weight": 1.0, "C": 1.0, "alpha": 1.0, "seed": 0,
          "min_direction_over_rules": 0.0, "max_opposite": 1.0, "article_weight": 1.0}


def test_training_is_reproducible_and_the_file_round_trips(tmp_path):
    examples = small_examples()
    first, cv = train(examples, CONFIG)
    second, _ = train(examples, CONFIG)
    assert first.to_json({"n": 1}) == second.to_json({"n": 1})
    path = tmp_path / "model.json"
    path.write_text(first.to_json({"n": 1}), encoding="utf-8")
    loaded = StanceModel.load(path)
    assert (loaded.rule_weight, loaded.article_weight) == (CONFIG["rule_weight"], CONFIG["article_weight"])
    assert loaded.without_article.to_json({}) == first.without_article.to_json({})
    for row in examples.rows[:6]:
        a = first.predict_features(statement_features(row))
        b = loaded.predict_features(statement_features(row))
        assert a.stance == b.stance and a.evidence == b.evidence
        assert a.score == pytest.approx(b.score, abs=1e-4) and a.confidence == pytest.approx(b.confidence, abs=1e-3)
    assert 0 <= cv["macro_f1"] <= 1 and cv["reliability"]


def test_small_model_learns_the_words_and_explains_with_them():
    model, _ = train(small_examples(), CONFIG)
    prediction = model.predict_features(statement_features({"quote": "we will retaliate", "sentence": "", "stance": "neutral", "score": 0, "cues": ""}))
    assert prediction.stance == "escalation" and prediction.score > 0
    assert any("retaliate" in e for e in prediction.evidence)
    calm = model.predict_features(statement_features({"quote": "we agreed a ceasefire", "sentence": "", "stance": "neutral", "score": 0, "cues": ""}))
    assert calm.stance == "de-escalation" and calm.score < 0


def test_rescoring_an_event_reads_it_as_training_did():
    from pipeline.schema import Event

    config = {**CONFIG, "rule_weight": 4.0}
    model, _ = train(small_examples(), config)
    row = {"quote": "we will retaliate", "sentence": "He said we will retaliate.", "stance": "de-escalation", "score": -0.333, "cues": "talks"}
    event = Event("id", "doc", "2024-01-01", "2024-01-01", "published", "X", "Y", "", row["stance"], row["score"], 0.5, row["cues"],
                  row["quote"], 8, 25, row["sentence"], "", "", "", 0, "he", "")
    [rescored] = model.rescore([event])
    expected = model.predict_features(statement_features(row, rule_weight=4.0))
    assert (rescored.stance, rescored.confidence) == (expected.stance, expected.confidence)
    assert rescored.cues.startswith("talks;model: ")


def test_article_features_are_the_shares_of_the_other_statements_of_the_article():
    rows = [{"doc_id": "a", "stance": s} for s in ("escalation", "escalation", "de-escalation", "neutral")]
    rows.append({"doc_id": "b", "stance": "escalation"})
    features = article_features(rows, weight=3.0)
    assert features[0] == {"art:escalation": pytest.approx(1.0), "art:de-escalation": pytest.approx(1.0)}
    assert features[2] == {"art:escalation": pytest.approx(2.0), "art:de-escalation": 0.0}
    assert features[4] == {}  # the only statement of its article
    assert readable("art:escalation") == "article's other statements: escalation"


def _event(doc_id: str, quote: str, stance: str):
    from pipeline.schema import Event

    return Event(f"{doc_id}-{quote}", doc_id, "2024-01-01", "2024-01-01", "published", "X", "Y", "", stance, 0.0, 0.5, "",
                 quote, 0, len(quote), quote, "", "", "", 0, "he", "")


def test_the_same_words_read_by_the_article_around_them():
    """A model trained where "the talks were held" follows its article's other statements reads it
    so at run time: the article's other statements are features of the statement."""
    rows, stance, score, crisis, article = [], [], [], [], []
    for n in range(6):
        for setting, other_quote in (("escalation", "we will strike back"), ("de-escalation", "we agreed a ceasefire")):
            doc = f"{setting}-{n}"
            events = [_event(doc, other_quote, setting), _event(doc, "the talks were held", "neutral")]
            shares = article_features([e.__dict__ for e in events])
            for event, features, label in zip(events, shares, (setting, setting)):
                rows.append(event.__dict__)
                stance.append(label)
                score.append(2 if label == "escalation" else -2)
                crisis.append(f"crisis-{n}")
                article.append(features)
        rows.append(_event(f"report-{n}", "ten people were killed", "neutral").__dict__)
        stance.append("neutral"), score.append(0), crisis.append(f"crisis-{n}"), article.append({})
    model, _ = train(Examples(rows, stance, score, crisis, article), {**CONFIG, "article_weight": 3.0})
    tense_article = [_event("x", "we will strike back", "escalation"), _event("x", "the talks were held", "neutral")]
    calm_article = [_event("y", "we agreed a ceasefire", "de-escalation"), _event("y", "the talks were held", "neutral")]
    tense, calm = model.rescore(tense_article), model.rescore(calm_article)
    assert (tense[1].stance, calm[1].stance) == ("escalation", "de-escalation")
    assert model.rescore(calm_article + tense_article) == calm + tense  # each article read alone, whatever the batch
    # alone in its article, a statement is read by the same design trained without the article features
    lone = _event("z", "the talks were held", "neutral")
    [alone] = model.rescore([lone])
    expected = model.without_article.predict_features(statement_features(lone.__dict__))
    assert (alone.stance, alone.confidence) == (expected.stance, expected.confidence)
    assert model.without_article.article_weight == 0 and model.without_article.without_article is None
    assert not any(name.startswith("art:") for name in model.without_article.feature_index)


def test_temperature_sharpens_confident_right_answers_and_reliability_bins_count_all():
    logits = np.array([[0.0, 3.0, 0.0], [0.0, 3.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    assert best_temperature(logits, ["escalation", "escalation", "de-escalation", "neutral"]) == 0.5
    probs = probabilities(logits, 1.0)
    assert probs.sum(axis=1) == pytest.approx(np.ones(4))
    table = reliability(probs.max(axis=1), np.array([True, True, False, True]))
    assert sum(row[1] for row in table) == 4


def test_feature_dicts_add_the_embedding_scaled():
    dicts = feature_dicts(small_examples().rows[:1], np.array([[0.5, -0.25]]), {**CONFIG, "embedding_scale": 4.0})
    assert dicts[0]["emb:0"] == 2.0 and dicts[0]["emb:1"] == -1.0


def test_fit_orders_classes_as_the_model_expects():
    examples = small_examples()
    _, classifier, _ = fit(feature_dicts(examples.rows, None, CONFIG), examples.stance, examples.score, CONFIG)
    assert tuple(classifier.classes_) == CLASSES


def test_a_broken_model_file_is_named_in_the_error(tmp_path):
    path = tmp_path / "model.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelFileError, match="model.json"):
        StanceModel.load(path)
    with pytest.raises(ModelFileError, match="cannot read"):
        StanceModel.load(tmp_path / "missing.json")


def test_shipped_model_is_small_and_records_how_it_was_trained():
    payload = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    assert DEFAULT_MODEL_PATH.stat().st_size < 30 * 1024 * 1024
    assert payload["classes"] == list(CLASSES)
    assert payload["meta"]["examples"] > 1000 and payload["meta"]["train_crises"]


def test_the_shipped_weights_are_what_the_training_command_makes_of_the_corpus(tmp_path):
    """`python -m pipeline.train` on eval/real rebuilds the statement gate and the stance model byte
    for byte: the weights are reproducible and not stale after a change to the corpus or the rules.
    The command runs in its own process, as a user runs it: in this one, a Dask cluster started by
    an earlier test leaves state that changes the weights' last digits."""
    command = [sys.executable, "-m", "pipeline.train", "--out", str(tmp_path)]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr[-2000:]
    for shipped in (DEFAULT_MODEL_PATH, DEFAULT_GATE_PATH):
        rebuilt = tmp_path / shipped.parent.name / shipped.name
        assert digest(rebuilt) == digest(shipped), f"retrain with `python -m pipeline.train` and commit {shipped.parent}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_distinct_text_is_embedded_once():
    from pipeline.stance.model import embed_unique

    seen = []

    def embed(texts):
        seen.extend(texts)
        return np.array([[len(t), 1.0] for t in texts])

    vectors = embed_unique(embed, ["ab", "c", "ab"])
    assert seen == ["ab", "c"]
    assert vectors.tolist() == [[2, 1], [1, 1], [2, 1]]
