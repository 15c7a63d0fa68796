"""Load normalised batches and fetch outcomes into the warehouse: bulk via Arrow, idempotent, one transaction."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from transforms.normalise import (
    ARTICLES_SCHEMA,
    CATEGORIES_SCHEMA,
    LINKS_SCHEMA,
    SECTIONS_SCHEMA,
    NormalisedBatch,
)
from warehouse.db import statement

# The frame record_fetches expects: one row per fetch attempt (mirrors schema/006_fetch_log.sql).
FETCH_LOG_SCHEMA: dict[str, pl.DataType] = {
    "url": pl.Utf8,
    "source_id": pl.Utf8,
    "fetched_at": pl.Datetime("us", "UTC"),  # any aware zone is accepted and converted to UTC
    "outcome": pl.Utf8,  # one of FETCH_OUTCOMES
    "http_status": pl.Int32,
    "bytes": pl.Int64,
    "elapsed_ms": pl.Float64,
    "reason": pl.Utf8,
    "run_id": pl.Utf8,
}
FETCH_OUTCOMES = frozenset({"ok", "not-modified", "soft", "hard", "transient"})

# Child frames and the columns that identify one of their rows within an article.
_CHILD_KEYS = {
    "batch_sections": ("article_id", "section_index"),
    "batch_categories": ("article_id", "position"),
    "batch_links": ("article_id", "position"),
}


@dataclass(frozen=True, slots=True)
class LoadReport:
    inserted: int
    updated: int
    unchanged: int


def load_batch(con: duckdb.DuckDBPyConnection, batch: NormalisedBatch) -> LoadReport:
    """Insert new articles, update changed ones (replacing their child rows), leave the rest untouched."""
    articles = _conform(batch.articles, ARTICLES_SCHEMA, "articles").unique(
        "article_id", keep="last", maintain_order=True
    )
    frames = {
        "batch_articles": articles,
        "batch_sections": _conform(batch.sections, SECTIONS_SCHEMA, "sections"),
        "batch_categories": _conform(batch.categories, CATEGORIES_SCHEMA, "categories"),
        "batch_links": _conform(batch.links, LINKS_SCHEMA, "links"),
    }
    for name, key in _CHILD_KEYS.items():
        frames[name] = frames[name].unique(list(key), keep="last", maintain_order=True)

    registered: list[str] = []
    con.begin()
    try:
        for name, frame in frames.items():
            con.register(name, frame.to_arrow())
            registered.append(name)
        plan = con.execute(statement("load_plan")).pl()
        con.register("load_plan", plan.to_arrow())
        registered.append("load_plan")
        con.execute(statement("merge_articles"))
        con.execute(statement("replace_article_children"))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        for name in registered:
            con.unregister(name)

    counts = dict(plan.group_by("action").len().iter_rows())
    return LoadReport(
        inserted=counts.get("insert", 0),
        updated=counts.get("update", 0),
        unchanged=counts.get("unchanged", 0),
    )


def record_fetches(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> int:
    """Append fetch attempts to fetch_log; returns how many were new (already-logged ones are skipped)."""
    fetched_at = frame.schema.get("fetched_at")
    if isinstance(fetched_at, pl.Datetime) and fetched_at.time_zone is None:
        raise ValueError("fetch frame: fetched_at must be time-zone aware (UTC preferred)")
    if "fetched_at" in frame.columns and isinstance(fetched_at, pl.Datetime):
        frame = frame.with_columns(pl.col("fetched_at").dt.convert_time_zone("UTC"))
    frame = _conform(frame, FETCH_LOG_SCHEMA, "fetch").unique(maintain_order=True)
    unknown = set(frame["outcome"].unique().to_list()) - FETCH_OUTCOMES
    if unknown:
        raise ValueError(
            f"fetch frame: unknown outcome(s) {sorted(map(str, unknown))}; "
            f"expected one of {sorted(FETCH_OUTCOMES)}"
        )

    con.begin()
    try:
        con.register("batch_fetches", frame.to_arrow())
        inserted = con.execute(statement("insert_fetch_log")).fetchone()[0]
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.unregister("batch_fetches")
    return int(inserted)


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType], what: str) -> pl.DataFrame:
    """Exactly the schema's columns, in its order and dtypes; a missing or extra column is an error."""
    missing = [c for c in schema if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema]
    if missing or extra:
        raise ValueError(f"{what} frame: missing columns {missing}, unexpected columns {extra}")
    return frame.select([pl.col(name).cast(dtype, strict=True) for name, dtype in schema.items()])
