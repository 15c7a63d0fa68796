"""The ingest flow (run nightly): discover -> fetch and extract per batch -> stage -> load."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.crashed import mark_crashed
from flows.workers import warm as warm_extraction_workers
from flows.batches import Tally, fetch_in_batches, fetch_log_frame, make_fetcher, setup, task_writer
from flows.report import publish
from warehouse.staging import RunRecord
from flows.tasks import discover_source
from warehouse.writer import DEFAULT_WAIT_SECONDS, WarehouseUnavailable
from transforms.feeds import Discovered, hint_rank
from transforms.extract import EXTRACTOR_VERSION
from transforms.urls import story_key
from warehouse.state import known_story_keys
from warehouse.partitions import partitions_frame
from warehouse.state import discovery_frames, doc_states, pending_urls

DEFAULT_TIMEZONE = "Asia/Karachi"
SUMMARY_KEYS = ("discovered", "skipped_known", "unchanged_documents", "pages_fetched", "articles_extracted",
                "inserted", "updated", "unchanged")


def _todo(found: dict[str, Discovered], pending: list[tuple], stored: set[str], limit: int | None) -> list[Discovered]:
    """New and still-pending URLs, newest first (by their date hint), at most limit of them: one
    per story (renditions of one page, such as its AMP and www. URLs, are fetched once), none
    whose story key is stored already."""
    urls = dict(found)
    for url, via, hint, hint_source in pending:
        urls.setdefault(url, Discovered(url, via, hint, hint_source))
    stories: dict[str, Discovered] = {}
    # The plainest rendition of a story is fetched: not an AMP one, then the shortest URL.
    for d in sorted(urls.values(), key=lambda d: ("amp" in d.url.lower(), len(d.url), d.url)):
        key = story_key(d.url)
        if key not in stored:
            best = stories.setdefault(key, d)
            if d.date_hint is not None and (best.date_hint is None or hint_rank(d.hint_source) < hint_rank(best.hint_source)):
                stories[key] = Discovered(best.url, best.via, d.date_hint, d.hint_source)
    fresh = list(stories.values())
    fresh.sort(key=lambda d: (d.date_hint.timestamp() if d.date_hint else 0.0, d.url), reverse=True)
    return fresh[:limit] if limit is not None else fresh


def run_day(partition_day: date | None, tz: str) -> date:
    """The partition a run covers: given, else the day before the run's scheduled start, in tz.

    Read at run time from the flow run, so a schedule's "yesterday" is never frozen at deploy time.
    """
    if partition_day is not None:
        return partition_day
    started = flow_run.get_scheduled_start_time() or datetime.now(timezone.utc)
    return (started.astimezone(ZoneInfo(tz)) - timedelta(days=1)).date()


@flow(name="ingest")
def ingest(sources_file: str, db: str, sources: list[str] | None = None, max_pages: int | None = None,
           refetch: bool = False, batch_size: int | None = None, archive_dir: str | None = None,
           partition_day: date | None = None, timezone_name: str = DEFAULT_TIMEZONE,
           lock_wait_seconds: float = DEFAULT_WAIT_SECONDS) -> dict:
    """Ingest the configured sources (all, or the ids in `sources`) into the warehouse."""
    logger = get_run_logger()
    started = time.perf_counter()
    run_id = str(flow_run.get_id() or "local")
    # First of all, so that a run killed from here on is found by the next one (warehouse/staging.py).
    writer = task_writer(db, logger, lock_wait_seconds, RunRecord.now(run_id, "ingest", "nightly"))
    s = setup(sources_file, sources, db, archive_dir)
    day = run_day(partition_day, timezone_name)
    logger.info("ingest %s into %s for partition day %s (archive %s, refetch=%s, max_pages=%s)",
                ", ".join(x.id for x in s.sources), db, day, s.archive.directory, refetch, max_pages)
    warm_extraction_workers()
    writer.flush()  # what killed runs left is undone first, and batches a previous run left staged go first
    mark_crashed(writer.total.crashed_runs, run_id, logger)

    def plan(con):
        return (set() if refetch else known_story_keys(con),
                {x.id: {} if refetch else doc_states(con, x.id) for x in s.sources},  # refetch: no 304s
                {x.id: pending_urls(con, x.id) for x in s.sources})

    try:
        stored, prior, pending = writer.read(plan)
    except WarehouseUnavailable as exc:
        # Without the warehouse we cannot tell what is stored: fetch as if new. Loads are
        # idempotent, so this costs requests, never duplicates; everything stays staged.
        logger.warning("%s; fetching without knowing what is stored, and keeping every batch staged", exc)
        stored, prior, pending = set(), {x.id: {} for x in s.sources}, {x.id: [] for x in s.sources}
        writer.unavailable = True
    fetcher = make_fetcher(s)
    tally = Tally()
    tally.counts.update(dict.fromkeys(SUMMARY_KEYS, 0))
    try:
        discoveries = {x.id: discover_source.submit(x, fetcher, prior[x.id]) for x in s.sources}
        todo = []
        for source in s.sources:
            found = discoveries[source.id].result()
            states, discovered = discovery_frames(found.states, found.discovered_rows(datetime.now(timezone.utc)))
            # Staged, not loaded yet: the first batch load takes it along (staged batches load oldest
            # first), so a large discovery's load no longer holds up the first fetches.
            writer.stage_only(url_state=states, discovered=discovered,
                              fetch_log=fetch_log_frame(found.log.rows, run_id))
            tally.failures.update(found.log.failures())
            tally.counts["discovered"] += len(found.urls)
            tally.counts["skipped_known"] += sum(1 for u in found.urls if story_key(u) in stored)
            tally.counts["unchanged_documents"] += found.unchanged_docs
            limit = max_pages if max_pages is not None else source.max_pages
            todo.append((source, _todo(found.urls, pending[source.id], stored, limit)))
        fetch_in_batches(todo, fetcher, writer, run_id, tally, batch_size)
    finally:
        fetcher.close()
    writer.write(partitions=_nightly_partitions(day, s.sources, writer, tally, run_id))
    total = writer.finish()
    mark_crashed(total.crashed_runs, run_id, logger)  # any found dead while this run loaded
    summary = {**tally.counts, "inserted": total.inserted, "updated": total.updated, "unchanged": total.unchanged,
               "requests": fetcher.requests, "failures": dict(tally.failures), "db": db, "run_id": run_id,
               "partition_day": day.isoformat(), "staged_pending": total.pending,
               "warehouse_message": total.message, "crashed_runs": sorted(total.crashed_runs),
               "recovered": total.recovered, "elapsed_s": round(time.perf_counter() - started, 3)}
    publish(f"newswire ingest {day}", summary)
    logger.info("summary: %s", summary)
    return summary


def _nightly_partitions(day: date, sources, writer, tally: Tally, run_id: str):
    """The run's day for every source, plus each (day, source) whose articles it loaded."""
    now = datetime.now(timezone.utc)
    keys = {(day, x.id) for x in sources} | set(writer.total.by_partition)
    rows = []
    for d, source_id in sorted(keys, key=lambda k: (k[0] or date.min, k[1] or "")):
        counts = writer.total.by_partition.get((d, source_id), {})
        # Only the run's own day is covered; other days merely received articles, so a backfill
        # with only_missing still visits them.
        rows.append({"day": d, "source_id": source_id, "status": "complete" if d == day else "pending",
                     "mode": "nightly",
                     "articles_new": counts.get("insert", 0), "articles_updated": counts.get("update", 0),
                     "articles_unchanged": counts.get("unchanged", 0), "flow_run_id": run_id,
                     "extractor_version": EXTRACTOR_VERSION, "finished_at": now,
                     "note": None if d == day else f"articles loaded by the nightly run for {day}; not backfilled"})
    return partitions_frame([r for r in rows if r["day"] is not None and r["source_id"] is not None])
