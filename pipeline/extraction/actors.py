"""Who is speaking, and for whom: the actor dictionary, the places table and the news outlets.

Three editable data files feed this module (their header comments say how to extend them):
`data/actors.csv` (people, ministries, militaries, armed groups, state media),
`data/places.csv` (countries, aliases, demonyms, capitals, cities, seats of power) and
`data/news_outlets.csv` (news organisations: sources, never speakers).

All three share one matcher, `NameIndex`. A name is cut into word tokens, and each token is
normalised: diacritics, dots ("U.S."), apostrophes ("Hay'at"), a trailing possessive ("Iran's")
and case go; hyphens separate tokens ("al-Sadr" = "al Sadr"); middle initials ("Vladimir V.
Putin") and a leading "the" are skipped (but "The Hill" keeps it: one word after "The" could be
a common word). Three case rules keep common words out:

- a token spelled with a capital after its first letter ("US", "IRGC", "LeT") is an acronym
  and must match in exact case, so the pronoun "us" and the verb "let" never match;
- in running text (`find_in`), a name whose first word (after particles such as "al-") is
  capitalised must be capitalised there too: "Trump" matches, "trump card" does not;
- a person's one-word alias (a bare surname, "Khamenei") is refused right after another name
  word, so "Mojtaba Khamenei" is not read as Ali Khamenei; titles ("President", "Gen."),
  possessives, initials and clause-opening words may precede it.

The word lists these rules use (titles, function words, particles, prepositions) are module
constants below: they are grammar, not the dictionary a user extends.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from ..datafiles import DATA_DIR, read_data_rows

ACTOR_KINDS = ("person", "government", "military", "armed_group", "state_media", "organisation")
PLACE_KINDS = ("country", "alias", "demonym", "capital", "city", "institution", "region")
# A `region` row names an area that is no country's ("Latin America", "South China Sea"): it has
# no country and is never returned, but shadows the country words inside it ("America", "China").

# Words that may stand right before a bare surname: titles, ranks and roles ("President Putin",
# "Gen. Milley", "Hamas leader Sinwar", "his counterpart Araghchi").
TITLE_WORDS = frozenset("""
    mr mrs ms mx mme dr prof professor sir dame lord lady excellency highness majesty his her
    president vice prime premier chancellor minister ministers secretary leader supreme ruler
    king queen prince princess crown emir amir sultan sheikh shaikh sheikha sayyed sayyid sayed
    seyed seyyed ayatollah grand hojatoleslam imam mullah cleric mufti pope patriarch rabbi
    general gen lieutenant lt colonel col major maj brigadier brig admiral adm rear commodore
    captain capt sergeant sgt commander cmdr cdr marshal field chief chiefs head deputy acting
    former late then spokesman spokeswoman spokesperson spokespeople aide adviser advisor
    counsellor counselor envoy ambassador amb negotiator counterpart chairman chairwoman chair
    director senator sen representative rep congressman congresswoman lawmaker mp mk governor
    gov mayor speaker judge justice prosecutor strongman dictator autocrat warlord boss founder
    militant candidate nominee pm fm dm cds officer official incumbent elect designate
""".split())

# Capitalised words that open a clause before a name ("But Putin said", "On Monday Putin ...").
FUNCTION_WORDS = frozenset("""
    a an and as at but by for from if in into of on or so the then to when while with yet
    after before since because although though however meanwhile still also even only later
    earlier now today yesterday tomorrow tonight there here where why how what who which that
    this these those according says said tells told warns warned urges urged adds added asks
    vows threatens rejects accuses blames hails backs orders meets calls denies insists vs
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december
""".split())

# Name particles, written either case ("al-Sadr", "Al-Sadr"); the capital rule skips them.
PARTICLES = frozenset(
    "the al el ad ed an as ash at az bin ibn bint ben de da di du del der van von la le".split()
)

# A name preceded by one of these (across any titles) is the object of a phrase whose head lies
# earlier: "an adviser to Supreme Leader Khamenei", "a spokesman for the Pentagon".
PREPOSITIONS = frozenset("""
    of for to from at in on by with without about against between among near under over
    toward towards than behind beside like and or nor plus via
""".split())


class DataFileError(ValueError):
    """A data file is malformed: a missing column, an empty name, an unknown kind."""


@dataclass(frozen=True)
class Actor:
    """An entry of the actor dictionary: who speaks, for which country, as what."""

    name: str
    country: str
    kind: str


@dataclass(frozen=True)
class Mention:
    """A name found in a text: `text == source[start:end]`, with what it names."""

    start: int
    end: int
    text: str
    actor: Actor | None = None
    country: str | None = None


# ----------------------------------------------------------------------------- tokens

# A word's letters may carry combining marks: "İ".lower() is "i" and a combining dot (U+0307).
_LETTERS_RUN = r"[^\W_](?:[^\W_]|[\u0300-\u036f])*"
_WORD = re.compile(rf"(?:[^\W\d_]\.){{2,}}|{_LETTERS_RUN}(?:['\u2019\u2018\u02bc]{_LETTERS_RUN})*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# Letters NFKD does not decompose into a base letter plus a mark.
_LETTERS = str.maketrans({
    "\u0131": "i", "\u00f8": "o", "\u00d8": "O", "\u0142": "l", "\u0141": "L", "\u0111": "d",
    "\u0110": "D", "\u00e6": "ae", "\u00c6": "AE", "\u0153": "oe", "\u0152": "OE", "\u00df": "ss",
    "\u00fe": "th", "\u00de": "Th",
})


class _Token(NamedTuple):
    start: int
    end: int  # excludes a trailing possessive "'s"
    cased: str  # normalised, case kept: "US", "Sadr", "Iran"
    key: str  # `cased` casefolded: what the index is keyed by
    initial: bool  # a middle initial ("V." in "Vladimir V. Putin"), skipped when matching


@lru_cache(maxsize=1 << 16)
def _normalise_word(word: str) -> tuple[str, str, bool]:
    """A word without diacritics, dots, apostrophes and possessive, casefolded too; and whether
    it had a possessive."""
    if not word.isascii():
        word = word.translate(_APOSTROPHES)
    possessive = word[-2:] in ("'s", "'S")
    if possessive:
        word = word[:-2]
    if not word.isascii():
        word = unicodedata.normalize("NFKD", word.translate(_LETTERS))
        word = "".join(c for c in word if not unicodedata.combining(c))
    cased = word.replace(".", "").replace("'", "")
    return cased, cased.casefold(), possessive


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD.finditer(text):
        word = match.group()
        cased, key, possessive = _normalise_word(word)
        if not cased:
            continue
        start, end = match.span()
        initial = len(word) == 1 and word.isalpha() and text[end : end + 1] == "."
        tokens.append(_Token(start, end - 2 if possessive else end, cased, key, initial))
    return tokens


def _name_tokens(name: str) -> list[_Token]:
    """The tokens a phrase is matched by: its words without middle initials."""
    return [t for t in _tokens(name) if not t.initial]


def _key_tokens(name: str) -> list[_Token]:
    """The tokens a name is indexed by: a leading "the" is dropped ("the Kremlin" = "Kremlin"),
    except from a title of one more word, where it tells the name from a common word ("The
    Hill", "The Hindu", "The Hague")."""
    tokens = _name_tokens(name)
    if len(tokens) == 2 and tokens[0].cased == "The":
        return tokens
    while tokens and tokens[0].key == "the":
        tokens.pop(0)
    return tokens


def normalise(name: str) -> str:
    """The normalised form names are compared by: "Mr. al-Sadr's" -> "mr al sadr"."""
    return " ".join(t.key for t in _key_tokens(name))


def _is_acronym(cased: str) -> bool:
    return any(c.isupper() for c in cased[1:])


# ----------------------------------------------------------------------------- the matcher

V = TypeVar("V")

_EXACT, _CAPITAL, _ANY = 0, 1, 2
_END = ""  # the trie key under which a node keeps the entries of the names ending there


@dataclass(frozen=True)
class _Entry(Generic[V]):
    value: V
    rules: tuple[tuple[int, str], ...]  # per token: (case rule, cased spelling)
    bare: bool  # a person's one-word alias: guarded against a preceding name word
    head: bool  # may head a speaker phrase after a preposition (people do; bodies don't)

    def fits(self, tokens: list[_Token], *, in_text: bool) -> bool:
        for (rule, cased), token in zip(self.rules, tokens):
            if rule == _EXACT and token.cased != cased:
                return False
            if in_text and rule == _CAPITAL and not token.cased[:1].isupper():
                return False
        return True


def _rules(tokens: list[_Token]) -> tuple[tuple[int, str], ...]:
    """Per token, how its case must match: exact for acronyms; a capital initial for the first
    word that is not a particle ("Kim Jong-un" and "al-Sadr" keep their lower-case parts)."""
    rules = []
    capital_pending = True
    for token in tokens:
        if _is_acronym(token.cased):
            rule = _EXACT
        elif capital_pending and token.key not in PARTICLES:
            rule = _CAPITAL if token.cased[:1].isupper() else _ANY
            capital_pending = False
        else:
            rule = _ANY
        rules.append((rule, token.cased))
    return tuple(rules)


class NameIndex(Generic[V]):
    """Names (and their aliases) mapped to values, looked up whole, by suffix, or in a text.

    A token trie: `find` walks it from every word of the text, so the cost grows with the
    length of the text, not with the size of the dictionary.
    """

    def __init__(self) -> None:
        self._root: dict = {}

    def add(self, name: str, value: V, *, bare: bool = False, head: bool = False) -> None:
        """Index `name`; a later value for the same spelling replaces the earlier one."""
        tokens = _key_tokens(name)
        if not tokens:
            raise ValueError(f"name {name!r} has no words")
        node = self._root
        for token in tokens:
            node = node.setdefault(token.key, {})
        entries: list[_Entry[V]] = node.setdefault(_END, [])
        entry = _Entry(value, _rules(tokens), bare, head)
        entries[:] = [entry] + [e for e in entries if e.rules != entry.rules]

    def _entries_at(self, tokens: list[_Token]) -> list[_Entry[V]]:
        node = self._root
        for token in tokens:
            node = node.get(token.key)
            if node is None:
                return []
        return node.get(_END, [])

    def get(self, name: str) -> V | None:
        """The value of exactly this name (case-insensitive, except for acronyms)."""
        tokens = _name_tokens(name)
        while tokens:
            for entry in self._entries_at(tokens):
                if entry.fits(tokens, in_text=False):
                    return entry.value
            if tokens[0].key != "the":
                return None
            tokens = tokens[1:]
        return None

    def get_suffix(self, phrase: str) -> V | None:
        """The value of the longest known name the phrase ends with, when that name heads it.

        "Iranian Supreme Leader Seyed Ali Khamenei" ends with a name, so it names him; "an
        adviser to Ali Khamenei" and "a spokesman for the Pentagon" name their heads (the adviser,
        the spokesman), not the object of the preposition, and give None. Only names listed as
        able to head such a phrase (people) are accepted after an earlier preposition ("Secretary
        of State Mike Pompeo", "Commander of the Quds Force Esmail Qaani").
        """
        tokens = _name_tokens(phrase)
        for i in range(len(tokens)):
            tail = tokens[i:]
            for entry in self._entries_at(tail):
                if entry.fits(tail, in_text=False) and self._heads(tokens, i, entry, phrase):
                    return entry.value
        return None

    @staticmethod
    def _heads(tokens: list[_Token], i: int, entry: _Entry[V], phrase: str) -> bool:
        if i == 0:
            return True
        if not entry.head and any(t.key in PREPOSITIONS for t in tokens[:i]):
            return False
        j = i - 1  # walk back over titles: "an adviser to Supreme Leader Ali Khamenei"
        while j >= 0 and (tokens[j].key in TITLE_WORDS or tokens[j].key == "the"):
            j -= 1
        if j >= 0 and tokens[j].key in PREPOSITIONS:
            return False
        return not entry.bare or _bare_allowed(tokens, i, phrase, in_text=False)

    def find(self, text: str) -> list[tuple[int, int, V]]:
        """Every name in the text as (start, end, value): longest first, non-overlapping."""
        all_tokens = _tokens(text)
        stream = [k for k, t in enumerate(all_tokens) if not t.initial]
        candidates: list[tuple[int, int, int, V]] = []  # (-length, first, last, value)
        for s in range(len(stream)):
            node = self._root
            best: tuple[int, V] | None = None
            for e in range(s, len(stream)):
                node = node.get(all_tokens[stream[e]].key)
                if node is None:
                    break
                entries = node.get(_END)
                if entries:
                    span = [all_tokens[k] for k in stream[s : e + 1]]
                    for entry in entries:
                        if entry.fits(span, in_text=True) and (
                            not entry.bare
                            or _bare_allowed(all_tokens, stream[s], text, in_text=True)
                        ):
                            best = (e, entry.value)
                            break
            if best is not None:
                candidates.append((s - best[0] - 1, s, best[0], best[1]))
        taken: list[bool] = [False] * len(stream)
        chosen = []
        for _, first, last, value in sorted(candidates, key=lambda c: (c[0], c[1])):
            if not any(taken[first : last + 1]):
                taken[first : last + 1] = [True] * (last - first + 1)
                start, end = all_tokens[stream[first]].start, all_tokens[stream[last]].end
                chosen.append((start, end, value))
        return sorted(chosen, key=lambda c: c[0])


def _bare_allowed(tokens: list[_Token], k: int, text: str, *, in_text: bool) -> bool:
    """Whether the bare surname `tokens[k]` may follow the words before it.

    Particles are skipped ("Maher al-Assad" is checked at "Maher"). Allowed before it: nothing,
    punctuation or a possessive, an initial, a title or a function word; in running text also a
    lower-case word or an acronym (neither is a given name).
    """
    while k > 0:
        previous, token = tokens[k - 1], tokens[k]
        if text[previous.end : token.start].strip(" \t\n-"):  # punctuation, possessive
            return True
        if previous.key in PARTICLES and previous.key != "the":
            k -= 1
            continue
        if previous.initial or len(previous.cased) == 1:
            return True
        if previous.key in TITLE_WORDS or previous.key in FUNCTION_WORDS:
            return True
        if in_text:
            return not previous.cased[:1].isupper() or previous.cased.isupper()
        return False
    return True


# ----------------------------------------------------------------------------- loading


def _aliases(field: str) -> list[str]:
    return [a.strip() for a in field.split("|") if a.strip()]


def _require(row: dict[str, str], columns: Iterable[str], path: Path, number: int) -> None:
    missing = [c for c in columns if not row.get(c)]
    if missing:
        raise DataFileError(
            f"{path}: data row {number}: empty or missing {', '.join(missing)}: {row}"
        )


def _check_kind(kind: str, valid: tuple[str, ...], path: Path, number: int) -> None:
    if kind not in valid:
        raise DataFileError(
            f"{path}: data row {number}: unknown kind {kind!r} (valid: {', '.join(valid)})"
        )


class ActorDictionary:
    """The actors of `data/actors.csv` (and any further files), found by any of their names."""

    def __init__(self, actors: Iterable[tuple[Actor, Iterable[str]]] = ()) -> None:
        self._index: NameIndex[str] = NameIndex()  # spelling -> actor name
        self._actors: dict[str, Actor] = {}
        for actor, aliases in actors:
            self.add(actor, aliases)

    @classmethod
    def load(cls, *paths: str | Path) -> "ActorDictionary":
        """The dictionary of the given files (default: `data/actors.csv`); later files win."""
        dictionary = cls()
        for path in paths or (DATA_DIR / "actors.csv",):
            path = Path(path)
            for number, row in enumerate(read_data_rows(path), start=1):
                _require(row, ("name", "country", "kind"), path, number)
                _check_kind(row["kind"], ACTOR_KINDS, path, number)
                actor = Actor(row["name"], row["country"], row["kind"])
                dictionary.add(actor, _aliases(row.get("aliases", "")))
        return dictionary

    def add(self, actor: Actor, aliases: Iterable[str] = ()) -> None:
        """Index an actor under its name and aliases; an actor of the same name is replaced
        (a demo file may redefine one), and keeps its other aliases."""
        self._actors[actor.name] = actor
        person = actor.kind == "person"
        name_words = len(_key_tokens(actor.name))
        for spelling in (actor.name, *aliases):
            bare = person and name_words > 1 and len(_key_tokens(spelling)) == 1
            self._index.add(spelling, actor.name, bare=bare, head=person)

    def __len__(self) -> int:
        return len(self._actors)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._actors.values())

    def lookup(self, mention: str) -> Actor | None:
        """The actor a speaker phrase names, or None.

        The phrase names an actor when it is, or ends with, one of the actor's names; titles
        and descriptions before the name are allowed ("Iranian Supreme Leader Seyed Ali
        Khamenei"). A phrase whose head is someone else gives None, even when it contains an
        actor: "Islamic Revolution Guards Corps Aerospace Force Commander Brigadier General X"
        is X (None when X is not listed), never the IRGC.
        """
        name = self._index.get_suffix(mention)
        return self._actors[name] if name is not None else None

    def find_in(self, text: str) -> list[Mention]:
        """Every actor named in the text, in text order (longest names first, no overlaps)."""
        mentions = []
        for start, end, name in self._index.find(text):
            actor = self._actors[name]
            mentions.append(Mention(start, end, text[start:end], actor, actor.country))
        return mentions


@lru_cache(maxsize=1)
def _territory_names() -> dict[str, str]:
    """CLDR's English names of the ISO territory codes ("PK" -> "Pakistan"), read once."""
    from babel import Locale  # imported on first use: most runs never read a url's domain

    return dict(Locale("en").territories)


class Places:
    """Countries and the words that stand for them: aliases, demonyms, capitals, seats of power."""

    def __init__(self) -> None:
        self._index: NameIndex[tuple[str, str]] = NameIndex()
        self._countries: set[str] = set()
        self._demonyms: dict[str, str] = {}

    @classmethod
    def load(cls, *paths: str | Path) -> "Places":
        """The table of the given files (default: `data/places.csv`); later files win."""
        places = cls()
        for path in paths or (DATA_DIR / "places.csv",):
            path = Path(path)
            for number, row in enumerate(read_data_rows(path), start=1):
                region = row.get("kind") == "region"  # a region has no country
                needed = ("term", "kind") if region else ("term", "country", "kind")
                _require(row, needed, path, number)
                _check_kind(row["kind"], PLACE_KINDS, path, number)
                places.add(row["term"], row["country"], row["kind"])
        return places

    def demonym_of(self, country: str) -> str | None:
        """The first demonym listed for a country ("Pakistani" for Pakistan)."""
        return self._demonyms.get(country)

    def add(self, term: str, country: str, kind: str) -> None:
        if kind == "demonym" and country and term[:1].isupper():
            self._demonyms.setdefault(country, term)
        """Index a place word (a later row for the same spelling replaces the earlier one)."""
        self._index.add(term, (country if kind != "region" else "", kind))
        if kind == "country":
            self._countries.add(country)

    @property
    def countries(self) -> frozenset[str]:
        """The canonical country spellings (the rows of kind `country`)."""
        return frozenset(self._countries)

    def _get(self, term: str) -> tuple[str, str] | None:
        found = self._index.get(term)
        head, _, tail = term.strip().rpartition("-")
        compound = bool(head) and not any(c.isspace() for c in head)
        compound = compound and tail.isalpha() and tail.islower()
        if found is None and compound:
            # "Iraq-based", "Iranian-backed", "U.S.-led": the place before the hyphen; but not
            # "Iran-Iraq", which names two.
            found = self._index.get(head)
        return found

    def country_of(self, term: str) -> str | None:
        """The country a place word stands for: "Iranian", "Tehran", "the Kremlin" -> ..."""
        found = self._get(term)
        return (found[0] or None) if found else None

    def country_of_domain(self, url: str) -> str | None:
        """The country of a url's country-code top-level domain ("dawn.com.pk" -> Pakistan), named
        by the CLDR territory names Babel ships; None for .com, .org and the like."""
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower()).split("/")[0].split(":")[0]
        code = host.rsplit(".", 1)[-1].upper() if "." in host else ""
        code = {"UK": "GB"}.get(code, code)
        if len(code) != 2:
            return None
        name = _territory_names().get(code)
        return self.country_of(re.sub(r"\s*\(.*\)$", "", name)) if name else None

    def kind_of(self, term: str) -> str | None:
        """Which kind of place word `term` is (one of PLACE_KINDS), or None."""
        found = self._get(term)
        return found[1] if found else None

    def find_in(self, text: str) -> list[Mention]:
        """Every place word in the text, `.country` set ("Iraq" in "Iraq-based" too; not "America"
        in "Latin America")."""
        return [
            Mention(start, end, text[start:end], None, country)
            for start, end, (country, kind) in self._index.find(text)
            if kind != "region"
        ]


class NewsOutlets:
    """News organisations: "according to Reuters" cites a source, not a speaker."""

    def __init__(self) -> None:
        self._index: NameIndex[str] = NameIndex()

    @classmethod
    def load(cls, *paths: str | Path) -> "NewsOutlets":
        """The outlets of the given files (default: `data/news_outlets.csv`)."""
        outlets = cls()
        for path in paths or (DATA_DIR / "news_outlets.csv",):
            path = Path(path)
            for number, row in enumerate(read_data_rows(path), start=1):
                _require(row, ("name",), path, number)
                outlets.add(row["name"], _aliases(row.get("aliases", "")))
        return outlets

    def add(self, name: str, aliases: Iterable[str] = ()) -> None:
        """Index an outlet under its name and aliases."""
        for spelling in (name, *aliases):
            self._index.add(spelling, name)

    def is_outlet(self, mention: str) -> bool:
        """Whether the phrase is a news outlet's name ("Reuters", "the Associated Press")."""
        return self._index.get(mention) is not None

    def find_in(self, text: str) -> list[Mention]:
        """Every outlet named in the text (`.actor` and `.country` are None)."""
        return [Mention(start, end, text[start:end]) for start, end, _ in self._index.find(text)]
