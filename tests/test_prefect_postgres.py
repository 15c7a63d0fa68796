"""Production Prefect, for real: a `prefect server start` whose database is PostgreSQL (tests/services.py),
the deployments of deployments/prefect.yaml deployed with `prefect deploy` to a process work pool, two
`prefect worker start` processes, and the nightly and a backfill started together. docs/scaling.md
describes this setup; these are the commands it gives."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import duckdb
import httpx

from flows.cli.serve import stop, wait_healthy
from tests.conftest import ROOT, free_port
from tests.test_prefect_server import wait_for_run

POOL = "newswire"  # the pool deployments/prefect.yaml names


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def test_nightly_and_backfill_at_once_on_two_workers_with_prefect_on_postgres(postgres, demo_sources, tmp_path):
    database = postgres.create_database("prefect_pg_test")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    db = tmp_path / "wh.duckdb"
    prefect = [sys.executable, "-m", "prefect"]
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": api,
           "PREFECT_API_DATABASE_CONNECTION_URL": postgres.url(database, driver="postgresql+asyncpg"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PREFECT_UI_API_URL": api, "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_WORKER_PREFETCH_SECONDS": "2",
           "NEWSWIRE_HOME": str(ROOT), "NEWSWIRE_DB": str(db), "NEWSWIRE_SOURCES": str(demo_sources),
           "PYTHONPATH": str(ROOT)}
    with ExitStack() as stack:
        server = _start(prefect + ["server", "start", "--host", "127.0.0.1", "--port", str(port)], env,
                        tmp_path / "server.log")
        stack.callback(stop, server)
        try:
            wait_healthy(api, server, timeout=180)
        except RuntimeError as exc:
            raise AssertionError(f"{exc}\n{(tmp_path / 'server.log').read_text()[-3000:]}") from exc

        def cli(*args: str) -> str:
            done = subprocess.run(prefect + ["--no-prompt", *args], env=env, cwd=ROOT, capture_output=True,
                                  text=True, timeout=300)
            assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            return done.stdout

        cli("work-pool", "create", POOL, "--type", "process")
        cli("deploy", "--all", "--prefect-file", "deployments/prefect.yaml")
        # One flow run at a time each: two runs at once must be on two workers.
        workers = {name: _start(prefect + ["worker", "start", "--pool", POOL, "--name", name, "--limit", "1"],
                                env, tmp_path / f"{name}.log") for name in ("worker-a", "worker-b")}
        for proc in workers.values():
            stack.callback(stop, proc)

        def deployment(name: str) -> str:
            response = httpx.get(f"{api}/deployments/name/{name}", timeout=30)
            assert response.status_code == 200, response.text
            return response.json()["id"]

        runs = {}
        for name, parameters in (("ingest/nightly", {}),
                                 ("backfill/backfill", {"first_day": "2026-08-01", "days": 3,
                                                        "source_ids": ["sample"]})):
            created = httpx.post(f"{api}/deployments/{deployment(name)}/create_flow_run",
                                 json={"parameters": parameters}, timeout=30)
            assert created.status_code == 201, created.text
            runs[name] = created.json()["id"]
        finished = {name: wait_for_run(api, run_id, timeout=400) for name, run_id in runs.items()}
        logs = {name: (tmp_path / f"{name}.log").read_text("utf-8", "replace") for name in workers}

    for name, run in finished.items():
        assert run["state_type"] == "COMPLETED", (name, run["state"], logs)
    # Each worker took one of the two runs: its log names the run it submitted.
    ran_on = {name: {w for w, text in logs.items() if run_id in text} for name, run_id in runs.items()}
    assert ran_on["ingest/nightly"] and ran_on["backfill/backfill"], (ran_on, logs)
    assert ran_on["ingest/nightly"] != ran_on["backfill/backfill"], ran_on
    nightly, backfill = finished["ingest/nightly"], finished["backfill/backfill"]
    assert nightly["start_time"] < backfill["end_time"] and backfill["start_time"] < nightly["end_time"]
    # What they loaded, into the one warehouse both wrote (through its writer lock).
    con = duckdb.connect(str(db), read_only=True)
    articles = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
    # Rows a run recorded as its own partitions; 'pending' rows are days that merely received articles from
    # a run's loads (which days depends on which run loaded a page first).
    partitions = dict(con.execute("SELECT flow_run_id, count(*) FROM ingest_partitions WHERE status <> 'pending' "
                                  "GROUP BY ALL").fetchall())
    con.close()
    assert articles == (47, 47)  # every sample article once, whichever run loaded it
    assert partitions.get(runs["backfill/backfill"]) == 3 and partitions.get(runs["ingest/nightly"], 0) >= 1
    # The server kept its state in PostgreSQL: both runs are rows of its flow_run table there.
    stored = psql(postgres, database, "SELECT id || ' ' || state_type FROM flow_run")
    assert {f"{runs[n]} COMPLETED" for n in runs} <= set(stored.splitlines()), stored


def psql(postgres, database: str, sql: str) -> str:
    from tests.services import _pg_bin

    done = subprocess.run([_pg_bin("psql"), "-h", postgres.host, "-p", str(postgres.port), "-U", postgres.user,
                           "-d", database, "-tAc", sql], capture_output=True, text=True, check=True)
    return done.stdout
