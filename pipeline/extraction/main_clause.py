"""Statements the reporting-verb rules miss, kept or dropped by a learned gate.

Real wires report much of what parties say without a reporting verb the rules know: "The two
leaders reconfirmed the importance of the four documents", "Rwanda has frequently disputed the
claims", "Abe instructed officials to get fully prepared for a contingency". In a sentence worth
parsing (it has a quotation mark or a reporting-verb form) where the rules found no statement, the
main clause's subject is taken as the speaker and the rest of the sentence as what was said.
Whether that is a statement or narrative ("Israel has closed schools", "The police responded to
the shooting") a logistic regression decides: the gate, trained on the real corpus's train split
by `python -m pipeline.train` (weights and card in `data/models/statement_gate/`).
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from ..datafiles import DATA_DIR
from .attribution import RawStatement, co_speakers, trim_span
from .sentences import Sentence

DEFAULT_GATE_PATH = DATA_DIR / "models" / "statement_gate" / "model.json"
KEEP_ALL = "all"  # the gate setting that keeps every main-clause statement (what the gate is trained on)
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
SENTENCE_WORD_WEIGHT = 0.3  # the sentence's words count less than the words that open what was said
WORD = re.compile(r"[a-z]+")
QUOTATION_MARK = re.compile(r"[“”\"]")


class GateFileError(ValueError):
    """The gate's weights are missing or unreadable; `str()` names the file and the problem."""


def main_clause_statements(doc: Doc, sentence: Sentence) -> list[RawStatement]:
    """The sentence read as its main clause's subject saying the rest: what follows the subject
    phrase, or what precedes it when that is longer ("Israel has closed schools, the Home Front
    Command said in a notice"); one statement per subject joined by "and" ("Russia and Iran
    called the strikes a crime": each party its own row, as the guidelines want). Empty when the
    root is not a verb or has no subject."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return []
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return []
    before, after = trim_span(doc[0:subject.left_edge.i]), trim_span(doc[subject.right_edge.i + 1:len(doc)])
    content = before if len(before) > len(after) else after
    if not len(content):
        return []
    return [RawStatement(sentence, "main clause", root, "say", speaker, content,
                         sentence.start + content.start_char, sentence.start + content.end_char)
            for speaker in [subject, *co_speakers(subject)]]


def gate_features(quote: str, sentence: str, speaker: str, speaker_mention: str) -> dict[str, float]:
    """The gate's named features, from an event's fields (so that training reads them off the
    events table): the words opening what was said (its verb first), the sentence's words, and
    what kind of speaker it is."""
    opening = quote.lower().split()[:3]
    features = {f"opens {i}: {word}": 1.0 for i, word in enumerate(opening)}
    features.update({f"word: {word}": SENTENCE_WORD_WEIGHT for word in set(WORD.findall(sentence.lower()))})
    features["speaker is a pronoun"] = float(speaker_mention.lower() in PRONOUNS)
    features["speaker is a government"] = float("government" in speaker.lower())
    features["quotation marks"] = float(bool(QUOTATION_MARK.search(sentence)))
    return {name: value for name, value in features.items() if value}


@dataclass(frozen=True)
class StatementGate:
    """A logistic regression over `gate_features`: keeps a main-clause statement when its
    probability of being a statement reaches `threshold`."""

    weights: Mapping[str, float]
    bias: float
    threshold: float

    @classmethod
    def keep_all(cls) -> "StatementGate":
        return cls({}, 0.0, 0.0)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_GATE_PATH) -> "StatementGate":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))
        except FileNotFoundError:
            raise GateFileError(f"{path}: no statement gate there (python -m pipeline.train writes it)") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise GateFileError(f"{path}: not a statement gate ({exc})") from None

    def probability(self, features: Mapping[str, float]) -> float:
        logit = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-logit))

    def keeps(self, features: Mapping[str, float]) -> bool:
        return self.probability(features) >= self.threshold

    def to_json(self, meta: Mapping) -> str:
        weights = {name: round(weight, 6) for name, weight in sorted(self.weights.items()) if round(weight, 6)}
        return json.dumps({"meta": meta, "threshold": self.threshold, "bias": round(self.bias, 6), "weights": weights},
                          indent=0, ensure_ascii=False) + "\n"
