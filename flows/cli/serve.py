"""`newswire serve`: one machine, one process serving the nightly and backfill deployments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

# The local server takes ~20 s to start cold here; give it room on a loaded machine.
SERVER_START_TIMEOUT = 120.0
NIGHTLY_CRON = "0 2 * * *"


def api_healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def start_server(host: str, port: int, log_path: Path) -> subprocess.Popen:
    """`prefect server start` in the background; its output goes to log_path."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab")
    # The UI asks the server where its API is; without this it says :4200 whatever the port.
    env = {**os.environ, "PREFECT_UI_API_URL": f"http://{host}:{port}/api"}
    return subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env,
    )


def wait_healthy(api_url: str, proc: subprocess.Popen | None, timeout: float = SERVER_START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api_healthy(api_url):
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with status {proc.returncode}; see its log")
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server at {api_url} did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def deployments(sources_file: str, db: str, timezone_name: str, cron: str = NIGHTLY_CRON):
    """The two deployments, as `prefect deploy` would make them from deployments/prefect.yaml."""
    from prefect.schedules import Cron

    from flows.backfill import backfill
    from flows.ingest import ingest

    common = {"sources_file": sources_file, "db": db}
    nightly = ingest.to_deployment(
        name="nightly", schedules=[Cron(cron, timezone=timezone_name)], concurrency_limit=1,
        parameters={**common, "timezone_name": timezone_name},
        description="Ingest every configured source; partition day = the day before the scheduled start.",
        tags=["newswire"],
    )
    backfill_dep = backfill.to_deployment(
        name="backfill", concurrency_limit=1, parameters=common, tags=["newswire"],
        description="Fill (day x source) partitions of a date range, by fetching or from the raw archive.",
    )
    return nightly, backfill_dep


def serve_forever(sources_file: str, db: str, timezone_name: str, host: str = "127.0.0.1", port: int = 4200,
                  cron: str = NIGHTLY_CRON) -> int:
    """Reuse the Prefect server at PREFECT_API_URL (or host:port), else start one; serve until Ctrl-C."""
    api_url = os.environ.get("PREFECT_API_URL") or f"http://{host}:{port}/api"
    proc = None
    if not api_healthy(api_url):
        home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect"))
        print(f"starting a Prefect server on {host}:{port} (log: {home / 'newswire-server.log'}) ...", flush=True)
        proc = start_server(host, port, home / "newswire-server.log")
    try:
        wait_healthy(api_url, proc)
        from prefect import serve
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            nightly, backfill_dep = deployments(str(Path(sources_file).resolve()), str(Path(db).resolve()),
                                                timezone_name, cron)
            print(f"Prefect UI: {api_url.removesuffix('/api')}  (deployments ingest/nightly and backfill/backfill; "
                  f"Ctrl-C stops)", flush=True)
            serve(nightly, backfill_dep, print_starting_message=False)
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        stop(proc)
    return 0
