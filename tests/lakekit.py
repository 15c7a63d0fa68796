"""What the DuckLake tests share: the same pages as normalised batches, lakes on the session's PostgreSQL
(and moto S3), loads through the real load step, and every table of a warehouse as checksums.

The pages are the bench site's (the 47 sample pages, then copies under other URLs and headlines), from
two sources, so loads touch many (day, source) keys; `edited` batches carry new headlines for articles
loaded before (updates: article_versions, child rows replaced, aggregates recomputed).
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from functools import cache
from pathlib import Path

import duckdb

from benchmarks.benchsite import page_path, render
from tests.conftest import LEXICON
from transforms.extract import EXTRACTOR_VERSION, extract_article
from transforms.normalise import NormalisedBatch, normalise
from warehouse.lake import LakeTarget
from warehouse.loader import LoadTotals, load_staged
from warehouse.staging import Stage

ORIGIN = "http://127.0.0.1:1"
SAMPLES = 47
# Tables that log what each run did, or count loads: equal content need not give equal rows there.
BOOKKEEPING = frozenset({"fetch_log", "url_state", "discovered_urls", "ingest_partitions", "schema_migrations",
                         "warehouse_version", "load_journal", "partition_claims"})
VOLATILE = ("_at", "run_id", "first_seen")  # when it happened, which run: differ between equal loads
# Every macro of the warehouse, called as an analyst would: (name, SQL).
MACRO_QUERIES = (
    ("resolve_entities", "SELECT * FROM resolve_entities(['china', 'Pakistan', 'united states']) ORDER BY ALL"),
    ("trend", "SELECT * FROM trend(['china', 'pakistan', 'india'], 'week', DATE '2020-01-01', DATE '2030-12-31') "
              "WHERE articles > 0 ORDER BY ALL"),
    ("trend dedupe", "SELECT * FROM trend(['pakistan'], 'month', DATE '2020-01-01', DATE '2030-12-31', "
                     "source := 'bench-a', dedupe := true) WHERE total_articles > 0 ORDER BY ALL"),
    ("co_mentions", "SELECT * FROM co_mentions('pakistan', 'india', 'month') ORDER BY ALL"),
    ("rising_terms", "SELECT * FROM rising_terms((SELECT max(day) FROM daily_totals), 30, min_articles := 2) "
                     "ORDER BY ALL LIMIT 50"),
    ("top_entities", "SELECT * FROM top_entities(DATE '2020-01-01', DATE '2030-12-31') ORDER BY ALL"),
    ("search", "SELECT * FROM search('pakistan OR india', top_n := 20) ORDER BY ALL"),
    ("search_matches", "SELECT query_no, article_id, score FROM search_matches(['government', '\"prime minister\"']) "
                       "ORDER BY ALL"),
    ("search_articles", "SELECT query_no, article_id, day FROM search_articles(['government -minister', "
                        "'\"prime minister\"']) ORDER BY ALL"),
    ("query_trend", "SELECT * FROM query_trend(['government', 'minister'], 'month', DATE '2020-01-01', "
                    "DATE '2030-12-31') WHERE articles > 0 ORDER BY ALL"),
    ("kwic", "SELECT * FROM kwic('minister', context := 4, top_n := 5) ORDER BY ALL"),
)


@cache
def _base() -> tuple:
    return tuple(extract_article(render(i, ORIGIN), f"{ORIGIN}{page_path(i)}", source_id="bench")
                 for i in range(SAMPLES))


def articles(start: int, stop: int, edit: str = "") -> list:
    """Articles start..stop-1 (distinct URLs); sources bench-a / bench-b alternate; edit marks headlines."""
    out = []
    for i in range(start, stop):
        a = _base()[i % SAMPLES]
        url = f"{ORIGIN}{page_path(i)}"
        out.append(dataclasses.replace(a, url=url, canonical_url=url, source_id=f"bench-{'ab'[i % 2]}",
                                       headline=f"{a.headline} [{i}]{edit}"))
    return out


def batch(start: int, stop: int, edit: str = "") -> NormalisedBatch:
    return normalise(articles(start, stop, edit), extractor_version=EXTRACTOR_VERSION, lexicon=LEXICON)


def writer_batches(writer: int, per_writer: int = 40, overlap: int = 15) -> list[NormalisedBatch]:
    """Writer w's pages: its own range, overlapping the next writer's by `overlap`, in two batches, then
    an edited batch of the first pages of its range (updates)."""
    start = writer * per_writer
    stop = start + per_writer + overlap
    mid = (start + stop) // 2
    return [batch(start, mid), batch(mid, stop), batch(start, start + 5, edit=" (updated)")]


def lake(postgres, folder: Path | None = None, s3=None, name: str | None = None) -> LakeTarget:
    """A new lake: a fresh catalog database on the session's PostgreSQL, data in `folder` or on S3."""
    name = name or f"lake_{uuid.uuid4().hex[:10]}"
    postgres.create_database(name)
    if s3 is not None:
        return LakeTarget(f"ducklake:postgres:{postgres.dsn(name)}", f"s3://{s3.bucket}/{name}/",
                          staging=str((folder or Path("/tmp")) / "staging"), s3_endpoint=s3.endpoint,
                          s3_key_id=s3.key_id, s3_secret=s3.secret, s3_region=s3.region, s3_use_ssl=False)
    return LakeTarget(f"ducklake:postgres:{postgres.dsn(name)}", f"{folder}/data/", staging=str(folder / "staging"))


def load(target, batches, stage_root: Path, logger: logging.Logger | None = None) -> LoadTotals:
    """Each batch staged in its own run's folder, then loaded by the real load step, in order."""
    logger = logger or logging.getLogger("lakekit")
    total = LoadTotals()
    for b in batches:
        stage = Stage(stage_root)
        stage.put(batch=b)
        total.add(load_staged(target, stage, LEXICON, logger, startup=True))
        stage.close()
    return total


def checksums(con: duckdb.DuckDBPyConnection, skip: frozenset[str] = BOOKKEEPING) -> dict[str, tuple[int, int]]:
    """table -> (rows, order-free checksum of its non-volatile columns), for the session's own catalog."""
    tables = [t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary "
        "ORDER BY 1").fetchall() if t not in skip]
    out = {}
    for table in tables:
        cols = [f'"{c}"' for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = ? "
            "ORDER BY column_index", [table]).fetchall() if not c.endswith(VOLATILE)]
        rows, total = con.execute(f'SELECT count(*), coalesce(sum(hash({", ".join(cols)})::HUGEINT), 0) '
                                  f'FROM "{table}"').fetchone()
        out[table] = (rows, int(total))
    return out


def macro_outputs(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: con.execute(sql).fetchall() for name, sql in MACRO_QUERIES}
