"""The publication-day cascade: the page, then discovery, then the URL, then the day of the fetch."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from transforms.article import Article, Section
from transforms.dating import FetchContext, publication_day

FETCHED = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc)


def article(url="https://x.pk/news/slug", published_at=None, provenance=None) -> Article:
    return Article(url=url, title="T", headline="H", sections=(Section("", ("p",)),), published_at=published_at,
                   provenance=provenance or {})


def ctx(hint=None, source=None, url="https://x.pk/news/slug") -> FetchContext:
    return FetchContext(url, FETCHED, hint, source)


def test_the_pages_own_date_comes_first_in_utc():
    karachi = timezone(timedelta(hours=5))
    a = article(published_at=datetime(2026, 9, 15, 2, 0, tzinfo=karachi), provenance={"published_at": "json-ld"})
    assert publication_day(a, ctx(datetime(2026, 9, 1, tzinfo=timezone.utc), "pubDate")) == (date(2026, 9, 14), "page")


@pytest.mark.parametrize("hint_source, day_source", [
    ("pubDate", "feed"), ("news:publication_date", "sitemap"), ("lastmod", "sitemap"),
    ("date archive", "archive"), ("url", "url"),
])
def test_discovery_hints_name_their_origin(hint_source, day_source):
    hint = datetime(2026, 9, 3, 12, tzinfo=timezone.utc)
    assert publication_day(article(), ctx(hint, hint_source)) == (date(2026, 9, 3), day_source)


def test_a_date_the_extractor_read_off_the_url_ranks_below_discovery():
    a = article(url="https://x.pk/2026/09/01/slug/", published_at=datetime(2026, 9, 1, tzinfo=timezone.utc),
                provenance={"published_at": "url (date only; assumed UTC)"})
    assert publication_day(a, ctx(datetime(2026, 9, 2, 6, tzinfo=timezone.utc), "pubDate")) == (date(2026, 9, 2), "feed")
    assert publication_day(a, ctx()) == (date(2026, 9, 1), "url")


def test_an_undated_page_lands_on_the_day_it_was_fetched():
    assert publication_day(article(), ctx()) == (date(2026, 11, 30), "fetched")


def test_the_requested_urls_date_counts_when_a_redirect_lost_it():
    a = article(url="https://x.pk/p?id=7")
    assert publication_day(a, ctx(url="https://x.pk/2026/08/07/slug/")) == (date(2026, 8, 7), "url")


def test_a_date_utc_cannot_hold_is_skipped_not_fatal():
    far = datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14)))
    a = article(published_at=far, provenance={"published_at": "json-ld"})
    assert publication_day(a, ctx()) == (date(2026, 11, 30), "fetched")


def test_nothing_known_gives_no_day():
    assert publication_day(article(), None) == (None, None)
