"""The evidence: the table of filtered statements and the card of the one selected.

Everything shown here is HTML-escaped before any markup is added, so a quote can never inject
HTML into the page (the app renders the card with `st.html`).
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..schema import FOUND_BY
from .cue_reading import cue_words, read_cues
from .views import CATEGORICAL_COLUMNS, UNKNOWN

# `found_by` as the evidence card says it
FOUND_BY_READING = dict(zip(FOUND_BY, (
    "a reporting verb",
    "“according to”",
    "a quotation going on from an earlier sentence",
    "the sentence's main clause, without a reporting verb (kept by the learned statement gate: less sure)",
)))


def shorten(text: str, limit: int = 160) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(",;:") + "…"


def highlight_cues(sentence: str, cues: str, *, tag: str = "mark") -> str:
    """HTML for `sentence` with the words of each cue (`cue_reading.cue_words`: markers and the
    model's features left out) wrapped in `<mark>`; all text is HTML-escaped.

    A cue matches as a whole word, case-insensitively; a cue found nowhere as a whole word
    (a lemma such as "warn" for "warned") matches as the start of a word instead.
    """
    patterns = []
    for cue in sorted(cue_words(cues), key=len, reverse=True):
        exact = rf"(?<!\w){re.escape(cue)}(?!\w)"
        if re.search(exact, sentence, re.IGNORECASE):
            patterns.append(exact)
        elif len(cue) >= 3:
            patterns.append(rf"(?<!\w){re.escape(cue)}\w*")
    if not patterns:
        return html.escape(sentence)
    parts, position = [], 0
    for match in re.finditer("|".join(patterns), sentence, re.IGNORECASE):
        if match.end() == match.start():
            continue
        parts.append(html.escape(sentence[position : match.start()]))
        parts.append(f"<{tag}>{html.escape(match.group(0))}</{tag}>")
        position = match.end()
    parts.append(html.escape(sentence[position:]))
    return "".join(parts)


def quote_span(sentence: str, quote: str, at: int) -> tuple[int, int] | None:
    """Where `quote` lies in `sentence`: at offset `at` (the event's `start - sentence_start`)
    when it is there, else its first occurrence; None when the sentence does not hold it."""
    if not quote:
        return None
    if 0 <= at and sentence[at : at + len(quote)] == quote:
        return at, at + len(quote)
    found = sentence.find(quote)
    return (found, found + len(quote)) if found >= 0 else None


def sentence_html(sentence: str, quote: str, at: int, cues: str) -> str:
    """The sentence as HTML with the quote marked inside it (`<q class="quote">`, underlined)
    and the cue words marked (`highlight_cues`), the words around the quote kept plain."""
    span = quote_span(sentence, quote, at)
    if span is None:
        return highlight_cues(sentence, cues)
    begin, end = span
    return (
        highlight_cues(sentence[:begin], cues)
        + f"<q class='quote' style='quotes:none;text-decoration:underline 2px #555;text-underline-offset:4px'>{highlight_cues(sentence[begin:end], cues)}</q>"
        + highlight_cues(sentence[end:], cues)
    )


def statement_sources(events: pd.DataFrame, event: Mapping[str, object]) -> pd.DataFrame:
    """Every article that reports `event`'s statement: the events with its `statement_id` (the
    statement merge's) and those of the same speaker with the same quote (spacing, quote marks
    and case aside), one row per article, earliest first.
    Columns: `source`, `title`, `url`, `published`, `doc_id`, `input_file`."""
    columns = ["source", "title", "url", "published", "doc_id", "input_file"]
    statement = str(event.get("statement_id", "") or "")
    merged = (events["statement_id"] == statement).to_numpy(dtype=bool) if statement and "statement_id" in events.columns else False
    mine = (events["speaker"] == event["speaker"]).to_numpy(dtype=bool)
    quoted = np.zeros(len(events), dtype=bool)
    quoted[mine] = events["quote"][mine].map(normalise_quote).to_numpy(dtype=object) == normalise_quote(str(event["quote"]))
    same = events[merged | quoted]
    if len(same) == 0:
        same = pd.DataFrame([{c: event.get(c, "") for c in columns}])
    same = same.loc[:, columns].astype("string").sort_values(["published", "source"], kind="stable")
    return same.drop_duplicates("doc_id").reset_index(drop=True)


def normalise_quote(quote: str) -> str:
    """A quote as compared across articles: lower case, one space, no quote marks or end stop."""
    return " ".join(re.sub(r"[\"“”‘’'«»]", "", quote).lower().split()).rstrip(".,;:")


def _sources_html(sources: pd.DataFrame) -> str:
    items = []
    for row in sources.itertuples(index=False):
        name = html.escape(row.title or row.source or row.doc_id or "(untitled)")
        outlet = html.escape(row.source) if row.source and row.title else ""
        where = f" · {outlet}" if outlet else ""
        when = f" · {html.escape(row.published)}" if row.published else ""
        if row.url:
            link = f"<a href='{html.escape(row.url, quote=True)}' target='_blank' rel='noopener'>{name}</a>"
        else:
            link = f"{name} ({html.escape(row.input_file or 'no link')})"
        items.append(f"<li>{link}{where}{when}</li>")
    return "".join(items)


def event_card_html(event: Mapping[str, object], sources: pd.DataFrame | None = None) -> str:
    """HTML for one selected event: who, when, stance and score; the whole sentence with the
    quote and the cue words marked; each cue in plain words with its weight and the rule
    applied (`cue_reading.read_cues`); every article that reports it (`statement_sources`,
    or the event's own when `sources` is None). Every value is HTML-escaped."""
    e = {key: str(event.get(key, "")) for key in ("speaker", "country", "date", "date_basis", "stance", "cues", "target", "sentence", "quote")}
    score = float(event.get("score", 0.0))
    confidence = float(event.get("confidence", 0.0))
    at = int(event.get("start", 0)) - int(event.get("sentence_start", 0))
    sentence = sentence_html(e["sentence"], e["quote"], at, e["cues"]) if e["sentence"] else highlight_cues(e["quote"], e["cues"])
    details = [f"date from: {e['date_basis'] or '—'}", f"confidence {confidence:.2f}"]
    if e["target"]:
        details.append(f"aimed at {e['target']}")
    found_by = str(event.get("found_by", "") or "")
    if found_by:
        details.append(f"found by {FOUND_BY_READING.get(found_by, found_by)}")
    readings = read_cues(e["cues"], e["stance"])
    cue_items = "".join(f"<li>{html.escape(r.plain())}</li>" for r in readings) or "<li>no cue words: nothing directional was said</li>"
    if sources is None:
        sources = pd.DataFrame([{c: str(event.get(c, "")) for c in ("source", "title", "url", "published", "doc_id", "input_file")}])
    return (
        f"<p style='margin:0 0 .4rem 0'><b>{html.escape(e['speaker'])}</b> ({html.escape(e['country'] or UNKNOWN)}) · "
        f"{html.escape(e['date'])} · {html.escape(e['stance'])} · score {score:+.2f}</p>"
        f"<p style='font-size:1.1rem;line-height:1.6;margin:0 0 .4rem 0'>{sentence}</p>"
        f"<p style='color:#666;font-size:.9rem;margin:0 0 .4rem 0'>{html.escape(' · '.join(details))}</p>"
        f"<p style='margin:.4rem 0 0 0'><b>Why {html.escape(e['stance'])}</b> (each cue, the rule applied, where it points and its weight on −3…+3):</p>"
        f"<ul class='cues' style='margin:0 0 .4rem 0'>{cue_items}</ul>"
        f"<p style='margin:.4rem 0 0 0'><b>Reported by {len(sources)} article{'s' if len(sources) != 1 else ''}</b></p>"
        f"<ul class='sources' style='margin:0'>{_sources_html(sources)}</ul>"
    )


TABLE_COLUMNS = ("date", "speaker", "country", "stance", "score", "quote", "url", "event_id")  # the app hides event_id: it keeps the selection


def evidence_rows(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The first `limit` filtered events as the evidence table shows them (plain text columns)."""
    head = events.iloc[:limit]
    table = pd.DataFrame({column: head[column] for column in TABLE_COLUMNS})
    for column in CATEGORICAL_COLUMNS:
        table[column] = table[column].astype("string")
    return table.reset_index(drop=True)


CARD_LIMIT = 25  # statements listed as cards on a small screen (a phone reader narrows the filters for more)


def evidence_cards_html(table: pd.DataFrame, *, matching: int, limit: int = CARD_LIMIT) -> str:
    """The evidence table's first `limit` rows as a list of cards, for a small screen where a
    table of seven columns cannot be read: who and when, stance and score, the quote, the source.
    `matching` is how many statements the filters let through. Every value is HTML-escaped."""
    cards = []
    for row in table.iloc[:limit].itertuples(index=False):
        stance = html.escape(str(row.stance))
        source = html.escape(str(row.url), quote=True)
        link = f"<a href='{source}' target='_blank' rel='noopener'>source</a>" if row.url else ""
        cards.append(
            f"<li class='card {stance}'><p class='who'><b>{html.escape(str(row.speaker))}</b> "
            f"({html.escape(str(row.country) or UNKNOWN)}) · {html.escape(str(row.date))}</p>"
            f"<p class='stance'>{stance} · score {float(row.score):+.2f} {link}</p>"
            f"<q class='quote'>{html.escape(str(row.quote))}</q></li>"
        )
    shown = min(limit, len(table))
    more = f"<p class='more'>The first {shown:,} of {matching:,} statements; narrow the filters to see others.</p>" if shown < matching else ""
    return f"<ul class='evidence-cards'>{''.join(cards)}</ul>{more}"


__all__ = [
    "CARD_LIMIT",
    "TABLE_COLUMNS",
    "evidence_cards_html",
    "event_card_html",
    "evidence_rows",
    "highlight_cues",
    "normalise_quote",
    "quote_span",
    "sentence_html",
    "shorten",
    "statement_sources",
]
