"""Scale-out benchmark, one run, side by side (issue 15, README "Performance"):

1. load rate of the same staged batches into a DuckLake (PostgreSQL catalog, Parquet in a folder)
   against the single DuckDB file, and trend() latency on 1,000,000 articles in each
   (benchmarks/scaleout_lake.py);
2. ingest pages/s with the Dask runner on a two-worker cluster against the local extraction pool,
   same pages (benchmarks/scaleout_dask.py).

    uv run python benchmarks/scaleout.py [--articles 1000000] [--pages 1000]

Real services only: Debian's PostgreSQL, a Dask scheduler and workers on 127.0.0.1 (tests/services.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import scaleout_dask, scaleout_lake  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000, help="articles in the trend-latency warehouses")
    parser.add_argument("--load-batches", type=int, default=6, help="staged batches loaded into each backend")
    parser.add_argument("--pages", type=int, default=1000, help="pages ingested by each runner")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print("\nwarehouse: single DuckDB file against DuckLake (PostgreSQL catalog, Parquet files in a folder)")
    table = scaleout_lake.rows(args.articles, args.load_batches)
    width = max(len(r["measure"]) for r in table)
    print(f"{'measure':<{width}}  {'single file':>12}  {'lake':>12}  {'lake / file':>11}")
    for r in table:
        print(f"{r['measure']:<{width}}  {r['single file']:>12}  {r['lake']:>12}  {r['lake / file']:>11}")
    print(f"\nextraction: local pool against a Dask cluster, {args.pages} pages of the sample corpus")
    print(f"{'':46}{'pages':>7}{'inserted':>10}{'seconds':>9}{'pages/s':>9}{'ratio':>7}")
    for r in scaleout_dask.rows(args.pages):
        print(f"{r['what']:46}{r['pages']:>7}{r['inserted']:>10}{r['seconds']:>9.1f}{r['pages_per_s']:>9.1f}"
              f"{r['ratio']:>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
