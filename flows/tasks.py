"""Prefect tasks of the ingest flow; each batch of pages is one task, never one page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.discovery import Discoverer, Discovery
from flows.fetch import Fetcher
from flows.fetchlog import FetchLog
from transforms.article import Article
from transforms.extract import EXTRACTOR_VERSION, ExtractionError, extract_article
from transforms.normalise import normalise
from transforms.outcome import Outcome
from transforms.sources import Source
from warehouse.db import connect
from warehouse.load import FETCH_LOG_SCHEMA, LoadReport, load_batch, record_fetches
from warehouse.state import DocState, mark_outcomes, record_discovery


@task(name="discover", cache_policy=NO_CACHE)
def discover(source: Source, fetcher: Fetcher, prior: dict[str, DocState]) -> Discovery:
    """Feeds, sitemaps (and robots.txt's Sitemap: lines), listings, asked conditionally."""
    logger = get_run_logger()
    found = Discoverer(source, fetcher, prior, logger).run()
    logger.info("source %s: %d article URLs discovered, %d documents unchanged",
                source.id, len(found.urls), found.unchanged_docs)
    return found


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
def load(db_path: str, articles: list[Article], fetch_rows: list[dict], run_id: str,
         discovery: Discovery | None = None) -> LoadReport:
    """Normalise one batch in Polars and load it, with its fetch outcomes, into DuckDB."""
    batch = normalise(articles, extractor_version=EXTRACTOR_VERSION)
    log = pl.DataFrame([dict(r, run_id=run_id) for r in fetch_rows], schema=FETCH_LOG_SCHEMA)
    con = connect(db_path)
    try:
        if discovery is not None:
            record_discovery(con, discovery.states, discovery.discovered_rows(datetime.now(timezone.utc)))
        report = load_batch(con, batch)
        record_fetches(con, log)
        mark_outcomes(con, log)
    finally:
        con.close()
    return report
