"""Extraction: articles in, attributed and dated statements out.

`ingest` reads files and `body` strips page boilerplate; `nlp` loads spaCy; `sentences` splits the
text and finds quotations; `attribution` finds statements and their speech verbs in a parsed
sentence; `names`, `actors` and `speakers` turn the speaking token into a canonical actor and its
country; `dates` and `statement_dates` date the statement; `extract` wires the stages into the
`Extractor`, and `worker` is what an extraction process runs.
"""
