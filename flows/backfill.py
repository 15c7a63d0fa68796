"""The backfill flow: fill (day x source) partitions oldest first, by fetching or from the archive."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, datetime, timezone
from datetime import timedelta
from typing import Annotated, Literal

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.states import Failed, State
from pydantic import Field

from flows.batches import Loads, Tally, batch_runner, fetch_in_batches, fetch_log_frame, home_host, setup
from flows import progress as live
from flows.crashed import mark_crashed
from flows.crawl.archive import read_archive
from flows.crawl.discovery import Discovery
from flows.form import MAX_DAYS, Hidden, form
from flows.memory import return_large_blocks
from flows.report import Progress, partition_line, partition_row, publish, quiet_task_runs, run_summary, summary_lines
from flows.settings import Settings
from flows.tasks import discover_source, reextract_batch
from flows.workers import warm as warm_extraction_workers
from transforms.dating import FetchContext
from transforms.days import BackfillError, days_between
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


class PartitionsFailed(Exception):
    """The result of a run that failed partitions: its message counts them; .summary is the run's summary.
    (A Failed state's data must be an exception: Prefect raises it when the run's result is asked for.)"""

    def __init__(self, message: str, summary: dict) -> None:
        super().__init__(message)
        self.summary = summary


@flow(name="backfill")
def backfill(
    first_day: date = form("First day", "The oldest day to fill (a day of the sources' own dates, UTC)."),
    days: Annotated[int, Field(ge=1, le=MAX_DAYS)] = form(
        "Days", f"How many days to fill, from the first day on (1 to {MAX_DAYS}). A range that reaches past "
        "today is refused.", 1),
    source_ids: list[str] = form(
        "Sources", "The sources to fill, by id; none chosen means every source of the sources file.", []),
    mode: Mode = form(
        "Mode", "fetch: discover and download the articles published on those days (sitemaps, feeds, day "
        "archives). reextract: extract again, without network, the pages already in the raw archive, e.g. "
        "after an extractor fix.", "fetch"),
    only_missing: bool = form(
        "Only missing", "On: skip the (day, source) partitions that are already complete, so a rerun redoes "
        "only the failed and missing ones. Off: redo every partition of the range.", True),
    max_pages_total: Annotated[int, Field(ge=0)] = form(
        "Page limit", "At most this many article pages fetched in all (fetch mode); 0 means no limit.", 0),
    sources_file: Hidden[str | None] = None, db: Hidden[str | None] = None,
    lock_wait_seconds: Hidden[float | None] = None, end: Hidden[date | None] = None,
    dask_address: Hidden[str | None] = None,
) -> dict | State:
    """Backfill the partitions (day x source) from first_day on (days of them, or up to end), oldest first.

    Returns the summary; a Failed state carrying it when partitions failed or the range was refused.
    With a Dask scheduler's address, fetch mode's batches are fetched and extracted on its workers.
    """
    logger = get_run_logger()
    try:
        range_days = days_between(first_day, end or first_day + timedelta(days=days - 1),
                                  datetime.now(timezone.utc).date())
    except BackfillError as exc:
        logger.error("refused: %s", exc)  # one line: the operator's input, not a bug
        return Failed(message=str(exc), data=exc)
    start, end = range_days[0], range_days[-1]
    with quiet_task_runs():
        summary = _backfill(start, end, range_days, list(source_ids or []), mode, only_missing, max_pages_total or None,
                            Settings.load(sources_file=sources_file, db=db, lock_wait_seconds=lock_wait_seconds,
                                          dask_address=dask_address),
                            logger)
    failed, total = summary.get("partitions_failed", 0), summary["partitions_total"]
    if failed:
        reasons = ", ".join(sorted(summary.get("failed_partition_reasons") or {})) or "see the partitions artifact"
        message = f"{failed} of {total} partitions failed: {reasons}; retry the run (only missing partitions are redone)"
        return Failed(message=message, data=PartitionsFailed(message, summary))
    return summary


def _backfill(start: date, end: date, days: list[date], source_ids: list[str], mode: str, only_missing: bool,
              max_pages_total: int | None, settings: Settings, logger) -> dict:
    started = time.perf_counter()
    return_large_blocks()  # page bodies must not fragment this process's heaps (flows/memory.py)
    run_id = str(flow_run.get_id() or "local")
    db = str(settings.target())  # the file, or the lake (its URL)
    # First of all, so that a run killed from here on is found by the next one (warehouse/staging.py).
    loads = Loads(settings, settings.lexicon(), logger, RunRecord.now(run_id, "backfill", mode))
    logger.info("settings: %s", settings.describe())
    s = setup(settings, source_ids)
    loads.now()  # undoes what killed runs left, sets their running partitions back to pending
    mark_crashed(loads.total.crashed_runs, run_id, logger)
    loads.bring_lexicon_up_to_date()
    done = loads.read(lambda con: complete_partitions(con, start, end)) if only_missing else set()
    logger.info("backfill %s..%s (%d days) of %s, mode %s, only_missing=%s: %d partitions already complete",
                start, end, len(days), ", ".join(x.id for x in s.sources), mode, only_missing, len(done))
    tally = Tally()
    rows_updated: Counter = Counter()
    progress = Progress(len(days) * len(s.sources), f"backfill {start}..{end} ({mode}): partitions done")
    if mode == "fetch":
        _fetch_mode(s, days, done, only_missing, max_pages_total, loads, run_id, tally, logger, progress)
    else:
        _reextract_mode(s, days, done, loads, run_id, tally, rows_updated, logger, progress)
    total = loads.finish()
    mark_crashed(total.crashed_runs, run_id, logger)
    partitions = loads.read(lambda con: partitions_in_range(con, start, end)).to_dicts()
    summary = run_summary(tally.counts, tally.failures, total, db=db, run_id=run_id,
                          elapsed_s=time.perf_counter() - started, rows_updated=dict(rows_updated), mode=mode,
                          start=start.isoformat(), end=end.isoformat(),
                          partitions_skipped=tally.counts.get("partitions_skipped", 0),
                          partitions_total=len(days) * len(s.sources),
                          failed_partition_reasons=dict(tally.partition_reasons))
    publish(f"newswire backfill {start}..{end} ({mode})", summary, partitions, key="backfill")
    for line in summary_lines(summary):
        logger.info("%s", line)
    return summary


def _mark(loads: Loads, row: dict) -> None:
    loads.stage_and_load(partitions=partitions_frame([row]))


def _run_partitions(s, days, done, mode, loads: Loads, run_id, tally: Tally, logger, work, progress: "Progress",
                    archive_failures: dict | None = None) -> None:
    """Each partition oldest first: running, then complete or failed; one failing stops no other."""
    archive_failures = archive_failures or {}
    for day in days:
        for source in s.sources:
            if (day, source.id) in done:
                tally.counts["partitions_skipped"] += 1
                progress.step()
                live.report(tally, loads, partitions_done=progress.done, partitions_total=progress.total)
                continue
            holder = loads.claim(day, source.id, run_id)  # on a lake, workers elsewhere may run it
            if holder is not None:
                logger.info("partition %s %s is being run by %s; left to it", day, source.id, holder)
                tally.counts["partitions_claimed_elsewhere"] += 1
                progress.step()
                continue
            _mark(loads, partition_row(day, source.id, "running", mode, run_id))
            part = Tally()
            part.failures.update(archive_failures.get((day, source.id), ()))
            try:
                work(day, source, part)
                transient = sum(n for reason, n in part.failures.items() if reason.startswith(Outcome.TRANSIENT.value))
                status, note = ("failed", f"{transient} transient failure(s); retry the run to redo it") \
                    if transient else ("complete", None)
                if status == "failed":
                    tally.partition_reasons.update(r for r in part.failures if r.startswith(Outcome.TRANSIENT.value))
            except Exception as exc:  # noqa: BLE001 - one partition's failure must not stop the others
                logger.exception("partition %s %s failed", day, source.id)
                status, note = "failed", f"{type(exc).__name__}: {exc}"
                tally.partition_reasons[note] += 1
            tally.counts.update(part.counts)
            tally.failures.update(part.failures)
            tally.counts[f"partitions_{status}"] += 1
            decided = loads.total.by_partition.get((day, source.id))
            _mark(loads, partition_row(day, source.id, status, mode, run_id, decided=decided,
                                       pages_fetched=part.counts.get("pages_fetched", 0), failures=part.failures,
                                       note=note))
            logger.info("%s", partition_line(day, source.id, status, part.counts.get("pages_fetched", 0), decided,
                                             part.failures, note))
            loads.release(day, source.id, run_id)
            progress.step()
            live.report(tally, loads, partitions_done=progress.done, partitions_total=progress.total)


def _fetch_mode(s, days, done, only_missing, max_pages_total, loads: Loads, run_id, tally: Tally, logger,
                progress: "Progress") -> None:
    if not s.dask_address:
        warm_extraction_workers()
    archive_failures: dict[tuple[date, str], Counter] = {}
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
            _archive_days(source, days, done, fetcher, found, archive_failures)
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

        _run_partitions(s, days, done, "fetch", loads, run_id, tally, logger, work, progress, archive_failures)
    finally:
        runner.__exit__(None, None, None)
        fetcher.close()
    tally.counts["requests"] = fetcher.requests


def _archive_days(source: Source, days, done, fetcher, found: Discovery, failures: dict) -> None:
    """Day archive pages of the range: their articles get that day as their date hint. A 404 means
    the day had no articles (most sites publish no page for an empty day): no failure. Any other
    failure counts against that day's partition, whose article list may be incomplete."""
    for day in days:
        if (day, source.id) in done:
            continue
        for template in source.date_archives:
            url = date_archive_url(template, day)
            result = fetcher.get(url)
            # Days without articles have no archive page on most sites: say so in the reason.
            reason = None if result.ok else f"{result.reason} (day archive)"
            # Not counted in the discovery's failures: a 404 is none, the others count in the day's partition.
            found.log.add(result, source.id, reason=reason, expected=not result.ok)
            if result.outcome is not Outcome.OK:
                if result.http_status != 404:
                    failures.setdefault((day, source.id), Counter())[f"{result.outcome.value}: {reason}"] += 1
                continue
            try:
                page = parse_listing(result.body, result.final_url, source.article_pattern)
            except DiscoveryError as exc:
                found.log.downgrade(url, Outcome.SOFT, str(exc))
                continue
            hint = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
            found.add([type(d)(d.url, "date-archive", hint, "date archive") for d in page.articles])


def _reextract_mode(s, days, done, loads: Loads, run_id, tally: Tally, rows_updated: Counter, logger,
                    progress: "Progress") -> None:
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

    _run_partitions(s, days, done, "reextract", loads, run_id, tally, logger, work, progress)


# Frames of a normalised batch and the tables they load into.
TABLE_OF_FRAME = {"articles": "articles", "sections": "article_sections", "categories": "article_categories",
                  "links": "article_links", "mentions": "entity_mentions", "terms": "article_terms"}

