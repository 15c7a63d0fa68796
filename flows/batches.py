"""What the ingest and backfill flows share: setup, the run's loads, batched fetching."""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from prefect.futures import as_completed

from flows.crawl.archive import Archive
from flows.crawl.fetch import FetchSettings, Fetcher
from flows.crawl.fetchers import FetcherSpec
from flows.crawl.hosts import HostLimits
from flows.crawl.fetchlog import fetch_log_frame  # noqa: F401 - re-exported for the flows
from flows import progress
from flows.runner import BatchRunner
from flows.settings import Settings
from flows.tasks import load_staged, recompute_stored
from transforms.entities import Lexicon
from transforms.feeds import Discovered
from warehouse.loader import LoadTotals, with_warehouse
from warehouse.recompute import stored_lexicon_digest
from warehouse.staging import RunRecord, Stage
from transforms.sources import Crawler, Source, parse_crawler, parse_runner, parse_sources, select_sources
from transforms.urls import host_of

# Pages per fetch-and-extract task. Every task run costs CPU in this process and in the
# Prefect server, which share the cores with extraction: benchmarks/ingest.py (1,500 pages,
# 2 workers) measured 8.6 + 4.6 ms/page of flow + server CPU with 25-page batches, 6.4 + 2.7
# with 50 and 5.9 + 2.1 with 100, against ~8 ms/page of extraction. So large runs use batches
# of up to MAX_BATCH; a small run is still cut into enough batches to fill every slot twice,
# so both extraction processes get work.
MIN_BATCH, MAX_BATCH = 10, 100


@dataclass
class Setup:
    sources: list[Source]
    crawler: Crawler
    archive: Archive
    dask_address: str | None = None  # where the batch tasks run (flows/runner.py); None: this process


def setup(settings: Settings, source_ids: list[str] | None, archive_dir: str | None = None) -> Setup:
    path = settings.sources_file
    text = Path(path).read_text("utf-8")
    sources = select_sources(parse_sources(text, path), source_ids or None, path)
    crawler = parse_crawler(text, path)
    # --dask or NEWSWIRE_DASK_ADDRESS win over the sources file's [runner] table.
    return Setup(sources, crawler, Archive(archive_dir or crawler.archive_dir or Path(settings.db).parent / "archive"),
                 settings.dask_address or parse_runner(text, path))


def fetch_settings(crawler: Crawler) -> FetchSettings:
    settings = {k: getattr(crawler, k) for k in FetchSettings.__dataclass_fields__ if hasattr(crawler, k)}
    if crawler.user_agent is None:
        settings.pop("user_agent")
    return FetchSettings(**settings)


def fetcher_spec(s: Setup) -> FetcherSpec:
    """The run's fetcher by value: allowed hosts with their limits, fetch settings, archive folder."""
    hosts: dict[str, HostLimits] = {}
    for source in s.sources:
        for url in source.feeds + source.sitemaps + source.listings:
            hosts[host_of(url).lower()] = HostLimits(source.requests_per_second, source.max_in_flight)
    return FetcherSpec(fetch_settings(s.crawler), tuple(hosts.items()),
                       tuple((host, address) for host, address, _port in s.crawler.resolve),
                       str(s.archive.directory.absolute()))


def make_fetcher(s: Setup) -> Fetcher:
    return fetcher_spec(s).build()


def batch_runner(s: Setup) -> BatchRunner:
    """Where the run's fetching tasks go (flows/runner.py); runner.local_fetcher is the flow's own
    Fetcher, for what the flow fetches itself: the caller closes it."""
    spec = fetcher_spec(s)
    return BatchRunner(spec.build(), spec, s.dask_address)


def home_host(source: Source) -> str:
    """The host a source's discovery starts from: its discovery task runs on that host's worker."""
    return host_of((source.feeds + source.sitemaps + source.listings)[0])


class Loads:
    """A run's loads: its staging folder (its tasks stage each batch there), the load task that
    loads what is staged, now or in the background, and the totals of its loads.

    The write path goes one way: tasks stage, the flow runs the load task, the task calls
    warehouse.loader.load_staged. Nothing here is called back by the warehouse."""

    def __init__(self, settings: Settings, lexicon: Lexicon, logger, run: RunRecord | None = None) -> None:
        # The warehouse: the DuckDB file, or the lake when [warehouse] url is set (flows/settings.py).
        self.db, self.wait_seconds, self.lexicon, self.logger = settings.target(), settings.lock_wait_seconds, lexicon, logger
        self.stage = Stage.beside(self.db, run=run)
        self.claim_seconds = settings.claim_seconds
        if run is not None:
            self.stage.claim()  # from the start, so that a run killed before it staged anything is found
        self.total = LoadTotals()
        self.unavailable = False  # the warehouse stayed locked: keep everything staged for the next run
        self._started = False

    def stage_frames(self, **frames) -> None:
        self.stage.put(**frames)

    def now(self) -> LoadTotals:
        """Load what is staged, waiting for it; the run's first load also deals with dead runs."""
        if self.unavailable:
            self.total.pending = len(self.stage.pending())
            return LoadTotals(pending=self.total.pending)
        startup, self._started = not self._started, True
        return self.absorb(load_staged(self.db, str(self.stage.root), self.stage.token, self.wait_seconds,
                                       self.lexicon, startup))

    def start(self):
        """Start loading what is staged in the background; pass the future's result to absorb().
        Batches staged while it runs wait for the next load. None when the load ran at once."""
        if self.unavailable or not self._started:
            self.now()
            return None
        return load_staged.submit(self.db, str(self.stage.root), self.stage.token, self.wait_seconds, self.lexicon)

    def absorb(self, report: LoadTotals) -> LoadTotals:
        self.total.add(report)
        self.unavailable = report.message is not None
        return report

    def stage_and_load(self, **frames) -> LoadTotals:
        self.stage.put(**frames)
        return self.now()

    def finish(self) -> LoadTotals:
        """A last attempt for whatever is still staged (one more bounded wait if it was locked)."""
        self.unavailable = False
        self.now()
        self.stage.close()
        return self.total

    def read(self, fn):
        """fn(con) on the warehouse, under the same lock as the loads (warehouse.loader.with_warehouse)."""
        return with_warehouse(self.db, fn, self.logger, self.wait_seconds)

    def claim(self, day, source_id: str, owner: str) -> str | None:
        """Claim a partition on a lake (None: claimed; else who holds it); a single file's runs take
        turns through its lock and need no claim."""
        from warehouse.claims import claim
        from warehouse.lake import is_lake_url

        if not is_lake_url(self.db):
            return None
        return self.read(lambda con: claim(con, day, source_id, owner, self.claim_seconds))

    def release(self, day, source_id: str, owner: str) -> None:
        from warehouse.claims import release
        from warehouse.lake import is_lake_url

        if is_lake_url(self.db):
            self.read(lambda con: release(con, day, source_id, owner))

    def bring_lexicon_up_to_date(self) -> None:
        """Once per run, before it loads: when the gazetteer or stop words changed since the stored
        mentions and terms were made, say so and recompute every article first (a task of its own,
        as `newswire recompute` does), so that no load ever mixes two lexicons."""
        stored = self.read(stored_lexicon_digest)
        if stored is None or stored == self.lexicon.digest:
            return
        self.logger.warning("the gazetteer or a stop-word list changed since the stored mentions and terms were "
                            "made (lexicon %s, now %s): recomputing every stored article before loading",
                            stored[:12], self.lexicon.digest[:12])
        report = recompute_stored(self.db, self.lexicon, self.wait_seconds)
        self.logger.warning("recomputed %d articles with lexicon %s", report.articles, report.lexicon_digest[:12])


@dataclass
class Tally:
    """Run counters for the summary and the artifacts."""

    counts: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    partition_reasons: Counter = field(default_factory=Counter)  # why partitions failed, for the run's state


# Batches in flight at once: enough to keep fetch threads and extraction processes
# busy while a load runs, few enough that memory does not grow with N.
MAX_BATCHES_IN_FLIGHT = 6
# Staged batches are loaded when this many wait, or this long after the last load.
# Opening, loading and checkpointing DuckDB costs ~0.3 s however small the load
# (measured here: 8.4 ms/page loading 25 pages at a time, 1.9 ms/page for 200), and
# staging is durable, so waiting for a bigger load loses nothing.
LOAD_EVERY_BATCHES = 8
LOAD_EVERY_SECONDS = 10.0


def batch_size_for(pages: int) -> int:
    return max(MIN_BATCH, min(MAX_BATCH, -(-pages // (2 * MAX_BATCHES_IN_FLIGHT))))


def cut(urls: list, size: int) -> list[list]:
    """Batches of `size`, the first ones smaller (MIN_BATCH, doubling): a task fetches its pages
    one by one before extraction sees any, so small first batches set the workers going after
    ten fetches rather than a hundred."""
    batches, i, step = [], 0, min(MIN_BATCH, size)
    while i < len(urls):
        batches.append(urls[i : i + step])
        i, step = i + step, min(size, step * 2)
    return batches


def by_host(urls: list[Discovered]) -> list[list[Discovered]]:
    """The URLs grouped by host, in their order: on a cluster, each host's batches go to its worker."""
    groups: dict[str, list[Discovered]] = {}
    for d in urls:
        groups.setdefault(host_of(d.url), []).append(d)
    return list(groups.values())


def fetch_in_batches(todo: list[tuple[Source, list[Discovered]]], runner: BatchRunner, loads: Loads, run_id: str,
                     tally: Tally, batch_size: int | None = None, live: bool = False) -> None:
    """Fetch and extract in batch tasks running side by side; stage each as it completes and load
    them in the background, one load at a time, so the flow keeps submitting batches meanwhile."""
    batch_size = batch_size or batch_size_for(sum(len(urls) for _, urls in todo))
    work = deque((source, batch) for source, urls in todo
                 for group in (by_host(urls) if runner.remote else [urls]) for batch in cut(group, batch_size))
    # Enough batches in flight to keep every Dask worker busy while the flow stages and loads.
    in_flight = max(MAX_BATCHES_IN_FLIGHT, 2 * len(runner.workers))
    running: set = set()
    loading = None  # the load in flight, if any
    staged, last_load = 0, time.monotonic()
    while work or running:
        while work and len(running) < in_flight:
            source, urls = work.popleft()
            running.add(runner.submit_batch(urls, source, loads.stage, loads.lexicon, run_id))
        first = next(as_completed(list(running)))
        finished = [first] + [f for f in running if f is not first and f.state.is_final()]
        for future in finished:
            running.discard(future)
            result = future.result()  # staged by the task; only counts and the log come back
            if result.batch is not None:  # from a Dask worker: staged here, on the flow's machine
                loads.stage_frames(batch=result.batch, fetch_log=fetch_log_frame(result.log.rows, run_id))
            tally.counts["pages_fetched"] += len(result.log.rows)
            tally.counts["articles_extracted"] += result.articles
            tally.failures.update(result.log.failures())
            staged += 1
        del finished, first, future, result  # the futures hold the batches: let them go
        if loading is not None and loading.state.is_final():
            loads.absorb(loading.result())
            loading = None
        if live:
            progress.report(tally, loads)
        # A load costs about the same for one staged batch as for several, so they wait for
        # each other a little; staging is durable, so waiting loses nothing.
        if loading is None and (staged >= LOAD_EVERY_BATCHES or time.monotonic() - last_load >= LOAD_EVERY_SECONDS):
            loading = loads.start()
            staged, last_load = 0, time.monotonic()
    if loading is not None:
        loads.absorb(loading.result())
    loads.now()
    if live:
        progress.report(tally, loads)
