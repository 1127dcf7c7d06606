"""Articles in, events out: the extraction stages wired together.

For a batch of articles: split every body into sentences (cheap), parse only the candidate
sentences in one `nlp.pipe` stream (the expensive part), then per article, in reading order,
find statements (`attribution`), resolve speakers with the article's memory of who was named
(`speakers`), date them (`statement_dates`), score their stance (`stance`), and settle what
needs the whole article: whose quotation an unattributed quoted sentence continues, a role named
later ("a key operative ... the operative, X"), dates carried over from the same speaker.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .actors import ActorDictionary, NewsOutlets, Places
from .attribution import AttributionTerms, RawStatement, StatementFinder
from ..datafiles import DATA_DIR
from .main_clause import DEFAULT_GATE_PATH, KEEP_ALL, StatementGate, gate_features, main_clause_statements
from .names import label_names
from .nlp import load_model
from ..schema import Article, Event, make_event_id
from ..stance.sentence_encoder import encoder_named
from .sentences import Sentence, SentenceSplitter, load_reporting_verbs
from .speakers import Speaker, SpeakerLexicon, SpeakerResolver, country_introducing, country_named, most_named_country, spelled_out
from ..stance.scorer import StanceScorer
from ..stance.model import DEFAULT_MODEL_PATH, StanceModel
from .statement_dates import StatementTiming, statement_timing, time_cues

PARSE_BATCH_SIZE = 64
# The events table's `found_by` for each kind of `RawStatement`
FOUND_BY_KIND = {"verb": "reporting verb", "according": "according to", "continuation": "continued quotation",
                 "main clause": "main clause"}
# auxiliaries and negation that mark a clause as a commitment or stance, not a report of events
SELF_REFERENCE_MARKERS = {"would", "will", "wo", "could", "can", "ca", "must", "should", "not", "n't", "never"}
DATELINE_CITY = re.compile(r"([A-Z][A-Z .'’-]{2,}?)(?:,[^—–\n]{0,40}?)?(?:\s*\([^)]{1,40}\))?\s*[—–-]{1,2}\s*$")
SAME_DAY = re.compile(r"\b(?:the same|that) (?:day|night|evening|morning|afternoon)\b", re.I)


@dataclass(frozen=True)
class Resources:
    """Everything extraction reads from data/, loaded once."""

    splitter: SentenceSplitter
    finder: StatementFinder
    terms: AttributionTerms
    speakers: SpeakerLexicon
    stance: StanceScorer
    stance_model: StanceModel | None = None  # rescores the rules' verdicts; None: the rules decide
    embed: Callable[[Sequence[str]], object] | None = None  # the sentence encoder the model was trained with
    gate: StatementGate | None = None  # keeps the main-clause statements of sentences the rules found none in; None: none


    @classmethod
    def load(
        cls, actor_files: Iterable[str | Path] = (), place_files: Iterable[str | Path] = (), *, learned_stance: bool = True,
        statement_gate: str | Path | None = DEFAULT_GATE_PATH,
    ) -> "Resources":
        """The default data, plus extra actor and place files (the demo's fictional actors).
        `learned_stance=False` leaves the stance to the rules (what the model is trained on);
        `statement_gate` is the gate's weights, `KEEP_ALL` (what the gate is trained on) or None
        (the reporting-verb rules alone)."""
        verbs = load_reporting_verbs()
        terms = AttributionTerms.load()
        lexicon = SpeakerLexicon(
            actors=ActorDictionary.load(DATA_DIR / "actors.csv", *actor_files),
            places=Places.load(DATA_DIR / "places.csv", *place_files),
            outlets=NewsOutlets.load(),
            terms=terms,
        )
        model = StanceModel.load(DEFAULT_MODEL_PATH) if learned_stance else None
        gate = None if statement_gate is None else StatementGate.keep_all() if statement_gate == KEEP_ALL else StatementGate.load(statement_gate)
        return cls(SentenceSplitter(verbs), StatementFinder(verbs, terms), terms, lexicon, StanceScorer.load(places=lexicon.places),
                   model, encoder_for(model), gate)


@dataclass
class _Draft:
    raw: RawStatement
    speaker: Speaker | None
    timing: StatementTiming
    date: dt.date | None = None
    date_basis: str = ""
    date_precision: str = ""
    not_a_party: bool = False


class Extractor:
    """Holds the loaded model and data; `extract` is pure given them."""

    def __init__(self, nlp: Language, resources: Resources):
        self.nlp = nlp
        self.resources = resources

    @classmethod
    def default(
        cls, model_name: str | None = None, *, actor_files: Iterable[str | Path] = (), place_files: Iterable[str | Path] = (),
        learned_stance: bool = True, statement_gate: str | Path | None = DEFAULT_GATE_PATH,
    ) -> "Extractor":
        resources = Resources.load(actor_files, place_files, learned_stance=learned_stance, statement_gate=statement_gate)
        return cls(load_model(model_name, exclude=("ner",)), resources)

    def extract(self, articles: Sequence[Article]) -> list[list[Event]]:
        """The events of each article, in article order (a batch is parsed together for speed)."""
        splits = [self.resources.splitter.split(article.text) for article in articles]
        wanted = [(number, sentence) for number, sentences in enumerate(splits) for sentence in sentences if sentence.candidate]
        parsed: list[dict[int, Doc]] = [{} for _ in articles]
        docs = self.nlp.pipe((sentence.text for _, sentence in wanted), batch_size=PARSE_BATCH_SIZE)
        lexicon = self.resources.speakers
        for (number, sentence), doc in zip(wanted, docs):
            parsed[number][sentence.index] = label_names(doc, lexicon.actors, lexicon.places, lexicon.terms)
        events = [self._article_events(article, splits[n], parsed[n]) for n, article in enumerate(articles)]
        model = self.resources.stance_model
        if model is None:
            return events
        rescored = iter(model.rescore([e for article_events in events for e in article_events], self.resources.embed))
        return [[next(rescored) for _ in article_events] for article_events in events]

    def _article_events(self, article: Article, sentences: list[Sentence], docs: dict[int, Doc]) -> list[Event]:
        resolver = SpeakerResolver(self.resources.speakers, article.text)
        drafts: list[_Draft] = []
        for sentence in sentences:
            doc = docs.get(sentence.index)
            if doc is None:
                continue
            cues = None  # the sentence's time expressions, found once for all its statements
            found = self.resources.finder.find(doc, sentence)
            if not found and self.resources.gate is not None:
                found = main_clause_statements(doc, sentence)
            for raw in found:
                if _dated_in_an_earlier_year(raw, article.published):
                    continue  # "Kosovo declared independence in 2008": history, not a statement
                speakers: list[Speaker | None] = [None]
                if raw.kind != "continuation":
                    speakers = resolver.resolve_parties(raw.speaker, sentence) or [resolver.resolve(raw.speaker, sentence)]
                    if raw.kind == "main clause" and (speakers[0] is None or not self._gate_keeps(raw, speakers[0], article.text)):
                        continue
                    if speakers[0] is None:  # not a party; kept so that its continued quotation is dropped too
                        drafts.append(_Draft(raw, None, StatementTiming(None, None), not_a_party=True))
                        continue
                    for speaker in speakers:
                        resolver.note_speaker(speaker, sentence.index)
                if raw.kind == "continuation":
                    timing = StatementTiming(None, None)
                else:
                    cues = cues if cues is not None else time_cues(doc)
                    timing = statement_timing(raw.verb, doc, article.published, self.resources.terms, cues)
                drafts += [_Draft(raw, speaker, timing) for speaker in speakers]
            resolver.observe(doc, sentence)
        drafts = self._with_countries_from_sentences(drafts, article, sentences)
        drafts = _attribute_continuations(drafts)
        drafts = _name_roles_named_later(drafts)
        drafts = _one_per_sentence_and_speaker(drafts)
        _assign_dates(drafts, article.published)
        return [self._event(article, draft) for draft in drafts]

    def _gate_keeps(self, raw: RawStatement, speaker: Speaker, text: str) -> bool:
        features = gate_features(text[raw.quote_start:raw.quote_end], raw.sentence.text, _as_written(speaker.name, text), speaker.mention)
        return self.resources.gate.keeps(features)

    def _home_country(self, article: Article, sentences: list[Sentence], said: list[tuple[int, int]]) -> str:
        """Whose officials an article quotes without saying whose: the country of its dateline
        ("SEOUL, June 10 -"), else of its url's country domain (a .pk paper's "Foreign Office")
        when the article names that country itself (a .ng paper on Sudan is no Nigerian story),
        else the country it names most outside what its speakers said (`said`: offsets)."""
        dateline = self._dateline_country(sentences, article.text)
        if dateline:
            return dateline
        places = self.resources.speakers.places
        domain = places.country_of_domain(article.url) if article.url else None
        if domain and any(m.country == domain for m in places.find_in(article.text)):
            return domain
        return most_named_country(article.text, self.resources.speakers, said)

    def _dateline_country(self, sentences: list[Sentence], text: str) -> str:
        """The country of the city a wire story is datelined in ("SEOUL, June 10 -")."""
        if not sentences:
            return ""
        first = text[:sentences[0].start]
        match = DATELINE_CITY.search(first[-80:]) if first else None
        return (self.resources.speakers.places.country_of(match.group(1).title()) or "") if match else ""

    def _with_countries_from_sentences(self, drafts: list[_Draft], article: Article, sentences: list[Sentence]) -> list[_Draft]:
        """Last resort for a speaker no rule could place: for a person, the title the article
        introduces them with anywhere ("Kyrgyz President Sadyr Japarov", often in a sentence that
        was never parsed); then the first place the sentence names outside what was said ("told
        reporters at the Pentagon"), or the capital a government speaks for ("said Manila would
        not ..."); for anyone still unplaced ("the military", "the Foreign Office", an official
        named nowhere else), the article's home country (`_home_country`, worked out only when
        needed). What is learnt holds for the speaker's later statements."""
        text = article.text
        said = [(draft.raw.quote_start, draft.raw.quote_end) for draft in drafts]
        home_country = functools.cache(lambda: self._home_country(article, sentences, said))
        learnt: dict[str, str] = {}
        placed = []
        for draft in drafts:
            speaker = draft.speaker
            if speaker is not None and not speaker.country:
                introduced = country_introducing(speaker.name, text, self.resources.speakers) if speaker.is_person else ""
                country = learnt.get(speaker.name) or introduced or self._country_from_sentence(draft.raw)
                if not country:
                    country = home_country()
                if country:
                    learnt[speaker.name] = country
                    draft = replace(draft, speaker=replace(speaker, country=country))
            placed.append(draft)
        return placed

    def _country_from_sentence(self, raw: RawStatement) -> str:
        sentence = raw.sentence
        start, end = raw.content.start_char, raw.content.end_char
        outside = sentence.text[:start] + " " * (end - start) + sentence.text[end:]
        return country_named(outside, self.resources.speakers) or self._country_speaking_of_itself(raw)

    def _country_speaking_of_itself(self, raw: RawStatement) -> str:
        """"Prime Minister X said Belgrade would not ...": a government says what its capital or
        country will or will not do; the place heading a modal or negated clause is its own."""
        for token in raw.content:
            if token.dep_ != "nsubj" or token.pos_ != "PROPN":
                continue
            clause = token.head
            if any(c.dep_ in ("aux", "neg") and c.lower_ in SELF_REFERENCE_MARKERS for c in clause.children):
                return self.resources.speakers.places.country_of(token.text) or ""
        return ""

    def _event(self, article: Article, draft: _Draft) -> Event:
        raw, speaker = draft.raw, draft.speaker
        assert speaker is not None
        stance = self.resources.stance.score(raw.content, frame=_frame_phrase(raw), speaker_country=speaker.country)
        text = article.text
        return Event(
            event_id=make_event_id(article.doc_id, raw.quote_start, raw.quote_end, speaker.name),
            doc_id=article.doc_id,
            published=article.published.isoformat(),
            date=(draft.date or article.published).isoformat(),
            date_basis=draft.date_basis or "published",
            date_precision=draft.date_precision or "published",
            speaker=spelled_out(_as_written(speaker.name, text), text),
            country=speaker.country,
            target=_target(raw, speaker, self.resources.speakers),
            stance=stance.stance,
            score=round(stance.score, 3),
            confidence=round(speaker.confidence * (0.5 + 0.5 * stance.confidence), 3),
            cues=";".join(stance.cues),
            quote=text[raw.quote_start:raw.quote_end],
            start=raw.quote_start,
            end=raw.quote_end,
            sentence=raw.sentence.text,
            source=article.source,
            url=article.url,
            title=article.title,
            sentence_start=raw.sentence.start,
            speaker_mention=speaker.mention,
            input_file=article.input_file,
            found_by=FOUND_BY_KIND[raw.kind],
        )


def _as_written(name: str, text: str) -> str:
    """The canonical name in the article's own spelling when that only drops its accents
    ("Milos Vucevic" for "Miloš Vučević"): readers search for the name as they saw it."""
    if name.isascii() or name in text:
        return name
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return folded if folded in text else name


def _dated_in_an_earlier_year(raw: RawStatement, published: dt.date) -> bool:
    if raw.verb is None:
        return False
    for child in raw.verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            year = next((g for g in child.children if g.dep_ == "pobj" and g.like_num and len(g.text) == 4), None)
            if year is not None and year.text.isdigit() and int(year.text) < published.year:
                return True
    return False


def _frame_phrase(raw: RawStatement) -> str:
    """The reporting verb as the stance scorer reads it: "warned", "called on", "according to"."""
    if raw.verb is None:
        return raw.frame if raw.kind == "according" else ""
    particle = next((c.lower_ for c in raw.verb.children if c.dep_ in ("prep", "prt") and c.lower_ in ("on", "for", "upon")), "")
    return f"{raw.verb.lower_} {particle}".strip()


def _attribute_continuations(drafts: list[_Draft]) -> list[_Draft]:
    """An unattributed quoted sentence belongs to whoever speaks the same quotation elsewhere, else
    to the speaker just before it in the paragraph (or in the paragraph before, when this one
    opens with the quotation), else to the next speaker in the paragraph."""
    drafts = list(drafts)  # a continuation once attributed passes its speaker on to the next one
    for index, draft in enumerate(drafts):
        if draft.speaker is not None or draft.not_a_party:
            continue
        sentence = draft.raw.sentence
        owner = _same_quotation_speaker(drafts, sentence) or _previous_speaker(drafts, index) or _next_speaker(drafts, index)
        if owner is not None and owner.speaker is not None:
            drafts[index] = replace(draft, speaker=owner.speaker, timing=StatementTiming(None, None))
    return [draft for draft in drafts if draft.speaker is not None]


def _same_quotation_speaker(drafts: list[_Draft], sentence: Sentence) -> _Draft | None:
    quotations = set(sentence.quotations)
    for other in drafts:
        if (other.speaker is not None or other.not_a_party) and other.raw.sentence.index != sentence.index and quotations & set(other.raw.sentence.quotations):
            return other
    return None


def _previous_speaker(drafts: list[_Draft], index: int) -> _Draft | None:
    sentence = drafts[index].raw.sentence
    for other in reversed(drafts[:index]):
        if other.speaker is None and not other.not_a_party:
            continue
        previous = other.raw.sentence
        if previous.paragraph == sentence.paragraph:
            return other
        if previous.paragraph == sentence.paragraph - 1 and sentence.opens_inside_quote is False and _opens_with_quote(sentence, drafts[index]):
            return other
        return None
    return None


def _opens_with_quote(sentence: Sentence, draft: _Draft) -> bool:
    return bool(sentence.quotes) and sentence.quotes[0][0] - sentence.start <= 1


def _next_speaker(drafts: list[_Draft], index: int) -> _Draft | None:
    sentence = drafts[index].raw.sentence
    for other in drafts[index + 1:]:
        if (other.speaker is not None or other.not_a_party) and other.raw.sentence.paragraph == sentence.paragraph:
            return other
    return None


def _name_roles_named_later(drafts: list[_Draft]) -> list[_Draft]:
    """"A key operative ... was quoted as saying" followed by "the operative, Mohammed X, told":
    the unnamed role is the person named next with that title."""
    result = list(drafts)
    for index, draft in enumerate(result):
        speaker = draft.speaker
        if speaker is None or not speaker.indefinite or not speaker.role_head:
            continue
        for later in result[index + 1:]:
            if later.raw.sentence.index > draft.raw.sentence.index + 2:
                break
            named = later.speaker
            if named is not None and named.is_person and speaker.role_head in named.titles:
                country = named.country or speaker.country
                merged = replace(named, country=country)
                result = [replace(d, speaker=merged) if d.speaker is not None and d.speaker.name == named.name else d for d in result]
                result[index] = replace(draft, speaker=replace(merged, mention=speaker.mention))
                break
    return result


def _one_per_sentence_and_speaker(drafts: list[_Draft]) -> list[_Draft]:
    """One statement per sentence per speaker — the words in quotation marks if the speaker has
    any there, else the longest reported clause — and a quotation to one speaker: where two
    speakers share it ("a report posted by Fars cited X as saying '...'"), the one whose own
    clause holds it keeps it."""
    drafts = [d for d in drafts if not _quotation_taken_by_other(d, drafts)]
    drafts = _settle_nested_reports(drafts)
    best: dict[tuple[int, str], _Draft] = {}
    for draft in drafts:
        key = (draft.raw.sentence.index, draft.speaker.name)
        current = best.get(key)
        if current is None or _statement_rank(draft) > _statement_rank(current):
            best[key] = draft
    kept = {id(d) for d in best.values()}
    return [d for d in drafts if id(d) in kept]


def _statement_rank(draft: _Draft) -> tuple[bool, int]:
    """Statements holding quotation marks first, then the longer."""
    raw = draft.raw
    quoted = any(raw.quote_start < e and s < raw.quote_end for s, e in raw.sentence.quotes)
    return quoted, raw.quote_end - raw.quote_start


def _settle_nested_reports(drafts: list[_Draft]) -> list[_Draft]:
    """A report inside another's report: "She said Tarsenia had asked the Council ..." is hers
    alone, but in "Blinken called Aliyev and urged him to stop, the State Department said" the
    department only relays its secretary: a named person reported by a body is the speaker."""
    kept = []
    for draft in drafts:
        sentence = draft.raw.sentence.index
        others = [d for d in drafts if d is not draft and d.raw.sentence.index == sentence and d.speaker is not None]
        if draft.raw.nested:
            relay = [d for d in others if not d.raw.nested]
            if relay and not (draft.speaker is not None and draft.speaker.is_person and all(not d.speaker.is_person for d in relay)):
                continue
        elif draft.speaker is not None and not draft.speaker.is_person:
            if any(d.raw.nested and d.speaker.is_person for d in others):
                continue
        kept.append(draft)
    return kept


def _quotation_taken_by_other(draft: _Draft, drafts: list[_Draft]) -> bool:
    if draft.raw.own_content:
        return False
    return any(
        other is not draft and other.raw.own_content
        and other.raw.sentence.index == draft.raw.sentence.index
        and other.raw.quote_start < draft.raw.quote_end and draft.raw.quote_start < other.raw.quote_end
        for other in drafts
    )


def _assign_dates(drafts: list[_Draft], published: dt.date) -> None:
    """Own cue first; else the date of the same speaker's latest dated statement before it (a
    continued quotation, "He also said": the guidelines' continuations keep their day); else,
    for a statement set before a dated event ("Prior to X's comments on Wednesday, Y said"), the
    same speaker's dated statement just after; else the publication date. A date carried from
    another statement keeps that statement's precision ("day", or "week" / "month" for a vague cue)."""
    for draft in drafts:
        cue = draft.timing.cue
        if cue is not None:
            draft.date, draft.date_basis, draft.date_precision = cue.day, cue.text, cue.precision
    for index, draft in enumerate(drafts):
        if draft.date is not None:
            continue
        previous = _neighbour_with_date(drafts, index, -1)
        if previous is not None:
            draft.date, draft.date_basis, draft.date_precision = previous.date, previous.date_basis, previous.date_precision
            continue
        if SAME_DAY.search(_outside_content(draft)):
            earlier = next((d for d in reversed(drafts[:index]) if d.date is not None and d.date_basis != "published"), None)
            if earlier is not None:  # "Putin, chairing a meeting the same day, accused ..."
                draft.date, draft.date_basis = earlier.date, f"the same day ({earlier.date_basis})"
                draft.date_precision = earlier.date_precision
                continue
        if draft.timing.earlier_than is not None:
            following = _neighbour_with_date(drafts, index, +1)
            if following is not None and following.date < draft.timing.earlier_than:
                draft.date, draft.date_basis, draft.date_precision = following.date, following.date_basis, following.date_precision
                continue
        draft.date, draft.date_basis, draft.date_precision = published, "published", "published"


def _outside_content(draft: _Draft) -> str:
    sentence, content = draft.raw.sentence, draft.raw.content
    return sentence.text[:content.start_char] + " " + sentence.text[content.end_char:]


def _neighbour_with_date(drafts: list[_Draft], index: int, step: int) -> _Draft | None:
    here = drafts[index]
    position = index + step
    while 0 <= position < len(drafts):
        other = drafts[position]
        if other.speaker.name == here.speaker.name:
            return other if other.date is not None and other.date_basis != "published" else None
        position += step
    return None


def _target(raw: RawStatement, speaker: Speaker, lexicon: SpeakerLexicon) -> str:
    """Whom the statement is aimed at: the listener of "warned/urged/called on X", else the first
    actor or country named in the content that is not the speaker's own."""
    if raw.verb is not None:
        for child in raw.verb.children:
            listener = None
            if child.dep_ in ("dobj", "dative") and raw.frame in ("warn", "urge", "threaten", "accuse", "condemn"):
                listener = child
            elif child.dep_ == "prep" and child.lower_ in ("on", "upon") and raw.frame == "call":
                listener = next((c for c in child.children if c.dep_ == "pobj"), None)
            if listener is not None and listener.pos_ != "PRON":
                country = country_named(listener.doc[listener.left_edge.i:listener.right_edge.i + 1].text, lexicon)
                if country and country != speaker.country:
                    return country
                return listener.doc[listener.left_edge.i:listener.i + 1].text
    country = country_named(raw.content.text, lexicon, exclude=speaker.country)
    return country


def encoder_for(model: StanceModel | None) -> Callable[[Sequence[str]], object] | None:
    """The embedding function a model was trained with, or None for a model without one."""
    if model is None or not model.encoder:
        return None
    return encoder_named(model.encoder).encode
