"""The batch runner (chunks, pool, incremental re-runs) and the events store it writes.

The extractor is replaced by a small fake that finds "said" sentences, so these tests check the
runner's bookkeeping whatever the real extraction stages do.
"""
from __future__ import annotations

import csv
import json
from functools import partial
import re
import string
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.runner import ExtractionError, RunError, process_articles, process_paths, state_path
from pipeline.schema import EVENT_COLUMNS, STANCES, Article, Event, events_to_frame, make_event_id
from pipeline.store.tables import StoreError, read_events, write_events

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


class FakeExtractor:
    """One event per sentence holding "said"; raises on an article whose text holds "CRASH"."""

    calls: list[int] = []
    options: list[dict] = []

    def __init__(self, model_name: str | None = None, **options):
        self.model_name = model_name
        FakeExtractor.options.append(options)

    def extract(self, articles):
        FakeExtractor.calls.append(len(articles))
        return [self._events(article) for article in articles]

    def _events(self, article: Article) -> list[Event]:
        if "CRASH" in article.text:
            raise ValueError("cannot parse")
        events = []
        for match in re.finditer(r"[^.\n]*\bsaid\b[^.\n]*\.", article.text):
            start, end = match.span()
            events.append(Event(
                event_id=make_event_id(article.doc_id, start, end, "someone"), doc_id=article.doc_id,
                published=article.published.isoformat(), date=article.published.isoformat(), date_basis="published",
                speaker="someone", country="", target="", stance="neutral", score=0.0, confidence=0.5, cues="",
                quote=match.group(), start=start, end=end, sentence=match.group(), source=article.source,
                url=article.url, title=article.title, sentence_start=start, speaker_mention="someone",
                input_file=article.input_file,
            ))
        return events


@pytest.fixture
def fake_extractor():
    FakeExtractor.calls = []
    FakeExtractor.options = []
    return FakeExtractor


# The runner with the fake extractor, in this process.
run_paths = partial(process_paths, extractor_factory=FakeExtractor, workers=1)


def write_articles(folder: Path, texts: dict[str, str]) -> Path:
    path = folder / "articles.jsonl"
    lines = [json.dumps({"id": doc_id, "published": "2021-03-01", "text": text}) for doc_id, text in texts.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TEXTS = {
    "a": "The minister said the army was ready. Nothing else happened.",
    "b": "Officials said talks would resume. The envoy said he was hopeful.",
    "c": "No statement here.",
}


def test_runner_process_articles_chunks_and_keeps_article_order(fake_extractor):
    articles = [Article(f"d{i}", f"Envoy {i} said hello.", date(2021, 1, 1)) for i in range(70)]
    seen = []
    frame = process_articles(articles, workers=1, extractor_factory=FakeExtractor, progress=lambda done, total: seen.append((done, total)))
    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert list(frame["doc_id"]) == [f"d{i}" for i in range(70)]
    assert fake_extractor.calls == [32, 32, 6]
    assert seen == [(0, 70), (32, 70), (64, 70), (70, 70)]


def test_runner_extraction_failure_is_reported_for_that_article_only(fake_extractor):
    articles = [Article("good", "He said yes.", date(2021, 1, 1), input_file="in.jsonl"),
                Article("bad", "CRASH. He said no.", date(2021, 1, 1), input_file="in.jsonl")]
    errors = []
    frame = process_articles(articles, workers=1, extractor_factory=FakeExtractor, errors=errors)
    assert list(frame["doc_id"]) == ["good"]
    [error] = errors
    assert isinstance(error, ExtractionError)
    assert str(error) == "in.jsonl: article 'bad': extraction failed: ValueError: cannot parse"


def test_measuring_stops_when_extraction_fails_on_an_article(fake_extractor):
    from pipeline.evaluate import extract_every_article

    good = Article("good", "He said yes.", date(2021, 1, 1), input_file="in.jsonl")
    assert list(extract_every_article([good], workers=1, extractor_factory=FakeExtractor)["doc_id"]) == ["good"]
    bad = Article("bad", "CRASH. He said no.", date(2021, 1, 1), input_file="in.jsonl")
    with pytest.raises(SystemExit, match=r"(?s)extraction failed on 1 article.*in.jsonl: article 'bad': extraction failed: ValueError"):
        extract_every_article([good, bad], workers=1, extractor_factory=FakeExtractor)


def test_runner_pool_gives_the_same_events_as_one_process():
    articles = [Article(f"p{i}", f"The foreign minister said on Tuesday that talks {i} would resume.", date(2021, 1, 7))
                for i in range(45)]
    articles[20] = Article("p20", "CRASH. The envoy said no.", date(2021, 1, 7), input_file="x.jsonl")
    local_errors, pooled_errors = [], []
    local = process_articles(articles, workers=1, extractor_factory=FakeExtractor, errors=local_errors)
    pooled = process_articles(articles, workers=2, chunk_size=8, extractor_factory=FakeExtractor, errors=pooled_errors)
    assert len(local) == 44
    pd.testing.assert_frame_equal(local, pooled)
    assert [str(e) for e in pooled_errors] == [str(e) for e in local_errors] == [
        "x.jsonl: article 'p20': extraction failed: ValueError: cannot parse"
    ]


def test_runner_missing_model_is_a_run_error():
    articles = [Article("x", "He said so.", date(2021, 1, 1))]
    with pytest.raises(RunError, match="no spaCy model found"):
        process_articles(articles, workers=1, model_name="no_such_model_xyz")


def test_runner_missing_model_in_the_pool_is_a_run_error_not_a_hang():
    articles = [Article(f"x{i}", "He said so.", date(2021, 1, 1)) for i in range(40)]
    with pytest.raises(RunError, match="no spaCy model found"):
        process_articles(articles, workers=2, model_name="no_such_model_xyz")


def test_runner_rerun_skips_unchanged_and_reprocesses_changed(tmp_path, fake_extractor):
    inputs = write_articles(tmp_path, TEXTS)
    out = tmp_path / "events.csv"
    first = run_paths([inputs], out=out)
    assert (first.articles, first.processed, first.skipped, first.statements) == (3, 3, 0, 3)
    assert first.written and state_path(out).exists()

    again = run_paths([inputs], out=out)
    assert (again.processed, again.skipped) == (0, 3)
    pd.testing.assert_frame_equal(again.events, first.events)
    pd.testing.assert_frame_equal(read_events(out), first.events)

    write_articles(tmp_path, {**TEXTS, "b": "Officials said talks were off."})
    changed = run_paths([inputs], out=out)
    assert (changed.processed, changed.skipped) == (1, 2)
    assert list(changed.events["doc_id"]) == ["a", "b"]  # input order kept across reused and new rows
    assert list(changed.events["quote"]) == ["The minister said the army was ready.", "Officials said talks were off."]

    forced = run_paths([inputs], out=out, force=True)
    assert (forced.processed, forced.skipped) == (3, 0)


def test_runner_output_holds_exactly_the_given_inputs(tmp_path, fake_extractor):
    out = tmp_path / "events.csv"
    run_paths([write_articles(tmp_path, TEXTS)], out=out)
    report = run_paths([write_articles(tmp_path, {"a": TEXTS["a"]})], out=out)
    assert (report.processed, report.skipped) == (0, 1)
    assert list(read_events(out)["doc_id"]) == ["a"]


def test_runner_reprocesses_everything_when_output_is_missing_or_unreadable(tmp_path, fake_extractor):
    inputs = write_articles(tmp_path, TEXTS)
    out = tmp_path / "events.csv"
    run_paths([inputs], out=out)
    out.unlink()
    assert run_paths([inputs], out=out).processed == 3
    out.write_text("this is not an events table\n", encoding="utf-8")
    assert run_paths([inputs], out=out).processed == 3
    # rows deleted from the output by hand: the article is extracted again
    frame = read_events(out)
    write_events(frame[frame["doc_id"] != "b"], out)
    report = run_paths([inputs], out=out)
    assert (report.processed, report.skipped, report.statements) == (1, 2, 3)


def test_runner_editing_a_data_file_reprocesses(tmp_path, monkeypatch, fake_extractor):
    from pipeline import runner

    data = tmp_path / "data"
    data.mkdir()
    (data / "lexicon.csv").write_text("word,weight\nwarn,1\n", encoding="utf-8")
    monkeypatch.setattr(runner, "DATA_DIR", data)
    inputs = write_articles(tmp_path, TEXTS)
    out = tmp_path / "events.parquet"
    run_paths([inputs], out=out)
    assert run_paths([inputs], out=out).skipped == 3
    (data / "lexicon.csv").write_text("word,weight\nwarn,2\n", encoding="utf-8")
    assert run_paths([inputs], out=out).processed == 3


def test_runner_actor_and_place_files_reach_the_extractor_and_editing_them_reprocesses(tmp_path, fake_extractor):
    actors = tmp_path / "actors.csv"
    actors.write_text("name,country\nArvid Kessel,Norland\n", encoding="utf-8")
    inputs = write_articles(tmp_path, TEXTS)
    out = tmp_path / "events.csv"
    run_paths([inputs], out=out, actor_files=[actors])
    assert fake_extractor.options == [{"actor_files": [str(actors)]}]
    assert run_paths([inputs], out=out, actor_files=[actors]).skipped == 3
    actors.write_text("name,country\nArvid Kessel,Sudoria\n", encoding="utf-8")
    assert run_paths([inputs], out=out, actor_files=[actors]).processed == 3
    assert run_paths([inputs], out=out).processed == 3  # run without the file: different output


def test_runner_changed_published_date_reprocesses(tmp_path, fake_extractor):
    inputs = tmp_path / "undated.txt"
    inputs.write_text("The minister said so.", encoding="utf-8")
    out = tmp_path / "events.csv"
    run_paths([inputs], out=out, published=date(2021, 1, 1))
    report = run_paths([inputs], out=out, published=date(2021, 1, 2))
    assert report.processed == 1 and list(report.events["published"]) == ["2021-01-02"]


def test_runner_bad_inputs_are_reported_and_the_rest_written(tmp_path, fake_extractor):
    inputs = write_articles(tmp_path, TEXTS)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "He said so."}\n', encoding="utf-8")
    out = tmp_path / "events.csv"
    report = run_paths([inputs, bad, tmp_path / "missing.txt"], out=out)
    assert [str(e) for e in report.errors] == [
        f"{bad}: line 1: missing 'published' (give --published)",
        f"{tmp_path / 'missing.txt'}: no such file or folder",
    ]
    assert not report.ok and report.articles == 3
    assert set(read_events(out)["doc_id"]) == {"a", "b"}


def test_runner_leaves_the_output_alone_when_nothing_could_be_read(tmp_path, fake_extractor):
    out = tmp_path / "events.csv"
    run_paths([write_articles(tmp_path, TEXTS)], out=out)
    before = out.read_bytes()
    report = run_paths([tmp_path / "typo.jsonl"], out=out)
    assert not report.written and out.read_bytes() == before


def test_runner_failed_article_is_retried_next_run(tmp_path, fake_extractor):
    inputs = write_articles(tmp_path, {**TEXTS, "c": "CRASH. He said no."})
    out = tmp_path / "events.csv"
    report = run_paths([inputs], out=out)
    assert [e.doc_id for e in report.errors] == ["c"]
    assert run_paths([inputs], out=out).processed == 1


def test_runner_output_and_state_files_in_the_input_folder_are_not_inputs(tmp_path, fake_extractor):
    write_articles(tmp_path, TEXTS)
    out = tmp_path / "events.csv"
    run_paths([tmp_path], out=out)
    report = run_paths([tmp_path], out=out)
    assert report.errors == [] and report.skipped == 3


def test_runner_reads_every_fixture_format(tmp_path, fake_extractor):
    report = run_paths([FIXTURES], out=tmp_path / "events.csv", published=date(2021, 3, 1))
    assert report.errors == [] and report.articles == 11
    assert report.statements > 0


# --- the store ----------------------------------------------------------------------------


def test_store_rejects_unknown_extension_and_non_tables(tmp_path):
    with pytest.raises(StoreError, match=r"unsupported output type '\.xlsx'"):
        write_events(events_to_frame([]), tmp_path / "events.xlsx")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(StoreError, match="not an events table: missing column"):
        read_events(tmp_path / "other.csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match=r"empty\.csv: not an events table \(empty file\)"):
        read_events(tmp_path / "empty.csv")
    (tmp_path / "junk.parquet").write_text("not parquet", encoding="utf-8")
    with pytest.raises(StoreError, match="junk.parquet: not an events table"):
        read_events(tmp_path / "junk.parquet")
    with pytest.raises(StoreError, match="no such file"):
        read_events(tmp_path / "missing.csv")


def test_store_write_is_atomic_and_leaves_no_temporary_files(tmp_path):
    out = tmp_path / "sub" / "events.csv"
    write_events(events_to_frame([]), out)
    write_events(events_to_frame([]), out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["events.csv"]
    with out.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [list(EVENT_COLUMNS)]
    assert out.stat().st_mode & 0o777 != 0o600


# Characters that trouble CSV writers and readers, plus any other printable text.
tricky = st.sampled_from(list(',"\'\n\r\t \u00e9\u2028\x85\x0b\U0001f600') + ["NA", "null", "nan", "1.5", "#"])
safe_text = st.lists(tricky | st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12).map("".join)
events = st.builds(
    Event,
    event_id=st.text(string.hexdigits, min_size=16, max_size=16),
    doc_id=safe_text, published=st.dates().map(date.isoformat), date=st.dates().map(date.isoformat),
    date_basis=safe_text, speaker=safe_text, country=safe_text, target=safe_text,
    stance=st.sampled_from(STANCES),
    score=st.floats(-1, 1, allow_nan=False), confidence=st.floats(0, 1, allow_nan=False),
    cues=safe_text, quote=safe_text, start=st.integers(0, 10**7), end=st.integers(0, 10**7),
    sentence=safe_text, source=safe_text, url=safe_text, title=safe_text,
    sentence_start=st.integers(0, 10**7), speaker_mention=safe_text, input_file=safe_text,
)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(events, max_size=6))
def test_store_round_trip(tmp_path, suffix, rows):
    frame = events_to_frame(rows)
    path = tmp_path / f"events{suffix}"
    write_events(frame, path)
    pd.testing.assert_frame_equal(read_events(path), frame)
