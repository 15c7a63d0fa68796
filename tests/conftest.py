"""Shared fixtures: one Prefect test harness per session, the sample site on 127.0.0.1."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Prefect reads its settings at import time: point it at a throwaway home first.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newswire-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def sample_site():
    from flows.demo_site import serve_site

    with serve_site() as origin:
        yield origin


@pytest.fixture
def demo_sources(tmp_path, sample_site) -> Path:
    from flows.cli import demo_sources_toml

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
    from flows.serve import start_server, stop, wait_healthy

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
