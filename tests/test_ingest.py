"""Reading articles: every input format, the date rules, and one clear message per bad input."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.extraction.ingest import (
    DuplicateId,
    InputError,
    NotUTF8,
    RecordError,
    UnsupportedInput,
    parse_date,
    read_bytes,
    read_contents,
    read_inputs,
)

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
PAGES = FIXTURES / "pages"


def read_one(path: Path, published: date | None = None):
    result = read_inputs([path], published=published)
    return result.articles, [str(e) for e in result.errors]


def test_ingest_txt_header_gives_outlet_and_date_and_keeps_whole_text():
    path = PAGES / "harbor_clash.txt"
    [article], errors = read_one(path)
    assert errors == []
    assert article.doc_id == "harbor_clash"
    assert article.source == "The Harbor Daily"
    assert article.published == date(2021, 3, 3)
    assert article.text == path.read_text(encoding="utf-8")  # offsets point into the file's text
    assert article.input_file == str(path)


def test_ingest_txt_dateline_when_no_header():
    [article], errors = read_one(PAGES / "dateline_only.txt")
    assert errors == []
    assert (article.published, article.source) == (date(2021, 3, 5), "")


def test_ingest_txt_published_option_is_the_fallback():
    [article], errors = read_one(FIXTURES / "undated_note.txt", published=date(2021, 3, 1))
    assert errors == [] and article.published == date(2021, 3, 1)
    # ... and never overrides a date the page gives
    [article], _ = read_one(PAGES / "harbor_clash.txt", published=date(2000, 1, 1))
    assert article.published == date(2021, 3, 3)


def test_ingest_txt_without_any_date_is_an_error():
    articles, errors = read_one(FIXTURES / "undated_note.txt")
    assert articles == []
    assert errors == [f"{FIXTURES / 'undated_note.txt'}: no date (no dated header line or dateline; give --published)"]


def test_ingest_jsonl_fields_and_defaults():
    articles, errors = read_one(FIXTURES / "wire.jsonl")
    assert errors == []
    assert [a.doc_id for a in articles] == ["wire-1", "wire-2", "wire:4"]  # blank line 2 skipped; id from the line
    first, second, third = articles
    assert (first.url, first.source, first.title) == ("https://example.org/news/1", "Example Wire", "Sudoria pledges restraint")
    assert second.published == date(2021, 3, 7)  # a date-time keeps its calendar day
    assert second.text.endswith("The official spoke on condition of anonymity.")
    assert (third.source, third.title, third.published) == ("", "", date(2021, 3, 8))


def test_ingest_json_array():
    articles, errors = read_one(FIXTURES / "briefs.json")
    assert errors == []
    assert [a.doc_id for a in articles] == ["brief-1", "brief-2"]


def test_ingest_json_single_pretty_printed_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"published": "2021-01-02", "text": "The minister said so."}, indent=2))
    [article], errors = read_one(path)
    assert errors == [] and article.doc_id == "one:1"


def test_ingest_csv_quoted_multiline_text():
    articles, errors = read_one(FIXTURES / "desk.csv")
    assert errors == []
    first, second = articles
    assert first.doc_id == "desk-1" and first.title == 'Minister: "no retreat"'
    assert first.text.startswith('Norland\'s prime minister said Tuesday, "There will be no retreat, not one step."\n\nShe spoke')
    assert '"constructive, frank, and useful"' in second.text
    assert second.published == date(2021, 3, 10)


def test_ingest_csv_published_option_fills_a_missing_column(tmp_path):
    path = tmp_path / "nodates.csv"
    path.write_text('id,text\nx1,"The army said it was ready."\n', encoding="utf-8")
    [article], errors = read_one(path, published=date(2021, 5, 6))
    assert errors == [] and (article.doc_id, article.published) == ("x1", date(2021, 5, 6))


def test_ingest_html_title_date_outlet_and_text():
    [article], errors = read_one(PAGES / "ministry_statement.html")
    assert errors == []
    assert article.doc_id == "ministry_statement"
    assert article.title == "Ministry rejects ultimatum after border incident"
    assert article.published == date(2021, 3, 11)
    assert article.source == "Northern Ledger"
    assert article.url == "https://ledger.example.com/world/ministry-rejects-ultimatum"
    assert article.text.startswith("The Sudorian Foreign Ministry said Thursday")
    assert '"No government can accept demands made at gunpoint,"' in article.text
    assert "Home" not in article.text and "Sport" not in article.text  # navigation dropped


HTML_WITHOUT_DATE = b"""<html><head><title>Talks resume</title></head><body><article>
<h1>Talks resume</h1>
<p>Negotiators from the two neighbouring countries met again in the lakeside city and agreed to meet again next month, officials said.</p>
<p>"We have made real progress on the prisoner exchange," the chief negotiator told reporters after the session ended.</p>
</article></body></html>"""


def test_ingest_html_date_falls_back_to_published():
    items = list(read_bytes("talks.html", HTML_WITHOUT_DATE, published=date(2021, 4, 1)))
    [article] = items
    assert article.published == date(2021, 4, 1)
    assert article.title == "Talks resume"
    [error] = list(read_bytes("talks.html", HTML_WITHOUT_DATE))
    assert str(error) == "talks.html: no date found in the page (give --published)"


def test_ingest_html_in_a_declared_charset():
    page = HTML_WITHOUT_DATE.replace(b"<head>", b'<head><meta charset="windows-1252">').replace(b"lakeside", b"caf\xe9-lined")
    [article] = list(read_bytes("latin.html", page, published=date(2021, 4, 1)))
    assert "café-lined" in article.text


LINE = '{"id": "ok", "published": "2021-01-02", "text": "The minister said so."}'

BAD_RECORDS = [
    # (file name, contents, the one message, published option)
    ("a.jsonl", LINE + "\n{not json}\n", "a.jsonl: line 2: invalid JSON (Expecting property name enclosed in double quotes at column 2)", None),
    ("a.jsonl", LINE + '\n{"published": "2021-01-02"}\n', "a.jsonl: line 2: missing 'text'", None),
    ("a.jsonl", LINE + '\n{"published": "2021-01-02", "text": "  "}\n', "a.jsonl: line 2: empty 'text'", None),
    ("a.jsonl", LINE + '\n{"text": "The army said so."}\n', "a.jsonl: line 2: missing 'published' (give --published)", None),
    ("a.jsonl", LINE + '\n{"published": "next week", "text": "x"}\n',
     "a.jsonl: line 2: 'published': unparseable date 'next week' (expected YYYY-MM-DD)", None),
    ("a.jsonl", LINE + '\n{"published": "2021-02-30", "text": "x"}\n',
     "a.jsonl: line 2: 'published': unparseable date '2021-02-30' (expected YYYY-MM-DD)", None),
    ("a.jsonl", LINE + '\n["a list"]\n', "a.jsonl: line 2: expected a JSON object, got list", None),
    ("a.jsonl", LINE + '\n{"published": "2021-01-02", "text": ["x"]}\n', "a.jsonl: line 2: 'text' is a list, not a string", None),
    ("a.json", '[' + LINE + ', {"text": "y"}]', "a.json: item 2: missing 'published' (give --published)", None),
    ("a.json", '[' + LINE + ',', "a.json: invalid JSON (Expecting value at line 1, column 75)", None),
    ("a.csv", "id,published,body\nx,2021-01-01,hello\n", "a.csv: no 'text' column (columns: id, published, body)", None),
    ("a.csv", "id,text\nx,hello\n", "a.csv: no 'published' column (give --published)", None),
    ("a.csv", "id,published,text\nx,2021-01-01,fine\ny,,hello\n", "a.csv: row 2: missing 'published' (give --published)", None),
    ("a.csv", "id,published,text\nx,2021-01-01,fine\ny,2021-01-01,\n", "a.csv: row 2: empty 'text'", None),
    ("a.csv", "id,published,text\n", "a.csv: no rows after the header", None),
    ("a.txt", "   \n\n", "a.txt: empty file", None),
    ("a.txt", "- The Harbor Daily - Wednesday, March 3, 2021\n\n", "a.txt: no article text after the header line", None),
    ("a.jsonl", "", "a.jsonl: empty file", None),
    ("a.html", "<html><body></body></html>", "a.html: no article text found in the page", date(2021, 1, 1)),
    ("a.pdf", "%PDF", "a.pdf: unsupported file type '.pdf' (supported: .txt, .jsonl, .json, .csv, .html, .htm)", None),
]


@pytest.mark.parametrize("name, contents, message, published", BAD_RECORDS)
def test_ingest_bad_record_gives_one_message_and_keeps_the_rest(name, contents, message, published):
    items = list(read_bytes(name, contents.encode("utf-8"), published=published))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == [message]
    if "line 2" in message or "row 2" in message or "item 2" in message:
        assert [i.doc_id for i in items if not isinstance(i, InputError)] == ["ok" if "ok" in contents else "x"]


@pytest.mark.parametrize("name", ["bad.txt", "bad.jsonl", "bad.csv", "bad.json"])
def test_ingest_non_utf8_names_the_byte_offset(name):
    data = b'{"text": "Caf\xe9 owners said"}\n' if name.endswith(("jsonl", "json")) else b"text\nCaf\xe9 owners said\n"
    [error] = list(read_bytes(name, data, published=date(2021, 1, 1)))
    assert isinstance(error, NotUTF8)
    assert str(error) == f"{name}: not UTF-8 (invalid byte 0xe9 at byte offset {data.index(0xE9)})"


def test_ingest_utf8_bom_and_crlf(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes('\ufeffid,published,text\r\nb1,2021-01-01,"Line one.\r\nLine two."\r\n'.encode("utf-8"))
    [article], errors = read_one(path)
    assert errors == [] and article.doc_id == "b1" and article.text == "Line one.\nLine two."


def test_read_inputs_folder_is_recursive_sorted_and_skips_other_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("The minister said so.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("The minister said so.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("not an article", encoding="utf-8")
    result = read_inputs([tmp_path], published=date(2021, 1, 1))
    assert result.errors == []
    assert [a.doc_id for a in result.articles] == ["a", "b"]
    assert result.files == 2


def test_read_inputs_path_problems(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    result = read_inputs([tmp_path / "missing.jsonl", empty, tmp_path / "notes.md", FIXTURES / "briefs.json"])
    assert [str(e) for e in result.errors] == [
        f"{tmp_path / 'missing.jsonl'}: no such file or folder",
        f"{empty}: no input files in folder (looked for .txt, .jsonl, .json, .csv, .html, .htm)",
        f"{tmp_path / 'notes.md'}: unsupported file type '.md' (supported: .txt, .jsonl, .json, .csv, .html, .htm)",
    ]
    assert all(isinstance(e, UnsupportedInput) for e in result.errors)
    assert [a.doc_id for a in result.articles] == ["brief-1", "brief-2"]


def test_read_inputs_unreadable_file(tmp_path):
    path = tmp_path / "dangling.txt"
    path.symlink_to(tmp_path / "gone.txt")  # unreadable even for root, unlike a chmod 000 file
    result = read_inputs([path])
    assert [str(e) for e in result.errors] == [f"{path}: no such file"]  # a dangling link


def test_read_inputs_duplicate_id_is_an_error_for_the_later_record(tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(LINE + "\n", encoding="utf-8")
    second.write_text(LINE.replace("said so", "said no") + "\n" + LINE.replace('"ok"', '"new"') + "\n", encoding="utf-8")
    result = read_inputs([first, second])
    assert [a.doc_id for a in result.articles] == ["ok", "new"]
    assert result.articles[0].text == "The minister said so."
    [error] = result.errors
    assert isinstance(error, DuplicateId)
    assert str(error) == f"{second}: duplicate id 'ok' (already read from {first})"


def test_read_contents_of_uploaded_files():
    result = read_contents([("one.jsonl", (LINE + "\n").encode()), ("two.jsonl", (LINE + "\n").encode())])
    assert [a.doc_id for a in result.articles] == ["ok"]
    assert [str(e) for e in result.errors] == ["two.jsonl: duplicate id 'ok' (already read from one.jsonl)"]


def test_read_inputs_reads_a_file_named_twice_once(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(LINE + "\n", encoding="utf-8")
    result = read_inputs([path, tmp_path])
    assert result.errors == [] and len(result.articles) == 1


def test_read_inputs_leaves_out_excluded_paths(tmp_path):
    (tmp_path / "a.jsonl").write_text(LINE + "\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text("event_id\n", encoding="utf-8")
    (tmp_path / "events.csv.state.json").write_text("{}", encoding="utf-8")
    result = read_inputs([tmp_path], exclude=[tmp_path / "events.csv", tmp_path / "events.csv.state.json"])
    assert result.errors == [] and [a.doc_id for a in result.articles] == ["ok"]


@pytest.mark.parametrize("value, expected", [
    ("2020-01-09", date(2020, 1, 9)),
    ("2020-01-09T23:30:00-05:00", date(2020, 1, 9)),
    ("2020-01-09T10:00:00Z", date(2020, 1, 9)),
    ("January 9, 2020", date(2020, 1, 9)),
    ("Thursday, January 9, 2020", date(2020, 1, 9)),
    ("9 January 2020", date(2020, 1, 9)),
])
def test_parse_date_formats(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", "yesterday", "2020-13-01", "May"])
def test_parse_date_refuses_other_text(value):
    with pytest.raises(ValueError, match="unparseable date"):
        parse_date(value)


def test_input_error_message_shapes():
    assert str(RecordError("data/x.csv", "missing 'published' (give --published)", "row 3")) == (
        "data/x.csv: row 3: missing 'published' (give --published)"
    )
    assert str(UnsupportedInput("x.pdf", "unsupported")) == "x.pdf: unsupported"


def test_every_command_words_an_unreadable_file_alike(tmp_path):
    from pipeline.errors import unreadable
    from pipeline.monitor.feeds import FeedListError, read_feed_list
    from pipeline.store.tables import StoreError, read_events

    latin = tmp_path / "latin.csv"
    latin.write_bytes("Caf\xe9".encode("latin-1"))
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    for read, error in ((read_feed_list, FeedListError), (read_events, StoreError)):
        with pytest.raises(error, match=r"latin.csv: not UTF-8 \(invalid byte 0xe9 at byte offset 3\)"):
            read(latin)
        with pytest.raises(error, match="is a folder, not a file"):
            read(folder)
    assert unreadable(PermissionError(13, "Permission denied")) == "cannot read: Permission denied"
