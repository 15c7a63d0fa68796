"""The backfill flow: fill (day x source) partitions oldest first, by fetching or from the archive."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, datetime, timezone
from typing import Literal

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.batches import Loads, Tally, batch_runner, fetch_in_batches, fetch_log_frame, home_host, setup
from flows.crashed import mark_crashed
from flows.crawl.archive import read_archive
from flows.crawl.discovery import Discovery
from flows.report import partition_row, publish, run_summary
from flows.settings import Settings, SourceId
from flows.tasks import discover_source, reextract_batch
from flows.workers import warm as warm_extraction_workers
from transforms.dating import FetchContext
from transforms.days import days_between
from transforms.feeds import DiscoveryError, parse_listing
from transforms.outcome import Outcome
from warehouse.batchframes import frames_of
from warehouse.staging import RunRecord
from transforms.sources import Source, date_archive_url
from warehouse.partitions import (
    candidates_for_day,
    complete_partitions,
    partitions_frame,
    partitions_in_range,
    stored_urls_for_day,
)
from warehouse.state import discovery_frames, doc_states

Mode = Literal["fetch", "reextract"]


@flow(name="backfill")
def backfill(start: date, end: date, source_ids: list[SourceId] | None = None, mode: Mode = "fetch",
             only_missing: bool = True, max_pages_total: int | None = None, sources_file: str | None = None,
             db: str | None = None, lock_wait_seconds: float | None = None, dask_address: str | None = None) -> dict:
    """Backfill the partitions (day x source) from start to end, oldest first.

    mode fetch: discover and fetch the articles published in the range (sitemap lastmod, date
    archives, feeds); mode reextract: extract again from the raw archive, without network. With a
    Dask scheduler's address, fetch mode's batches are fetched and extracted on its workers.
    """
    logger = get_run_logger()
    started = time.perf_counter()
    run_id = str(flow_run.get_id() or "local")
    settings = Settings.load(sources_file=sources_file, db=db, lock_wait_seconds=lock_wait_seconds,
                             dask_address=dask_address)
    db = settings.db
    # First of all, so that a run killed from here on is found by the next one (warehouse/staging.py).
    loads = Loads(settings, settings.lexicon(), logger, RunRecord.now(run_id, "backfill", mode))
    logger.info("settings: %s", settings.describe())
    days = days_between(start, end, datetime.now(timezone.utc).date())
    s = setup(settings, list(source_ids or []))
    loads.now()  # undoes what killed runs left, sets their running partitions back to pending
    mark_crashed(loads.total.crashed_runs, run_id, logger)
    loads.bring_lexicon_up_to_date()
    done = loads.read(lambda con: complete_partitions(con, start, end)) if only_missing else set()
    logger.info("backfill %s..%s (%d days) of %s, mode %s, only_missing=%s: %d partitions already complete",
                start, end, len(days), ", ".join(x.id for x in s.sources), mode, only_missing, len(done))
    tally = Tally()
    rows_updated: Counter = Counter()
    if mode == "fetch":
        _fetch_mode(s, days, done, only_missing, max_pages_total, loads, run_id, tally, logger)
    else:
        _reextract_mode(s, days, done, loads, run_id, tally, rows_updated, logger)
    total = loads.finish()
    mark_crashed(total.crashed_runs, run_id, logger)
    partitions = loads.read(lambda con: partitions_in_range(con, start, end)).to_dicts()
    summary = run_summary(tally.counts, tally.failures, total, db=db, run_id=run_id,
                          elapsed_s=time.perf_counter() - started, rows_updated=dict(rows_updated), mode=mode,
                          start=start.isoformat(), end=end.isoformat(),
                          partitions_skipped=tally.counts.get("partitions_skipped", 0))
    publish(f"newswire backfill {start}..{end} ({mode})", summary, partitions, key="backfill")
    logger.info("summary: %s", {k: v for k, v in summary.items() if k != "failures"})
    return summary


def _mark(loads: Loads, row: dict) -> None:
    loads.stage_and_load(partitions=partitions_frame([row]))


def _run_partitions(s, days, done, mode, loads: Loads, run_id, tally: Tally, logger, work) -> None:
    """Each partition oldest first: running, then complete or failed; one failing stops no other."""
    for day in days:
        for source in s.sources:
            if (day, source.id) in done:
                tally.counts["partitions_skipped"] += 1
                continue
            _mark(loads, partition_row(day, source.id, "running", mode, run_id))
            part = Tally()
            try:
                work(day, source, part)
                transient = sum(n for reason, n in part.failures.items() if reason.startswith(Outcome.TRANSIENT.value))
                status, note = ("failed", f"{transient} transient failure(s); rerun to retry") if transient \
                    else ("complete", None)
            except Exception as exc:  # noqa: BLE001 - one partition's failure must not stop the others
                logger.exception("partition %s %s failed", day, source.id)
                status, note = "failed", f"{type(exc).__name__}: {exc}"
            tally.counts.update(part.counts)
            tally.failures.update(part.failures)
            tally.counts[f"partitions_{status}"] += 1
            _mark(loads, partition_row(day, source.id, status, mode, run_id,
                                       decided=loads.total.by_partition.get((day, source.id)),
                                       pages_fetched=part.counts.get("pages_fetched", 0), failures=part.failures,
                                       note=note))


def _fetch_mode(s, days, done, only_missing, max_pages_total, loads: Loads, run_id, tally: Tally, logger) -> None:
    if not s.dask_address:
        warm_extraction_workers()
    runner = batch_runner(s)
    fetcher = runner.local_fetcher  # day archive pages are fetched here, in the flow
    budget = {"left": max_pages_total}
    try:
        runner.__enter__()
        prior = loads.read(lambda con: {x.id: doc_states(con, x.id) for x in s.sources})
        discoveries = {x.id: runner.submit(discover_source, home_host(x), source=x, fetcher=runner.fetcher,
                                           prior=prior[x.id]) for x in s.sources}
        for source in s.sources:
            found: Discovery = discoveries[source.id].result()
            _archive_days(source, days, done, fetcher, found)
            states, discovered = discovery_frames(found.states, found.discovered_rows(datetime.now(timezone.utc)))
            loads.stage_and_load(url_state=states, discovered=discovered,
                                 fetch_log=fetch_log_frame(found.log.rows, run_id))
            tally.failures.update(found.log.failures())
            tally.counts["discovered"] += len(found.urls)

        def work(day: date, source: Source, part: Tally) -> None:
            urls = loads.read(lambda con: candidates_for_day(con, source.id, day, include_stored=not only_missing))
            if budget["left"] is not None:
                urls, budget["left"] = urls[: budget["left"]], max(0, budget["left"] - len(urls))
            fetch_in_batches([(source, urls)], runner, loads, run_id, part)

        _run_partitions(s, days, done, "fetch", loads, run_id, tally, logger, work)
    finally:
        runner.__exit__(None, None, None)
        fetcher.close()
    tally.counts["requests"] = fetcher.requests


def _archive_days(source: Source, days, done, fetcher, found: Discovery) -> None:
    """Day archive pages of the range: their articles get that day as their date hint."""
    for day in days:
        if (day, source.id) in done:
            continue
        for template in source.date_archives:
            url = date_archive_url(template, day)
            result = fetcher.get(url)
            # Days without articles have no archive page on most sites: say so in the reason.
            found.log.add(result, source.id, reason=None if result.ok else f"{result.reason} (day archive)")
            if result.outcome is not Outcome.OK:
                continue
            try:
                page = parse_listing(result.body, result.final_url, source.article_pattern)
            except DiscoveryError as exc:
                found.log.downgrade(url, Outcome.SOFT, str(exc))
                continue
            hint = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
            found.add([type(d)(d.url, "date-archive", hint, "date archive") for d in page.articles])


def _reextract_mode(s, days, done, loads: Loads, run_id, tally: Tally, rows_updated: Counter, logger) -> None:
    files = sorted(s.archive.directory.glob("newswire-*.warc.gz"))
    latest: dict[str, tuple[bytes, str | None, datetime]] = {}
    for record in read_archive(files):  # file order is time order: later fetches win
        if record.status == 200:
            latest[record.url] = (record.body, record.headers.get("content-type"), record.fetched_at)
    logger.info("reextract: %d archived responses in %d WARC files", len(latest), len(files))

    def work(day: date, source: Source, part: Tally) -> None:
        urls = loads.read(lambda con: stored_urls_for_day(con, source.id, day))
        records = [(u, latest[u][0], latest[u][1], FetchContext(u, latest[u][2], hint, hint_source))
                   for u, hint, hint_source in urls if u in latest]
        part.counts["missing_from_archive"] += len(urls) - len(records)
        if not records:
            return
        result = reextract_batch(records, source, loads.lexicon)
        before = set(loads.total.updated_ids)
        loads.stage_and_load(batch=result.batch, fetch_log=None)
        part.counts["articles_extracted"] += result.articles
        part.failures.update(result.log.failures())
        changed = set(loads.total.updated_ids) - before
        for name, frame in frames_of(result.batch).items():
            name = TABLE_OF_FRAME.get(name, name)
            if "article_id" in frame.columns:
                rows_updated[name] += frame.filter(frame["article_id"].is_in(list(changed))).height

    _run_partitions(s, days, done, "reextract", loads, run_id, tally, logger, work)


# Frames of a normalised batch and the tables they load into.
TABLE_OF_FRAME = {"articles": "articles", "sections": "article_sections", "categories": "article_categories",
                  "links": "article_links", "mentions": "entity_mentions", "terms": "article_terms"}

