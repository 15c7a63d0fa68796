"""Feed, sitemap and listing parsers: every format a news site publishes, and hostile XML."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone

import pytest

from transforms.feeds import DiscoveryError, parse_feed, parse_listing, parse_sitemap

BASE = "https://news.example.pk"

RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>t</title><link>https://news.example.pk/</link>
<description>d</description><item><title>A</title><link>https://news.example.pk/a-story-about-this-thing/?utm_source=rss</link></item>
</channel></rss>"""
RSS10 = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://news.example.pk/"><title>t</title><link>https://news.example.pk/</link>
<description>d</description></channel><item rdf:about="https://news.example.pk/2026/09/14/b/"><title>B</title>
<link>https://news.example.pk/2026/09/14/b/</link><dc:date>2026-09-14T10:00:00+05:00</dc:date></item></rdf:RDF>"""
RSS20 = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://news.example.pk/</link><description>d</description>
<item><title>C</title><link>https://news.example.pk/c/</link><pubDate>Mon, 14 Sep 2026 10:00:00 +0500</pubDate></item>
<item><title>no link</title></item></channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id>
<updated>2026-09-15T00:00:00Z</updated><entry><title>D</title><id>d</id><link href="/d/" rel="alternate"/>
<published>2026-09-15T08:00:00Z</published><updated>2026-09-15T09:00:00Z</updated></entry></feed>"""


@pytest.mark.parametrize("body, url, hint", [
    (RSS091, "https://news.example.pk/a-story-about-this-thing/", None),
    (RSS10, "https://news.example.pk/2026/09/14/b/", datetime(2026, 9, 14, 5, tzinfo=timezone.utc)),
    (RSS20, "https://news.example.pk/c/", datetime(2026, 9, 14, 5, tzinfo=timezone.utc)),
    (ATOM, "https://news.example.pk/d/", datetime(2026, 9, 15, 8, tzinfo=timezone.utc)),
])
def test_feed_formats(body, url, hint):
    found = parse_feed(body, f"{BASE}/feed")
    assert [d.url for d in found] == [url]
    assert found[0].date_hint == hint and found[0].via == "feed"


def test_malformed_feed_is_a_discovery_error():
    with pytest.raises(DiscoveryError, match="not a readable feed"):
        parse_feed(b"<html><body>Oops, a CMS error page</body></html>", f"{BASE}/feed")


URLSET = b"""<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.pk/2026/09/14/e/</loc><lastmod>2026-09-14T12:00:00+05:00</lastmod></url>
<url><loc>https://news.example.pk/f/</loc><news:news><news:publication><news:name>N</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2026-09-16T07:30:00Z</news:publication_date><news:title>F</news:title></news:news>
<lastmod>2026-09-20T00:00:00Z</lastmod></url>
<url><loc>https://news.example.pk/2026/09/17/g/</loc></url></urlset>"""


@pytest.mark.parametrize("compress", [False, True])
def test_sitemap_with_lastmod_news_dates_and_url_dates(compress):
    body = gzip.compress(URLSET) if compress else URLSET
    page = parse_sitemap(body, f"{BASE}/sitemap.xml.gz")
    hints = {d.url.rsplit("/", 2)[-2]: (d.date_hint, d.hint_source) for d in page.articles}
    assert hints["e"] == (datetime(2026, 9, 14, 7, tzinfo=timezone.utc), "lastmod")
    assert hints["f"] == (datetime(2026, 9, 16, 7, 30, tzinfo=timezone.utc), "news:publication_date")
    assert hints["g"] == (datetime(2026, 9, 17, tzinfo=timezone.utc), "url")
    assert page.sitemaps == []


def test_sitemap_index_lists_children():
    body = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://news.example.pk/s-2026-09.xml</loc><lastmod>2026-09-30T00:00:00Z</lastmod></sitemap>
    <sitemap><loc>https://news.example.pk/s-2026-10.xml.gz</loc></sitemap></sitemapindex>"""
    page = parse_sitemap(body, f"{BASE}/sitemap_index.xml")
    assert [s.url for s in page.sitemaps] == [f"{BASE}/s-2026-09.xml", f"{BASE}/s-2026-10.xml.gz"]
    assert page.articles == []


BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x/&lol9;</loc></url></urlset>"""


def test_billion_laughs_is_refused_not_expanded():
    with pytest.raises(DiscoveryError, match="DTD|entity"):
        parse_sitemap(BILLION_LAUGHS, f"{BASE}/sitemap.xml")
    with pytest.raises(DiscoveryError, match="entity"):
        parse_feed(BILLION_LAUGHS.replace(b"urlset", b"rss"), f"{BASE}/feed")


def test_gzip_bomb_is_cut(monkeypatch):
    import transforms.feeds as discover

    monkeypatch.setattr(discover, "MAX_SITEMAP_BYTES", 1000)
    with pytest.raises(DiscoveryError, match="expands beyond"):
        parse_sitemap(gzip.compress(b"<urlset>" + b" " * 100_000 + b"</urlset>"), f"{BASE}/s.xml.gz")


def test_listing_articles_and_next_page():
    html = """<html><head><link rel="next" href="/category/china/page/2/"></head><body>
    <nav><a href="/category/world/">دنیا</a><a href="/tag/north-korea-nuclear-talks-latest/">tag</a><a href="/2026/09/">archive</a></nav>
    <article><h2><a href="/2026/09/14/china-and-russia-sign-deal/">A</a></h2></article>
    <article><h2><a href="https://news.example.pk/2026/09/15/kim-visits-moscow/#respond">B</a></h2></article>
    <a href="https://elsewhere.com/2026/09/15/other-site-story/">offsite</a></body></html>"""
    page = parse_listing(html, f"{BASE}/category/china/")
    assert [d.url for d in page.articles] == [f"{BASE}/2026/09/14/china-and-russia-sign-deal/",
                                              f"{BASE}/2026/09/15/kim-visits-moscow/"]
    assert page.next_url == f"{BASE}/category/china/page/2/"
    assert parse_listing(html, f"{BASE}/category/china/", r"kim").articles[0].url.endswith("kim-visits-moscow/")
