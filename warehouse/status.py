"""What `newswire status` reads: the partition grid of the last days and the last runs."""

from __future__ import annotations

import duckdb

from warehouse.sql import statement


def partition_grid(con: duckdb.DuckDBPyConnection, days: int) -> list[tuple]:
    """(day, source_id, status, articles) of the last `days` days that have partitions, newest first."""
    return con.execute(statement("status/partition_grid"), {"days": days}).fetchall()


def last_runs(con: duckdb.DuckDBPyConnection, runs: int = 8) -> list[tuple]:
    """(flow_run_id, mode, finished_at, complete, failed, running, pending, articles_new), latest first."""
    return con.execute(statement("status/last_runs"), {"runs": runs}).fetchall()
