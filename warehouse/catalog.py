"""What the warehouse already holds, for the flow to decide what not to fetch again."""

from __future__ import annotations

from functools import cache
from importlib import resources

import duckdb


@cache
def query_text(name: str) -> str:
    return resources.files("warehouse").joinpath("queries", f"{name}.sql").read_text("utf-8")


def known_urls(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(query_text("known_urls")).fetchall()}
