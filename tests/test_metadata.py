"""The metadata cascade: JSON-LD (plain, @graph, lists, nested, malformed), meta tags, Dublin Core,
<time>, microdata, visible markup; time-zone aware dates; every field says where it came from."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from transforms.extract import extract_article
from transforms.extract.dates import date_in_url, parse_date
from transforms.extract.parse import parse_html
from transforms.extract.metadata import read_metadata

URL = "https://news.example.com/world/story-123"
BODY = "<article><h1>Headline</h1><div class='entry-content'>" + (
    "<p>Officials in Islamabad said the talks would resume next week after a pause of several months.</p>" * 3
) + "</div></article>"
PKT = timezone(timedelta(hours=5))


def meta_of(head: str = "", body: str = BODY, url: str | None = URL):
    return read_metadata(parse_html(f"<html><head>{head}</head><body>{body}</body></html>"), url)


def ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


def test_json_ld_news_article():
    m = meta_of(ld('{"@context":"https://schema.org","@type":"NewsArticle","headline":"LD headline",'
                   '"datePublished":"2024-03-10T08:15:00+05:00","dateModified":"2024-03-10T09:00:00+05:00",'
                   '"author":{"@type":"Person","name":"Ayesha Khan"},"inLanguage":"ur-PK"}'))
    assert m.get("published_at") == datetime(2024, 3, 10, 8, 15, tzinfo=PKT)
    assert m.get("updated_at") == datetime(2024, 3, 10, 9, 0, tzinfo=PKT)
    assert m.get("authors") == ["Ayesha Khan"]
    assert m.get("headline") == "LD headline"
    assert m.get("language") == "ur-PK"
    assert {m.provenance[k] for k in ("published_at", "updated_at", "authors", "headline")} == {"json-ld"}


def test_json_ld_graph_resolves_author_references():
    m = meta_of(ld('{"@context":"https://schema.org","@graph":['
                   '{"@type":"WebPage","@id":"https://x/#page","datePublished":"2020-01-01T00:00:00Z"},'
                   '{"@type":"BlogPosting","@id":"https://x/#article","author":{"@id":"https://x/#/person/1"},'
                   '"datePublished":"2024-03-10T03:15:00Z"},'
                   '{"@type":"Person","@id":"https://x/#/person/1","name":"Bilal Ahmed"}]}'))
    assert m.get("published_at") == datetime(2024, 3, 10, 3, 15, tzinfo=timezone.utc)
    assert m.provenance["published_at"] == "json-ld"  # the article, not the WebPage
    assert m.get("authors") == ["Bilal Ahmed"]


@pytest.mark.parametrize("obj", [
    '[{"@type":"WebSite","name":"Site"},{"@type":"ReportageNewsArticle","datePublished":"2024-03-10T08:15:00+05:00"}]',
    '{"@type":["Article","NewsArticle"],"datePublished":"2024-03-10T08:15:00+05:00"}',
    '{"@type":"https://schema.org/NewsArticle","datePublished":"2024-03-10T08:15:00+05:00"}',
    '{"@type":"WebPage","mainEntity":{"@type":"NewsArticle","datePublished":"2024-03-10T08:15:00+05:00"}}',
    '{"@type":"NewsArticle","datePublished":{"@value":"2024-03-10T08:15:00+05:00"}}',
])
def test_json_ld_variants(obj):
    m = meta_of(ld(obj))
    assert m.get("published_at") == datetime(2024, 3, 10, 8, 15, tzinfo=PKT)
    assert m.provenance["published_at"] == "json-ld"


@pytest.mark.parametrize("text", [
    '{"@type":"NewsArticle","datePublished":"2024-03-10T08:15:00+05:00",}',  # trailing comma
    '{"@type":"NewsArticle","headline":"Two\nlines","datePublished":"2024-03-10T08:15:00+05:00"}',  # raw newline
    '<!-- {"@type":"NewsArticle","datePublished":"2024-03-10T08:15:00+05:00"} -->',
    '//<![CDATA[\n{"@type":"NewsArticle","datePublished":"2024-03-10T08:15:00+05:00"}\n//]]>',
])
def test_json_ld_that_cms_break_is_still_read(text):
    assert meta_of(ld(text)).get("published_at") == datetime(2024, 3, 10, 8, 15, tzinfo=PKT)


@pytest.mark.parametrize("text", ["{not json", "", "[" * 5000 + "]" * 5000, '{"@type": 42, "author": [null, 1]}',
                                  '{"@type":"NewsArticle","datePublished":"yesterday-ish"}', "null"])
def test_malformed_json_ld_never_crashes_and_the_cascade_goes_on(text):
    m = meta_of(ld(text) + '<meta property="article:published_time" content="2024-03-10T08:15:00+05:00">')
    assert m.get("published_at") == datetime(2024, 3, 10, 8, 15, tzinfo=PKT)
    assert m.provenance["published_at"] == "meta:article:published_time"


def test_missing_fields_fall_through_the_cascade():
    head = (ld('{"@type":"NewsArticle","headline":"Only a headline"}')
            + '<meta property="og:title" content="OG title"><meta name="author" content="By Sana Mirza">'
              '<meta name="DC.date.issued" content="2024-03-10">')
    m = meta_of(head)
    assert m.provenance["headline"] == "json-ld"
    assert (m.get("title"), m.provenance["title"]) == ("OG title", "meta:og:title")
    assert (m.get("authors"), m.provenance["authors"]) == (["Sana Mirza"], "meta:author")
    assert m.get("published_at") == datetime(2024, 3, 10, tzinfo=timezone.utc)
    assert m.provenance["published_at"] == "meta:dc.date.issued (naive; assumed UTC)"


def test_time_element_marked_published_beats_an_earlier_unmarked_one():
    body = ("<div class='ticker'><time datetime='2024-03-09T10:00:00+05:00'>yesterday</time></div>" + BODY +
            "<time class='entry-date published' datetime='2024-03-10T08:15:00+05:00'>10 March</time>"
            "<time class='updated' datetime='2024-03-11T08:15:00+05:00'>11 March</time>")
    m = meta_of(body=body)
    assert m.get("published_at") == datetime(2024, 3, 10, 8, 15, tzinfo=PKT)
    assert m.get("updated_at") == datetime(2024, 3, 11, 8, 15, tzinfo=PKT)
    assert m.provenance["published_at"] == "time[datetime]"


def test_wordpress_time_marked_both_published_and_updated_is_the_publication_date():
    m = meta_of(body=BODY + "<time class='entry-date published updated' datetime='2024-03-10T08:15:00+05:00'>x</time>")
    assert m.get("published_at") == datetime(2024, 3, 10, 8, 15, tzinfo=PKT)


def test_microdata():
    body = ('<div itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Micro headline</h1>'
            '<span itemprop="author" itemscope itemtype="https://schema.org/Person">By <span itemprop="name">Sana Mirza'
            '</span></span><meta itemprop="datePublished" content="2024-03-10T08:15:00+05:00">'
            '<div itemprop="articleBody"><p>Text of the article, long enough to be a paragraph of its own here.</p>'
            '</div></div>')
    m = meta_of(body=body)
    assert m.get("published_at") == datetime(2024, 3, 10, 8, 15, tzinfo=PKT)
    assert (m.get("authors"), m.get("headline")) == (["Sana Mirza"], "Micro headline")
    assert {m.provenance[k] for k in ("published_at", "authors", "headline")} == {"microdata"}


def test_no_date_anywhere_is_none_with_a_reason_never_the_fetch_time():
    art = extract_article(f"<html><body>{BODY}</body></html>", URL)
    assert art.published_at is None
    assert art.provenance["published_at"].startswith("none: ")


def test_date_in_the_url_is_the_last_resort_and_says_so():
    m = meta_of(url="https://news.example.com/2024/03/10/story/")
    assert m.get("published_at") == datetime(2024, 3, 10, tzinfo=timezone.utc)
    assert m.provenance["published_at"] == "url (date only; assumed UTC)"
    assert date_in_url("https://x.com/2024/13/40/story/") is None


@pytest.mark.parametrize("text, expected, note", [
    ("2024-03-10T08:15:00Z", datetime(2024, 3, 10, 8, 15, tzinfo=timezone.utc), ""),
    ("2024-03-10T08:15:00+0530", datetime(2024, 3, 10, 8, 15, tzinfo=timezone(timedelta(hours=5, minutes=30))), ""),
    ("2024-03-10T08:15:00.000-04:00", datetime(2024, 3, 10, 8, 15, tzinfo=timezone(timedelta(hours=-4))), ""),
    ("Mon, 18 Nov 2019 10:00:00 EST", datetime(2019, 11, 18, 10, tzinfo=timezone(timedelta(hours=-5))), ""),
    ("November 18, 2019 10:43 AM PKT", datetime(2019, 11, 18, 10, 43, tzinfo=PKT), ""),
    ("2024-03-10 08:15", datetime(2024, 3, 10, 8, 15, tzinfo=timezone.utc), "naive; assumed UTC"),
    ("1710058500", datetime(2024, 3, 10, 8, 15, tzinfo=timezone.utc), "epoch seconds"),
])
def test_dates_are_time_zone_aware(text, expected, note):
    value, got_note = parse_date(text)
    assert value == expected and value.utcoffset() == expected.utcoffset()
    assert got_note == note


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00Z", "not a date", "", "9" * 200, "2026-09-14T10:00:00+2400",
                                  "Mon, 14 Sep 2026 10:00:00 +9900", "9999-12-31T23:59:59-14:00"])
def test_unusable_dates_are_refused(text):
    assert parse_date(text)[0] is None


def test_an_impossible_zone_offset_loses_only_that_date():
    head = ('<meta property="article:published_time" content="2026-09-14T10:00:00+2400">'
            '<meta name="DC.date.issued" content="2026-09-14T10:00:00+05:00">')
    art = extract_article(f"<html><head>{head}</head><body>{BODY}</body></html>", URL)
    assert art.published_at == datetime(2026, 9, 14, 10, tzinfo=PKT)
    assert art.provenance["published_at"] == "meta:dc.date.issued"


def test_article_record_keeps_the_offset_and_serialises_it():
    head = '<meta property="article:published_time" content="2024-03-10T08:15:00+05:00">'
    art = extract_article(f"<html><head>{head}</head><body>{BODY}</body></html>", URL)
    assert art.to_dict()["published_at"] == "2024-03-10T08:15:00+05:00"


# ---------------------------------------------------------------- lists in full

def _article_page(head: str, body_extra: str = "") -> str:
    return f"<html><head>{head}</head><body>{body_extra}{BODY}</body></html>"


def test_known_bug_every_article_section_becomes_a_category():
    # JSON-LD "articleSection": ["A", "B", "C"] with a matching list of section links gave only "A".
    head = ld('{"@type":"NewsArticle","headline":"H","articleSection":["World","Asia","Pakistan"]}')
    links = ('<ul class="story-sections"><li><a href="/world/">World</a></li><li><a href="/world/asia/">Asia</a></li>'
             '<li><a href="/world/asia/pakistan/">Pakistan</a></li></ul>')
    art = extract_article(_article_page(head, links), URL)
    assert [(c.label, c.url) for c in art.categories] == [
        ("World", "https://news.example.com/world/"), ("Asia", "https://news.example.com/world/asia/"),
        ("Pakistan", "https://news.example.com/world/asia/pakistan/")]


def test_article_sections_without_links_are_categories_without_urls():
    head = ld('{"@type":"NewsArticle","articleSection":["World","Asia","Pakistan"]}')
    art = extract_article(_article_page(head), URL)
    assert [(c.label, c.url) for c in art.categories] == [("World", None), ("Asia", None), ("Pakistan", None)]


def test_categories_come_from_every_source_once_links_first():
    head = (ld('{"@context":"https://schema.org","@graph":[{"@type":"WebPage","@id":"https://x/#page"},'
               '{"@type":"NewsArticle","articleSection":["Politics","world","Elections"]}]}')
            + '<meta property="article:section" content="World"><meta property="article:section" content="Opinion">'
              '<meta property="article:section" content="Politics">')
    links = ('<span class="cat-links"><a href="/category/world/" rel="category tag">World</a> '
             '<a href="/category/asia/" rel="category tag">Asia</a></span>')
    art = extract_article(_article_page(head, links), URL)
    assert [c.label for c in art.categories] == ["World", "Asia", "Politics", "Elections", "Opinion"]
    assert art.categories[0].url == "https://news.example.com/category/world/"
    assert "json-ld" in art.provenance["categories"] and "meta:article:section" in art.provenance["categories"]


def test_several_article_section_meta_tags_are_all_read():
    head = '<meta property="article:section" content="Business"><meta property="article:section" content="Markets">'
    assert [c.label for c in extract_article(_article_page(head), URL).categories] == ["Business", "Markets"]


def test_author_lists_are_read_whole_and_in_order():
    m = meta_of(ld('{"@context":"https://schema.org","@graph":['
                   '{"@type":"NewsArticle","author":[{"@type":"Person","name":"Ayesha Khan"},"Bilal Ahmed",'
                   '{"@id":"https://x/#/person/3"},{"@type":"Person","name":"Ayesha Khan"}]},'
                   '{"@type":"Person","@id":"https://x/#/person/3","name":"Sana Mirza"}]}'))
    assert m.get("authors") == ["Ayesha Khan", "Bilal Ahmed", "Sana Mirza"]


def test_keywords_in_full_from_json_ld_lists_strings_and_meta_tags():
    m = meta_of(ld('{"@type":"NewsArticle","keywords":["China","Trade war", "china"]}')
                + '<meta name="keywords" content="Tariffs, Beijing ,Trade war">'
                  '<meta property="article:tag" content="Xi Jinping"><meta property="article:tag" content="Tariffs">')
    assert m.get("keywords") == ["China", "Trade war", "Tariffs", "Beijing", "Xi Jinping"]
    m = meta_of(ld('{"@type":"NewsArticle","keywords":"Russia, North Korea,  Kursk"}'))
    assert m.get("keywords") == ["Russia", "North Korea", "Kursk"]
    art = extract_article(_article_page(ld('{"@type":"NewsArticle","keywords":["Pakistan","IMF"]}')), URL)
    assert art.keywords == ("Pakistan", "IMF")


@pytest.mark.parametrize("publisher", [
    '{"@type":"Organization","name":"Daily Dawn"}',
    '[{"@type":"Organization","name":"Daily Dawn"},{"@type":"Organization","name":"Herald"}]',
    '{"@id":"https://x/#org"}',
])
def test_publisher_objects_lists_and_references_name_the_site(publisher):
    m = meta_of(ld('{"@context":"https://schema.org","@graph":['
                   f'{{"@type":"NewsArticle","headline":"H","publisher":{publisher}}},'
                   '{"@type":"Organization","@id":"https://x/#org","name":"Daily Dawn"}]}'))
    assert m.get("site_name") == "Daily Dawn"


def test_a_named_section_is_the_category_link_to_its_url():
    # The page shows its categories in its own script; JSON-LD names the same section in English.
    head = ld('{"@type":"NewsArticle","articleSection":["World","Analysis"]}')
    links = ('<ul class="article-categories"><li><a href="/world/china">چین</a></li>'
             '<li><a href="/world/">دنیا</a></li></ul><a href="http://[">Analysis</a>')
    art = extract_article(_article_page(head, links), URL)
    assert [(c.label, c.url) for c in art.categories] == [
        ("چین", "https://news.example.com/world/china"), ("دنیا", "https://news.example.com/world/"),
        ("Analysis", None)]
