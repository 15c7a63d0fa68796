"""Every article's publication day, and where it came from.

A cascade, each step used only when the ones before it know nothing:

1. ``page``     the page's own date (JSON-LD, meta tags, <time>, microdata, a date line);
2. ``feed`` / ``sitemap`` / ``archive``
                the date discovery found the URL with: a feed's pubDate, a sitemap's
                news:publication_date or lastmod, the day archive page that listed it;
3. ``url``      a /yyyy/mm/dd/ date in the article's URL;
4. ``fetched``  the UTC day the page was first fetched.

So an undated page still lands on a day (the one it was first seen), and the row says
how that day was chosen. Days are UTC days, like every day in the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from transforms.article import Article
from transforms.urls import date_in_path

DAY_SOURCES = ("page", "feed", "sitemap", "archive", "url", "fetched")
# Discovery's hint sources (transforms.feeds.HINT_PRIORITY) as day sources.
HINT_DAY_SOURCE = {"pubDate": "feed", "news:publication_date": "sitemap", "lastmod": "sitemap",
                   "date archive": "archive", "url": "url"}
# The extractor's own last resort reads the URL; such a date is the URL's, not the page's.
URL_PROVENANCE = "url"


@dataclass(frozen=True, slots=True)
class FetchContext:
    """What the crawler knew of a page when it fetched it (none of it is in the page)."""

    requested_url: str  # the URL asked for (before redirects): a rendition worth remembering
    fetched_at: datetime | None = None  # aware; for a re-extraction, when it was archived
    date_hint: datetime | None = None  # aware; the date discovery found the URL with
    hint_source: str | None = None  # pubDate / lastmod / news:publication_date / date archive / url


def _utc_day(value: datetime) -> date | None:
    try:
        return value.astimezone(timezone.utc).date()
    except (OverflowError, ValueError):
        return None


def publication_day(article: Article, context: FetchContext | None) -> tuple[date | None, str | None]:
    """(day, day_source) by the cascade above; (None, None) only with no date and no context."""
    own = str(article.provenance.get("published_at", ""))
    if article.published_at is not None and not own.startswith(URL_PROVENANCE):
        if (day := _utc_day(article.published_at)) is not None:
            return day, "page"
    if context is not None and context.date_hint is not None:
        source = HINT_DAY_SOURCE.get(context.hint_source or "")
        if source is not None and (day := _utc_day(context.date_hint)) is not None:
            return day, source
    for url in (article.url, article.canonical_url, context.requested_url if context else None):
        if url and (found := date_in_path(url)):
            return date.fromisoformat(found), "url"
    if context is not None and context.fetched_at is not None:
        if (day := _utc_day(context.fetched_at)) is not None:
            return day, "fetched"
    return None, None
