"""The ingest flow (run nightly): discover -> fetch and extract per batch -> stage -> load."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from typing import Literal
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.batches import Loads, Tally, batch_runner, fetch_in_batches, fetch_log_frame, home_host, setup
from flows import progress
from flows.crashed import mark_crashed
from flows.form import Hidden, form
from flows.memory import return_large_blocks
from flows.report import partition_row, publish, quiet_task_runs, run_summary, summary_lines
from flows.settings import Settings
from flows.tasks import discover_source
from flows.workers import warm as warm_extraction_workers
from transforms.feeds import Discovered, hint_rank
from transforms.urls import story_key
from warehouse.loader import WarehouseUnavailable
from warehouse.partitions import partitions_frame
from warehouse.staging import RunRecord
from warehouse.state import discovery_frames, doc_states, known_story_keys, pending_urls

# What a run is: `nightly` runs come from the deployment's schedule (deployments/prefect.yaml), every
# other ingest is `manual`. Recorded as the mode of its partition rows and load journal entries.
Label = Literal["manual", "nightly"]

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
def ingest(sources_file: Hidden[str | None] = None, db: Hidden[str | None] = None,
           source_ids: list[str] | None = form(
               "Sources", "The sources to ingest, by id; none chosen means every source of the sources file.", None),
           max_pages_per_source: int | None = form(
               "Pages per source", "At most this many article pages fetched per source, newest first; empty "
               "means each source's own max_pages.", None),
           refetch: bool = form("Refetch", "On: fetch articles again even when they are stored already "
                                "(no conditional requests).", False),
           batch_size: Hidden[int | None] = None, archive_dir: Hidden[str | None] = None,
           partition_day: date | None = form(
               "Partition day", "The day this run completes as a partition; empty means the day before the "
               "run's scheduled start, in the schedule's time zone.", None),
           timezone_name: Hidden[str | None] = None, lock_wait_seconds: Hidden[float | None] = None,
           label: Hidden[Label] = "manual", dask_address: Hidden[str | None] = None) -> dict:
    """Ingest the configured sources (all, or those of `source_ids`) into the warehouse. Settings
    not given come from the environment, else their defaults (flows/settings.py).

    label: `nightly` (the deployment's schedule) records the run's partition day as complete;
    `manual` (`newswire ingest`, --demo) covers no day, so it records no partition as done. With a Dask scheduler's address (dask_address),
    the batches are fetched and extracted on its workers (flows/runner.py)."""
    with quiet_task_runs():
        return _ingest(sources_file, db, source_ids, max_pages_per_source, refetch, batch_size, archive_dir,
                       partition_day, timezone_name, lock_wait_seconds, label, dask_address)


def _ingest(sources_file, db, source_ids, max_pages_per_source, refetch, batch_size, archive_dir, partition_day,
            timezone_name, lock_wait_seconds, label: str, dask_address: str | None) -> dict:
    logger = get_run_logger()
    started = time.perf_counter()
    return_large_blocks()  # page bodies must not fragment this process's heaps (flows/memory.py)
    run_id = str(flow_run.get_id() or "local")
    settings = Settings.load(sources_file=sources_file, db=db, timezone=timezone_name,
                             lock_wait_seconds=lock_wait_seconds, dask_address=dask_address)
    db = str(settings.target())  # the file, or the lake (its URL)
    # First of all, so that a run killed from here on is found by the next one (warehouse/staging.py).
    loads = Loads(settings, settings.lexicon(), logger, RunRecord.now(run_id, "ingest", label))
    logger.info("settings: %s", settings.describe())
    s = setup(settings, source_ids, archive_dir)
    day = run_day(partition_day, settings.timezone)
    logger.info("%s ingest of %s into %s%s (archive %s, refetch=%s, max_pages_per_source=%s, batches on %s)", label,
                ", ".join(x.id for x in s.sources), db, f" for partition day {day}" if label == "nightly" else "",
                s.archive.directory, refetch, max_pages_per_source, s.dask_address or "this machine")
    if not s.dask_address:
        warm_extraction_workers()
    loads.now()  # what killed runs left is undone first, and batches a previous run left staged go first
    mark_crashed(loads.total.crashed_runs, run_id, logger)
    if not loads.unavailable:
        loads.bring_lexicon_up_to_date()

    def plan(con):
        return (set() if refetch else known_story_keys(con),
                {x.id: {} if refetch else doc_states(con, x.id) for x in s.sources},  # refetch: no 304s
                {x.id: pending_urls(con, x.id) for x in s.sources})

    try:
        stored, prior, pending = loads.read(plan)
    except WarehouseUnavailable as exc:
        # Without the warehouse we cannot tell what is stored: fetch as if new. Loads are
        # idempotent, so this costs requests, never duplicates; everything stays staged.
        logger.warning("%s; fetching without knowing what is stored, and keeping every batch staged", exc)
        stored, prior, pending = set(), {x.id: {} for x in s.sources}, {x.id: [] for x in s.sources}
        loads.unavailable = True
    runner = batch_runner(s)
    fetcher = runner.local_fetcher
    tally = Tally()
    tally.counts.update(dict.fromkeys(SUMMARY_KEYS, 0))
    try:
        runner.__enter__()
        discoveries = {x.id: runner.submit(discover_source, home_host(x), source=x, fetcher=runner.fetcher,
                                           prior=prior[x.id]) for x in s.sources}
        todo = []
        for source in s.sources:
            found = discoveries[source.id].result()
            states, discovered = discovery_frames(found.states, found.discovered_rows(datetime.now(timezone.utc)))
            # Staged, not loaded yet: the first batch load takes it along (staged batches load oldest
            # first), so a large discovery's load no longer holds up the first fetches.
            loads.stage_frames(url_state=states, discovered=discovered,
                               fetch_log=fetch_log_frame(found.log.rows, run_id))
            tally.failures.update(found.log.failures())
            tally.counts["discovered"] += len(found.urls)
            tally.counts["skipped_known"] += sum(1 for u in found.urls if story_key(u) in stored)
            tally.counts["unchanged_documents"] += found.unchanged_docs
            limit = max_pages_per_source if max_pages_per_source is not None else source.max_pages
            todo.append((source, _todo(found.urls, pending[source.id], stored, limit)))
        progress.report(tally, loads, planned=sum(len(urls) for _, urls in todo))
        fetch_in_batches(todo, runner, loads, run_id, tally, batch_size, live=True)
    finally:
        runner.__exit__(None, None, None)
        fetcher.close()
    if label == "nightly":
        loads.stage_and_load(partitions=_nightly_partitions(day, s.sources, loads.total, run_id))
    total = loads.finish()
    mark_crashed(total.crashed_runs, run_id, logger)  # any found dead while this run loaded
    summary = run_summary(tally.counts, tally.failures, total, db=db, run_id=run_id,
                          elapsed_s=time.perf_counter() - started, requests=fetcher.requests,
                          partition_day=day.isoformat())
    publish(f"newswire ingest {day}" if label == "nightly" else "newswire ingest (manual)", summary)
    for line in summary_lines(summary):
        logger.info("%s", line)
    return summary


def _nightly_partitions(day: date, sources, loaded, run_id: str):
    """The run's day for every source: the only partitions a nightly run covers. Other days that
    received articles got a `pending` row from the loads (warehouse/statements/load/load_partitions.sql),
    so a backfill with only_missing still visits them."""
    return partitions_frame([
        partition_row(day, x.id, "complete", "nightly", run_id, decided=loaded.by_partition.get((day, x.id)))
        for x in sorted(sources, key=lambda x: x.id)])
