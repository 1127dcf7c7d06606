"""The learned stance model: the rule scorer's verdict, cues and the statement's words in, a
calibrated stance, a score and the evidence out.

Two linear models over the named features of `pipeline.stance.features` (and, for a model
trained with an encoder, a sentence embedding of the fields it names, the sentence by default): a multinomial logistic regression
for the stance, calibrated by one temperature fitted on cross-validated predictions, and a ridge
regression for the intensity on the guidelines' -3..+3 scale. Linear, so every prediction is the
sum of its features' weights and the strongest of them explain it.

The weights are plain JSON (`data/models/stance/model.json`, written by `python -m
pipeline.train`): readable, diffable, byte-identical for the same data, and loaded without
unpickling anything.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from ..datafiles import DATA_DIR
from ..schema import Event
from .features import article_features, readable, statement_features

DEFAULT_MODEL_PATH = DATA_DIR / "models" / "stance" / "model.json"
STANCE_SIGN = {"escalation": 1.0, "de-escalation": -1.0, "neutral": 0.0}
EXPLAINING_FEATURES = 3  # strongest features named in an event's cues
MODEL_CUE_PREFIX = "model:"


class ModelFileError(ValueError):
    """The model file is missing or not a stance model; `str()` names the file and the problem."""


@dataclass(frozen=True)
class Prediction:
    stance: str
    score: float  # [-1, 1]
    confidence: float  # calibrated probability of `stance`
    evidence: tuple[str, ...]  # the strongest features for `stance`, readable


@dataclass(frozen=True, eq=False)
class StanceModel:
    classes: tuple[str, ...]
    feature_index: Mapping[str, int]
    stance_weights: np.ndarray  # (classes, features)
    stance_bias: np.ndarray  # (classes,)
    temperature: float
    score_weights: np.ndarray  # (features,)
    score_bias: float
    encoder: str = ""  # "" or the name of the sentence encoder whose embedding is a feature block
    embedding_scale: float = 1.0
    embedded_fields: tuple[str, ...] = ("quote",)  # the event fields embedded, their vectors side by side
    min_direction_over_rules: float = 0.0  # a direction the rules did not give needs more than this probability
    max_opposite: float = 1.0  # a direction whose opposite is more probable than this becomes neutral
    rule_weight: float = 1.0  # the scale of the rules' verdict among the features, as trained
    article_weight: float = 0.0  # the scale of the article's other statements' verdicts (`article_features`); 0: unused
    # The same design trained without the article features: reads a statement alone in its article,
    # which the model with them reads worse than a model that never had them.
    without_article: "StanceModel | None" = None

    # --- prediction --------------------------------------------------------------------------
    def vector(self, features: Mapping[str, float], embedding: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The indices and values of the known features of one statement."""
        known = [(self.feature_index[name], value) for name, value in features.items() if value and name in self.feature_index]
        indices = np.fromiter((i for i, _ in known), dtype=np.int64, count=len(known))
        values = np.fromiter((v for _, v in known), dtype=float, count=len(known))
        if embedding is not None and len(self.embedding_columns):
            columns = self.embedding_columns
            indices = np.concatenate([indices, columns])
            values = np.concatenate([values, np.asarray(embedding[:len(columns)], dtype=float) * self.embedding_scale])
        return indices, values

    def predict_features(self, features: Mapping[str, float], embedding: np.ndarray | None = None) -> Prediction:
        indices, values = self.vector(features, embedding)
        logits = self.stance_bias + self.stance_weights[:, indices] @ values
        probabilities = softmax(logits / self.temperature)
        rules_stance = next((c for c in self.classes if features.get(f"rule:{c}")), "neutral")
        best = decide(probabilities, self.classes, rules_stance=rules_stance, min_direction=self.min_direction_over_rules,
                      max_opposite=self.max_opposite)
        stance = self.classes[best]
        intensity = float(self.score_bias + self.score_weights[indices] @ values)
        return Prediction(stance, signed_score(stance, intensity), round(float(probabilities[best]), 3),
                          self.evidence(indices, values, best))

    def evidence(self, indices: np.ndarray, values: np.ndarray, best: int) -> tuple[str, ...]:
        """The named features that pushed most toward class `best` (against the others' mean)."""
        weights = self.stance_weights[:, indices]
        margin = (weights[best] - np.delete(weights, best, axis=0).mean(axis=0)) * values
        names = self.feature_names
        strongest = [i for i in np.argsort(-margin, kind="stable") if margin[i] > 0]
        shown = [names[indices[i]] for i in strongest if not names[indices[i]].startswith("emb:")]
        return tuple(f"{readable(name)} {margin[strongest[k]]:+.1f}" for k, name in enumerate(shown[:EXPLAINING_FEATURES]))

    @cached_property
    def embedding_columns(self) -> np.ndarray:
        """The columns of the embedding's dimensions 0, 1, 2, ... (the names sort as text)."""
        dimensions = sorted((int(name[4:]), index) for name, index in self.feature_index.items() if name.startswith("emb:"))
        return np.array([index for _, index in dimensions], dtype=np.int64)

    @cached_property
    def feature_names(self) -> list[str]:
        names = [""] * len(self.feature_index)
        for name, index in self.feature_index.items():
            names[index] = name
        return names

    def rescore(self, events: Sequence[Event], embed=None) -> list[Event]:
        """The events with the model's stance, score and confidence; the rule cues stay and the
        model's strongest features follow them in `cues` ("model: “retaliate” +1.2"). `events` are
        as the rules left them, every statement of each of their articles (the model reads a
        statement with the rules' verdicts on the rest of its article; `without_article` reads the
        only statement of an article)."""
        embeddings = None
        if embed is not None and self.encoder and events:
            embeddings = np.hstack([embed_unique(embed, [getattr(e, name) for e in events]) for name in self.embedded_fields])
        rows = [event.__dict__ for event in events]
        in_article = article_features(rows, weight=self.article_weight) if self.article_weight else [{}] * len(rows)
        rescored = []
        for n, event in enumerate(events):
            model = self.without_article if self.without_article is not None and not in_article[n] else self
            features = statement_features(rows[n], rule_weight=model.rule_weight) | in_article[n]
            prediction = model.predict_features(features, None if embeddings is None else embeddings[n])
            cues = [c for c in event.cues.split(";") if c] + [MODEL_CUE_PREFIX + " " + e for e in prediction.evidence]
            rescored.append(replace(event, stance=prediction.stance, score=round(prediction.score, 3),
                                    confidence=prediction.confidence, cues=";".join(cues)))
        return rescored

    # --- files -------------------------------------------------------------------------------
    def to_json(self, meta: Mapping[str, object]) -> str:
        """The model as JSON text, floats rounded so that the same data gives the same bytes."""
        return json.dumps(self._payload(meta), ensure_ascii=False, indent=0, separators=(",", ":")) + "\n"

    def _payload(self, meta: Mapping[str, object]) -> dict:
        names = self.feature_names
        payload = {
            "format": "escalation-stance-linear/1",
            "meta": dict(meta),
            "classes": list(self.classes),
            "temperature": _round(self.temperature),
            "encoder": self.encoder,
            "embedding_scale": _round(self.embedding_scale),
            "embedded_fields": list(self.embedded_fields),
            "min_direction_over_rules": _round(self.min_direction_over_rules),
            "max_opposite": _round(self.max_opposite),
            "rule_weight": _round(self.rule_weight),
            "article_weight": _round(self.article_weight),
            "stance_bias": [_round(v) for v in self.stance_bias],
            "score_bias": _round(self.score_bias),
            # one row a feature: [name, weight per class..., score weight]
            "features": [[names[i], *(_round(v) for v in self.stance_weights[:, i]), _round(self.score_weights[i])]
                         for i in range(len(names))],
        }
        if self.without_article is not None:
            payload["without_article"] = self.without_article._payload({})
        return payload

    @classmethod
    def load(cls, path: str | Path | None = None) -> "StanceModel":
        path = Path(path or DEFAULT_MODEL_PATH)
        try:
            return cls._from_payload(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise ModelFileError(f"{path}: cannot read the stance model ({exc.strerror or exc}); "
                                 "rebuild it with `python -m pipeline.train`") from None
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModelFileError(f"{path}: not a stance model file ({type(exc).__name__}: {exc})") from None

    @classmethod
    def _from_payload(cls, payload: dict) -> "StanceModel":
        classes = tuple(payload["classes"])
        rows = payload["features"]
        return cls(
            classes=classes,
            feature_index={row[0]: i for i, row in enumerate(rows)},
            stance_weights=np.array([row[1:1 + len(classes)] for row in rows], dtype=float).T.reshape(len(classes), len(rows)),
            stance_bias=np.array(payload["stance_bias"], dtype=float),
            temperature=float(payload["temperature"]),
            score_weights=np.array([row[1 + len(classes)] for row in rows], dtype=float),
            score_bias=float(payload["score_bias"]),
            encoder=payload.get("encoder", ""),
            embedding_scale=float(payload.get("embedding_scale", 1.0)),
            embedded_fields=tuple(payload.get("embedded_fields", ("quote",))),
            min_direction_over_rules=float(payload.get("min_direction_over_rules", 0.0)),
            max_opposite=float(payload.get("max_opposite", 1.0)),
            rule_weight=float(payload.get("rule_weight", 1.0)),
            article_weight=float(payload.get("article_weight", 0.0)),
            without_article=cls._from_payload(payload["without_article"]) if payload.get("without_article") else None,
        )


def decide(probabilities: np.ndarray, classes: Sequence[str], *, rules_stance: str, min_direction: float,
           max_opposite: float = 1.0) -> int:
    """The class to give: the most probable, except that a direction the rules did not give (a
    direction where they saw none, or the opposite of theirs) needs the model to be more than
    `min_direction` sure, otherwise the rules' stance stands; and a direction whose opposite still
    has more than `max_opposite` probability becomes neutral. Saying "de-escalation" of a threat
    is the costliest error for a reader: saying nothing is cheaper than a flip."""
    best = int(np.argmax(probabilities))
    if classes[best] not in ("neutral", rules_stance) and probabilities[best] <= min_direction:
        best = classes.index(rules_stance)
    opposite = {"escalation": "de-escalation", "de-escalation": "escalation"}.get(classes[best])
    if opposite is not None and probabilities[classes.index(opposite)] > max_opposite:
        return classes.index("neutral")
    return best


def embed_unique(embed, texts: Sequence[str]) -> np.ndarray:
    """`embed(texts)`, each distinct text encoded once (a sentence often carries two statements)."""
    unique = list(dict.fromkeys(texts))
    vectors = embed(unique)
    row = {text: n for n, text in enumerate(unique)}
    return vectors[[row[text] for text in texts]]


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities along the last axis (one statement's logits, or a row per statement)."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def signed_score(stance: str, intensity: float) -> float:
    """The event's score in [-1, 1]: the regression's intensity, on the side of the stance
    (at least one step of the guidelines' scale), 0 for a neutral statement."""
    sign = STANCE_SIGN[stance]
    if not sign:
        return 0.0
    magnitude = min(3.0, max(1.0, sign * intensity))
    return sign * magnitude / 3.0


def _round(value: float) -> float:
    value = float(value)
    return 0.0 if value == 0 or not math.isfinite(value) else float(f"{value:.6g}")

