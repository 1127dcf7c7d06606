"""The model loader, and the table-lookup attribute ruler that replaces spaCy's matcher-based one."""
import spacy

from pipeline.extraction.nlp import PREFERRED_MODELS, _with_fast_attribute_ruler, load_model, load_stock_model

SENTENCES = [
    "We don't seek a wider war, but we won't hesitate to defend every inch of our territory.",
    "There is no doubt that the strikes Tuesday night were only the beginning, the general said.",
    "“They can’t get away with this,” Kyiv’s top commander told reporters on Monday.",
    "The ministry said those who fired the rockets are enemies of peace.",
]


def test_fast_ruler_gives_the_same_pos_and_lemmas_as_the_models_own():
    name = next(n for n in PREFERRED_MODELS if spacy.util.is_package(n))
    original = spacy.load(name, exclude=["ner"])
    fast = _with_fast_attribute_ruler(spacy.load(name, exclude=["ner"]))
    assert type(fast.get_pipe("attribute_ruler")).__name__ == "PosFromTag"
    for expected, got in zip(original.pipe(SENTENCES), fast.pipe(SENTENCES)):
        assert [(t.pos_, t.lemma_) for t in got] == [(t.pos_, t.lemma_) for t in expected]


def test_faster_model_gives_the_stock_models_lemmas():
    stock = load_stock_model(exclude=("ner",))
    fast = load_model(exclude=("ner",))
    assert isinstance(fast.get_pipe("lemmatizer").lookups.get_table("lemma_index")["noun"], frozenset)
    assert isinstance(stock.get_pipe("lemmatizer").lookups.get_table("lemma_index")["noun"], list)
    texts = [*SENTENCES, "Militias fired rockets at the bases; the ministries were warned and the talks stalled."]
    lemmas = [[t.lemma_ for t in doc] for doc in fast.pipe(texts)]
    assert lemmas == [[t.lemma_ for t in doc] for doc in stock.pipe(texts)]
    assert lemmas[-1][:4] == ["militia", "fire", "rocket", "at"]


def test_load_model_is_cached_and_honours_exclude():
    nlp = load_model(exclude=("ner",))
    assert nlp is load_model(exclude=("ner",))
    assert "ner" not in nlp.pipe_names and "parser" in nlp.pipe_names
