"""SIGKILL at random moments: the warehouse ends up equal to one from a single clean run.

The ingest is killed in each of its phases: while fetching, while extracting and while loading into
DuckDB. Each kill is timed from what the run has done so far, seen from outside: the WARC archive
growing (one record per response), and the run holding the DuckDB file open (/proc/PID/fd). Where a
kill landed is read afterwards from the same evidence and the test requires every phase to have been
hit. The feed lists one more article before each killed run, so every killed run inserts a new article
besides reloading the stored ones: runs that only reload unchanged articles write almost nothing, and a
kill in their load could not show, say, a load that commits articles and their sections apart. The
commands run in processes forked from one that has imported Prefect already (tests/prewarmed.py), so
the loop spends its time in runs, not in imports.

NEWSWIRE_SOAK=1 runs many more kills (a longer soak than the normal suite can afford);
NEWSWIRE_CRASH_SEED picks another sequence of kill moments.
"""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import json
import shutil

import duckdb
import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator

from flows.cli.demo_site import serve_site
from tests.checksums import LOGS, VOLATILE
from tests.conftest import ROOT, SEEDS
from tests.prewarmed import Child, Prewarmed
from tests.runs import claimed, flow_runs_of

INDEX = json.loads((SEEDS / "sample_site_expected" / "index.json").read_text("utf-8"))

KILLS = 50 if os.environ.get("NEWSWIRE_SOAK") else 10
# A site of 20 sample articles: a run long enough to be killed in every phase, short
# enough for ten kills and reruns in the normal suite (the soak uses all of them).
ARTICLES = 47 if os.environ.get("NEWSWIRE_SOAK") else 20
# Tables that log what happened, and columns that say when or by which run: as tests/checksums.py
# leaves them out; all the rest must equal a clean run's exactly.
# The phases every crash run must have hit; "startup" (before the first response) and "finishing"
# (after the articles' load began, between the last writes) are hit too, by the untargeted kills.
PHASES = ("fetch", "extraction", "load")
POLL_S = 0.004


@pytest.fixture(scope="module")
def prewarmed(prefect_server, tmp_path_factory):
    api, home = prefect_server
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "WARNING"}
    forker = Prewarmed(env, ROOT, tmp_path_factory.mktemp("crash-logs"))
    try:
        yield forker
    finally:
        forker.close()


def finish(child: Child) -> None:
    assert child.wait() == 0, child.output()[-5000:]


@dataclass
class Sample:
    t: float  # seconds since the command started
    grown: int  # bytes the WARC archive grew by
    db_open: bool  # the run holds the DuckDB file (or its WAL) open


@dataclass
class Expect:
    """What a run archives (one WARC record per response): discovery documents, then articles."""

    records: int
    bytes: int
    discovery_bytes: int


class Watch:
    """One run seen from outside: its WARC archive growing and its DuckDB file open or not."""

    def __init__(self, folder: Path, expect: Expect | None = None) -> None:
        self.folder, self.expect = folder, expect  # folder holds wh.duckdb, and archive/ beside it
        self.before = self._sizes()
        self.db = {str(folder / "wh.duckdb"), str(folder / "wh.duckdb.wal")}
        self.samples: list[Sample] = []
        self.child: Child | None = None

    def _sizes(self) -> dict[str, int]:
        try:
            return {e.name: e.stat().st_size for e in os.scandir(self.folder / "archive")}
        except FileNotFoundError:
            return {}

    def _db_open(self) -> bool:
        fds = f"/proc/{self.child.pid}/fd"
        try:
            names = os.listdir(fds)
        except OSError:  # ended
            return False
        for name in names:
            try:
                if os.readlink(f"{fds}/{name}") in self.db:
                    return True
            except OSError:
                continue
        return False

    def sample(self) -> Sample:
        grown = sum(size - self.before.get(name, 0) for name, size in self._sizes().items())
        self.samples.append(Sample(time.monotonic() - self.child.started, grown, self._db_open()))
        return self.samples[-1]

    def until(self, condition, timeout: float = 120) -> Sample | None:
        """Sample until condition(sample) holds (that sample) or the run ends (None)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = self.sample()
            if condition(now):
                return now
            if self.child.poll(POLL_S) is not None:
                return None
        raise AssertionError(f"{self.child.log.name}: nothing happened in {timeout} s: {self.child.output()[-3000:]}")

    def archived(self) -> list[tuple[str, int]]:
        """(URL path, bytes) of each WARC record the run appended (a record torn by a kill is left out)."""
        out = []
        for name in self._sizes():
            with open(self.folder / "archive" / name, "rb") as fh:
                fh.seek(self.before.get(name, 0))
                records = ArchiveIterator(fh)
                try:
                    for record in records:
                        url = record.rec_headers.get_header("WARC-Target-URI")
                        out.append((urlsplit(url).path, records.get_record_length()))
                except Exception:  # noqa: BLE001 - the torn tail a SIGKILL can leave
                    pass
        return out

    def fetched_all(self, now: Sample) -> bool:
        """Every response archived; the bytes say when it is worth counting the records."""
        return now.grown >= 0.9 * self.expect.bytes and len(self.archived()) >= self.expect.records

    def archive_done_at(self) -> float:
        """When the archive last grew (seconds since the command started)."""
        return next(s.t for s in self.samples if s.grown == self.samples[-1].grown)

    def phase(self) -> str:
        """Where the run was when it stopped: startup, fetch, extraction, load or finishing."""
        records, last = len(self.archived()), self.samples[-1]
        if records == 0:
            return "startup"  # flow run creation, the warehouse read before discovery
        if last.db_open:
            return "load"  # discovery frames, articles or partitions going into DuckDB
        if records < self.expect.records:
            return "fetch"
        done = self.archive_done_at()
        if not any(s.db_open for s in self.samples if s.t >= done):
            return "extraction"  # every page fetched, the articles not yet loaded: extraction, staging
        return "finishing"


@dataclass
class Reference:
    """The clean run: the bytes it archived per document, and how long its phases took."""

    sizes: dict[str, int]  # URL path -> bytes of its WARC record
    total_s: float
    extraction_s: float
    load_s: float

    @classmethod
    def of(cls, watch: Watch) -> Reference:
        samples, done = watch.samples, watch.archive_done_at()
        opened = [s.t for s in samples if s.t >= done and s.db_open]
        extraction = (opened[0] - done) if opened else 0.3
        load = 0.3
        if opened:
            closed = [s.t for s in samples if s.t > opened[0] and not s.db_open]
            load = (closed[0] if closed else samples[-1].t) - opened[0]
        return cls(dict(watch.archived()), samples[-1].t, extraction, load)

    def expect(self, articles: list[dict]) -> Expect:
        """What a run over these articles archives: the clean run's discovery documents and their pages."""
        pages = {e["path"] for e in articles}
        assert pages <= set(self.sizes), "the clean run did not archive every article page"
        every_page = {e["path"] for e in INDEX}
        discovery = [size for path, size in self.sizes.items() if path not in every_page]
        return Expect(len(discovery) + len(pages), sum(discovery) + sum(self.sizes[p] for p in pages),
                      sum(discovery))


def kill_in(watch: Watch, target: str, ref: Reference, rng: random.Random) -> bool:
    """Wait for the target phase and SIGKILL the run at a random moment of it; False if it ended first."""
    expect = watch.expect
    if target == "fetch":  # the article pages: after discovery, before the last page
        at = expect.discovery_bytes + rng.uniform(0.1, 0.8) * (expect.bytes - expect.discovery_bytes)
        trigger = watch.until(lambda s: s.grown >= at)
        delay = 0.0
    elif target == "extraction":  # from the last page fetched until the articles' load
        trigger = watch.until(watch.fetched_all)
        delay = rng.uniform(0, 0.9 * ref.extraction_s)
    elif target == "load":  # the articles' load: DuckDB open after the last page
        fetched_all = False

        def loading(s: Sample) -> bool:
            nonlocal fetched_all
            fetched_all = fetched_all or watch.fetched_all(s)
            return fetched_all and s.db_open

        trigger = watch.until(loading)
        delay = rng.uniform(0, 0.9 * ref.load_s)
    else:  # any moment of a run
        trigger, delay = Sample(0, 0, False), rng.uniform(0.05, 0.8 * ref.total_s)
    if trigger is None:
        return False
    if watch.until(lambda s: s.t >= trigger.t + delay) is None:
        return False
    os.killpg(watch.child.pid, signal.SIGKILL)
    return watch.child.wait() == -signal.SIGKILL


def content(db: str) -> dict[str, list]:
    con = duckdb.connect(db, read_only=True)  # opening at all proves the file is sound
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_type = 'BASE TABLE'").fetchall() if t not in LOGS]
        out = {}
        for table in tables:
            cols = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                    if not c.endswith(VOLATILE)]
            out[table] = sorted(map(repr, con.execute(f'SELECT {", ".join(cols)} FROM "{table}"').fetchall()))
        return out
    finally:
        con.close()


@dataclass
class SmallSite:
    """The first ARTICLES sample articles, served on 127.0.0.1 behind one RSS feed listing some of them."""

    root: Path
    sources: Path
    articles: list[dict]

    def list_in_feed(self, count: int) -> list[dict]:
        listed = self.articles[:count]
        (self.root / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' +
                                            "".join(f"<item><title>x</title><link>{e['url']}</link></item>"
                                                    for e in listed) + "</channel></rss>")
        return listed


@pytest.fixture
def small_site(tmp_path):
    root = tmp_path / "site"
    entries = INDEX[:ARTICLES]
    for entry in entries:
        rel = entry["path"].strip("/")
        shutil.copytree(SEEDS / "sample_site" / rel, root / rel)
    (root / "index.html").write_text("<html><body>home</body></html>")
    with serve_site(root) as origin:
        path = tmp_path / "sources.toml"
        path.write_text(f'[[sources]]\nid = "small"\nfeeds = ["{origin}/feed.xml"]\nrequests_per_second = 0\n')
        site = SmallSite(root, path, entries)
        site.list_in_feed(ARTICLES)
        yield site


def test_sigkill_during_ingest_loses_and_duplicates_nothing(prewarmed, prefect_server, small_site, tmp_path):
    # Extraction in the ingest process itself: two forked workers per run would add to the
    # cost of twenty short runs; the SIGKILL still lands in fetch, extraction and load.
    env = {"NEWSWIRE_EXTRACT_WORKERS": "0"}
    (tmp_path / "ref").mkdir()
    (tmp_path / "crash").mkdir()
    reference, crashed = str(tmp_path / "ref" / "wh.duckdb"), str(tmp_path / "crash" / "wh.duckdb")

    def ingest(db: str, *more: str, expect: Expect | None = None) -> Watch:
        watch = Watch(Path(db).parent, expect)
        watch.child = prewarmed.start(["ingest", "--sources-file", str(small_site.sources), "--db", db, *more], env)
        return watch

    clean = ingest(reference)
    clean.until(lambda s: False)
    finish(clean.child)
    ref = Reference.of(clean)

    rng = random.Random(int(os.environ.get("NEWSWIRE_CRASH_SEED", "7")))
    targets = ["fetch", "extraction", "load", "any"]
    landed: list[str] = []
    unclaimed = 0  # runs killed before their first line: nothing of them for the next run to find
    attempts = 0
    while len(landed) < KILLS or not set(PHASES) <= set(landed):
        attempts += 1
        assert attempts <= KILLS + 10, f"kills landed in {landed}; every one of {PHASES} is needed"
        missing = [p for p in PHASES if p not in landed]
        target = targets[len(landed) % len(targets)] if len(landed) < KILLS else missing[0]
        # The feed lists one more article each time, so every killed run also inserts a new article
        # (not only reloads stored ones); --refetch makes it fetch, extract and load all it lists.
        listed = small_site.list_in_feed(ARTICLES // 2 + attempts)
        victim = ingest(crashed, "--refetch", expect=ref.expect(listed))
        if kill_in(victim, target, ref, rng):
            landed.append(victim.phase())
            unclaimed += not claimed(Path(crashed), victim.child.pid)
        else:
            finish(victim.child)  # it ended before the kill: a normal run, then
        finish(ingest(crashed).child)
    print(f"{len(landed)} kills landed in: {landed}")
    if len(listed) < ARTICLES:
        small_site.list_in_feed(ARTICLES)
        finish(ingest(crashed).child)

    want, got = content(reference), content(crashed)
    assert set(got) == set(want)
    for table in want:
        assert got[table] == want[table], f"{table} differs from a clean run"
    # Every killed run that got as far as its first line shows as Crashed in Prefect, none as Running.
    states = list(flow_runs_of(prefect_server[0], Path(crashed)).values())
    assert states.count("CRASHED") >= len(landed) - unclaimed and states.count("RUNNING") <= unclaimed, states
    con = duckdb.connect(crashed, read_only=True)
    assert con.execute("SELECT count(*) - count(DISTINCT article_id) FROM articles").fetchone() == (0,)
    assert con.execute("SELECT count(*) - count(DISTINCT (day, source_id)) FROM ingest_partitions").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM ingest_partitions WHERE status NOT IN ('complete', 'pending')"
                       ).fetchone() == (0,)
    con.close()


def test_backfill_killed_half_way_resumes_with_only_missing(prewarmed, prefect_server, demo_sources, tmp_path):
    api, _ = prefect_server
    db = str(tmp_path / "wh.duckdb")
    args = ["backfill", "--from", "2026-08-01", "--to", "2026-08-16", "--sources-file", str(demo_sources), "--db", db]
    victim = prewarmed.start(args)
    deadline = time.monotonic() + 240
    done_before: dict = {}
    while time.monotonic() < deadline and len(done_before) < 4:  # wait until some partitions are complete
        assert victim.poll(0.5) is None, f"the backfill ended before the kill: {victim.output()[-3000:]}"
        done_before = complete_partitions(db)
    os.killpg(victim.pid, signal.SIGKILL)
    assert victim.wait() == -signal.SIGKILL
    assert 0 < len(done_before) < 16, "the kill must land half-way for this test to mean anything"
    done_before = complete_partitions(db)
    (killed,) = set(done_before.values())
    finish(prewarmed.start(args))
    after = complete_partitions(db)
    assert len(after) == 16
    for key, run_id in done_before.items():
        assert after[key] == run_id, f"partition {key} was redone"
    # The killed run shows as Crashed in Prefect, saying which run found it; the partition it was working
    # on went back to pending (then the new run completed it).
    (resumed,) = set(after.values()) - {killed}
    state = httpx.get(f"{api}/flow_runs/{killed}", timeout=30).json()["state"]
    assert state["type"] == "CRASHED", state
    assert f"found by flow run {resumed}" in state["message"], state


def complete_partitions(db: str) -> dict:
    """Complete partitions and their run ids, read under newswire's writer lock (DuckDB admits one process)."""
    from warehouse.loader import writer_lock

    if not os.path.exists(db):
        return {}
    with writer_lock(db, timeout=60) as locked:
        assert locked
        try:
            con = duckdb.connect(db, read_only=True)
        except duckdb.Error:
            return {}
        try:
            rows = con.execute("SELECT day, source_id, flow_run_id FROM ingest_partitions "
                               "WHERE status = 'complete' AND mode = 'fetch'").fetchall()
        except duckdb.CatalogException:
            rows = []
        finally:
            con.close()
    return {(d, s): r for d, s, r in rows}
