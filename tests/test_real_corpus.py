"""The real-news corpus (eval/real): what the issue promises of it, checked on the files themselves.

None of its articles may be one of the hidden set's (../shared/eval/reserved_urls.sha256), every
quote must be the article's own words, and the split must hold out whole conflicts."""
from collections import Counter

import pytest

from pipeline.annotated import REAL_CORPUS, RESERVED_URLS, AnnotatedSet, conflict_of, normalised_url, read_jsonl, reserved_hashes, url_hash

SCORE_OF = {"escalation": {1, 2, 3}, "de-escalation": {-1, -2, -3}, "neutral": {0}}


@pytest.fixture(scope="module")
def corpus() -> AnnotatedSet:
    return AnnotatedSet.load(REAL_CORPUS)


def test_url_normalisation_matches_the_reserved_list_convention():
    assert normalised_url("https://www.Example.com/news/story/") == "example.com/news/story"
    assert normalised_url("http://example.com/a") == normalised_url("example.com/a/")
    assert url_hash("https://www.example.com/a/") == url_hash("example.com/a")


def test_no_article_is_one_of_the_hidden_set(corpus):
    if not RESERVED_URLS.exists():
        pytest.fail(f"{RESERVED_URLS} is missing: the check cannot run")
    reserved = reserved_hashes()
    assert len(reserved) > 10
    used = [a["url"] for a in corpus.articles if url_hash(a["url"]) in reserved]
    assert used == []


def test_articles_are_unique_dated_and_complete(corpus):
    ids = [a["id"] for a in corpus.articles]
    urls = [normalised_url(a["url"]) for a in corpus.articles]
    assert len(set(ids)) == len(ids) and len(set(urls)) == len(urls)
    for article in corpus.articles:
        assert all(article.get(k) for k in ("id", "url", "source", "published", "title", "text", "crisis")), article["id"]
        assert "2015-01-01" <= article["published"] <= "2025-12-31", article["id"]


def test_every_gold_row_quotes_its_article_and_scores_on_the_scale(corpus):
    texts = {a["id"]: a["text"] for a in corpus.articles}
    published = {a["id"]: a["published"] for a in corpus.articles}
    for row in corpus.gold:
        assert row["quote"] in texts[row["doc_id"]], (row["doc_id"], row["quote"][:60])
        assert row["score"] in SCORE_OF[row["stance"]], row
        assert row["date"] <= published[row["doc_id"]], row
        assert row["speaker"] and row["country"], row


def test_corpus_is_as_large_and_varied_as_promised(corpus):
    stances = Counter(g["stance"] for g in corpus.gold)
    assert len(corpus.articles) >= 150
    assert len(corpus.gold) >= 1500
    assert len({a["crisis"] for a in corpus.articles}) >= 40
    assert len({a["source"] for a in corpus.articles}) >= 30
    assert stances["de-escalation"] >= 0.2 * len(corpus.gold)


def test_split_holds_out_whole_conflicts_and_a_fifth_of_the_statements(corpus):
    splits = corpus.splits()
    crises = {a["crisis"] for a in corpus.articles}
    assert set(splits["train"]) | set(splits["test"]) == crises
    train_conflicts = {conflict_of(c) for c in splits["train"]}
    assert not {conflict_of(c) for c in splits["test"]} & train_conflicts
    test_rows = len(corpus.subset(splits["test"]).gold)
    assert test_rows >= 0.2 * len(corpus.gold)


def test_second_annotation_covers_fifteen_percent_of_the_articles(corpus):
    second = read_jsonl(REAL_CORPUS / "second" / "gold.jsonl")
    covered = {row["doc_id"] for row in second}
    assert covered <= {a["id"] for a in corpus.articles}
    assert len(covered) >= 0.15 * len(corpus.articles)


def test_conflict_groups_episodes_of_the_same_parties():
    assert conflict_of("india-pakistan-2019") == conflict_of("india-pakistan-ceasefire-2021") == "india-pakistan"
    assert conflict_of("serbia-kosovo-2022") == conflict_of("kosovo-serbia-2023")
    assert conflict_of("gaza-war-2023") == conflict_of("gaza-ceasefire-2025")
    assert conflict_of("libya-2019-20") == "libya"
