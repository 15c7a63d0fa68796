"""Hostile input, property-based: arbitrary input to the extractor, the feed, sitemap and listing
parsers, the URL canonicaliser and the normaliser gives a result or the documented error type,
never another exception, within bounded time.

By default each property runs PROPERTY_EXAMPLES examples (the file takes well under a minute);
NEWSWIRE_SOAK=1 runs SOAK_EXAMPLES each (NEWSWIRE_SOAK=5000 sets the number) for a longer soak.
"""

from __future__ import annotations

import gzip
import json
import os
import time
import unicodedata
import zoneinfo
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import polars as pl
import pytest
from hypothesis import HealthCheck, currently_in_test_context, example, given, settings
from hypothesis import event as _event
from hypothesis import strategies as st

from tests.conftest import LEXICON
from transforms.article import Article, Category, RelatedLink, Section
from transforms.feeds import DiscoveryError, ListingPage, SitemapPage, parse_feed, parse_listing, parse_sitemap
from transforms.extract import ExtractionError, extract_article
from transforms.normalise import (
    ARTICLES_SCHEMA,
    CATEGORIES_SCHEMA,
    LINKS_SCHEMA,
    MENTIONS_SCHEMA,
    SECTIONS_SCHEMA,
    TERMS_SCHEMA,
    article_id,
    clean_text_expr,
    normalise,
)
from transforms.urls import BadUrl, canonicalise, date_in_path

# --- settings --------------------------------------------------------------------------------------

PROPERTY_EXAMPLES = 100
SOAK_EXAMPLES = 3000
_soak = os.environ.get("NEWSWIRE_SOAK", "")
# Per example; generous for a loaded 2-core CI machine (a typical example takes milliseconds).
DEADLINE = timedelta(seconds=2)
# The explicit worst cases (50,000 levels, 20 MB) each take a second or two on a quiet machine.
WORST_CASE_SECONDS = 20

settings.register_profile(
    "newswire-properties",
    max_examples=PROPERTY_EXAMPLES,
    deadline=DEADLINE,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "newswire-soak",
    settings.get_profile("newswire-properties"),
    max_examples=int(_soak) if _soak.isdigit() and int(_soak) > 1 else SOAK_EXAMPLES,
)
SOAK = _soak not in ("", "0")
# Used per test (not loaded globally), so other test modules keep their own hypothesis settings.
PROFILE = settings.get_profile("newswire-soak" if SOAK else "newswire-properties")
# A soak outlasts pytest-timeout's 600 s per test (pyproject.toml): no timeout then.
pytestmark = [pytest.mark.timeout(0)] if SOAK else []

URL = "https://news.example.pk/2026/09/14/talks-resume-after-pause/"
SENTENCE = "Officials said the talks with China and Russia would resume next week after a pause. "


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    """Load lazily built models (language identification, the gazetteer) before any deadline runs."""
    page = f"<html><body><article><h1>Talks</h1><p>{SENTENCE * 5}</p></article></body></html>"
    normalise([extract_article(page, URL)], extractor_version="test", lexicon=LEXICON)
    canonicalise(URL)


def event(label: str) -> None:
    """Count outcomes for --hypothesis-show-statistics (a no-op in the explicit tests)."""
    if currently_in_test_context():
        _event(label)


# --- shared text strategies --------------------------------------------------------------------------

# What real and hostile pages hold: no-break and zero-width spaces, bidi marks and controls,
# combining marks, Urdu, a BOM, NULs and other controls, and strings that look like markup.
SPECIAL_CHARS = ("\u00a0", "\u202f", "\u2007", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
                 "\u200e", "\u200f", "\u202a", "\u202b", "\u202e", "\u2066", "\u2069", "\u0301", "\u0670",
                 "\u064b", "\x00", "\x01", "\x1c", "\x85", "\u2028", "\u3000", "\t", "\n", "\r", " ", "  ",
                 "\ufffd", "\U0001f600", "چین", "روس", "شمالی کوریا", "می\u200cشود", "1. ", "2)", "Also Read:")
special_text = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(SPECIAL_CHARS)),
                        max_size=25).map("".join)
words = st.sampled_from(["China", "Russia", "North Korea", "Putin", "talks", "the", "Beijing", "چین", "روس", "پیوٹن",
                         "said", "2026", "1.5 million"])
prose = st.lists(st.one_of(words, st.sampled_from(SPECIAL_CHARS)), max_size=30).map(" ".join)
texts = st.one_of(special_text, prose)


# --- the extractor ------------------------------------------------------------------------------------

TAGS = ("p", "div", "h1", "h2", "h3", "article", "section", "main", "script", "style", "a", "br", "table", "tr",
        "td", "span", "ul", "li", "time", "noscript", "iframe", "header", "nav", "footer", "b", "img", "form")
DATES = ("2026-09-14T10:00:00+05:00", "2026-09-14", "Mon, 14 Sep 2026 10:00:00 +0500", "0001-01-01",
         "9999-12-31T23:59:59-14:00", "2026-02-30", "1726300800", "yesterday", "", "2026-09-14T10:00:00+2400")
HREFS = ("/2026/09/13/earlier-story-about-talks/", "https://news.example.pk/category/world/", "javascript:alert(1)",
         "http://[", "//cdn.example.com/x.js", "#top", "mailto:a@b.c", "", "https://NEWS.example.pk/a?utm_source=x#f",
         "http://exa mple.com/", "https://news.example.pk:99999/", "../../up", "\x00")
ATTRIBUTE_VALUES = {
    "class": st.sampled_from(("entry-content", "post-content", "article-body", "cat-links", "category", "next",
                              "byline", "sidebar", "comments", "related", "share", "post", "")),
    "id": st.sampled_from(("content", "main", "article", "comments", "x" * 300)),
    "href": st.one_of(st.sampled_from(HREFS), special_text),
    "rel": st.sampled_from(("category", "category tag", "next", "nofollow", "author")),
    "dir": st.sampled_from(("rtl", "ltr", "auto")),
    "lang": st.sampled_from(("ur", "en", "ur-PK", "xx-invalid", "")),
    "style": st.sampled_from(("display:none", "visibility:hidden", "")),
    "itemprop": st.sampled_from(("datePublished", "articleBody", "headline", "author")),
    "datetime": st.sampled_from(DATES),
    "content": st.one_of(st.sampled_from(DATES), special_text),
    "property": st.sampled_from(("og:type", "article:published_time", "og:title", "og:url")),
    "hidden": st.just(""),
    "aria-hidden": st.just("true"),
}
attributes = st.lists(
    st.sampled_from(sorted(ATTRIBUTE_VALUES)).flatmap(lambda name: st.tuples(st.just(name), ATTRIBUTE_VALUES[name])),
    max_size=4)
MARKUP_JUNK = ("&nbsp;", "&#0;", "&#xD800;", "&#x110000;", "&amp", "&bogus;", "<", ">", "]]>", "<!--", "-->",
               "<![CDATA[", "</p>", "</div>", "<p", "<br/>", "</body>", "<html>", "<?php ?>", "<!DOCTYPE html>")
html_text = st.one_of(texts, st.sampled_from(MARKUP_JUNK), st.integers(1, 6).map(lambda n: SENTENCE * n))


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


def _element(tag: str, attrs: list[tuple[str, str]], children: list[str], closed: bool) -> str:
    rendered = "".join(f' {name}="{_escape(value)}"' for name, value in attrs)
    return f"<{tag}{rendered}>{''.join(children)}" + (f"</{tag}>" if closed else "")


fragments = st.recursive(
    html_text,
    lambda inner: st.builds(_element, st.sampled_from(TAGS), attributes, st.lists(inner, max_size=5),
                            st.booleans() | st.just(True)),
    max_leaves=20,
)

json_ld_values = st.one_of(texts, st.sampled_from(DATES), st.none(), st.integers(), st.just("\ud800"),
                           st.lists(texts, max_size=2), st.dictionaries(st.sampled_from(("@type", "name", "url")),
                                                                        texts, max_size=2))
json_ld = st.builds(
    lambda obj, cut: (lambda s: s[:cut] if cut else s)(json.dumps(obj)),  # ensure_ascii: "\ud800" stays escaped
    st.fixed_dictionaries(
        {"@type": st.sampled_from(("NewsArticle", "Article", "WebPage", "ItemList"))},
        optional={"headline": json_ld_values, "datePublished": json_ld_values, "dateModified": json_ld_values,
                  "author": json_ld_values, "articleSection": json_ld_values, "inLanguage": json_ld_values,
                  "mainEntityOfPage": json_ld_values,
                  "@graph": st.lists(st.just({"@type": "NewsArticle"}), max_size=2)}),
    st.integers(0, 40),
)
head_parts = st.lists(st.one_of(
    st.builds(lambda t: f"<title>{t}</title>", texts),
    st.builds(lambda p, c: f'<meta property="{p}" content="{_escape(c)}">',
              st.sampled_from(("og:type", "og:title", "article:published_time", "article:modified_time", "og:url",
                               "og:locale", "article:section", "author")),
              st.one_of(st.sampled_from(DATES + ("article", "website", URL)), texts)),
    st.builds(lambda c: f'<meta charset="{c}">', st.sampled_from(("utf-8", "windows-1256", "bogus", "utf-16", ""))),
    st.builds(lambda j: f'<script type="application/ld+json">{j}</script>', json_ld),
    st.builds(lambda h: f'<link rel="canonical" href="{_escape(h)}">', st.sampled_from(HREFS)),
), max_size=5)


@st.composite
def hostile_pages(draw) -> str:
    """A page built from a small tag alphabet: random nesting, attributes, text and metadata;
    <html>, <head> and <body> are each sometimes missing."""
    body = "".join(draw(st.lists(fragments, min_size=1, max_size=6)))
    head = "".join(draw(head_parts))
    page = (f"<head>{head}</head>" if draw(st.booleans()) else head) + (
        f"<body>{body}</body>" if draw(st.booleans()) else body)
    if draw(st.booleans()):
        page = f'<html lang="{draw(st.sampled_from(("ur", "en", "")))}">{page}</html>'
    if draw(st.booleans()):
        page = "<!DOCTYPE html>" + page
    return page


@st.composite
def encoded(draw, pages) -> bytes | str:
    """A page as str, or as bytes in some encoding, with invalid UTF-8 sometimes spliced in."""
    page = draw(pages)
    how = draw(st.sampled_from(("str", "utf-8", "utf-8-sig", "utf-16", "cp1256", "latin-1", "invalid-utf-8")))
    if how == "str":
        return page
    if how == "invalid-utf-8":
        data = bytearray(page.encode("utf-8", "surrogatepass"))
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.sampled_from((b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                                                b"\xc0\xaf", b"\x80\x80")))
        return bytes(data)
    return page.encode(how, "surrogatepass" if how.startswith("utf-8") else "replace")


def check_extract(document, url=URL) -> Article | ExtractionError:
    """The extractor's contract: an Article (renderable, aware dates) or an ExtractionError."""
    try:
        article = extract_article(document, url)
    except ExtractionError as exc:
        event(f"extract: {type(exc).__name__}")
        return exc
    event("extract: Article")
    assert isinstance(article, Article)
    assert isinstance(article.to_seed_text(), str) and isinstance(article.to_json(), str)
    for value in (article.published_at, article.updated_at):
        assert value is None or value.utcoffset() is not None
    return article


@settings(PROFILE)
@given(st.binary(max_size=3000))
@example(b"")
@example(b"\x00" * 100)
@example(b"\xff\xfe\x00<\x00p\x00>")
@example(b"\xef\xbb\xbf<p>\xff\xff</p>")
def test_extract_arbitrary_bytes(document):
    check_extract(document)


@settings(PROFILE)
@given(st.text(max_size=3000) | special_text)
@example("")
@example("\x00<p>\x00</p>")
@example('<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>')
def test_extract_arbitrary_text(document):
    check_extract(document)


@settings(PROFILE)
@given(encoded(hostile_pages()), st.sampled_from((URL, URL, None, "not a url", "http://[")))
def test_extract_hostile_html(document, url):
    """Hostile pages as str or bytes, with odd page URLs; an Article they give also normalises."""
    result = check_extract(document, url)
    if isinstance(result, Article):
        assert normalise([result], extractor_version="test", lexicon=LEXICON).articles.height == 1


DEEP = "<div>" * 50_000 + f"<p>{SENTENCE * 3}</p>" + "</div>" * 50_000
PARAGRAPHS = f"<p>{SENTENCE * 3}</p>" * 3
ARTICLE_BODY = f"<article><h1>Talks resume</h1>{PARAGRAPHS}</article>"


@pytest.mark.parametrize("name, document", [
    ("50,000 levels of nesting", f"<html><body>{DEEP}</body></html>"),
    ("50,000 levels after the article", f"<html><body>{ARTICLE_BODY}{'<div>' * 50_000}</body></html>"),
    ("50,000 unclosed inline tags", "<p>" + "<span>" * 50_000 + SENTENCE * 10),
    ("no <body>", f"<html><head><title>t</title></head>{ARTICLE_BODY}</html>"),
    ("no <html>, <head> or <body>", ARTICLE_BODY),
    ("only a <head>", "<html><head><title>Talks</title><meta property='og:type' content='article'></head></html>"),
    ("NUL bytes", f"<html><body>\x00<article>\x00<h1>T\x00</h1><p>{SENTENCE * 3}\x00</p></article></body></html>"),
    ("NUL bytes as bytes", f"<html><body><article><h1>T</h1><p>{SENTENCE * 3}</p></article></body></html>"
     .encode().replace(b" ", b"\x00 ")),
    ("only NULs", b"\x00" * 100_000),
    ("invalid UTF-8 declared UTF-8", b'<meta charset="utf-8"><article><h1>T</h1><p>' + SENTENCE.encode() * 3
     + b"\xff\xfe\xc3(</p></article>"),
    ("10,000 attributes on one tag", "<div " + " ".join(f"a{i}='x'" for i in range(10_000)) + f">{ARTICLE_BODY}</div>"),
    ("a 3 MB attribute value", f"<div data-x='{'x' * 3_000_000}'>{ARTICLE_BODY}</div>"),
    ("100,000 empty elements", "<body>" + "<br>" * 100_000 + ARTICLE_BODY),
])
def test_extract_worst_cases(name, document):
    start = time.perf_counter()
    check_extract(document)
    assert time.perf_counter() - start < WORST_CASE_SECONDS, name


def test_twenty_megabytes_of_text_in_one_paragraph():
    start = time.perf_counter()
    result = check_extract(f"<html><body><p>{'word ' * 4_000_000}</p></body></html>".encode())
    assert time.perf_counter() - start < WORST_CASE_SECONDS
    assert isinstance(result, Article) and len(result.body_text()) > 19_000_000


# One bad value on an otherwise good page must cost only that value. The xfail ones lose the whole article:
# a ValueError from deep inside is wrapped into "could not be read" (extract.py) and the page is dropped.
@pytest.mark.parametrize("page", [
    pytest.param(f'<html><head><meta property="article:published_time" content="2026-09-14T10:00:00+2400">'
                 f"</head><body>{ARTICLE_BODY}</body></html>", id="date with a +2400 zone offset"),
    pytest.param(f'<html><head><link rel="canonical" href="http://["></head><body>{ARTICLE_BODY}</body></html>',
                 id="canonical link http://["),
    pytest.param(f'<html><body><article><h1>Talks resume</h1><a rel="category" href="http://[">World</a>'
                 f"{PARAGRAPHS}</article></body></html>", id="category link http://["),
    pytest.param(f'<html><body><article><h1>Talks resume</h1>{PARAGRAPHS}<div class="share">Share</div>'
                 f"\x01 tail<p>{SENTENCE * 3}</p></article></body></html>", id="control character after a pruned block"),
])
def test_one_bad_value_does_not_lose_the_article(page):
    article = extract_article(page, URL)
    assert article.headline == "Talks resume" and "talks with China" in article.body_text()


# Whitespace-heavy text: ASCII whitespace runs, NBSP, other Unicode spaces, the vertical tab.
_spacey = st.text(alphabet=st.sampled_from(" \t\n\r\f\v\u00a0\u2003\u200bab"), max_size=40) | st.text(max_size=200)


@settings(PROFILE)
@given(_spacey)
@example("  many \t spaces\n\nand lines  ")
def test_whitespace_helpers_agree_with_their_definitions(text):
    """collapse() and is_blank() are written for speed; they must say what their definitions say."""
    import re

    from transforms.extract.text import collapse, is_blank

    assert collapse(text) == re.sub(r"[ \t\n\r\f]+", " ", text).strip(" \t\n\r\f")
    assert is_blank(text) == (not text.strip())


@pytest.mark.parametrize("text", ["2026-09-14T10:00:00+2400", "Mon, 14 Sep 2026 10:00:00 +9900",
                                  "2026-09-14 10:00 UTC+99"])
def test_parse_date_with_an_impossible_zone_offset(text):
    from transforms.extract.dates import parse_date

    assert parse_date(text)[0] is None


# --- feeds, sitemaps, listings ------------------------------------------------------------------------

BASE = "https://news.example.pk"
RSS = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>t</title><link>{BASE}/</link><description>d</description>
<item><title>C</title><link>{BASE}/2026/09/14/c-story/?utm_source=rss#x</link><pubDate>Mon, 14 Sep 2026 10:00:00 +0500</pubDate></item>
<item><title>چین</title><link>/relative-story-about-talks/</link><dc:date>2026-09-14T10:00:00+05:00</dc:date></item>
<item><title>no link</title></item></channel></rss>""".encode()
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id>
<updated>2026-09-15T00:00:00Z</updated><entry><title>D</title><id>d</id><link href="/d/" rel="alternate"/>
<published>2026-09-15T08:00:00Z</published><updated>2026-09-15T09:00:00Z</updated></entry></feed>""".encode()
RDF = f"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="{BASE}/"><title>t</title><link>{BASE}/</link></channel>
<item rdf:about="{BASE}/2026/09/14/b/"><title>B</title><link>{BASE}/2026/09/14/b/</link>
<dc:date>2026-09-14T10:00:00+05:00</dc:date></item></rdf:RDF>""".encode()
URLSET = f"""<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{BASE}/2026/09/14/a-story/</loc><lastmod>2026-09-14T10:00:00+05:00</lastmod></url>
<url><loc>{BASE}/b-story-about-the-talks/</loc><news:news><news:publication_date>2026-09-13</news:publication_date>
</news:news></url><url><loc>  </loc></url><url><loc>ftp://x/y</loc></url></urlset>""".encode()
SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{BASE}/sitemap-1.xml</loc><lastmod>2026-09-14</lastmod></sitemap>
<sitemap><loc>/sitemap-2.xml.gz</loc></sitemap></sitemapindex>""".encode()
LISTING = """<html><head><link rel="next" href="/page/2/"></head><body>
<a href="/2026/09/14/a-story/">A</a><a href="/tag/china/">tag</a><a href="https://other.example/2026/09/14/x/">x</a>
<a href="/a-long-hyphenated-story-slug/">B</a><a class="next" href="javascript:void(0)">next</a></body></html>""".encode()
VALID_DOCUMENTS = (RSS, ATOM, RDF, URLSET, SITEMAP_INDEX, LISTING,
                   gzip.compress(URLSET, mtime=0), gzip.compress(RSS, mtime=0))
SPLICES = (b"\x00", b"\xff\xfe", b"\x1f\x8b", b"]]>", b"<![CDATA[", b"<!ENTITY x 'y'>", b"<!DOCTYPE x [", b"&amp;",
           b"&#0;", b"&bogus;", b"<loc>", b"</loc>", b"<url>", b"</url>", b"<item>", b"<link>http://[</link>",
           b"<lastmod>9999-12-31T23:59:59-14:00</lastmod>", b"<lastmod>2026-09-14T10:00:00+2400</lastmod>",
           b"<lastmod>0001-01-01</lastmod>", b"<pubDate>Mon, 31 Dec 9999 23:59:59 -1400</pubDate>",
           b"<pubDate>Sun, 00 Foo 0000 99:99:99 +9999</pubDate>", b"<published>99999-01-01T00:00:00Z</published>",
           b"<loc>javascript:alert(1)</loc>", b"<loc>http://./</loc>", "<loc>https://چین.pk/</loc>".encode(),
           b'<a rel="next" href="http://[">n</a>', b'<link rel="next" href="mailto:x">', b"<html>", b"</html>")


@st.composite
def mutated(draw, documents=VALID_DOCUMENTS) -> bytes:
    """A valid document after a few random edits: deletions, splices, duplications, truncation, bit flips."""
    data = bytearray(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(("delete", "splice", "duplicate", "truncate", "flip", "regzip")))
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 200)))
        if op == "delete":
            del data[i:j]
        elif op == "splice":
            data[i:i] = draw(st.sampled_from(SPLICES) | st.binary(min_size=1, max_size=8))
        elif op == "duplicate":
            data[i:i] = data[i:j]
        elif op == "truncate":
            del data[i:]
        elif op == "flip" and i < len(data):
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "regzip":
            data = bytearray(gzip.compress(bytes(data), mtime=0))
    return bytes(data)


hostile_xml = st.one_of(st.binary(max_size=2000), mutated())


def assert_discovered(found) -> None:
    for d in found:
        assert canonicalise(d.url) == d.url and d.url.startswith(("http://", "https://"))
        assert d.date_hint is None or d.date_hint.utcoffset() is not None


@settings(PROFILE)
@given(hostile_xml)
@example(b"")
@example(gzip.compress(b"", mtime=0)[:-3])
@example(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>')
@example(b'<?encoding="\x80"?>')
@example(b'<?encoding="\x00"?>')
def test_parse_feed(body):
    try:
        found = parse_feed(body, f"{BASE}/feed.xml")
    except DiscoveryError:
        event("feed: DiscoveryError")
        return
    event(f"feed: {min(len(found), 2)} entries")
    assert isinstance(found, list)
    assert_discovered(found)


@settings(PROFILE)
@given(hostile_xml)
@example(b"")
@example(b"\x1f\x8b")
@example(b'<?xml version="" encoding="t"?>')
@example(b'<?xml version="1.0" encoding="shift_jis"?><urlset/>')
@example(b"\x1f\x8b" + b"\x00" * 20)
@example(gzip.compress(URLSET, mtime=0)[:40])
@example(URLSET.replace(b"2026-09-14T10:00:00+05:00", b"2026-09-14T10:00:00+2400"))
@example(URLSET.replace(b"2026-09-14/a-story/", b"x").replace(BASE.encode() + b"/x", b"http://./"))
def test_parse_sitemap(body):
    try:
        page = parse_sitemap(body, f"{BASE}/sitemap.xml")
    except DiscoveryError:
        event("sitemap: DiscoveryError")
        return
    event(f"sitemap: {min(len(page.articles) + len(page.sitemaps), 2)} URLs")
    assert isinstance(page, SitemapPage)
    assert_discovered(page.articles)
    assert_discovered(page.sitemaps)


@settings(PROFILE)
@given(st.one_of(hostile_xml, st.text(max_size=2000), encoded(hostile_pages())),
       st.sampled_from((None, r"^/\d{4}/", r"story")))
@example(b"", None)
@example("   ", None)
@example("<!-- only a comment -->", None)
@example('<?xml version="1.0" encoding="utf-8"?><html><a href="/a-long-hyphenated-story-slug/">x</a></html>', None)
@example(b'<link rel="next" href="javascript:void(0)">', None)
@example(b'<a rel="next" href="http://[">next</a>', None)
@example("\x00", None)
def test_parse_listing(body, pattern):
    """A ListingPage, or DiscoveryError for a page that is not HTML at all (empty, only a comment)."""
    url = f"{BASE}/category/world/"
    try:
        page = parse_listing(body, url, pattern)
    except DiscoveryError:
        event("listing: DiscoveryError")
        return
    event(f"listing: {min(len(page.articles), 2)} articles")
    assert isinstance(page, ListingPage)
    assert_discovered(page.articles)
    assert page.next_url is None or canonicalise(page.next_url) == page.next_url


def test_parse_listing_keeps_articles_and_next_page():
    page = parse_listing(LISTING, f"{BASE}/")
    assert [d.url for d in page.articles] == [f"{BASE}/2026/09/14/a-story/", f"{BASE}/a-long-hyphenated-story-slug/"]
    assert page.next_url == f"{BASE}/page/2/"


# --- the URL canonicaliser ------------------------------------------------------------------------

hosts = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9-]{1,12}(\.[A-Za-z0-9-]{1,12}){0,3}\.?\Z"),
    st.sampled_from(("EXAMPLE.com.", ".", "..", "[::1]", "[::A]", "[fe80::1%25eth0]", "[", "a:b", "127.0.0.1",
                     "چین.pk", "ÉXAMPLE.COM", "İstanbul.tr", "xn--fiqs8s", "a b", "a@b", "user:pw@Host", "%41.com",
                     "\u212a.com", "", "ﬀ.com", "[v1.x]")),
    special_text,
)
ports = st.one_of(st.none(), st.integers(-1, 70000).map(str),
                  st.sampled_from(("", "080", " 80", "+80", "0x50", "٨٠")))
query_keys = st.one_of(
    st.sampled_from(("utm_source", "UTM_Medium", "utm_", "utm_1", "utm_a-b", "utm_%0Ax", "utm%5Fsource", "%75tm_id",
                     "+utm_source", "fbclid", "gclid", "id", "page", "a", "", "utm_source[]")),
    special_text)
query_values = st.one_of(st.sampled_from(("", "1", "a b", "%FF", "%zz", "x=y", "+", "&", "#")), special_text)


@st.composite
def url_like(draw) -> str:
    scheme = draw(st.sampled_from(("http", "HTTP", "https", "hTTpS", "ftp", "javascript", "mailto", "", "http ")))
    host = draw(hosts)
    port = draw(ports)
    path = draw(st.sampled_from(("", "/", "/a/../b", "/%7Efoo", "/a b", "//x", "/چین/")) | special_text)
    pairs = draw(st.lists(st.tuples(query_keys, query_values), max_size=4))
    query = "&".join(f"{k}={v}" if draw(st.booleans()) else k for k, v in pairs)
    fragment = draw(st.sampled_from(("", "#", "#top", "#a?utm_source=x", "#\x00")))
    return f"{scheme}://{host}{':' + port if port is not None else ''}{path}{'?' + query if query else ''}{fragment}"


urls = st.one_of(url_like(), st.text(max_size=200), special_text)


def check_canonical(raw: str, base: str | None = None) -> str | None:
    try:
        url = canonicalise(raw, base)
    except BadUrl:
        event("url: BadUrl")
        return None
    event("url: canonical")
    assert isinstance(url, str)
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and url.startswith(parts.scheme + "://")
    assert parts.fragment == "" and "#" not in url, url
    assert not [k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if k.lower().startswith("utm_")], url
    assert parts.netloc == parts.netloc.lower(), url
    assert canonicalise(url) == url, f"not idempotent: {raw!r} -> {url!r} -> {canonicalise(url)!r}"
    return url


@settings(PROFILE)
@given(urls)
@example("http://./")
@example("http://a:b:80/")
@example("https://example.com/?utm_=1&utm_1=2&utm_a-b=3&utm_%0Ax=4&id=5")
@example("http://\u212a.com/")
@example("http://x/a ?utm_source=1")
def test_canonicalise(raw):
    check_canonical(raw)


@settings(PROFILE)
@given(urls, st.one_of(st.none(), urls, st.sampled_from((URL, "http://[", "https://[::1", "not a url"))))
@example("x", "http://[")
@example("/a", "https://[::1")
def test_canonicalise_against_a_base(raw, base):
    check_canonical(raw, base)


# --- the normaliser --------------------------------------------------------------------------------



# IANA zones (Etc/GMT-14 .. Etc/GMT+12, DST zones) and fixed offsets. Not "Factory", "localtime" or the
# posix/ and right/ copies hypothesis' timezones() also draws: polars refuses them (test_normalise_other_zones).
ZONES = st.one_of(
    st.sampled_from(sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})).map(zoneinfo.ZoneInfo),
    st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-1439, 1439)))
# Local times that exist: polars refuses those skipped by a clock change (test_normalise_other_zones).
# From 1990 (where transforms.extract.dates.PLAUSIBLE_YEARS starts): polars converts named zones with its own copy of
# the tz database, whose history differs from the system's for some zones (1946-01-01 00:00 Africa/Accra
# lands on 1945-12-31 in Python and on 1946-01-01 in polars).
stamps = st.none() | st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2200, 1, 1), timezones=ZONES,
                                  allow_imaginary=False)
article_urls = st.sampled_from(tuple(f"{BASE}/2026/09/{d:02d}/story-{d}/" for d in range(1, 6)) + ("", "x"))
category_urls = st.none() | st.sampled_from((f"{BASE}/category/World/", f"{BASE}/cat?x=1#f", "", "no-scheme",
                                             "https://x", "https://x/a//b/")) | special_text
headings = st.one_of(texts, st.builds(lambda n, sep, t: f"{n}{sep}{t}", st.integers(0, 1200),
                                      st.sampled_from((". ", ")", ".", ".\u00a0", " ")), texts))
articles = st.builds(
    Article,
    url=article_urls,
    title=texts,
    headline=texts,
    canonical_url=st.none() | article_urls,
    source_id=st.none() | st.sampled_from(("sample", "bbc-urdu", "")),
    categories=st.lists(st.builds(Category, label=texts, url=category_urls), max_size=3).map(tuple),
    sections=st.lists(st.builds(Section, heading=headings, paragraphs=st.lists(texts, max_size=4).map(tuple)),
                      max_size=4).map(tuple),
    related=st.lists(st.builds(RelatedLink, title=texts, url=st.none() | article_urls), max_size=2).map(tuple),
    published_at=stamps,
    updated_at=stamps,
    authors=st.lists(texts, max_size=2).map(tuple),
    language=st.none() | st.sampled_from(("ur", "en", "und", "")),
)

NO_BREAK = "\u00a0\u202f\u2007"
ZERO_WIDTH = "\u200b\u200d\u2060\ufeff"
# Unicode White_Space (what the cleaning rule collapses): only the plain space may remain.
WHITE_SPACE = ("\t\n\x0b\x0c\r\x85\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"
               "\u2028\u2029\u205f\u3000")


def assert_clean(text: str | None) -> None:
    if text is None:
        return
    assert not set(text) & set(NO_BREAK + ZERO_WIDTH + WHITE_SPACE), repr(text)
    assert text == text.strip(" ") and "  " not in text, repr(text)
    # Zero-width non-joiners are spelling between two letters (Urdu), and removed anywhere else.
    for i, ch in enumerate(text):
        if ch == "\u200c":
            assert 0 < i < len(text) - 1, repr(text)
            neighbours = unicodedata.category(text[i - 1])[0] + unicodedata.category(text[i + 1])[0]
            assert set(neighbours) <= set("LM"), repr(text)


@settings(PROFILE)
@given(st.lists(st.one_of(texts, st.text()), max_size=20))
@example(["\u00a0a\u200b  b\u3000", "\u200c\u200cمی\u200c\u200cشود\u200c", "a\u200c b", "\u200b", "\u00a0\u00a0"])
@example(["\ufeff\u200e\u202bچین\u202c\u2069", "\x85x\u2028", "e\u200b\u0301", "\u200c\u200b\u200c"])
def test_clean_text_expr(values):
    cleaned = pl.DataFrame({"t": values}, schema={"t": pl.Utf8}).select(clean_text_expr("t"))["t"].to_list()
    assert len(cleaned) == len(values)
    for text in cleaned:
        assert_clean(text)


def assert_schema(frame: pl.DataFrame, schema: dict) -> None:
    assert dict(frame.schema) == schema


@settings(PROFILE)
@given(st.lists(articles, max_size=4))
def test_normalise(records):
    batch = normalise(records, extractor_version="0.0.test", lexicon=LEXICON)
    for frame, schema in ((batch.articles, ARTICLES_SCHEMA), (batch.sections, SECTIONS_SCHEMA),
                          (batch.categories, CATEGORIES_SCHEMA), (batch.links, LINKS_SCHEMA),
                          (batch.mentions, MENTIONS_SCHEMA), (batch.terms, TERMS_SCHEMA)):
        assert_schema(frame, schema)
    ids = {article_id(a) for a in records}
    assert batch.articles.height == len(ids)
    assert set(batch.articles["article_id"]) == ids
    assert batch.articles["article_id"].n_unique() == batch.articles.height
    assert set(batch.sections["article_id"]) <= ids and set(batch.mentions["article_id"]) <= ids
    latest = {article_id(a): a for a in records}  # the last record of an id wins
    for row in batch.articles.iter_rows(named=True):
        a = latest[row["article_id"]]
        # The page's date in UTC, else the /yyyy/mm/dd/ of its URL or canonical URL (transforms/dating.py;
        # without a fetch context there is no discovery hint and no fetch day to fall back on).
        url_day = date_in_path(a.url) or date_in_path(a.canonical_url or "")
        expected_day = (a.published_at.astimezone(timezone.utc).date() if a.published_at
                        else date.fromisoformat(url_day) if url_day else None)
        assert row["published_day"] == expected_day
        for name in ("title_clean", "headline_clean"):
            assert_clean(row[name])
        for line in (row["body_clean"] or "").split("\n"):
            assert_clean(line)
    for column, frame in (("heading_clean", batch.sections), ("label_clean", batch.categories),
                          ("title_clean", batch.links)):
        for value in frame[column]:
            assert_clean(value)


@pytest.mark.parametrize("stamp", [
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
    datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
])
def test_normalise_extreme_dates(stamp):
    """Dates at the ends of datetime's range, in zones that push them past it in UTC."""
    record = Article(url=URL, title="t", headline="h", published_at=stamp, sections=(Section("", (SENTENCE,)),))
    batch = normalise([record], extractor_version="test", lexicon=LEXICON)
    assert batch.articles["published_at"].to_list() == [None]  # UTC cannot hold it: the date goes, not the row


def _stamps_polars_refuses():
    from dateutil import tz

    def zone(key):  # posix/ and Factory need the system's tz database: skipped where it lacks them
        try:
            return zoneinfo.ZoneInfo(key)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    stamps = [(2026, 9, 14, 10, 0, zone("posix/Asia/Karachi")), (2026, 9, 14, 10, 0, zone("Factory")),
              (2026, 9, 14, 10, 0, tz.gettz("Asia/Karachi")),  # a dateutil tzfile
              (2026, 3, 8, 2, 30, zone("America/New_York")),  # skipped by the change to summer time
              (1912, 1, 1, 0, 10, zone("Africa/Abidjan"))]  # skipped by the change from local mean time
    return [datetime(*fields, tzinfo=z) for *fields, z in stamps if z is not None]


@pytest.mark.parametrize("stamp", _stamps_polars_refuses(), ids=lambda d: f"{d.isoformat()} {d.tzinfo}")
def test_normalise_other_zones(stamp):
    record = Article(url=URL, title="t", headline="h", published_at=stamp, sections=(Section("", (SENTENCE,)),))
    batch = normalise([record], extractor_version="test", lexicon=LEXICON)
    assert batch.articles["published_at"].to_list() == [stamp.astimezone(timezone.utc)]
