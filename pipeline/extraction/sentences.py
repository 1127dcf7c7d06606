"""Splitting an article's body into sentences, finding its quotations, and picking the sentences
worth parsing.

Parsing is most of the cost of the pipeline, and most sentences of a news article cannot hold a
statement: only a sentence with a quotation mark, a reporting verb, "according to" or "as per" can. This
stage does the cheap work on every sentence (tokenizer-based splitting, regular expressions) so
that the expensive parse runs only on those candidates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en import English

from .body import body_paragraphs
from ..datafiles import DATA_DIR, read_data_rows

# A wire dateline opening the first paragraph: "KYIV, Ukraine (AP) — ", "SEOUL, June 10 - ".
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,}(?:,[^—–\n]{0,40}?)?(?:\s*\([^)]{1,40}\))?\s*[—–-]{1,2}\s+")
OPEN_DOUBLE = "“"
CLOSE_DOUBLE = "”"
STRAIGHT_DOUBLE = '"'
OPEN_SINGLE = "‘"


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article body. Offsets are into the article's text."""

    index: int
    paragraph: int
    start: int
    end: int
    text: str
    quotes: tuple[tuple[int, int], ...]  # quoted stretches inside this sentence (article offsets)
    quotations: tuple[tuple[int, int], ...]  # the whole quotations those stretches belong to
    opens_inside_quote: bool  # the sentence starts inside a quotation opened before it
    candidate: bool  # may hold a statement: worth parsing


@dataclass(frozen=True)
class ReportingVerb:
    lemma: str
    forms: tuple[str, ...]
    frame: str
    needs: tuple[str, ...]


def load_reporting_verbs(path=None) -> dict[str, ReportingVerb]:
    """Reporting verbs by lemma, from `data/reporting_verbs.csv`."""
    rows = read_data_rows(path or DATA_DIR / "reporting_verbs.csv")
    verbs = {}
    for row in rows:
        verbs[row["verb"]] = ReportingVerb(
            lemma=row["verb"],
            forms=tuple(f for f in row["forms"].split("|") if f),
            frame=row["frame"] or "say",
            needs=tuple(n for n in row.get("needs", "").split("|") if n),
        )
    return verbs


# a sentence that ends in a quotation closing after "!" or "?"
QUOTE_END_MARK = re.compile(r"[!?][”\"’']\s*$")
# the words before the reporting verb of an attribution: a name or title of up to five words
ATTRIBUTION_LEAD = re.compile(r"^\s*(?:[\w.'’-]+\s+){1,5}$")


class SentenceSplitter:
    """Splits article text into `Sentence`s; cheap enough to run on every sentence."""

    def __init__(self, reporting_verbs: dict[str, ReportingVerb]):
        self._nlp = English()
        self._nlp.add_pipe("sentencizer")
        forms = sorted({f for verb in reporting_verbs.values() for f in verb.forms}, key=len, reverse=True)
        self._cue = re.compile(
            r"\b(?:" + "|".join(map(re.escape, forms)) + r"|according\s+to|as\s+per)\b", re.IGNORECASE
        )

    def _joined_to_attribution(self, bounds: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
        """A quotation ending in "!" or "?" and the attribution after it are one sentence:
        '“All is well!” Trump wrote in a Twitter message' (the sentencizer splits after the mark)."""
        joined: list[tuple[int, int]] = []
        for start, end in bounds:
            if joined and QUOTE_END_MARK.search(text[joined[-1][0]:joined[-1][1]]):
                lead = text[start:end]
                cue = self._cue.search(lead[:60])
                if cue and ATTRIBUTION_LEAD.match(lead[:cue.start()]):
                    joined[-1] = (joined[-1][0], end)
                    continue
            joined.append((start, end))
        return joined

    def split(self, text: str) -> list[Sentence]:
        sentences: list[Sentence] = []
        for number, paragraph in enumerate(body_paragraphs(text)):
            quotes = quotation_spans(paragraph.text, paragraph.start)
            bounds = self._joined_to_attribution(_sentence_bounds(self._nlp, paragraph.text, paragraph.start), text)
            dateline = DATELINE.match(paragraph.text) if number == 0 else None
            if dateline and bounds and bounds[0][0] + dateline.end() < bounds[0][1]:
                bounds[0] = (bounds[0][0] + dateline.end(), bounds[0][1])  # "KYIV (AP) — " is not part of the sentence
            for start, end in bounds:
                touching = tuple((q_start, q_end) for q_start, q_end in quotes if q_start < end and q_end > start)
                inside = tuple((max(start, q_start), min(end, q_end)) for q_start, q_end in touching)
                sentence_text = text[start:end]
                opens_inside = any(q_start < start < q_end for q_start, q_end in quotes)
                candidate = bool(inside) or bool(self._cue.search(sentence_text))
                sentences.append(
                    Sentence(
                        index=len(sentences),
                        paragraph=number,
                        start=start,
                        end=end,
                        text=sentence_text,
                        quotes=inside,
                        quotations=touching,
                        opens_inside_quote=opens_inside,
                        candidate=candidate,
                    )
                )
        return sentences


def _sentence_bounds(nlp: English, paragraph: str, offset: int) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in a paragraph, with two repairs of the rule-based splitter.

    The sentencizer leaves an opening quotation mark at the end of the sentence before it
    (`... he said. “Next` splits after the `“`) and splits inside nested single quotes
    (`told them, ‘Enough. You can't...’`); both are mended here.
    """
    doc = nlp(paragraph)
    bounds = [[s.start_char, s.end_char] for s in doc.sents]
    # ". “Capital" is a boundary even after a token the tokenizer keeps with its period ("on X.")
    for match in re.finditer(r"(?<=[A-Z]\.)\s+(?=[“\"][A-Z])", paragraph):
        for bound in bounds:
            if bound[0] < match.start() < bound[1] - 1:
                bounds.insert(bounds.index(bound) + 1, [match.end(), bound[1]])
                bound[1] = match.start()
                break
    for i in range(len(bounds) - 1):
        chunk = paragraph[bounds[i][0]:bounds[i][1]].rstrip()
        while chunk and chunk[-1] in OPEN_DOUBLE + OPEN_SINGLE + STRAIGHT_DOUBLE and _opens_quote(chunk):
            cut = bounds[i][0] + len(chunk) - 1
            bounds[i][1] = cut
            bounds[i + 1][0] = cut
            chunk = paragraph[bounds[i][0]:cut].rstrip()
    nested = _nested_single_quotes(paragraph)
    merged: list[list[int]] = []
    for bound in bounds:
        if merged and any(q_start < bound[0] < q_end for q_start, q_end in nested):
            merged[-1][1] = bound[1]
        else:
            merged.append(bound)
    result = []
    for start, end in merged:
        piece = paragraph[start:end]
        stripped_start = start + (len(piece) - len(piece.lstrip()))
        stripped_end = start + len(piece.rstrip())
        if stripped_end > stripped_start:
            result.append((offset + stripped_start, offset + stripped_end))
    return result


def _opens_quote(chunk: str) -> bool:
    """Whether the quotation mark ending `chunk` opens a quotation (it follows a space)."""
    mark = chunk[-1]
    if mark in (OPEN_DOUBLE, OPEN_SINGLE):
        return True
    return len(chunk) == 1 or chunk[-2].isspace()


def _nested_single_quotes(paragraph: str) -> list[tuple[int, int]]:
    """Stretches inside ‘…’ — the right mark must not be an apostrophe (a letter follows it)."""
    spans = []
    for match in re.finditer(r"‘(?:[^‘’]|’(?=[A-Za-z]))*’(?![A-Za-z])", paragraph):
        spans.append((match.start(), match.end()))
    return spans


def quotation_spans(paragraph: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) offsets of the words inside double quotation marks, marks excluded.

    Curly marks pair open with close; straight marks alternate. A quotation still open at the
    end of the paragraph runs to its end (wire style opens each paragraph of a long quotation
    and closes only the last); a closing mark with no opening one closes a quotation that
    began at the paragraph's start.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for position, char in enumerate(paragraph):
        if char == OPEN_DOUBLE or (char == STRAIGHT_DOUBLE and open_at is None):
            if open_at is None:
                open_at = position + 1
        elif char == CLOSE_DOUBLE or char == STRAIGHT_DOUBLE:
            start = open_at if open_at is not None else 0
            if position > start:
                spans.append((start, position))
            open_at = None
    if open_at is not None and open_at < len(paragraph):
        spans.append((open_at, len(paragraph)))
    return [(offset + s, offset + e) for s, e in spans if paragraph[s:e].strip()]
