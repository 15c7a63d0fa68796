"""Prefect tasks of the flows; each batch of pages is one task, never one page."""

from __future__ import annotations

from dataclasses import dataclass, field

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.crawl.discovery import Discoverer, Discovery
from flows.workers import extract_and_normalise
from flows.crawl.fetch import Fetcher
from flows.crawl.fetchlog import FetchLog
from flows.crawl.fetchlog import fetch_log_frame
from warehouse.staging import Stage
from warehouse.writer import FlushReport, flush
from transforms.article import Article
from transforms.dating import FetchContext
from transforms.feeds import Discovered
from transforms.extract import EXTRACTOR_VERSION, ExtractionError, extract_article
from transforms.normalise import NormalisedBatch, normalise
from transforms.outcome import Outcome
from transforms.sources import Source
from warehouse.state import DocState


@task(name="discover-source", cache_policy=NO_CACHE)
def discover_source(source: Source, fetcher: Fetcher, prior: dict[str, DocState]) -> Discovery:
    """Feeds, sitemaps (and robots.txt's Sitemap: lines), listings, asked conditionally."""
    logger = get_run_logger()
    found = Discoverer(source, fetcher, prior, logger).run()
    logger.info("source %s: %d article URLs discovered, %d documents unchanged",
                source.id, len(found.urls), found.unchanged_docs)
    return found


@dataclass
class BatchResult:
    source_id: str
    batch: NormalisedBatch | None  # None once staged by the task itself
    articles: int = 0
    log: FetchLog = field(default_factory=FetchLog)


def extract_one(body: bytes, url: str, source: Source, content_type: str | None) -> Article:
    return extract_article(body, url, source_id=source.id, content_type=content_type,
                           body_selector=source.body_selector)


@task(name="fetch-and-extract", cache_policy=NO_CACHE)
def fetch_and_extract(urls: list[Discovered], source: Source, fetcher: Fetcher, stage: Stage | None = None,
                      run_id: str = "local") -> BatchResult:
    """Fetch a batch of article pages (this thread), extract and normalise them (a worker process).

    With a stage, the batch is staged here and the result carries only counts and the log: Prefect
    keeps every task's result for the whole flow run, so returning the frames would make a run's
    memory grow with its size.
    """
    logger = get_run_logger()
    log, pages, fetched = FetchLog(), [], {}
    for found in urls:
        result = fetcher.get(found.url)
        if not result.ok:
            log.add(result, source.id)
            logger.warning("fetch %s: %s (%s)", found.url, result.outcome.value, result.reason)
            continue
        context = FetchContext(found.url, result.fetched_at, found.date_hint, found.hint_source)
        pages.append((result.final_url, result.body, result.content_type, context))
        fetched[result.final_url] = result
    batch, count, failures = extract_and_normalise(pages, source.id, source.body_selector)
    refused = dict(failures)
    for final_url, result in fetched.items():
        if final_url in refused:
            log.add(result, source.id, Outcome.SOFT, f"no article: {refused[final_url]}")
            logger.warning("extract %s: %s", final_url, refused[final_url])
        else:
            log.add(result, source.id)
    if stage is not None:
        stage.put(batch=batch, fetch_log=fetch_log_frame(log.rows, run_id))
        batch = None
    return BatchResult(source.id, batch, count, log)


@task(name="load", cache_policy=NO_CACHE)
def load_staged(db: str, stage_root: str, stage_token: str, wait_seconds: float, startup: bool = False) -> FlushReport:
    """Load every staged batch into DuckDB under the writer lock (bounded wait if it is held); first
    undo what runs killed earlier left (see warehouse.writer.flush)."""
    return flush(db, Stage(stage_root, stage_token), get_run_logger(), wait_seconds, startup)


@task(name="reextract", cache_policy=NO_CACHE)
def reextract_batch(records: list[tuple[str, bytes, str | None, FetchContext]], source: Source) -> BatchResult:
    """Extract archived responses again with the current extractor; no network."""
    logger = get_run_logger()
    log, articles = FetchLog(), []
    for url, body, content_type, _context in records:
        try:
            articles.append(extract_one(body, url, source, content_type))
        except ExtractionError as exc:
            logger.warning("reextract %s: %s", url, exc)
            log.rows.append({"url": url, "source_id": source.id, "outcome": Outcome.SOFT.value,
                             "reason": f"no article: {exc}"})
    contexts = {url: context for url, _body, _ctype, context in records}
    batch = normalise(articles, extractor_version=EXTRACTOR_VERSION, contexts=contexts)
    return BatchResult(source.id, batch, len(articles), log)
