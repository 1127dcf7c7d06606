"""Who did it to whom: the side-aware reading of a deed a statement reports.

`pipeline.stance.rules` reads how a cue stands in its sentence; this module reads a reported
deed for sides. `is_claimed_deed` finds first-person claims ("we struck", "our forces have
destroyed"); with the speaker's country, `Sides.read_deed` tells a claim ("our forces struck 40
targets") from a report of fact ("six rockets struck the town"), a claim of success ("dozens of
enemy soldiers were killed"), an accusation ("Varesh has attacked us") and an interception
("shot down 30 of 38 drones").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .rules import ARMED_BODIES, FIRST_PERSON, MODALS, RELATIVE_PRONOUNS

if TYPE_CHECKING:
    from ..extraction.actors import Places
    from .lexicon import CueMatch

# Munitions: downing or destroying them is interception, a defensive fact ("shot down 30 of 38
# drones"), not a claimed attack (which "shot down five fighter jets" is).
MUNITIONS = frozenset({"drone", "missile", "rocket", "projectile", "shell", "uav", "warhead"})
LAUNCH_VERBS = frozenset({"fire", "launch"})  # their munitions are what was used, not what was hit
ENEMY_WORDS = frozenset({"enemy", "foe"})  # "dozens of enemy soldiers were killed": the other side
# Nouns by which a party names the armed groups it fights: "the militants had attacked a
# checkpoint" accuses them, as naming their country would.
HOSTILE_GROUPS = frozenset({"militant", "rebel", "insurgent", "gunman", "terrorist", "separatist", "jihadist", "mercenary", "invader", "occupier"})
# Verbs whose subject may be the weapon itself ("it struck a dry dock"): "it" is then no party.
IMPACT_VERBS = frozenset({"strike", "hit", "land", "fall", "explode", "crash"})
TARGET_PREPS = frozenset({"at", "on", "against", "into", "upon"})  # "fired rockets at our positions"
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "punct", "cc", "mark", "parataxis"})
OWN, OTHER, ARMED, IT = "own", "other", "armed", "it"  # the side a noun phrase names
THEY = "they"  # "they had fired rockets at Tarsenian positions": a group speaking of itself
PARTY = "party"  # an agent that is the other side itself ("Varesh", "Vareshi forces"), not its weapons


def is_claimed_deed(match: CueMatch) -> bool:
    """An action claimed by the speaker's side: a first-person agent ("we", "our forces") and a
    past, perfect or progressive verb with no modal ("we struck", "we have launched strikes",
    "we are carrying out an operation")."""
    if match.cue.kind != "action":
        return False
    root = match.root
    if root.pos_ == "VERB":
        verb = root
    elif root.dep_ in ("dobj", "nsubjpass") and root.head.pos_ == "VERB":
        verb = root.head
    else:
        return False
    auxes = {c.lemma_.lower() for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & MODALS:
        return False
    finite_past = verb.tag_ == "VBD" or (verb.tag_ == "VBN" and "have" in auxes) or (verb.tag_ == "VBG" and "be" in auxes)
    if not finite_past:
        return False
    agents = [c for c in verb.children if c.dep_ == "nsubj"]
    agents += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return any(
        a.lemma_.lower() in FIRST_PERSON or any(p.dep_ == "poss" and p.lemma_.lower() in FIRST_PERSON for p in a.children)
        for a in agents
    )


@dataclass(frozen=True)
class Deed:
    """A deed reported in the past (or as ongoing): its verb, and the sides of its agent and of
    its victim as `Sides.side_of` names them (OWN, OTHER, ARMED, IT or "")."""

    verb: Token
    agent: str
    victim: str
    named_agent: bool = False  # a doer is named, whatever its side ("the group", "rockets")
    munition: bool = False  # what it was done to is a munition: an interception

    @property
    def denied(self) -> bool:
        """Negated, the deed is denied on behalf of a doer that is not the other side ("the
        army has not returned fire", "the group had not fired on the town"): restraint or a
        denial. With no doer named ("no rockets were fired") it reports a fact."""
        return self.agent in (OWN, ARMED, IT, THEY) or (self.named_agent and self.agent not in (OTHER, PARTY))

    @property
    def reading(self) -> str:
        """"claim" (the speaker's side did it), "success" (the other side suffered it, no doer
        named), "accusation" (the other side, named as a party, did it: "Varesh has attacked
        us") or "fact" (its weapons did it, or no one named: "six rockets struck the town").

        The speaker's armed bodies, and "it" (an organisation speaking of itself), claim the deed
        unless the victim is the speaker's own; "it" with a verb of impact is the weapon. "They"
        (a group speaking of itself, or the enemy) claims only a deed done to the other side.
        A deed done to munitions ("shot down 30 drones") is an interception: a fact."""
        if self.munition:
            return "fact"
        if self.agent == OWN:
            return "claim"
        if self.agent == ARMED:
            return "fact" if self.victim == OWN else "claim"
        if self.agent == IT:
            return "fact" if self.victim == OWN or self.verb.lemma_.lower() in IMPACT_VERBS else "claim"
        if self.agent == THEY and self.victim == OTHER:
            return "claim"
        if self.agent == PARTY:
            return "accusation"
        if not self.agent and self.victim == OTHER:
            return "success"
        return "fact"


def deed_clause(token: Token, deed_verbs: frozenset[int] | set[int] = frozenset()) -> tuple[Token, list[Token], list[Token]] | None:
    """(verb, agents, victims) when the token is a verb that reports a deed as done (past,
    perfect, passive or progressive, no modal, no infinitive), or a noun that is the subject,
    object or "by"-agent of one of `deed_verbs` ("six rockets struck", "hit by a missile"; not
    "chose war"). A participle ("wounding two civilians", "missiles fired") takes its tense from
    its head."""
    verb = token
    if token.pos_ not in ("VERB", "AUX"):
        head = token.head.head if token.dep_ == "pobj" and token.head.dep_ == "agent" else token.head
        if token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and head.i in deed_verbs and head.i != token.i:
            verb = head
        else:
            return None
    if verb.lemma_.lower() == "be":
        return None
    tense = verb
    for _ in range(3):
        auxes = {c.lemma_.lower() for c in tense.children if c.dep_ in ("aux", "auxpass")}
        if auxes & MODALS or "to" in auxes:
            return None
        if tense.tag_ == "VBD" or (tense.tag_ in ("VBN", "VBG") and auxes & {"have", "be"}):
            break
        if tense.tag_ == "VBN" and tense.dep_ == "acl":
            break  # "the missiles fired": a past participle
        if tense.tag_ in ("VBN", "VBG") and tense.dep_ in ("advcl", "conj") and tense.head.i != tense.i:
            tense = tense.head
            continue
        return None
    else:
        return None
    children = list(verb.children)
    if any(c.dep_ == "auxpass" for c in children) or (verb.tag_ == "VBN" and verb.dep_ == "acl"):
        agents = [g for c in children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        victims = [c for c in children if c.dep_ == "nsubjpass"] + ([verb.head] if verb.dep_ == "acl" else [])
    else:
        agents = [c for c in children if c.dep_ == "nsubj"]
        if not agents and verb.dep_ in ("advcl", "conj") and verb.head.i != verb.i:
            agents = [c for c in verb.head.children if c.dep_ == "nsubj"]  # "struck ..., wounding two"
        agents = [verb.head if a.lemma_.lower() in RELATIVE_PRONOUNS and verb.dep_ == "relcl" else a for a in agents]
        victims = [c for c in children if c.dep_ == "dobj"]
        victims += [g for c in children if c.dep_ == "prep" and c.lemma_.lower() in TARGET_PREPS for g in c.children if g.dep_ == "pobj"]
    return verb, agents, victims


def noun_phrase(token: Token) -> list[Token]:
    """A noun and its modifiers, without the clauses attached to it."""
    words = [token]
    for child in token.children:
        if child.dep_ not in CLAUSE_DEPS:
            words.extend(noun_phrase(child))
    return words


class Sides:
    """Who is who in a statement, from the speaker's side: the tokens of the span that name the
    speaker's country (its name, demonym, capital, towns) and those that name another, found with
    the place table; first-person words are the speaker's side too."""

    def __init__(self, span: Span, speaker_country: str, places: Places | None):
        self.span = span
        self.speaker_country = speaker_country.casefold()
        self.places = places
        self._named: tuple[set[int], set[int]] | None = None

    def named(self) -> tuple[set[int], set[int]]:
        """(own, other): the token indices naming the speaker's country and those naming another,
        looked up in the place table once, when a deed is first read; a named organisation the
        table does not hold ("Hezbollah", "the Wagner Group") is another side. Without the
        speaker's country, nothing is either."""
        if self._named is None:
            own: set[int] = set()
            other: set[int] = set()
            base = self.span.start_char
            known = self.places is not None and self.speaker_country  # no speaker's country: no sides
            for mention in self.places.find_in(self.span.text) if known else ():
                if mention.country:
                    target = own if mention.country.casefold() == self.speaker_country else other
                    target.update(t.i for t in self.span if mention.start <= t.idx - base < mention.end)
            if known:  # a named group no place table holds ("Hezbollah", "the RSF"): another side
                other.update(t.i for t in self.span if t.ent_type_ == "ORG" and t.pos_ == "PROPN" and t.i not in own)
            self._named = (own, other)
        return self._named

    def side_of(self, token: Token) -> str:
        """OWN ("we", "our forces", "Tarsenian positions" for a Tarsenian speaker), OTHER
        (another country's words, "enemy"), IT and THEY (an organisation's "it", a group's
        "they"), ARMED ("the army", "air defences": the speaker's own unless told otherwise) or
        "" (a weapon, a number)."""
        own_at, other_at = self.named()
        words = noun_phrase(token)
        if any(w.lower_ in FIRST_PERSON or w.i in own_at for w in words):
            return OWN
        if any(w.i in other_at or w.lemma_.lower() in ENEMY_WORDS for w in words) or token.lemma_.lower() in HOSTILE_GROUPS:
            return OTHER
        word = token.lower_
        if word in ("it", "they"):
            return IT if word == "it" else THEY
        return ARMED if token.lemma_.lower() in ARMED_BODIES or word in ARMED_BODIES else ""

    def is_party(self, token: Token) -> bool:
        """The noun names a party itself (a country, its capital, its armed bodies, an armed group
        named as such), not a thing."""
        own_at, other_at = self.named()
        lemma = token.lemma_.lower()
        return token.i in other_at or token.i in own_at or lemma in ARMED_BODIES or lemma in HOSTILE_GROUPS

    def read_deed(self, token: Token, deed_verbs: frozenset[int] | set[int] = frozenset()) -> Deed | None:
        """The deed whose verb the token is (or is the subject or object of), or None."""
        found = deed_clause(token, deed_verbs)
        if found is None:
            return None
        verb, agents, victims = found
        agent_sides = [PARTY if s == OTHER and self.is_party(a) else s for a, s in ((a, self.side_of(a)) for a in agents)]
        agent = next((s for s in (OWN, PARTY, OTHER, ARMED, IT, THEY) if s in agent_sides), "")
        victim_sides = {self.side_of(v) for v in victims}
        victim = OWN if OWN in victim_sides else OTHER if OTHER in victim_sides else ""
        hit = victims + [c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ == "NUM"]  # "shot down 30 of 38 drones"
        munition = verb.lemma_.lower() not in LAUNCH_VERBS and any(_is_munition(v) for v in hit)
        return Deed(verb, agent, victim, bool(agents), munition)


def _is_munition(token: Token) -> bool:
    """The noun names munitions: "drones", "30 of 38 drones"."""
    if token.pos_ == "NUM":
        token = next((g for c in token.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), token)
    return token.lemma_.lower() in MUNITIONS
