"""What the warehouse already holds, for the flow to decide what not to fetch again."""

from __future__ import annotations

import duckdb

from warehouse.sql import statement


def known_story_keys(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The story key (transforms.urls.story_key) of every URL a stored article is known under."""
    return {row[0] for row in con.execute(statement("crawl_state/known_story_keys")).fetchall()}
