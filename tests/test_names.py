"""Proper nouns named from the parse and our dictionaries (pipeline/extraction/names.py)."""
import pytest


@pytest.fixture(scope="module")
def name(extractor):
    lex = extractor.resources.speakers

    def labels(text):
        from pipeline.extraction.names import label_names

        doc = label_names(extractor.nlp(text), lex.actors, lex.places, lex.terms)
        return {ent.text: ent.label_ for ent in doc.ents}

    return labels


def test_titles_are_set_apart_from_a_persons_name(name):
    labels = name("Islamic Revolutionary Guard Corps Aerospace Force Commander Brigadier General Amir Ali Hajizadeh spoke.")
    assert labels == {"Islamic Revolutionary Guard Corps Aerospace Force": "ORG", "Amir Ali Hajizadeh": "PERSON"}


@pytest.mark.parametrize(
    ("text", "entity", "label"),
    [
        ("Secretary of State Mike Pompeo said nothing.", "Mike Pompeo", "PERSON"),
        ("The Ministry of Defence said nothing.", "Ministry of Defence", "ORG"),
        ("Iran said nothing.", "Iran", "GPE"),
        ("Iranian officials said nothing.", "Iranian", "NORP"),
        ("Hezbollah said nothing.", "Hezbollah", "ORG"),
        ("Rusan Kolt said nothing.", "Rusan Kolt", "PERSON"),
    ],
)
def test_chain_labels(name, text, entity, label):
    assert name(text).get(entity) == label


def test_a_lone_unknown_word_is_left_unnamed(name):
    assert "Kolt" not in name("Kolt said nothing.")


def test_a_chain_ending_in_a_title_word_names_nobody(name):
    labels = name("Federal Minister for Planning Rahim Qadir announced the talks.")
    assert "Federal Minister" not in labels and labels.get("Rahim Qadir") == "PERSON"


def test_a_speaker_whose_title_chain_ends_in_a_title_is_the_person_named_after_it(extractor):
    import datetime as dt

    from pipeline.schema import Article

    text = "Federal Minister for Planning Rahim Qadir announced on Monday that the ceasefire would be extended."
    events = extractor.extract([Article("t", text, dt.date(2024, 3, 8))])[0]
    assert [e.speaker for e in events] == ["Rahim Qadir"]


def test_proper_nouns_right_after_an_organisations_name_are_a_person(name):
    labels = name("Deputy Chairman of the Cabinet of the Kyrgyz Republic Almaz Sadykov reported that the train had arrived.")
    assert labels.get("Almaz Sadykov") == "PERSON"
    assert name("The Ministry of Emergency Situations said nothing.").get("Ministry of Emergency Situations") == "ORG"


def test_a_wing_region_or_branch_is_an_organisation_or_place_not_a_person(name):
    labels = name("The Director General of the Southeast Wing of the Ministry said nothing.")
    assert labels.get("Southeast Wing") == "ORG"
