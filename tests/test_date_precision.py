"""How closely the text dates a statement: the `date_precision` column set by extraction."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.schema import DATE_PRECISIONS, Article

PUBLISHED = dt.date(2024, 3, 8)  # a Friday


@pytest.mark.parametrize(
    ("sentence", "date", "basis", "precision"),
    [
        ("Army spokesman Adan Bek said on Tuesday that the border was calm.", "2024-03-05", "Tuesday", "day"),
        ("Army spokesman Adan Bek said last week that the border was calm.", "2024-03-08", "last week", "week"),
        ("Army spokesman Adan Bek said earlier this month that the border was calm.", "2024-03-08", "earlier this month", "month"),
        ("Army spokesman Adan Bek recently said that the border was calm.", "2024-03-08", "recently", "month"),
        ("Army spokesman Adan Bek said that the border was calm.", "2024-03-08", "published", "published"),
        # a day cue governs before a vague one
        ("Army spokesman Adan Bek said on Tuesday that the border had been calm since last week.", "2024-03-05", "Tuesday", "day"),
    ],
)
def test_a_statements_cue_sets_its_date_and_precision(extractor, sentence, date, basis, precision):
    [event] = extractor.extract([Article("t", sentence, PUBLISHED)])[0]
    assert (event.date, event.date_basis, event.date_precision) == (date, basis, precision)


def test_a_carried_date_keeps_its_precision(extractor):
    text = ("Army spokesman Adan Bek said last week that the border was calm.\n\n"
            "Shops reopened in the town. Buses ran again. Schools stayed shut.\n\n"
            "Adan Bek added that talks with the neighbours would resume soon.")
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert [(e.date, e.date_precision) for e in events] == [("2024-03-08", "week"), ("2024-03-08", "week")]


def test_every_event_has_a_known_precision_and_is_its_own_statement(extractor):
    text = "Army spokesman Adan Bek said on Tuesday that the border was calm. He said recently that talks would go on."
    events = extractor.extract([Article("t", text, PUBLISHED)])[0]
    assert events and all(e.date_precision in DATE_PRECISIONS and e.statement_id == e.event_id for e in events)
