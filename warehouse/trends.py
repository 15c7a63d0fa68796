"""Trend questions for the CLI: names resolved to entities and trend() run, every value a bound parameter."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from warehouse.errors import QueryError
from warehouse.sql import statement

if TYPE_CHECKING:  # kept light: the CLI imports GRAINS to build its parser
    import duckdb
    import polars as pl

# The periods trend() can count in (DuckDB date_trunc parts; weeks are ISO weeks from Monday).
GRAINS = ("day", "week", "month", "quarter", "year")


def resolve_names(con: duckdb.DuckDBPyConnection, names: list[str]) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """({name asked: (entity_id, display name)}, [names that match no entity])."""
    found: dict[str, tuple[str, str]] = {}
    unknown: list[str] = []
    for name in names:
        rows = con.execute(statement("trends/resolve_name"), {"name": name}).fetchall()
        if rows:
            found[name] = rows[0]
        else:
            unknown.append(name)
    return found, unknown


def day_range(con: duckdb.DuckDBPyConnection, source: str | None = None) -> tuple[date | None, date | None]:
    first, last = con.execute(statement("trends/day_range"), {"source": source}).fetchone()
    return first, last


def trend(con: duckdb.DuckDBPyConnection, names: list[str], grain: str, start: date, end: date,
          source: str | None = None, dedupe: bool = False) -> pl.DataFrame:
    """trend(names, grain, start, end) as a frame; any value, quotes and semicolons included, is data.
    dedupe: count each story once (near-copies in article_duplicates left out)."""
    import duckdb

    params = {"names": list(names), "grain": grain, "start": start, "end": end, "source": source,
              "dedupe": dedupe}
    try:
        return con.execute(statement("trends/trend_query"), params).pl()
    except duckdb.Error as exc:
        raise QueryError(f"trend query failed: {exc}") from exc
