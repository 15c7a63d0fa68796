"""Ingest pages/s with the batches on a Dask cluster of two workers against the local extraction pool,
on the same pages, side by side.

    uv run python benchmarks/scaleout_dask.py                # 1,000 pages
    uv run python benchmarks/scaleout_dask.py --pages 300    # quicker

Each run is a fresh child process (as benchmarks/ingest.py does): it serves N pages of the sample
corpus (benchmarks/benchsite.py) on 127.0.0.1 with politeness relaxed, starts a temporary Prefect
server, and runs the real ingest flow into a fresh DuckDB file: once with the local pool (two
extraction processes), once with --dask pointing at `dask scheduler` + `dask worker --nworkers 2
--nthreads 1` on 127.0.0.1 (tests/services.py). On one machine the cluster shares the same cores with
the flow, the Prefect server and the page server, so this measures what the Dask path costs, not
what more machines gain; docs/scaling.md sizes a cluster from these figures.

rows() is what benchmarks/scaleout.py combines with the other scale-out figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def child(pages: int, dask_address: str | None) -> None:
    """One ingest in this fresh process; prints its figures as JSON."""
    os.environ["NEWSWIRE_EXTRACT_WORKERS"] = "2"
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newswire-bench-"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from prefect.testing.utilities import prefect_test_harness

    from benchmarks.ingest import serve
    from flows.ingest import ingest

    site, origin = serve(pages, "sample")
    try:
        with tempfile.TemporaryDirectory() as tmp, prefect_test_harness(server_startup_timeout=120):
            sources = Path(tmp) / "sources.toml"
            sources.write_text(f'[[sources]]\nid = "bench"\nsitemaps = ["{origin}/sitemap.xml"]\n'
                               f'requests_per_second = 0\nmax_in_flight = 8\n')
            started = time.perf_counter()
            summary = ingest(str(sources), str(Path(tmp) / "bench.duckdb"), archive_dir=str(Path(tmp) / "warc"),
                             dask_address=dask_address)
            elapsed = time.perf_counter() - started
    finally:
        site.kill()
    print(json.dumps({"pages": pages, "elapsed": elapsed, "inserted": summary["inserted"],
                      "failures": sum(summary["failures"].values())}))


def run_child(pages: int, dask_address: str | None) -> dict:
    args = [sys.executable, __file__, "--child", str(pages)] + (["--dask", dask_address] if dask_address else [])
    out = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def rows(pages: int = 1000) -> list[dict]:
    """[{"what", "pages", "seconds", "pages_per_s", "ratio"}]: the local pool first (ratio 1.0)."""
    from tests.services import dask_cluster

    local = run_child(pages, None)
    with dask_cluster(workers=2) as cluster:
        remote = run_child(pages, cluster.address)
    out = []
    for what, run in (("ingest, local pool (2 extraction processes)", local),
                      ("ingest, Dask cluster (2 workers x 1 thread)", remote)):
        rate = run["pages"] / run["elapsed"]
        out.append({"what": what, "pages": run["pages"], "inserted": run["inserted"], "failures": run["failures"],
                    "seconds": run["elapsed"], "pages_per_s": rate,
                    "ratio": rate / (local["pages"] / local["elapsed"])})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dask", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.dask)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.pages} pages of the sample corpus")
    print(f"{'':46}{'pages':>7}{'inserted':>10}{'seconds':>9}{'pages/s':>9}{'ratio':>7}")
    for r in rows(args.pages):
        print(f"{r['what']:46}{r['pages']:>7}{r['inserted']:>10}{r['seconds']:>9.1f}{r['pages_per_s']:>9.1f}"
              f"{r['ratio']:>7.2f}")


if __name__ == "__main__":
    main()
