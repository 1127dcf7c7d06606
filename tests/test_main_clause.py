"""Main-clause statements and the learned gate that keeps them: what the statement is, the gate's
features and file, and that extraction adds a statement only where the gate keeps it."""
import datetime as dt
import json
from dataclasses import replace

import pytest

from pipeline.extraction.extract import Extractor
from pipeline.extraction.main_clause import (
    DEFAULT_GATE_PATH, GateFileError, StatementGate, gate_features, main_clause_statements,
)
from pipeline.schema import Article

RECONFIRMED = 'Turkish Foreign Minister Mevlut Cavusoglu reconfirmed the importance of "urgent" treatment for the wounded.'
NOTICE = 'Israel has closed schools across the south, the "Home Front Command" said in a notice.'
PUBLISHED = dt.date(2024, 3, 8)


def parsed(extractor, text):
    sentence = extractor.resources.splitter.split(text)[0]
    return extractor.nlp(sentence.text), sentence


def test_the_subject_speaks_what_follows_it(extractor):
    [statement] = main_clause_statements(*parsed(extractor, RECONFIRMED))
    assert statement.kind == "main clause"
    assert statement.speaker.text == "Cavusoglu" and statement.verb.lemma_ == "reconfirm"
    assert RECONFIRMED[statement.quote_start:statement.quote_end] == 'reconfirmed the importance of "urgent" treatment for the wounded.'


def test_what_was_said_keeps_a_quotation_closed_at_its_end(extractor):
    text = "Rwanda described the shelling as “a deliberate provocation”."
    [statement] = main_clause_statements(*parsed(extractor, text))
    assert text[statement.quote_start:statement.quote_end] == "described the shelling as “a deliberate provocation”."


def test_a_subject_after_the_longer_part_speaks_what_precedes_it(extractor):
    [statement] = main_clause_statements(*parsed(extractor, NOTICE))
    assert NOTICE[statement.quote_start:statement.quote_end] == "Israel has closed schools across the south"


def test_a_sentence_without_a_subject_has_no_main_clause_statement(extractor):
    assert main_clause_statements(*parsed(extractor, 'Stop the "aggression" now.')) == []


def test_subjects_joined_by_and_each_speak_what_follows(extractor):
    text = 'Russia and Iran called the use of force by the United States a "military crime".'
    statements = main_clause_statements(*parsed(extractor, text))
    assert [s.speaker.text for s in statements] == ["Russia", "Iran"]
    assert {text[s.quote_start:s.quote_end] for s in statements} == {'called the use of force by the United States a "military crime".'}


def test_gate_features_name_the_opening_words_the_sentence_and_the_speaker():
    features = gate_features("has disputed the claims", 'He has disputed the "claims".', "Rwandan government", "He")
    assert features["opens 0: has"] == features["opens 2: the"] == 1.0
    assert features["word: claims"] == 0.3
    assert features["speaker is a pronoun"] == features["speaker is a government"] == features["quotation marks"] == 1.0
    assert "opens 3: claims" not in features


def test_the_gate_keeps_what_reaches_its_threshold():
    gate = StatementGate({"opens 0: offered": 2.0, "opens 0: closed": -2.0}, 0.0, 0.5)
    assert gate.probability({"opens 0: offered": 1.0}) == pytest.approx(0.8808, abs=1e-4)
    assert gate.keeps({"opens 0: offered": 1.0}) and not gate.keeps({"opens 0: closed": 1.0})
    assert gate.keeps({}) and StatementGate.keep_all().keeps({"opens 0: closed": 1.0})


def test_the_gate_file_round_trips_and_a_broken_one_is_named(tmp_path):
    gate = StatementGate({"opens 0: offered": 1.25, "unused": 0.0}, -0.5, 0.45)
    path = tmp_path / "gate.json"
    path.write_text(gate.to_json({"examples": 3}), encoding="utf-8")
    assert StatementGate.load(path) == StatementGate({"opens 0: offered": 1.25}, -0.5, 0.45)
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(GateFileError, match="gate.json: not a statement gate"):
        StatementGate.load(path)
    with pytest.raises(GateFileError, match="missing.json: no statement gate there"):
        StatementGate.load(tmp_path / "missing.json")


def test_extraction_adds_a_main_clause_statement_only_where_the_gate_keeps_it(extractor):
    article = Article("reconfirmed", RECONFIRMED, PUBLISHED)
    keeping = Extractor(extractor.nlp, replace(extractor.resources, gate=StatementGate.keep_all()))
    [event] = keeping.extract([article])[0]
    assert (event.speaker, event.country) == ("Mevlut Cavusoglu", "Turkey")
    assert event.quote == 'reconfirmed the importance of "urgent" treatment for the wounded.'
    assert event.found_by == "main clause"
    refusing = Extractor(extractor.nlp, replace(extractor.resources, gate=StatementGate({}, -5.0, 0.5)))
    assert refusing.extract([article])[0] == []
    without = Extractor(extractor.nlp, replace(extractor.resources, gate=None))
    assert without.extract([article])[0] == []


def test_the_shipped_gate_records_how_it_was_trained():
    payload = json.loads(DEFAULT_GATE_PATH.read_text(encoding="utf-8"))
    assert 0.0 < payload["threshold"] < 1.0 and len(payload["weights"]) > 100
    assert payload["meta"]["train_crises"]
