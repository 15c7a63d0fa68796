"""Crawl state in the warehouse: conditional-request validators, discovered URLs, the stories stored."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from warehouse.sql import registered, statement, transaction

URL_STATE_SCHEMA: dict[str, pl.DataType] = {
    "url": pl.Utf8, "source_id": pl.Utf8, "kind": pl.Utf8, "etag": pl.Utf8, "last_modified": pl.Utf8,
    "body_sha256": pl.Utf8, "children": pl.List(pl.Utf8), "body_text": pl.Utf8, "last_status": pl.Int32,
    "last_fetched_at": pl.Datetime("us", "UTC"),
}
DISCOVERED_SCHEMA: dict[str, pl.DataType] = {
    "url": pl.Utf8, "source_id": pl.Utf8, "via": pl.Utf8, "date_hint": pl.Datetime("us", "UTC"),
    "hint_source": pl.Utf8, "seen_at": pl.Datetime("us", "UTC"),
}
# A URL that failed transiently this many times is left alone until someone looks.
MAX_TRANSIENT_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class DocState:
    """What we knew of a feed, sitemap, listing page or robots.txt after its last fetch."""

    url: str
    kind: str
    etag: str | None
    last_modified: str | None
    body_sha256: str | None
    children: tuple[str, ...]
    body_text: str | None


def doc_states(con: duckdb.DuckDBPyConnection, source_id: str) -> dict[str, DocState]:
    rows = con.execute(statement("crawl_state/url_states_of_source"), {"source_id": source_id}).fetchall()
    return {r[0]: DocState(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ()), r[6]) for r in rows}


def pending_urls(con: duckdb.DuckDBPyConnection, source_id: str) -> list[tuple]:
    """(url, via, date_hint, hint_source) of URLs discovered before but not stored yet."""
    return con.execute(statement("crawl_state/pending_urls"),
                       {"source_id": source_id, "max_attempts": MAX_TRANSIENT_ATTEMPTS}).fetchall()


def _frame(rows: list[dict], schema: dict[str, pl.DataType], key: str) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema).unique(key, keep="last", maintain_order=True)


def discovery_frames(states: list[dict], discovered: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    return _frame(states, URL_STATE_SCHEMA, "url"), _frame(discovered, DISCOVERED_SCHEMA, "url")


def record_discovery_frames(con: duckdb.DuckDBPyConnection, states: pl.DataFrame | None,
                            discovered: pl.DataFrame | None) -> None:
    """Upsert validators and discovered URLs in one transaction (through Arrow, not row by row)."""
    frames = {"batch_url_state": states if states is not None else _frame([], URL_STATE_SCHEMA, "url"),
              "batch_discovered": discovered if discovered is not None else _frame([], DISCOVERED_SCHEMA, "url")}
    with registered(con, **frames), transaction(con):
        con.execute(statement("crawl_state/merge_url_state"))
        con.execute(statement("crawl_state/merge_discovered"))


def mark_outcomes(con: duckdb.DuckDBPyConnection, fetch_log: pl.DataFrame) -> None:
    """Remember each article URL's latest fetch outcome, so failures are retried or given up on."""
    if fetch_log.is_empty():
        return
    with registered(con, batch_fetches=fetch_log):
        con.execute(statement("crawl_state/mark_discovered_outcomes"))


def known_story_keys(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The story key (transforms.urls.story_key) of every URL a stored article is known under."""
    return {row[0] for row in con.execute(statement("crawl_state/known_story_keys")).fetchall()}
