"""normalise(): cleaning, heading numbers, UTC conversion, fixed schemas, content hashes."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import LEXICON
from transforms.article import RELATED_LABEL, Article, Category, RelatedLink, Section
from transforms.urls import story_key
from transforms.normalise import (
    ARTICLES_SCHEMA,
    CATEGORIES_SCHEMA,
    LINKS_SCHEMA,
    MENTIONS_SCHEMA,
    SECTIONS_SCHEMA,
    TERMS_SCHEMA,
    clean_text_expr,
    content_hash,
    normalise,
)

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_47ab98f876fbbd8c.txt"
PKT = timezone(timedelta(hours=5))  # Pakistan Standard Time


def parse_seed(text: str, url: str = "https://example.pk/world/china-distance") -> Article:
    """Rebuild an Article from the seed layout (test helper; headings are short numbered blocks)."""
    title, headline, categories, *blocks = text.split("\n\n")
    related = [b.removeprefix(RELATED_LABEL).strip() for b in blocks if b.startswith(RELATED_LABEL)]
    sections: list[Section] = []
    heading, paragraphs = "", []
    for block in (b for b in blocks if not b.startswith(RELATED_LABEL)):
        if re.match(r"^\s*\d{1,3}[.)]", block) and len(block) < 120:
            if heading or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = block, []
        else:
            paragraphs.append(block)
    sections.append(Section(heading, tuple(paragraphs)))
    return Article(
        url=url,
        title=title,
        headline=headline,
        categories=tuple(
            Category(label, f"https://example.pk/category/{label}/") for label in categories.split(" ")
        ),
        sections=tuple(sections),
        related=tuple(RelatedLink(t, "https://example.pk/related/1") for t in related),
        published_at=datetime(2024, 1, 1, 2, 30, tzinfo=PKT),
        language="en",
    )


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def clean(*values: str) -> list[str]:
    return pl.DataFrame({"s": list(values)}).select(clean_text_expr("s"))["s"].to_list()


def test_seed_helper_round_trips(seed_text):
    assert parse_seed(seed_text).to_seed_text() == seed_text


def test_seed_article_frames(seed_text):
    article = parse_seed(seed_text)
    batch = normalise([article], extractor_version="test-1", lexicon=LEXICON)

    row = batch.articles.row(0, named=True)
    # The id names the story behind the URL: any rendition of it (transforms.urls.story_key).
    assert row["article_id"] == hashlib.sha256(story_key(article.url).encode()).hexdigest()[:16]
    assert row["seed_text"] == seed_text
    assert row["body_text"] == article.body_text()
    assert row["word_count"] == article.word_count
    assert row["extractor_version"] == "test-1"
    assert "\u00a0" not in row["body_clean"] and "  " not in row["body_clean"]
    assert row["body_clean"].splitlines()[0] == "1. China"

    sections = batch.sections
    assert sections["section_index"].to_list() == [0, 1, 2, 3]
    assert sections["section_number"].to_list() == [1, 2, 3, 4]
    assert sections["heading"][0] == "\u00a01. China"  # verbatim
    assert sections["heading_clean"].to_list()[:3] == [
        "China", "Russia and North Korea Agreement", "Global instability",
    ]
    assert "\u00a0 \u00a0" in sections["paragraphs"][2][0]  # verbatim paragraphs keep NBSPs
    assert "principle. However" in sections["text_clean"][2]

    assert batch.categories["label"].to_list() == ["چین", "سیاست", "دنیا"]
    assert batch.categories["slug"].to_list() == ["چین", "سیاست", "دنیا"]
    assert batch.links["kind"].to_list() == ["related"]
    assert batch.links["title"][0].startswith("چین اور مالدیپ")


@pytest.mark.parametrize(
    ("heading", "number", "clean_heading"),
    [
        ("3.Global instability", 3, "Global instability"),
        ("\u00a01. China", 1, "China"),
        ("2. Russia\u00a0 and North Korea Agreement", 2, "Russia and North Korea Agreement"),
        ("2026 elections", None, "2026 elections"),
        ("1.5 million jobs lost", None, "1.5 million jobs lost"),
        ("12) Twelve\u200b things", 12, "Twelve things"),
        ("1234. Too many digits", None, "1234. Too many digits"),
        ("Background", None, "Background"),
        ("", None, ""),
    ],
)
def test_heading_number(heading, number, clean_heading):
    article = Article(url="https://x.test/a", title="t", headline="h",
                      sections=(Section(heading, ("p",)),))
    row = normalise([article], extractor_version="v", lexicon=LEXICON).sections.row(0, named=True)
    assert row["heading"] == heading
    assert row["section_number"] == number
    assert row["heading_clean"] == clean_heading


def test_clean_text_rules():
    assert clean(
        "a\u00a0b\u202fc\u2007d",  # no-break spaces fold to space
        "zero\u200bwidth\u200d join\u2060er\ufeff",  # invisible characters go
        "  many \t spaces\n\nand lines  ",  # whitespace collapses, ends stripped
        "ﬁne ﻻ",  # NFKC: ligature and Arabic presentation form become plain letters
        "\u200eRTL mark\u200f",
    ) == ["a b c d", "zerowidth joiner", "many spaces and lines", "fine لا", "RTL mark"]


def test_zwnj_kept_inside_words_only():
    word = "می\u200cشود"  # Persian/Urdu: ZWNJ is part of the spelling
    assert clean(word) == [word]
    assert clean(f"\u200c{word}\u200c \u200c!") == [f"{word} !"]
    assert clean("می\u200c\u200c\u200cشود") == [word]  # runs collapse to one


def test_times_are_converted_to_utc():
    article = Article(
        url="https://x.test/a", title="t", headline="h",
        published_at=datetime(2024, 1, 1, 2, 30, tzinfo=PKT),
        updated_at=datetime(2024, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5))),
    )
    frame = normalise([article], extractor_version="v", lexicon=LEXICON).articles
    assert frame.schema["published_at"] == pl.Datetime("us", "UTC")
    row = frame.row(0, named=True)
    assert row["published_at"] == datetime(2023, 12, 31, 21, 30, tzinfo=timezone.utc)
    assert row["updated_at"] == datetime(2024, 1, 1, 14, 0, tzinfo=timezone.utc)
    assert str(row["published_day"]) == "2023-12-31"  # the UTC day, not Pakistan's


def test_empty_batch_has_the_schemas():
    batch = normalise([], extractor_version="v", lexicon=LEXICON)
    for frame, schema in (
        (batch.articles, ARTICLES_SCHEMA),
        (batch.sections, SECTIONS_SCHEMA),
        (batch.categories, CATEGORIES_SCHEMA),
        (batch.links, LINKS_SCHEMA),
        (batch.mentions, MENTIONS_SCHEMA),
        (batch.terms, TERMS_SCHEMA),
    ):
        assert frame.height == 0
        assert dict(frame.schema) == schema


def test_schemas_hold_for_sparse_articles(seed_text):
    sparse = Article(url="https://x.test/bare", title="", headline="")
    batch = normalise([parse_seed(seed_text), sparse], extractor_version="v", lexicon=LEXICON)
    assert dict(batch.articles.schema) == ARTICLES_SCHEMA
    assert dict(batch.sections.schema) == SECTIONS_SCHEMA
    row = batch.articles.filter(pl.col("url") == sparse.url).row(0, named=True)
    assert (row["published_day"], row["authors"], row["word_count"], row["body_clean"]) == (None, [], 0, "")


def test_content_hash_is_stable_and_tracks_content(seed_text):
    a = parse_seed(seed_text)
    same = Article(**{**_fields(a), "provenance": {"published_at": "meta:article:published_time"}})
    same_instant = Article(**{**_fields(a), "published_at": a.published_at.astimezone(timezone.utc)})
    edited = Article(**{**_fields(a), "headline": a.headline + "!"})

    assert content_hash(a) == content_hash(same) == content_hash(same_instant)
    assert content_hash(a) != content_hash(edited)
    h1 = normalise([a], extractor_version="v1", lexicon=LEXICON).articles["content_hash"][0]
    h2 = normalise([same], extractor_version="v2", lexicon=LEXICON).articles["content_hash"][0]
    assert h1 == h2 == content_hash(a)


def test_article_id_is_the_fetched_urls_story_and_duplicates_keep_last():
    # Renditions of one URL (tracking parameters here) are one article, the last one given wins.
    first = Article(url="https://x.test/a?utm_source=1", canonical_url="https://x.test/a", title="old", headline="h")
    second = Article(url="https://www.x.test/a?utm_source=2", canonical_url="https://x.test/a", title="new",
                     headline="h", sections=(Section("", ("only",)),))
    other = Article(url="https://x.test/b", title="b", headline="h", sections=(Section("", ("x", "y")),))
    # A page naming another as canonical keeps its own id here: merging on a canonical needs the
    # warehouse and the other page (warehouse/identity.py), and a catch-all canonical must not
    # make two stories collide.
    print_page = Article(url="https://x.test/print/a", canonical_url="https://x.test/a", title="p", headline="h")
    batch = normalise([first, other, second, print_page], extractor_version="v", lexicon=LEXICON)
    assert batch.articles["title"].to_list() == ["b", "new", "p"]
    assert batch.articles["article_id"][1] == hashlib.sha256(b"x.test/a").hexdigest()[:16]
    assert batch.articles["article_id"][2] == hashlib.sha256(b"x.test/print/a").hexdigest()[:16]
    assert batch.sections.filter(pl.col("article_id") == batch.articles["article_id"][1])["paragraphs"].to_list() == [["only"]]
    print_urls = batch.urls.filter(pl.col("article_id") == batch.articles["article_id"][2])
    assert print_urls.select("url", "url_key", "kind").rows() == [
        ("https://x.test/print/a", "x.test/print/a", "fetched"), ("https://x.test/a", "x.test/a", "canonical")]


def test_category_slug():
    cats = (
        Category("World", "https://x.test/Category/World-News/?page=2#top"),
        Category("چین", "https://x.test/category/%D8%A7%DB%8C"),
        Category("None"),
        Category("Home", "https://x.test/"),
    )
    frame = normalise([Article(url="u", title="t", headline="h", categories=cats)], extractor_version="v", lexicon=LEXICON).categories
    assert frame["slug"].to_list() == ["world-news", "%d8%a7%db%8c", None, None]
    assert frame["position"].to_list() == [0, 1, 2, 3]


def test_seed_article_mentions_and_terms(seed_text):
    batch = normalise([parse_seed(seed_text)], extractor_version="v", lexicon=LEXICON)
    assert dict(batch.mentions.schema) == MENTIONS_SCHEMA and dict(batch.terms.schema) == TERMS_SCHEMA
    per_entity = dict(batch.mentions.group_by("entity_id").agg(pl.col("mentions").sum()).iter_rows())
    assert per_entity["china"] >= 10 and per_entity["russia"] >= 5 and per_entity["north-korea"] >= 5
    # Headline (section -1) and the four numbered sections; "Also Read:" and the categories are not searched.
    assert set(batch.mentions["section_index"]) <= {-1, 0, 1, 2, 3}
    assert batch.mentions.filter(pl.col("section_index") == -1)["entity_id"].sort().to_list() == [
        "china", "north-korea", "russia"]
    terms = dict(batch.terms.select("term", "mentions").iter_rows())
    assert terms["north korea"] >= 5 and "the" not in terms and "china" in terms
    assert batch.mentions["published_day"].to_list()[0] == batch.articles["published_day"][0]


def test_module_is_pure():
    code = (
        "import sys, transforms.normalise\n"
        "bad = {'duckdb', 'httpx', 'prefect'} & set(sys.modules)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def _fields(article: Article) -> dict:
    return {name: getattr(article, name) for name in article.__dataclass_fields__}
