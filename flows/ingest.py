"""The ingest flow: discover -> fetch and extract (per batch) -> normalise and load."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.futures import as_completed
from prefect.runtime import flow_run

from flows.fetch import FetchSettings, Fetcher
from flows.tasks import discover, fetch_and_extract, load
from transforms.sources import parse_sources, select_sources
from transforms.urls import host_of
from warehouse.db import connect
from warehouse.catalog import known_urls

# Pages per fetch-and-extract task: a task costs ~15 ms of Prefect overhead and a
# page ~30 ms to extract, so 25 pages keep the overhead near 2%.
BATCH_SIZE = 25


def _batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@flow(name="ingest")
def ingest(
    sources_file: str,
    db: str,
    source_ids: list[str] | None = None,
    max_pages: int | None = None,
    refetch: bool = False,
    batch_size: int = BATCH_SIZE,
) -> dict:
    """Ingest every configured source into the warehouse; returns a summary."""
    logger = get_run_logger()
    sources = select_sources(parse_sources(Path(sources_file).read_text("utf-8"), sources_file),
                             source_ids, sources_file)
    logger.info("ingest %s into %s (refetch=%s, max_pages=%s, batch_size=%d)",
                ", ".join(s.id for s in sources), db, refetch, max_pages, batch_size)
    con = connect(db)
    try:
        stored = set() if refetch else known_urls(con)
    finally:
        con.close()
    run_id = str(flow_run.get_id() or "local")
    summary: Counter = Counter()
    failures: Counter = Counter()
    for source in sources:
        hosts = {host_of(u) for u in source.feeds + source.sitemaps + source.listings}
        fetcher = Fetcher(FetchSettings(requests_per_second=source.requests_per_second,
                                        max_in_flight=source.max_in_flight), allowed_hosts=hosts)
        try:
            found = discover(source, fetcher)
            todo = sorted(u for u in found.urls if u not in stored)
            limit = max_pages if max_pages is not None else source.max_pages
            todo = todo[:limit] if limit is not None else todo
            summary["discovered"] += len(found.urls)
            summary["skipped_known"] += len(found.urls) - len([u for u in found.urls if u not in stored])
            load(db, [], found.log.rows, run_id)
            futures = [fetch_and_extract.submit(b, source, fetcher) for b in _batches(todo, batch_size)]
            for future in as_completed(futures):
                batch = future.result()
                report = load(db, batch.articles, batch.log.rows, run_id)
                summary["pages_fetched"] += len(batch.log.rows)
                summary["articles_extracted"] += len(batch.articles)
                for key in ("inserted", "updated", "unchanged"):
                    summary[key] += getattr(report, key)
                failures.update(f"{r['outcome']}: {r['reason']}" for r in batch.log.rows if r["outcome"] != "ok")
            failures.update(f"{r['outcome']}: {r['reason']}" for r in found.log.rows if r["outcome"] != "ok")
        finally:
            fetcher.close()
    result = {**summary, "failures": dict(failures), "db": db, "run_id": run_id}
    logger.info("summary: %s", result)
    return result
