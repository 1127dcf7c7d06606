"""Explainable stance scoring: is a statement escalation (+) or de-escalation (-), and how strongly?

The words live in `data/stance_cues.csv` (each with a weight on the guidelines' -3..+3 scale, a
kind and a provenance), read and matched by `pipeline.stance.lexicon`; the syntactic rules live
in `pipeline.stance.rules`, the reading of reported deeds by side in `pipeline.stance.sides`;
this module weighs the cues, each step a small named function:

1. `find_cues` matches the lexicon on lemmas, longest phrase first, with short gaps inside
   phrases ("carry out follow-on attacks").
2. `read_cue` reads each scored cue in its context with the rules: negation ("not", "no",
   "never", "refrain from"), possibility ("if there are attacks", "any aggression", "until Hamas
   accepts"), warned response ("if…will respond"), call on others ("urged restraint", "urged
   Pyongyang to refrain from provocations"), demand ("has 72 hours to withdraw", "stop its
   aggression and withdraw"), mention ("killed in the strike", "no link to the attack", "those
   who fired", "repelled the attacks", "What has happened to the ceasefire?", "since the deal
   was announced"), and who did a reported deed to whom: "our forces struck" is a claim (+3),
   "six rockets struck the town" a report of fact, "dozens of enemy soldiers were killed" a
   claim of success (+2), "shot down 30 drones" an interception (a fact); without the
   speaker's country no place names a side, so only first-person deeds are claims.
3. `cue_weight` turns kind + context into a signed weight: a negated deed is a disavowal (-2), a
   negated fact counts nothing, negated de-escalation is a rejection (+2) unless it reports the
   past ("no agreement had been reached": 0; "the militia had not respected the ceasefire": an
   accusation, +1), a negated involvement is a denial (-1) or, of the other side, nothing. A
   past deed of the speaker's side that did not happen is restraint (-1: "the army has not
   returned fire"); a passive future "no missile will be fired" is a ceasefire commitment (-3).
4. `attach_modifiers` applies intensifiers and softeners to the cue they modify.
   Two statement-level rules add cues no lexicon word carries: an armed body answering an
   if-clause ("if…forces will remove") and supplies withheld until a demand is met ("until…no
   fuel…enter", a siege ultimatum). A truce named by a breach noun ("a possible violation of the
   truce") is only named: the noun accuses by itself. Under a denial frame, a deed that is only
   the subject of what is denied is named ("rejected that the operation was coordinated").
5. `main_message` picks the side of the strongest cue (a disavowal of war before "but" outweighs
   a warned response after it, as the guidelines' mixed statement; otherwise a tie goes to what
   follows "but", then to the syntactically higher cue); agreeing cues add a little; facts
   support a stance but do not set it, so statements of facts alone and weak signals (the
   neutral band) are neutral.
   `stance_confidence` grows with agreeing evidence and shrinks with conflict.

The result's `cues` say which words moved the score, with markers for the rules: "not→seek
escalation" (negation), "if…will respond" (warned response), "call:ceasefire" (a call, capped),
"claim:struck" (claimed deed), "success:killed" (the other side's losses), "accuse:attacked" (the
other side's deed), "report:struck" (a deed reported as a fact), "mention:strike" (a deed or a
de-escalation word named, not done or offered), "state:truce" (how a truce fares),
"demand:withdraw" (demanded of the other side, or "demand:agreement" offered only once the
speaker's demands are met), "commit:no missile…fired" (ceasefire commitment), "until…fuel…enter"
(supplies withheld until a demand is met), "frame:warned" (the reporting verb).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .lexicon import (
    DEFAULT_CUES_PATH,
    DEED_KINDS,
    DENIED_KINDS,
    FACTUAL_KINDS,
    FLIPPED_KINDS,
    FRAME_KINDS,
    MAX_INTENSITY,
    MODIFIER_KINDS,
    NEGATING_KINDS,
    PRESUPPOSED_KINDS,
    REVERSED_KINDS,
    SCORED_KINDS,
    Cue,
    CueMatch,
    find_cues,
    frame_candidates,
    read_cues,
)
from .lexicon import render as _render
from .rules import (
    CONDITIONAL_MARKS,
    CONTRAST_WORDS,
    MENTION_FACTOR,
    clause_verb,
    conditional_marker,
    in_call_scope,
    in_deadline_scope,
    is_commitment_not_to_fire,
    is_conditioned_on_demands,
    is_demand_after_stop,
    is_blame_for_start,
    is_denied_subject,
    is_future,
    is_hypothetical,
    is_imperative,
    is_label,
    is_mentioned_offer,
    is_past_report,
    is_name_modifier,
    is_own_past_conduct,
    is_reported_state,
    is_threatened_good,
    is_told_to_listener,
    negates_mention,
    negation_markers,
    reference_factor,
    scope_path,
    warned_force_responses,
    withheld_supplies,
)
from .sides import Deed, Sides, is_claimed_deed

if TYPE_CHECKING:
    from ..extraction.actors import Places

STANCES = ("escalation", "de-escalation", "neutral")

# --- named weights (guidelines scale, -3..+3) ---------------------------------------------------
DISAVOWAL_WEIGHT = -2.0  # "we do not seek war", "will not target bases"
REJECTION_CAP = 2.0  # "we will not accept a ceasefire": rejects de-escalation
DENIAL_WEIGHT = -1.0  # "denied attacking", "has never supplied weapons", "has not returned fire"
CLAIM_WEIGHT = 3.0  # "we struck": announces or claims an attack
SUCCESS_WEIGHT = 2.0  # "dozens of enemy soldiers were killed": claims the other side's losses
ACCUSATION_WEIGHT = 1.0  # "Varesh has attacked us": the other side's deed, reported as an accusation
COMMITMENT_WEIGHT = -3.0  # "no missile will be fired by either side": a ceasefire commitment
WARNED_RESPONSE_WEIGHT = 2.0  # "if a tank remains, the armed forces will remove it"
SIEGE_WEIGHT = 2.0  # "no fuel will enter until the hostages are freed": an ultimatum
CALL_CAP = -2.0  # "urged a ceasefire" is a call for restraint, not a commitment
NEUTRAL_BAND = 1.0  # |intensity| below this is neutral: weak single cues do not tip the stance
AGREEMENT_BONUS = 0.25  # each further agreeing cue adds this share of its weight
TIE_MARGIN = 0.25  # opposing cues this close in weight are a tie, settled by position
EVIDENCE_SCALE = 2.0  # confidence reaches 63% with one cue of weight 2 and no conflict
NO_CUE_CONFIDENCE = 0.3  # neutral because nothing directional was said
MODIFIER_WINDOW = 3  # an unattached modifier reaches a cue this many tokens away
RULE_CUE = "rule"  # provenance of the cues that rules, not the lexicon, add
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True)
class StanceResult:
    stance: str  # "escalation" | "de-escalation" | "neutral"
    score: float  # in [-1, 1]; positive = escalation; intensity / 3
    confidence: float  # in [0, 1]
    cues: tuple[str, ...]  # the words that moved the score, with rule markers


@dataclass
class ScoredCue:
    """A matched cue read in context: its signed weight and how it is shown."""

    match: CueMatch
    weight: float
    prefix: str = ""  # rule markers: "not→", "if…will ", "until…", "claim:", "success:", "report:", "mention:", "call:", "demand:"
    depth: int = 0  # head steps to the sentence root: the main clause is 0
    after_contrast: bool = False  # follows "but"/"however"
    factual: bool = False  # a violent fact or a mentioned deed, not a stance
    coordinated: bool = False  # one message with another cue: conjoined ("revenge and retaliation")
    # or under the same negation ("not seek escalation or war"); adds no bonus
    modifiers: list[int] = field(default_factory=list)  # doc indices of attached modifiers
    disavowal: bool = False  # a negated deed or threat: "would not start any war"

    def label(self, doc) -> str:
        """The cue as written, with its modifiers and rule markers: "not→seek…war"."""
        return self.prefix + _render(doc, tuple(sorted(self.match.indices + tuple(self.modifiers))))


def cue_weight(cue: Cue, *, negated: bool, denied: bool, future: bool = False) -> float:
    """The signed weight of a cue given whether it is negated (and whether by a denial frame, and
    whether the clause is in the future).

    action/threat: negation is a disavowal (-2; a denial only downplays, -1).
    involvement: negation is a denial (-1: "has never supplied weapons"), a disavowal when
    promised for the future (-2: "will not be a safe haven for terrorists").
    hostile/defensive/outcome/deadline: negation leaves nothing ("no casualties" is neutral).
    conciliatory/restraint/commitment: negation rejects de-escalation (+|w|, at most +2).
    sufficiency: counts only when negated ("not enough" = +w).
    """
    kind, weight = cue.kind, cue.weight
    if kind == "sufficiency":
        return weight if negated else 0.0
    if not negated:
        return weight
    if kind in FLIPPED_KINDS:
        if weight < 1:
            return -weight
        return DENIAL_WEIGHT if denied else DISAVOWAL_WEIGHT
    if kind in DENIED_KINDS:
        return DISAVOWAL_WEIGHT if future and not denied else DENIAL_WEIGHT
    if kind in REVERSED_KINDS:
        return min(REJECTION_CAP, abs(weight))
    return 0.0


@dataclass
class SpanContext:
    """What the rules need to know about a span besides the cue at hand, computed once."""

    span: Span
    frame: str  # the reporting verb as given
    frame_kind: str  # its cue's kind ("negator", "call", "claim", ...) or ""
    negator_at: dict[int, str]  # token index -> negator or cessation text
    truth_negator_at: dict[int, str]  # the same without cessations (for presupposed hostile cues)
    call_at: dict[int, str]
    reference_at: dict[int, float]  # token index -> factor of a reference word
    outcome_at: set[int]  # roots of outcome cues
    accuse_at: set[int]  # roots of hostile cues
    involve_at: set[int]  # tokens of involvement cues ("link to", "supply weapons")
    defend_at: set[int]  # roots of defensive cues: what they fend off is mentioned ("repelled attacks")
    mentioning_at: set[int]  # reference and outcome words: negated, they negate a fact, not a deed
    deadline_at: set[int]  # tokens of deadline cues ("have 72 hours to", "ultimatum")
    deed_verbs: set[int]  # verbs of deed cues: their subjects and objects are read with them
    cue_tokens: set[int]
    retreat_at: set[int]  # tokens of de-escalation cues: what one stands down "from" is given up
    contrast: int | None  # index of the first "but"/"however"
    sides: Sides | None = None  # who is who, when the speaker's country is known
    imperative: bool | None = None  # computed on demand
    negations_seen: set[int] = field(default_factory=set)

    @classmethod
    def build(cls, span: Span, matches: list[CueMatch], frame: str, frame_cue: Cue | None, sides: Sides | None = None) -> "SpanContext":
        doc = span.doc
        frame_kind = frame_cue.kind if frame_cue is not None else ""
        negator_at = {i: _render(doc, m.indices) for m in matches if m.cue.kind in NEGATING_KINDS for i in m.indices}
        cessations = {i for m in matches if m.cue.kind == "cessation" for i in m.indices}
        return cls(
            span=span,
            frame=frame,
            frame_kind=frame_kind,
            negator_at=negator_at,
            truth_negator_at={i: text for i, text in negator_at.items() if i not in cessations},
            call_at={i: "call" for m in matches if m.cue.kind == "call" for i in m.indices},
            reference_at={} if frame_kind == "claim" else {
                i: m.cue.weight for m in matches if m.cue.kind == "reference" for i in m.indices
            },
            outcome_at={m.root.i for m in matches if m.cue.kind in FACTUAL_KINDS},
            accuse_at={m.root.i for m in matches if m.cue.kind == "hostile"},
            involve_at={i for m in matches if m.cue.kind in DENIED_KINDS for i in m.indices},
            defend_at={m.root.i for m in matches if m.cue.kind == "defensive"},
            mentioning_at={i for m in matches if m.cue.kind == "reference" for i in m.indices} | {
                m.root.i for m in matches if m.cue.kind in FACTUAL_KINDS
            },
            deadline_at={i for m in matches if m.cue.kind == "deadline" for i in m.indices},
            deed_verbs={i for m in matches if m.cue.kind in DEED_KINDS for i in m.indices if doc[i].pos_ == "VERB"},
            cue_tokens={i for m in matches for i in m.indices},
            retreat_at={i for m in matches if m.cue.kind in REVERSED_KINDS for i in m.indices},
            contrast=min((t.i for t in span if t.lower_ in CONTRAST_WORDS), default=None),
            sides=sides,
            imperative=True if frame_kind == "call" else None,
        )

    def in_call(self, match: CueMatch) -> bool:
        """The cue is part of a call on others (`in_call_scope`)."""
        if self.imperative is None:
            self.imperative = is_imperative(self.span)
        return in_call_scope(match, self.span, self.call_at, self.imperative)

    def mention_factor(self, match: CueMatch, *, asserted: bool = False) -> float:
        """`reference_factor` of an action: below 1 when it is mentioned, not done; asserted in
        a content without a verb ("strikes on an air base near the capital"), it is named, a
        mention too."""
        factor = reference_factor(match, self.reference_at, self.outcome_at, self.accuse_at, self.involve_at, self.defend_at)
        if asserted and factor == 1.0 and match.cue.kind == "action" and not any(t.pos_ in ("VERB", "AUX") for t in self.span):
            return MENTION_FACTOR
        return factor

    def speaks_of_other(self, token: Token, *, named: bool = False) -> bool:
        """The subject of the token's clause names another side than the speaker's ("Gaza" for
        an American speaker); with `named`, any active subject that is not the speaker's own
        side ("the militia had not respected the ceasefire")."""
        verb = clause_verb(token)
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects and verb.dep_ == "conj":  # "the West had used ... and had never intended to"
            subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if self.sides is None:
            return False
        sides = [self.sides.side_of(s) for s in subjects]
        if named:
            active = [side for s, side in zip(subjects, sides) if s.dep_ == "nsubj" and s.pos_ in ("NOUN", "PROPN")]
            return bool(active) and all(side in ("other", "") for side in active)
        return "other" in sides

    def deed_of(self, match: CueMatch) -> Deed | None:
        """The reported deed a cue names, read for sides (only when the speaker's country is
        known, and not under a claim frame, where every deed is claimed)."""
        if self.sides is None or match.cue.kind not in DEED_KINDS or self.frame_kind == "claim":
            return None
        return self.sides.read_deed(match.root, self.deed_verbs)


def read_cue(match: CueMatch, context: SpanContext) -> ScoredCue | None:
    """A scored cue read in its context by the rules of `pipeline.stance.rules`; None when it is
    hypothetical."""
    if is_hypothetical(match, context.span, context.cue_tokens):
        return None
    kind = match.cue.kind
    if kind in FLIPPED_KINDS and is_name_modifier(match):
        return None  # "the war Cabinet met"
    named = read_named_offer(match, context) if kind in REVERSED_KINDS else None
    if named is not None:
        return named
    denied = context.frame_kind == "negator"
    if denied and kind in FLIPPED_KINDS and is_denied_subject(match, context.cue_tokens):
        return ScoredCue(match, 0.0, "mention:", _depth(match.root), factual=True)  # "rejected that the operation was coordinated"
    negators = context.truth_negator_at if kind in PRESUPPOSED_KINDS else context.negator_at
    markers = [] if kind == "hostile" and is_label(match) else negation_markers(match, context.span, negators, context.cue_tokens, context.retreat_at)
    if kind in REVERSED_KINDS and markers:
        markers = [m for m in markers if not is_coordinated_with_stopped(match, m[0], context)]
    negated = (len(markers) + denied) % 2 == 1
    future = negated and kind in DENIED_KINDS and is_future(match.root)
    weight = cue_weight(match.cue, negated=negated, denied=denied, future=future)
    if negated and not denied and kind in REVERSED_KINDS and markers and all(is_breach_noun(i, context) for i, _ in markers):
        return ScoredCue(match, 0.0, "mention:" + prefix_of(markers, context), _depth(match.root), factual=True)
    if negated and not denied and kind in REVERSED_KINDS and is_past_report(match.root) and all(i not in context.negator_at for i, _ in markers):
        return read_past_offer(match, context, markers)
    if negated and not denied and kind in DENIED_KINDS and context.speaks_of_other(match.root):
        weight = 0.0  # "make sure Gaza never again becomes a safe haven": a demand, not a denial
    prefix = prefix_of(markers, context) if negated else ""
    factual = kind in FACTUAL_KINDS
    if negated and kind in FLIPPED_KINDS and context.mention_factor(match) < 1 and negates_mention(match, markers, context.mentioning_at):
        weight, prefix = 0.0, "mention:" + prefix  # "no advance notice of the operation"
    elif negated and weight < 0 and kind in FLIPPED_KINDS:
        weight, prefix = read_negated_deed(match, context, weight, prefix, denied)
    elif negated and kind == "hostile" and markers and context.in_call(match):
        weight, prefix = CALL_CAP, "call:" + prefix  # "urged Pyongyang to refrain from provocations"
    elif weight > 0 and not negated:
        weight, prefix, factual = read_asserted(match, context, weight, factual)
    if weight < 0 and kind in REVERSED_KINDS:
        weight, prefix = read_offer(match, context, weight, prefix, negated)
    if weight < DENIAL_WEIGHT and kind == "restraint" and not negated and is_own_past_conduct(match):
        weight = DENIAL_WEIGHT  # "we have shown restraint so far": past conduct, not an offer
    if weight < CALL_CAP and context.in_call(match):
        weight, prefix = CALL_CAP, "call:" + prefix  # "urged a ceasefire": a call, not a commitment
    after_contrast = context.contrast is not None and match.root.i > context.contrast
    cue = ScoredCue(match, weight, prefix, _depth(match.root), after_contrast, factual)
    cue.disavowal = (  # "we do not seek war" disavows; "we did not start this war" blames
        negated and not denied and kind in FLIPPED_KINDS and weight <= DISAVOWAL_WEIGHT and not is_blame_for_start(match.root)
    )
    cue.coordinated = negated and bool(markers) and markers[0][0] in context.negations_seen
    context.negations_seen.update(i for i, _ in markers)
    return cue


def is_coordinated_with_stopped(match: CueMatch, index: int, context: SpanContext) -> bool:
    """A de-escalation word conjoined to what a cessation stops ("stop its intimidation and
    return to dialogue", even when parsed as one object): a second demand, not stopped itself.
    A cue that is itself a conjunct of the stopped object is stopped ("halt the bombing and the talks")."""
    if index not in context.negator_at or index in context.truth_negator_at:
        return False
    for step in scope_path(match.root, context.span, context.negator_at.keys()):
        if step.i == index:
            return False
        if step.dep_ == "conj" and step.i not in match.indices:
            return True  # the cue hangs under another conjunct ("return to dialogue"), not stopped itself
    return False


def is_breach_noun(index: int, context: SpanContext) -> bool:
    """The negator at `index` is a cessation noun ("a violation of the truce", "a possible breach
    of the ceasefire"): the noun names the breach and carries the accusation itself (its own
    weight, softened by "possible"); the truce it breaks is only named, not rejected."""
    return index in context.negator_at and index not in context.truth_negator_at and context.span.doc[index].pos_ == "NOUN"


def read_named_offer(match: CueMatch, context: SpanContext) -> ScoredCue | None:
    """A de-escalation word named, not offered (`is_mentioned_offer`: "What has happened to the
    ceasefire?", "since the deal was announced": 0, a fact), or the subject of how it fares
    (`is_reported_state`: "the ceasefire holds": mild, at most -1); else None."""
    if is_mentioned_offer(match, context.span, context.reference_at, context.involve_at):
        return ScoredCue(match, 0.0, "mention:", _depth(match.root), factual=True)
    if is_reported_state(match, context.negator_at) and not is_future(match.root):
        return ScoredCue(match, max(match.cue.weight, DENIAL_WEIGHT), "state:", _depth(match.root))
    return None


def read_past_offer(match: CueMatch, context: SpanContext, markers: list[tuple[int, str]]) -> ScoredCue:
    """A de-escalation word plainly negated in a report of the past: an accusation when a party
    other than the speaker's side is its subject ("the militia had not respected the ceasefire":
    +1), else a fact ("no agreement had been reached": 0), not a rejection."""
    prefix = prefix_of(markers, context)
    if context.speaks_of_other(match.root, named=True):
        return ScoredCue(match, ACCUSATION_WEIGHT, "accuse:" + prefix, _depth(match.root))
    return ScoredCue(match, 0.0, "report:" + prefix, _depth(match.root), factual=True)


def prefix_of(markers: list[tuple[int, str]], context: SpanContext) -> str:
    """The negation marker of a label: "not→", "refrain→", or the frame ("denied→")."""
    return f"{'+'.join(text for _, text in markers) or context.frame}→"


def read_negated_deed(match: CueMatch, context: SpanContext, weight: float, prefix: str, denied: bool) -> tuple[float, str]:
    """A negated deed or threat: a disavowal as `cue_weight` made it, except a deterrent warning
    ("warned Iran not to attack": the frame counts), a ceasefire promised as no firing ("no shell
    will be fired by either side": -3), and, read by sides, a past deed that did not happen:
    restraint or a denial ("the army has not returned fire": -1) or a fact when no doer is named
    ("no rockets were fired": 0)."""
    if context.frame_kind == "threat" and is_told_to_listener(match):
        return 0.0, prefix
    if not denied and is_commitment_not_to_fire(match):
        return COMMITMENT_WEIGHT, "commit:" + prefix
    deed = context.deed_of(match)
    if deed is None:
        return weight, prefix
    return (DENIAL_WEIGHT, prefix) if deed.denied else (0.0, "report:" + prefix)


def read_asserted(match: CueMatch, context: SpanContext, weight: float, factual: bool) -> tuple[float, str, bool]:
    """(weight, prefix, factual) of an escalation cue that is not negated: a mention of a deed
    (half, a fact), a reported deed read by sides, or a first-person claim; "if…" when it is the
    warned answer to an if-clause."""
    kind = match.cue.kind
    if context.frame_kind == "claim":
        factor = 1.0
    elif context.frame_kind == "hostile" and kind == "action":
        factor = MENTION_FACTOR  # "accused X of shelling": the deed is the accusation
    else:
        factor = context.mention_factor(match, asserted=True)
    prefix = ""
    deed = context.deed_of(match) if factor == 1.0 else None
    if factor != 1.0:
        weight, prefix, factual = weight * factor, "mention:", True
    elif deed is not None:
        weight, prefix, factual = read_deed_weight(deed, kind, weight, factual)
    elif context.sides is None and is_claimed_deed(match):
        weight, prefix = max(weight, CLAIM_WEIGHT), "claim:"
    return weight, conditional_marker(match) + prefix, factual


def read_offer(match: CueMatch, context: SpanContext, weight: float, prefix: str, negated: bool) -> tuple[float, str]:
    """A de-escalation cue that is not the speaker's offer counts nothing: demanded under a
    deadline ("has 72 hours to withdraw") or after stopping a hostile deed ("stop its aggression
    and withdraw"), or endangered ("a threat to peace", "seriously damaged peace"); offered only
    once the speaker's demands are met, it is a demand (+1: "only after its demands are met")."""
    if in_deadline_scope(match, context.span, context.deadline_at):
        return 0.0, "demand:" + prefix
    if not negated and is_demand_after_stop(match, context.negator_at, context.accuse_at):
        return 0.0, "demand:"  # "stop its aggression and withdraw"
    if not negated and is_threatened_good(match, context.accuse_at, context.outcome_at):
        return 0.0, "mention:"
    if not negated and is_conditioned_on_demands(match):
        return ACCUSATION_WEIGHT, "demand:"  # "only after its demands were met in full": a demand
    return weight, prefix


def read_deed_weight(deed: Deed, kind: str, weight: float, factual: bool) -> tuple[float, str, bool]:
    """(weight, prefix, factual) of a deed reported in the past, by who did it to whom: the
    speaker's side claims it (+3), the other side's losses are a success (+2), the other side
    named as its doer is an accusation (+1), the rest is a report of facts (half weight, and a
    fact: neutral unless something else accuses). Defensive deeds ("air defences intercepted
    seven missiles") are always facts."""
    reading = deed.reading
    if kind == "defensive" or reading == "fact":
        if kind in FACTUAL_KINDS:
            return weight, "", True
        return weight * MENTION_FACTOR, "report:", True
    if reading == "accusation":
        return min(weight, ACCUSATION_WEIGHT), "accuse:", False
    if reading == "claim":
        return max(weight, CLAIM_WEIGHT), "claim:", False
    return max(weight, SUCCESS_WEIGHT), "success:", False


def warned_responses(span: Span, context: SpanContext) -> list[ScoredCue]:
    """Cues for the warned responses no lexicon word carries: an armed body as the subject of
    the answer to an if-clause ("if…forces will remove")."""
    found = []
    for subject, modal, verb in warned_force_responses(span, context.cue_tokens):
        cue = Cue(("if",), WARNED_RESPONSE_WEIGHT, "threat", RULE_CUE)
        found.append(ScoredCue(CueMatch(cue, (subject.i, modal.i, verb.i), verb), WARNED_RESPONSE_WEIGHT, "if…", _depth(verb)))
    return found


def sieges(span: Span, context: SpanContext) -> list[ScoredCue]:
    """Cues for supplies withheld until a demand is met ("until…no fuel…enter"): an ultimatum."""
    found = []
    for supply, verb in withheld_supplies(span, context.cue_tokens):
        cue = Cue(("until",), SIEGE_WEIGHT, "threat", RULE_CUE)
        indices = tuple(sorted((supply.i, verb.i)))
        found.append(ScoredCue(CueMatch(cue, indices, verb), SIEGE_WEIGHT, "until…", _depth(verb)))
    return found


def mark_coordinated(scored: list[ScoredCue]) -> None:
    """Mark cues conjoined to another cue ("revenge and retaliation"): one message, no bonus."""
    roots = {s.match.root.i for s in scored}
    for cue in scored:
        root = cue.match.root
        if root.dep_ == "conj" and root.head.i in roots and root.head.i != root.i:
            cue.coordinated = True


def modifier_target(modifier: CueMatch, scored: list[ScoredCue]) -> ScoredCue | None:
    """The cue a modifier modifies: its syntactic head (up to three steps up), its own subject or
    object, or the subject of the copula it (or its head) completes ("the response will be
    decisive", "our answer will be ten times heavier"); else the
    nearest cue at most MODIFIER_WINDOW tokens away. Softeners only modify escalation cues."""
    eligible = [s for s in scored if s.weight > 0 or (s.weight < 0 and modifier.cue.kind == "intensifier")]
    by_index = {i: s for s in eligible for i in s.match.indices}
    token = modifier.root
    candidates = []
    current = token
    for _ in range(3):
        if current.head.i == current.i:
            break
        current = current.head
        candidates.append(current)
    candidates += [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    for complement in [token] + candidates[:3]:  # "the response will be (ten times) heavier"
        if complement.dep_ in ("acomp", "attr", "oprd"):
            candidates += [c for c in complement.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    target = next((by_index[c.i] for c in candidates if c.i in by_index), None)
    if target is not None:
        return target
    near = [(min(abs(i - j) for i in s.match.indices for j in modifier.indices), s) for s in eligible]
    near = [(distance, s) for distance, s in near if distance <= MODIFIER_WINDOW]
    return min(near, key=lambda pair: pair[0])[1] if near else None


def attach_modifiers(modifiers: list[CueMatch], scored: list[ScoredCue]) -> None:
    """Multiply each cue by the intensifiers and softeners that modify it (within [-3, 3])."""
    for modifier in modifiers:
        target = modifier_target(modifier, scored)
        if target is None:
            continue
        target.weight = max(-MAX_INTENSITY, min(MAX_INTENSITY, target.weight * modifier.cue.weight))
        target.modifiers.extend(modifier.indices)


def main_message(scored: list[ScoredCue]) -> float:
    """The statement's signed intensity: the side of its strongest cue, plus a share of the
    cues that agree with it.

    Opposing cues within TIE_MARGIN of each other are settled by discourse position: what follows
    "but"/"however" is the main message; failing that, the cue higher in the parse (main clause)
    wins. Cues that are one message with another (conjoined, or under the same negation) add
    nothing.
    A disavowal of war before "but" outweighs a warned response after it (`disavowal_leads`).
    So "we do not seek war (-2), but will defend ourselves (+1)" is -2, and "we will not
    carry out attacks (-2) after the strikes (+2, subordinate)" is -2. A statement whose agreeing
    cues are all facts (outcomes, mentioned deeds) reports, it does not escalate: 0; the
    intensity is that of the strongest cue that is not a fact, the facts only adding their share.
    """
    positive = [s for s in scored if s.weight > 0]
    negative = [s for s in scored if s.weight < 0]
    if not positive and not negative:
        return 0.0
    top_pos = max(positive, key=lambda s: s.weight, default=None)
    top_neg = min(negative, key=lambda s: s.weight, default=None)
    if top_neg is None:
        side = 1
    elif top_pos is None:
        side = -1
    else:
        difference = top_pos.weight + top_neg.weight
        if disavowal_leads(top_neg, top_pos):
            side = -1
        elif abs(difference) > TIE_MARGIN:
            side = 1 if difference > 0 else -1
        elif top_pos.after_contrast != top_neg.after_contrast:
            side = 1 if top_pos.after_contrast else -1
        elif top_pos.depth != top_neg.depth:
            side = 1 if top_pos.depth < top_neg.depth else -1
        else:
            return 0.0
    agreeing = positive if side > 0 else negative
    stances = [s for s in agreeing if not s.factual]
    if not stances:
        return 0.0
    top = max(stances, key=lambda s: abs(s.weight))  # facts support a stance, they do not set it
    rest = sum(abs(s.weight) for s in agreeing if s is not top and not s.coordinated)
    return side * min(MAX_INTENSITY, abs(top.weight) + AGREEMENT_BONUS * rest)


def disavowal_leads(negative: ScoredCue, positive: ScoredCue) -> bool:
    """A disavowal of war before "but" and a warned response after it ("we do not seek war, but
    will respond firmly to any attack"): the disavowal is the main message (the guidelines'
    mixed statement), unless what follows announces or claims an attack (CLAIM_WEIGHT)."""
    return (
        negative.disavowal and not negative.after_contrast and positive.after_contrast
        and positive.weight < CLAIM_WEIGHT
    )


def stance_confidence(scored: list[ScoredCue], intensity: float) -> float:
    """Confidence in [0, 1]: the share of evidence that agrees with the stance times how much
    evidence there is (1 - exp(-support / EVIDENCE_SCALE)). Neutral without cues is
    NO_CUE_CONFIDENCE, lowered as weak cues approach the neutral band."""
    if abs(intensity) < NEUTRAL_BAND:
        return round(NO_CUE_CONFIDENCE * (1 - abs(intensity) / NEUTRAL_BAND), 3)
    support = sum(abs(s.weight) for s in scored if s.weight * intensity > 0)
    against = sum(abs(s.weight) for s in scored if s.weight * intensity < 0)
    agreement = support / (support + against)
    return round(agreement * (1 - math.exp(-support / EVIDENCE_SCALE)), 3)


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


class StanceScorer:
    """Scores statement content for escalation with the cue lexicon and the rules above.

    With `places` (a `pipeline.extraction.actors.Places`), a statement scored with its speaker's country is
    read for sides: which deeds the speaker's side claims and which it reports.
    """

    def __init__(self, cues: list[Cue], *, places: Places | None = None):
        self.cues = tuple(cues)
        self.places = places
        self._index: dict[str, list[Cue]] = {}
        self._by_words: dict[tuple[str, ...], Cue] = {}
        for cue in cues:
            self._index.setdefault(cue.words[0], []).append(cue)
            self._by_words[cue.words] = cue
        self._frames: dict[str, Cue | None] = {}

    @classmethod
    def load(cls, path: str | Path | None = None, *, places: Places | None = None) -> "StanceScorer":
        """The scorer with the lexicon at `path` (default `data/stance_cues.csv`); `places` lets it
        tell the speaker's country from the others in what is said ("Tarsenian positions")."""
        return cls(read_cues(path or DEFAULT_CUES_PATH), places=places)

    def frame_cue(self, frame: str) -> Cue | None:
        """The lexicon's cue for a reporting-verb phrase ("warned" -> warn), or None."""
        frame = frame.strip().lower()
        if frame not in self._frames:
            found = (self._by_words.get(c) for c in frame_candidates(frame))
            self._frames[frame] = next((c for c in found if c is not None and c.kind in FRAME_KINDS), None)
        return self._frames[frame]

    def score(self, content: Span, *, frame: str = "", speaker_country: str = "") -> StanceResult:
        """The stance of a statement's content, read with the reporting verb that framed it and
        the country its speaker speaks for.

        `frame` is the lower-cased reporting verb phrase ("warned", "called on", "denied", "");
        a negator frame ("denied", "rejected") negates the whole content, a call frame ("urged",
        "called on") makes it a call on others, a claim frame ("claimed") keeps mentioned deeds,
        a modifier frame ("vowed") scales the strongest cue, and a scored frame ("warned",
        "threatened", "accused") counts as a cue of its own.

        `speaker_country` (the canonical country, as in the places table) turns on the reading of
        reported deeds by side: a deed of the speaker's side ("we", "our forces", its country or
        demonym, "the army", "it") is a claim; one done to the speaker's side, or by no side
        named, is a report of facts; the other side's losses are a claim of success. Without it,
        only first-person deeds are claims.
        """
        doc = content.doc
        tokens = list(content)
        texts = [t.lower_ for t in tokens]
        lemmas = [t.lemma_.lower() for t in tokens]
        for i, text in enumerate(texts):
            if "\u2019" in text or "\u2018" in text or text == "n't":  # "can’t" is matched as "can't" ("not")
                texts[i] = text.translate(APOSTROPHES)
                lemmas[i] = "not" if texts[i] == "n't" else lemmas[i].translate(APOSTROPHES)
        matches = find_cues(lemmas, texts, content.start, self._index, tokens)
        frame_cue = self.frame_cue(frame) if frame else None
        sides = Sides(content, speaker_country, self.places)
        context = SpanContext.build(content, matches, frame, frame_cue, sides)

        scored = [s for s in (read_cue(m, context) for m in matches if m.cue.kind in SCORED_KINDS) if s is not None]
        if any(text in CONDITIONAL_MARKS for text in texts):
            scored += warned_responses(content, context)
        if "until" in texts:
            scored += sieges(content, context)
        mark_coordinated(scored)
        attach_modifiers([m for m in matches if m.cue.kind in MODIFIER_KINDS and not is_hypothetical(m, content)], scored)
        if frame_cue is not None and frame_cue.kind in MODIFIER_KINDS and scored:
            strongest = max(scored, key=lambda s: abs(s.weight))
            if strongest.weight > 0 or frame_cue.kind == "intensifier":
                strongest.weight = max(-MAX_INTENSITY, min(MAX_INTENSITY, strongest.weight * frame_cue.weight))
                strongest.prefix = f"frame:{frame} " + strongest.prefix
        labels = [s.label(doc) for s in scored if s.weight != 0 or s.prefix]
        if frame_cue is not None and frame_cue.kind in SCORED_KINDS and frame_cue.weight:
            scored.append(ScoredCue(CueMatch(frame_cue, (), None), frame_cue.weight))
            labels.append(f"frame:{frame}")

        intensity = main_message(scored)
        confidence = stance_confidence(scored, intensity)
        if abs(intensity) < NEUTRAL_BAND:
            stance, intensity = "neutral", 0.0
        else:
            stance = "escalation" if intensity > 0 else "de-escalation"
        return StanceResult(stance, round(intensity / MAX_INTENSITY, 3), confidence, tuple(labels))
