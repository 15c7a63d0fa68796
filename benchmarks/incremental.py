"""First run vs nightly rerun on the sample site: requests and wall time, side by side.

    uv run python benchmarks/incremental.py

Runs the real ingest flow twice against the sample site served on 127.0.0.1
(politeness relaxed as in the demo) into a fresh warehouse, under a temporary
Prefect server, and prints what each run cost.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newswire-bench-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def main() -> None:
    from prefect.testing.utilities import prefect_test_harness

    from flows.cli.demo_site import demo_sources_toml
    from flows.cli.demo_site import serve_site
    from flows.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp, serve_site() as origin, prefect_test_harness(server_startup_timeout=90):
        sources = Path(tmp) / "sources.toml"
        sources.write_text(demo_sources_toml(origin), "utf-8")
        db = str(Path(tmp) / "bench.duckdb")
        first = ingest(str(sources), db)
        second = ingest(str(sources), db)
    rows = [("requests", "requests"), ("article pages fetched", "pages_fetched"),
            ("documents unchanged (304)", "unchanged_documents"), ("articles inserted", "inserted"),
            ("wall time (s)", "elapsed_s")]
    print(f"{'':28}{'first run':>12}{'nightly rerun':>16}{'ratio':>9}")
    for label, key in rows:
        a, b = first[key], second[key]
        ratio = f"{b / a:.2f}" if a else "-"
        print(f"{label:28}{a:>12}{b:>16}{ratio:>9}")


if __name__ == "__main__":
    main()
