"""Terms: lower-cased unigrams and bigrams per article, English and Urdu stop words left out."""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import LEXICON
from transforms.article import Article, Section
from transforms.normalise import TERMS_SCHEMA, normalise
from transforms.terms import parse_stopwords, terms_frame


@pytest.fixture(scope="module")
def stopwords():
    return LEXICON.stopwords


def terms(stopwords, *texts: str, article_id: str = "a") -> dict[str, int]:
    parts = pl.DataFrame({"article_id": [article_id] * len(texts), "section_index": list(range(len(texts))),
                          "text": list(texts)}, schema={"article_id": pl.Utf8, "section_index": pl.Int16,
                                                        "text": pl.Utf8})
    return dict(terms_frame(parts, stopwords).select("term", "mentions").iter_rows())


def test_stop_word_files():
    words = LEXICON.stopwords.words  # seeds/stopwords_*.txt, as runs read them
    assert {"the", "and", "said", "of"} <= words
    assert {"کے", "کی", "میں", "اور", "ہے", "نے"} <= words
    assert not any(w.startswith("#") or w != w.strip() for w in words)
    parsed = parse_stopwords([b"# comment\nThe  # inline comment\n\nand\n"])
    assert parsed.words == {"the", "and"}


def test_unigrams_and_bigrams(stopwords):
    assert terms(stopwords, "Trade war fears hit markets") == {
        "trade": 1, "war": 1, "fears": 1, "hit": 1, "markets": 1,
        "trade war": 1, "war fears": 1, "fears hit": 1, "hit markets": 1}


def test_stop_words_punctuation_digits_and_lines_break_bigrams(stopwords):
    got = terms(stopwords, "The minister of defence said: prices rose 5% in 2026 markets.\nNew talks")
    assert set(got) == {"minister", "defence", "prices", "rose", "markets", "talks", "prices rose"}
    # "minister of defence": a stop word between; "defence said: prices": a stop word and ":";
    # "rose 5% in 2026 markets": digits; "markets.\nNew talks": the line break (and "new" is a stop word).


def test_case_possessives_and_counts_per_article(stopwords):
    got = terms(stopwords, "China’s economy. CHINA's economy", "china economy")
    assert got == {"china": 3, "economy": 3, "china economy": 3}


def test_hyphens_split_words_and_one_letter_words_go(stopwords):
    assert terms(stopwords, "self-reliance x y") == {"self": 1, "reliance": 1, "self reliance": 1}


def test_urdu_terms(stopwords):
    got = terms(stopwords, "روس اور شمالی کوریا کے درمیان دفاعی معاہدہ۔ دفاعی معاہدہ")
    assert got == {"روس": 1, "شمالی": 1, "کوریا": 1, "درمیان": 1, "دفاعی": 2, "معاہدہ": 2,
                   "شمالی کوریا": 1, "درمیان دفاعی": 1, "دفاعی معاہدہ": 2}


def test_terms_frame_through_normalise():
    articles = [
        Article(url="https://x.test/1", title="Title words", headline="Oil prices climb",
                sections=(Section("1. Markets", ("Oil prices climb again.",)),)),
        Article(url="https://x.test/2", title="t", headline=""),
    ]
    batch = normalise(articles, extractor_version="v", lexicon=LEXICON)
    assert dict(batch.terms.schema) == TERMS_SCHEMA
    rows = {(t, n): m for t, n, m in batch.terms.select("term", "ngram", "mentions").iter_rows()}
    assert rows[("oil prices", 2)] == 2 and rows[("climb", 1)] == 2 and rows[("markets", 1)] == 1
    assert ("title", 1) not in rows  # the document title is not searched
    assert ("climb markets", 2) not in rows  # headline and heading are separate texts
    assert normalise([], extractor_version="v", lexicon=LEXICON).terms.height == 0
