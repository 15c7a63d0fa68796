"""Partition bookkeeping (day x source) and the reads that plan a backfill."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from transforms.feeds import Discovered
from warehouse.sql import registered, statement

PARTITION_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date, "source_id": pl.Utf8, "status": pl.Utf8, "mode": pl.Utf8, "pages_fetched": pl.Int32,
    "articles": pl.Int32, "articles_new": pl.Int32, "articles_updated": pl.Int32, "articles_unchanged": pl.Int32,
    "failures": pl.Int32, "failure_reasons": pl.Utf8, "flow_run_id": pl.Utf8, "extractor_version": pl.Utf8,
    "started_at": pl.Datetime("us", "UTC"), "finished_at": pl.Datetime("us", "UTC"), "note": pl.Utf8,
}
STATUSES = ("pending", "running", "complete", "failed")


def partitions_frame(rows: list[dict]) -> pl.DataFrame:
    full = [{k: r.get(k) for k in PARTITION_SCHEMA} for r in rows]
    return pl.DataFrame(full, schema=PARTITION_SCHEMA).unique(["day", "source_id"], keep="last", maintain_order=True)


def merge_partitions(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> None:
    with registered(con, batch_partitions=frame):
        con.execute(statement("partitions/merge_partitions"))


def complete_partitions(con: duckdb.DuckDBPyConnection, start: date, end: date) -> set[tuple[date, str]]:
    return {(d, s) for d, s in con.execute(statement("partitions/complete_partitions"), {"start": start, "end": end}).fetchall()}


def partitions_in_range(con: duckdb.DuckDBPyConnection, start: date, end: date) -> pl.DataFrame:
    return con.execute(statement("partitions/partitions_in_range"), {"start": start, "end": end}).pl()


def candidates_for_day(con: duckdb.DuckDBPyConnection, source_id: str, day: date,
                       include_stored: bool) -> list[Discovered]:
    rows = con.execute(statement("partitions/candidates_for_day"),
                       {"source_id": source_id, "day": day, "include_stored": include_stored}).fetchall()
    return [Discovered(*r) for r in rows]


def stored_urls_for_day(con: duckdb.DuckDBPyConnection, source_id: str, day: date) -> list[tuple]:
    """(url, date_hint, hint_source) of the stored articles of a (day, source)."""
    return con.execute(statement("partitions/stored_urls_for_day"), {"source_id": source_id, "day": day}).fetchall()


def release_dead_partitions(con: duckdb.DuckDBPyConnection, live: set[str], own: str | None) -> list[tuple]:
    """Set partitions left 'running' by dead runs back to 'pending'; returns (day, source_id, flow_run_id)."""
    return con.execute(statement("partitions/release_dead_partitions"),
                       {"live": sorted(live), "own": own}).fetchall()
