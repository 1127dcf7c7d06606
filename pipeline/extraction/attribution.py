"""Finding statements in one parsed sentence: the reporting verb, the token that stands for the
speaker, and the content.

The rules follow the constructions of wire copy (see data/reporting_verbs.csv and
data/attribution_terms.csv for the word lists they consult):

- `X said (that) ...`, `"...," X said`, `"...," said X`, `X said: "..."`, `X warned/vowed/
  called on Y not to ...`: the subject of the reporting verb speaks; the complement is the content.
- `X, who said ...`: a relative clause speaks for the noun it hangs on.
- `X was quoted as saying ...`, `a report cited X as saying ...`: the quoted person speaks.
- `state media carried a message from X suggesting ...`: X speaks, not the media.
- `the Fars report claimed ...`: the report speaks for its owner.
- `..., according to X`: X speaks, unless a reporting verb in the sentence already has a speaker
  (then X is only the source).
- a sentence inside a quotation with no attribution of its own continues somebody's quotation;
  `extract` decides whose.
Whether the speaker token names a party to the conflict (and who it is) is `speakers`' job.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..datafiles import DATA_DIR, read_data_rows
from .sentences import ReportingVerb, Sentence

RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
QUOTE_MARKS = "“”\"‘’'"
# Children of a reporting verb that hold what was said, by the verb's frame.
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "oprd", "parataxis", "attr"}
TIME_WORDS_AFTER_VERB = {
    "on", "late", "early", "earlier", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "night", "morning", "afternoon", "evening", "today", "yesterday", "tonight", "that",
}
LISTENER_FRAMES = {"say", "warn", "urge", "call"}  # their direct object is the listener ("told reporters")


@dataclass(frozen=True)
class AttributionTerms:
    """The word lists of data/attribution_terms.csv, by kind."""

    by_kind: dict[str, frozenset[str]]

    @classmethod
    def load(cls, path=None) -> "AttributionTerms":
        kinds: dict[str, set[str]] = {}
        for row in read_data_rows(path or DATA_DIR / "attribution_terms.csv"):
            kinds.setdefault(row["kind"], set()).add(row["term"].lower())
        return cls({kind: frozenset(terms) for kind, terms in kinds.items()})

    def has(self, kind: str, word: str) -> bool:
        return word.lower() in self.by_kind.get(kind, frozenset())


@dataclass(frozen=True)
class RawStatement:
    """A statement found in a sentence, before its speaker is resolved to an actor."""

    sentence: Sentence
    kind: str  # "verb", "according", "continuation" or "main clause" (`main_clause`)
    verb: Token | None
    frame: str  # the reporting verb's frame for the stance scorer ("say", "warn", "call" ...)
    speaker: Token | None  # the token standing for the speaker; None for a continuation
    content: Span  # what was said, as tokens (the stance is scored on it)
    quote_start: int  # the quote column's offsets in the article
    quote_end: int
    own_content: bool = True  # False when the content is only a quotation found elsewhere in the sentence
    nested: bool = False  # inside what another speaker of the sentence reports ("the ministry said X urged ...")


class StatementFinder:
    def __init__(self, verbs: dict[str, ReportingVerb], terms: AttributionTerms):
        self.terms = terms
        self._verb_by_form = {form: verb for verb in verbs.values() for form in verb.forms}

    def find(self, doc: Doc, sentence: Sentence) -> list[RawStatement]:
        quotes = [(s - sentence.start, e - sentence.start) for s, e in sentence.quotes]
        statements = []
        verbs = [t for t in doc if self.reporting_verb(t) is not None and not _inside(t, quotes)]
        for token in verbs:
            verb = self.reporting_verb(token)
            nested = not _coordinated(token) and any(_reports_inside(outer, token) for outer in verbs if outer.i != token.i)
            speaker = self.speaker_of(token)
            if speaker is None or _inside(speaker, quotes):
                speaker = _subject_by_position(token, quotes)
            if speaker is None or _inside(speaker, quotes) or _is_negated_subject(speaker):
                continue
            for each_speaker in [speaker, *co_speakers(speaker)]:
                statement = self._statement(doc, sentence, quotes, "verb", token, verb.frame, each_speaker)
                if statement is not None:
                    statements.append(replace(statement, nested=nested))
        if not statements:
            statement = self._according_to(doc, sentence, quotes)
            if statement is not None:
                statements.append(statement)
        if not statements and quotes and _mostly_quoted(doc, quotes, sentence):
            span = _longest_quote_span(doc, quotes)
            if span is not None:
                start, end = _quote_offsets(doc, quotes, sentence, span)
                statements.append(RawStatement(sentence, "continuation", None, "", None, span, start, end))
        return statements

    def reporting_verb(self, token: Token) -> ReportingVerb | None:
        """The reporting verb `token` is, if it is used as one here."""
        verb = self._verb_by_form.get(token.lower_)
        if verb is None or token.pos_ not in ("VERB", "AUX"):
            return None
        if verb.needs and not any(  # right after the verb: "called on X", not "called X on Monday"
            child.lower_ in verb.needs and child.dep_ in ("prep", "prt") and child.i > token.i
            and all(between.pos_ == "ADV" for between in token.doc[token.i + 1:child.i])
            for child in token.children
        ):
            if "oprd" in verb.needs and any(child.dep_ == "oprd" for child in token.children):
                return replace(verb, frame="say")  # "called the strike a crime": a description, not a call
            return None
        return verb

    def speaker_of(self, verb: Token) -> Token | None:
        """The token standing for whoever uses `verb` to speak, following the rules above."""
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        named = [c for c in subjects if c.pos_ != "PRON"]
        if named and len(named) < len(subjects):  # "the army and the RSF each said"
            subjects = named
        names = [c for c in subjects if c.pos_ == "PROPN" and not c.text.isupper()]
        if names and len(names) < len(subjects):  # "X, spokesman for Y, said": the description parsed as a subject
            subjects = names
        # the subject nearest the verb: a dateline ("VELMORA, March 5 — The minister said") is parsed as one too
        subject = max(subjects, key=lambda c: c.i if c.i < verb.i else -c.i) if subjects else None
        if subject is not None:
            subject = _adjacent_subject(verb, subject)
            if subject.dep_ == "nsubjpass":  # "he was told", "it was announced": the subject is not the speaker,
                return _agent_of(verb)  # but "announced by X" names one
            if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return self._owner_of_communication(subject)
        if verb.dep_ == "relcl":
            return verb.head
        if verb.head.lower_ == "as" and verb.dep_ == "pcomp":
            return self._quoted_person(verb.head.head)
        if verb.dep_ == "conj" and verb.head.i != verb.i:
            return self.speaker_of(verb.head)
        if verb.dep_ == "dep" and verb.head.i != verb.i:
            # a parse gone astray: "Putin, chairing a meeting the same day, accused ..."
            return next((c for c in verb.head.children if c.dep_ == "nsubj" and c.i < verb.i), None)
        if verb.dep_ == "acl":
            return self._owner_of_communication(verb.head)
        if verb.dep_ in ("advcl", "xcomp") and verb.head.i != verb.i and (verb.tag_ == "VBG" or _has_dep(verb, ("aux",))):
            return self._speaker_of_participle_head(verb.head)
        return None

    def _speaker_of_participle_head(self, head: Token) -> Token | None:
        """`X said, asserting ...` (X), `media carried messages from X suggesting ...` (X)."""
        if self.reporting_verb(head) is not None:
            return self.speaker_of(head)
        if self.terms.has("media_verb", head.lemma_):
            source = _from_phrase(head) or next(
                (_from_phrase(c) for c in head.children if c.dep_ == "dobj" and _from_phrase(c)), None
            )
            if source is not None:
                return source
        # "Misri returned before the cameras to say ...", "the army fired warning shots, saying ..."
        return next((c for c in head.children if c.dep_ == "nsubj"), None)

    def _quoted_person(self, head: Token) -> Token | None:
        """The person in `X was quoted as saying` / `cited X as saying` (climbing `described ... as`)."""
        for _ in range(3):
            if self.terms.has("quoting_verb", head.lemma_):
                for child in head.children:
                    if child.dep_ == "nsubjpass":
                        if child.lower_ in RELATIVE_PRONOUNS and head.dep_ == "relcl":
                            return head.head
                        return child
                    if child.dep_ == "dobj":
                        return child
            if head.dep_ in ("advcl", "conj", "xcomp") and head.head.i != head.i:
                head = head.head
            else:
                break
        return None

    def _owner_of_communication(self, noun: Token) -> Token:
        """`the Fars report` speaks for Fars; `a message from X` and `X issued a statement` for X;
        other nouns for themselves (the resolver gives an ownerless statement to the latest speaker)."""
        if not self.terms.has("communication_noun", noun.lemma_):
            return noun
        for child in noun.children:
            if child.dep_ in ("poss", "compound") and child.pos_ in ("PROPN", "NOUN") and not self.terms.has("platform", child.lower_):
                return child
        source = _from_phrase(noun)
        if source is not None:
            return source
        for child in noun.children:
            if child.dep_ == "acl":
                agent = next((c for c in child.children if c.dep_ == "agent"), None)
                if agent is not None:
                    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        return pobj
        if noun.dep_ == "dobj":  # "X issued a statement saying ...": X
            issuer = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
            if issuer is not None:
                return issuer
        return noun

    def _statement(self, doc, sentence, quotes, kind, verb, frame, speaker) -> RawStatement | None:
        speaker_range = _phrase_range(speaker)
        own_quotes = [
            (s, e) for s, e in quotes
            if not (speaker_range[0] <= s and e <= speaker_range[1]) and not _is_scare_quote(doc, s, e)
        ]
        content = self._content_of(doc, verb, speaker, frame, quotes)
        if content is not None and not _says_something(content, verb, frame):
            content = None
        quote_span = _longest_quote_span(doc, own_quotes)
        if content is None and quote_span is None:
            return None
        own_content = content is not None
        if content is None:
            content = quote_span
        start, end = _quote_offsets(doc, own_quotes, sentence, content)
        if end <= start:
            return None
        return RawStatement(sentence, kind, verb, frame, speaker, content, start, end, own_content)

    def _according_to(self, doc: Doc, sentence: Sentence, quotes) -> RawStatement | None:
        """`..., according to X` (or the Indian English `as per X`): X speaks the rest of the sentence."""
        for token in doc:
            if token.lower_ == "according":
                to = next((c for c in token.children if c.lower_ == "to"), None)
            elif token.lower_ == "per" and token.i > 0 and doc[token.i - 1].lower_ == "as":
                to = token
            else:
                continue
            source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if source is None:
                continue
            source = self._owner_of_communication(source)
            left, right = token.left_edge.i, token.right_edge.i + 1
            before, after = doc[:left], doc[right:]
            content = trim_span(before if len(before) >= len(after) else after)
            if not any(not t.is_punct for t in content):
                continue
            start, end = _quote_offsets(doc, quotes, sentence, content)
            if end > start:
                return RawStatement(sentence, "according", None, "according to", source, content, start, end)
        return None

    def _content_of(self, doc: Doc, verb: Token, speaker: Token, frame: str, quotes: list[tuple[int, int]]) -> Span | None:
        """The reported clause: the verb's complements, minus the speaker and time modifiers.
        Never a clause the parser hung the verb on from inside a quotation (`quotes`): the
        quotation itself is then what was said."""
        excluded = set(_subtree_indices(speaker)) - set(_subtree_indices(verb))
        picked: set[int] = set()
        for child in verb.children:
            if child.i in excluded:
                continue
            infinitive = child.dep_ == "advcl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children)
            by_agent = child.dep_ == "nsubjpass" and speaker.head.dep_ == "agent"  # "the truce was announced by X"
            if child.dep_ in CONTENT_DEPS or by_agent or (infinitive and frame in ("vow", "threaten", "urge", "call", "warn")):
                if child.dep_ == "dobj" and frame in LISTENER_FRAMES and (
                    _has_dep(verb, ("ccomp", "xcomp")) or self.terms.has("listener", child.lemma_)
                ):
                    continue  # "told reporters (that ...)": the audience, not what was said
                picked.update(_subtree_indices(child))
            elif child.dep_ == "prep" and child.lower_ in ("for", "against", "of") and frame in ("call", "urge", "warn", "accuse"):
                picked.update(_subtree_indices(child))
            elif child.dep_ == "prep" and child.lower_ == "as" and _has_dep(verb, ("dobj",)):
                picked.update(_subtree_indices(child))  # "described the attack as a dangerous escalation"
        picked -= excluded
        for i in sorted(picked):
            token = doc[i]
            if i not in picked:
                continue
            if token.lower_ == "according":  # the source, not the content
                picked.difference_update(_subtree_indices(token))
            elif (
                i != verb.i and self.reporting_verb(token) is not None and _has_dep(token, ("nsubj",))
                and (token.dep_ == "conj" or _coordinated(token))
            ):
                picked.difference_update(_subtree_indices(token))  # "..., and spokesman X said ..." is X's
        if (not picked and verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX")
                and not _inside(verb.head, quotes)):
            # "Missiles targeted the base on Tuesday night, the army said": the clause the verb hangs on
            picked = set(_subtree_indices(verb.head)) - set(_subtree_indices(verb))
        if not picked:
            return None
        start, end = min(picked), max(picked) + 1
        if start > verb.i:  # clause after the verb: take in words the parser hung on the verb ("said past U.S. policy has ...")
            between = [t for t in doc[verb.i + 1:start] if not _is_frame_modifier(t, verb)]
            if between:
                start = between[0].i
            while start < end - 1 and start <= verb.i + 3 and doc[start].lower_ in TIME_WORDS_AFTER_VERB:
                start += 1  # "said on Tuesday its forces ...": the day belongs to the saying
        return trim_span(doc[start:end])


def _is_frame_modifier(token: Token, verb: Token) -> bool:
    """Words between a reporting verb and its clause that belong to the verb: `said Thursday that`,
    `told reporters on Monday that`, `said in a statement that`."""
    if token.is_punct or token.lower_ in ("that", "on", "in", "at", "late", "early", "earlier"):
        return True
    anchor = token
    while anchor.head.i != verb.i and anchor.head.i != anchor.i and anchor.i > verb.i:
        anchor = anchor.head
    if anchor.head.i != verb.i:
        return False
    return anchor.dep_ in ("npadvmod", "advmod", "dative", "dobj", "punct", "mark") or (
        anchor.dep_ == "prep" and anchor.lower_ in ("on", "in", "at", "to", "during", "via", "through", "by", "from", "late", "early")
    )


def _says_something(content: Span, verb: Token, frame: str) -> bool:
    """Content that is no statement: a lone relative word ("which Russia claims"), or what a
    state claims as its own in the present tense ("China claims almost the entire sea")."""
    words = [t for t in content if not t.is_punct]
    if not words or (len(words) == 1 and words[0].pos_ in ("PRON", "DET", "SCONJ")):
        return False
    if frame == "claim" and verb.tag_ in ("VBZ", "VBP") and not any(t.pos_ in ("VERB", "AUX") for t in words):
        return False
    return True


def _reports_inside(outer: Token, inner: Token) -> bool:
    """Whether `inner` sits in the reported clause of `outer` ("she said [X had asked ...]")."""
    token = inner
    while token.head.i != token.i:
        if token.head.i == outer.i:
            return token.dep_ in ("ccomp", "xcomp")
        token = token.head
    return False


def co_speakers(speaker: Token) -> list[Token]:
    """Further speakers joined to the first by "and": "Sudan's army and the Rapid Support Forces
    each said", "The UN coordinator, X, and the head of UNIFIL, Y, said". A name after a bare title
    ("cleric and politician Moqtada al-Sadr") is the same person, not a second speaker."""
    if not any(c.dep_ == "det" or c.dep_ == "poss" for c in speaker.children) and speaker.pos_ != "PROPN":
        return []
    joined = [c for c in speaker.children if c.dep_ == "conj"]
    joined += [g for c in speaker.children if c.dep_ == "appos" for g in c.children if g.dep_ == "conj"]
    return [c for c in joined if c.pos_ == "PROPN" or any(g.dep_ in ("det", "poss") for g in c.children)]


def _coordinated(verb: Token) -> bool:
    """A reporting verb whose clause follows "and"/"but" ("X said A, and spokesman Y said B"):
    a statement of its own even where the parser hangs it inside the first one."""
    doc = verb.doc
    position = verb.left_edge.i - 1
    while position >= 0 and doc[position].text == ",":
        position -= 1
    after_conjunction = position >= 0 and (doc[position].dep_ == "cc" or doc[position].text == ";")
    contrasted = any(c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in verb.children)
    return (after_conjunction or contrasted) and _has_dep(verb, ("nsubj",))


def _is_negated_subject(token: Token) -> bool:
    """"No group has claimed the attack": nobody spoke."""
    return token.lower_ in ("nobody", "none", "noone") or any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def _adjacent_subject(verb: Token, subject: Token) -> Token:
    """The parser sometimes takes an earlier name for the subject: in "In a call with his
    counterpart, X, on Tuesday, Y said" the speaker is Y, the name right before the verb."""
    doc = verb.doc
    position = verb.i - 1
    while position >= 0 and doc[position].pos_ in ("ADV", "AUX", "PART") and doc[position].dep_ != "nsubj":
        position -= 1
    if position <= subject.i or position < 0:
        return subject
    nearest = doc[position]
    if nearest.pos_ not in ("PROPN", "NOUN", "PRON") or subject.left_edge.i <= nearest.i <= subject.right_edge.i:
        return subject
    if nearest.dep_ == "pobj" or nearest.lower_ in TIME_WORDS_AFTER_VERB:  # "X, spokesman, on Monday said"
        return subject
    if any(t.text == "," for t in doc[subject.i + 1:position]):
        return nearest
    return subject


def _subject_by_position(verb: Token, quotes: list[tuple[int, int]]) -> Token | None:
    """The speaker the parser missed in `"...," the operative, X, told ...` or `"...," said X`:
    the head of the words between the closing quotation mark and the verb (or just after it);
    with no quotation before the verb, the noun phrase right before a finite verb ("During his
    meeting with Macron, Aoun condemned ...", "Speaking in London, Qatar's foreign minister, X,
    said ...")."""
    doc = verb.doc
    before = [q for q in quotes if q[1] <= verb.idx]
    if not before:
        return _noun_phrase_before(verb)
    closing = max(e for _, e in before)
    words = [t for t in doc[:verb.i] if t.idx >= closing and not t.is_punct]
    if not words:
        after = []
        for t in doc[verb.i + 1:]:
            if t.is_punct:
                break
            after.append(t)
        words = after
    span_ids = {t.i for t in words}
    heads = [t for t in words if t.head.i not in span_ids and t.pos_ in ("NOUN", "PROPN", "PRON")]
    return heads[0] if heads else None


def _agent_of(verb: Token) -> Token | None:
    """The doer of a passive verb: X in "the truce was announced by X"."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def _noun_phrase_before(verb: Token) -> Token | None:
    """The head of the words between the last punctuation mark and a finite verb (one comma right
    before the verb is skipped: "X, said"), when it is a noun or a name."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    doc = verb.doc
    end = verb.i - 1 if verb.i > 0 and doc[verb.i - 1].text == "," else verb.i
    start = end
    while start > 0 and (not doc[start - 1].is_punct or (doc[start - 1].text == "-" and not doc[start - 1].whitespace_)):
        start -= 1  # back to the last punctuation mark, through hyphens inside a word ("al-Thani")
    words = doc[start:end]
    span_ids = {t.i for t in words}
    heads = [t for t in words if t.head.i not in span_ids and t.pos_ in ("NOUN", "PROPN")]
    return heads[-1] if heads else None


def _inside(token: Token, quotes: list[tuple[int, int]]) -> bool:
    return any(s <= token.idx < e for s, e in quotes)


def _has_dep(token: Token, deps: tuple[str, ...]) -> bool:
    return any(c.dep_ in deps for c in token.children)


def _from_phrase(token: Token) -> Token | None:
    """The object of a `from` (or `by`) phrase hanging on `token`."""
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in ("from", "by"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _subtree_indices(token: Token) -> list[int]:
    return [t.i for t in token.subtree]


def _phrase_range(token: Token) -> tuple[int, int]:
    """Character range of the speaker's own phrase (its relative clauses left out)."""
    tokens = [t for t in token.subtree if not any(a.dep_ == "relcl" and a.i != token.i for a in _ancestors_until(t, token))]
    return (min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens))


def _ancestors_until(token: Token, top: Token):
    while token.i != top.i and token.head.i != token.i:
        yield token
        token = token.head


def _is_scare_quote(doc: Doc, start: int, end: int) -> bool:
    """A quoted name or term of one to three words ("This Week", “resistance”) is not speech."""
    span = doc.char_span(start, end, alignment_mode="expand")
    words = [t for t in span if not t.is_punct] if span is not None else []
    return len(words) <= 3 and not any(t.pos_ in ("VERB", "AUX") for t in words)


def _longest_quote_span(doc: Doc, quotes: list[tuple[int, int]]) -> Span | None:
    best = None
    for start, end in sorted(quotes, key=lambda q: q[1] - q[0], reverse=True):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and any(not t.is_punct for t in span):
            best = trim_span(span)
            break
    return best


def _quote_offsets(doc: Doc, quotes, sentence: Sentence, content: Span) -> tuple[int, int]:
    """Article offsets of the quote column: the quotation inside the content if there is one,
    else the content itself, trimmed of marks and trailing commas."""
    start, end = content.start_char, content.end_char
    inner = [(s, e) for s, e in quotes if s >= start - 1 and e <= end + 2]
    if inner:
        start, end = max(inner, key=lambda q: q[1] - q[0])
    text = doc.text
    while start < end and (text[start].isspace() or text[start] in QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTE_MARKS + ",;:—–-"):
        end -= 1
    return sentence.start + start, sentence.start + end


def trim_span(span: Span) -> Span:
    """The span without the punctuation at its ends, except a closing ".", "!" or "?" (so that a
    quotation closed after it stays balanced), and without a leading "that" (a complementizer)."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].is_punct or doc[start].lower_ == "that" and doc[start].dep_ == "mark"):
        start += 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text not in ".!?":
        end -= 1
    return doc[start:end]


def _mostly_quoted(doc: Doc, quotes, sentence: Sentence) -> bool:
    quoted = sum(e - s for s, e in quotes)
    return quoted >= 0.5 * len(doc.text.strip()) or sentence.opens_inside_quote
