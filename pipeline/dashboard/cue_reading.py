"""The cues of a statement in plain words: what each one is, its weight, the rule applied.

The events table stores cues in the stance scorer's notation (`pipeline.stance.scorer`): the words as
written, with rule markers in front ("no→confrontation", "claim:struck", "if…will respond",
"frame:warned") and the learned model's strongest features after them ("model: “retaliate”
+1.2"). `read_cue` turns one such label into a `CueReading`, whose `plain()` is what the
evidence card lists:

    no→confrontation          negated: no … confrontation → de-escalation (−2)
    claim:struck              claimed by the speaker's side: struck → escalation (+3)
    model: “retaliate” +1.2   learned model: the words “retaliate” → escalation (+1.2)

The weight of a rule cue is not stored with the event, so it is worked out again from the
lexicon (`data/stance_cues.csv`) and the scorer's own rule weights (`cue_weight` and the
constants of `pipeline.stance.scorer`): the weight the rule gives that cue, on the −3…+3 scale. The
rules can still weigh a cue differently in context (a call caps it, a deadline cancels it),
so the score itself stays the scorer's; this says why it points the way it does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from ..schema import STANCES

GAP = " … "
MODEL_PREFIX = "model:"
# Rule markers written "name:" in front of the words, with what they mean in plain words.
NAMED_RULES = {
    "claim": "claimed by the speaker's side",
    "success": "the other side's losses, claimed",
    "accuse": "an accusation: done by the other side",
    "report": "reported as a fact",
    "mention": "only mentioned, not done or offered",
    "state": "how a truce fares",
    "demand": "demanded of the other side",
    "commit": "a ceasefire commitment",
    "call": "a call on others",
}
# Reporting verbs of a denial: a cue negated by one is downplayed rather than disavowed.
DENIAL_FRAMES = frozenset({"denied", "deny", "denies", "dismissed", "rejected", "refuted"})
MODEL_VALUE = re.compile(r"^(?P<feature>.*?)\s+(?P<value>[+-]\d+(?:\.\d+)?)$")
NEGATION = re.compile(r"^(?P<negator>[^→:…]+)→(?P<rest>.*)$")


@dataclass(frozen=True)
class CueReading:
    """One cue read in plain words."""

    rule: str  # the rule applied, in words: "negated", "lexicon cue", "learned model", ...
    words: str  # the cue's words as written ("no … confrontation")
    weight: float | None  # the signed weight the rule gives it (−3…+3; the model: its push); None when unknown
    stance: str  # the way it pushes: one of STANCES ("neutral": it counts nothing by itself); "" when unknown

    def plain(self) -> str:
        """ "negated: no … confrontation → de-escalation (−2)"; "lexicon cue: troops (weight unknown)"
        for words the lexicon no longer lists (the events may come from an older lexicon)."""
        if self.weight is None:
            return f"{self.rule}: {self.words} (weight unknown)"
        return f"{self.rule}: {self.words} → {self.stance} ({_signed(self.weight)})"


def _signed(value: float) -> str:
    if value == 0:
        return "0"
    text = f"{value:+.1f}".replace(".0", "")
    return text.replace("-", "−")


def _stance_of(weight: float | None) -> str:
    if weight is None:
        return ""
    if weight == 0:
        return "neutral"
    return "escalation" if weight > 0 else "de-escalation"


@lru_cache(maxsize=1)
def _scorer() -> SimpleNamespace:
    """The lexicon by its words and the scorer's rule weights. Imported here, not at the top:
    `pipeline.stance.scorer` loads spaCy, which the dashboard needs only once a card is shown."""
    from ..stance import lexicon, rules, scorer

    cues = {cue.words: cue for cue in lexicon.read_cues(lexicon.DEFAULT_CUES_PATH)}
    vocabulary = {word for words in cues for word in words}
    return SimpleNamespace(
        cues=cues,
        vocabulary=vocabulary,
        cue_weight=scorer.cue_weight,
        words_of=lexicon.cue_words,
        claim=scorer.CLAIM_WEIGHT,
        success=scorer.SUCCESS_WEIGHT,
        accusation=scorer.ACCUSATION_WEIGHT,
        commitment=scorer.COMMITMENT_WEIGHT,
        call_cap=scorer.CALL_CAP,
        denial=scorer.DENIAL_WEIGHT,
        warned=scorer.WARNED_RESPONSE_WEIGHT,
        siege=scorer.SIEGE_WEIGHT,
        mention=rules.MENTION_FACTOR,
    )


def _base_forms(word: str) -> list[str]:
    """A written word and the forms the lexicon may list it under ("warned" -> "warn")."""
    forms = [word]
    for ending, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("es", ""), ("ed", ""), ("ed", "e"), ("s", ""), ("d", "")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            forms.append(word[: -len(ending)] + replacement)
    return forms


def find_lexicon_cue(words: str):
    """The lexicon cue the written `words` hold (the longest run of them, each word in the form
    the lexicon lists it), or None. "seek…conflict" finds "seek conflict"; "wider war" itself."""
    scorer = _scorer()
    written = scorer.words_of(words.replace("…", " "))
    tokens = tuple(next((f for f in _base_forms(w) if f in scorer.vocabulary), w) for w in written)
    for size in range(len(tokens), 0, -1):
        for start in range(len(tokens) - size + 1):
            cue = scorer.cues.get(tokens[start : start + size]) or scorer.cues.get(written[start : start + size])
            if cue is not None:
                return cue
    return None


def _shown(words: str) -> str:
    return words.replace("…", GAP).strip()


def read_model_cue(label: str, stance: str) -> CueReading:
    """ "model: “retaliate” +1.2": a feature of the learned model and how far it pushed the
    statement toward the stance the model chose (`stance`)."""
    body = label[len(MODEL_PREFIX) :].strip()
    found = MODEL_VALUE.match(body)
    feature, value = (found.group("feature"), float(found.group("value"))) if found else (body, None)
    if feature.endswith(" (frame)"):
        words = f"the words {feature.removesuffix(' (frame)')} around the quote"
    elif feature.startswith("“"):
        words = f"the words {feature}"
    elif feature.startswith("rules said "):
        words = f"the rules' verdict ({feature.removeprefix('rules said ')})"
    elif feature == "rule score":
        words = "the rules' score"
    elif feature.startswith("rule "):
        words = f"the rules' marker “{feature.removeprefix('rule ')}”"
    else:
        words = feature
    push = stance if stance in STANCES else "neutral"
    return CueReading("learned model", words, value, push if value else "neutral")


def read_cue(label: str, stance: str = "neutral") -> CueReading:
    """One cue label of the `cues` column in plain words (see the module's examples). `stance`
    is the statement's stance: the learned model's features push toward it."""
    label = label.strip()
    if label.startswith(MODEL_PREFIX):
        return read_model_cue(label, stance)
    scorer = _scorer()
    frame = ""
    if label.startswith("frame:"):
        frame, label = split_frame(label.removeprefix("frame:"))
        if not label:  # the reporting verb itself is the cue: "frame:warned"
            cue = find_lexicon_cue(frame)
            weight = cue.weight if cue is not None else None
            return CueReading("the reporting verb", frame, weight, _stance_of(weight))
    reading = _read_marked(label, scorer)
    if frame:
        reading = CueReading(f"{reading.rule}, weighed by the reporting verb “{frame}”", reading.words, reading.weight, reading.stance)
    return reading


def split_frame(text: str) -> tuple[str, str]:
    """A "frame:" label's reporting verb and the cue it weighs, if any: "warned not→seek…war" ->
    ("warned", "not→seek…war"); "blames for" -> ("blames for", ""). The verb may have several
    words, so the cue is the longest tail that reads as a marked or lexicon cue."""
    words = text.split(" ")
    for cut in range(1, len(words)):
        rest = " ".join(words[cut:])
        if _read_marked(rest, _scorer()).weight is not None:
            return " ".join(words[:cut]), rest
    return text, ""


def _read_marked(label: str, scorer: SimpleNamespace) -> CueReading:
    """A rule cue without a reporting-verb prefix: "claim:", "not→", "if…", "until…" or none."""
    name, colon, rest = label.partition(":")
    if colon and name in NAMED_RULES:
        inner = _read_marked(rest, scorer)
        weight = {
            "claim": lambda w: max(w, scorer.claim),
            "success": lambda w: max(w, scorer.success),
            "accuse": lambda w: min(w, scorer.accusation) if w > 0 else scorer.accusation,
            "report": lambda w: w * scorer.mention if w > 0 else 0.0,
            "mention": lambda w: w * scorer.mention if w > 0 else 0.0,
            "state": lambda w: max(w, scorer.denial),
            "demand": lambda w: 0.0,
            "commit": lambda w: scorer.commitment,
            "call": lambda w: max(w, scorer.call_cap) if w < 0 else scorer.call_cap,
        }[name](inner.weight if inner.weight is not None else 0.0)
        rule = NAMED_RULES[name] if inner.rule == "lexicon cue" else f"{NAMED_RULES[name]}, {inner.rule}"
        # Reports and mentions are facts: they support a stance but never set it.
        stance = "neutral" if name in ("report", "mention", "demand") else _stance_of(weight)
        return CueReading(rule, inner.words, weight, stance)
    if label.startswith("if…"):
        words = label.removeprefix("if…")
        cue = find_lexicon_cue(words)
        weight = cue.weight if cue is not None and cue.weight > 0 else scorer.warned
        return CueReading("a warned response (the answer to an if-clause)", f"if{GAP}{_shown(words)}", weight, _stance_of(weight))
    if label.startswith("until…"):
        words = label.removeprefix("until…")
        return CueReading("supplies withheld until a demand is met", f"until{GAP}{_shown(words)}", scorer.siege, "escalation")
    negated = NEGATION.match(label)
    if negated:
        negator, words = negated.group("negator"), negated.group("rest")
        cue = find_lexicon_cue(words)
        weight = None
        if cue is not None:
            weight = scorer.cue_weight(cue, negated=True, denied=negator.lower() in DENIAL_FRAMES)
        return CueReading("negated", f"{negator}{GAP}{_shown(words)}", weight, _stance_of(weight))
    cue = find_lexicon_cue(label)
    weight = cue.weight if cue is not None else None
    return CueReading("lexicon cue", _shown(label), weight, _stance_of(weight))


def read_cues(cues: str, stance: str = "neutral") -> list[CueReading]:
    """Every cue of an event's `cues` field (";"-separated) in plain words, in stored order."""
    labels = dict.fromkeys(c.strip() for c in cues.split(";") if c.strip())
    return [read_cue(label, stance) for label in labels]


def cue_words(cues: str) -> list[str]:
    """The written words of an event's rule cues, each run between gaps on its own, for marking
    them in the sentence: "no→link…to;claim:struck" -> ["no", "link", "to", "struck"]. The
    model's features and the reporting-verb prefix are not words of the quote's cues."""
    found: list[str] = []
    for label in (c.strip() for c in cues.split(";")):
        if not label or label.startswith(MODEL_PREFIX):
            continue
        if label.startswith("frame:"):
            verb, _, label = label.removeprefix("frame:").partition(" ")
            found.append(verb)
        while True:  # peel the markers: "call:", "not→", "if…will "
            name, colon, rest = label.partition(":")
            if colon and name in NAMED_RULES:
                label = rest
                continue
            negated = NEGATION.match(label)
            if negated:
                found.append(negated.group("negator"))
                label = negated.group("rest")
                continue
            break
        label = label.removeprefix("if…").removeprefix("until…")
        found += [part.strip() for part in label.split("…") if part.strip()]
    return list(dict.fromkeys(found))


__all__ = ["CueReading", "cue_words", "find_lexicon_cue", "read_cue", "read_cues"]
