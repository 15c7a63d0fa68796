"""Load normalised batches and fetch outcomes into the warehouse: bulk via Arrow, idempotent, one transaction."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import duckdb
import polars as pl

from transforms.outcome import Outcome
from transforms.normalise import (
    ARTICLES_SCHEMA,
    BANDS_SCHEMA,
    CATEGORIES_SCHEMA,
    LINKS_SCHEMA,
    MENTIONS_SCHEMA,
    SECTIONS_SCHEMA,
    SIGNATURES_SCHEMA,
    TERMS_SCHEMA,
    URLS_SCHEMA,
    NormalisedBatch,
)
from warehouse.errors import WarehouseError
from warehouse.sql import registered as registered_frames
from warehouse.sql import statement, transaction
from warehouse.identity import find_copies, keep_first_seen_days, resolve
from warehouse.journal import LoadRun, close_journal, open_journal
from warehouse.lake import is_lake
from warehouse.recompute import install_lexicon, refresh_daily
from warehouse.search_index import index_articles

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
FETCH_OUTCOMES = frozenset(o.value for o in Outcome)

# Child frames and the columns that identify one of their rows.
_CHILD_KEYS = {
    "sections": ("article_id", "section_index"),
    "categories": ("article_id", "position"),
    "links": ("article_id", "position"),
    "mentions": ("article_id", "entity_id", "section_index"),
    "terms": ("article_id", "term"),
    "signatures": ("article_id",),
    "bands": ("article_id", "band"),
}


@dataclass(frozen=True, slots=True)
class LoadReport:
    inserted: int
    updated: int
    unchanged: int
    merged: int = 0  # articles of the batch that were renditions or copies of another one
    duplicates: int = 0  # new articles found to be near-copies of another source's
    # (published_day, source_id) -> {"insert": n, "update": n, "unchanged": n}: the load plan's own
    # decision, counted per partition (for partition rows and summaries)
    by_partition: dict = field(default_factory=dict, compare=False)
    updated_ids: tuple[str, ...] = field(default=(), compare=False)


class LexiconMismatch(WarehouseError):
    """A batch made with another gazetteer or stop words than the warehouse's stored mentions."""


def load_batch(con: duckdb.DuckDBPyConnection, batch: NormalisedBatch, run: LoadRun | None = None) -> LoadReport:
    """Insert new articles, update changed ones (keeping the replaced version in article_versions
    and replacing their child rows), leave the rest untouched; then recompute the daily aggregates
    of the (day, source) keys that changed. All in one transaction. Child frames hold one row per
    key and article, as normalise() makes them; an article given twice keeps its last row per key.
    What happens to each article (insert, update, unchanged) is decided once, by load_plan.sql, and
    the report counts that decision.

    The batch's mentions and terms must be made with the lexicon the warehouse's are (its first
    load installs it); a load never recomputes the stored ones: a changed gazetteer is its own step
    (`newswire recompute`, or the one a run announces at its start), else LexiconMismatch.

    Crash safety: a load that changes anything first records what it will change in load_journal
    (committed on its own), and its transaction deletes that row, so a load killed before it
    committed is found and undone by the next one (warehouse/journal.py). Child rows are deleted by
    article before they are inserted, for new articles too, so rows a killed load left behind are
    replaced, never doubled. Days that receive articles and have no ingest_partitions row get a
    'pending' one naming the run (run: its flow run id and mode)."""
    batch = _conformed(batch)  # a malformed frame fails here, before the warehouse is touched
    run = run or LoadRun()
    stored = con.execute(statement("recompute/lexicon_digest")).fetchall()
    if stored and stored[0][0] != batch.lexicon.digest:
        raise LexiconMismatch(
            f"this batch's mentions and terms were made with lexicon {batch.lexicon.digest[:12]}, the warehouse's "
            f"with {stored[0][0][:12]}; run `newswire recompute` (or a run, which does it first) and load again")
    # Resolved and planned before the transaction (reads only), so that the journal can say what
    # the load will change; one process holds the file and runs this connection's statements in
    # turn, so nothing writes in between.
    batch, merged = resolve(con, batch)
    batch = keep_first_seen_days(con, batch)
    articles = batch.articles
    with registered_frames(con, batch_articles=articles):
        plan = con.execute(statement("load/load_plan")).pl()
        with registered_frames(con, load_plan=plan):
            touched = con.execute(statement("load/touched_days")).pl()
    actions = set(plan["action"].to_list())
    copies = find_copies(con, batch, plan)
    changed = plan.filter(pl.col("action") != "unchanged")["article_id"]
    children = {f"changed_{name}": getattr(batch, name) if actions == {"insert"}
                else getattr(batch, name).filter(pl.col("article_id").is_in(changed.implode()))
                for name in _CHILD_KEYS}
    # A lake commits atomically in its catalog (a killed load leaves nothing to undo) and runs this
    # inside its own transaction (warehouse/loader.py), where the journal could not commit on its own.
    journaled = (changed.len() or not stored) and not is_lake(con)
    journal = open_journal(con, run, plan, touched, False) if journaled else None
    with registered_frames(con, batch_articles=articles, load_plan=plan, batch_urls=batch.urls,
                           batch_duplicates=copies, **children), transaction(con):
        if not stored:
            install_lexicon(con, batch.lexicon)
        if changed.len():
            if "update" in actions:
                con.execute(statement("load/archive_versions"))
                con.execute(statement("load/merge_articles"))
            con.execute(statement("load/delete_children"))  # new articles too: see the docstring
            con.execute(statement("load/insert_articles"))
            con.execute(statement("load/insert_children"))
            index_articles(con, articles.filter(pl.col("article_id").is_in(changed.implode())))
            if not copies.is_empty():
                con.execute(statement("load/insert_duplicates"))
            refresh_daily(con, touched)
        con.execute(statement("load/insert_article_urls"))
        con.execute(statement("load/load_partitions"), {"run_id": run.run_id, "mode": run.mode})
        if journal is not None:
            close_journal(con, journal)

    counts = dict(plan.group_by("action").len().iter_rows())
    by_partition: dict = {}
    decided = plan.join(articles.select("article_id", "published_day", "source_id"), on="article_id")
    for day, source, action, n in decided.group_by("published_day", "source_id", "action").len().iter_rows():
        by_partition.setdefault((day, source), {})[action] = n
    return LoadReport(
        inserted=counts.get("insert", 0),
        updated=counts.get("update", 0),
        unchanged=counts.get("unchanged", 0),
        merged=merged,
        duplicates=copies.height,
        by_partition=by_partition,
        updated_ids=tuple(plan.filter(pl.col("action") == "update")["article_id"]),
    )


def _conformed(batch: NormalisedBatch) -> NormalisedBatch:
    """The batch's frames in their exact schemas; an article given twice keeps its last rows."""
    articles = _conform(batch.articles, ARTICLES_SCHEMA, "articles")
    repeated = articles.filter(pl.col("article_id").is_duplicated())["article_id"].unique()
    articles = articles.unique("article_id", keep="last", maintain_order=True) if repeated.len() else articles
    children = {
        "sections": _conform(batch.sections, SECTIONS_SCHEMA, "sections"),
        "categories": _conform(batch.categories, CATEGORIES_SCHEMA, "categories"),
        "links": _conform(batch.links, LINKS_SCHEMA, "links"),
        "mentions": _conform(batch.mentions, MENTIONS_SCHEMA, "mentions"),
        "terms": _conform(batch.terms, TERMS_SCHEMA, "terms"),
        "signatures": _conform(batch.signatures, SIGNATURES_SCHEMA, "signatures"),
        "bands": _conform(batch.bands, BANDS_SCHEMA, "bands"),
    }
    if repeated.len():  # an article given twice: per child key, its last row wins
        children = {name: _dedupe(frame, repeated, _CHILD_KEYS[name]) for name, frame in children.items()}
    return dataclasses.replace(batch, articles=articles, urls=_conform(batch.urls, URLS_SCHEMA, "urls"), **children)


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

    with registered_frames(con, batch_fetches=frame), transaction(con):
        inserted = con.execute(statement("load/insert_fetch_log")).fetchone()[0]
    return int(inserted)


def _dedupe(frame: pl.DataFrame, repeated: pl.Series, key: tuple[str, ...]) -> pl.DataFrame:
    """Rows of the repeated articles made unique per key (the last wins); other rows as they are.
    normalise() never repeats an article, so this only runs for hand-assembled batches."""
    mask = pl.col("article_id").is_in(repeated.implode())
    return pl.concat([frame.filter(~mask), frame.filter(mask).unique(list(key), keep="last", maintain_order=True)])


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType], what: str) -> pl.DataFrame:
    """Exactly the schema's columns, in its order and dtypes; a missing or extra column is an error."""
    missing = [c for c in schema if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema]
    if missing or extra:
        raise ValueError(f"{what} frame: missing columns {missing}, unexpected columns {extra}")
    return frame.select([pl.col(name).cast(dtype, strict=True) for name, dtype in schema.items()])
