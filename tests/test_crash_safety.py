"""SIGKILL at random moments: the warehouse ends up equal to one from a single clean run.

NEWSWIRE_SOAK=1 runs many more kills (a longer soak than the normal suite can afford).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import json
import shutil

import duckdb
import pytest

from flows.demo_site import serve_site
from tests.conftest import ROOT, SEEDS

INDEX = json.loads((SEEDS / "sample_site_expected" / "index.json").read_text("utf-8"))

KILLS = 50 if os.environ.get("NEWSWIRE_SOAK") else 10
# A site of 20 sample articles: a run long enough to be killed in every phase, short
# enough for ten kills and reruns in the normal suite (the soak uses all of them).
ARTICLES = 47 if os.environ.get("NEWSWIRE_SOAK") else 20
# Tables that log what happened (every run adds to them) and crawl bookkeeping whose
# timestamps move with every run; all the others must equal a clean run's exactly.
LOGS = {"fetch_log", "url_state", "discovered_urls", "ingest_partitions", "schema_migrations"}
VOLATILE = ("_at", "run_id")


def newswire(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def finish(proc: subprocess.Popen) -> None:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out.decode()[-3000:] + err.decode()[-3000:]


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


@pytest.fixture
def small_sources(tmp_path):
    """The first ARTICLES sample articles behind one RSS feed, served on 127.0.0.1."""
    root = tmp_path / "site"
    entries = INDEX[:ARTICLES]
    for entry in entries:
        rel = entry["path"].strip("/")
        shutil.copytree(SEEDS / "sample_site" / rel, root / rel)
    (root / "index.html").write_text("<html><body>home</body></html>")
    (root / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' + "".join(
        f"<item><title>x</title><link>{e['url']}</link></item>" for e in entries) + "</channel></rss>")
    with serve_site(root) as origin:
        path = tmp_path / "sources.toml"
        path.write_text(f'[[sources]]\nid = "small"\nfeeds = ["{origin}/feed.xml"]\nrequests_per_second = 0\n')
        yield path


def test_sigkill_during_ingest_loses_and_duplicates_nothing(prefect_server, small_sources, tmp_path):
    api, home = prefect_server
    # Extraction in the ingest process itself: two spawned workers per run would double the
    # cost of twenty short runs; the SIGKILL still lands in fetch, extraction and load.
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "WARNING",
           "NEWSWIRE_EXTRACT_WORKERS": "0"}
    demo_sources = small_sources
    reference, crashed = str(tmp_path / "ref.duckdb"), str(tmp_path / "crash.duckdb")
    started = time.monotonic()
    finish(newswire(["ingest", "--sources", str(demo_sources), "--db", reference], env))
    clean_run = time.monotonic() - started

    rng = random.Random(int(os.environ.get("NEWSWIRE_CRASH_SEED", "7")))
    for _ in range(KILLS):
        # --refetch makes every killed run fetch, extract and load everything again, so the
        # kills land in all phases; the delay spans a whole run.
        victim = newswire(["ingest", "--sources", str(demo_sources), "--db", crashed, "--refetch"], env)
        time.sleep(rng.uniform(0.2, clean_run))
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        finish(newswire(["ingest", "--sources", str(demo_sources), "--db", crashed], env))

    want, got = content(reference), content(crashed)
    assert set(got) == set(want)
    for table in want:
        assert got[table] == want[table], f"{table} differs from a clean run"
    con = duckdb.connect(crashed, read_only=True)
    assert con.execute("SELECT count(*) - count(DISTINCT article_id) FROM articles").fetchone() == (0,)
    assert con.execute("SELECT count(*) - count(DISTINCT (day, source_id)) FROM ingest_partitions").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM ingest_partitions WHERE status NOT IN ('complete', 'pending')"
                       ).fetchone() == (0,)
    con.close()


def test_backfill_killed_half_way_resumes_with_only_missing(prefect_server, demo_sources, tmp_path):
    api, home = prefect_server
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "WARNING"}
    db = str(tmp_path / "wh.duckdb")
    args = ["backfill", "--from", "2026-08-01", "--to", "2026-08-16", "--sources", str(demo_sources), "--db", db]
    victim = newswire(args, env)
    deadline = time.monotonic() + 240
    done_before: dict = {}
    while time.monotonic() < deadline and len(done_before) < 4:  # wait until some partitions are complete
        time.sleep(1)
        done_before = complete_partitions(db)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    assert 0 < len(done_before) < 16, "the kill must land half-way for this test to mean anything"
    done_before = complete_partitions(db)
    finish(newswire(args, env))
    after = complete_partitions(db)
    assert len(after) == 16
    for key, run_id in done_before.items():
        assert after[key] == run_id, f"partition {key} was redone"


def complete_partitions(db: str) -> dict:
    """Complete partitions and their run ids, read under newswire's writer lock (DuckDB admits one process)."""
    from flows.writer import writer_lock

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
