"""Kill sequences at real size: SIGKILLs aimed at every phase of ingests of the bench site, loads above all.

A sequence runs the ingest again and again on one warehouse, each run SIGKILLed (its whole process group)
in a chosen phase: start-up, discovery, fetching, a load (the DuckDB file open), a load's commit (its WAL
being written and already holding article_terms' rows, where DuckDB 1.5.5 recovers rows of the
uncommitted load, as tests/test_crash_loads.py does), finishing. Each run resumes
what the killed ones left (their staged batches, their journal). A clean run then completes the sequence,
and every table must equal, by a checksum of all its columns, that of one uninterrupted run; `newswire
check` must find nothing, no partition may be left 'running', and every killed run that had started
its staging folder must show as Crashed in Prefect.

NEWSWIRE_SOAK=1 runs it on 10,000 pages (benchmarks/benchsite.py, politeness relaxed as
benchmarks/ingest.py does; loads of ~800 articles pass DuckDB's 122,880-row row group in article_terms)
with NEWSWIRE_SOAK_SEQUENCES sequences (default 3). The ordinary suite skips it: its fast version that
crosses the row-group threshold is tests/test_crash_loads.py.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.checksums import checksums, differences
from tests.conftest import ROOT
from tests.prewarmed import Child
from tests.runs import claimed, flow_runs_of
from tests.test_crash_safety import prewarmed  # noqa: F401 - the fixture

SOAK = bool(os.environ.get("NEWSWIRE_SOAK"))
PAGES = int(os.environ.get("NEWSWIRE_SOAK_PAGES", "10000"))
SEQUENCES = int(os.environ.get("NEWSWIRE_SOAK_SEQUENCES", "3"))
# One sequence: where each run is killed, in order. Loads come up most, their commits above all.
TARGETS = ("startup", "discovery", "fetch", "commit", "load", "commit", "fetch", "commit", "load", "finishing")
POLL_S = 0.002

# Minutes per sequence at 10,000 pages: past the suite's 600 s timeout per test.
pytestmark = [pytest.mark.skipif(not SOAK, reason="the real-size soak runs with NEWSWIRE_SOAK=1 (minutes)"),
              pytest.mark.timeout(900 * (SEQUENCES + 1))]


@pytest.fixture(scope="module")
def bench_site(tmp_path_factory):
    # Its stderr would only say that killed runs reset their connections.
    proc = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "benchsite.py"), "--pages", str(PAGES)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    origin = proc.stdout.readline().strip()
    sources = tmp_path_factory.mktemp("soak") / "sources.toml"
    sources.write_text(f'[crawler]\nobey_robots = true\n\n[[sources]]\nid = "bench"\n'
                       f'sitemaps = ["{origin}/sitemap.xml"]\nrequests_per_second = 0\nmax_in_flight = 8\n')
    try:
        yield sources
    finally:
        proc.kill()
        proc.wait()


@dataclass
class Sample:
    t: float
    archived: int  # bytes the run's WARC archive grew by
    db_open: bool
    wal: int  # size of the warehouse's WAL


class Watch:
    """One run seen from outside: its archive growing, the DuckDB file open, the WAL being written."""

    def __init__(self, db: Path, child: Child) -> None:
        self.db, self.child = db, child
        self.files = {str(db), f"{db}.wal"}
        self.before = self._archive()
        self.samples: list[Sample] = []

    def _archive(self) -> int:
        try:
            return sum(e.stat().st_size for e in os.scandir(self.db.parent / "archive"))
        except FileNotFoundError:
            return 0

    def _db_open(self) -> bool:
        try:
            fds = os.listdir(f"/proc/{self.child.pid}/fd")
        except OSError:
            return False
        for fd in fds:
            try:
                if os.readlink(f"/proc/{self.child.pid}/fd/{fd}") in self.files:
                    return True
            except OSError:
                continue
        return False

    def sample(self) -> Sample:
        try:
            wal = os.stat(f"{self.db}.wal").st_size
        except FileNotFoundError:
            wal = 0
        self.samples.append(Sample(time.monotonic() - self.child.started, self._archive() - self.before,
                                   self._db_open(), wal))
        return self.samples[-1]

    def until(self, condition, timeout: float = 900) -> Sample | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = self.sample()
            if condition(now):
                return now
            if self.child.poll(POLL_S) is not None:
                return None
        raise AssertionError(f"{self.child.log.name}: nothing happened in {timeout} s: {self.child.output()[-3000:]}")


def kill_in(watch: Watch, target: str, total_bytes: int, rng: random.Random) -> bool:
    """Wait for the target phase, SIGKILL the run's process group there; False if the run ended first.
    total_bytes: what the run will archive (its pages not stored yet), to aim within its fetching."""
    if target == "startup":
        hit = watch.until(lambda s: s.t >= rng.uniform(0.2, 3.0))
    elif target == "discovery":  # robots.txt and the sitemap: the first bytes archived
        hit = watch.until(lambda s: s.archived > 0)
    elif target == "fetch":
        at = rng.uniform(0.05, 0.7) * total_bytes
        hit = watch.until(lambda s: s.archived >= at)
    elif target == "load":  # at a random moment of a load after some fetching
        at = rng.uniform(0.1, 0.6) * total_bytes
        hit = watch.until(lambda s: s.archived >= at and s.db_open)
        if hit is not None:
            hit = watch.until(lambda s: s.t >= hit.t + rng.uniform(0, 0.5) or not s.db_open)
    elif target == "commit":  # a load's commit, once its WAL holds article_terms' rows and goes on growing
        at = rng.uniform(0.1, 0.6) * total_bytes
        wal = {"from": 0, "last": 0}

        def in_commit(s: Sample) -> bool:
            if s.wal <= wal["last"]:  # not growing: whatever grows next starts here
                wal["from"] = wal["last"] = s.wal
                return False
            wal["last"] = s.wal
            if s.archived < at or s.wal - wal["from"] < 256 * 1024:
                return False
            os.kill(watch.child.pid, signal.SIGSTOP)  # read the WAL at a standstill
            with open(f"{watch.db}.wal", "rb") as fh:
                fh.seek(wal["from"])
                data = fh.read()
            i = data.rfind(b"article_terms")
            if i >= 0 and len(data) - i > 64 * 1024:
                return True  # stays stopped until the SIGKILL
            os.kill(watch.child.pid, signal.SIGCONT)
            return False

        hit = watch.until(in_commit)
    else:  # finishing: every page archived, the last loads and partitions being written
        hit = watch.until(lambda s: s.archived >= 0.97 * total_bytes and s.db_open)
    if hit is None:
        return False
    os.killpg(watch.child.pid, signal.SIGKILL)
    return watch.child.wait() == -signal.SIGKILL


@dataclass
class State:
    """The warehouse right after a kill, as the next run's open finds it (WAL replayed)."""

    articles: int = 0
    orphan_terms: int = 0  # rows of a load that never committed (DuckDB's recovery bug)
    journal: int = 0  # loads killed before they committed

    @classmethod
    def of(cls, db: Path) -> "State":
        if not db.exists():
            return cls()
        con = duckdb.connect(str(db), read_only=True)
        try:
            if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'load_journal'").fetchone()[0]:
                return cls()
            return cls(*con.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_terms AS t WHERE NOT EXISTS "
                "(SELECT 1 FROM articles AS a WHERE a.article_id = t.article_id)), (SELECT count(*) FROM load_journal)"
            ).fetchone())
        finally:
            con.close()


def test_kill_sequences_at_real_size_end_equal_to_a_clean_run(prewarmed, prefect_server, bench_site, tmp_path):  # noqa: F811
    api, _ = prefect_server

    def ingest(db: Path):
        watch = Watch(db, None)
        watch.child = prewarmed.start(["ingest", "--sources-file", str(bench_site), "--db", str(db)], timeout=300)
        watch.before = watch._archive()
        return watch

    (tmp_path / "ref").mkdir()
    reference = tmp_path / "ref" / "wh.duckdb"
    clean = ingest(reference)
    clean.until(lambda s: False, timeout=1800)
    assert clean.child.wait() == 0, clean.child.output()[-4000:]
    total_bytes = clean.samples[-1].archived
    want = checksums(str(reference))
    assert want["articles"][0] >= 0.99 * PAGES, want["articles"]

    rng = random.Random(int(os.environ.get("NEWSWIRE_CRASH_SEED", "12")))
    kills: list[str] = []
    journaled = provoked = 0
    for sequence in range(SEQUENCES):
        folder = tmp_path / f"seq{sequence}"
        folder.mkdir()
        db = folder / "wh.duckdb"
        must_crash: list[int] = []
        landed = 0
        state = State()
        for target in TARGETS:
            # Each run fetches only the pages not stored yet: aim within that.
            left = max(0.02, 1 - state.articles / PAGES) * total_bytes
            victim = ingest(db)
            if kill_in(victim, target, int(left), rng):
                kills.append(target)
                landed += 1
                if claimed(db, victim.child.pid):
                    must_crash.append(victim.child.pid)
                state = State.of(db)
                journaled += state.journal > 0
                provoked += state.orphan_terms > 0
            else:
                assert victim.child.wait() == 0, victim.child.output()[-4000:]
                state = State.of(db)
        final = prewarmed.start(["ingest", "--sources-file", str(bench_site), "--db", str(db)])
        assert final.wait(timeout=1800) == 0, final.output()[-4000:]

        got = checksums(str(db))
        assert not differences(got, want), f"sequence {sequence}:\n" + "\n".join(differences(got, want))
        check = prewarmed.start(["check", "--db", str(db)])
        assert check.wait() == 0, check.output()
        con = duckdb.connect(str(db), read_only=True)
        assert con.execute("SELECT count(*) FROM ingest_partitions WHERE status = 'running'").fetchone() == (0,)
        con.close()
        states = flow_runs_of(api, db)
        crashed = sum(1 for s in states.values() if s == "CRASHED")
        running = sum(1 for s in states.values() if s == "RUNNING")
        # A run killed in the ~0.1 s between Prefect starting it and its first line left no trace to find.
        assert crashed >= len(must_crash) and running <= landed - len(must_crash), (states, must_crash, landed)
        print(f"sequence {sequence}: {landed} kills, {crashed} killed runs marked Crashed, {running} left Running "
              f"(killed before their first line); tables equal to the clean run")
    print(f"{len(kills)} kills in {SEQUENCES} sequences of {PAGES} pages, all equal to a clean run: {kills}; "
          f"{journaled} left a load half-done (journal), {provoked} of them with rows DuckDB recovered of it")
