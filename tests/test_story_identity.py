"""Story identity of URLs: every rendition of one page has one key; different pages never share one."""

from __future__ import annotations

import pytest

from transforms.urls import same_site, story_key

RENDITIONS = [
    "https://www.example.com/news/2026/09/14/putin-kim-talks/",
    "http://www.example.com/news/2026/09/14/putin-kim-talks/",
    "https://example.com/news/2026/09/14/putin-kim-talks",
    "https://m.example.com/news/2026/09/14/putin-kim-talks/",
    "https://amp.example.com/news/2026/09/14/putin-kim-talks/",
    "https://www.example.com/news/2026/09/14/putin-kim-talks/amp/",
    "https://www.example.com/news/2026/09/14/putin-kim-talks/amp",
    "https://www.example.com/amp/news/2026/09/14/putin-kim-talks/",
    "https://www.example.com/news/2026/09/14/putin-kim-talks/?amp=1",
    "https://www.example.com/news/2026/09/14/putin-kim-talks/?amp",
    "https://www.example.com/news/2026/09/14/putin-kim-talks/?outputType=amp",
    "https://www.example.com/news/2026/09/14/putin-kim-talks/index.html",
    "https://WWW.Example.com:443/news/2026/09/14/putin-kim-talks/?utm_source=x&fbclid=1#comments",
]


@pytest.mark.parametrize("url", RENDITIONS)
def test_renditions_of_one_page_share_a_key(url):
    assert story_key(url) == story_key(RENDITIONS[0]) == "example.com/news/2026/09/14/putin-kim-talks"


@pytest.mark.parametrize("a, b", [
    ("https://example.com/news/1", "https://example.com/news/2"),
    ("https://example.com/news/a?id=1", "https://example.com/news/a?id=2"),
    ("https://example.com/News/a", "https://example.com/news/a"),  # paths are case-sensitive
    ("https://example.com/a", "https://example.org/a"),
    ("https://news.example.com/a", "https://example.com/a"),  # a subdomain is another site section
    ("https://example.com/example-amp", "https://example.com/example"),
    ("https://example.com/news/a.amp.html", "https://example.com/news/b.html"),
    ("https://example.com/lamp", "https://example.com/l"),
])
def test_different_pages_keep_different_keys(a, b):
    assert story_key(a) != story_key(b)


def test_query_order_does_not_matter_but_values_do():
    assert story_key("https://x.com/a?b=2&a=1") == story_key("https://x.com/a?a=1&b=2")
    assert story_key("https://x.com/a?amp=0") != story_key("https://x.com/a")  # amp=0 is not a request for AMP


def test_amp_html_rendition():
    assert story_key("https://x.com/news/story.amp.html") == story_key("https://x.com/news/story.html")


@pytest.mark.parametrize("url", RENDITIONS + ["http://127.0.0.1:8000/a/", "http://[::1]:80/x"])
def test_key_is_idempotent_on_its_own_url_form(url):
    key = story_key(url)
    assert story_key("http://" + key) == key


@pytest.mark.parametrize("a, b, same", [
    ("https://amp.theguardian.com/world/x", "https://www.theguardian.com/world/x", True),
    ("https://www.bbc.co.uk/news/x", "https://www.bbc.com/news/x", False),
    ("https://edition.cnn.com/a", "https://www.cnn.com/a", True),
    ("https://www.example.com/a", "https://www.other.com/a", False),
    ("http://sample-site.invalid/a", "http://www.sample-site.invalid/b", True),
    ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b", True),
    ("https://x.com/a", "not a url", False),
])
def test_same_site(a, b, same):
    assert same_site(a, b) is same
