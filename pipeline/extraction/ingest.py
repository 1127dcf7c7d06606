"""Reading articles from files: `.txt` pages, JSON Lines / JSON arrays, CSV tables, saved HTML.

Every reader takes a file's name and bytes and yields `Article`s and `InputError`s in file
order: a bad record is reported and skipped, the rest of the file is still read. Only
`read_inputs` touches the file system (expanding folders, reading bytes), so the dashboard can
feed uploaded bytes to `read_bytes` and get the same articles and the same messages.

The rules a reader follows:
- Text is decoded as strict UTF-8 (a leading byte-order mark is dropped, line endings become
  "\\n" as Python's text mode does); a file that is not UTF-8 is an error naming the byte offset,
  never a silent mis-decoding. (A saved HTML page that declares another charset is decoded
  with that charset.)
- A `.txt` article keeps the file's whole text, header and trailing boilerplate included, so
  that the offsets of the events point into the file as read.
- A record's own date wins; `published` (the `--published` option) is only the fallback.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .body import find_dateline, parse_page_header
from ..errors import unreadable
from ..schema import Article

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".jsonl", ".json", ".csv", ".html", ".htm")
RECORD_FIELDS: tuple[str, ...] = ("id", "url", "source", "published", "title", "text")

# Formats accepted for a record's `published` besides ISO 8601 dates and date-times.
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%A, %B %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


class InputError(Exception):
    """One input (a file, or a record in it) that could not be read.

    `str()` gives the one line shown to the user: `data/x.csv: row 3: missing 'published'`.
    """

    def __init__(self, path: str | Path, problem: str, location: str | None = None):
        super().__init__(str(path), problem, location)
        self.path = str(path)
        self.problem = problem
        self.location = location

    def __str__(self) -> str:
        parts = [self.path] + ([self.location] if self.location else []) + [self.problem]
        return ": ".join(parts)


class NotUTF8(InputError):
    """The file's bytes are not valid UTF-8."""


class UnsupportedInput(InputError):
    """A path that is not a readable input: missing, wrong extension, a folder with no inputs."""


class RecordError(InputError):
    """One record (a line, row or array item) is malformed; the rest of its file is read."""


class DuplicateId(InputError):
    """An article whose doc_id was already read from an earlier record."""


@dataclass
class Inputs:
    """What `read_inputs` found: the articles in input order, and the inputs that failed."""

    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: int = 0


def read_inputs(
    paths: Iterable[str | Path],
    *,
    published: date | None = None,
    exclude: Iterable[str | Path] = (),
) -> Inputs:
    """Read every article under `paths` (files and folders, in the order given).

    Folders are searched recursively for files with a supported extension, in sorted order;
    hidden files and the paths in `exclude` (the output and its state file) are left out.
    A doc_id seen twice is an error for the later record.
    """
    excluded = {_resolved(p) for p in exclude}
    result = Inputs()
    seen_files: set[Path] = set()
    seen_ids: dict[str, str] = {}
    for path in _expand(paths, excluded, result.errors):
        key = _resolved(path)
        if key in seen_files:
            continue
        seen_files.add(key)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            result.errors.append(UnsupportedInput(path, unreadable(exc)))
            continue
        result.files += 1
        _collect(read_bytes(str(path), data, published=published), result, seen_ids)
    return result


def read_contents(files: Iterable[tuple[str, bytes]], *, published: date | None = None) -> Inputs:
    """Like `read_inputs`, for files already in memory (uploads): (file name, contents) pairs."""
    result = Inputs()
    seen_ids: dict[str, str] = {}
    for name, data in files:
        result.files += 1
        _collect(read_bytes(name, data, published=published), result, seen_ids)
    return result


def read_bytes(name: str, data: bytes, *, published: date | None = None) -> Iterator[Article | InputError]:
    """The articles (and errors) of one input file given by its name and contents."""
    suffix = Path(name).suffix.lower()
    readers = {
        ".txt": read_txt,
        ".jsonl": read_jsonl,
        ".json": read_json,
        ".csv": read_csv,
        ".html": read_html,
        ".htm": read_html,
    }
    reader = readers.get(suffix)
    if reader is None:
        yield UnsupportedInput(name, f"unsupported file type {suffix or '(none)'!r} (supported: {', '.join(SUPPORTED_EXTENSIONS)})")
        return
    yield from reader(name, data, published=published)


# --- the readers --------------------------------------------------------------------------


def read_txt(name: str, data: bytes, *, published: date | None = None) -> Iterator[Article | InputError]:
    """A news page saved as text: an optional `- Outlet - Weekday, Month D, YYYY` first line, the body."""
    try:
        text = decode_utf8(name, data)
    except InputError as exc:
        yield exc
        return
    first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if not first_line:
        yield RecordError(name, "empty file")
        return
    header = parse_page_header(first_line)
    source, day = header if header else ("", None)
    body = text.strip()
    if header and body.startswith(first_line):
        body = body[len(first_line):].strip()
    if not body:
        yield RecordError(name, "no article text after the header line")
        return
    day = day or find_dateline(text) or published
    if day is None:
        yield RecordError(name, "no date (no dated header line or dateline; give --published)")
        return
    yield Article(doc_id=Path(name).stem, text=text, published=day, source=source or "", input_file=name)


def read_jsonl(name: str, data: bytes, *, published: date | None = None) -> Iterator[Article | InputError]:
    """JSON Lines: one article object a line; blank lines are skipped; `id` defaults to `<stem>:<line>`."""
    try:
        text = decode_utf8(name, data)
    except InputError as exc:
        yield exc
        return
    stem = Path(name).stem
    found_any = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        found_any = True
        location = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(name, f"invalid JSON ({exc.msg} at column {exc.colno})", location)
            continue
        yield _article_from_record(record, name, location, f"{stem}:{number}", published)
    if not found_any:
        yield RecordError(name, "empty file")


def read_json(name: str, data: bytes, *, published: date | None = None) -> Iterator[Article | InputError]:
    """A `.json` file: a JSON array of article objects, one object, or JSON Lines."""
    try:
        text = decode_utf8(name, data)
    except InputError as exc:
        yield exc
        return
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            yield RecordError(name, f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
            return
        stem = Path(name).stem
        if not items:
            yield RecordError(name, "empty JSON array")
        for number, record in enumerate(items, start=1):
            yield _article_from_record(record, name, f"item {number}", f"{stem}:{number}", published)
        return
    if stripped.startswith("{") and "\n" in stripped.rstrip():
        # One pretty-printed object spread over several lines (JSON Lines has one per line).
        try:
            record = json.loads(text)
        except json.JSONDecodeError:
            pass
        else:
            yield _article_from_record(record, name, None, f"{Path(name).stem}:1", published)
            return
    yield from read_jsonl(name, data, published=published)


def read_csv(name: str, data: bytes, *, published: date | None = None) -> Iterator[Article | InputError]:
    """A CSV table with a header row naming (some of) `RECORD_FIELDS`; quoted fields may span lines.

    Rows are numbered from 1 after the header; `id` defaults to `<stem>:<row>`.
    """
    try:
        text = decode_utf8(name, data)
    except InputError as exc:
        yield exc
        return
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            yield RecordError(name, "empty file")
            return
        columns = [column.strip().lower() for column in header]
        if "text" not in columns:
            yield RecordError(name, f"no 'text' column (columns: {', '.join(columns) or 'none'})")
            return
        if "published" not in columns and published is None:
            yield RecordError(name, "no 'published' column (give --published)")
            return
        stem = Path(name).stem
        number = 0
        for number, row in enumerate(reader, start=1):
            if not any(cell.strip() for cell in row):
                continue
            location = f"row {number}"
            if len(row) > len(columns):
                yield RecordError(name, f"{len(row)} fields but the header has {len(columns)}", location)
                continue
            record = dict(zip(columns, row))
            yield _article_from_record(record, name, location, f"{stem}:{number}", published)
        if number == 0:
            yield RecordError(name, "no rows after the header")
    except csv.Error as exc:
        yield RecordError(name, f"malformed CSV ({exc})", f"line {reader.line_num}")


def read_html(name: str, data: bytes, *, published: date | None = None) -> Iterator[Article | InputError]:
    """A saved article page: main text, title, outlet, URL and date found by trafilatura.

    The headline, which trafilatura puts as the text's first line, is kept as `title` only.
    Date: the page's metadata, else a dateline in the text, else `published`.
    """
    try:
        html = _decode_html(name, data)
    except InputError as exc:
        yield exc
        return
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # max_date: htmldate drops dates after today by default; an archive may be dated ahead of the clock
        date_extraction_params={"extensive_search": False, "original_date": True, "max_date": "2100-12-31"},
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    title = (getattr(document, "title", None) or "").strip() if document is not None else ""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    if not lines:
        yield RecordError(name, "no article text found in the page")
        return
    text = "\n\n".join(lines)
    day = None
    raw_date = getattr(document, "date", None)
    if raw_date:
        try:
            day = parse_date(raw_date)
        except ValueError:
            day = None
    day = day or find_dateline(text) or published
    if day is None:
        yield RecordError(name, "no date found in the page (give --published)")
        return
    yield Article(
        doc_id=Path(name).stem,
        text=text,
        published=day,
        source=(getattr(document, "sitename", None) or "").strip(),
        url=(getattr(document, "url", None) or "").strip(),
        title=title,
        input_file=name,
    )


# --- helpers ------------------------------------------------------------------------------


def parse_date(value: str) -> date:
    """A record's date: ISO 8601 (`2020-01-09`, `2020-01-09T08:00:00Z`) or `January 9, 2020`.

    A date-time keeps its own calendar day (no time-zone conversion). Raises `ValueError`.
    """
    value = value.strip()
    for parse in (date.fromisoformat, lambda v: datetime.fromisoformat(v).date()):
        try:
            return parse(value)
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ValueError(f"unparseable date {value!r} (expected YYYY-MM-DD)")


def decode_utf8(name: str, data: bytes) -> str:
    """The text of a file's bytes as strict UTF-8, with the BOM dropped and newlines as "\\n"."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUTF8(name, unreadable(exc)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode_html(name: str, data: bytes) -> str:
    """A page as UTF-8, or in the charset its `<meta>` declares when that is not UTF-8."""
    try:
        return decode_utf8(name, data)
    except NotUTF8:
        declared = _CHARSET.search(data[:4096])
        if declared is None:
            raise
        charset = declared.group(1).decode("ascii")
        try:
            codecs.lookup(charset)
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise NotUTF8(name, f"cannot decode as its declared charset {charset!r} or as UTF-8") from None


def _article_from_record(
    record: object, name: str, location: str | None, default_id: str, published: date | None
) -> Article | InputError:
    """One record (a JSON object or a CSV row as a dict) as an Article, or the reason it is not one."""
    if not isinstance(record, dict):
        return RecordError(name, f"expected a JSON object, got {type(record).__name__}", location)
    values: dict[str, str] = {}
    for key in RECORD_FIELDS:
        value = record.get(key)
        if value is None:
            values[key] = ""
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            values[key] = str(value)
        else:
            return RecordError(name, f"{key!r} is a {type(value).__name__}, not a string", location)
    if "text" not in record:
        return RecordError(name, "missing 'text'", location)
    if not values["text"].strip():
        return RecordError(name, "empty 'text'", location)
    if values["published"].strip():
        try:
            day = parse_date(values["published"])
        except ValueError as exc:
            return RecordError(name, f"'published': {exc}", location)
    elif published is not None:
        day = published
    else:
        return RecordError(name, "missing 'published' (give --published)", location)
    return Article(
        doc_id=values["id"].strip() or default_id,
        text=values["text"],
        published=day,
        source=values["source"].strip(),
        url=values["url"].strip(),
        title=values["title"].strip(),
        input_file=name,
    )


def _collect(items: Iterable[Article | InputError], result: Inputs, seen_ids: dict[str, str]) -> None:
    for item in items:
        if isinstance(item, InputError):
            result.errors.append(item)
        elif item.doc_id in seen_ids:
            result.errors.append(
                DuplicateId(item.input_file, f"duplicate id {item.doc_id!r} (already read from {seen_ids[item.doc_id]})")
            )
        else:
            seen_ids[item.doc_id] = item.input_file
            result.articles.append(item)


def _expand(paths: Iterable[str | Path], excluded: set[Path], errors: list[InputError]) -> Iterator[Path]:
    """The input files named by `paths`: files as given, folders searched recursively."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                candidate
                for candidate in path.rglob("*")
                if candidate.is_file()
                and candidate.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
                and _resolved(candidate) not in excluded
            )
            if not found:
                errors.append(UnsupportedInput(path, f"no input files in folder (looked for {', '.join(SUPPORTED_EXTENSIONS)})"))
            yield from found
        elif path.exists() or path.is_symlink():
            if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                errors.append(UnsupportedInput(path, f"unsupported file type {path.suffix or '(none)'!r} (supported: {', '.join(SUPPORTED_EXTENSIONS)})"))
                continue
            yield path
        else:
            errors.append(UnsupportedInput(path, "no such file or folder"))


def _resolved(path: str | Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path).absolute()
