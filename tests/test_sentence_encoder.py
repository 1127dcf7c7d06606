"""The static MiniLM embedding the shipped stance model reads sentences with."""
import numpy as np
import pytest

from pipeline.stance.sentence_encoder import STATIC_DIMENSIONS, STATIC_TABLE_PATH, MiniLMEncoder, StaticEmbedder


@pytest.fixture(scope="module")
def static():
    return StaticEmbedder(MiniLMEncoder())


def test_the_shipped_table_has_a_row_per_vocabulary_token(static):
    table = np.load(STATIC_TABLE_PATH)
    assert table.dtype == np.float16
    assert table.shape == (static.encoder.tokenizer.get_vocab_size(), STATIC_DIMENSIONS) == (30522, 64)


def test_a_text_is_the_unit_mean_of_its_tokens_and_empty_text_is_zero(static):
    vectors = static.encode(["The army vowed revenge.", "", "The army vowed revenge."])
    assert vectors.shape == (3, STATIC_DIMENSIONS)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any()
    assert np.array_equal(vectors[0], vectors[2])
    ids = static.encoder.tokenizer.encode("The army vowed revenge.").ids[1:-1]
    mean = static.table[ids].mean(axis=0)
    assert np.allclose(vectors[0], mean / np.linalg.norm(mean), atol=1e-6)


def test_related_sentences_lie_closer_than_unrelated_ones(static):
    truce, ceasefire, weather = static.encode(["Both sides agreed to a truce.", "The two sides agreed on a ceasefire.",
                                               "Heavy rain is expected in the capital tomorrow."])
    assert truce @ ceasefire > truce @ weather


def test_a_missing_table_is_named_in_the_error(tmp_path):
    embedder = StaticEmbedder(MiniLMEncoder(), tmp_path / "absent.npy")
    with pytest.raises(FileNotFoundError, match="absent.npy"):
        embedder.encode(["text"])
