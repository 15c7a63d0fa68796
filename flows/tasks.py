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


@dataclass
class Fetched:
    """A batch's pages as fetched, before extraction (what a fetch task on a Dask worker returns)."""

    source_id: str
    pages: list[Page] = field(default_factory=list)
    results: dict = field(default_factory=dict)  # final url -> its FetchResult, for the log
    log: FetchLog = field(default_factory=FetchLog)  # the fetches that failed


def fetch_pages(urls: list[Discovered], source: Source, fetcher: Fetcher) -> Fetched:
    logger = get_run_logger()
    out = Fetched(source.id)
    for found in urls:
        result = fetcher.get(found.url)
        if not result.ok:
            out.log.add(result, source.id)
            logger.warning("fetch %s: %s (%s)", found.url, result.outcome.value, result.reason)
            continue
        context = FetchContext(found.url, result.fetched_at, found.date_hint, found.hint_source)
        out.pages.append((result.final_url, result.body, result.content_type, context))
        out.results[result.final_url] = result
    return out


def extract_fetched(fetched: Fetched, source: Source, lexicon: Lexicon, extract_workers: int | None) -> BatchResult:
    logger = get_run_logger()
    log = fetched.log
    batch, count, failures = extract_and_normalise(fetched.pages, source, lexicon, extract_workers)
    refused = dict(failures)
    for final_url, result in fetched.results.items():
        if final_url in refused:
            log.add(result, source.id, Outcome.SOFT, f"no article: {refused[final_url]}")
            logger.warning("extract %s: %s", final_url, refused[final_url])
        else:
            log.add(result, source.id)
    return BatchResult(source.id, batch, count, log)


@task(name="fetch-and-extract", cache_policy=NO_CACHE)
def fetch_and_extract(urls: list[Discovered], source: Source, fetcher: Fetcher, stage: Stage | None,
                      lexicon: Lexicon, run_id: str = "local") -> BatchResult:
    """Fetch a batch of article pages (this thread), extract and normalise them (a worker process).

    With a stage, the batch is staged here and the result carries only counts and the log: Prefect
    keeps every task's result for the whole flow run, so returning the frames would make a run's
    memory grow with its size.
    """
    result = extract_fetched(fetch_pages(urls, source, fetcher), source, lexicon, None)
    if stage is not None:
        stage.put(batch=result.batch, fetch_log=fetch_log_frame(result.log.rows, run_id))
        result.batch = None
    return result


# On a Dask cluster (flows/runner.py) a batch is two tasks: the fetch runs on the worker its host is
# pinned to, the extraction on any worker, so that one busy host does not keep extraction on one
# machine. The batch comes back to the flow, which stages it on its own machine.
@task(name="fetch-batch", cache_policy=NO_CACHE)
def fetch_batch(urls: list[Discovered], source: Source, fetcher: FetcherSpec) -> Fetched:
    """Fetch a batch of article pages with this worker's Fetcher for the spec (flows/crawl/fetchers.py)."""
    return fetch_pages(urls, source, fetcher_of(fetcher))


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(fetched: Fetched, source: Source, lexicon: Lexicon) -> BatchResult:
    """Extract and normalise a fetched batch in this thread (a Dask worker's processes are the pool;
    daemonic worker processes may not start children of their own)."""
    return extract_fetched(fetched, source, lexicon, 0)


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
