"""Which time expression in a sentence dates its statement.

A sentence often holds several time cues; only the one that modifies the act of speaking counts.
"A top official said Thursday that the strikes Tuesday night were a beginning" was said on
Thursday: "Tuesday night" sits inside what was said. "Prior to Mr. Trump's comments on Wednesday,
Pompeo said ..." was not said on Wednesday: the cue dates the comments, which a temporal relation
word ("prior", "after", "before") sets apart from the speaking. The rule, on the dependency parse:
a cue governs the statement when the path from the cue up to the reporting verb (or to a verb or
communication noun above it: "was quoted as saying ... Thursday", "a report posted by Fars on
Wednesday cited X as saying", "in an appearance Sunday, Pompeo said") passes only through
modifier links and communication nouns, never through a clause or a temporal relation word.
A vague cue ("said last week", "recently warned") governs by the same rule but only when no day
cue does; it keeps the published date and says how imprecise that is ("week", "month").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .attribution import AttributionTerms
from .dates import find_date_cues, find_vague_cues, resolve_date_cue, vague_cue_precision

# Links a time cue may climb on its way to the verb it modifies.
MODIFIER_DEPS = {"npadvmod", "tmod", "advmod", "pobj", "prep", "compound", "amod", "nummod", "poss", "nmod", "case", "det", "appos", "agent", "dobj"}
MAX_PATH = 8
# Times of day a day cue may hang on ("at 11 p.m. on Saturday").
CLOCK_NOUNS = {"p.m.", "a.m.", "pm", "am", "hours", "hour", "morning", "afternoon", "evening", "night", "midnight", "noon", "dawn", "time"}


@dataclass(frozen=True)
class DateCue:
    text: str
    day: dt.date
    precision: str = "day"  # "day", or "week" / "month" for a vague cue (`day` is then the published date)


@dataclass(frozen=True)
class StatementTiming:
    cue: DateCue | None  # the cue that governs the statement, if any
    earlier_than: dt.date | None  # a cue set apart by "prior to"/"before": the statement preceded it


def time_cues(doc: Doc) -> list[Span]:
    """Candidate time expressions: spaCy's DATE/TIME entities and the date module's own patterns
    (day cues, then vague ones where no day cue lies)."""
    spans = [ent for ent in doc.ents if ent.label_ in ("DATE", "TIME")]
    for start, end, _ in find_date_cues(doc.text) + find_vague_cues(doc.text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and not any(s.start <= span.start and span.end <= s.end for s in spans):
            spans = [s for s in spans if not (span.start <= s.start and s.end <= span.end)] + [span]
    return spans


def statement_timing(
    verb: Token | None, doc: Doc, published: dt.date, terms: AttributionTerms, cues: list[Span] | None = None
) -> StatementTiming:
    """The cue dating a statement made through `verb` (for `according to`, the sentence root);
    `cues` are the sentence's `time_cues`, when the caller has them already."""
    anchor = verb if verb is not None else next((t for t in doc if t.dep_ == "ROOT"), None)
    if anchor is None:
        return StatementTiming(None, None)
    targets = _speech_nodes(anchor, terms)
    best: tuple[tuple[bool, int, int], DateCue] | None = None
    earlier_than = None
    for span in cues if cues is not None else time_cues(doc):
        day = resolve_date_cue(span.text, published)
        precision = "day" if day is not None else vague_cue_precision(span.text)
        if precision is None:
            continue
        cue = DateCue(span.text, day or published, precision)
        if verb is not None and _next_to(span, verb):
            if day is not None:
                return StatementTiming(cue, None)
            steps, blocked_by_relation = -1, ""
        else:
            steps, blocked_by_relation = _climb(span.root, targets, terms)
        # a day cue before a vague one; then the fewest links up to the speaking, then the nearest to the verb
        rank = (day is None, steps, abs(span.start - anchor.i)) if steps is not None else None
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, cue)
        elif day is not None and blocked_by_relation and blocked_by_relation.lower() in ("prior", "before", "ahead"):
            earlier_than = day
    return StatementTiming(best[1] if best else None, earlier_than)


def _next_to(cue: Span, verb: Token) -> bool:
    """"said Tuesday", "said on Tuesday", "on Tuesday said": wire copy's own way of dating the
    speaking, whatever the parser attached the cue to."""
    doc = cue.doc
    gap = doc[verb.i + 1:cue.start] if cue.start > verb.i else doc[cue.end:verb.i]
    return all(t.lower_ in ("on", "late", "early", "earlier") for t in gap) and len(gap) <= 2


def _speech_nodes(anchor: Token, terms: AttributionTerms) -> set[Token]:
    """The verb and what stands above it, plus communication nouns the speaking happened in."""
    nodes = {anchor}
    node = anchor
    # Climb the frame of the speaking ("who said" -> the noun -> "from" -> "carried"), but not out of
    # a parenthetical "the army said" into the clause it comments on.
    while node.head.i != node.i and node.dep_ not in ("parataxis", "ccomp"):
        node = node.head
        nodes.add(node)
    # the speaker's own circumstances: "Speaking at the UN on Tuesday, X said", "X, touring the
    # site on Sunday, told residents", "X, in an interview published on Wednesday, said"
    for node in list(nodes):
        for child in node.children:
            if child.dep_ == "advcl" and child.tag_ == "VBG" and child.i < anchor.i:
                nodes.add(child)
            if child.dep_ == "nsubj":
                nodes.update(g for g in child.children if g.dep_ in ("acl", "advcl") and g.tag_ == "VBG")
                nodes.update(g for g in child.children if g.dep_ == "prep" and not terms.has("temporal_relation", g.lower_))
    for node in list(nodes):
        # "a statement carried by KCNA late Monday", "In a statement carried ..., she accused"
        children = list(node.children)
        children += [
            g for c in children if c.dep_ == "prep" and not terms.has("temporal_relation", c.lower_)
            for g in c.children if g.dep_ == "pobj"
        ]
        for child in children:
            if child.dep_ in ("nsubj", "dobj", "pobj") and terms.has("communication_noun", child.lemma_):
                nodes.add(child)
                nodes.update(c for c in child.children if c.dep_ == "acl")
    return nodes


def _climb(cue_root: Token, targets: set[Token], terms: AttributionTerms) -> tuple[int | None, str]:
    """Steps from a cue up to one of `targets` through modifier links; (None, word) when a temporal
    relation word blocks the way, (None, "") when a clause or other noun does."""
    node = cue_root
    for steps in range(MAX_PATH):
        if node in targets:
            return steps, ""
        if terms.has("temporal_relation", node.lower_):
            return None, node.text
        head = node.head
        if head.i == node.i or node.dep_ not in MODIFIER_DEPS:
            return None, ""
        if node.dep_ in ("dobj", "pobj") and steps > 0 and not terms.has("communication_noun", node.lemma_) and node.lower_ not in CLOCK_NOUNS:
            return None, ""  # the cue dates an object ("Referring to Monday night's strike, ..."), not the speaking
        names_a_target = head.dep_ in ("appos", "compound") and head.head in targets  # "a statement carried by KCNA late Sunday"
        if node.dep_ == "npadvmod" and head.dep_ == "nsubj" and head.head in targets:
            return steps + 1, ""  # the parse hung the day on the speaker: "X, in an address late Sunday, said"
        if (head.pos_ in ("NOUN", "PROPN") and head not in targets and not names_a_target
                and node.dep_ not in ("compound", "amod", "nummod", "poss", "case", "det", "nmod")
                and not terms.has("communication_noun", head.lemma_) and head.lower_ not in CLOCK_NOUNS):
            relation = _relation_above(head, terms)
            return None, relation
        node = head
    return None, ""


def _relation_above(token: Token, terms: AttributionTerms) -> str:
    for ancestor in token.ancestors:
        if terms.has("temporal_relation", ancestor.lower_):
            return ancestor.text
        if ancestor.pos_ in ("VERB", "AUX"):
            break
    return ""
