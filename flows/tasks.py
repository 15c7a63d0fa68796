"""Prefect tasks of the flows; each batch of pages is one task, never one page."""

from __future__ import annotations

from dataclasses import dataclass, field

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.crawl.discovery import Discoverer, Discovery
from flows.workers import Page, extract_and_normalise
from flows.crawl.fetch import Fetcher
from flows.crawl.fetchers import FetcherSpec, fetcher_of
from flows.crawl.fetchlog import FetchLog
from flows.crawl.fetchlog import fetch_log_frame
from warehouse.staging import Stage
from warehouse.loader import LoadTotals, with_warehouse
from warehouse.recompute import RecomputeReport, recompute
from warehouse.loader import load_staged as load_staged_batches
from transforms.dating import FetchContext
from transforms.feeds import Discovered
from transforms.entities import Lexicon
from transforms.normalise import NormalisedBatch
from transforms.outcome import Outcome
from transforms.sources import Source
from warehouse.state import DocState


@task(name="discover-source", cache_policy=NO_CACHE)
def discover_source(source: Source, fetcher: Fetcher | FetcherSpec, prior: dict[str, DocState]) -> Discovery:
    """Feeds, sitemaps (and robots.txt's Sitemap: lines), listings, asked conditionally."""
    logger = get_run_logger()
    found = Discoverer(source, fetcher_of(fetcher), prior, logger).run()
    logger.info("source %s: %d article URLs discovered, %d documents unchanged",
                source.id, len(found.urls), found.unchanged_docs)
    return found


@dataclass
class BatchResult:
    source_id: str
    batch: NormalisedBatch | None  # None once staged by the task itself
    articles: int = 0
    log: FetchLog = field(default_factory=FetchLog)


@task(name="fetch-and-extract", cache_policy=NO_CACHE)
def fetch_and_extract(urls: list[Discovered], source: Source, fetcher: Fetcher | FetcherSpec, stage: Stage | None,
                      lexicon: Lexicon, run_id: str = "local", extract_workers: int | None = None) -> BatchResult:
    """Fetch a batch of article pages (this thread), extract and normalise them (a worker process,
    or this thread with extract_workers=0, as on a Dask worker).

    With a stage, the batch is staged here and the result carries only counts and the log: Prefect
    keeps every task's result for the whole flow run, so returning the frames would make a run's
    memory grow with its size. On a Dask cluster the stage is on the flow's machine: the batch comes
    back and the flow stages it.
    """
    logger = get_run_logger()
    fetcher = fetcher_of(fetcher)
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
    batch, count, failures = extract_and_normalise(pages, source, lexicon, extract_workers)
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
def load_staged(db: str, stage_root: str, stage_token: str, wait_seconds: float, lexicon: Lexicon,
                startup: bool = False) -> LoadTotals:
    """Load every staged batch into DuckDB under the writer lock (bounded wait if it is held); first
    undo what runs killed earlier left (see warehouse.loader.load_staged)."""
    return load_staged_batches(db, Stage(stage_root, stage_token), lexicon, get_run_logger(), wait_seconds, startup)


@task(name="recompute", cache_policy=NO_CACHE)
def recompute_stored(db: str, lexicon: Lexicon, wait_seconds: float) -> RecomputeReport:
    """Every stored article's mentions and terms made again with the lexicon, and all aggregates."""
    return with_warehouse(db, lambda con: recompute(con, lexicon), get_run_logger(), wait_seconds)


@task(name="reextract", cache_policy=NO_CACHE)
def reextract_batch(records: list[Page], source: Source, lexicon: Lexicon) -> BatchResult:
    """Extract archived responses again with the current extractor; no network."""
    logger = get_run_logger()
    log = FetchLog()
    batch, count, failures = extract_and_normalise(records, source, lexicon)
    for url, reason in failures:
        logger.warning("reextract %s: %s", url, reason)
        log.rows.append({"url": url, "source_id": source.id, "outcome": Outcome.SOFT.value,
                         "reason": f"no article: {reason}"})
    return BatchResult(source.id, batch, count, log)
