"""Scale-out benchmark, warehouse half: the DuckLake warehouse against the single DuckDB file.

1. Load rate: the same staged batches (bench-site articles, 50 a batch) loaded by the real load step
   (warehouse.loader.load_staged) into a single file and into a lake (catalog in a PostgreSQL started
   here, data files in a folder), articles per second each.
2. Trend query latency: trend() for three entities over three years at week grain on a warehouse of
   --articles synthetic articles (default 1,000,000, made in bulk with SQL, ~3 entity mentions each,
   daily aggregates rebuilt by warehouse.recompute.rebuild_daily), in the single file and in a lake the
   file was copied into by `newswire warehouse migrate` (warehouse.copy); median of 5 after a warm-up.

rows() returns the figures (for benchmarks/scaleout.py, which prints them with the Dask half);

    uv run python benchmarks/scaleout_lake.py                     # 1,000,000 articles
    uv run python benchmarks/scaleout_lake.py --articles 100000   # a quicker run
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.settings import Settings  # noqa: E402
from tests.services import postgres_server  # noqa: E402
from warehouse.copy import copy_into_lake  # noqa: E402
from warehouse.db import connect  # noqa: E402
from warehouse.lake import LakeTarget  # noqa: E402
from warehouse.loader import load_staged  # noqa: E402
from warehouse.recompute import install_lexicon, rebuild_daily  # noqa: E402
from warehouse.staging import Stage  # noqa: E402

TREND = ("SELECT * FROM trend(['pakistan', 'china', 'india'], 'week', DATE '2024-01-01', DATE '2026-12-31')")


def _load_rate(target, batches, stage_root: Path) -> float:
    """Articles per second through the real load step, one staged batch per load, as runs load them."""
    logger = logging.getLogger("bench")
    connect(target).close()  # created and migrated outside the timing
    articles = 0
    started = time.perf_counter()
    for batch in batches:
        stage = Stage(stage_root)
        stage.put(batch=batch)
        articles += load_staged(target, stage, Settings().lexicon(), logger, startup=True).inserted
        stage.close()
    return articles / (time.perf_counter() - started)


def _synthetic(path: Path, articles: int) -> None:
    """A single-file warehouse of `articles` articles over 2024-2026, 20 sources, ~3 mentions each."""
    con = connect(path)
    install_lexicon(con, Settings().lexicon())
    con.execute(f"""
        INSERT INTO articles (article_id, url, source_id, headline, language, published_at, published_day,
                              word_count, content_hash, first_seen_at, last_loaded_at, day_source)
        SELECT printf('%016x', i), 'https://bench.invalid/' || i, 'src-' || (i % 20), 'headline ' || i, 'en',
               TIMESTAMPTZ '2024-01-01' + INTERVAL (i % 1096) DAY, DATE '2024-01-01' + CAST(i % 1096 AS INTEGER),
               300 + i % 700, md5(i::VARCHAR), now(), now(), 'page'
        FROM range({articles}) AS r(i)""")
    entities = [e for (e,) in con.execute("SELECT entity_id FROM entities ORDER BY entity_id").fetchall()]
    con.execute("CREATE TEMP TABLE ids AS SELECT * FROM unnest(?) WITH ORDINALITY AS e(entity_id, n)", [entities])
    con.execute(f"""
        INSERT INTO entity_mentions (article_id, published_day, source_id, entity_id, section_index, mentions)
        SELECT printf('%016x', i), DATE '2024-01-01' + CAST(i % 1096 AS INTEGER), 'src-' || (i % 20),
               e.entity_id, 0, 1 + (i * k) % 4
        FROM range({articles}) AS r(i), range(3) AS m(k), ids AS e
        WHERE e.n = 1 + (hash(i * 7 + k) % {len(entities)})""")
    con.execute("BEGIN")
    rebuild_daily(con)
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    con.close()


def _latency_ms(con, repeats: int = 5) -> tuple[float, list]:
    answer = con.execute(TREND).fetchall()  # warm-up (and the answer, compared across backends)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        con.execute(TREND).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), answer


def rows(articles: int = 1_000_000, load_batches: int = 6) -> list[dict]:
    from tests import lakekit

    out = []
    with tempfile.TemporaryDirectory(prefix="newswire-scaleout-") as tmp, postgres_server() as pg:
        tmp = Path(tmp)

        def lake(name: str) -> LakeTarget:
            database = f"bench_{name}_{uuid.uuid4().hex[:6]}"
            pg.create_database(database)
            return LakeTarget(f"ducklake:postgres:{pg.dsn(database)}", f"{tmp}/{name}-data/",
                              staging=str(tmp / f"{name}-staging"))

        batches = [lakekit.batch(i * 50, (i + 1) * 50) for i in range(load_batches)]
        file_rate = _load_rate(str(tmp / "load" / "wh.duckdb"), batches, tmp / "load-staging")
        lake_rate = _load_rate(lake("load"), batches, tmp / "lake-load-staging")
        out.append({"measure": f"load rate, {load_batches} staged batches of 50 articles (articles/s)",
                    "single file": round(file_rate, 1), "lake": round(lake_rate, 1),
                    "lake / file": round(lake_rate / file_rate, 3)})

        started = time.perf_counter()
        file = tmp / "big" / "wh.duckdb"
        _synthetic(file, articles)
        built = time.perf_counter() - started
        target = lake("big")
        started = time.perf_counter()
        copy_into_lake(file, target)
        copied = time.perf_counter() - started
        con = connect(file, read_only=True)
        file_ms, file_answer = _latency_ms(con)
        con.close()
        con = connect(target, read_only=True)
        lake_ms, lake_answer = _latency_ms(con)
        con.close()
        assert file_answer == lake_answer and file_answer, "trend() answers alike on both"
        out.append({"measure": f"trend() latency, {articles:,} articles, 3 entities x 3 years by week (ms, median of 5)",
                    "single file": round(file_ms, 1), "lake": round(lake_ms, 1),
                    "lake / file": round(lake_ms / file_ms, 3)})
        out.append({"measure": f"build {articles:,} synthetic articles in the file / copy it into the lake (s)",
                    "single file": round(built, 1), "lake": round(copied, 1), "lake / file": round(copied / built, 3)})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--load-batches", type=int, default=6)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    table = rows(args.articles, args.load_batches)
    width = max(len(r["measure"]) for r in table)
    print(f"{'measure':<{width}}  {'single file':>12}  {'lake':>12}  {'lake / file':>11}")
    for r in table:
        print(f"{r['measure']:<{width}}  {r['single file']:>12}  {r['lake']:>12}  {r['lake / file']:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
