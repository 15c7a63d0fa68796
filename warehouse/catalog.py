"""What the warehouse already holds, for the flow to decide what not to fetch again."""

from __future__ import annotations

import duckdb

from warehouse.db import statement


def known_urls(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(statement("known_urls")).fetchall()}
