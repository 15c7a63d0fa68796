"""The ingest flow: discover -> fetch and extract (per batch) -> normalise and load."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.futures import as_completed
from prefect.runtime import flow_run

from flows.archive import Archive
from flows.fetch import FetchSettings, Fetcher
from flows.hosts import HostLimits, HostPolicy
from flows.tasks import discover, fetch_and_extract, load
from transforms.discover import Discovered
from transforms.sources import Crawler, Source, parse_crawler, parse_sources, select_sources
from transforms.urls import host_of
from warehouse.catalog import known_urls
from warehouse.db import connect
from warehouse.state import doc_states, pending_urls

# Pages per fetch-and-extract task: a task costs ~15 ms of Prefect overhead and a
# page ~30 ms to extract, so 25 pages keep the overhead near 2%.
BATCH_SIZE = 25
SUMMARY_KEYS = ("discovered", "skipped_known", "unchanged_documents", "pages_fetched", "articles_extracted",
                "inserted", "updated", "unchanged")


def _policy(sources: list[Source]) -> HostPolicy:
    policy = HostPolicy()
    for s in sources:
        for url in s.feeds + s.sitemaps + s.listings:
            policy.allow(host_of(url), HostLimits(s.requests_per_second, s.max_in_flight))
    return policy


def fetch_settings(crawler: Crawler) -> FetchSettings:
    settings = {k: getattr(crawler, k) for k in FetchSettings.__dataclass_fields__ if hasattr(crawler, k)}
    if crawler.user_agent is None:
        settings.pop("user_agent")
    return FetchSettings(**settings)


def _todo(found: dict[str, Discovered], pending: list[tuple], stored: set[str], limit: int | None) -> list[str]:
    """New and still-pending URLs, newest first (by their date hint), at most limit of them."""
    urls = dict(found)
    for url, via, hint, hint_source in pending:
        urls.setdefault(url, Discovered(url, via, hint, hint_source))
    fresh = [d for u, d in urls.items() if u not in stored]
    fresh.sort(key=lambda d: (d.date_hint.timestamp() if d.date_hint else 0.0, d.url), reverse=True)
    return [d.url for d in fresh[:limit] if limit is not None] if limit is not None else [d.url for d in fresh]


@flow(name="ingest")
def ingest(sources_file: str, db: str, source_ids: list[str] | None = None, max_pages: int | None = None,
           refetch: bool = False, batch_size: int = BATCH_SIZE, archive_dir: str | None = None) -> dict:
    """Ingest the configured sources into the warehouse; returns a summary."""
    logger = get_run_logger()
    started = time.perf_counter()
    text = Path(sources_file).read_text("utf-8")
    sources = select_sources(parse_sources(text, sources_file), source_ids, sources_file)
    crawler = parse_crawler(text, sources_file)
    archive = Archive(archive_dir or crawler.archive_dir or Path(db).parent / "archive")
    logger.info("ingest %s into %s (archive %s, refetch=%s, max_pages=%s, batch_size=%d)",
                ", ".join(s.id for s in sources), db, archive.directory, refetch, max_pages, batch_size)
    con = connect(db)
    try:
        stored = set() if refetch else known_urls(con)
        # refetch also forgets validators: a 304 would hide the URLs to fetch again.
        prior = {s.id: {} if refetch else doc_states(con, s.id) for s in sources}
        pending = {s.id: pending_urls(con, s.id) for s in sources}
    finally:
        con.close()
    run_id = str(flow_run.get_id() or "local")
    fetcher = Fetcher(fetch_settings(crawler), _policy(sources), archive)
    summary = Counter(dict.fromkeys(SUMMARY_KEYS, 0))
    failures: Counter = Counter()
    try:
        discoveries = {s.id: discover.submit(s, fetcher, prior[s.id]) for s in sources}
        batches = []
        for source in sources:
            found = discoveries[source.id].result()
            load(db, [], found.log.rows, run_id, found)
            failures.update(found.log.failures())
            todo = _todo(found.urls, pending[source.id], stored, max_pages if max_pages is not None else source.max_pages)
            summary["discovered"] += len(found.urls)
            summary["skipped_known"] += sum(1 for u in found.urls if u in stored)
            summary["unchanged_documents"] += found.unchanged_docs
            batches += [fetch_and_extract.submit(todo[i : i + batch_size], source, fetcher)
                        for i in range(0, len(todo), batch_size)]
        for future in as_completed(batches):
            batch = future.result()
            report = load(db, batch.articles, batch.log.rows, run_id)
            summary["pages_fetched"] += len(batch.log.rows)
            summary["articles_extracted"] += len(batch.articles)
            for key in ("inserted", "updated", "unchanged"):
                summary[key] += getattr(report, key)
            failures.update(batch.log.failures())
    finally:
        fetcher.close()
    result = {**summary, "requests": fetcher.requests, "failures": dict(failures), "db": db, "run_id": run_id,
              "elapsed_s": round(time.perf_counter() - started, 3)}
    logger.info("summary: %s", result)
    return result
