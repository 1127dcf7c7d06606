"""The evidence: the table of filtered statements and the card of the one selected.

Everything shown here is HTML-escaped before any markup is added, so a quote can never inject
HTML into the page (the app renders the card with `st.html`).
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping

import pandas as pd

from .views import CATEGORICAL_COLUMNS, UNKNOWN


def shorten(text: str, limit: int = 160) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(",;:") + "…"


def split_cues(cues: str) -> list[str]:
    """The cue words of an event's `cues` field (";"-separated), without blanks or repeats."""
    return list(dict.fromkeys(c.strip() for c in cues.split(";") if c.strip()))


def highlight_cues(sentence: str, cues: str, *, tag: str = "mark") -> str:
    """HTML for `sentence` with each cue word wrapped in `<mark>`; all text is HTML-escaped.

    A cue matches as a whole word, case-insensitively; a cue found nowhere as a whole word
    (a lemma such as "warn" for "warned") matches as the start of a word instead.
    """
    patterns = []
    for cue in sorted(split_cues(cues), key=len, reverse=True):
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


def event_card_html(event: Mapping[str, object]) -> str:
    """HTML for one selected event: who, when, stance and score, then the whole sentence with
    its cue words marked, then the details. Every value is HTML-escaped."""
    e = {key: str(event.get(key, "")) for key in ("speaker", "country", "date", "date_basis", "stance", "cues", "target", "sentence", "quote")}
    score = float(event.get("score", 0.0))
    confidence = float(event.get("confidence", 0.0))
    sentence = e["sentence"] or e["quote"]
    details = [f"date from: {e['date_basis'] or '—'}", f"confidence {confidence:.2f}"]
    if e["target"]:
        details.append(f"aimed at {e['target']}")
    details.append(f"cues: {', '.join(split_cues(e['cues'])) or 'none'}")
    return (
        f"<p style='margin:0 0 .4rem 0'><b>{html.escape(e['speaker'])}</b> ({html.escape(e['country'] or UNKNOWN)}) · "
        f"{html.escape(e['date'])} · {html.escape(e['stance'])} · score {score:+.2f}</p>"
        f"<p style='font-size:1.1rem;line-height:1.6;margin:0 0 .4rem 0'>{highlight_cues(sentence, e['cues'])}</p>"
        f"<p style='color:#666;font-size:.9rem;margin:0'>{html.escape(' · '.join(details))}</p>"
    )


TABLE_COLUMNS = ("date", "speaker", "country", "stance", "score", "quote", "url")


def evidence_rows(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The first `limit` filtered events as the evidence table shows them (plain text columns)."""
    head = events.iloc[:limit]
    table = pd.DataFrame({column: head[column] for column in TABLE_COLUMNS})
    for column in CATEGORICAL_COLUMNS:
        table[column] = table[column].astype("string")
    return table.reset_index(drop=True)


__all__ = ["TABLE_COLUMNS", "event_card_html", "evidence_rows", "highlight_cues", "shorten", "split_cues"]
