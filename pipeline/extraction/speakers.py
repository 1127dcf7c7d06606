"""Who is speaking: from the token that stands for a speaker to a canonical actor and its country.

A `SpeakerResolver` lives for one article. It remembers the people and bodies the article has
named so far (`observe`), so that later mentions can be resolved to them:

- pronouns: `he`/`she` is the person who spoke earlier in the same sentence, else whose name
  opens a sentence never parsed since, else who spoke (or was named first) in the nearest
  earlier sentence that names a person; `it` in a clause hung on the sentence ("in what it
  called payback") is the subject before it; `they`/`it` otherwise, the nearest group;
- surnames and honorifics: `Mr. Zarif`, `al-Heidari`, `Talayi-Nik` are the full name seen
  earlier; a family name said first (`Dong`) the one dictionary name that starts with it;
- definite roles: `the minister`, `the operative` are the latest person seen with that title;
  `the premier` a head of government the article titles; `the group`, `the rebels` the armed
  group named last; `the Malian side` Mali's government;
- joint statements: `the two leaders`, `the ministers` (when two countries' people are named),
  `both sides` give each party its own statement, and so does `the agreement` or `the joint
  readout` after such a statement;
- the actor dictionary (`data/actors.csv`) gives canonical names and countries; where it is silent
  the country comes from the words around the speaker: titles and demonyms ("Iranian Foreign
  Minister"), places ("an official in Tehran"), organisations ("PMF's cultural chief"), the group
  a name is listed in ("Iranian commanders, including X"), the antecedent of "of which".
Analysts, experts and news outlets are not parties to a conflict: they resolve to None.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from .actors import Actor, ActorDictionary, Mention, NewsOutlets, Places
from .attribution import AttributionTerms
from .names import NAME_PARTICLES, continues_hyphenated_title
from .sentences import Sentence

PAST_POST_WORDS = {"former", "retired", "ex"}
# Communication nouns that, without an owner, are mostly the press's ("a report said") or a
# place ("the border post"): not given to the latest speaker as an ownerless statement is.
OUTLET_NOUNS = frozenset({"report", "post"})
PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "it", "them"}
LISTING_WORDS = {"including", "like", "among", "as"}
# "Tehran-backed militias" are not Iranian: the place only backs them.
BACKER_SUFFIX = re.compile(r"^\s*-?\s*(backed|aligned|allied|supported|funded|sponsored|linked|affiliated|controlled)\b", re.I)
ARABIC_ARTICLE = re.compile(r"\b(?:al|el|ad|as|ash|an|ar|at|az)[-\s](?=\w)", re.I)
# "the two leaders", "both sides", "the three governments": how many parties a plural counts
PARTY_COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4}
BILATERAL_TITLES = frozenset({"leader", "president", "minister", "premier"})  # plural: the two parties' people
SPOKESPERSON_WORDS = frozenset({"spokesman", "spokeswoman", "spokesperson"})
# Role nouns that speak for the person named before them ("according to his spokesperson")
AIDE_WORDS = SPOKESPERSON_WORDS | {"office", "aide", "adviser", "advisor"}
# How far back "the official said" looks for the person it stands for: a role noun refers to
# whoever spoke in the last two sentences ("..., said Anwar Ibrahim. The Prime Minister said ...").
# Measured on the real corpus's train split: speaker accuracy 0.879 -> 0.883 (one sentence: 0.883).
ROLE_REFERENCE_WINDOW = 2
PARTY_NOUNS = frozenset({"side", "country", "nation", "government", "neighbour", "neighbor", "state", "party"})
PERSON_CONFIDENCE = {"named": 1.0, "surname": 0.9, "pronoun": 0.75, "title": 0.75, "role": 0.7, "group": 0.9}


@dataclass
class Referent:
    """Somebody the article has named: the memory behind pronouns, surnames and titles."""

    name: str
    country: str
    is_person: bool
    titles: set[str] = field(default_factory=set)
    sentence: int = 0
    party: bool = True  # False for analysts, experts, former officials: their words are not statements

    @property
    def surname(self) -> str:
        return self.name.split()[-1].lower() if self.name else ""


@dataclass(frozen=True)
class Speaker:
    name: str
    country: str
    mention: str  # as written
    confidence: float
    is_person: bool
    role_head: str = ""  # for an unnamed speaker, the role noun ("operative")
    indefinite: bool = False  # "a key operative": a name may follow later
    titles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SpeakerLexicon:
    actors: ActorDictionary
    places: Places
    outlets: NewsOutlets
    terms: AttributionTerms


class SpeakerResolver:
    def __init__(self, lexicon: SpeakerLexicon, article_text: str = ""):
        self.lex = lexicon
        self.text = article_text
        self.referents: list[Referent] = []
        self.speakers_by_sentence: dict[int, list[Referent]] = {}
        self._last_parties: tuple[int, list[Speaker]] | None = None  # the latest joint statement's parties
        self._sentence_ends: dict[int, int] = {}  # parsed sentences' end offsets
        self._sentence_start = 0  # the offset of the sentence being resolved
        self._actors_named: list[Mention] | None = None  # the actor dictionary's mentions in the article, found when first needed
        self._organisations: list[tuple[int, Actor | None]] | None = None  # (end, actor) of the organisations the article names, found when first needed
        self._countries_named: list[tuple[str, int]] | None = None  # `_main_countries`' ranking, found when first needed

    # -- memory ---------------------------------------------------------------------------------
    def observe(self, doc: Doc, sentence: Sentence) -> None:
        """Remember the people named in a parsed sentence (with their titles and country); names
        inside quotations are left out (a quoted "Calm is possible" names nobody)."""
        quotes = [(s - sentence.start, e - sentence.start) for s, e in sentence.quotes]
        self._sentence_ends[sentence.index] = sentence.end
        for ent in doc.ents:
            if ent.label_ != "PERSON" or not any(t.pos_ == "PROPN" for t in ent) or self._is_place_or_group(ent.text):
                continue
            if any(s <= ent.start_char < e for s, e in quotes):
                continue
            name, titles = self._person_name(ent)
            if name:
                referent = self._remember_person(name, titles, self.country_around(ent.root, ent), sentence.index)
                if self._described_as_non_party(ent.root, ent):
                    referent.party = False

    def note_speaker(self, speaker: Speaker, sentence_index: int) -> None:
        referent = self._find(speaker.name)
        if referent is None:
            referent = Referent(speaker.name, speaker.country, speaker.is_person, set(speaker.titles), sentence_index)
            self.referents.append(referent)
        referent.sentence = sentence_index
        self.speakers_by_sentence.setdefault(sentence_index, []).append(referent)

    def _remember_person(self, name: str, titles: set[str], country: str, sentence_index: int) -> Referent:
        referent = self._find(name) or self._by_surname(name.split()[-1], before=sentence_index + 1)
        if referent is None or (len(name.split()) > 1 and len(referent.name.split()) > 1 and referent.name != name):
            actor = self._lookup_person(name)
            if actor is not None:
                name, country = actor.name, actor.country or country
            referent = self._find(name) or Referent(name, country, True)
            if referent not in self.referents:
                self.referents.append(referent)
        referent.titles |= titles
        referent.country = referent.country or country
        referent.sentence = sentence_index
        return referent

    def _lookup_person(self, name: str):
        """The dictionary entry for a name, also when the text adds an Arabic article the
        dictionary leaves out ("Hashem al-Safieddine" for "Hashem Safieddine")."""
        actor = self.lex.actors.lookup(name)
        if actor is None:
            bare = ARABIC_ARTICLE.sub("", name)
            if bare != name:
                actor = self.lex.actors.lookup(bare)
        return actor

    def _find(self, name: str) -> Referent | None:
        return next((r for r in reversed(self.referents) if r.name == name), None)

    def _by_surname(self, surname: str, before: int) -> Referent | None:
        """The person last named with this surname; else, for names written family name first
        ("Kim" for Kim Yo-jong, "Tsai" for Tsai Ing-wen), the only person named with it first."""
        surname = surname.lower().removesuffix("'s").removesuffix("’s")
        earlier = [r for r in self.referents if r.is_person and r.sentence < before]
        by_last = [r for r in earlier if r.surname == surname]
        if by_last:
            return by_last[-1]
        by_first = {r.name for r in earlier if len(r.name.split()) > 1 and r.name.split()[0].lower() == surname}
        if len(by_first) == 1:
            return next(r for r in reversed(earlier) if r.name in by_first)
        return None

    # -- resolution -----------------------------------------------------------------------------
    def resolve(self, token: Token, sentence: Sentence) -> Speaker | None:
        """The speaker `token` stands for, or None when it is not a party to the conflict."""
        sentence_index = sentence.index
        self._sentence_start = sentence.start
        lower = token.lower_
        if lower in PERSON_PRONOUNS:
            spoke_here = [r for r in self.speakers_by_sentence.get(sentence_index, []) if r.is_person]
            if spoke_here:  # "Johnson accused Russia of the attack, which he described as ...": Johnson
                return self._from_referent(spoke_here[-1], token.text, "pronoun")
            referent = self._last_person(sentence_index)
            referent = self._person_opening_since(referent, sentence) or self._titled_person_since(referent, sentence) or referent
            return self._from_referent(referent, token.text, "pronoun")
        if lower in GROUP_PRONOUNS:
            subject = _subject_before(token) if lower == "it" and _in_embedded_clause(token) else None
            if subject is not None:  # "the Israeli military struck a building it said was ...": the military
                speaker = self.resolve(subject, sentence)
                if speaker is not None and not speaker.is_person:
                    return replace(speaker, mention=token.text)
            referent = self._last_group(sentence_index)
            return self._from_referent(referent, token.text, "pronoun")
        if token.pos_ == "PRON":
            return None
        subject = _copula_subject(token)
        if subject is not None:  # "Trump was the first world leader to announce ...": Trump
            return self.resolve(subject, sentence)
        phrase = self.phrase(token)
        mention = phrase.text
        if self.lex.terms.has("communication_noun", token.lemma_) and token.lemma_ not in OUTLET_NOUNS:
            # "the statement said": attribution gave no owner, so it is the latest speaker's
            return self._from_referent(self._last_speaker(sentence_index), mention, "pronoun")
        if self._is_non_party(token, phrase):
            return None
        owner = self._press_unit_owner(token)
        if owner is not None:  # "the ministry's press service" speaks for the ministry
            speaker = self.resolve(owner, sentence)
            return replace(speaker, mention=mention) if speaker is not None else None
        person = self._person_in(token, phrase)
        if person is not None:
            return self._resolve_person(person, token, phrase, sentence_index)
        actor_match = self._actor_heading(token, phrase)
        if actor_match is not None:
            actor = actor_match.actor
            if actor.kind == "person":
                return self._resolve_person(phrase.doc.char_span(actor_match.start + phrase.start_char, actor_match.end + phrase.start_char, alignment_mode="expand") or phrase, token, phrase, sentence_index)
            if actor.kind == "military" and token.lemma_ == "military":  # "the South Korean military": its named command
                actor = self._named_military(actor.country, actor.name) or actor
            return Speaker(actor.name, actor.country, mention, PERSON_CONFIDENCE["group"], False)
        if token.ent_type_ in ("GPE", "NORP") or (token.pos_ == "PROPN" and self.lex.places.country_of(mention)):
            country = self.lex.places.country_of(_entity_text(token)) or self.lex.places.country_of(mention)
            if country:  # "Kinshasa said", "Pakistan said": the government speaks
                return Speaker(self._government_of(country), country, mention, PERSON_CONFIDENCE["group"], False)
        named = self._organisation_in_apposition(token)
        if named is not None:  # "another Iran-aligned group, Harakat al-Nujaba, said"
            return named
        if token.ent_type_ == "ORG":
            name = _strip_determiner(_entity_text(token))
            if len(name.split()) == 1 and phrase.text.lower().startswith("the "):  # "The Guard said"
                referent = self._last_group_named(name, sentence_index)
                if referent is not None:
                    return self._from_referent(referent, mention, "title")
            if self.lex.outlets.is_outlet(name):
                return None
            return Speaker(name, self.country_around(token, phrase), mention, PERSON_CONFIDENCE["group"], False)
        if self.lex.terms.has("role", token.lemma_) or token.lemma_ in ("official", "officer"):
            return self._resolve_role(token, phrase, sentence_index)
        if _is_acronym(token) and not self.lex.outlets.is_outlet(token.text):  # "MONUSCO added": an organisation
            return Speaker(spelled_out(token.text, self.text), self.country_around(token, phrase), mention, PERSON_CONFIDENCE["group"], False)
        if token.pos_ == "PROPN" and not token.ent_type_:  # "Talayi-Nik denounced": a name of one word, known from earlier
            full = self._full_name(_hyphenated_word(token), sentence_index)
            if full is not None:
                return self._from_referent(full, mention, "surname")
        role = token.doc[token.i - 2] if continues_hyphenated_title(token) and token.i >= 2 else None
        if role is not None and self.lex.terms.has("role", role.lemma_):  # "the president-elect"
            titled = person_with_title(token.doc[role.i:token.i + 1].text, self.text, self.lex, before=self._sentence_start) if self.text else None
            if titled is not None:  # the person the article titles so ("President-elect Donald Trump")
                return self._from_referent(self._remember_person(titled[0], {role.lemma_}, titled[1], sentence_index), phrase.text, "title")
            return self._resolve_role(role, phrase, sentence_index)
        return None

    def resolve_parties(self, token: Token, sentence: Sentence) -> list[Speaker]:
        """The parties a counted plural stands for: "the two leaders" are the two latest people of
        different countries the article has named, "both sides" / "the two countries" the
        countries the article names most, "the two Koreas" North and South Korea; "they" right
        after such a statement, the same parties. The guidelines give each party of a joint
        statement its own row. Empty when the text does not say how many, or when fewer parties
        than that are known."""
        self._sentence_start = sentence.start
        if token.lower_ == "they" and self._last_parties and sentence.index - self._last_parties[0] <= 2:
            return [replace(speaker, mention=token.text) for speaker in self._last_parties[1]]
        if self._is_joint_document(token) and self._last_parties is not None:
            # "the agreement calls for ...": the parties of the joint statement the article reported
            return [replace(speaker, mention=token.text) for speaker in self._last_parties[1]]
        if token.tag_ not in ("NNS", "NNPS"):
            return []
        named = self._parties_named_in(token, sentence.index)
        if named:
            self._last_parties = (sentence.index, named)
            return named
        count = next((PARTY_COUNTS[c.lower_] for c in token.children if c.lower_ in PARTY_COUNTS), 0)
        lemma = token.lemma_.lower()
        if not count and lemma in BILATERAL_TITLES and any(c.lower_ in ("the", "their") for c in token.children):
            # "the ministers agreed", "their leaders met": the two people of two countries the article names
            count = 2 if len(self._latest_people(sentence.index, 3)) == 2 else 0
        if not count:
            return []
        if token.lower_ == "koreas":
            parties = [Speaker(self._government_of(c), c, token.text, PERSON_CONFIDENCE["group"], False) for c in ("North Korea", "South Korea")]
        elif lemma in PARTY_NOUNS:
            parties = [Speaker(self._government_of(c), c, token.text, PERSON_CONFIDENCE["group"], False)
                       for c in self._main_countries(count)]
        elif self.lex.terms.has("title", lemma) or self.lex.terms.has("role", lemma):
            parties = [Speaker(r.name, r.country, token.text, PERSON_CONFIDENCE["title"], True, titles=frozenset(r.titles))
                       for r in self._latest_people(sentence.index, count)]
        else:
            return []
        if len(parties) != count:
            return []
        self._last_parties = (sentence.index, parties)
        return parties

    def _is_joint_document(self, token: Token) -> bool:
        """An agreement, declaration or joint statement with no owner in its phrase ("the agreement",
        "a joint readout", not "Russia's statement" or "the statement of the ministry")."""
        if any((c.dep_ in ("poss", "compound") and c.pos_ == "PROPN") or (c.dep_ == "prep" and c.lower_ in ("of", "by", "from"))
               for c in token.children):
            return False
        if self.lex.terms.has("joint_document", token.lemma_):
            return True
        return self.lex.terms.has("communication_noun", token.lemma_) and any(c.lower_ == "joint" for c in token.children)

    def _parties_named_in(self, token: Token, sentence_index: int) -> list[Speaker]:
        """The parties of a plural speaker whose phrase names their countries: "the Turkish and
        Armenian foreign ministries" (a Turkish and an Armenian foreign ministry), "the governments
        of the United States and Iraq", "the leaders of Japan and China" (the latest person of each
        country the article has named, else the role). Empty unless two or more countries are named."""
        places = self.lex.places
        by_demonym = [c for c in token.children if c.dep_ in ("amod", "compound") and places.kind_of(c.text) == "demonym"]
        by_place = [p for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "in", "from")
                    for p in c.children if p.dep_ == "pobj"]
        named = [t for first in (by_demonym or by_place)[:1] for t in (first, *first.conjuncts)]
        countries = list(dict.fromkeys(country for t in named if (country := places.country_of(_entity_text(t)))))
        if len(countries) < 2 or len(countries) != len(named):
            return []
        lemma = token.lemma_.lower()
        modifiers = [t.lower_ for t in token.lefts if t.dep_ in ("amod", "compound") and t not in named and not t.conjuncts]
        if lemma in ("government", "authority"):
            return [Speaker(self._government_of(c), c, token.text, PERSON_CONFIDENCE["group"], False) for c in countries]
        if self.lex.terms.has("title", lemma) or self.lex.terms.has("role", lemma):
            people = {r.country: r for r in self._latest_people(sentence_index, len(self.referents)) if r.country in countries}
            if lemma in ("leader", "president", "minister") and not modifiers and len(people) == len(countries):
                return [Speaker(people[c].name, c, token.text, PERSON_CONFIDENCE["title"], True, titles=frozenset(people[c].titles))
                        for c in countries]
        words = " ".join([*modifiers, token.lemma_])
        return [Speaker(f"{places.demonym_of(c) or c} {words}", c, token.text, PERSON_CONFIDENCE["group"], False) for c in countries]

    def _latest_people(self, sentence_index: int, count: int) -> list[Referent]:
        """The latest people of different countries named up to this sentence, in text order; when
        the sentences parsed so far name fewer, the latest people of the actor dictionary the text
        names before this sentence ("Modi and Xi met on Sunday" holds no reporting verb)."""
        people: list[Referent] = []
        for referent in sorted(self.referents, key=lambda r: r.sentence, reverse=True):
            if not (referent.is_person and referent.party and referent.sentence <= sentence_index):
                continue
            referent.country = referent.country or country_introducing(referent.name, self.text, self.lex)
            if referent.country and referent.country not in {p.country for p in people}:
                people.append(referent)
        if len(people) < count:
            for mention in reversed(self._dictionary_people()):
                actor = mention.actor
                if mention.end <= self._sentence_start and actor.country and actor.country not in {p.country for p in people}:
                    people.append(Referent(actor.name, actor.country, True, set(), sentence_index))
        return sorted(people[:count], key=lambda r: self._first_mention(r.name))

    def _main_countries(self, count: int) -> list[str]:
        """The `count` countries the article names most (its parties), in the order it names them."""
        if self._countries_named is None:  # (country, first offset), most named first: found once per article
            mentions = [m for m in self.lex.places.find_in(self.text) if m.country]
            mentions += [m for m in self._actor_mentions() if m.country]
            counts = Counter(m.country for m in mentions)
            first: dict[str, int] = {}
            for m in sorted(mentions, key=lambda m: m.start):
                first.setdefault(m.country, m.start)
            self._countries_named = [(c, first[c]) for c in sorted(counts, key=lambda c: (-counts[c], first[c]))]
        return [country for country, _ in sorted(self._countries_named[:count], key=lambda named: named[1])]

    def _first_mention(self, name: str) -> int:
        position = self.text.find(name.split()[-1]) if self.text else -1
        return position if position >= 0 else len(self.text)

    def _government_of(self, country: str) -> str:
        demonym = self.lex.places.demonym_of(country)
        return f"{demonym} government" if demonym else f"Government of {country}"

    def _organisation_in_apposition(self, head: Token) -> Speaker | None:
        for child in head.children:
            if child.dep_ == "appos" and child.ent_type_ == "ORG":
                name = _strip_determiner(_entity_text(child))
                actor = self.lex.actors.lookup(name)
                if actor is not None:
                    return Speaker(actor.name, actor.country, name, PERSON_CONFIDENCE["group"], False)
                phrase = self.phrase(head)
                return Speaker(name, self.country_around(head, phrase), name, PERSON_CONFIDENCE["group"], False)
        return None

    def _resolve_person(self, person: Span, head: Token, phrase: Span, sentence_index: int) -> Speaker | None:
        name, titles = self._person_name(person)
        titles |= self._titles_in(phrase, person)
        full = self._full_name(name, sentence_index)
        country = self.country_around(head, phrase)
        how = "named" if full is None else "surname"
        if full is not None:
            if not full.party:
                return None
            name, country = full.name, full.country or country
        actor = self._lookup_person(name)
        if actor is not None:
            name, country = actor.name, actor.country or country
        elif self._described_as_non_party(head, phrase):
            self._remember_person(name, titles, country, sentence_index).party = False
            return None
        referent = self._remember_person(name, titles, country, sentence_index)
        if not referent.party:
            return None
        return Speaker(referent.name, referent.country, phrase.text, PERSON_CONFIDENCE[how], True, titles=frozenset(referent.titles))

    def _full_name(self, name: str, sentence_index: int) -> Referent | None:
        """`Zarif` or `Mr. Zarif` is the person named in full earlier: among the people parsed so
        far, else in the text before this sentence ("Foreign Minister Teodora Lask struck a
        measured tone" holds no reporting verb, so it was never parsed)."""
        if len(name.split()) > 1:
            return None
        known = self._by_surname(name, before=sentence_index + 1)
        if known is not None or not self.text:
            return known
        earlier = self.text[:self._sentence_start]
        match = re.search(r"((?:[A-Z][\w'’.-]*\s+){1,5})" + re.escape(name) + r"\b", earlier)
        if match is None:
            return self._family_name_first(name, sentence_index)
        words = self._without_leading_titles(match.group(1).split())
        if not words:
            return None
        full_name = " ".join(words + [name])
        country = self._country_in_text(match.group(0))
        referent = Referent(full_name, country, True, set(), sentence_index)
        self.referents.append(referent)
        return referent

    def _family_name_first(self, name: str, sentence_index: int) -> Referent | None:
        """`Dong` is "Dong Jun" when the article writes one name of the actor dictionary that starts
        with it (family name first, as Chinese and Korean names are written); none when it writes
        several ("Kim Jong Un" and "Kim Yo Jong")."""
        actors = {}
        for match in re.finditer(r"\b" + re.escape(name) + r"((?:[\s-][A-Z][\w'’]*){1,2})\b", self.text):
            actor = self._lookup_person(name + match.group(1))
            if actor is not None and actor.kind == "person":
                actors[actor.name] = actor
        if len(actors) != 1:
            return None
        actor = next(iter(actors.values()))
        return self._remember_person(actor.name, set(), actor.country, sentence_index)

    def _resolve_role(self, token: Token, phrase: Span, sentence_index: int) -> Speaker | None:
        determiner = next((c.lower_ for c in token.children if c.dep_ in ("det", "poss")), "")
        if determiner in ("his", "her") and token.lemma_ in AIDE_WORDS:
            # "according to his spokesperson": the spokesperson speaks for the person named before
            return self._from_referent(self._last_person(sentence_index + 1), phrase.text, "pronoun")
        if determiner == "the" and self.lex.terms.has("group_noun", token.lemma_):
            group = self._armed_group_named_before(self._sentence_start + token.idx)
            if group is not None:  # "the group said": the armed group the article named last
                return Speaker(group.name, group.country, phrase.text, PERSON_CONFIDENCE["title"], False)
        if determiner in ("the", "this") and token.tag_ not in ("NNS", "NNPS"):
            referent = self._last_with_title(token.lemma_, sentence_index) or self._last_group_named(token.lemma_, sentence_index)
            if referent is None and token.lemma_ == "military":  # "the military": the latest military body that spoke
                referent = next((r for r in sorted(self.referents, key=lambda r: r.sentence, reverse=True)
                                 if not r.is_person and r.sentence <= sentence_index
                                 and (actor := self.lex.actors.lookup(r.name)) is not None and actor.kind == "military"), None)
            if referent is not None:
                return self._from_referent(referent, phrase.text, "title")
        country = self.country_around(token, phrase)
        named_by_country = bool(determiner) and self.lex.places.country_of(determiner.title()) is not None  # "Azerbaijan's president"
        # "Dutch prime minister said" (a headline's bare role): the country's titled person, as with "the"
        named_by_country = named_by_country or (not determiner and any(
            c.dep_ in ("amod", "compound") and c.i < token.i and self.lex.places.country_of(c.text) for c in token.children))
        if (determiner in ("the", "this", "his", "her", "its") or named_by_country) and token.tag_ not in ("NNS", "NNPS") and self.text:
            title = [c.text for c in token.children if c.dep_ == "compound" and c.i < token.i and not self.lex.places.country_of(c.text)]
            titled = person_with_title(" ".join(title + [token.text]), self.text, self.lex, country=country, before=self._sentence_start)
            if titled is None and (self.lex.terms.has("leader_word", token.lemma_)  # "the Turkish leader"
                                   or (country and self.lex.terms.has("head_title", " ".join(title + [token.text]).lower()))):  # "Azerbaijan's president"
                titled = country_leader(country, self.text, self.lex, before=self._sentence_start) or self._only_person_of(country)
            if titled is not None:  # "the Greek Prime Minister" is "Greek Prime Minister Kyriakos Mitsotakis" of the lead
                name, titled_country = titled
                referent = self._remember_person(name, {token.lemma_}, titled_country or country, sentence_index)
                speaker = self._from_referent(referent, phrase.text, "title")
                # the role's own country ("Dutch prime minister") before the dictionary's (NATO's)
                return replace(speaker, country=country) if speaker is not None and country else speaker
        if determiner in ("the", "this") and token.tag_ not in ("NNS", "NNPS") and self.lex.terms.has("person_role", token.lemma_):
            # "The official noted ...", "The Prime Minister said ..." right after a person spoke: that person
            referent = self._last_person_speaker(sentence_index)
            if (referent is not None and _could_hold(referent, token.lemma_)
                    and (not country or not referent.country or referent.country == country)):
                return self._from_referent(referent, phrase.text, "title")
        if country and self.lex.terms.has("state_noun", token.lemma_):  # "the Malian side": Mali's government
            return Speaker(self._government_of(country), country, phrase.text, PERSON_CONFIDENCE["group"], False)
        name = self._role_phrase_text(token, phrase)
        return Speaker(
            name, country, phrase.text, PERSON_CONFIDENCE["role"], False,
            role_head=token.lemma_, indefinite=determiner in ("a", "an", "one"),
        )

    def _from_referent(self, referent: Referent | None, mention: str, how: str) -> Speaker | None:
        if referent is None or not referent.party:
            return None
        return Speaker(referent.name, referent.country, mention, PERSON_CONFIDENCE[how], referent.is_person, titles=frozenset(referent.titles))

    def _named_military(self, country: str, generic: str) -> Actor | None:
        """The one military body of `country` (a dictionary actor of kind military other than the
        generic one) the article names, for "the South Korean military" when the article also
        names "South Korea's Joint Chiefs of Staff"; None when it names none or several."""
        named = {m.actor.name: m.actor for m in self._actor_mentions()
                 if m.actor.kind == "military" and m.actor.country == country and m.actor.name != generic}
        return next(iter(named.values())) if len(named) == 1 else None

    def _only_person_of(self, country: str) -> tuple[str, str] | None:
        """(name, country) of the one person of `country` the article names, by the actor
        dictionary or as a person named so far ("Kosovo's prime minister has said ..." before
        "Albin Kurti said"); None when it names none or several."""
        if not country:
            return None
        names = {m.actor.name for m in self._dictionary_people() if m.actor.country == country}
        names |= {r.name for r in self.referents if r.is_person and r.party and r.country == country}
        return (names.pop(), country) if len(names) == 1 else None

    def _actor_mentions(self) -> list[Mention]:
        """Every actor of the dictionary the article names, in text order (found once per article)."""
        if self._actors_named is None:
            self._actors_named = [m for m in self.lex.actors.find_in(self.text) if m.actor is not None]
        return self._actors_named

    def _dictionary_people(self) -> list[Mention]:
        """The people of the actor dictionary the article names, in text order."""
        return [m for m in self._actor_mentions() if m.actor.kind == "person"]

    def _armed_group_named_before(self, position: int) -> Actor | None:
        """The armed group of the actor dictionary named last before `position` in the article,
        unless another organisation (of the dictionary, or a non-party one such as Human Rights
        Watch) was named after it: "the group" is then that one."""
        if self._organisations is None:
            text = self.text.lower()
            named = [(m.end, m.actor) for m in self._actor_mentions() if m.actor.kind in ("armed_group", "organisation")]
            named += [(m.end(), None) for term in self.lex.terms.by_kind.get("non_party_org", ())
                      for m in re.finditer(r"\b" + re.escape(term) + r"\b", text)]
            self._organisations = sorted(named, key=lambda n: n[0])
        latest = next((actor for end, actor in reversed(self._organisations) if end <= position), None)
        return latest if latest is not None and latest.kind == "armed_group" else None

    def _press_unit_owner(self, head: Token) -> Token | None:
        """The body a press service belongs to (`press_unit`): the possessor ("the ministry's press
        service": the latest organisation named with that word, in this sentence), else the last
        organisation of its "of" chain ("the press service of the X branch of the Y Committee")."""
        unit = " ".join([c.lower_ for c in head.children if c.dep_ == "compound" and c.i < head.i] + [head.lemma_.lower()])
        if not self.lex.terms.has("press_unit", unit):
            return None
        doc = head.doc
        for child in head.children:
            if child.dep_ == "poss":
                if child.ent_type_ == "ORG":
                    return child
                named = [e for e in doc.ents if e.label_ == "ORG" and e.end <= child.i and child.lower_ in e.text.lower().split()]
                return named[-1].root if named else None
        owner, token = None, head
        while True:
            of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            token = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if token is None:
                return owner
            if token.ent_type_ == "ORG":
                owner = token

    def _unparsed_since(self, referent: Referent | None, sentence: Sentence) -> int | None:
        """Where the text never parsed between `referent`'s sentence and `sentence` starts (the
        end of the referent's sentence); None when there is no such text."""
        start = self._sentence_ends.get(referent.sentence) if referent is not None else None
        return start if start is not None and start < sentence.start else None

    def _without_leading_titles(self, words: list[str]) -> list[str]:
        """A name's words without the titles, places and function words before it ("Foreign
        Minister Teodora Lask" -> "Teodora Lask"; "On Twitter" -> "Twitter")."""
        while words and (self.lex.terms.has("title", words[0].lower()) or self.lex.places.country_of(words[0])
                         or words[0].lower() in STOP_WORDS):
            words = words[1:]
        return words

    def _person_opening_since(self, referent: Referent | None, sentence: Sentence) -> Referent | None:
        """The person whose name opens the last sentence never parsed between `referent`'s sentence
        and this one ("Garcia, whose presence ..., was more cautious." before "he said"): "he" is
        the subject of that sentence. A one-word name must be the surname of somebody named before."""
        start = self._unparsed_since(referent, sentence)
        if start is None:
            return None
        found: Actor | Referent | None = None
        for match in SENTENCE_OPENING_NAME.finditer(self.text, start, sentence.start):
            words = self._without_leading_titles(match.group(1).split())
            if not words or any(self.lex.terms.has("org_word", w.lower()) or self.lex.places.country_of(w) or self.lex.terms.has("title", w.lower()) for w in words):
                continue
            name = " ".join(words)
            actor = self._lookup_person(name)
            if actor is not None and actor.kind == "person":
                found = actor
            elif len(words) == 1:
                found = self._by_surname(name, before=sentence.index) or found
        if isinstance(found, Actor):
            return self._remember_person(found.name, set(), found.country, sentence.index - 1)
        return found

    def _titled_person_since(self, referent: Referent | None, sentence: Sentence) -> Referent | None:
        """The person the text names with a title ("India's finance minister Arun Jaitley spelt out
        ...") in the sentences that were never parsed between `referent`'s sentence and this one:
        "he" is that later person."""
        start = self._unparsed_since(referent, sentence)
        if start is None:
            return None
        found = None
        for match in TITLED_NAME.finditer(self.text, start, sentence.start):
            title, words = match.group(1), match.group(2).split()
            if title.lower() in INTRODUCTION_LINKS or not (self.lex.terms.has("title", title.lower()) or self.lex.terms.has("role", title.lower())):
                continue
            if any(self.lex.terms.has("title", w.lower()) or self.lex.terms.has("org_word", w.lower()) or self.lex.places.country_of(w) for w in words):
                continue
            found = match
        if found is None:
            return None
        name = found.group(2)
        actor = self._lookup_person(name)
        if actor is not None and actor.kind != "person":
            return None
        country = _country_introducing_at(found.start(2), self.text, self.lex)
        return self._remember_person(name, {found.group(1).lower()}, country, sentence.index - 1)

    def _last_speaker(self, sentence_index: int) -> Referent | None:
        """Whoever spoke last in the six sentences before this one."""
        for index in range(sentence_index - 1, max(-1, sentence_index - 7), -1):
            if self.speakers_by_sentence.get(index):
                return self.speakers_by_sentence[index][-1]
        return None

    def _last_person_speaker(self, sentence_index: int) -> Referent | None:
        """The last person who spoke in the `ROLE_REFERENCE_WINDOW` sentences before this one."""
        for index in range(sentence_index - 1, max(-1, sentence_index - 1 - ROLE_REFERENCE_WINDOW), -1):
            spoke = [r for r in self.speakers_by_sentence.get(index, []) if r.is_person]
            if spoke:
                return spoke[-1]
        return None

    def _last_person(self, sentence_index: int) -> Referent | None:
        """The person who spoke in, else the first person named in, the nearest earlier sentence."""
        for index in range(sentence_index - 1, max(-1, sentence_index - 6), -1):
            spoke = [r for r in self.speakers_by_sentence.get(index, []) if r.is_person]
            if spoke:
                return spoke[0]
            named = [r for r in self.referents if r.is_person and r.sentence == index]
            if named:
                return named[0]
        return None

    def _last_group(self, sentence_index: int) -> Referent | None:
        for index in range(sentence_index - 1, max(-1, sentence_index - 6), -1):
            spoke = [r for r in self.speakers_by_sentence.get(index, []) if not r.is_person]
            if spoke:
                return spoke[0]
        return None

    def _last_group_named(self, word: str, sentence_index: int) -> Referent | None:
        """"The ministry added ...": the latest body whose name holds the word."""
        word = word.lower()
        return next(
            (r for r in sorted(self.referents, key=lambda r: r.sentence, reverse=True)
             if not r.is_person and r.sentence <= sentence_index and word in r.name.lower().split()),
            None,
        )

    def _last_with_title(self, title: str, sentence_index: int) -> Referent | None:
        return next(
            (r for r in sorted(self.referents, key=lambda r: r.sentence, reverse=True)
             if r.sentence <= sentence_index and title.lower() in r.titles),
            None,
        )

    # -- phrases ----------------------------------------------------------------------------------
    def phrase(self, token: Token) -> Span:
        """The speaker's noun phrase, without relative clauses, descriptions or trailing commas."""
        doc = token.doc
        left = token.i
        for t in token.subtree:
            if t.i < token.i and not self._in_excluded_branch(t, token):
                left = min(left, t.i)
        right = token.i
        for t in token.subtree:
            if t.i > token.i and not self._in_excluded_branch(t, token):
                right = max(right, t.i)
        while right > left and doc[right].is_punct:
            right -= 1
        while left < right and doc[left].is_punct:
            left += 1
        return doc[left:right + 1]

    @staticmethod
    def _in_excluded_branch(t: Token, top: Token) -> bool:
        while t.i != top.i:
            if t.dep_ in ("relcl", "acl", "advcl", "appos", "punct", "cc", "conj") and t.head.i == top.i or t.dep_ == "relcl":
                return True
            t = t.head
        return False

    def _person_in(self, head: Token, phrase: Span) -> Span | None:
        """A person's name heading the phrase (or in apposition to its head: "the operative, X")."""
        doc = head.doc
        inside = [e for e in doc.ents if e.label_ == "PERSON" and e.start < phrase.end and e.end > phrase.start]
        inside = [e for e in inside if not self._is_place_or_group(e.text)]
        if inside:
            containing = [e for e in inside if e.start <= head.i < e.end]
            # "President Dr. Mohamed Irfaan Ali, during his Independence Day speech": the name the head introduces
            attached = [e for e in inside if e.root.head.i == head.i and e.root.dep_ in ("appos", "compound", "flat")]
            return _extend_name(containing[0] if containing else attached[0] if attached else inside[-1])
        # "the operative, Mohammed al-Tabatabai": the first name in apposition
        for child in sorted(head.children, key=lambda c: c.i):
            if child.dep_ in ("appos", "conj") and child.ent_type_ == "PERSON":
                named = [e for e in doc.ents if e.start <= child.i < e.end and not self._is_place_or_group(e.text)]
                if named:
                    return _extend_name(named[0])
        if head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "NORP", "ORG", "LOC", "FAC", "DATE", "TIME", "EVENT", "WORK_OF_ART"):
            chain = [t for t in doc[phrase.start:head.i + 1] if t.pos_ == "PROPN" or t.text in "-."]
            names = [t for t in chain if not self.lex.terms.has("title", t.lower_)]
            while names and continues_hyphenated_title(names[0]):  # "the president-elect"
                names = names[1:]
            if names and names[0].text[:1].isupper() and not self._is_place_or_group(" ".join(t.text for t in names)):
                return doc[names[0].i:head.i + 1]
        return None

    def _is_place_or_group(self, text: str) -> bool:
        actor = self.lex.actors.lookup(text)
        if actor is not None:
            return actor.kind != "person"
        return self.lex.places.country_of(text) is not None

    def _person_name(self, span: Span) -> tuple[str, set[str]]:
        """A person's name without titles ("Mr.", "Brigadier General"), and those titles."""
        words = [t for t in span if not t.is_punct or t.text in "-."]
        titles = set()
        while words and (self.lex.terms.has("title", words[0].lower_) or words[0].text == "."):
            titles.add(words[0].lower_)
            words = words[1:]
        while words and words[-1].text in ("'s", "’s", "."):
            words = words[:-1]
        if not words:
            return "", titles
        text = span.doc.text[words[0].idx:words[-1].idx + len(words[-1])]
        return text.strip(), titles

    def _titles_in(self, phrase: Span, person: Span) -> set[str]:
        return {
            t.lemma_.lower() for t in phrase
            if not (person.start <= t.i < person.end)
            and (self.lex.terms.has("title", t.lower_) or self.lex.terms.has("role", t.lemma_))
            and t.lower_ not in ("of", "state", "mr.", "mr")
        }

    def _actor_heading(self, head: Token, phrase: Span):
        """A dictionary actor whose mention covers the head of the phrase ("the Pentagon")."""
        for match in self.lex.actors.find_in(phrase.text):
            start, end = phrase.start_char + match.start, phrase.start_char + match.end
            if start <= head.idx < end and match.actor is not None:
                return match
        return None

    def _described_as_non_party(self, head: Token, phrase: Span) -> bool:
        """"Lena Strube, a senior fellow at the X Institute", "Ines Dahl of the Y Centre",
        "a former defence official who now lectures": commentators, not parties."""
        doc = head.doc
        windows = [phrase]
        for child in head.children:
            if child.dep_ in ("appos", "acl") or (child.dep_ == "prep" and child.lower_ in ("of", "at", "from", "with")):
                windows.append(doc[child.left_edge.i:child.right_edge.i + 1])
        # a current post ("African Union envoy X, a former Nigerian president") outweighs a past one
        has_post = any(self.lex.terms.has("role", t.lemma_) for t in phrase if t.i != head.i)
        for window in windows:
            for token in window:
                word = token.lower_
                if has_post and word in PAST_POST_WORDS:
                    continue
                if (self.lex.terms.has("non_party", token.lemma_) or self.lex.terms.has("non_party", word)
                        or self.lex.terms.has("think_tank", word)):
                    return True
        return self.lex.terms.has("non_party_org", _strip_determiner(phrase.text).lower())

    def _is_non_party(self, head: Token, phrase: Span) -> bool:
        if self.lex.terms.has("non_party", head.lemma_) or self.lex.terms.has("non_party_org", _strip_determiner(phrase.text).lower()):
            return True
        text = _strip_determiner(phrase.text)
        if self.lex.outlets.is_outlet(text) or (head.ent_type_ == "ORG" and self.lex.outlets.is_outlet(_entity_text(head))):
            actor = self.lex.actors.lookup(text)
            return actor is None or actor.kind != "state_media"
        return False

    def _role_phrase_text(self, head: Token, phrase: Span) -> str:
        """The role as written; `of which` takes the words it stands for ("a key operative of the
        Iraq-based militias")."""
        text = phrase.text
        relative = next((t for t in phrase if t.lower_ in ("which", "whom") and t.dep_ == "pobj"), None)
        antecedent = _relative_antecedent(head)
        if relative is not None and antecedent is not None:
            ante = _noun_phrase_text(antecedent)
            text = phrase.doc.text[phrase.start_char:relative.idx] + ante + phrase.doc.text[relative.idx + len(relative):phrase.end_char]
        if phrase[0].dep_ == "det" and phrase[0].lower_ in ("a", "an", "the"):
            text = text[0].lower() + text[1:]
        return text.strip()

    # -- countries --------------------------------------------------------------------------------
    def country_around(self, head: Token, phrase: Span) -> str:
        """The country the words around a speaker place it in, '' when they don't."""
        doc = head.doc
        # the words up to the head first: "Iran's mission to the United Nations" speaks for Iran
        windows = [doc[phrase.start:head.i + 1], phrase]
        for child in head.children:
            if child.dep_ in ("appos", "acl", "advcl") and child.i > head.i:
                windows.append(doc[child.left_edge.i:child.right_edge.i + 1])
        if head.dep_ in ("dobj", "nsubjpass"):  # "cited X — described by the agency as PMF's chief — as saying"
            for sibling in head.head.children:
                if sibling.dep_ in ("advcl", "acl") and sibling.lemma_ in ("describe", "identify", "know", "name"):
                    windows.append(doc[sibling.left_edge.i:sibling.right_edge.i + 1])
        listing = head.head if head.dep_ == "pobj" else None
        if listing is not None and listing.lower_ in LISTING_WORDS and listing.head.i != listing.i:
            group = listing.head
            windows.append(doc[group.left_edge.i:group.i + 1])
        antecedent = _relative_antecedent(head)
        if antecedent is not None and any(t.lower_ in ("which", "whom") for t in phrase):
            windows.append(doc[antecedent.left_edge.i:antecedent.i + 1])
        for window in windows:
            country = self._country_in_text(window.text)
            if country:
                return country
        return ""

    def _country_in_text(self, text: str) -> str:
        return country_named(text, self.lex)


def country_named(text: str, lexicon: SpeakerLexicon, exclude: str = "") -> str:
    """The first country a text names through an actor, else a place or demonym ("Tehran-backed"
    names no country of the speaker's: the place only backs them); `exclude` is skipped."""
    for match in lexicon.actors.find_in(text):
        if match.actor is not None and match.actor.country and match.actor.country != exclude:
            return match.actor.country
    for match in lexicon.places.find_in(text):
        if match.country and match.country != exclude and not BACKER_SUFFIX.match(text[match.end:]):
            return match.country
    return ""


def most_named_country(text: str, lexicon: SpeakerLexicon, said: Sequence[tuple[int, int]] = ()) -> str:
    """The country a text names most outside what its speakers said (`said`: offsets), through
    places, demonyms and actors (the first named wins a tie); "" when it names none there.
    Measured on the real corpus's train split, the country of a speaker no rule could place is
    this one about 57% of the time, and one the article names in 95%: a learned ranker over
    mention counts and distances did no better (58%)."""
    def outside(mention) -> bool:
        return not any(start <= mention.start < end for start, end in said)

    counts: Counter[str] = Counter(m.country for m in lexicon.places.find_in(text) if m.country and outside(m))
    counts.update(m.actor.country for m in lexicon.actors.find_in(text) if m.actor is not None and m.actor.country and outside(m))
    return max(counts, key=counts.__getitem__) if counts else ""


# A title word and the name after it ("minister Arun Jaitley", "President Daniel Noboa")
# a run of capitalised words opening a sentence or paragraph, up to the comma or verb after it
SENTENCE_OPENING_NAME = re.compile(r"(?:^|(?<=[.!?][\"”’]\s)|(?<=[.!?]\s)|(?<=\n))\s*((?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’-]+)(?=,|\s+[a-z])")
TITLED_NAME = re.compile(r"\b([A-Za-z]+)\s+((?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+)\b")
PARTICLE_ALTERNATIVES = "|".join(sorted(NAME_PARTICLES))  # for a regular expression: "abu|al|bin|..."


# ", the foreign minister of Bahrain," after a name: a description opening with an article, up to the
# next comma or stop
APPOSITION_AFTER = re.compile(r",\s+((?:a|an|the)\s+[^,.;:()]{3,120}?)(?=[,.;:])")
# Words that may stand between a country and the name it introduces ("the President of
# Tajikistan Emomali Rahmon", "the spokesperson for the Moldovan government, Daniel Vode").
INTRODUCTION_LINKS = frozenset({"of", "the", "for", "'s", "’s"})


def country_introducing(name: str, text: str, lexicon: SpeakerLexicon) -> str:
    """The country in the title that introduces a person somewhere in the article: read back from
    each mention of the full name over capitalised words, title and role words and of/the/for
    ("Kyrgyz President Sadyr Japarov"), crossing a comma only right before the name, else in the
    description after it (`_country_in_apposition_after`). Any other word stops the reading back,
    so "Maduro requested a meeting with Ali" places Ali nowhere."""
    for match in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
        country = _country_introducing_at(match.start(), text, lexicon) or _country_in_apposition_after(match.end(), text, lexicon)
        if country:
            return country
    return ""


def _country_in_apposition_after(position: int, text: str, lexicon: SpeakerLexicon) -> str:
    """The country of the description set off by a comma right after a name, when it holds a title
    or role word: "Abdullatif bin Rashid Al-Zayani, the foreign minister of Bahrain, and ..."."""
    found = APPOSITION_AFTER.match(text, position)
    if found is None:
        return ""
    words = [w.strip("\"'“”‘’()").lower() for w in found.group(1).split()]
    if not any(lexicon.terms.has("title", w) or lexicon.terms.has("role", w) for w in words):
        return ""
    return country_named(found.group(1), lexicon)


def _country_introducing_at(position: int, text: str, lexicon: SpeakerLexicon) -> str:
    """The country in the title words the text writes right before `position` (see `country_introducing`)."""
    words = text[max(0, position - 150):position].split()
    taken: list[str] = []
    for index, word in enumerate(reversed(words)):
        bare = word.strip(",;:()\"'“”‘’").lower()
        abbreviated_title = word.endswith(".") and lexicon.terms.has("title", bare)  # "Pentagon spokesman Capt. Jeff Davis"
        if (word.endswith((".", "!", "?", ";", ":")) and not abbreviated_title) or (word.endswith(",") and index > 0):
            break
        if not bare or not (word[0].isupper() or bare in INTRODUCTION_LINKS
                            or lexicon.terms.has("title", bare) or lexicon.terms.has("role", bare)):
            break
        taken.append(word)
    return country_named(" ".join(reversed(taken)), lexicon)


def person_with_title(title: str, text: str, lexicon: SpeakerLexicon, *, country: str = "", before: int = 0) -> tuple[str, str] | None:
    """(name, country) of the person the article introduces with a title word, for a role phrase
    that refers back or ahead to them ("the top government spokesman" for "Chief Cabinet Secretary
    and top government spokesman Yoshimasa Hayashi", "the Greek Prime Minister" for "Greek Prime
    Minister Kyriakos Mitsotakis"): the last such person before offset `before`, else the first
    after; only people of `country` when the role names one; none when a bare title ("the
    minister") fits several people."""
    titled = _titled_people(title, text, lexicon)
    found = [f for f in titled if not country or f[2] == country]
    unplaced = {f[1] for f in titled if not f[2]}
    if country and not found and len(unplaced) == 1:  # "Moroccan foreign minister" for the one "Foreign Minister X" placed nowhere
        found = [(f[0], f[1], country) for f in titled if not f[2]]
    earlier = [f for f in found if f[0] < before]
    if len(title.split()) == 1 and not country and len({f[1] for f in (earlier or found)}) > 1:
        return None  # "the minister" after two ministers: which one is the parser's guess
    chosen = earlier[-1] if earlier else (found[0] if found else None)
    return (chosen[1], chosen[2]) if chosen else None


ACRONYM = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")


def spelled_out(name: str, text: str) -> str:
    """An acronym's long form where the article spells it out before it in brackets ("the March 23
    Movement (M23)", "United Nations Support Mission in Libya (UNSMIL)"): the shortest run of the
    words before the brackets that starts with a capitalised word holding the acronym's first
    character, of two or more words, and that holds the acronym's characters in order; else the name."""
    if len(name) > 10 or not ACRONYM.fullmatch(name):
        return name
    letters = name.replace("-", "").upper()
    for match in re.finditer(r"\(\s*" + re.escape(name) + r"\s*\)", text):
        words = text[max(0, match.start() - 120):match.start()].split()[-10:]
        for start in range(len(words) - 2, -1, -1):
            run = words[start:]
            if any(w.endswith((",", ".", ";", ":")) for w in run[:-1]):
                break
            first = run[0].strip("\"'“‘(")
            if not first[:1].isupper() and not first[:1].isdigit() or first[:1].upper() != letters[0]:
                continue
            if _holds_in_order(" ".join(run).upper(), letters):
                return " ".join(run).strip("\"'“”‘’(),")
    # "(SPLA-IO, the Sudan People's Liberation Army In Opposition)", "AMLO" for "Andres Manuel Lopez Obrador":
    # a run of capitalised words whose initials are the acronym's letters
    for match in re.finditer(r"(?:\b[A-Z][\w'’]*(?:-[A-Z][\w'’]*)?(?:\s+(?:of|in|the|for|and|de|del|du|la)(?=\s+[A-Z]))?\s+){1,9}[A-Z][\w'’]*(?:-[A-Z][\w'’]*)?", text):
        words = re.findall(r"[\w'’]+", match.group(0))
        for start in range(len(words)):
            run = words[start:]
            if "".join(w[0] for w in run).upper() == letters or "".join(w[0] for w in run if w[0].isupper()) == letters:
                return match.group(0)[match.group(0).index(run[0]):]
            if len(run) < len(letters):
                break
    return name


def _holds_in_order(text: str, letters: str) -> bool:
    position = 0
    for letter in letters:
        position = text.find(letter, position) + 1
        if position == 0:
            return False
    return True


def _titled_people(title: str, text: str, lexicon: SpeakerLexicon) -> list[tuple[int, str, str]]:
    """(offset, name, country) of each person the article writes right after a title word."""
    found: list[tuple[int, str, str]] = []
    title_pattern = r"\s+".join(re.escape(word) for word in title.split())
    for match in re.finditer(r"(?i:\b" + title_pattern + r")\s+([A-Z][\w'’.-]*\s+(?:(?:[A-Z][\w'’.-]*|" + PARTICLE_ALTERNATIVES + r")\s+){0,5}[A-Z][\w'’-]+|[A-Z][\w'’-]+)", text):
        words = match.group(1).split()
        # titles and places before the name go, but a name may begin with a place word ("Foreign Minister Israel Katz")
        while words and (lexicon.terms.has("title", words[0].lower()) or (lexicon.places.country_of(words[0]) and len(words) > 2)):
            words = words[1:]
        if (len(words) < 2
                or any(lexicon.terms.has("org_word", w.lower()) or lexicon.places.country_of(w) for w in words[1:])):
            continue
        name = " ".join(words)
        actor = lexicon.actors.lookup(name)
        if actor is not None and actor.kind != "person":
            continue
        name, placed = (actor.name, actor.country) if actor is not None else (name, "")
        # the country of this very title ("Dutch Prime Minister Mark Rutte") before the dictionary's (NATO's)
        here = _country_introducing_at(match.start(1), text, lexicon) or country_named(match.group(1)[:-len(words[-1])], lexicon)
        placed = here or placed or country_introducing(name, text, lexicon)
        found.append((match.start(), name, placed))
    return found


def country_leader(country: str, text: str, lexicon: SpeakerLexicon, *, before: int = 0) -> tuple[str, str] | None:
    """(name, country) of the leader a role word such as "the Turkish leader" stands for: the
    person of that country the article titles with a head-of-state or government title
    (`head_title`: "Turkish President Recep Tayyip Erdogan"), the last before offset `before`,
    else the first after; without a country, the one such person the article titles so."""
    found = sorted(f for title in lexicon.terms.by_kind.get("head_title", ()) for f in _titled_people(title, text, lexicon)
                   if not country or f[2] == country)
    if not country and len({f[1] for f in found}) != 1:
        return None
    earlier = [f for f in found if f[0] < before]
    chosen = earlier[-1] if earlier else (found[0] if found else None)
    return (chosen[1], chosen[2]) if chosen else None


def _could_hold(referent: Referent, role: str) -> bool:
    """Whether a person may be the one a role noun refers back to: a spokesperson's role is no
    minister's ("the foreign minister" after the ministry's spokesman spoke is somebody else), so a
    spokesperson role and a person titled otherwise exclude each other; a person of unknown titles
    may hold any role."""
    if not referent.titles:
        return True
    return (role.lower() in SPOKESPERSON_WORDS) == bool(referent.titles & SPOKESPERSON_WORDS)


def _hyphenated_word(token: Token) -> str:
    """The word a token ends, hyphens and all ("Talayi-Nik" for the token "Nik")."""
    doc, start = token.doc, token.i
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ and not doc[start - 2].whitespace_:
        start -= 2
    return doc[start:token.i + 1].text


def _is_acronym(token: Token) -> bool:
    """An organisation's acronym the parser took for a common noun ("MONUSCO")."""
    return len(token.text) >= 3 and ACRONYM.fullmatch(token.text) is not None


def _extend_name(name: Span) -> Span:
    """spaCy sometimes ends a name early ("Seyed Hashem" of "Seyed Hashem al-Heidari")."""
    doc, end = name.doc, name.end
    while end < len(doc) and (doc[end].pos_ == "PROPN" or (doc[end].text == "-" and end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN")) and doc[end].ent_type_ in ("", "PERSON"):
        end += 1
    return doc[name.start:end]


def _in_embedded_clause(token: Token) -> bool:
    """Whether a pronoun speaks inside a clause hung on something else ("what it called",
    "which it calls", "a building it said was ..."), not as the main clause's subject."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    return token.head.dep_ != "ROOT" or (before is not None and (before.lower_ in ("what", "which", "that") or before.pos_ in ("NOUN", "PROPN")))


def _subject_before(token: Token) -> Token | None:
    """The nearest subject (or passive agent) before `token` in its sentence that is a noun or a
    name: "it" in "the Israeli military struck a building it said ..." is the military."""
    subjects = [t for t in token.doc[:token.i] if t.pos_ in ("NOUN", "PROPN")
                and (t.dep_ == "nsubj" or (t.dep_ == "pobj" and t.head.dep_ == "agent"))]
    return subjects[-1] if subjects else None


def _copula_subject(token: Token) -> Token | None:
    """The subject a predicate noun describes ("X was the first leader to announce"): the speaker."""
    if token.dep_ != "attr" or token.head.lemma_ != "be":
        return None
    return next((c for c in token.head.children if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN")), None)


def _relative_antecedent(head: Token) -> Token | None:
    """For a speaker inside a relative clause ("militias, a key operative of which was quoted"),
    the noun the clause hangs on."""
    token = head
    while token.head.i != token.i:
        if token.dep_ == "relcl":
            return token.head
        token = token.head
    return None


def _noun_phrase_text(token: Token) -> str:
    doc = token.doc
    left = token.left_edge.i
    return doc[left:token.i + 1].text


def _entity_text(token: Token) -> str:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent.text
    return token.text


def _strip_determiner(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)
