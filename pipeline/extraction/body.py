"""The article body of a page copied as text, without its header and boilerplate.

A page copied from a browser carries more than the article: a header line with the outlet and
date ("- The Washington Times - Thursday, January 9, 2020"), section labels, photo credits, and a
footer of newsletter sign-ups, copyright and comment links. None of that may yield events, so the
pipeline reads only the paragraphs `body_paragraphs` keeps. Offsets always point into the
original text, so quotes found in a paragraph keep their article offsets.

The boilerplate patterns are data (`data/boilerplate.csv`); the header and dateline readers
give a publication date to texts that arrive without one.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import DATA_DIR, read_data_rows
from .dates import find_full_dates

BOILERPLATE_FILE = DATA_DIR / "boilerplate.csv"
BOILERPLATE_KINDS = ("line", "end")

# A paragraph with no sentence-final punctuation, no quotation marks and at most this many words
# is a header, byline, section label or link text, not a sentence.
LABEL_MAX_WORDS = 16
# How far into a text without a header `find_dateline` looks for a publication date.
DATELINE_WINDOW = 300

# Every line break str.splitlines knows, so no paragraph ever holds one.
_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_QUOTE_MARK = re.compile(r"[\"\u201c\u201d\u00ab\u00bb\u201e\u2018]")
_LETTER = re.compile(r"[^\W\d_]")


class BoilerplateFileError(ValueError):
    """A row of the boilerplate data file cannot be used."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article: `text == article_text[start:end]`, stripped of surrounding space."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class BoilerplateRule:
    pattern: re.Pattern[str]
    kind: str  # one of BOILERPLATE_KINDS


def body_paragraphs(text: str) -> list[Paragraph]:
    """The article's content paragraphs, in order.

    Lines (one or more line breaks separate paragraphs) are dropped when empty, when they match
    a boilerplate pattern, when they are a page header, or when they look like a label: short,
    with no sentence-final punctuation and no quotation marks. A strong end-of-article marker
    (kind `end`: a copyright line, "Sign up for Daily Newsletters") drops itself and everything
    after it, once at least one paragraph has been kept.
    """
    rules = boilerplate_rules()
    kept: list[Paragraph] = []
    for paragraph in _lines(text):
        kind = _boilerplate_kind(paragraph.text, rules)
        if kind == "end" and kept:
            break
        if kind is None and not is_label_line(paragraph.text) and parse_page_header(paragraph.text) is None:
            kept.append(paragraph)
    return kept


def _lines(text: str) -> list[Paragraph]:
    """Every non-blank line of `text`, stripped, with offsets into `text`."""
    paragraphs = []
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            start = match.start() + len(line) - len(line.lstrip())
            paragraphs.append(Paragraph(start, start + len(stripped), stripped))
    return paragraphs


def _boilerplate_kind(paragraph: str, rules: tuple[BoilerplateRule, ...]) -> str | None:
    """The kind of the first boilerplate rule matching the whole paragraph, or None."""
    for rule in rules:
        if rule.pattern.fullmatch(paragraph):
            return rule.kind
    return None


def is_label_line(paragraph: str) -> bool:
    """A header, byline, section label or link text rather than a sentence or a quote."""
    if not _LETTER.search(paragraph):
        return True  # "***", "--", "12"
    if _SENTENCE_END.search(paragraph) or _QUOTE_MARK.search(paragraph):
        return False
    words = paragraph.split()
    if paragraph.endswith(":") and len(words) >= 4:
        return False  # "In a statement, the ministry said:" introduces the next paragraph
    return len(words) <= LABEL_MAX_WORDS


@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[BoilerplateRule, ...]:
    """The compiled rows of data/boilerplate.csv, in file order (the first match decides)."""
    rules = []
    for number, row in enumerate(read_data_rows(BOILERPLATE_FILE), start=1):
        pattern, kind = row.get("pattern", ""), row.get("kind", "")
        if kind not in BOILERPLATE_KINDS:
            raise BoilerplateFileError(
                f"{BOILERPLATE_FILE.name} row {number}: kind {kind!r} is not one of {', '.join(BOILERPLATE_KINDS)}"
            )
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            raise BoilerplateFileError(f"{BOILERPLATE_FILE.name} row {number}: pattern {pattern!r}: {error}") from None
        rules.append(BoilerplateRule(compiled, kind))
    return tuple(rules)


# --- page headers and datelines ---------------------------------------------------------------

# What may follow the date on a header line: a clock time and a time zone ("10:32 a.m. ET").
_TRAILING_TIME = re.compile(
    r"(?:\s*(?:,|at|\||-|\u2013|\u2014)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?i:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|local time)?)?"
    r"|(?:T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)"
)
_SEPARATOR = re.compile(r"\s+[-\u2013\u2014|\u2022\u00b7/]+\s+|\s*\|\s*|^\s*[-\u2013\u2014|\u2022\u00b7]+\s*")
_LABEL_WORDS = r"(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)(?:\s+on)?|dated?)"
# A header's date follows a separator or a label word; a sentence ending in a date does not.
_PREFIX_END = re.compile(rf"(?:[-\u2013\u2014|\u2022\u00b7:/]|\b(?i:{_LABEL_WORDS}))\s*$")
_TRAILING_LABEL = re.compile(rf"(?i)[\s,:]*\b{_LABEL_WORDS}\s*:?\s*$")
# Words of an outlet's name: capitalised ("The Washington Times", "BBC", "al-Monitor"), or small.
_NAME_WORD = re.compile(r"(?:[\w.&'\u2019-]*[A-Z0-9&][\w.&'\u2019-]*|of|the|and|for|on|in|de|al|el|la|le|du)")
_SOURCE_MAX_WORDS = 6


def parse_page_header(line: str) -> tuple[str, dt.date] | None:
    """(outlet, date) from the header line of a page copied as text; outlet "" when the line has none.

    >>> parse_page_header("- The Washington Times - Thursday, January 9, 2020")
    ('The Washington Times', datetime.date(2020, 1, 9))

    The line must end with a full date (a clock time may follow) and whatever comes before the
    date must be a short outlet name, byline or label ended by a separator or a label word
    ("Reuters |", "By Jane Roe, Meridian Wire —", "Published:"); a sentence that happens to end
    with a date is not a header.
    """
    line = line.strip()
    if not line or len(line) > 160 or "\n" in line:
        return None
    dates = [d for d in find_full_dates(line) if _TRAILING_TIME.fullmatch(line[d[1]:])]
    if not dates:
        return None
    start, _, day = dates[-1]
    prefix = line[:start]
    byline_comma = prefix.lower().startswith("by ") and prefix.rstrip().endswith(",")
    if prefix.strip() and not (_PREFIX_END.search(prefix) or byline_comma):
        return None
    source = _source_from_prefix(prefix)
    return None if source is None else (source, day)


def _source_from_prefix(prefix: str) -> str | None:
    """The outlet named before a header's date, "" when none is named, None when it is no header."""
    chunks = [_TRAILING_LABEL.sub("", chunk).strip(" ,:;") for chunk in _SEPARATOR.split(prefix)]
    chunks = [chunk for chunk in chunks if chunk]
    if not chunks:
        return ""
    source = chunks[-1]
    if source.lower().startswith("by "):  # a byline: "By Jane Roe, Meridian Wire"
        source = source.rpartition(",")[2].strip() if "," in source else ""
    words = source.split()
    if len(words) > _SOURCE_MAX_WORDS or not all(_NAME_WORD.fullmatch(word) for word in words):
        return None
    return source


def find_dateline(text: str) -> dt.date | None:
    """The first full date (with a year) in the opening characters of a text without a header.

    "TEHRAN, Jan 9 (Reuters) -" has no year and gives None; "Jan. 9, 2020", "9 January 2020"
    or "2020-01-09" within the first DATELINE_WINDOW characters gives that date.
    """
    dates = find_full_dates(text[:DATELINE_WINDOW])
    return dates[0][2] if dates else None
