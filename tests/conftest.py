"""Shared fixtures: one Prefect server per session, the sample site on 127.0.0.1."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import httpx

import pytest

# Prefect reads its settings at import time: point it at a throwaway home first, one per test process
# (pytest-xdist's workers inherit the environment of the process that started them).
if os.environ.get("PREFECT_HOME", "") in ("", os.environ.get("NEWSWIRE_TEST_PREFECT_HOME")):
    os.environ["PREFECT_HOME"] = os.environ["NEWSWIRE_TEST_PREFECT_HOME"] = tempfile.mkdtemp(prefix="newswire-prefect-")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

ROOT = Path(__file__).resolve().parent.parent
# The gazetteer and stop words of seeds/, as runs read them (flows/settings.py): what tests normalise with.
from flows.settings import Settings  # noqa: E402 - after PREFECT_HOME is set

LEXICON = Settings().lexicon()
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def prefect_harness(prefect_server):
    """Flows run in the test process, against the session's Prefect server.

    prefect.testing.utilities.prefect_test_harness would start a second server (~15 s) for them; the one
    `prefect server start` the subprocess tests need serves both.
    """
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api, _ = prefect_server
    with temporary_settings(updates={PREFECT_API_URL: api}):
        yield
        # Send the runs' last logs and events while the server is still up (as the harness does).
        try:
            APILogWorker.instance().drain()
        except RuntimeError:  # never started
            pass
        EventsWorker.drain_all()


@pytest.fixture(scope="session")
def sample_site():
    from flows.cli.demo_site import serve_site

    with serve_site() as origin:
        yield origin


@pytest.fixture
def demo_sources(tmp_path, sample_site) -> Path:
    from flows.cli.demo_site import demo_sources_toml

    path = tmp_path / "sources.toml"
    path.write_text(demo_sources_toml(sample_site), "utf-8")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real `prefect server start` on a free port, with its own home; yields its API URL."""
    from flows.cli.serve import start_server, stop, wait_healthy

    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    env_before = os.environ.get("PREFECT_HOME")
    os.environ["PREFECT_HOME"] = str(home)
    try:
        proc = start_server("127.0.0.1", port, home / "server.log")
    finally:
        if env_before is not None:
            os.environ["PREFECT_HOME"] = env_before
    api = f"http://127.0.0.1:{port}/api"
    try:
        wait_healthy(api, proc, timeout=180)
        yield api, home
    finally:
        stop(proc)


@pytest.fixture
def served(prefect_server, sample_site, tmp_path):
    """`newswire serve` against the running server, for the sample site and a fresh warehouse."""
    import signal
    import subprocess
    import sys

    from flows.cli.demo_site import demo_sources_toml

    api, home = prefect_server
    sources = tmp_path / "sources.toml"
    sources.write_text(demo_sources_toml(sample_site), "utf-8")
    db = tmp_path / "wh.duckdb"
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "NEWSWIRE_DB": str(db),
           "NEWSWIRE_SOURCES": str(sources), "PREFECT_RUNNER_POLL_FREQUENCY": "2",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--sources-file", str(sources), "--db", str(db)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deployment = wait_for_deployment(api, "backfill/backfill", proc, tmp_path / "serve.log", db=str(db))
        yield api, deployment, db, tmp_path / "serve.log"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_for_deployment(api: str, name: str, proc, log, timeout: float = 120, db: str | None = None) -> dict:
    """The deployment once this serve process registered it (an older one of that name may exist)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = httpx.get(f"{api}/deployments/name/{name}")
        if response.status_code == 200 and (db is None or response.json()["parameters"].get("db") == db):
            return response.json()
        assert proc.poll() is None, log.read_text()[-3000:]
        time.sleep(1)
    raise AssertionError(f"deployment {name} never appeared: {log.read_text()[-3000:]}")




# Real services for the scale-out tests (tests/services.py): one of each per test process.
@pytest.fixture(scope="session")
def postgres():
    from tests.services import postgres_server

    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def s3():
    from tests.services import s3_server

    with s3_server() as server:
        yield server


@pytest.fixture(scope="session")
def dask_cluster():
    from tests.services import dask_cluster as start

    with start(workers=2) as cluster:
        yield cluster
