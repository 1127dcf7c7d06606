"""The day a statement was made, from the time expression that governs its speech verb.

The annotation rule: a cue is resolved relative to the article's published date, choosing the
most recent such day ON OR BEFORE publication. So "said Thursday" in a Thursday article is that
very day, "Tuesday night" in a Thursday article is two days earlier, and an explicit date without
a year that would fall after publication ("Dec. 28" in a January article) is last year's. No cue
ever resolves to a day after publication, and cues that name no single day ("recent weeks",
"later this month", "for three days", a bare year) resolve to None. Vaguer references to the
recent past ("last week", "earlier this month", "recently") are not day cues either: the
published date stands, and `vague_cue_precision` says how far the true day may lie from it.

A cue is normalised first (case, curly apostrophes, possessives, clock times, "late/early/on",
"night/morning"), then read by three small rules in order: an explicit date, a weekday, a
relative day ("yesterday", "two days ago"). Weekday and relative arithmetic is done here
directly; only date forms the rules do not know ("1/5/2020", read month first) go to dateparser,
with RELATIVE_BASE set to the published date (never PREFER_DATES_FROM='past': it moves the
article's own weekday a week back). A rule-read cue takes ~10 microseconds, a dateparser one
~1 ms; results are cached on (cue, published).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    # abbreviations seen in wire copy; "sat", "sun" and "wed" are left out (ordinary words)
    "mon": 0, "tue": 1, "tues": 1, "weds": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
}

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "couple of": 2,
}

# Days back from publication for cues that name a day relative to it. "the day before" has no
# other anchor we can see, so it is read against publication, like "a day earlier".
RELATIVE_DAYS: dict[str, int] = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "earlier today": 0, "later today": 0, "earlier this morning": 0, "earlier this afternoon": 0,
    "earlier this evening": 0, "now": 0,
    "yesterday": 1, "last night": 1, "last evening": 1, "overnight": 1, "the day before": 1,
    "the previous day": 1, "the night before": 1, "the previous night": 1,
    "the day before yesterday": 2,
}

# Words that make a weekday cue name no single past day ("next Tuesday", "since Tuesday",
# "Tuesday two weeks ago"). Other words are tolerated, so a cue that arrives with its verb
# ("said Thursday") still resolves.
_WEEKDAY_BLOCKERS = frozenset(
    "next coming until till since before after by from every each ago week weeks month months year years".split()
)

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMBER_ALT = "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True))

# On normalised text (lower case, punctuation turned into spaces): "jan 5 2020", "5 of january".
_MONTH_DAY = re.compile(rf"\b(?P<month>{_MONTH_ALT})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+(?P<year>\d{{4}})\b)?")
_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_ALT})\b(?:\s+(?P<year>\d{{4}})\b)?")
_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")
_CLOCK = re.compile(
    r"\b(?:at\s+)?(?:about\s+|around\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?\s?m\b\.?|p\.?\s?m\b\.?)"
    r"|\b(?:[ecmp][sd]t|et|gmt|utc)\b"
)
# Parts of a day that say nothing about which day: "before dawn Tuesday" is Tuesday.
_TIME_OF_DAY_PHRASE = re.compile(r"\b(?:before|after|at|around)\s+(?:dawn|sunrise|daybreak|sunset|nightfall|dusk|midnight|noon)\b")
_RELATIVE_N = re.compile(rf"^(?P<n>\d+|{_NUMBER_ALT})\s+days?\s+(?:ago|earlier|before|previously)$")
_RELATIVE_FILLER = re.compile(r"^(?:(?:late|early|on|at)\s+)+")
_TIME_OF_DAY_SUFFIX = re.compile(r"\s+(?:morning|afternoon|evening|night|midday)$")


def resolve_date_cue(cue: str, published: dt.date) -> dt.date | None:
    """The day a statement with time cue `cue` was made, in an article published on `published`.

    >>> resolve_date_cue("Tuesday night's", dt.date(2020, 1, 9))   # a Thursday
    datetime.date(2020, 1, 7)
    """
    if not isinstance(published, dt.date):
        raise TypeError(f"published must be a datetime.date, got {published!r}")
    if isinstance(published, dt.datetime):
        published = published.date()
    return _resolve(cue, published)


@lru_cache(maxsize=8192)
def _resolve(cue: str, published: dt.date) -> dt.date | None:
    text = normalise_cue(cue)
    if not text:
        return None
    explicit = _explicit_date(text, published)
    if explicit is not None:
        return explicit if explicit is not _NO_DAY else None
    words = text.split()
    weekdays = [WEEKDAYS[w] for w in words if w in WEEKDAYS]
    if weekdays:
        return _weekday(words, weekdays, published)
    back = _relative_days(text)
    if back is not None:
        return published - dt.timedelta(days=back)
    if re.search(r"\d+/\d+", text) or any(w in MONTHS for w in words):
        return _dateparser_day(text, published)
    return None


def normalise_cue(cue: str) -> str:
    """Lower case, no possessives, clock times or punctuation: "Late Tuesday night’s" -> "late tuesday night"."""
    text = cue.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _CLOCK.sub(" ", text)
    text = _TIME_OF_DAY_PHRASE.sub(" ", text)
    text = re.sub(r"'s\b|s'(?=\s|$)", "", text)  # Tuesday's, Tuesday nights'
    text = re.sub(r"[^\w\s/-]", " ", text)
    text = re.sub(r"(?<!\d)-|-(?!\d)", " ", text)  # keep hyphens only inside 2020-01-05
    words = [_singular(w) for w in text.split()]
    return " ".join(words)


def _singular(word: str) -> str:
    """A plural left by a missing apostrophe ("Tuesdays attack", "Tuesday nights remarks")."""
    if word.endswith("s") and (word[:-1] in WEEKDAYS or word[:-1] in ("night", "morning", "evening", "afternoon")):
        return word[:-1]
    return word


_NO_DAY = dt.date.min  # sentinel: the cue holds an explicit date, but not one on or before publication


def _explicit_date(text: str, published: dt.date) -> dt.date | None:
    """An explicit calendar date in the cue; `_NO_DAY` when it is one that cannot be the day."""
    match = _ISO.search(text) or _MONTH_DAY.search(text) or _DAY_MONTH.search(text)
    if match is None:
        return None
    if any(word in _WEEKDAY_BLOCKERS for word in text[: match.start()].split()):
        return _NO_DAY  # "since Jan. 5", "by March 3": a span or a deadline, not the day
    month = match["month"]
    month_number = int(month) if month.isdigit() else MONTHS[month]
    day = int(match["day"])
    if match["year"]:
        found = _make_date(int(match["year"]), month_number, day)
        return found if found is not None and found <= published else _NO_DAY
    # No year: this year's date if it is not after publication, else the most recent earlier one
    # (a Feb. 29 looks back up to four years).
    for year in range(published.year, published.year - 5, -1):
        found = _make_date(year, month_number, day)
        if found is not None and found <= published:
            return found
    return _NO_DAY


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _weekday(words: list[str], weekdays: list[int], published: dt.date) -> dt.date | None:
    """The most recent such weekday on or before publication ("last Tuesday" on a Tuesday: a week back)."""
    if len(set(weekdays)) != 1:
        return None
    others = [w for w in words if w not in WEEKDAYS]
    reference = published
    if "week" in others and {"last", "previous"} & set(others):  # "Tuesday of last week"
        reference = published - dt.timedelta(days=7)
        others = [w for w in others if w not in ("week", "last", "previous")]
    if any(w in _WEEKDAY_BLOCKERS for w in others):
        return None
    back = (reference.weekday() - weekdays[0]) % 7
    if back == 0 and {"last", "previous"} & set(others):
        back = 7
    return reference - dt.timedelta(days=back)


def _relative_days(text: str) -> int | None:
    """How many days before publication a relative cue ("yesterday", "two days ago") points."""
    text = _RELATIVE_FILLER.sub("", text)
    for candidate in (text, _TIME_OF_DAY_SUFFIX.sub("", text)):
        if candidate in RELATIVE_DAYS:
            return RELATIVE_DAYS[candidate]
        if candidate.startswith("earlier ") and candidate[len("earlier "):] in RELATIVE_DAYS:
            return RELATIVE_DAYS[candidate[len("earlier "):]]
        match = _RELATIVE_N.match(candidate)
        if match:
            n = match["n"]
            return int(n) if n.isdigit() else NUMBER_WORDS[n]
    return None


def _dateparser_day(text: str, published: dt.date) -> dt.date | None:
    """Date forms the rules above do not read, via dateparser; only answers that name one day count."""
    data = _parser(published).get_date_data(text)
    if data.date_obj is None or data.period != "day":
        return None
    found = data.date_obj.date()
    if found > published and not re.search(r"\b\d{4}\b", text):
        found = _make_date(found.year - 1, found.month, found.day)
    return found if found is not None and found <= published else None


@lru_cache(maxsize=256)
def _parser(published: dt.date):
    from dateparser.date import DateDataParser  # imported here: dateparser takes ~0.15 s to import

    base = dt.datetime(published.year, published.month, published.day, 12, 0)
    return DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base})


# --- finding cues in a sentence -------------------------------------------------------------

_CAP_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_CAP_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_APOS = r"(?:['\u2019]s|s(?![a-z]))?"
_PART = r"(?:morning|afternoon|evening|night)"
_PART_OF = rf"(?i:(?:(?:early|late)\s+)?(?:in\s+|on\s+)?the\s+(?:early\s+hours|{_PART})\s+of\s+)?"  # "in the early hours of"
_WEEKDAY_MOD = r"(?i:\b(?:(?:late|early|earlier|later)\s+(?:on\s+)?|last\s+|this\s+past\s+)?)"
_WEEKDAY_CUE = rf"{_WEEKDAY_MOD}{_PART_OF}\b{_CAP_WEEKDAY}{_APOS}(?:\s+(?i:{_PART}){_APOS})?\b"
_CUE_PATTERNS = [
    # explicit dates: "Jan. 5", "late Thursday, January 9, 2020", "5 January 2020", "2020-01-05"
    rf"{_PART_OF}(?:{_WEEKDAY_CUE},?\s+)?\b{_CAP_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?",
    rf"{_PART_OF}(?:{_WEEKDAY_CUE},?\s+)?\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_CAP_MONTH}(?![a-z])(?:,?\s+\d{{4}}\b)?",
    r"\b\d{4}-\d{2}-\d{2}\b",
    # weekdays: "late Tuesday", "earlier on Wednesday", "Tuesday night's", "last Tuesday"
    _WEEKDAY_CUE,
    # relative days
    rf"(?i:\b(?:(?:late|early|earlier)\s+)?yesterday(?:\s+{_PART})?\b)",
    r"(?i:\b(?:earlier\s+|later\s+)?(?:today|tonight|this\s+(?:morning|afternoon|evening))\b)",
    r"(?i:\b(?:late\s+)?last\s+(?:night|evening)\b|\bovernight\b)",
    rf"(?i:\b(?:\d+|{_NUMBER_ALT})\s+days?\s+(?:ago|earlier)\b)",
    r"(?i:\bthe\s+(?:day|night)\s+before(?:\s+yesterday)?\b|\bthe\s+previous\s+(?:day|night)\b)",
]
_CUE_RE = [re.compile(p) for p in _CUE_PATTERNS]


def find_date_cues(text: str) -> list[tuple[int, int, str]]:
    """Time expressions in `text` that can name the day of a statement, as (start, end, cue).

    Candidates from every pattern are taken longest first, skipping any that overlaps one
    already taken; the result is in text order. Only cues that name one day are found (no
    "recent weeks", no bare years), and month names must be capitalised ("May 5", not "may").
    """
    candidates = [(m.start(), m.end()) for pattern in _CUE_RE for m in pattern.finditer(text)]
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(candidates, key=lambda span: (span[0] - span[1], span[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return [(start, end, text[start:end]) for start, end in sorted(chosen)]


# --- vague cues: a week or a month, not a day ------------------------------------------------

# On normalised text. "week": the statement fell within about a week of publication; "month":
# within about a month. "later this week" and "next month" look ahead and are no cue at all.
_VAGUE_CUES = {
    "week": (
        r"(?:(?:late|early|earlier)\s+)?(?:this|last|this\s+past|the\s+past|the\s+previous)\s+week"
        r"|the\s+week\s+before|(?:a|one)\s+week\s+(?:ago|earlier)"
        r"|(?:a\s+few|several|some)\s+days\s+(?:ago|earlier)|(?:recent|the\s+past\s+few|the\s+last\s+few)\s+days"
        r"|(?:(?:over|on|at)\s+the|last|this\s+past)\s+weekend"
    ),
    "month": (
        r"(?:(?:late|early|earlier)\s+)?(?:this|last|the\s+previous)\s+month|(?:a|one)\s+month\s+(?:ago|earlier)"
        rf"|(?:(?:\d+|{_NUMBER_ALT}|a\s+few|several|some)\s+)?weeks\s+(?:ago|earlier)"
        r"|(?:recent|the\s+past\s+few|the\s+last\s+few)\s+weeks|recently|lately"
    ),
}
_VAGUE_LEAD = r"(?:(?:in|on|over|during|as)\s+)?"
_VAGUE_FULL = {precision: re.compile(rf"{_VAGUE_LEAD}(?:{pattern})") for precision, pattern in _VAGUE_CUES.items()}
_VAGUE_RE = re.compile("|".join(rf"(?i:(?<!later )(?<!next )\b(?:{pattern})\b)" for pattern in _VAGUE_CUES.values()))


def vague_cue_precision(cue: str) -> str | None:
    """"week" or "month" for a cue that places a statement in the recent past without naming a
    day ("late last week", "in recent weeks", "recently"); None for any other cue."""
    text = normalise_cue(cue)
    return next((precision for precision, pattern in _VAGUE_FULL.items() if pattern.fullmatch(text)), None)


def find_vague_cues(text: str) -> list[tuple[int, int, str]]:
    """Vague time expressions in `text` ("last week", "earlier this month", "recently"), as
    (start, end, cue) in text order."""
    return [(m.start(), m.end(), m.group()) for m in _VAGUE_RE.finditer(text)]


# --- full dates (with a year) in running text, for headers and datelines ----------------------

_ANY_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?"
_FULL_DATE_RE = [
    re.compile(
        rf"(?i:\b(?:{_ANY_WEEKDAY},?\s+)?(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d))"
    ),
    re.compile(
        rf"(?i:\b(?:{_ANY_WEEKDAY},?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_ALT})\.?,?\s+(?P<year>\d{{4}})(?!\d))"
    ),
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
]


def find_full_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """Calendar dates that carry a year ("Thursday, January 9, 2020", "12 March 2031", "2031-03-12").

    As (start, end, date) in text order; impossible dates ("Feb. 30, 2020") are skipped.
    """
    found: list[tuple[int, int, dt.date]] = []
    for pattern in _FULL_DATE_RE:
        for match in pattern.finditer(text):
            month = match["month"]
            day = _make_date(int(match["year"]), int(month) if month.isdigit() else MONTHS[month.lower()], int(match["day"]))
            if day is not None and all(match.end() <= s or match.start() >= e for s, e, _ in found):
                found.append((match.start(), match.end(), day))
    return sorted(found)
