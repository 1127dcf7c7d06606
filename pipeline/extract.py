"""Articles in, events out: the per-article extraction stages wired together.

(Stub: the lead is writing the real stages; the interface below is fixed.)
"""
from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language

from .nlp import load_model
from .schema import Article, Event


class Extractor:
    """Holds the loaded model and data; `extract` is pure given them."""

    def __init__(self, nlp: Language):
        self.nlp = nlp

    @classmethod
    def default(cls, model_name: str | None = None) -> "Extractor":
        return cls(load_model(model_name))

    def extract(self, articles: Sequence[Article]) -> list[list[Event]]:
        """The events of each article, in article order (a batch is parsed together for speed)."""
        return [[] for _ in articles]
