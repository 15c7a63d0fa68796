"""End to end on a real Prefect server: `newswire serve`, a backfill started as the UI's Custom run does."""

from __future__ import annotations

import time

import duckdb
import httpx

TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def wait_for_run(api: str, run_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = httpx.get(f"{api}/flow_runs/{run_id}").json()
        if run["state_type"] in TERMINAL:
            return run
        time.sleep(1)
    raise AssertionError(f"flow run {run_id} did not finish: {run['state_type']}")



def post(url: str, body: dict) -> httpx.Response:
    """POST as Prefect's own client does: a 503 is the SQLite server's "retry" (a write that met another's
    WAL snapshot, SQLITE_BUSY_SNAPSHOT), so it is tried again a few times before the answer counts."""
    for _ in range(5):
        response = httpx.post(url, json=body, timeout=30)
        if response.status_code != 503:
            return response
        time.sleep(1)
    return response

def test_backfill_custom_run_through_the_api(served):
    api, deployment, db, log = served
    schema = deployment["parameter_openapi_schema"]["properties"]
    assert set(schema) == {"first_day", "days", "source_ids", "mode", "only_missing", "max_pages_total"}
    assert schema["first_day"]["format"] == "date"
    assert all(field.get("description") and field.get("title") for field in schema.values()), schema
    # The form offers the ids of the sources file the deployment was served with, read when serving.
    assert schema["source_ids"]["items"]["enum"] == ["sample"]
    # What the UI's "Custom run" form posts: the parameters as JSON.
    body = {"parameters": {"first_day": "2026-08-01", "days": 7, "source_ids": ["sample"], "mode": "fetch",
                           "only_missing": True},
            "state": {"type": "SCHEDULED", "message": "Run from the Prefect UI"}}
    created = post(f"{api}/deployments/{deployment['id']}/create_flow_run", body)
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


def test_an_invalid_range_is_refused_before_a_run_exists_and_a_future_one_fails_in_one_line(served):
    api, deployment, _, _ = served
    url = f"{api}/deployments/{deployment['id']}/create_flow_run"
    refused = post(url, {"parameters": {"first_day": "2026-08-09", "days": 0}, "state": {"type": "SCHEDULED"}})
    assert refused.status_code == 409 and "days" in refused.text, refused.text  # the form's schema validation
    body = {"parameters": {"first_day": "2999-08-01", "days": 2}, "state": {"type": "SCHEDULED"}}
    run = wait_for_run(api, post(url, body).json()["id"])
    assert run["state_type"] == "FAILED"
    assert "in the future" in run["state"]["message"]


def test_prefect_yaml_deploys_both_deployments_to_a_process_pool(prefect_server, tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    api, home = prefect_server
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "NEWSWIRE_HOME": str(ROOT),
           "NEWSWIRE_DB": str(tmp_path / "wh.duckdb"), "NEWSWIRE_SOURCES": str(ROOT / "seeds" / "sources.toml")}

    def prefect(*args):
        proc = subprocess.run([sys.executable, "-m", "prefect", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=180)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    prefect("work-pool", "create", "newswire", "--type", "process", "--overwrite")
    prefect("--no-prompt", "deploy", "--all", "--prefect-file", "deployments/prefect.yaml")
    nightly = httpx.get(f"{api}/deployments/name/ingest/nightly").json()
    backfill = httpx.get(f"{api}/deployments/name/backfill/backfill").json()
    assert nightly["work_pool_name"] == backfill["work_pool_name"] == "newswire"
    [schedule] = nightly["schedules"]
    assert schedule["schedule"]["cron"] == "0 2 * * *" and schedule["schedule"]["timezone"] == "Asia/Karachi"
    assert nightly["parameters"]["db"] == str(tmp_path / "wh.duckdb")
    assert backfill["schedules"] == []
    for deployment in (nightly, backfill):
        limit = deployment.get("global_concurrency_limit") or {}
        assert limit.get("limit") == 1 or deployment.get("concurrency_limit") == 1
