"""The lexicon of the stance scorer: the cue file, its kinds, and finding its cues in a span.

`data/stance_cues.csv` holds one cue a row (lemmas, a weight on the guidelines' -3..+3 scale, a
kind and a provenance; its header explains each kind). `read_cues` reads and checks it;
`find_cues` matches the cues on lemmas, longest phrase first, with short gaps inside phrases
("carry out follow-on attacks"); `frame_candidates` turns a reporting verb into lemma guesses.
What the kinds mean to the score is decided in `pipeline.stance.scorer`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from ..datafiles import DATA_DIR, read_data_rows

DEFAULT_CUES_PATH = DATA_DIR / "stance_cues.csv"
MAX_INTENSITY = 3.0  # weights lie in [-3, 3]
MAX_GAP = 3  # tokens allowed between the words of a phrase cue
PUNCT_STOP = frozenset({".", ";", "!", "?", ":"})  # a phrase cue does not run across these

# --- kinds of cue (the `kind` column) and what negation does to each ---------------------------
FLIPPED_KINDS = frozenset({"action", "threat"})  # negated: a disavowal
NEUTRALISED_KINDS = frozenset({"hostile", "defensive", "outcome", "call", "cessation", "deadline"})  # negated: nothing
REVERSED_KINDS = frozenset({"conciliatory", "restraint", "commitment"})  # negated: a rejection
DENIED_KINDS = frozenset({"involvement"})  # negated: a denial ("never supplied weapons"), -2 if promised
SCORED_KINDS = FLIPPED_KINDS | NEUTRALISED_KINDS | REVERSED_KINDS | DENIED_KINDS | {"sufficiency"}
NEGATING_KINDS = frozenset({"negator", "cessation"})  # negate their scope
PRESUPPOSED_KINDS = frozenset({"hostile", "involvement"})  # stopping it still accuses: "end the occupation"
MODIFIER_KINDS = frozenset({"intensifier", "softener"})
FACTUAL_KINDS = frozenset({"outcome"})  # violent facts: alone, a statement of them is neutral
DEED_KINDS = frozenset({"action", "outcome", "defensive"})  # read for who did them to whom
KINDS = SCORED_KINDS | MODIFIER_KINDS | NEGATING_KINDS | {"reference", "claim", "name"}
# Kinds a reporting verb can have ("warned", "urged", "denied", "vowed"); other cues that happen to
# share a frame's stem ("according to" ~ "accord") are not frames.
FRAME_KINDS = frozenset({"threat", "hostile", "conciliatory", "negator", "call", "claim", "intensifier", "softener"})

class CueFileError(ValueError):
    """A row of the cue file is malformed."""


@dataclass(frozen=True)
class Cue:
    """One row of the lexicon."""

    words: tuple[str, ...]
    weight: float
    kind: str
    provenance: str


@dataclass(frozen=True)
class CueMatch:
    """A cue found in a span: its tokens (doc indices) and the one that heads them (none for the
    reporting verb, which lies outside the content)."""

    cue: Cue
    indices: tuple[int, ...]
    root: Token | None


def cue_words(text: str) -> tuple[str, ...]:
    """The words of a cue as spaCy splits them: "cease-fire" -> ("cease", "-", "fire")."""
    words: list[str] = []
    for chunk in text.lower().split():
        parts = chunk.split("-")
        for position, part in enumerate(parts):
            if position:
                words.append("-")
            if part:
                words.append(part)
    return tuple(words)


def read_cues(path: str | Path) -> list[Cue]:
    """The cues of a lexicon file; raises `CueFileError` naming the bad row and value (unknown
    kind, weight not a number or outside [-3, 3], empty or repeated cue)."""
    cues = []
    seen: set[tuple[str, ...]] = set()
    for number, row in enumerate(read_data_rows(path), start=1):
        kind = row.get("kind", "")
        if kind not in KINDS:
            raise CueFileError(f"{path}: cue {row.get('cue')!r}: unknown kind {kind!r} (valid: {', '.join(sorted(KINDS))})")
        try:
            weight = float(row.get("weight", ""))
        except ValueError:
            raise CueFileError(f"{path}: cue {row.get('cue')!r}: weight {row.get('weight')!r} is not a number") from None
        if not -MAX_INTENSITY <= weight <= MAX_INTENSITY:
            raise CueFileError(f"{path}: cue {row.get('cue')!r}: weight {weight} outside [-3, 3]")
        words = cue_words(row.get("cue", ""))
        if not words:
            raise CueFileError(f"{path}: row {number} has an empty cue")
        if words in seen:
            raise CueFileError(f"{path}: cue {row.get('cue')!r} is listed twice")
        seen.add(words)
        cues.append(Cue(words, weight, kind, row.get("provenance", "")))
    return cues


def find_cues(lemmas: list[str], texts: list[str], offset: int, index: dict[str, list[Cue]], tokens) -> list[CueMatch]:
    """Non-overlapping cue matches in a span, longest phrase first.

    `lemmas`/`texts` are the span's lower-cased lemmas and texts; `offset` the span's start in the
    doc; `index` maps a cue's first word to its cues. A phrase may skip up to MAX_GAP tokens between
    its words but not a sentence-final punctuation mark.
    """
    candidates: list[tuple[int, bool, float, int, Cue, tuple[int, ...]]] = []
    n = len(lemmas)
    for start in range(n):
        keys = {lemmas[start], texts[start]}
        for key in keys:
            for cue in index.get(key, ()):
                found = _match_phrase(cue.words, start, lemmas, texts, n)
                if found:
                    surface = all(texts[i] == w for i, w in zip(found, cue.words))
                    candidates.append((len(cue.words), surface, abs(cue.weight), -start, cue, found))
    # longest first; then a match on the written form ("crushing" the intensifier, not "crush")
    candidates.sort(key=lambda c: c[:4], reverse=True)
    taken: set[int] = set()
    matches = []
    for _, _, _, _, cue, found in candidates:
        if taken.intersection(found):
            continue
        taken.update(found)
        indices = tuple(offset + i for i in found)
        matches.append(CueMatch(cue, indices, _phrase_root([tokens[i] for i in found])))
    matches.sort(key=lambda m: m.indices[0])
    return matches


def _match_phrase(words, start, lemmas, texts, n) -> tuple[int, ...] | None:
    found = [start]
    position = start
    for word in words[1:]:
        for step in range(position + 1, min(n, position + MAX_GAP + 2)):
            if lemmas[step] == word or texts[step] == word:
                position = step
                found.append(step)
                break
            if texts[step] in PUNCT_STOP:
                return None
        else:
            return None
    return tuple(found)


def _phrase_root(tokens: list[Token]) -> Token:
    """The token of a phrase whose head lies outside it (the first such), else the first."""
    indices = {t.i for t in tokens}
    for token in tokens:
        if token.head.i not in indices or token.head.i == token.i:
            return token
    return tokens[0]


def render(doc, indices: tuple[int, ...]) -> str:
    """Tokens as written, "…" where words are skipped, no space around a hyphen."""
    text = doc[indices[0]].text
    for before, after in zip(indices, indices[1:]):
        word = doc[after].text
        if after != before + 1:
            text += "…" + word
        elif word == "-" or doc[before].text == "-" or not doc[before].whitespace_:
            text += word
        else:
            text += " " + word
    return text


def frame_candidates(frame: str) -> list[tuple[str, ...]]:
    """Lemma guesses for a reporting-verb phrase: "called on" -> ("call", "on"), "denied" -> ("deny",)."""
    words = cue_words(frame)
    if not words:
        return []
    head, rest = words[0], words[1:]
    stems = [head]
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("d", ""), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e")):
        if head.endswith(suffix) and len(head) > len(suffix) + 2:
            stems.append(head[: -len(suffix)] + replacement)
    return [(stem,) + rest for stem in stems] + [(stem,) for stem in stems if rest]
