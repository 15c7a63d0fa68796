"""One DuckDB file, several processes: newswire writers take turns, a foreign holder is waited for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import duckdb

from flows.ingest import ingest
from tests.conftest import LEXICON, ROOT, SEEDS
from warehouse.db import connect

INDEX = json.loads((SEEDS / "sample_site_expected" / "index.json").read_text("utf-8"))


def staged_batches(tmp_path) -> list:
    root = tmp_path / "staging" / "wh"
    return [b for f in root.iterdir() for b in f.iterdir() if b.is_dir()] if root.exists() else []


def newswire_bg(args: list[str], env: dict, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)


def test_nightly_and_backfill_together_both_finish_without_duplicates(prefect_server, demo_sources, tmp_path):
    api, home = prefect_server
    db = str(tmp_path / "wh.duckdb")
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "WARNING"}
    logs = [open(tmp_path / f"{n}.log", "w+") for n in ("nightly", "backfill")]
    procs = [newswire_bg(["ingest", "--sources-file", str(demo_sources), "--db", db], env, logs[0]),
             newswire_bg(["backfill", "--from", "2026-08-01", "--to", "2026-08-31", "--sources-file", str(demo_sources),
                          "--db", db], env, logs[1])]
    for proc, log in zip(procs, logs):
        assert proc.wait(timeout=400) == 0, (log.seek(0), log.read()[-4000:])
    con = duckdb.connect(db, read_only=True)
    total, distinct_ids, distinct_urls = con.execute(
        "SELECT count(*), count(DISTINCT article_id), count(DISTINCT url) FROM articles").fetchone()
    child_dupes = con.execute("SELECT count(*) - count(DISTINCT (article_id, section_index)) FROM article_sections"
                              ).fetchone()[0]
    fetch_dupes = con.execute("SELECT count(*) - count(DISTINCT (url, fetched_at, run_id)) FROM fetch_log").fetchone()[0]
    partition_dupes = con.execute("SELECT count(*) - count(DISTINCT (day, source_id)) FROM ingest_partitions"
                                  ).fetchone()[0]
    backfilled = con.execute("SELECT count(*) FROM ingest_partitions WHERE mode = 'fetch' AND status = 'complete'"
                             ).fetchone()[0]
    con.close()
    assert total == distinct_ids == distinct_urls == len(INDEX)  # the nightly took all; nothing lost or twice
    assert child_dupes == fetch_dupes == partition_dupes == 0
    assert backfilled == 31  # every day of August
    assert staged_batches(tmp_path) == []


def test_an_open_duckdb_shell_delays_a_nightly_but_loses_nothing(prefect_harness, demo_sources, tmp_path):
    db = str(tmp_path / "wh.duckdb")
    connect(db).close()  # an existing warehouse, as an analyst would have open
    ready = tmp_path / "holder.ready"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time, pathlib; con = duckdb.connect(sys.argv[1]); "
                               "pathlib.Path(sys.argv[2]).write_text('ready'); time.sleep(float(sys.argv[3]))",
                               db, str(ready), "60"])
    try:
        while not ready.exists():
            time.sleep(0.1)
        started = time.monotonic()
        blocked = ingest(str(demo_sources), db, lock_wait_seconds=2)
        assert time.monotonic() - started < 60  # bounded: it did not wait the holder out
        assert blocked["staged_pending"] > 0
        assert "stayed locked" in blocked["warehouse_message"] and "next run" in blocked["warehouse_message"]
        assert blocked["articles_extracted"] == len(INDEX)
        assert len(staged_batches(tmp_path)) == blocked["staged_pending"]
    finally:
        holder.kill()
        holder.wait()
    after = ingest(str(demo_sources), db)
    assert after["staged_pending"] == 0 and after["inserted"] == len(INDEX)
    assert after["pages_fetched"] == 0  # the staged batches carried the articles; nothing fetched again
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (len(INDEX),) * 2
    runs = {r for (r,) in con.execute("SELECT DISTINCT run_id FROM fetch_log").fetchall()}
    con.close()
    assert blocked["run_id"] in runs  # the blocked run's fetch log reached the warehouse too
    assert staged_batches(tmp_path) == []


def test_a_run_finds_dead_runs_by_their_staging_folders_and_releases_their_partitions(tmp_path):
    import logging
    from datetime import date

    from warehouse.staging import RunRecord, Stage
    from warehouse.loader import load_staged
    from warehouse.partitions import merge_partitions, partitions_frame

    db = str(tmp_path / "wh.duckdb")
    con = connect(db)
    merge_partitions(con, partitions_frame([
        {"day": date(2026, 8, d), "source_id": "s", "status": "running", "mode": "fetch", "flow_run_id": run}
        for d, run in ((1, "dead-run"), (2, "alive-run"), (3, "old-run"))]))
    con.close()
    # A run killed mid-way: its folder and run.json are there, nobody holds its lock.
    dead = Stage.beside(db, run=RunRecord.now("dead-run", "backfill", "fetch"))
    dead.claim()
    os.close(dead._owner_fd)  # as its process's death would
    dead._owner_fd = None
    alive = Stage.beside(db, run=RunRecord.now("alive-run", "backfill", "fetch"))
    alive.claim()  # a concurrent run, alive: holds its folder
    me = Stage.beside(db, run=RunRecord.now("me", "ingest", "nightly"))
    me.claim()

    report = load_staged(db, me, LEXICON, logging.getLogger("test"), startup=True)

    # "old-run" left no folder (it predates run records, or its folder was removed): not alive either.
    assert set(report.crashed_runs) == {"dead-run", "old-run"}
    con = duckdb.connect(db, read_only=True)
    rows = con.execute("SELECT day, status, note FROM ingest_partitions ORDER BY day").fetchall()
    con.close()
    assert [r[1] for r in rows] == ["pending", "running", "pending"]
    assert rows[0][2] == "flow run dead-run was killed while it worked on this partition"
    assert not dead.dir.exists(), "the dead run's folder, now empty, is gone"
    assert alive.dir.exists()
    alive.close()
    me.close()


def test_a_load_takes_its_staged_batches_in_transactions_of_bounded_articles(tmp_path, monkeypatch):
    """Batches staged together load in order, in groups of at most MAX_ARTICLES_PER_LOAD articles (a
    bigger batch alone): what a load holds at once does not grow with the size of the run's batches."""
    import logging

    import warehouse.loader as loader
    from tests.test_trends import extract_all
    from transforms.normalise import normalise
    from warehouse.staging import RunRecord, Stage

    articles = extract_all()
    batches = [normalise(articles[i : i + n], extractor_version="t", lexicon=LEXICON)
               for i, n in ((0, 4), (4, 3), (7, 9), (16, 2), (18, 2))]
    db = str(tmp_path / "wh.duckdb")
    stage = Stage.beside(db, run=RunRecord.now("me", "ingest", "manual"))
    for batch in batches:
        stage.put(batch=batch)
    groups = []
    combined = loader._combined
    monkeypatch.setattr(loader, "MAX_ARTICLES_PER_LOAD", 8)
    monkeypatch.setattr(loader, "_combined", lambda s, paths, lexicon: groups.append(
        [s.articles_in(p) for p in paths]) or combined(s, paths, lexicon))

    report = loader.load_staged(db, stage, LEXICON, logging.getLogger("test"), startup=True)
    stage.close()

    assert groups == [[4, 3], [9], [2, 2]]
    assert report.batches_loaded == 5 and report.inserted == 20
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 20
    con.close()
