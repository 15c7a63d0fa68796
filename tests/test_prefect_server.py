"""End to end on a real Prefect server: `newswire serve`, a backfill started as the UI's Custom run does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import httpx
import pytest

from tests.conftest import ROOT

TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@pytest.fixture
def served(prefect_server, sample_site, tmp_path):
    """`newswire serve` against the running server, for the sample site and a fresh warehouse."""
    from flows.cli import demo_sources_toml

    api, home = prefect_server
    sources = tmp_path / "sources.toml"
    sources.write_text(demo_sources_toml(sample_site), "utf-8")
    db = tmp_path / "wh.duckdb"
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "NEWSWIRE_DB": str(db),
           "NEWSWIRE_SOURCES": str(sources), "PREFECT_RUNNER_POLL_FREQUENCY": "2",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--sources", str(sources), "--db", str(db)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deployment = wait_for_deployment(api, "backfill/backfill", proc, tmp_path / "serve.log")
        yield api, deployment, db, tmp_path / "serve.log"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_for_deployment(api: str, name: str, proc, log, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = httpx.get(f"{api}/deployments/name/{name}")
        if response.status_code == 200:
            return response.json()
        assert proc.poll() is None, log.read_text()[-3000:]
        time.sleep(1)
    raise AssertionError(f"deployment {name} never appeared: {log.read_text()[-3000:]}")


def wait_for_run(api: str, run_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = httpx.get(f"{api}/flow_runs/{run_id}").json()
        if run["state_type"] in TERMINAL:
            return run
        time.sleep(1)
    raise AssertionError(f"flow run {run_id} did not finish: {run['state_type']}")


def test_backfill_custom_run_through_the_api(served):
    api, deployment, db, log = served
    schema = deployment["parameter_openapi_schema"]["properties"]
    assert {"start", "end", "sources", "mode", "only_missing", "max_pages"} <= set(schema)
    assert schema["start"]["format"] == "date"
    # What the UI's "Custom run" form posts: the parameters as JSON.
    body = {"parameters": {"start": "2026-08-01", "end": "2026-08-07", "sources": ["sample"], "mode": "fetch",
                           "only_missing": True},
            "state": {"type": "SCHEDULED", "message": "Run from the Prefect UI"}}
    created = httpx.post(f"{api}/deployments/{deployment['id']}/create_flow_run", json=body)
    assert created.status_code == 201, created.text
    run = wait_for_run(api, created.json()["id"])
    assert run["state_type"] == "COMPLETED", log.read_text()[-5000:]

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT day, source_id, status, flow_run_id FROM ingest_partitions "
                       "WHERE day BETWEEN '2026-08-01' AND '2026-08-07' ORDER BY day").fetchall()
    con.close()
    assert len(rows) == 7
    assert {(r[1], r[2], r[3]) for r in rows} == {("sample", "complete", run["id"])}

    artifacts = httpx.post(f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}).json()
    kinds = {a["key"]: a for a in artifacts}
    assert kinds["backfill-summary"]["type"] == "markdown"
    assert "articles new" in kinds["backfill-summary"]["data"]
    assert kinds["backfill-partitions"]["type"] == "table"
    assert "2026-08-07" in str(kinds["backfill-partitions"]["data"])


def test_reversed_dates_fail_the_run_with_a_clear_message(served):
    api, deployment, _, _ = served
    body = {"parameters": {"start": "2026-08-09", "end": "2026-08-01"}, "state": {"type": "SCHEDULED"}}
    run = wait_for_run(api, httpx.post(f"{api}/deployments/{deployment['id']}/create_flow_run", json=body).json()["id"])
    assert run["state_type"] == "FAILED"
    assert "after end" in run["state"]["message"]
