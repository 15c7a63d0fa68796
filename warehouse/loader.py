"""Loading what runs staged: every staged batch (warehouse/staging.py), under a writer lock.

A run writes the warehouse in two steps that never call back: its tasks stage each batch durably
(Stage.put), then its load task calls load_staged here, which loads every staged batch, oldest
first. DuckDB lets one process open a database file at a time, even for reading, so newswire
processes (a nightly and a backfill) take turns through a lock file, and a foreign holder (an
analyst's DuckDB shell) is waited for, for a bounded time, after which the staged batches stay on
disk for the next run. with_warehouse runs a read under the same rules.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
from tenacity import (RetryError, Retrying, retry_if_exception, retry_if_exception_type, stop_after_attempt,
                      stop_after_delay, wait_exponential, wait_random_exponential)

from warehouse.batchframes import combine_batches, combine_frames
from warehouse.staging import RunRecord, Stage, StagedBatch
from transforms.entities import Lexicon
from warehouse.check import check, days_of
from warehouse.db import connect
from warehouse.errors import WarehouseLocked
from warehouse.journal import LoadRun, recover
from warehouse.lake import is_lake_url
from warehouse.sql import statement, transaction
from warehouse.load import load_batch, record_fetches
from warehouse.partitions import merge_partitions, release_dead_partitions
from warehouse.state import mark_outcomes, record_discovery_frames

# How long a run waits for the warehouse before keeping its batches staged.
# Two minutes covers a nightly waiting for a backfill's batch load (seconds)
# and an analyst's short query; a shell left open for hours is not waited out.
DEFAULT_WAIT_SECONDS = 120.0
# At most this many staged batches, and no more articles than MAX_ARTICLES_PER_LOAD (a batch bigger
# than that goes alone), go into one load transaction.
MAX_BATCHES_PER_LOAD = 40
# A transaction's memory grows with its articles, not with its batches: on real pages (~100 KB) a load of
# 674 articles took ~300 MB of DuckDB memory (its commit's checkpoint) besides the frames, and batches
# grow to 100 pages on large runs, so eight of them at once made the flow's peak grow with the run's size
# (benchmarks/ingest.py --corpus real). Articles, so that a batch's size does not set a load's.
MAX_ARTICLES_PER_LOAD = 400
# A lake load that loses a race to another writer's commit is tried again, from its plan, on the newer
# snapshot; jittered so that racing writers spread out. 30 tries ride out a long burst of rivals.
LAKE_CONFLICT_TRIES = 30


@dataclass
class LoadTotals:
    batches_loaded: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    pending: int = 0  # staged batches still waiting after this flush
    conflicts: int = 0  # lake loads retried after losing a commit race to another writer
    versions: tuple[int, ...] = ()  # the lake's warehouse_version each of this run's lake loads committed as
    waited_s: float = 0.0
    message: str | None = None
    updated_ids: tuple[str, ...] = ()
    # (day, source_id) -> Counter of insert / update / unchanged, for partition rows
    by_partition: dict[tuple, Counter] = field(default_factory=dict)
    # Earlier runs found dead when this one started: flow run id -> what they left (for the flow to
    # mark them Crashed in Prefect), and what was undone of a load they were killed in.
    crashed_runs: dict[str, str] = field(default_factory=dict)
    recovered: list[str] = field(default_factory=list)

    def add(self, other: "LoadTotals") -> None:
        for name in ("batches_loaded", "inserted", "updated", "unchanged", "conflicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.updated_ids += other.updated_ids
        self.versions += other.versions
        self.crashed_runs.update(other.crashed_runs)
        self.recovered += other.recovered
        for key, counts in other.by_partition.items():
            self.by_partition.setdefault(key, Counter()).update(counts)
        self.waited_s += other.waited_s
        self.pending, self.message = other.pending, other.message or self.message


@contextmanager
def writer_lock(db: str | Path, timeout: float) -> Iterator[bool]:
    """An exclusive lock on '<db>.writer.lock' among newswire processes; yields False on timeout."""
    path = Path(f"{db}.writer.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_for(db, timeout: float):
    """The flock among writers of a file; none on a lake, whose writers may be on other machines and
    whose catalog settles their races (conflicting commits are retried, see _load_lake)."""
    return nullcontext(True) if is_lake_url(db) else writer_lock(db, timeout)


def _open(db, timeout: float, logger: logging.Logger):
    if is_lake_url(db):
        return connect(db)
    def tell(retry_state) -> None:
        logger.warning("warehouse %s is held by another process (an open DuckDB shell or `newswire sql`?); "
                       "waiting, retry %d, up to %.0f s in all", db, retry_state.attempt_number, timeout)

    retrying = Retrying(stop=stop_after_delay(timeout), wait=wait_exponential(multiplier=0.2, max=5),
                        retry=retry_if_exception_type(WarehouseLocked), before_sleep=tell)
    try:
        return retrying(connect, db)
    except RetryError:
        return None


def load_staged(db: str, stage: Stage, lexicon: Lexicon, logger: logging.Logger,
                wait_seconds: float = DEFAULT_WAIT_SECONDS, startup: bool = False) -> LoadTotals:
    """Load every staged batch, oldest first, each removed once loaded; their mentions and terms
    are those of `lexicon`, the run's (a batch staged with another one is derived again).

    Before loading anything it deals with runs that died: it undoes a load they were killed in
    (warehouse/journal.py), sets the partitions they left 'running' back to 'pending', and reports
    their flow run ids so that the flow marks them Crashed. A run's first flush (startup) does this
    even when nothing is staged."""
    report = LoadTotals()
    live, dead = stage.runs()
    if not stage.pending() and not startup:
        return report
    started = time.monotonic()
    lake = is_lake_url(db)
    with lock_for(db, wait_seconds) as locked:
        con = _open(db, max(0.0, wait_seconds - (time.monotonic() - started)), logger) if locked else None
        report.waited_s = time.monotonic() - started
        if con is None:
            report.pending = len(stage.pending())
            report.message = (f"warehouse {db} stayed locked for {wait_seconds:.0f} s; {report.pending} staged "
                              f"batch(es) kept in {stage.root} and loaded by the next run")
            logger.warning(report.message)
            return report
        try:
            if not lake:  # a lake's commits are atomic in its catalog: no half-load to undo (_after_crashes)
                _after_crashes(con, stage, live, dead, report, lexicon, logger)
            run = LoadRun(stage.run.flow_run_id, stage.run.mode) if stage.run else LoadRun()
            pending = stage.pending()
            # Staged batches load in groups: one MERGE of 40 batches costs about what one of a
            # single batch does, so a run whose loads fall behind catches up instead of lagging.
            for group in _groups(stage, pending):
                combined = _combined(stage, group, lexicon)
                if lake:
                    _load_lake(con, combined, report, run, logger)
                else:
                    _load_one(con, combined, report, run)
                for path in group:
                    stage.done(path)
                report.batches_loaded += len(group)
            for folder, _ in dead:
                stage.bury(folder)
        finally:
            con.close()
    return report


def _groups(stage: Stage, pending: list[Path]) -> Iterator[list[Path]]:
    """The staged batches in order, in groups of at most MAX_BATCHES_PER_LOAD batches and
    MAX_ARTICLES_PER_LOAD articles (one batch per group at least)."""
    group: list[Path] = []
    articles = 0
    for path in pending:
        size = stage.articles_in(path)
        if group and (len(group) >= MAX_BATCHES_PER_LOAD or articles + size > MAX_ARTICLES_PER_LOAD):
            yield group
            group, articles = [], 0
        group.append(path)
        articles += size
    if group:
        yield group


def _after_crashes(con, stage: Stage, live: list[RunRecord], dead: list[tuple], report: LoadTotals,
                   lexicon: Lexicon, logger: logging.Logger) -> None:
    """Undo loads killed before they committed, release the partitions of dead runs, name the dead runs."""
    recovery = recover(con, lexicon)
    if recovery is not None:
        report.recovered.append(recovery.summary())
        logger.warning("%s", recovery.summary())
        # Then the days that load touched are checked, as `newswire check --from --to` would.
        for violation in check(con, *days_of(recovery.days)):
            report.recovered.append(f"still violated after that: {violation.line()} (`newswire check --repair`)")
            logger.warning("%s", report.recovered[-1])
        for run_id in recovery.run_ids:
            report.crashed_runs[run_id] = "killed while it loaded into the warehouse"
    for _, record in dead:
        report.crashed_runs.setdefault(record.flow_run_id, f"killed (pid {record.pid}, started {record.started_at})")
    own = stage.run.flow_run_id if stage.run else None
    released = release_dead_partitions(con, {r.flow_run_id for r in live}, own)
    for (day, source_id, run_id) in released:
        report.crashed_runs.setdefault(run_id, "killed while it worked on a partition")
    if released:
        logger.warning("%d partition(s) left 'running' by dead runs set back to 'pending': %s", len(released),
                       ", ".join(f"{d} {s}" for d, s, _ in released))
    report.crashed_runs.pop(own, None)


def _combined(stage: Stage, paths, lexicon: Lexicon) -> StagedBatch:
    staged = [stage.read(p, lexicon) for p in paths]
    return StagedBatch(
        paths[-1], combine_batches([s.batch for s in staged]),
        combine_frames([s.fetch_log for s in staged], None),
        combine_frames([s.url_state for s in staged], ["url"]),
        combine_frames([s.discovered for s in staged], ["url"]),
        combine_frames([s.partitions for s in staged], ["day", "source_id"]))


def _is_conflict(exc: BaseException) -> bool:
    """DuckLake's refusal to commit because another writer committed first (or its catalog transaction
    in PostgreSQL was serialised against another one)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and ("conflict" in text or "could not serialize" in text)


def _load_lake(con, staged, report: LoadTotals, run: LoadRun, logger: logging.Logger) -> None:
    """A group of staged batches into the lake: every statement of the group in one transaction that
    bumps warehouse_version, so a rival load that committed since this one's snapshot makes its commit
    fail, and it is planned and run again on the newer snapshot (nothing doubled, aggregates recomputed
    from what is committed). The batches stay staged until the commit lands."""
    def tell(state) -> None:
        report.conflicts += 1
        logger.warning("lake load lost a commit race to another writer (%s); retry %d",
                       str(state.outcome.exception()).splitlines()[0][:160], state.attempt_number)

    for attempt in Retrying(stop=stop_after_attempt(LAKE_CONFLICT_TRIES), reraise=True,
                            wait=wait_random_exponential(multiplier=0.05, max=2),
                            retry=retry_if_exception(_is_conflict), before_sleep=tell):
        with attempt:
            attempt_report = LoadTotals()
            with transaction(con):
                con.execute(statement("load/bump_version"))
                attempt_report.versions = (con.execute(statement("load/version")).fetchone()[0],)
                _load_one(con, staged, attempt_report, run)
            report.add(attempt_report)  # counted once, for the attempt that committed


def _load_one(con, staged, report: LoadTotals, run: LoadRun) -> None:
    if staged.url_state is not None or staged.discovered is not None:
        record_discovery_frames(con, staged.url_state, staged.discovered)
    loaded = load_batch(con, staged.batch, run)
    if staged.fetch_log is not None and not staged.fetch_log.is_empty():
        record_fetches(con, staged.fetch_log)
        mark_outcomes(con, staged.fetch_log)
    for key, counts in loaded.by_partition.items():
        report.by_partition.setdefault(key, Counter()).update(counts)
    report.updated_ids += loaded.updated_ids
    if staged.partitions is not None and not staged.partitions.is_empty():
        merge_partitions(con, staged.partitions)  # after the articles, so its counts include them
    report.inserted += loaded.inserted
    report.updated += loaded.updated
    report.unchanged += loaded.unchanged


class WarehouseUnavailable(Exception):
    """The warehouse stayed locked past the wait; the message says by what and what to do."""


def with_warehouse(db: str, fn, logger: logging.Logger, wait_seconds: float = DEFAULT_WAIT_SECONDS):
    """fn(con) on the warehouse, to read or write, under the writer lock (DuckDB admits one process
    at a time); WarehouseUnavailable when the lock or the file stays held past the wait."""
    with lock_for(db, wait_seconds) as locked:
        con = _open(db, wait_seconds, logger) if locked else None
        if con is None:
            raise WarehouseUnavailable(
                f"warehouse {db} stayed locked for {wait_seconds:.0f} s; close the other process holding it "
                f"(a DuckDB shell, `newswire sql`) and run again")
        try:
            return fn(con)
        finally:
            con.close()
