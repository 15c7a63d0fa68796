"""The URL canonicaliser as a pure function, table-driven."""

from __future__ import annotations

import pytest

from transforms.urls import BadUrl, canonicalise, date_in_path

CASES = [
    ("HTTP://Example.COM/a/b", "http://example.com/a/b"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("http://example.com:8080/a", "http://example.com:8080/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a?utm_source=tw&utm_medium=social&id=7", "https://example.com/a?id=7"),
    ("https://example.com/a?fbclid=XYZ", "https://example.com/a"),
    ("https://example.com/a?gclid=1&page=2&mc_cid=3", "https://example.com/a?page=2"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"),  # order can matter to a server
    ("https://EXAMPLE.com./a", "https://example.com/a"),
    ("  https://example.com/a  ", "https://example.com/a"),
    ("https://example.com/%D8%A7%D8%B1%D8%AF%D9%88/", "https://example.com/%D8%A7%D8%B1%D8%AF%D9%88/"),
    ("http://[::1]:8000/x", "http://[::1]:8000/x"),
]


@pytest.mark.parametrize("raw, expected", CASES)
def test_canonicalise(raw, expected):
    assert canonicalise(raw) == expected


def test_relative_urls_resolve_against_base():
    assert canonicalise("../b?utm_campaign=x#f", "https://example.com/a/c/") == "https://example.com/a/b"


@pytest.mark.parametrize("raw", ["ftp://example.com/f", "mailto:a@b.c", "/relative/only", "http://", "javascript:void(0)",
                                 "http://example.com:99999/"])
def test_non_http_urls_are_refused(raw):
    with pytest.raises(BadUrl):
        canonicalise(raw)


@pytest.mark.parametrize("url, day", [
    ("https://x.pk/2026/09/14/slug/", "2026-09-14"),
    ("https://x.pk/news/2026/09/14", "2026-09-14"),
    ("https://x.pk/2026/13/14/slug/", None),
    ("https://x.pk/news/1234567/slug", None),
])
def test_date_in_path(url, day):
    assert date_in_path(url) == day
