"""What the learned stance model sees of a statement: named, sparse features.

A statement is read as the rules left it (its quote, the sentence around it, and the rule
scorer's stance, score and cues); `statement_features` turns that into a dict of named
features, each of which can be shown to a reader as evidence:

- `rule:<stance>` and `rule:score`: the rule scorer's verdict and signed intensity;
- `mark:<rule>`: the rule markers on its cues ("not", "claim", "call", "frame", "if", ...);
- `cue:<words>`: the cue words the rules matched, without markers;
- `q:<word>` and `q:<word word>`: words and word pairs of the quote;
- `ctx:<word>`: words of the sentence outside the quote (the reporting verb and its frame:
  "warned", "vowed", "urged", "described ... as");
- `art:<stance>` (`article_features`): how the rules read the other statements of the article.

Only words are used, lower-cased, so the features read the same on any input format. Single
stop words (spaCy's English list: "the", "and", "on") are left out, as evidence they explain
nothing; in word pairs they stay ("not seek", "will retaliate").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
# A cue label's rule marker: "not→", "claim:", "frame:warned", "if…will respond", "until…".
MARKER = re.compile(r"^(?:(?P<name>[a-z]+):|(?P<lead>not|no|never|if|until)(?:→|…))")
RULE_STANCES = ("escalation", "de-escalation", "neutral")
ARTICLE_STANCES = ("escalation", "de-escalation")


def words(text: str) -> list[str]:
    """Lower-cased words; curly apostrophes read as straight ones."""
    return WORD.findall(text.lower().replace("\u2019", "'"))


def cue_parts(label: str) -> tuple[str, str]:
    """A rule cue label split into its rule marker and its words: "not→seek…war" -> ("not", "seek war")."""
    label = label.strip()
    marker = ""
    found = MARKER.match(label)
    if found:
        marker = found.group("name") or found.group("lead")
        label = label[found.end():] if found.group("name") else label[len(marker):].lstrip("→…")
    return marker, " ".join(words(label))


def context_words(sentence: str, quote: str) -> list[str]:
    """The words of `sentence` outside the first occurrence of `quote`."""
    at = sentence.find(quote) if quote else -1
    outside = sentence if at < 0 else sentence[:at] + " " + sentence[at + len(quote):]
    return words(outside)


def statement_features(statement: Mapping[str, object], *, rule_weight: float = 1.0) -> dict[str, float]:
    """The named features of one statement.

    `statement` has the events table's `quote`, `sentence`, `stance`, `score` and `cues` as the
    rule scorer produced them (an events row read before the model rescored it). `rule_weight`
    scales the rules' verdict against the words: with few examples, a larger weight lets the
    model keep the rules' verdict unless the words say otherwise.
    """
    quote = str(statement.get("quote", ""))
    features: dict[str, float] = {}
    rule_stance = str(statement.get("stance", "neutral"))
    features[f"rule:{rule_stance}"] = rule_weight
    features["rule:score"] = rule_weight * float(statement.get("score", 0.0) or 0.0)
    for label in str(statement.get("cues", "")).split(";"):
        if not label.strip():
            continue
        marker, cue_words = cue_parts(label)
        if marker:
            features[f"mark:{marker}"] = 1.0
        if cue_words:
            features[f"cue:{cue_words}"] = 1.0
    quote_words = words(quote)
    for word in quote_words:
        if word not in STOP_WORDS:
            features[f"q:{word}"] = 1.0
    for first, second in zip(quote_words, quote_words[1:]):
        features[f"q:{first} {second}"] = 1.0
    for word in context_words(str(statement.get("sentence", "")), quote):
        if word not in STOP_WORDS:
            features[f"ctx:{word}"] = 1.0
    return features


def article_features(statements: Sequence[Mapping[str, object]], *, weight: float = 1.0) -> list[dict[str, float]]:
    """Per statement, `art:escalation` and `art:de-escalation`: the share of the other statements
    of its article (the same `doc_id`) that the rules gave that stance, times `weight`; nothing
    for the only statement of an article.

    Annotators score a statement having read the whole article: "both sides must show restraint"
    or "the army will respond" read differently in a report of shelling than in one of a truce.
    The rules' verdicts on the article's other statements carry that setting at no extra cost
    (leave-one-conflict-out on the train split, December 2026: stance macro-F1 0.596 -> 0.628,
    flips 157 -> 134; the article's title words added 0.007 more there and nothing on unseen crises).
    `statements` are events rows as the rules left them, every statement found in each article.
    """
    stances: dict[str, Counter] = {}
    for statement in statements:
        stances.setdefault(str(statement.get("doc_id", "")), Counter())[str(statement.get("stance", ""))] += 1
    features = []
    for statement in statements:
        article = stances[str(statement.get("doc_id", ""))]
        own = str(statement.get("stance", ""))
        others = sum(article.values()) - 1
        features.append({f"art:{stance}": weight * (article[stance] - (own == stance)) / others
                         for stance in ARTICLE_STANCES} if others else {})
    return features


def readable(feature: str) -> str:
    """A feature name as a reader would take it: "q:will retaliate" -> "“will retaliate”"."""
    kind, _, value = feature.partition(":")
    if kind == "q":
        return f"\u201c{value}\u201d"
    if kind == "ctx":
        return f"\u201c{value}\u201d (frame)"
    if kind == "cue":
        return f"cue \u201c{value}\u201d"
    if kind == "mark":
        return f"rule {value}"
    if kind == "rule":
        return "rule score" if value == "score" else f"rules said {value}"
    if kind == "art":
        return f"article's other statements: {value}"
    return feature
