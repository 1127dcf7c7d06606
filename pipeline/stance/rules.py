"""The syntactic rules of the stance scorer: how one cue is read in the sentence around it.

`pipeline.stance.scorer` finds the cues and weighs them; the functions here only read the parse, so
each can be tested on a hand-built `Doc`. They answer, for a cue:

- is it negated? (`scope_path`, `negation_markers`)
- is it a possibility, a warned response, a call on others, a demand under a deadline?
  (`is_hypothetical`, `conditional_marker`, `in_call_scope`, `is_told_to_listener`,
  `in_deadline_scope`)
- is the deed mentioned rather than done? (`reference_factor`: "killed in the strike", "condemn
  the attack", "those who fired the rocket", "no link to the attack")
- is a de-escalation word endangered or named rather than offered? (`is_threatened_good`: "a
  threat to peace", "damaged peace"; `is_mentioned_offer`: "What has happened to the
  ceasefire?", "since the deal was announced", "no sign that either side will negotiate";
  `is_reported_state`: "the truce is holding") Is a noun disowned? (`unwanted_markers`: "a war
  we did not start")
- who did it to whom? That is `pipeline.stance.sides`.
- and three statement-level patterns: a ceasefire promised as a future negation of firing
  (`is_commitment_not_to_fire`), an armed force named as the answer to an if-clause
  (`warned_force_responses`), supplies withheld until a demand is met (`withheld_supplies`).
- a few readings of negation: "any" under a plain negation is the negation's ("would not start
  any war", `is_hypothetical`), a past "did not start this war" blames rather than disavows
  (`is_blame_for_start`), a deed that is the subject of what a denial frame denies is named
  (`is_denied_subject`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

if TYPE_CHECKING:
    from .lexicon import CueMatch

MENTION_FACTOR = 0.5  # a deed that is accused ("condemn the attack") or caused a fact ("the shelling killed")

# --- closed-class grammar (not lexicon: these are the syntax the rules read) ------------------
NEGATION_WORDS = frozenset({"not", "n't", "n\u2019t", "never", "no", "neither", "nor"})
NEGATIVE_PRONOUNS = frozenset({"nobody", "nothing", "none", "noone"})
FOCUS_WORDS = frozenset({"just", "only", "merely", "simply", "solely"})  # "not just ... but"
CONDITIONAL_MARKS = frozenset({"if", "unless"})
HYPOTHETICAL_MARKS = CONDITIONAL_MARKS | {"until"}  # "until Hamas has accepted the agreement": a condition
HYPOTHETICAL_DETERMINERS = frozenset({"any"})
CONTRAST_WORDS = frozenset({"but", "however", "yet", "although", "though", "whereas"})
FIRST_PERSON = frozenset({"we", "i", "our", "my", "us", "ours"})
MODALS = frozenset({"will", "would", "shall", "should", "can", "could", "may", "might", "must"})
FUTURE_MODALS = frozenset({"will", "would", "shall", "'ll"})
DEONTIC_MODALS = frozenset({"must", "should"})  # "Russia must withdraw": a call on others
# Dependencies that keep a token inside the scope of its head (a negation on the head reaches it).
SCOPE_DEPS = frozenset({
    "dobj", "pobj", "prep", "pcomp", "xcomp", "compound", "amod", "nmod", "appos", "attr",
    "acomp", "oprd", "nsubjpass", "conj", "advmod", "npadvmod", "dative", "agent", "prt", "acl",
    "det", "poss", "nummod", "quantmod",
})
MAX_PREP_STEPS = 1  # a negation reaches down through one preposition ("no plans for attacks on Iran")
# A subject is in the scope of these heads: "war is not an option", "no attacks will happen".
EXISTENTIAL_HEADS = frozenset({"be", "happen", "occur", "take", "come", "exist", "remain"})
# Heads of a relative clause that only points at the doers: "those who fired", "anyone who attacks".
REFERRING_HEADS = frozenset({"those", "anyone", "anybody", "whoever", "everyone", "everybody", "whomever"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
DEMAND_NOUNS = frozenset({"demand", "condition", "precondition"})  # "only after its demands are met"
MET_VERBS = frozenset({"meet", "fulfil", "fulfill", "satisfy", "accept", "grant"})  # not "when conditions are right"
INSTIGATION_VERBS = frozenset({"start", "begin", "initiate", "provoke"})  # "we did not start this war": blame
VOLITION_VERBS = frozenset({"want", "choose", "seek", "desire", "wish", "start", "provoke"})  # "a war we did not start"
# Nouns for a state's armed bodies: named without a country in a party's statement, they are the
# speaker's own ("the army had not returned fire"); as the subject of the answer to an if-clause
# they make it a warned response ("if a tank remains, the armed forces will remove it").
ARMED_BODIES = frozenset({"army", "military", "force", "troop", "soldier", "navy", "defence", "defense"})
# What a siege withholds: promised not to flow "until" a demand is met, they make an ultimatum
# ("no fuel will enter until the hostages are freed"); other things withheld are procedure ("no
# decision will be taken until the inquiry ends").
SUPPLIES = frozenset({"electricity", "power", "fuel", "water", "food", "aid", "medicine", "gas", "switch", "tap", "supply"})


def scope_path(token: Token, span: Span, negator_heads=frozenset()) -> list[Token]:
    """The token and the heads above it that share its clause, within the span.

    Climbing stops at clause boundaries (ccomp, advcl, relcl, a conjoined verb, the root) so that
    "we do not seek war, but will defend ourselves" keeps "defend" out of the negation of "seek".
    A subject climbs only to an existential verb ("war is not an option") or to a negator in
    `negator_heads` used without an object ("the attacks must stop", "the truce collapsed"; not
    "the deal would stop the fighting"); a relative clause climbs
    only to a noun a negator governs ("avoid actions that could escalate").
    """
    path = [token]
    current = token
    preps = 0
    while current.head.i != current.i and span.start <= current.head.i < span.end:
        dep = current.dep_
        preps += dep == "prep"
        if preps > MAX_PREP_STEPS:
            break  # "without a decision on the timing or scale of a response": too far down
        if dep in ("nsubj", "expl"):
            head = current.head
            transitive = any(c.dep_ == "dobj" for c in head.children)  # "the deal would stop the fighting"
            if head.lemma_ not in EXISTENTIAL_HEADS and (head.i not in negator_heads or transitive):
                break
        elif dep == "relcl":
            if current.head.head.i not in negator_heads:
                break
        elif dep not in SCOPE_DEPS or (dep == "conj" and current.pos_ in ("VERB", "AUX") and not _gerunds(current)):
            break
        current = current.head
        path.append(current)
    return path


def _gerunds(token: Token) -> bool:
    """A gerund conjoined to a gerund shares its negation: "not escalating conflicts or
    provoking disputes"; finite verbs do not ("will not attack but will defend")."""
    return token.tag_ == "VBG" and token.head.tag_ == "VBG"


def negation_markers(
    match: CueMatch, span: Span, negator_at: dict[int, str], cue_tokens: set[int], retreat_at: frozenset[int] | set[int] = frozenset()
) -> list[tuple[int, str]]:
    """The words that negate a cue: `neg`/"no" children and negative subjects of the tokens on
    its scope path, a "no" on the object word of a phrase cue ("seek no conflict"), negator or cessation cues ("refrain from", "reject", "halt") lying on that
    path (`negator_at` maps their tokens to their text; a hostile cue is not negated by a
    cessation, which presupposes it, so the caller leaves those out), and a de-escalation cue
    (`retreat_at`) whose "from" the cue follows ("standing down from a confrontation").

    Negation words that belong to a cue themselves ("not hesitate"), "not" in "not just ... but
    also", and the negation of a copula whose predicate is itself a cue ("sanctions are not
    enough": the "not" belongs to "enough") do not count. A noun whose relative clause says it is
    not wanted is negated, whatever else negates it ("a war it did not choose", "we will not be
    dragged into a war we did not start"). One negation is counted per
    coordination: "no missile, no shell and no rocket will be fired" is negated once, whether
    the "no" is read on the noun or on the subject of the verb. An even number of markers cancels
    out (the caller checks parity). Each marker is (token index, text).
    """
    markers = unwanted_markers(match.root)
    if markers:  # "not dragged into a war we did not start": disowned, whatever is said of it
        return markers
    root = match.root
    objects = (root.doc[i] for i in match.indices if i != root.i and root.doc[i].dep_ in ("dobj", "pobj", "attr"))
    for token in objects:  # "seek no conflict": the "no" on a cue's object word (subjects are read below)
        markers += [(c.i, c.text) for c in token.children if c.dep_ == "det" and c.lower_ == "no" and c.i not in cue_tokens]
    previous = None
    nominal_negated = False  # the nominal we climbed from carried its own "no"
    for step in scope_path(match.root, span, negator_at.keys()):
        if step.i in negator_at and step.i not in match.indices:
            markers.append((step.i, negator_at[step.i]))
        elif step.lower_ == "from" and step.head.i in retreat_at and step.head.i not in match.indices:
            markers.append((step.head.i, f"{step.head.text} from"))  # "standing down from confrontation"
        if previous is not None and previous.dep_ in ("nsubj", "nsubjpass") and any(
            c.dep_ in ("acomp", "attr") and c.i in cue_tokens for c in step.children
        ):
            break
        coordinated = previous is not None and previous.dep_ in ("conj", "appos") and nominal_negated
        negated_here = False
        subject_negated = nominal_negated and previous is not None and previous.dep_ in ("nsubj", "nsubjpass")
        for child in step.children:
            if previous is not None and child.i == previous.i:
                continue  # already read on the way up
            lemma = child.lemma_.lower()
            if child.i not in cue_tokens and (
                child.dep_ == "neg" or (lemma in NEGATION_WORDS and child.dep_ in ("det", "preconj", "advmod"))
            ):
                if not _is_focus_negation(child) and not (coordinated and child.dep_ == "det"):
                    markers.append((child.i, child.text))
                    negated_here = negated_here or child.dep_ == "det"
            elif child.dep_ in ("nsubj", "nsubjpass") and step.pos_ in ("VERB", "AUX") and not subject_negated:
                no = [g for g in child.children if g.dep_ == "det" and g.lemma_.lower() == "no" and g.i not in cue_tokens]
                if lemma in NEGATIVE_PRONOUNS and child.i not in cue_tokens:
                    markers.append((child.i, " ".join(t.text for t in child.subtree if t.i <= child.i)))
                    subject_negated = True
                elif no:
                    markers.append((no[0].i, f"{no[0].text} {child.text}"))
                    subject_negated = True  # "no missile, no shell and no rocket": one negation
        nominal_negated = negated_here or (coordinated and step.pos_ in ("NOUN", "PROPN"))
        previous = step
    return markers


def unwanted_markers(token: Token) -> list[tuple[int, str]]:
    """The negation of a noun by a relative clause of wanting: "a war it did not choose", "a
    conflict we never sought", "a war nobody wants" (the speaker disowns it)."""
    for clause in token.children:
        if clause.dep_ != "relcl" or clause.lemma_.lower() not in VOLITION_VERBS:
            continue
        for child in clause.children:
            if child.dep_ == "neg" or (child.dep_ == "nsubj" and child.lemma_.lower() in NEGATIVE_PRONOUNS):
                return [(child.i, f"{child.text} {clause.text}")]
    return []


def _is_focus_negation(token: Token) -> bool:
    """"not" as in "not just X but also Y": focus, not negation."""
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (following is not None and following.lower_ in FOCUS_WORDS) or token.head.lower_ in FOCUS_WORDS


def is_hypothetical(match: CueMatch, span: Span, cue_tokens: set[int] | frozenset[int] = frozenset()) -> bool:
    """A cue inside an if/unless/until clause ("if there are attacks") or an escalation cue under
    "any" ("against any aggression") names a possibility, not the speaker's act; but "any" as the
    object of a plainly negated verb is the negation's ("would not start any war": a disavowal)."""
    if match.cue.weight > 0 and match.cue.kind != "involvement" and any(  # "denied any involvement" is no possibility
        c.dep_ == "det" and c.lemma_.lower() in HYPOTHETICAL_DETERMINERS for c in match.root.children
    ) and not _negated_object(match.root, cue_tokens):
        return True
    current = match.root
    while True:
        if _has_mark(current, HYPOTHETICAL_MARKS):
            return True
        if current.head.i == current.i or not span.start <= current.head.i < span.end:
            return False
        if current.dep_ in ("relcl", "parataxis"):
            return False
        if current.dep_ == "ccomp" and not _has_mark(current.head, HYPOTHETICAL_MARKS):
            return False  # "if Russia wants these operations to end": still the if-clause
        current = current.head


def _negated_object(token: Token, cue_tokens: set[int] | frozenset[int]) -> bool:
    """The token is the object of a verb negated by a plain "not"/"never" that belongs to no cue
    ("would not start any war"; not "will not tolerate any attack", where "not" is the cue's)."""
    head = token.head
    return token.dep_ == "dobj" and any(
        c.dep_ == "neg" and c.i not in cue_tokens for c in head.children
    )


def _has_mark(verb: Token, marks: frozenset[str]) -> bool:
    return verb.pos_ in ("VERB", "AUX") and any(c.dep_ == "mark" and c.lemma_.lower() in marks for c in verb.children)


def clause_verb(token: Token) -> Token:
    """The verb of the clause a token belongs to (a gerund or infinitive defers to its governor)."""
    verb = token
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") and verb.dep_ not in ("pcomp", "xcomp", "amod", "acl"):
            return verb
        if verb.head.i == verb.i:
            return verb
        verb = verb.head
    return verb


def _has_condition(verb: Token) -> bool:
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lemma_.lower() in CONDITIONAL_MARKS for m in c.children)
        for c in verb.children
    )


def conditional_marker(match: CueMatch) -> str:
    """ "if…" (with the modal: "if…will ") when the cue's clause is the consequence of an
    if-clause: a warned response, which keeps its weight. Else ""."""
    verb = clause_verb(match.root)
    if not _has_condition(verb):
        return ""
    modal = next((c for c in verb.children if c.dep_ == "aux" and c.lemma_.lower() in MODALS), None)
    if modal is None or verb.i != match.root.i or modal.i in match.indices:
        return "if…"
    return f"if…{modal.text} "


def is_future(token: Token) -> bool:
    """The token's clause is in the future ("will not be a shelter", "would never supply")."""
    verb = clause_verb(token)
    return any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for c in verb.children)


def warned_force_responses(span: Span, cue_tokens: set[int]) -> list[tuple[Token, Token, Token]]:
    """The answers to an if-clause whose subject is an armed body and whose verb is future ("If a
    single tank remains, the armed forces will remove it"): a warned response, whatever the verb.
    Each is (subject, modal, verb); verbs that are cues themselves are read by the cue rules."""
    found = []
    for verb in span:
        if verb.pos_ not in ("VERB", "AUX") or verb.i in cue_tokens or not _has_condition(verb):
            continue
        modal = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in FUTURE_MODALS), None)
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in ARMED_BODIES), None)
        if modal is not None and subject is not None:
            found.append((subject, modal, verb))
    return found


def in_call_scope(match: CueMatch, span: Span, call_at: dict[int, str], imperative: bool) -> bool:
    """A cue is part of a call on others when a call cue ("urge", "call for") lies on its scope
    path, the statement is an imperative ("Agree to a ceasefire now"), or its verb carries a
    deontic modal with someone else as subject ("Russia must withdraw")."""
    if imperative or any(step.i in call_at for step in scope_path(match.root, span)):
        return True
    verb = clause_verb(match.root)
    modals = {c.lemma_.lower() for c in verb.children if c.dep_ == "aux"}
    subjects = [c.lemma_.lower() for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(modals & DEONTIC_MODALS) and not any(s in FIRST_PERSON for s in subjects)


def in_deadline_scope(match: CueMatch, span: Span, deadline_at: set[int]) -> bool:
    """A de-escalation cue governed (within four steps, relative clauses included) by a deadline
    ("has 72 hours to withdraw", "an ultimatum to pull back"): demanded of the other side."""
    current = match.root
    for _ in range(4):
        if current.head.i == current.i or not span.start <= current.head.i < span.end:
            return False
        current = current.head
        if current.i in deadline_at:
            return True
    return False


def is_told_to_listener(match: CueMatch) -> bool:
    """The cue's clause is an infinitive without a subject of its own ("[warned Iran] not to
    attack"): what the listener is told to do, not what the speaker says it will do."""
    verb = match.root
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    )


def is_imperative(span: Span) -> bool:
    """A command: the span's main verb is a bare verb with no subject, at the start of the span."""
    root = next((t for t in span if t.head.i == t.i or not span.start <= t.head.i < span.end), None)
    first = next((t for t in span if not t.is_punct), None)
    if root is None or first is None:
        return False
    return (
        root.tag_ == "VB"
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") and c.lemma_.lower() != "do" for c in root.children)
        and (first.i == root.i or first.lower_ in ("do", "please", "let"))
    )


def is_commitment_not_to_fire(match: CueMatch) -> bool:
    """A ceasefire promised as a future negation of firing: a passive future clause whose
    subject is negated ("no missile will be fired by either side", "not a single shot will be
    fired"). No agent is named, so every side is bound: a commitment, not a disavowal."""
    verb = clause_verb(match.root)
    children = list(verb.children)
    if not any(c.dep_ == "auxpass" for c in children) or not any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for c in children):
        return False
    return any(
        c.dep_ == "nsubjpass" and any(g.lemma_.lower() in ("no", "not") for g in c.children if g.dep_ in ("det", "neg"))
        for c in children
    )


def reference_factor(
    match: CueMatch,
    reference_at: dict[int, float],
    outcome_at: set[int],
    accuse_at: set[int],
    involve_at: frozenset[int] | set[int] = frozenset(),
    defend_at: frozenset[int] | set[int] = frozenset(),
) -> float:
    """The factor for an action that is mentioned rather than done or threatened: the object of a
    reference word ("killed in the strike", "since the invasion"), the subject of a violent outcome
    ("the shelling killed five"), the object of an accusation ("condemn the attack", "accuse
    them of shelling") or of an involvement ("no link to the attack"), or the deed of a
    relative clause that points at its doers ("those who fired this rocket"). 1.0 when the
    action is not a mention."""
    root = match.root
    if match.cue.kind != "action":
        return 1.0
    head = root.head
    noun = root
    while noun.dep_ in ("amod", "compound", "conj") and noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i != noun.i:
        noun = noun.head  # "fighting and troop movements were reported"
    if noun.dep_ in ("pobj", "dobj", "pcomp", "nsubjpass") and noun.head.i in reference_at:
        return reference_at[noun.head.i]  # "killed in the strike", "attacks were reported"
    if noun.dep_ in ("pobj", "pcomp") and noun.head.lower_ == "of" and noun.head.head.i in reference_at:
        return reference_at[noun.head.head.i]  # "reports of shelling"
    if root.dep_ == "dobj" and head.i in defend_at:
        return MENTION_FACTOR  # "repelled Russian attacks": what was fended off
    if root.dep_ == "nsubj" and head.i in outcome_at:
        return MENTION_FACTOR
    if root.dep_ in ("pobj", "pcomp") and head.i in involve_at:
        return MENTION_FACTOR
    if root.dep_ in ("pobj", "pcomp") and head.dep_ == "prep":
        head = head.head
    if root.dep_ in ("dobj", "pobj", "pcomp") and (head.i in accuse_at or head.i in involve_at):
        return MENTION_FACTOR
    verb = clause_verb(root)
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.i in reference_at), None)
    if mark is not None:  # "a day after their jets bombed the radar sites": background
        return reference_at[mark.i]
    if verb.dep_ in ("acl", "relcl", "ccomp") and verb.head.i in reference_at and verb.head.pos_ == "NOUN":
        return reference_at[verb.head.i]  # "the report that we shelled the village is false": what is reported
    if verb.dep_ == "relcl" and verb.head.lemma_.lower() in REFERRING_HEADS:
        return MENTION_FACTOR
    if any(c.dep_ == "nsubj" and c.lemma_.lower() in ("whoever", "whomever") for c in verb.children):
        return MENTION_FACTOR
    return 1.0


def negates_mention(match: CueMatch, markers: list[tuple[int, str]], mentioning: set[int] | dict[int, float]) -> bool:
    """The negation of a mentioned deed falls on the word that mentions it, itself a reference
    or a violent outcome (`mentioning`: "no advance notice of the operation", "no one was killed
    in the attack"): a fact about the mention, not a disavowal of the deed (unlike "no interest
    in a wider war")."""
    root = match.root
    if root.dep_ not in ("pobj", "pcomp") or root.head.dep_ != "prep":
        return False
    holder = root.head.head
    if holder.i not in mentioning:
        return False
    doc = root.doc
    return any(doc[i].head.i == holder.i or doc[i].i == holder.i for i, _ in markers)


def is_threatened_good(match: CueMatch, accuse_at: set[int], harm_at: frozenset[int] | set[int] = frozenset()) -> bool:
    """A de-escalation noun that is what a hostile noun endangers ("a threat to peace", "a danger
    to regional stability"), what a hostile or harmful verb damages ("seriously damaged peace
    and stability"), or what a hostile noun labels ("the truce is a sham"): the speaker
    accuses, it does not offer peace."""
    root = match.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "damaged peace and stability"
    if root.dep_ == "dobj" and (root.head.i in accuse_at or root.head.i in harm_at):
        return True
    if root.dep_ == "nsubj" and root.head.lemma_.lower() == "be" and any(
        c.dep_ in ("attr", "acomp") and c.i in accuse_at for c in root.head.children
    ):
        return True  # "the ceasefire is a sham": labelled, not offered
    return root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.i in accuse_at


def is_mentioned_offer(match: CueMatch, span: Span, reference_at: dict[int, float], involve_at: set[int]) -> str:
    """Why a de-escalation word is named rather than offered, or "": asked about ("What has
    happened to the ceasefire?"), the object of an involvement ("not involved in drafting the
    ceasefire"), in a clause of reference ("killed since the deal was announced"), or doubted
    ("no sign that either side is prepared to negotiate")."""
    root = match.root
    if span[-1].text == "?" or (len(span) > 1 and span[-2].text == "?"):
        return "asked"
    current = root
    for _ in range(3):  # ceasefire -dobj-> drafting -pcomp-> in ("involved in")
        if current.dep_ not in ("pobj", "dobj", "pcomp") or current.head.i == current.i:
            break
        current = current.head
        if current.i in involve_at:
            return "involved"
    verb = clause_verb(root)
    if any(c.dep_ == "mark" and c.i in reference_at for c in verb.children):
        return "reference"
    return "doubted" if _is_doubted(root) else ""


def is_past_report(token: Token) -> bool:
    """The token's clause reports the past without a modal ("no agreement had been reached",
    "the talks did not take place")."""
    verb = clause_verb(token)
    auxes = {c.lemma_.lower() for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & MODALS or "to" in auxes or verb.lemma_.lower() == "be":
        return False  # "this was not a stray shell" says what it was, not what happened
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and bool(auxes & {"have", "be"})):
        return True
    return "do" in auxes and any(c.tag_ == "VBD" for c in verb.children if c.dep_ == "aux")  # "did not take place"


def is_own_past_conduct(match: CueMatch) -> bool:
    """The cue is what the speaker's side did in the past, said in the first person ("we have
    shown maximum restraint so far", "we exercised restraint"): past conduct, not an offer."""
    root = match.root
    verb = root if root.pos_ in ("VERB", "AUX") else root.head
    if root.dep_ not in ("dobj", "ROOT") and verb is not root:
        return False
    auxes = {c.lemma_.lower() for c in verb.children if c.dep_ == "aux"}
    if auxes & MODALS or not (verb.tag_ == "VBD" or (verb.tag_ == "VBN" and "have" in auxes)):
        return False
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in FIRST_PERSON for c in verb.children)


def is_reported_state(match: CueMatch, negator_at: dict[int, str]) -> bool:
    """A de-escalation noun that is the subject of a report on how it fares, in the present or
    past ("the truce appeared to be holding", "the ceasefire holds"): mild, not a commitment."""
    root = match.root
    verb = root.head
    if root.dep_ != "nsubj" or root.pos_ not in ("NOUN", "PROPN") or verb.pos_ != "VERB" or verb.lemma_.lower() == "be":
        return False
    if verb.i in negator_at:
        return False  # "the ceasefire collapsed": read as negated
    return not any(c.dep_ == "aux" and (c.lower_ in MODALS or c.lower_ == "to") for c in verb.children)


EVIDENCE_NOUNS = frozenset({"sign", "indication", "evidence"})  # "no sign that ...": doubted


def _is_doubted(token: Token) -> bool:
    """The token lies in a clause that complements "no sign"/"no indication" (up to six steps)."""
    current = token
    for _ in range(6):
        if current.head.i == current.i:
            return False
        if current.dep_ in ("ccomp", "acl") and _no_evidence(current.head):
            return True
        current = current.head
    return False


def _no_evidence(token: Token) -> bool:
    nouns = [token] + [c for c in token.children if c.dep_ in ("dobj", "attr")]
    return any(
        n.lemma_.lower() in EVIDENCE_NOUNS and any(g.dep_ == "det" and g.lower_ == "no" for g in n.children) for n in nouns
    )


def is_label(match: CueMatch) -> bool:
    """A hostile noun that names people in a noun phrase ("a safe haven for terrorists"): a label,
    which the negation of the phrase around it does not undo."""
    root = match.root
    return root.pos_ in ("NOUN", "PROPN") and root.dep_ == "pobj" and root.head.head.pos_ in ("NOUN", "PROPN")


def is_name_modifier(match: CueMatch) -> bool:
    """A deed noun that only modifies the name of who acts ("the war Cabinet met", "the military
    operations chiefs agreed"): a name, not a deed."""
    root = match.root
    return root.dep_ == "compound" and root.head.dep_ in ("nsubj", "nsubjpass")


def is_demand_after_stop(match: CueMatch, negator_at: dict[int, str], accuse_at: set[int]) -> bool:
    """A de-escalation verb conjoined to stopping a hostile deed ("stop its aggression and
    withdraw", "end the occupation and pull out"): demanded of the other side."""
    root = match.root
    head = root.head
    return (
        root.pos_ == "VERB" and root.dep_ == "conj" and head.i in negator_at
        and any(c.dep_ == "dobj" and c.i in accuse_at for c in head.children)
    )


def is_denied_subject(match: CueMatch, cue_tokens: set[int]) -> bool:
    """A deed noun that is the subject of a clause whose verb is no cue, under a denial frame
    ("rejected the assertion that the operation had been coordinated with Baghdad"): what is
    denied is the predicate (the coordination), not the deed, which is only named."""
    root = match.root
    return root.pos_ in ("NOUN", "PROPN") and root.dep_ in ("nsubj", "nsubjpass") and root.head.i not in cue_tokens


def withheld_supplies(span: Span, cue_tokens: set[int]) -> list[tuple[Token, Token]]:
    """Supplies withheld until a demand is met: a future clause that negates a supply ("no
    fuel will enter", "would receive no electricity", "no switch would be flipped") and is
    conditioned by "until" (on its own verb or a verb conjoined with it). Each is (supply noun,
    verb); verbs that are cues themselves are read by the cue rules."""
    found = []
    for verb in span:
        if verb.pos_ not in ("VERB", "AUX") or verb.i in cue_tokens:
            continue
        if not any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for c in verb.children):
            continue
        related = [verb, *(c for c in verb.children if c.dep_ == "conj")] + ([verb.head] if verb.dep_ == "conj" else [])
        if not any(_has_until(v) for v in related):
            continue
        negated_verb = any(c.dep_ == "neg" for c in verb.children)
        for noun in verb.children:
            if noun.dep_ not in ("nsubj", "nsubjpass", "dobj") or noun.i in cue_tokens:
                continue
            supplies = [n for n in (noun, *noun.conjuncts) if n.lemma_.lower() in SUPPLIES]
            no = negated_verb or any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children)
            if supplies and no:
                found.append((supplies[0], verb))
                break
    return found


def _has_until(verb: Token) -> bool:
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "until" for m in c.children) for c in verb.children) or any(
        c.dep_ == "prep" and c.lower_ == "until" for c in verb.children
    )


def is_blame_for_start(token: Token) -> bool:
    """The token is the object of a past, negated instigation ("we did not start this war"): it
    lays the blame on the other side rather than disavowing war (reported speech keeps "had no
    interest in a war" a disavowal, so only the verbs of starting count)."""
    verb = clause_verb(token)
    return verb.lemma_.lower() in INSTIGATION_VERBS and is_past_report(token)


def is_conditioned_on_demands(match: CueMatch) -> bool:
    """A de-escalation offered only once the speaker's demands are met ("would consider rejoining
    the deal only after its demands were met", "will return to the agreement once its conditions
    are met"): the message is the demand. The condition is an adverbial clause, of the cue's
    verb or one of its governors (four steps), whose subject is a demand or condition that is met."""
    current = match.root
    for _ in range(4):
        for clause in current.children:
            if clause.dep_ == "advcl" and clause.lemma_.lower() in MET_VERBS and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in DEMAND_NOUNS for c in clause.children
            ):
                return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False
