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
