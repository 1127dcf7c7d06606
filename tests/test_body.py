"""Article body vs page boilerplate (pipeline/extraction/body.py, data/boilerplate.csv)."""
from __future__ import annotations

import csv
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extraction import body
from pipeline.extraction.body import Paragraph, body_paragraphs, find_dateline, parse_page_header

# A fictional page copied from a browser: header line, body (single and double line breaks,
# a short sentence, a quote-only paragraph, mid-article clutter), then the page footer.
PAGE = """- The Meridian Courier - Tuesday, March 11, 2031

Share this article
The defence minister of Carvania said Monday that the drills near the border would continue "for as long as it takes."

Photo: Carvanian troops on parade in the capital. (Photo by Ana Lind/Meridian Wire)
Soldiers unload equipment near the border on Sunday. (AP Photo/Tomas Berg)
Advertisement

No shots were fired.
\u201cWe do not seek a war with anyone, but we will defend our territory,\u201d Foreign Minister Ilse Varga told reporters late Monday.
In a statement, the ministry said:
\u201cThe exercises are routine\u201d

Related: Carvania recalls its ambassador
READ MORE:
Military analysts said the deployment was the largest in a decade.
Follow Jane Roe on Twitter @janeroe

Sign up for Daily Newsletters

Manage Newsletters

Copyright \u00a9 2031 The Meridian Courier. Click here for reprint permission.

Please read our comment policy before commenting.


Click to Read More and View Comments

Click to Hide
The premier said the talks would resume on Friday.
"""

KEPT = [
    'The defence minister of Carvania said Monday that the drills near the border would continue "for as long as it takes."',
    "No shots were fired.",
    "\u201cWe do not seek a war with anyone, but we will defend our territory,\u201d Foreign Minister Ilse Varga told reporters late Monday.",
    "In a statement, the ministry said:",
    "\u201cThe exercises are routine\u201d",
    "Military analysts said the deployment was the largest in a decade.",
]


def test_body_paragraphs_keeps_exactly_the_article_paragraphs():
    assert [p.text for p in body_paragraphs(PAGE)] == KEPT


def test_body_paragraphs_offsets_slice_back_to_the_text():
    for paragraph in body_paragraphs(PAGE):
        assert PAGE[paragraph.start:paragraph.end] == paragraph.text


def test_body_paragraphs_drops_everything_after_an_end_marker():
    texts = [p.text for p in body_paragraphs(PAGE)]
    assert "The premier said the talks would resume on Friday." not in texts  # after the footer


def test_body_paragraphs_end_marker_before_any_body_is_only_a_line():
    text = "\u00a9 2031 Meridian Wire\n\nThe minister said the border was calm.\nAll rights reserved.\nTrailing text."
    assert [p.text for p in body_paragraphs(text)] == ["The minister said the border was calm."]


def test_body_paragraphs_mid_article_newsletter_promo_is_not_an_end_marker():
    text = (
        "The minister said the drills were over.\n"
        "Sign up for the Meridian Brief newsletter to get the top stories of the day in your inbox.\n"
        "The army said the troops would return to barracks."
    )
    assert [p.text for p in body_paragraphs(text)] == [
        "The minister said the drills were over.",
        "The army said the troops would return to barracks.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for Daily Newsletters",
        "Manage Newsletters",
        "Copyright \u00a9 2031 The Meridian Courier, LLC. Click here for reprint permission.",
        "Please read our comment policy before commenting.",
        "Click to Read More and View Comments",
        "Click to Hide",
        "Read more: Carvania and Moldavia sign a border deal",
        "Follow us on Twitter",
        "\u00a9 2031 Meridian Wire. All rights reserved.",
        "This story has been corrected to show the minister spoke on Monday.",
        "Troops march in the capital on Sunday. (Photo by Ana Lind/Meridian Wire)",
        "A convoy crosses the river. AP Photo/Tomas Berg",
        "Related: What the drills mean for the region",
        "Advertisement",
        "Share this article",
        "Subscribe",
        "Subscribe to our newsletter for the latest updates.",
        "(Reporting by Jane Roe; Editing by John Doe)",
        "The Associated Press contributed to this report.",
    ],
)
def test_boilerplate_lines_never_reach_the_body(line):
    text = f"The minister said the drills were over.\n{line}"
    assert [p.text for p in body_paragraphs(text)] == ["The minister said the drills were over."]


@pytest.mark.parametrize(
    "paragraph",
    [
        "He declined to comment.",
        "\u201cNever.\u201d",
        '"We will respond"',
        "Is this the end?",
        "The general said the photo was taken by a drone.",
        "The foreign ministry said in a long statement on its website that the talks had collapsed after the third round",
    ],
)
def test_body_paragraphs_keeps_short_sentences_and_quotes(paragraph):
    assert [p.text for p in body_paragraphs(paragraph)] == [paragraph]


@pytest.mark.parametrize(
    "label",
    ["WORLD NEWS", "By Jane Roe", "Carvania recalls ambassador amid border row", "***", "Tweet", "Reuters | March 3, 2031"],
)
def test_is_label_line(label):
    assert body.is_label_line(label) or parse_page_header(label) is not None
    assert body_paragraphs(label) == []


def test_body_paragraphs_handles_windows_line_breaks_and_indentation():
    text = "  First sentence here.  \r\n\r\n\tSecond one.\r\n"
    assert body_paragraphs(text) == [Paragraph(2, 22, "First sentence here."), Paragraph(29, 40, "Second one.")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- The Washington Times - Thursday, January 9, 2020", ("The Washington Times", dt.date(2020, 1, 9))),
        ("Reuters | March 3, 2031", ("Reuters", dt.date(2031, 3, 3))),
        ("By Jane Roe, Meridian Wire \u2014 12 March 2031", ("Meridian Wire", dt.date(2031, 3, 12))),
        ("Published: 2031-03-12", ("", dt.date(2031, 3, 12))),
        ("Last updated: 2031-03-12T10:15:00Z", ("", dt.date(2031, 3, 12))),
        ("Politics | Reuters | Published: March 3, 2031", ("Reuters", dt.date(2031, 3, 3))),
        ("The Meridian Post \u2014 Tue 11 Mar 2031 09.30 GMT", ("The Meridian Post", dt.date(2031, 3, 11))),
        ("al-Monitor | March 3, 2031 10:32 AM ET", ("al-Monitor", dt.date(2031, 3, 3))),
        ("Thursday, January 9, 2020", ("", dt.date(2020, 1, 9))),
        ("The strike happened on January 9, 2020", None),
        ("The strike happened in Baghdad, January 9, 2020", None),
        ("Officials met on January 9, 2020.", None),
        ("Carvania fires missiles - January 9, 2020", None),
        ("Reuters | February 30, 2031", None),
        ("Reuters | March 3", None),
        ("By Jane Roe", None),
        ("", None),
    ],
)
def test_parse_page_header(line, expected):
    assert parse_page_header(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TEHRAN, Jan 9 (Reuters) - Carvania said on Thursday ...", None),
        ("Jan. 9, 2020\nTEHRAN - The ministry said ...", dt.date(2020, 1, 9)),
        ("Meridian Wire, 9 January 2020. The ministry said ...", dt.date(2020, 1, 9)),
        ("2020-01-09 | The ministry said ...", dt.date(2020, 1, 9)),
        ("x" * 400 + " Jan. 9, 2020", None),
        ("", None),
    ],
)
def test_find_dateline(text, expected):
    assert find_dateline(text) == expected


def test_boilerplate_file_rows_are_well_formed():
    with body.BOILERPLATE_FILE.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    rows = list(csv.reader(lines))
    assert rows[0] == ["pattern", "kind"]
    assert all(len(row) == 2 for row in rows), [row for row in rows if len(row) != 2]
    patterns = [row[0] for row in rows[1:]]
    assert len(patterns) == len(set(patterns))
    assert {row[1] for row in rows[1:]} <= set(body.BOILERPLATE_KINDS)
    for pattern in patterns:
        re.compile(pattern)
    assert len(body.boilerplate_rules()) == len(patterns)


def test_boilerplate_rules_reject_an_unknown_kind(tmp_path, monkeypatch):
    bad = tmp_path / "boilerplate.csv"
    bad.write_text("pattern,kind\nadvertisement,skip\n", encoding="utf-8")
    monkeypatch.setattr(body, "BOILERPLATE_FILE", bad)
    body.boilerplate_rules.cache_clear()
    try:
        with pytest.raises(body.BoilerplateFileError, match="'skip' is not one of line, end"):
            body.boilerplate_rules()
    finally:
        body.boilerplate_rules.cache_clear()


_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\"\u201c:\t-\u00a0\u2003|0129") + list(_LINE_BREAKS)) | st.characters()))
def test_body_paragraphs_offsets_always_slice_back(text):
    paragraphs = body_paragraphs(text)
    previous_end = 0
    for paragraph in paragraphs:
        assert text[paragraph.start:paragraph.end] == paragraph.text
        assert paragraph.text and paragraph.text == paragraph.text.strip()
        assert not any(c in paragraph.text for c in _LINE_BREAKS)
        assert paragraph.start >= previous_end
        previous_end = paragraph.end
