"""Naming the proper nouns of a parsed sentence: people, organisations and places.

spaCy's statistical NER costs as much as tagging and parsing together, and on statement-dense
news it would halve the pipeline's speed. The parse already marks proper nouns (PROPN, joined
by `compound` links), and what we need to know about each one is exactly what our data knows:
the actor dictionary names people and organisations, the places table names countries, capitals
and demonyms, and a short list of words marks organisations ("Ministry", "Forces", "Agency").
What is left, a proper-noun chain of two or more words not known as anything else (after titles
like "Brigadier General" are set aside), is a person. The result is set as `doc.ents` with
spaCy's own labels, so the later stages read entities the usual way.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .actors import ActorDictionary, Places
from .attribution import AttributionTerms

# Lower-case words inside a person's name: "Badr bin Hamad Albusaidi", "Abu Mohammed al-Julani".
NAME_PARTICLES = frozenset({"al", "el", "bin", "bint", "ibn", "abu", "de", "da", "del", "von", "van", "la", "le"})
# Words that may sit inside a proper-noun chain: "Secretary of State", "Mohammed bin Salman".
CHAIN_LINKS = {"-", "of"} | NAME_PARTICLES


def label_names(doc: Doc, actors: ActorDictionary, places: Places, terms: AttributionTerms) -> Doc:
    """Set `doc.ents` from the proper nouns of a parsed sentence (see the module docstring)."""
    spans: list[Span] = []
    for start, end in _proper_noun_chains(doc):
        spans.extend(_classify_chain(doc[start:end], actors, places, terms))
    for token in doc:
        if token.pos_ == "ADJ" and token.text[:1].isupper() and places.country_of(token.text):
            spans.append(Span(doc, token.i, token.i + 1, label="NORP"))
    doc.ents = _non_overlapping(spans)
    return doc


def _proper_noun_chains(doc: Doc) -> list[tuple[int, int]]:
    chains = []
    i = 0
    while i < len(doc):
        if doc[i].pos_ != "PROPN":
            i += 1
            continue
        end = i + 1
        while end < len(doc):
            token = doc[end]
            if token.pos_ == "PROPN":
                end += 1
            elif token.lower_ in CHAIN_LINKS and end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN":
                end += 1
            elif token.text == "-" and not doc[end - 1].whitespace_ and not token.whitespace_ and end + 1 < len(doc) and doc[end + 1].is_alpha:
                end += 2  # a hyphenated given name: "Shin Won-sik", "Kim Yo-jong"
            else:
                break
        chains.append((i, end))
        i = end
    return chains


def _classify_chain(chain: Span, actors: ActorDictionary, places: Places, terms: AttributionTerms) -> list[Span]:
    doc = chain.doc
    text = chain.text
    actor = actors.lookup(text)
    if actor is not None and actor.kind != "person" and _names_whole(actor.name, text):
        return [Span(doc, chain.start, chain.end, label="ORG")]
    if places.country_of(text):
        kind = places.kind_of(text)
        return [Span(doc, chain.start, chain.end, label="NORP" if kind == "demonym" else "GPE")]
    found: list[Span] = []
    covered = set()
    for match in actors.find_in(text):
        span = doc.char_span(chain.start_char + match.start, chain.start_char + match.end, alignment_mode="expand")
        if span is None or match.actor is None:
            continue
        label = "PERSON" if match.actor.kind == "person" else "ORG"
        found.append(Span(doc, span.start, span.end, label=label))
        covered.update(range(span.start, span.end))
    rest = [t for t in chain if t.i not in covered]
    if any(terms.has("org_word", t.lower_) for t in rest):
        # "Ministry of Foreign Affairs Nazmul Huda": two or more proper nouns right after the last
        # organisation word (not after "of": "Ministry of Emergency Situations") are a person
        last_org = max(t.i for t in rest if terms.has("org_word", t.lower_))
        tail = [t for t in rest if t.i > last_org]
        while tail and (tail[0].lower_ == "of" or terms.has("title", tail[0].lower_)):  # "of Foreign Affairs"
            tail = tail[1:]
        if (not found and len(tail) >= 2 and all(t.pos_ == "PROPN" and not terms.has("title", t.lower_) and not places.country_of(t.text) for t in tail)
                and doc[tail[0].i - 1].lower_ != "of" and tail[-1].i == chain.end - 1 and tail[0].i == chain.end - len(tail)):
            return [Span(doc, chain.start, tail[0].i, label="ORG"), Span(doc, tail[0].i, chain.end, label="PERSON")]
        return found or [Span(doc, chain.start, chain.end, label="ORG")]
    # A person: what follows the titles ("Brigadier General Amir Ali Hajizadeh").
    tail = [t for t in rest if t.i > max(covered, default=-1)]
    titled = False
    while tail and (terms.has("title", tail[0].lower_) or tail[0].lower_ == "of" or places.country_of(tail[0].text)
                    or continues_hyphenated_title(tail[0])):
        titled = titled or not places.country_of(tail[0].text)  # "Ambassador to Manila MaryKay Carlson"
        tail = tail[1:]
    if tail and terms.has("title", tail[-1].lower_):
        return found  # "Federal Minister", "Deputy Inspector General": a title ending the chain, no name
    if tail and (len([t for t in tail if t.pos_ == "PROPN"]) >= 2 or titled) and not any(places.country_of(t.text) for t in tail):
        found.append(Span(doc, tail[0].i, tail[-1].i + 1, label="PERSON"))
    return found


def continues_hyphenated_title(token: Token) -> bool:
    """A hyphen or a word hyphenated to what precedes it ("-in-Chief" of "Commander-in-Chief",
    "-elect" of "president-elect"): never the start of a person's name."""
    return token.text == "-" or (token.i > 0 and token.doc[token.i - 1].text == "-" and not token.doc[token.i - 1].whitespace_)


def _names_whole(name: str, text: str) -> bool:
    """Whether the dictionary actor is the whole chain, not a part of a longer name."""
    return len(text.split()) <= len(name.split()) + 2


def _non_overlapping(spans: list[Span]) -> list[Span]:
    taken: set[int] = set()
    result = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if not any(i in taken for i in range(span.start, span.end)):
            result.append(span)
            taken.update(range(span.start, span.end))
    return sorted(result, key=lambda s: s.start)
