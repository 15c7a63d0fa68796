"""The warehouse on DuckLake (catalog in the session's real PostgreSQL, data files in a folder or on moto's
S3): the same pages give the same tables and macro answers as a single file; writers in separate
processes race into one lake and lose nothing; a writer SIGKILLed during its commit leaves nothing, and
its rerun loads what it had staged; a single file migrates into a lake whole."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.settings import Settings
from tests import lakekit
from tests.conftest import ROOT
from warehouse.db import connect
from warehouse.staging import Stage
from warehouse.lake import LakeTarget, analyst_macros_sql, analyst_preamble, extension_paths

# The differential load: new articles, a batch overlapping them (unchanged ones), edits (updates).
SPECS = [(0, 30, ""), (25, 50, ""), (5, 10, " (updated)")]


def load_file(path: Path, specs) -> None:
    lakekit.load(str(path), [lakekit.batch(*s) for s in specs], path.parent / "staging-file")


def assert_equal(file_con, lake_con) -> None:
    want, got = lakekit.checksums(file_con), lakekit.checksums(lake_con)
    assert set(want) == set(got), "the lake has the single file's tables"
    assert [t for t in want if want[t] != got[t]] == [], {t: (want[t], got[t]) for t in want if want[t] != got[t]}
    assert want["articles"][0] > 0 and want["daily_entity_counts"][0] > 0
    expected, answered = lakekit.macro_outputs(file_con), lakekit.macro_outputs(lake_con)
    for name, _ in lakekit.MACRO_QUERIES:
        assert answered[name] == expected[name], name
    assert all(expected[name] for name in ("trend", "top_entities", "search", "kwic")), "the queries found something"


def cli(args: list[str], env: dict | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def lake_env(target: LakeTarget) -> dict:
    env = {"NEWSWIRE_WAREHOUSE": target.url, "NEWSWIRE_WAREHOUSE_DATA_PATH": target.data_path or "",
           "NEWSWIRE_WAREHOUSE_STAGING": target.staging}
    if target.s3_endpoint:
        env.update(NEWSWIRE_S3_ENDPOINT=target.s3_endpoint, NEWSWIRE_S3_KEY_ID=target.s3_key_id,
                   NEWSWIRE_S3_SECRET=target.s3_secret, NEWSWIRE_S3_USE_SSL="false")
    return env


def analyst_session(target: LakeTarget) -> duckdb.DuckDBPyConnection:
    """What `newswire warehouse analyst` tells an analyst's own DuckDB to run, in a plain DuckDB with none
    of newswire's functions (the CLI's `.read` done by hand: there is no CLI binary here)."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    for line in analyst_preamble(target).splitlines():
        if line.startswith(".read "):
            for statement in duckdb.extract_statements(Path(line.split(" ", 1)[1]).read_text("utf-8")):
                con.execute(statement)
        else:
            con.execute(line)
    return con


def test_lake_macros_file_is_generated_from_the_schema_files():
    shipped = (ROOT / "warehouse" / "lake_macros.sql").read_text("utf-8")
    assert shipped == analyst_macros_sql(), "run: python -c 'from warehouse.lake import analyst_macros_sql; " \
                                            "open(\"warehouse/lake_macros.sql\", \"w\").write(analyst_macros_sql())'"
    assert "MACRO trend(" in shipped and "MACRO search(" not in shipped


def test_one_setting_chooses_the_lake_and_the_single_file_stays_the_default(tmp_path):
    assert Settings.load(env={}).target() == Settings.db
    config = tmp_path / "newswire.toml"
    config.write_text('[warehouse]\nurl = "ducklake:postgres:dbname=news host=db.internal port=5432"\n'
                      'data_path = "s3://bucket/news/"\ns3_endpoint = "minio:9000"\ns3_use_ssl = false\n', "utf-8")
    target = Settings.load(env={"NEWSWIRE_CONFIG": str(config), "NEWSWIRE_S3_SECRET": "sekrit-42"}).target()
    assert target == LakeTarget("ducklake:postgres:dbname=news host=db.internal port=5432", "s3://bucket/news/",
                                s3_endpoint="minio:9000", s3_key_id="", s3_secret="sekrit-42", s3_use_ssl=False)
    assert "sekrit-42" not in repr(target) and "s3_secret=***" in Settings.load(
        env={"NEWSWIRE_CONFIG": str(config), "NEWSWIRE_S3_SECRET": "sekrit-42"}).describe()
    # The environment wins over the file.
    assert Settings.load(env={"NEWSWIRE_CONFIG": str(config), "NEWSWIRE_WAREHOUSE": "ducklake:x"}).target().url \
        == "ducklake:x"
    config.write_text('[warehouse]\nurll = "x"\n', "utf-8")
    with pytest.raises(ValueError, match="unknown \\[warehouse\\] key"):
        Settings.load(env={"NEWSWIRE_CONFIG": str(config)})


@pytest.mark.parametrize("store", ["folder", "s3"])
def test_the_same_pages_give_equal_tables_and_macro_answers_on_a_file_and_a_lake(store, postgres, request,
                                                                                  tmp_path):
    s3 = request.getfixturevalue("s3") if store == "s3" else None
    target = lakekit.lake(postgres, tmp_path / "lake", s3=s3)
    file = tmp_path / "file" / "wh.duckdb"
    load_file(file, SPECS)
    report = lakekit.load(target, [lakekit.batch(*s) for s in SPECS], Path(target.staging))
    assert (report.inserted, report.updated) == (50, 5)
    file_con, lake_con = connect(file, read_only=True), connect(target, read_only=True)
    try:
        assert_equal(file_con, lake_con)
        files = lake_con.execute("SELECT count(*) FROM ducklake_list_files('wh', 'articles')").fetchone()[0]
        assert files > 0
        if s3 is not None:  # the data files really are in the bucket
            assert lake_con.execute(f"SELECT count(*) FROM glob('s3://{s3.bucket}/{target.data_path.split('/', 3)[3]}**')"
                                    ).fetchone()[0] >= files
        else:
            assert list((tmp_path / "lake" / "data").rglob("*.parquet"))
        trend_sql = lakekit.MACRO_QUERIES[1][1]
        expected = file_con.execute(trend_sql).fetchall()
    finally:
        file_con.close()
        lake_con.close()
    # newswire sql and trends on the configured lake answer as on the file; so does an analyst's own DuckDB.
    query = "SELECT entity_id, sum(articles) FROM trend(['pakistan', 'india'], 'month', DATE '2020-01-01', " \
            "DATE '2030-12-31') GROUP BY ALL ORDER BY ALL"
    assert cli(["sql", query, "--db", str(file)]) == cli(["sql", query], lake_env(target))
    trends = ["trends", "pakistan", "india", "--grain", "month"]
    assert cli([*trends, "--db", str(file)]) == cli(trends, lake_env(target))
    analyst = analyst_session(target)
    try:
        assert analyst.execute(trend_sql).fetchall() == expected
    finally:
        analyst.close()


def writer(target: LakeTarget, stage_root: Path, specs, go: Path | None = None) -> subprocess.Popen:
    args = [sys.executable, "-m", "tests.lake_writer", json.dumps(dataclasses.asdict(target)), str(stage_root),
            json.dumps(specs)] + ([str(go)] if go else [])
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-4000:]
    return json.loads(out.strip().splitlines()[-1])


def test_three_writers_racing_into_one_lake_lose_nothing_and_double_nothing(postgres, tmp_path):
    """Three processes with their own staging folders load overlapping pages (each overlaps the next by
    15 articles) and edits at once. Every load bumps the lake's version in its transaction, so racing
    loads conflict and retry; the lake must then equal a serial load in the order the loads committed."""
    target = lakekit.lake(postgres, tmp_path / "lake")
    connect(target).close()  # created before the race (a race on creation is retried too, but slower)
    specs = [[[40 * w, 40 * w + 55, ""], [40 * w + 20, 40 * w + 25, " (updated)"]] for w in range(3)]
    go = tmp_path / "go"
    procs = [writer(target, tmp_path / f"machine-{w}" / "staging", specs[w], go) for w in range(3)]
    for proc in procs:
        assert json.loads(proc.stdout.readline()) == {"ready": True}
    go.touch()
    results = [result(p) for p in procs]
    assert sum(r["conflicts"] for r in results) > 0, "the writers raced: some commits lost and were retried"
    versions = sorted(v for r in results for v in r["versions"])
    assert versions == list(range(1, 7)), "each of the six loads committed once"
    assert sum(r["inserted"] for r in results) == 135, "each of the 135 distinct articles inserted once"
    for w in range(3):
        assert not [p for p in (tmp_path / f"machine-{w}" / "staging").rglob("*.parquet")], "nothing left staged"
    order = sorted((v, w, i) for w, r in enumerate(results) for i, v in enumerate(r["versions"]))
    serial = tmp_path / "serial" / "wh.duckdb"
    load_file(serial, [specs[w][i] for _, w, i in order])
    file_con, lake_con = connect(serial, read_only=True), connect(target, read_only=True)
    try:
        assert_equal(file_con, lake_con)
        assert lake_con.execute("SELECT count(*) - count(DISTINCT article_id) FROM articles").fetchone()[0] == 0
    finally:
        file_con.close()
        lake_con.close()


def _in_commit(pg: duckdb.DuckDBPyConnection, database: str) -> bool:
    """Whether a writer's DuckLake commit is under way: DuckLake writes its catalog only when it commits,
    so a PostgreSQL transaction on the lake's database that holds an xid (has written) is one."""
    sql = (f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND backend_xid IS NOT NULL "
           f"AND pid <> pg_backend_pid()")
    return pg.execute(f"SELECT * FROM postgres_query('pg', $${sql}$$)").fetchone()[0] > 0


# DuckLake inserts one ducklake_snapshot row per commit, inside the commit's PostgreSQL transaction.
SLOW_COMMIT = """
CREATE FUNCTION newswire_test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM pg_sleep(1.5); RETURN NEW; END $$;
CREATE TRIGGER newswire_test_slow_commit AFTER INSERT ON ducklake_snapshot
FOR EACH ROW EXECUTE FUNCTION newswire_test_slow_commit();
"""


@pytest.mark.parametrize("moment", ["writing", "committing"])
def test_a_writer_killed_mid_load_leaves_all_or_nothing_and_its_rerun_loads_it(moment, postgres, tmp_path):
    """SIGKILL a writer while it writes its data files (before its commit), or while its catalog commit
    is in flight in PostgreSQL. DuckLake sends the commit as one PostgreSQL transaction: it lands whole
    or not at all (never part of a load), data files of a load that did not land are never read, and the
    batch stays staged until a commit lands, so the rerun leaves the lake equal to a clean load."""
    database = f"lake_kill_{moment}_{os.getpid()}"
    target = lakekit.lake(postgres, tmp_path / "lake", name=database)
    lakekit.load(target, [lakekit.batch(0, 20)], tmp_path / "first")
    if moment == "committing":
        # A commit takes milliseconds, too short to be seen reliably by polling: a trigger holds every
        # later commit in PostgreSQL for a moment (after its first write), so the kill lands inside one.
        postgres.execute(database, SLOW_COMMIT)
    data = tmp_path / "lake" / "data"
    files_before = len(list(data.rglob("*.parquet")))
    pg = duckdb.connect()
    pg.execute(f"LOAD '{extension_paths()['postgres_scanner']}'")
    pg.execute(f"ATTACH '{postgres.dsn('postgres')}' AS pg (TYPE postgres, READ_ONLY)")
    stage_root = tmp_path / "machine" / "staging"

    def now() -> bool:
        if moment == "writing":
            return len(list(data.rglob("*.parquet"))) > files_before + 2  # its data files are being written
        return _in_commit(pg, database)

    killed = False
    try:
        stage = Stage(stage_root)
        stage.put(batch=lakekit.batch(20, 140))
        stage.close()  # as a writer that died after staging: the next one adopts its batch
        proc = writer(target, stage_root, [])
        deadline = time.monotonic() + 600
        while proc.poll() is None and time.monotonic() < deadline:
            if now():
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                killed = True
                break
            time.sleep(0.001)
        proc.communicate(timeout=60)
        assert killed, f"the writer finished before it was seen {moment}"
        lake_con = connect(target, read_only=True)
        try:
            version, articles = lake_con.execute(
                "SELECT (SELECT version FROM warehouse_version), (SELECT count(*) FROM articles)").fetchone()
        finally:
            lake_con.close()
        assert (version, articles) in ((1, 20), (2, 140)), "all of the load or none of it"
        if moment == "writing":
            assert (version, articles) == (1, 20), "killed before its commit: nothing landed"
        assert list(stage_root.rglob("*.parquet")), "the batch stays staged until a rerun loads it"
        rerun = result(writer(target, stage_root, []))
        assert rerun["batches"] == 1 and rerun["inserted"] == (120 if version == 1 else 0)
        assert not list(stage_root.rglob("*.parquet"))
    finally:
        pg.close()
    clean = tmp_path / "clean" / "wh.duckdb"
    load_file(clean, [(0, 20, ""), (20, 140, "")])
    file_con, lake_con = connect(clean, read_only=True), connect(target, read_only=True)
    try:
        assert_equal(file_con, lake_con)
    finally:
        file_con.close()
        lake_con.close()


def test_warehouse_migrate_copies_a_single_file_into_a_lake_whole(postgres, tmp_path):
    file = tmp_path / "file" / "wh.duckdb"
    load_file(file, SPECS)
    database = f"lake_migrate_{os.getpid()}"
    postgres.create_database(database)
    url = f"ducklake:postgres:{postgres.dsn(database)}"
    out = cli(["warehouse", "migrate", "--to", url, "--data-path", f"{tmp_path}/lake/", "--db", str(file)])
    assert "row counts equal on both sides" in out
    target = LakeTarget(url, staging=str(tmp_path / "staging"))
    file_con, lake_con = connect(file, read_only=True), connect(target, read_only=True)
    try:
        tables = [t for (t,) in file_con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()]
        for table in tables:
            if table != "schema_migrations":
                assert (file_con.execute(f"SELECT count(*) FROM {table}").fetchone()
                        == lake_con.execute(f"SELECT count(*) FROM {table}").fetchone()), table
        assert_equal(file_con, lake_con)
    finally:
        file_con.close()
        lake_con.close()
    # A second migrate into the same lake is refused, naming the fix.
    done = subprocess.run([sys.executable, "-m", "flows.cli", "warehouse", "migrate", "--to", url, "--data-path",
                           f"{tmp_path}/lake/", "--db", str(file)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "already holds" in done.stderr and "new, empty" in done.stderr


def test_racing_claims_on_one_partition_give_it_to_one_worker(postgres, tmp_path):
    """Four workers (each its own DuckDB, as on its own machine) claim one partition at once: one gets it."""
    import threading
    from datetime import date

    from warehouse.claims import claim, release

    target = lakekit.lake(postgres, tmp_path / "lake")
    cons = [connect(target) for _ in range(4)]
    start, results = threading.Barrier(4), {}

    def work(i: int) -> None:
        start.wait()
        results[i] = claim(cons[i], date(2026, 8, 2), "sample", f"worker-{i}", 600)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [i for i, holder in results.items() if holder is None]
    assert len(winners) == 1, results
    assert {holder for holder in results.values() if holder is not None} == {f"worker-{winners[0]}"}
    assert claim(cons[winners[0]], date(2026, 8, 2), "sample", f"worker-{winners[0]}", 600) is None, "renewed"
    release(cons[winners[0]], date(2026, 8, 2), "sample", f"worker-{winners[0]}")
    loser = (winners[0] + 1) % 4
    assert claim(cons[loser], date(2026, 8, 2), "sample", f"worker-{loser}", 0) is None, "free once released"
    assert claim(cons[winners[0]], date(2026, 8, 2), "sample", "late", 600) is None, "a lapsed claim holds nothing"
    for con in cons:
        con.close()


def test_a_backfill_on_a_lake_leaves_partitions_claimed_by_another_worker(postgres, prefect_harness, sample_site,
                                                                          tmp_path, monkeypatch):
    from datetime import date, datetime, timedelta, timezone

    from flows.backfill import backfill
    from flows.cli.demo_site import demo_sources_toml

    target = lakekit.lake(postgres, tmp_path / "lake")
    for name, value in lake_env(target).items():
        monkeypatch.setenv(name, value)
    sources = tmp_path / "sources.toml"
    sources.write_text(demo_sources_toml(sample_site), "utf-8")
    con = connect(target)
    expires = datetime.now(timezone.utc) + timedelta(hours=1)
    con.execute("INSERT INTO partition_claims VALUES (DATE '2026-08-02', 'sample', 'worker-elsewhere', "
                "current_timestamp, ?)", [expires])
    con.close()
    summary = backfill(date(2026, 8, 1), 3, sources_file=str(sources), db=str(tmp_path / "unused.duckdb"))
    assert summary["partitions_claimed_elsewhere"] == 1 and summary["partitions_complete"] == 2
    assert not (tmp_path / "unused.duckdb").exists(), "everything went to the lake"
    con = connect(target, read_only=True)
    try:
        rows = con.execute("SELECT day, status FROM ingest_partitions WHERE day BETWEEN DATE '2026-08-01' "
                           "AND DATE '2026-08-03' AND status <> 'pending' ORDER BY day").fetchall()
        claims = con.execute("SELECT day, owner FROM partition_claims").fetchall()
    finally:
        con.close()
    assert rows == [(date(2026, 8, 1), "complete"), (date(2026, 8, 3), "complete")]
    assert claims == [(date(2026, 8, 2), "worker-elsewhere")], "the run released its own claims"
