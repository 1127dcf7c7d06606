"""Stance: is a statement escalation (+) or de-escalation (−), how strongly, and why.

`lexicon` reads the cue file; `rules` reads one cue in its sentence; `sides` tells who did what
to whom; `scorer` is the explainable rule scorer; `features` and `model` are the learned model
over the scorer's verdict, its cues and the statement's words; `sentence_encoder` builds the
static MiniLM table the model reads.
"""
