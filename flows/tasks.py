"""Prefect tasks of the ingest flow; each batch of pages is one task, never one page."""

from __future__ import annotations

from dataclasses import dataclass, field

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.fetch import FetchResult, Fetcher
from transforms.article import Article
from transforms.discover import Discovered, DiscoveryError, parse_feed, parse_listing, parse_sitemap
from transforms.extract import EXTRACTOR_VERSION, ExtractionError, extract_article
from transforms.normalise import normalise
from transforms.outcome import Outcome
from transforms.sources import Source
from warehouse.db import connect
from warehouse.load import load_batch, record_fetches

# Sitemap indexes nest; real sites go two levels deep at most.
MAX_SITEMAP_DEPTH = 3


@dataclass
class FetchLog:
    """Every fetch outcome of a task, to be appended to the warehouse's fetch_log."""

    rows: list[dict] = field(default_factory=list)

    def add(self, result: FetchResult, source_id: str, outcome: Outcome | None = None, reason: str | None = None):
        self.rows.append({
            "url": result.url, "source_id": source_id, "fetched_at": result.fetched_at,
            "outcome": (outcome or result.outcome).value, "http_status": result.http_status,
            "bytes": len(result.body), "elapsed_ms": result.elapsed_ms, "reason": reason or result.reason,
        })


@dataclass
class Discovery:
    urls: dict[str, Discovered] = field(default_factory=dict)
    log: FetchLog = field(default_factory=FetchLog)

    def add(self, found: list[Discovered]) -> None:
        for item in found:
            known = self.urls.get(item.url)
            if known is None or (known.date_hint is None and item.date_hint is not None):
                self.urls[item.url] = item


@task(name="discover", cache_policy=NO_CACHE)
def discover(source: Source, fetcher: Fetcher) -> Discovery:
    """Feeds, sitemaps (and robots.txt's Sitemap: lines), listings with their next pages."""
    logger = get_run_logger()
    found = Discovery()

    def fetch(url: str) -> FetchResult | None:
        result = fetcher.get(url)
        found.log.add(result, source.id)
        if not result.ok:
            logger.warning("discovery fetch %s: %s (%s)", url, result.outcome.value, result.reason)
            return None
        return result

    for url in source.feeds:
        if (result := fetch(url)) is not None:
            _parse_into(found, lambda r=result, u=url: parse_feed(r.body, u), url, logger)
    robots_sitemaps = [s for u in (source.feeds + source.sitemaps + source.listings)[:1]
                       for s in fetcher.robots_sitemaps(u)]
    pending = [(url, 0) for url in dict.fromkeys(source.sitemaps + tuple(robots_sitemaps))]
    seen_sitemaps: set[str] = set()
    while pending:
        url, depth = pending.pop(0)
        if url in seen_sitemaps or depth > MAX_SITEMAP_DEPTH:
            continue
        seen_sitemaps.add(url)
        if (result := fetch(url)) is None:
            continue
        page = _parse_into(found, lambda r=result, u=url: parse_sitemap(r.body, u), url, logger)
        if page is not None:
            pending.extend((child.url, depth + 1) for child in page.sitemaps)
    for start in source.listings:
        url, pages = start, 0
        while url and pages <= source.listing_depth:
            if (result := fetch(url)) is None:
                break
            page = parse_listing(result.body, result.final_url, source.article_pattern)
            found.add(page.articles)
            url, pages = page.next_url, pages + 1
    logger.info("source %s: %d article URLs discovered", source.id, len(found.urls))
    return found


def _parse_into(found: Discovery, parse, url, logger):
    try:
        parsed = parse()
    except DiscoveryError as exc:
        logger.warning("%s", exc)
        return None
    found.add(parsed if isinstance(parsed, list) else parsed.articles)
    return parsed


@dataclass
class BatchResult:
    articles: list[Article] = field(default_factory=list)
    log: FetchLog = field(default_factory=FetchLog)


@task(name="fetch-and-extract", cache_policy=NO_CACHE)
def fetch_and_extract(urls: list[str], source: Source, fetcher: Fetcher) -> BatchResult:
    """Fetch a batch of article pages and extract each; a bad page is logged, not fatal."""
    logger = get_run_logger()
    out = BatchResult()
    for url in urls:
        result = fetcher.get(url)
        if not result.ok:
            out.log.add(result, source.id)
            logger.warning("fetch %s: %s (%s)", url, result.outcome.value, result.reason)
            continue
        try:
            article = extract_article(result.body, result.final_url, source_id=source.id,
                                      content_type=result.content_type, body_selector=source.body_selector)
        except ExtractionError as exc:
            out.log.add(result, source.id, Outcome.SOFT, f"no article: {exc}")
            logger.warning("extract %s: %s", url, exc)
            continue
        out.log.add(result, source.id)
        out.articles.append(article)
    return out


@task(name="load", cache_policy=NO_CACHE)
def load(db_path: str, articles: list[Article], fetch_rows: list[dict], run_id: str):
    """Normalise one batch in Polars and load it into DuckDB in one transaction."""
    import polars as pl

    from warehouse.load import FETCH_LOG_SCHEMA

    batch = normalise(articles, extractor_version=EXTRACTOR_VERSION)
    log = pl.DataFrame([dict(r, run_id=run_id) for r in fetch_rows], schema=FETCH_LOG_SCHEMA)
    con = connect(db_path)
    try:
        report = load_batch(con, batch)
        record_fetches(con, log)
    finally:
        con.close()
    return report
