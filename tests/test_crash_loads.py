"""A load killed while DuckDB commits it: the warehouse afterwards equals one loaded cleanly.

Why this needs its own test. DuckDB (1.5.5) writes the rows a transaction appends to a table straight to
the database file once they pass a row group (122,880 rows): "optimistic writes". At commit it writes
the transaction to the WAL, and for such a table only a pointer to those rows (ROW_GROUP_DATA); the end
marker of the commit comes last, after the other tables' rows. WAL replay merges pointed-to rows into
their table at once, so when the process dies after that pointer reached the WAL but before the end
marker, the recovered warehouse holds those rows although their transaction never committed
(duckdb/duckdb#25931). A load of ~800 sample articles appends ~150,000 article_terms rows, and the
articles' own text comes after them in the WAL, so a kill while the WAL grows leaves term rows without
their articles; the batch is still staged, and loading it again appended its terms a second time.

Here the real load step (warehouse.loader.load_staged, in tests/load_step.py) runs in its own process on a real
DuckDB file; the test watches the file's WAL, stops the process once the WAL holds article_terms'
rows and is still being written, and SIGKILLs it. Opening the file then shows the orphaned term rows
(the test requires that, so it proves it provoked the state), and the next load must leave every table
equal to a load that was never killed.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from benchmarks.benchsite import page_path, render
from warehouse.staging import Stage
from tests.checksums import checksums, differences
from tests.conftest import LEXICON, ROOT
from transforms.extract import EXTRACTOR_VERSION, extract_article
from transforms.normalise import normalise
from warehouse.db import connect
from warehouse.load import load_batch

ORIGIN = "http://127.0.0.1:1"
SAMPLES = 47
# ~190 term rows per article: 800 articles put ~150,000 rows into article_terms in one load, past
# DuckDB's row group (122,880 rows), as the 800-article background loads did.
ARTICLES = 800
ROW_GROUP = 122_880
ATTEMPTS = 8  # kills tried until one lands inside the commit (the first almost always does)


def variants(n: int) -> list:
    """n distinct articles: the 47 sample pages as the bench site serves them, then copies of them
    under the bench site's other URLs and headlines (as benchmarks/benchsite.py varies them)."""
    base = [extract_article(render(i, ORIGIN), f"{ORIGIN}{page_path(i)}", source_id="bench") for i in range(SAMPLES)]
    out = []
    for i in range(n):
        a = base[i % SAMPLES]
        url = f"{ORIGIN}{page_path(i)}"
        out.append(a if i < SAMPLES else dataclasses.replace(a, url=url, canonical_url=url,
                                                              headline=f"{a.headline} [{i}]"))
    return out


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    """(base, clean): a warehouse holding the 47 sample articles, and the same after a clean load of
    the big batch; plus the big batch itself."""
    folder = tmp_path_factory.mktemp("loads")
    articles = variants(SAMPLES + ARTICLES)
    first = normalise(articles[:SAMPLES], extractor_version=EXTRACTOR_VERSION, lexicon=LEXICON)
    big = normalise(articles[SAMPLES:], extractor_version=EXTRACTOR_VERSION, lexicon=LEXICON)
    assert big.terms.height > ROW_GROUP, "the batch must pass DuckDB's row group to be written optimistically"
    base = folder / "base" / "wh.duckdb"
    base.parent.mkdir()
    con = connect(base)
    load_batch(con, first)
    con.execute("CHECKPOINT")
    con.close()
    clean = folder / "clean" / "wh.duckdb"
    clean.parent.mkdir()
    shutil.copy(base, clean)
    stage_and_load(clean, big)
    return base, clean, big


def stage(db: Path, batch) -> None:
    """Stage the batch beside db as a run does, and leave it as a dead run's (the next load adopts it)."""
    s = Stage.beside(db)
    s.put(batch=batch)
    s.close()


def load_step(db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.load_step", str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stage_and_load(db: Path, batch) -> None:
    stage(db, batch)
    finish(load_step(db))


def finish(proc: subprocess.Popen) -> str:
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out[-4000:]
    return out


def kill_during_commit(db: Path, proc: subprocess.Popen) -> bool:
    """SIGKILL the load once its commit has put article_terms into the WAL and is still writing it.

    The process is stopped (SIGSTOP) to read the WAL at a standstill; if the terms are not in it yet,
    it goes on. False when the load finished first."""
    wal = Path(f"{db}.wal")
    deadline = time.monotonic() + 600  # a load of 800 articles takes seconds; a hung one fails the test
    while proc.poll() is None:
        assert time.monotonic() < deadline, "the load step neither finished nor reached its commit in 600 s"
        try:
            size = wal.stat().st_size
        except FileNotFoundError:
            size = 0
        if size > 256 * 1024:  # the commit is writing the WAL (the load writes nothing there before)
            os.kill(proc.pid, signal.SIGSTOP)
            data = wal.read_bytes()
            at = data.rfind(b"article_terms")
            if at >= 0 and len(data) - at > 64 * 1024:  # its entry complete, the articles' rows still coming
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
            os.kill(proc.pid, signal.SIGCONT)
        time.sleep(0.0002)
    return False


def orphan_terms(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)  # replays the WAL as any later open does
    try:
        return con.execute("SELECT count(*) FROM article_terms AS t WHERE NOT EXISTS "
                           "(SELECT 1 FROM articles AS a WHERE a.article_id = t.article_id)").fetchone()[0]
    finally:
        con.close()


def test_load_killed_in_its_commit_then_reloaded_equals_a_clean_load(warehouses, tmp_path):
    base, clean, big = warehouses
    db = tmp_path / "wh.duckdb"
    for attempt in range(1, ATTEMPTS + 1):
        for leftover in (db, Path(f"{db}.wal"), tmp_path / "staging"):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink(missing_ok=True)
        shutil.copy(base, db)
        stage(db, big)
        killed = kill_during_commit(db, load_step(db))
        if killed and orphan_terms(db) > 0:
            break
    else:
        # Either the kills missed the commit, or this DuckDB no longer recovers uncommitted rows (1.5.5 and
        # 1.5.6 do; see "DuckDB version" in the README): then revisit that decision, and this test.
        pytest.fail(f"no kill in {ATTEMPTS} attempts left uncommitted term rows behind (duckdb "
                    f"{duckdb.__version__}): the test provoked nothing")
    print(f"attempt {attempt}: {orphan_terms(db)} term rows of an uncommitted load recovered")

    # The next run's load: it finds the killed load in the journal and undoes it, then loads the batch,
    # which is still staged, again.
    out = finish(load_step(db))
    assert "1 load(s) killed before they committed" in out, out

    want, got = checksums(str(clean)), checksums(str(db))
    assert not differences(got, want), "\n".join(differences(got, want))
