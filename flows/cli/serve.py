"""`newswire serve`: one machine, one process serving the nightly and backfill deployments."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

# The local server takes ~20 s to start cold here; give it room on a loaded machine.
SERVER_START_TIMEOUT = 120.0


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


DEPLOYMENTS_FILE = Path(__file__).resolve().parents[2] / "deployments" / "prefect.yaml"
_TEMPLATE = re.compile(r"\{\{\s*\$(\w+)\s*\}\}")


def deployments(sources_file: str, db: str, timezone_name: str, cron: str | None = None):
    """The deployments of deployments/prefect.yaml (the one place they are defined, also for
    `prefect deploy`), made servable here: its {{ $NEWSWIRE_... }} templates filled from this
    process's settings, its schedules in timezone_name (and cron, when given)."""
    import importlib

    import yaml
    from prefect.schedules import Cron
    from prefect.utilities.callables import ParameterSchema

    from flows.form import offer_sources

    values = {"NEWSWIRE_SOURCES": sources_file, "NEWSWIRE_DB": db, "NEWSWIRE_TIMEZONE": timezone_name,
              "NEWSWIRE_HOME": str(DEPLOYMENTS_FILE.parents[1])}

    def fill(value):
        if isinstance(value, str):
            return _TEMPLATE.sub(lambda m: values.get(m.group(1), os.environ.get(m.group(1), "")), value)
        return value

    made = []
    for entry in yaml.safe_load(DEPLOYMENTS_FILE.read_text("utf-8"))["deployments"]:
        path, name = entry["entrypoint"].split(":")
        flow = getattr(importlib.import_module(path.removesuffix(".py").replace("/", ".")), name)
        parameters = {k: fill(v) for k, v in (entry.get("parameters") or {}).items()}
        if "timezone_name" in parameters:
            parameters["timezone_name"] = timezone_name
        schedules = [Cron(cron or s["cron"], timezone=timezone_name) for s in entry.get("schedules") or []]
        description = entry.get("description") or ""
        for s in entry.get("schedules") or []:  # the page shows the description, not the schedule's zone
            description = description.replace(s["timezone"], timezone_name)
            if cron:
                description += f" (served with the schedule {cron!r} in {timezone_name})"
        deployment = flow.to_deployment(name=entry["name"], description=description,
                                        tags=entry.get("tags"), parameters=parameters, schedules=schedules,
                                        concurrency_limit=entry.get("concurrency_limit"))
        # The form offers the ids of the sources file served with, read now (not at import).
        deployment._parameter_openapi_schema = ParameterSchema(
            **offer_sources(deployment._parameter_openapi_schema.model_dump(), sources_file))
        made.append(deployment)
    return made


def serve_forever(sources_file: str, db: str, timezone_name: str, host: str = "127.0.0.1", port: int = 4200,
                  cron: str | None = None, demo: bool = False) -> int:
    """Reuse the Prefect server at PREFECT_API_URL (or host:port), else start one; serve until Ctrl-C.

    demo: also serve the bundled sample site for as long as this runs; sources_file is then written
    with the demo's sources (flows.cli.demo_site.demo_sources_toml) pointing at it."""
    if demo:
        from flows.cli.demo_site import demo_sources_toml, serve_site

        with serve_site() as origin:
            Path(sources_file).parent.mkdir(parents=True, exist_ok=True)
            Path(sources_file).write_text(demo_sources_toml(origin), "utf-8")
            print(f"serving the sample site at {origin} (sources file {sources_file})", flush=True)
            return serve_forever(sources_file, db, timezone_name, host, port, cron)
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
            served = deployments(str(Path(sources_file).resolve()), str(Path(db).resolve()), timezone_name, cron)
            print(f"Prefect UI: {api_url.removesuffix('/api')}  (deployments ingest/nightly and backfill/backfill; "
                  f"Ctrl-C stops)", flush=True)
            serve(*served, print_starting_message=False)
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        stop(proc)
    return 0
